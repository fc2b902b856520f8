"""Stage 5, reports: what the API, the CLI and the review tool read, assembled from the record store."""

from __future__ import annotations

from service.db import Database
from service.db.records import StoredClaim
from service.errors import NotFoundError
from service.models import Claim, ClaimReport, DocumentReport, DocumentSummary, EvidenceOut
from service.pipeline.prepare import Prepared
from service.pipeline.verify import Verified


def claim_report(claim: Claim, verdict: str, confidence: float, evidence: list[EvidenceOut]) -> ClaimReport:
    """A claim with its verdict and evidence, as the report contract gives it."""
    return ClaimReport(
        id=claim.id, document_id=claim.document_id, text=claim.text, quote=claim.quote, start=claim.start,
        end=claim.end, language=claim.language, checkworthy=claim.checkworthy, attribution=claim.attribution,
        quantities=claim.quantities, entities=claim.entities, verdict=verdict, confidence=confidence,
        backend=claim.backend, evidence=evidence,
    )


def transient_report(p: Prepared, verified: list[Verified]) -> DocumentReport:
    """The report of a document checked without being stored."""
    return DocumentReport(
        id=p.id, source=p.meta.get("source"), title=p.meta.get("title"), language=p.language,
        languages=p.languages, source_group=p.source_group or p.id, grouping=p.grouping, text=p.text,
        claims=[claim_report(v.claim, v.verdict, v.confidence, v.evidence) for v in verified],
    )


class Reports:
    """Stored documents and claims as reports and listings."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _claims(self, stored: list[StoredClaim]) -> list[ClaimReport]:
        evidence = self.db.verdicts.evidence_of([s.id for s in stored])
        return [claim_report(s.claim, s.verdict, s.confidence, evidence[s.id]) for s in stored]

    def document(self, document_id: str, include_text: bool = True) -> DocumentReport:
        doc = self.db.documents.get(document_id)
        if doc is None:
            raise NotFoundError(f"no document {document_id}")
        return DocumentReport(
            id=doc.id, source=doc.source, title=doc.title, url=doc.url, published_at=doc.published_at,
            language=doc.language, languages=doc.languages, source_group=doc.source_group, grouping=doc.grouping,
            created_at=doc.created_at, llm=doc.llm_usage,
            text=doc.text if include_text else None, claims=self._claims(self.db.claims.of_document(document_id)),
        )

    def claim(self, claim_id: str) -> ClaimReport:
        stored = self.db.claims.get(claim_id)
        if stored is None:
            raise NotFoundError(f"no claim {claim_id}")
        (report,) = self._claims([stored])
        report.history = self.db.verdicts.history(claim_id)
        return report

    def documents(self, limit: int, after_seq: int | None) -> tuple[list[DocumentSummary], int | None]:
        rows = self.db.documents.page(limit, after_seq)
        counts = self.db.verdicts.counts([r.id for r in rows])
        items = [DocumentSummary(id=r.id, title=r.title, source=r.source, url=r.url, language=r.language,
                                 source_group=r.source_group, created_at=r.created_at, claim_count=r.claim_count,
                                 verdicts=counts[r.id]) for r in rows]
        return items, (rows[-1].seq if len(rows) == limit else None)

    def claims(self, *, verdict: str | None = None, document_id: str | None = None, q: str | None = None,
               checkworthy: bool | None = None, limit: int = 50, after_seq: int | None = None,
               reviewed: bool | None = None) -> tuple[list[ClaimReport], int | None]:
        stored = self.db.claims.page(verdict=verdict, document_id=document_id, q=q, checkworthy=checkworthy,
                                     limit=limit, after_seq=after_seq, reviewed=reviewed)
        return self._claims(stored), (stored[-1].seq if len(stored) == limit else None)
