"""Editor reviews: an append-only audit trail beside the machine verdict.

Rows are never updated or deleted (database triggers refuse it); a later review supersedes an earlier one only
in that `latest` reads the newest. Reviews outlive their claim: if a document is deleted and posted again, its
claims get the same ids back and their reviews reattach.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, insert, select

from service.db.events import EventRepository, now_iso
from service.db.schema import reviews
from service.db.session import Session, chunks, storable
from service.models import ClaimReport, ReviewIn, ReviewOut


def _review(r) -> ReviewOut:
    return ReviewOut(
        id=r.id, claim_id=r.claim_id, document_id=r.document_id, verdict=r.verdict, reviewer=r.reviewer,
        note=r.note, machine_verdict=r.machine_verdict, machine_confidence=r.machine_confidence,
        agrees=r.verdict == r.machine_verdict, created_at=r.created_at,
    )


class ReviewRepository:
    """Record and read reviews; each new review also enters the event log, in the same transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, claim: ClaimReport, review: ReviewIn) -> ReviewOut:
        """Append a review of `claim` (its current machine verdict is kept beside the editor's)."""
        created = now_iso()
        with self._session.transaction() as tx:
            review_id = tx.execute(insert(reviews).values(
                claim_id=claim.id, document_id=claim.document_id, verdict=review.verdict,
                reviewer=storable(review.reviewer), note=storable(review.note), machine_verdict=claim.verdict,
                machine_confidence=claim.confidence,
                created_at=created,
            )).inserted_primary_key[0]
            out = _review(tx.execute(select(reviews).where(reviews.c.id == review_id)).one())
            EventRepository.append_in(tx, "review_added", {
                "claim_id": out.claim_id, "document_id": out.document_id, "review_id": out.id,
                "verdict": out.verdict, "machine_verdict": out.machine_verdict, "reviewer": out.reviewer,
                "at": created,
            })
        return out

    def for_claim(self, claim_id: str) -> list[ReviewOut]:
        """All reviews of a claim, oldest first."""
        return [_review(r) for r in self._session.all(select(reviews).where(reviews.c.claim_id == claim_id)
                                                      .order_by(reviews.c.id))]

    def latest(self, claim_ids: Iterable[str]) -> dict[str, ReviewOut]:
        """The newest review of each claim that has one."""
        ids = list(dict.fromkeys(claim_ids))
        found: dict[str, ReviewOut] = {}
        for part in chunks(ids):
            newest = (select(reviews.c.claim_id, func.max(reviews.c.id).label("id"))
                      .where(reviews.c.claim_id.in_(part)).group_by(reviews.c.claim_id).subquery())
            rows = self._session.all(select(reviews).join(newest, reviews.c.id == newest.c.id))
            found.update((r.claim_id, _review(r)) for r in rows)
        return found

    def attach(self, claims: Iterable[ClaimReport], *, full: bool = False) -> None:
        """Fill `review` (and with `full`, `reviews`) on claim reports, in place."""
        claims = list(claims)
        latest = self.latest(c.id for c in claims)
        for c in claims:
            c.review = latest.get(c.id)
            if full:
                c.reviews = self.for_claim(c.id)
