"""FactChecker: the one facade the API, the CLI and the eval suite use; each call delegates to a pipeline stage."""

from __future__ import annotations

from retrieval.embeddings import Embedder
from retrieval.vector_store import VectorStore
from service.analysis import ClaimExtractor, StanceJudge, StanceResult
from service.db import Database
from service.llm.usage import track_usage
from service.models import CheckIn, ClaimDraft, ClaimReport, DocumentIn, DocumentReport, DocumentSummary, Report
from service.pipeline.ingest import Ingestor
from service.pipeline.prepare import Preparer, as_claim, document_id_for
from service.pipeline.recompute import Recomputer
from service.pipeline.reports import Reports, transient_report
from service.pipeline.source_groups import find_group
from service.pipeline.verify import Verifier
from service.settings import Settings


class FactChecker:
    """Ingest, check, delete and read: everything the service does goes through here."""

    def __init__(self, settings: Settings, db: Database, vectors: VectorStore, embedder: Embedder,
                 extractor: ClaimExtractor, judge: StanceJudge, preparer: Preparer, verifier: Verifier,
                 ingestor: Ingestor, recomputer: Recomputer) -> None:
        self.settings = settings
        self.db = db
        self.vectors = vectors
        self.embedder = embedder
        self.extractor = extractor
        self.judge = judge
        self.preparer = preparer
        self.verifier = verifier
        self.ingestor = ingestor
        self.recomputer = recomputer
        self.reports = Reports(db)

    def __enter__(self) -> FactChecker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections and the vector store (every write is already committed)."""
        self.vectors.close()
        self.db.close()

    @property
    def backend_name(self) -> str:
        """What extracts claims and judges stance: offline, or llm (with the offline analyser as its fallback)."""
        return getattr(self.extractor, "name", "offline")

    @property
    def llm_metrics(self):
        """The LLM backend's Prometheus counters, or None when the offline analyser runs alone."""
        return getattr(self.extractor, "metrics", None) if self.backend_name != "offline" else None

    # Writing ---------------------------------------------------------------------------------------------

    def validate_text(self, text: str) -> str:
        """Normalised text, or a clear InputError (empty, whitespace-only, too large, undecodable)."""
        return self.preparer.validate_text(text)

    def ingest(self, doc: DocumentIn) -> tuple[DocumentReport, bool]:
        """Store a document and verify its claims; the same text again returns the stored report (False)."""
        return self.ingest_many([doc])[0]

    def ingest_many(self, docs: list[DocumentIn], progress=None) -> list[tuple[DocumentReport, bool]]:
        """Store documents, then verify their claims and recompute the claims they touch.

        `progress(stage, n)`, if given, hears of each document analysed and verified (see Ingestor.ingest_many).
        """
        ids, created, _ = self.ingestor.ingest_many(docs, progress)  # each document's LLM usage is stored with it
        return [(self.reports.document(doc_id), doc_id in created) for doc_id in ids]

    def delete(self, document_id: str) -> int:
        """Delete a document and recompute the claims whose evidence cited it; returns how many changed."""
        return self.ingestor.delete(document_id)

    def repair(self) -> dict[str, int]:
        """Make the vector store match the record store, and verify claims a crash left unverified."""
        return self.ingestor.repair()

    def recheck_fallbacks(self, limit: int = 50, batch: int = 5) -> int:
        """Re-verify claims the offline fallback judged during an LLM outage; returns how many recovered."""
        return self.recomputer.recheck_fallbacks(limit, batch)

    # Checking without storing ----------------------------------------------------------------------------

    def check(self, request: CheckIn) -> Report:
        """Report for text checked against the corpus; nothing is stored."""
        doc_id = document_id_for(self.validate_text(request.text))
        if self.db.documents.exists(doc_id):
            return Report(documents=[self.reports.document(doc_id)], backend=self.backend_name)
        with track_usage() as usage:
            p = self.preparer.prepare(request.text, request.model_dump(exclude={"text"}))
            p.on_request = True
            found = find_group(p.vecs, [c.quote for c in p.claims], lambda: self.verifier.dense_hits(p), self.ingestor.corpus)
            if found:
                p.source_group = found.group
                p.grouping = found.record()
            else:
                p.source_group = p.id
            verified = self.verifier.verify(p)
        document = transient_report(p, verified)
        document.llm = usage.used
        return Report(documents=[document], backend=self.backend_name, llm=usage.used)

    def check_claim(self, text: str) -> ClaimReport:
        """One claim, as given (not split), checked against the corpus; nothing is stored."""
        p = self.preparer.single(text)
        return transient_report(p, self.verifier.verify(p)).claims[0]

    def extract(self, text: str) -> list[ClaimDraft]:
        """Claims of a text, as the configured extractor finds them."""
        return self.extractor.extract(self.validate_text(text))

    def judge_pair(self, claim_text: str, evidence_text: str) -> StanceResult:
        """Stance of one evidence text toward one claim text."""
        claim = as_claim(self.validate_text(claim_text))
        evidence = as_claim(self.validate_text(evidence_text)).model_copy(update={"document_id": "evidence"})
        return self.verifier.judge_pair(claim, evidence)

    # Reading ---------------------------------------------------------------------------------------------

    def document_report(self, document_id: str, include_text: bool = True) -> DocumentReport:
        return self.reports.document(document_id, include_text)

    def claim_report(self, claim_id: str) -> ClaimReport:
        return self.reports.claim(claim_id)

    def list_documents(self, limit: int, after_seq: int | None) -> tuple[list[DocumentSummary], int | None]:
        return self.reports.documents(limit, after_seq)

    def list_claims(self, **filters) -> tuple[list[ClaimReport], int | None]:
        """Claims filtered by verdict, document, q, checkworthy, reviewed; `limit` and `after_seq` page them."""
        return self.reports.claims(**filters)
