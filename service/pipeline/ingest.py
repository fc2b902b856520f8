"""Stage 2, ingest: store documents, verify them and the older claims they touch, idempotently, crash-safe.

Under the corpus write lock a document is committed with a `pending` mark (and the process that owns it), its
vectors are upserted and its source group found. The lock is then released: its verdicts and the recomputation of
the older claims it touches are computed while other documents are stored and verified, and saved with the corpus
version they were computed against (recompute.py says why that is safe); then the mark is cleared. A document
stored after this one was verified is verified seeing this one, and the claims of this one it cites are
recomputed, as when two documents are posted one after the other.

A crash in between leaves the mark: `repair` (run at every start) finishes the job, and so does the next ingest
of any process once its owner has died or failed (`resume_pending`); repair also makes the vector store match the
record store again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import numpy as np

from retrieval.vector_store import VectorStore
from service.db import Database
from service.db.records import StoredClaim
from service.errors import NotFoundError
from service.llm.usage import UsageScope, track_usage
from service.models import DocumentIn
from service.pipeline.name_rarity import NameRarity
from service.pipeline.prepare import Prepared, Preparer, document_id_for
from service.pipeline.recompute import Recomputer
from service.pipeline.source_groups import find_group
from service.pipeline.verify import Verifier

log = logging.getLogger(__name__)

#: `progress(stage, n)`: n more documents reached `stage` ("analysed", then "verified").
Progress = Callable[[str, int], None]


class _GroupCorpus:
    """The two reads source-group detection makes of the corpus."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def claims_of(self, document_id: str) -> list[StoredClaim]:
        return self._db.claims.of_document(document_id)

    def source_group(self, document_id: str) -> str | None:
        doc = self._db.documents.get(document_id)
        return doc.source_group if doc else None


