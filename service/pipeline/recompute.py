"""Stage 4, save and recompute: verdicts computed and saved without the corpus write lock, and the stored claims
re-verified when the corpus changes around them.

Verification (candidate search, stance judgements) reads the corpus without the lock, so hosts verify in parallel,
and its verdicts are saved without it too. The corpus version is read first and saved with each verdict; a verdict
computed against an older corpus never replaces one computed against a newer (`VerdictRepository.save_many`).
One more check keeps evidence from citing a deleted document: after saving, a verdict whose evidence cites a
document that is gone is computed again. A deletion lists the claims citing the document after its
commit (`Ingestor.delete`), so whichever commits first, the deletion or the save, one of the two sees the other.
"""

from __future__ import annotations

import logging

from service.db import Database
from service.db.records import StoredClaim
from service.db.verdicts import VerdictWrite
from service.pipeline.prepare import Prepared
from service.pipeline.verdict_basis import verdict_basis
from service.pipeline.verify import Verified, Verifier

log = logging.getLogger(__name__)

FALLBACK_BACKEND = "offline-fallback"  # the offline analyser standing in for a failing LLM
OUTSIDE_LOCK_TRIES = 2  # then, if deletions keep landing meanwhile, the verdicts are computed under the lock


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
            if doc is not None:
                changed += self.verify_and_save(Prepared.from_store(doc, stored), claim_causes, reason)[1]
        return changed

    def verify_and_save(self, p: Prepared, causes: dict[str, str | None], reason: str) -> tuple[list[Verified], int]:
        """Verify `p`'s claims against the corpus as it is now and save their verdicts; returns them and how many
        verdicts changed. `causes`: claim id -> the document whose arrival or departure made it be verified."""
        changed = 0
        for _ in range(OUTSIDE_LOCK_TRIES):
            as_of = self.db.documents.corpus_version()
            verified = self.verifier.verify(p)
            changed += self._save(verified, as_of, causes, reason)
            if not self._cites_deleted(p, verified):
                return verified, changed
        with self.db.lock:  # deletions kept landing while it was verified: under the lock none can
            as_of = self.db.documents.corpus_version()
            verified = self.verifier.verify(p)
            return verified, changed + self._save(verified, as_of, causes, reason)

    def _cites_deleted(self, p: Prepared, verified: list[Verified]) -> bool:
        cited = list({e.document_id for v in verified for e in v.evidence} - {p.id})
        return len(self.db.documents.source_groups(cited)) < len(cited)

    def _save(self, verified: list[Verified], as_of: int, causes: dict[str, str | None], reason: str) -> int:
        writes = [VerdictWrite(v.claim.id, v.verdict, v.confidence, v.evidence, v.backend, causes.get(v.claim.id),
                               reason, verdict_basis(v.verdict, v.evidence)) for v in verified]
        with self.db.transaction() as tx:
            return self.db.verdicts.save_many(tx, writes, as_of)

    def recheck_fallbacks(self, limit: int = 50, batch: int = 5) -> int:
        """Re-verify claims judged by the offline fallback during an LLM outage; stops early while it persists.

        Returns how many claims were re-verified with the LLM answering again.
        """
        ids = self.db.claims.judged_by(FALLBACK_BACKEND, limit)
        recovered = 0
        for i in range(0, len(ids), batch):
            part = ids[i : i + batch]
            self.recompute({cid: None for cid in part}, "recheck")
            still = self.db.claims.count_judged_by(FALLBACK_BACKEND, part)
            recovered += len(part) - still
            if still == len(part):  # the LLM is still failing: try again on the next round, not claim after claim
                log.warning("recheck: LLM still failing; %d claims wait for the next round", len(ids) - i)
                break
        if recovered:
            log.info("recheck: %d claims re-verified with the LLM after an outage", recovered)
        return recovered
