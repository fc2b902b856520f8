"""Stage 5, reports: what the API, the CLI and the review tool read, assembled from the record store."""

from __future__ import annotations

from service.db import Database
from service.db.claims import page_cursor
from service.db.records import StoredClaim
from service.errors import NotFoundError
from service.models import Claim, ClaimReport, DocumentReport, DocumentSummary, EvidenceOut, VerdictBasis
from service.pipeline.prepare import Prepared
from service.pipeline.verdict_basis import verdict_basis
from service.pipeline.verify import Verified


def claim_report(claim: Claim, verdict: str, confidence: float, evidence: list[EvidenceOut],
                 basis: VerdictBasis | None = None) -> ClaimReport:
    """A claim with its verdict, how it was reached and its evidence, as the report contract gives it."""
    basis = basis or verdict_basis(verdict, evidence)
    return ClaimReport(
        id=claim.id, document_id=claim.document_id, text=claim.text, quote=claim.quote, start=claim.start,
        end=claim.end, language=claim.language, checkworthy=claim.checkworthy, attribution=claim.attribution,
        quantities=claim.quantities, entities=claim.entities, verdict=verdict, confidence=confidence,
        basis=basis.basis, strength=basis.strength, independent_sources=basis.independent_sources, evidence=evidence,
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
        # The evidence table keeps documents, not their source groups (a group can grow): read the current ones.
        groups = self.db.documents.source_groups(sorted({e.document_id for items in evidence.values() for e in items}))
        for items in evidence.values():
            for e in items:
                e.source_group = groups.get(e.document_id, e.source_group)
        return [claim_report(s.claim, s.verdict, s.confidence, evidence[s.id],
                             VerdictBasis(basis=s.basis, strength=s.strength,
                                          independent_sources=s.independent_sources))
                for s in stored]

    def document(self, document_id: str, include_text: bool = True) -> DocumentReport:
        doc = self.db.documents.get(document_id)
        if doc is None:
            raise NotFoundError(f"no document {document_id}")
        return DocumentReport(
            id=doc.id, source=doc.source, title=doc.title, url=doc.url, published_at=doc.published_at,
            language=doc.language, languages=doc.languages, source_group=doc.source_group, grouping=doc.grouping,
            created_at=doc.created_at,
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
                                 languages=r.languages or [r.language], source_group=r.source_group,
                                 created_at=r.created_at, claim_count=r.claim_count, verdicts=counts[r.id])
                 for r in rows]
        return items, (rows[-1].seq if len(rows) == limit else None)

    def claims(self, *, verdict: str | None = None, document_id: str | None = None, q: str | None = None,
               checkworthy: bool | None = None, limit: int = 50, after_seq: int | None = None,
               reviewed: bool | None = None, basis: str | None = None, min_sources: int | None = None,
               max_sources: int | None = None, sort: str = "stored") -> tuple[list[ClaimReport], int | None]:
        """A page of claims and the cursor of the next one (None on the last page)."""
        stored = self.db.claims.page(verdict=verdict, document_id=document_id, q=q, checkworthy=checkworthy,
                                     limit=limit, after_seq=after_seq, reviewed=reviewed, basis=basis,
                                     min_sources=min_sources, max_sources=max_sources, sort=sort)
        return self._claims(stored), (page_cursor(sort, stored[-1]) if len(stored) == limit else None)
