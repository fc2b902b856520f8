"""Evidence, machine verdicts and their history; every verdict change also enters the event log."""

from __future__ import annotations

import time

from sqlalchemy import Connection, delete, func, insert, select, update

from service.db.events import EventRepository, iso_millis
from service.db.records import to_datetime
from service.db.schema import claims, evidence, verdict_history
from service.db.session import Session, chunks
from service.models import EvidenceOut, VerdictBasis, VerdictChange


class VerdictRepository:
    """Reads and writes the `evidence` and `verdict_history` tables and the verdict columns of `claims`."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def save(self, tx: Connection, claim_id: str, verdict: str, confidence: float, items: list[EvidenceOut],
             backend: str, cause_document_id: str | None, reason: str, basis: VerdictBasis = VerdictBasis(),
             as_of: int | None = None) -> bool:
        """Replace a claim's evidence and verdict (and how it was reached); record history (and an event) when the
        verdict changed. Returns whether the verdict changed.

        `as_of`: the corpus version the verdict was computed against. Verification runs outside the corpus write
        lock, so a verdict computed against an older corpus can arrive after one computed against a newer: it is
        then dropped, as is a verdict for a claim deleted meanwhile.
        """
        previous = tx.execute(select(claims.c.verdict, claims.c.document_id, claims.c.verified_as_of)
                              .where(claims.c.id == claim_id).with_for_update()).first()
        if previous is None:
            return False
        if as_of is not None and previous.verified_as_of is not None and as_of < previous.verified_as_of:
            return False
        tx.execute(delete(evidence).where(evidence.c.claim_id == claim_id))
        if items:
            tx.execute(insert(evidence), [
                {"claim_id": claim_id, "position": i, "document_id": e.document_id, "evidence_claim_id": e.claim_id,
                 "quote": e.quote, "start": e.start, "end": e.end, "stance": e.stance, "score": e.score,
                 "same_source": int(e.same_source), "rationale": e.rationale, "backend": e.backend, "kind": e.kind,
                 "basis": e.basis}
                for i, e in enumerate(items)
            ])
        now = time.time()
        tx.execute(update(claims).where(claims.c.id == claim_id)
                   .values(verdict=verdict, confidence=confidence, backend=backend, updated_at=now,
                           basis=basis.basis, strength=basis.strength, independent_sources=basis.independent_sources,
                           verified_as_of=as_of if as_of is not None else previous.verified_as_of))
        has_history = tx.execute(select(verdict_history.c.seq).where(verdict_history.c.claim_id == claim_id)
                                 .limit(1)).first()
        changed = not has_history or previous.verdict != verdict
        if changed:
            tx.execute(insert(verdict_history).values(claim_id=claim_id, verdict=verdict, confidence=confidence,
                                                      cause_document_id=cause_document_id, reason=reason, at=now))
            EventRepository.append_in(tx, "verdict_changed", {
                "claim_id": claim_id, "document_id": previous.document_id, "verdict": verdict,
                "confidence": confidence, "cause_document_id": cause_document_id, "reason": reason,
                "at": iso_millis(now),
            })
        return changed

    def evidence_of(self, claim_ids: list[str]) -> dict[str, list[EvidenceOut]]:
        out: dict[str, list[EvidenceOut]] = {c: [] for c in claim_ids}
        for part in chunks(claim_ids):
            for r in self._session.all(select(evidence).where(evidence.c.claim_id.in_(part))
                                       .order_by(evidence.c.claim_id, evidence.c.position)):
                out[r.claim_id].append(EvidenceOut(
                    document_id=r.document_id, claim_id=r.evidence_claim_id, quote=r.quote, start=r.start, end=r.end,
                    stance=r.stance, score=r.score, same_source=bool(r.same_source), rationale=r.rationale,
                    backend=r.backend, kind=r.kind, basis=r.basis,
                ))
        return out

    def history(self, claim_id: str) -> list[VerdictChange]:
        return [
            VerdictChange(verdict=r.verdict, confidence=r.confidence, cause_document_id=r.cause_document_id,
                          reason=r.reason, at=to_datetime(r.at))
            for r in self._session.all(select(verdict_history).where(verdict_history.c.claim_id == claim_id)
                                       .order_by(verdict_history.c.seq))
        ]

    def counts(self, document_ids: list[str]) -> dict[str, dict[str, int]]:
        """Claims per verdict, for each document."""
        out: dict[str, dict[str, int]] = {d: {} for d in document_ids}
        for part in chunks(document_ids):
            for r in self._session.all(select(claims.c.document_id, claims.c.verdict, func.count().label("n"))
                                       .where(claims.c.document_id.in_(part))
                                       .group_by(claims.c.document_id, claims.c.verdict)):
                out[r.document_id][r.verdict] = r.n
        return out
