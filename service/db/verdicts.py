"""Evidence, machine verdicts and their history; every verdict change also enters the event log."""

from __future__ import annotations

import time
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from service.db.events import EventRepository, iso_millis
from service.db.records import to_datetime
from service.db.schema import claims, evidence, verdict_history
from service.db.session import Session, chunks
from service.models import EvidenceOut, VerdictBasis, VerdictChange


class VerdictWrite(NamedTuple):
    """A claim's new verdict, its evidence and how it was reached, and why it was computed."""

    claim_id: str
    verdict: str
    confidence: float
    items: list[EvidenceOut]
    backend: str
    cause_document_id: str | None
    reason: str
    basis: VerdictBasis = VerdictBasis()


class VerdictRepository:
    """Reads and writes the `evidence` and `verdict_history` tables and the verdict columns of `claims`."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def save(self, tx: Connection, claim_id: str, verdict: str, confidence: float, items: list[EvidenceOut],
             backend: str, cause_document_id: str | None, reason: str, basis: VerdictBasis = VerdictBasis(),
             as_of: int | None = None) -> bool:
        """save_many() for one claim; returns whether its verdict changed."""
        write = VerdictWrite(claim_id, verdict, confidence, items, backend, cause_document_id, reason, basis)
        return self.save_many(tx, [write], as_of) == 1

    def save_many(self, tx: Connection, writes: list[VerdictWrite], as_of: int | None = None) -> int:
        """Replace claims' evidence and verdicts (and how they were reached); record history (and an event) for
        each verdict that changed. Returns how many changed. A handful of statements whatever the number of claims.

        `as_of`: the corpus version the verdicts were computed against. Verification runs outside the corpus write
        lock, so a verdict computed against an older corpus can arrive after one computed against a newer: it is
        then dropped, as is a verdict for a claim deleted meanwhile.
        """
        ids = sorted({w.claim_id for w in writes})
        previous = {}
        for part in chunks(ids):  # rows locked in id order: two hosts saving overlapping claims never deadlock
            previous.update((r.id, r) for r in tx.execute(
                select(claims.c.id, claims.c.verdict, claims.c.document_id, claims.c.verified_as_of)
                .where(claims.c.id.in_(part)).order_by(claims.c.id).with_for_update()))
        kept = [w for w in writes if w.claim_id in previous  # still there, and no newer verdict saved for it
                and (as_of is None or previous[w.claim_id].verified_as_of is None
                     or as_of >= previous[w.claim_id].verified_as_of)]
        if not kept:
            return 0
        kept_ids = [w.claim_id for w in kept]
        has_history: set[str] = set()
        for part in chunks(kept_ids):
            tx.execute(delete(evidence).where(evidence.c.claim_id.in_(part)))
            has_history.update(tx.execute(select(verdict_history.c.claim_id).distinct()
                                          .where(verdict_history.c.claim_id.in_(part))).scalars())
        rows = [{"claim_id": w.claim_id, "position": i, "document_id": e.document_id, "evidence_claim_id": e.claim_id,
                 "quote": e.quote, "start": e.start, "end": e.end, "stance": e.stance, "score": e.score,
                 "same_source": int(e.same_source), "rationale": e.rationale, "backend": e.backend, "kind": e.kind,
                 "basis": e.basis}
                for w in kept for i, e in enumerate(w.items)]
        if rows:
            tx.execute(insert(evidence), rows)
        now = time.time()
        tx.execute(update(claims).where(claims.c.id == bindparam("w_id")).values(
            verdict=bindparam("w_verdict"), confidence=bindparam("w_confidence"), backend=bindparam("w_backend"),
            updated_at=now, basis=bindparam("w_basis"), strength=bindparam("w_strength"),
            independent_sources=bindparam("w_sources"), verified_as_of=bindparam("w_as_of")),
            [{"w_id": w.claim_id, "w_verdict": w.verdict, "w_confidence": w.confidence, "w_backend": w.backend,
              "w_basis": w.basis.basis, "w_strength": w.basis.strength, "w_sources": w.basis.independent_sources,
              "w_as_of": as_of if as_of is not None else previous[w.claim_id].verified_as_of} for w in kept])
        changed = [w for w in kept if w.claim_id not in has_history or previous[w.claim_id].verdict != w.verdict]
        if changed:
            tx.execute(insert(verdict_history), [
                {"claim_id": w.claim_id, "verdict": w.verdict, "confidence": w.confidence,
                 "cause_document_id": w.cause_document_id, "reason": w.reason, "at": now} for w in changed])
            EventRepository.append_many_in(tx, "verdict_changed", [{
                "claim_id": w.claim_id, "document_id": previous[w.claim_id].document_id, "verdict": w.verdict,
                "confidence": w.confidence, "cause_document_id": w.cause_document_id, "reason": w.reason,
                "at": iso_millis(now),
            } for w in changed])
        return len(changed)

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
