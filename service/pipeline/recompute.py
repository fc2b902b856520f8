"""Stage 4, recompute: re-verify stored claims when the corpus changes around them, and record what moved."""

from __future__ import annotations

import logging

from service.db import Database
from service.db.records import StoredClaim
from service.pipeline.prepare import Prepared
from service.pipeline.verdict_basis import verdict_basis
from service.pipeline.verify import Verifier

log = logging.getLogger(__name__)

FALLBACK_BACKEND = "offline-fallback"  # the offline analyser standing in for a failing LLM


class Recomputer:
    """Re-verifies claims a new or deleted document touches, and claims the LLM's fallback judged."""

    def __init__(self, db: Database, verifier: Verifier) -> None:
        self.db = db
        self.verifier = verifier

    def recompute(self, claim_causes: dict[str, str | None], reason: str) -> int:
        """Re-verify stored claims (a document arrived or left); returns how many verdicts changed."""
        if not claim_causes:
            return 0
        by_doc: dict[str, list[StoredClaim]] = {}
        for stored in self.db.claims.by_id(list(claim_causes)).values():
            by_doc.setdefault(stored.document_id, []).append(stored)
        changed = 0
        for doc_id, stored in by_doc.items():
            doc = self.db.documents.get(doc_id)
            if doc is None:
                continue
            verified = self.verifier.verify(Prepared.from_store(doc, stored))
            with self.db.transaction() as tx:
                for v in verified:
                    changed += self.db.verdicts.save(tx, v.claim.id, v.verdict, v.confidence, v.evidence, v.backend,
                                                     claim_causes[v.claim.id], reason,
                                                     verdict_basis(v.verdict, v.evidence))
        return changed

    def recheck_fallbacks(self, limit: int = 50, batch: int = 5) -> int:
        """Re-verify claims judged by the offline fallback during an LLM outage; stops early while it persists.

        Returns how many claims were re-verified with the LLM answering again.
        """
        ids = self.db.claims.judged_by(FALLBACK_BACKEND, limit)
        recovered = 0
        for i in range(0, len(ids), batch):
            part = ids[i : i + batch]
            with self.db.lock:
                self.recompute({cid: None for cid in part}, "recheck")
            still = self.db.claims.count_judged_by(FALLBACK_BACKEND, part)
            recovered += len(part) - still
            if still == len(part):  # the LLM is still failing: try again on the next round, not claim after claim
                log.warning("recheck: LLM still failing; %d claims wait for the next round", len(ids) - i)
                break
        if recovered:
            log.info("recheck: %d claims re-verified with the LLM after an outage", recovered)
        return recovered