class Ingestor:
    """Writes to the corpus: new documents, deletions, and the repair of what a crash interrupted."""

    def __init__(self, db: Database, vectors: VectorStore, preparer: Preparer, verifier: Verifier,
                 recomputer: Recomputer, rarity: NameRarity, backend_name: str) -> None:
        self.db = db
        self.vectors = vectors
        self.preparer = preparer
        self.verifier = verifier
        self.recomputer = recomputer
        self.rarity = rarity
        self.backend_name = backend_name
        self.corpus = _GroupCorpus(db)
        self._in_flight: set[str] = set()  # pending documents this process is verifying now
        self._in_flight_lock = threading.Lock()

    def ingest_many(self, docs: list[DocumentIn], progress: Progress | None = None
                    ) -> tuple[list[str], set[str], dict[str, UsageScope]]:
        """Store documents, verify their claims and recompute the claims they touch.

        Returns each input's document id, the ids stored by this call, and the LLM usage per new document.
        `progress(stage, n)` is called as documents are analysed ("analysed") and verified ("verified").
        """
        progress = progress or (lambda stage, n: None)
        prepared: list[Prepared] = []
        ids: list[str] = []
        created: set[str] = set()
        usage: dict[str, UsageScope] = {}
        texts = [self.preparer.validate_text(doc.text) for doc in docs]
        for text in texts:  # every text's shape is checked before any is analysed: one refused, none stored
            self.preparer.check_shape(text)
        for doc, text in zip(docs, texts):
            doc_id = document_id_for(text)
            ids.append(doc_id)
            if doc_id in created or self.db.documents.exists(doc_id):
                progress("analysed", 1)
                continue
            with track_usage(usage.setdefault(doc_id, UsageScope())):
                prepared.append(self.preparer.prepare(text, doc.model_dump(exclude={"text"})))
            created.add(doc_id)
            progress("analysed", 1)
        self.resume_pending()  # an earlier ingest that failed or died half-way is finished first
        claimed: set[str] = set()
        try:
            with self.db.lock:
                fresh = [p for p in prepared if not self.db.documents.exists(p.id)]
                created = {p.id for p in fresh}  # a racing post of the same text stored it first: that one is a 200
                claimed = self._claim(created)
                for p in fresh:
                    self._store(p)
                # One vector-store call for the whole batch: Chroma's per-call cost dominated per-document upserts.
                self.vectors.upsert([c.id for p in fresh for c in p.claims], [p.id for p in fresh for _ in p.claims],
                                    np.vstack([p.vecs for p in fresh]) if fresh else np.zeros((0, 0), np.float32))
                for p in fresh:
                    self._assign_group(p)
            # Without the lock: other documents are stored and verified meanwhile.
            progress("verified", len(docs) - len(fresh))  # already stored: nothing to verify
            self._verify_new(fresh, usage, progress)
            self._store_usage(fresh, usage)
            self.db.documents.clear_pending([p.id for p in fresh])
        finally:
            self._release(claimed)
        return ids, created, usage

    def _claim(self, document_ids: set[str]) -> set[str]:
        """Mark documents as being verified by this process; returns those no other thread of it had marked."""
        with self._in_flight_lock:
            mine = document_ids - self._in_flight
            self._in_flight |= mine
            return mine

    def _release(self, document_ids: set[str]) -> None:
        with self._in_flight_lock:
            self._in_flight -= document_ids

    def _store(self, p: Prepared) -> None:
        with self.db.transaction() as tx:
            self.db.documents.insert(tx, {
                "id": p.id, "text": p.text, **{k: p.meta.get(k) for k in ("title", "source", "url", "published_at")},
                "language": p.language, "languages": p.languages,
                "sections": {"spans": p.sections, "translated": sorted(p.translated_sections)},
                "source_group": p.id, "backend": self.backend_name,
            })
            self.db.claims.insert(tx, p.claims, p.claim_sections, p.vecs, p.keys)
            # Cleared once its verdicts and the ones it touches are saved; the owner says who is verifying it.
            self.db.documents.mark_pending(tx, p.id, self.db.owner.hold())
        # Vectors are upserted after the commit: a crash before that leaves claims without vectors, which
        # repair() re-adds at start-up.
        self.rarity.clear()

    def _store_usage(self, fresh: list[Prepared], usage: dict[str, UsageScope]) -> None:
        """Record each new document's LLM work (extraction and stance: calls, tokens, failures and why)."""
        with self.db.transaction() as tx:
            for p in fresh:
                used = usage[p.id].used if p.id in usage else None
                if used is not None:
                    self.db.documents.set_llm_usage(tx, p.id, used.model_dump_json())

    def _assign_group(self, p: Prepared) -> None:
        found = find_group(p.vecs, [c.quote for c in p.claims], lambda: self.verifier.dense_hits(p), self.corpus)
        if found and found.group != p.id:
            grouping = found.record()
            with self.db.transaction() as tx:
                self.db.documents.set_source_group(tx, [p.id], found.group, grouping)
            p.source_group, p.grouping = found.group, grouping
            log.info("document %s joins source group %s: it and %s cover %.0f%% / %.0f%% of each other's claims",
                     p.id, found.group, found.document_id, 100 * found.match.coverage,
                     100 * found.match.other_coverage)
        else:
            p.source_group = p.id

    def _verify_new(self, fresh: list[Prepared], usage: dict[str, UsageScope] | None = None,
                    progress: Progress | None = None) -> None:
        touched: dict[str, str] = {}  # old claim id -> the new document that touched it
        for p in fresh:
            with track_usage((usage or {}).get(p.id)):
                verified, _ = self.recomputer.verify_and_save(p, {c.id: p.id for c in p.claims}, "ingest")
            if progress is not None:
                progress("verified", 1)
            for v in verified:
                for e in v.evidence:
                    if e.claim_id and e.document_id != p.id:
                        touched.setdefault(e.claim_id, p.id)
            if p.source_group != p.id:
                for member in self.db.documents.group_members(p.source_group):
                    for stored in self.db.claims.of_document(member):
                        touched.setdefault(stored.id, p.id)
        new_ids = {c.id for p in fresh for c in p.claims}
        self.recomputer.recompute({k: v for k, v in touched.items() if k not in new_ids}, "document_added")

    def delete(self, document_id: str) -> int:
        """Delete a document and recompute the claims whose evidence cited it; returns how many changed."""
        with self.db.lock:
            if not self.db.documents.exists(document_id):
                raise NotFoundError(f"no document {document_id}")
            with self.db.transaction() as tx:
                self.db.documents.delete(tx, document_id)
            # Listed after the commit: verdicts are saved without the lock, and one saved before the commit is
            # listed here, one saved after it finds the document gone itself (Recomputer.verify_and_save).
            citing = self.db.claims.citing_document(document_id)
            self.vectors.delete_document(document_id)
            self.rarity.clear()
            still = self.db.claims.by_id(citing)
        # Without the lock; a crash before this ends leaves them to repair, which finds them by their evidence.
        return self.recomputer.recompute({c: document_id for c in citing if c in still}, "document_deleted")

    def repair(self) -> dict[str, int]:
        """Make the vector store match the record store, and verify claims a crash left unverified."""
        started = time.perf_counter()
        stored_ids = self.vectors.ids()
        expected: set[str] = set()
        added = 0
        for ids, doc_ids, vecs in self.db.claims.vectors():
            expected.update(ids)
            missing = [i for i, cid in enumerate(ids) if cid not in stored_ids]
            if missing:
                self.vectors.upsert([ids[i] for i in missing], [doc_ids[i] for i in missing], vecs[missing])
                added += len(missing)
        stray = list(stored_ids - expected)
        if stray:
            self.vectors.delete_ids(stray)
        resumed = self.resume_pending()
        pending = self.db.claims.needing_verification()
        verified = self.recomputer.recompute({c: None for c in pending}, "recheck") if pending else 0
        if added or stray or pending or resumed:
            log.warning("repair: %d vectors re-added, %d stray removed, %d documents resumed, %d claims re-verified"
                        " (%.2fs)", added, len(stray), resumed, len(pending), time.perf_counter() - started)
        return {"vectors_added": added, "vectors_removed": len(stray), "documents_resumed": resumed,
                "claims_reverified": len(pending), "verdicts_changed": verified}

    def resume_pending(self) -> int:
        """Finish ingests interrupted after the document was committed: its source group, its verdicts, and the
        recomputation of the older claims it touches (otherwise those would silently ignore it).

        Only the pending documents no live ingest is verifying: this process's own whose ingest failed, and those
        of processes that died (`db.owner` says which are alive, on any host).
        """
        owners = dict(self.db.documents.pending_owners())
        # One liveness check per owner (on Postgres a round trip), not per document.
        abandoned = {o for o in set(owners.values())
                     if o is None or o == self.db.owner.token or not self.db.owner.alive(o)}
        pending = [doc_id for doc_id, owner in owners.items() if owner in abandoned]
        mine = self._claim(set(pending))
        try:
            for doc_id in [d for d in pending if d in mine]:
                stored = self.db.claims.of_document(doc_id)
                doc = self.db.documents.get(doc_id)
                if stored and doc is not None:
                    p = Prepared.from_store(doc, stored)
                    with self.db.lock:
                        # Its writer may have died before the upsert; on a shared store no restart of it re-adds them.
                        self.vectors.upsert([c.id for c in p.claims], [p.id] * len(p.claims), p.vecs)
                        if p.source_group == p.id:
                            self._assign_group(p)
                    self._verify_new([p])
                self.db.documents.clear_pending([doc_id])
        finally:
            self._release(mine)
        return len(mine)
