"""Claims with their vectors, and the lexical keys (names, figures) hybrid search looks them up by."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import numpy as np
from sqlalchemy import Connection, and_, exists, func, insert, select, true, union, union_all

from service.db.records import StoredClaim, decode_vector
from service.db.schema import claim_keys, claims, documents, evidence, pending_documents, reviews, verdict_history
from service.db.session import Session, chunks
from service.models import Claim


#: A sorted listing's cursor is its last claim's sort value (in thousandths for scores) * CURSOR_SEQ_SPAN + seq:
#: one decimal number, like stored order's. The next page compares with that claim's stored value when it still
#: exists (exact), with the cursor's rounded one when it was deleted meanwhile.
CURSOR_SEQ_SPAN = 10**12
_SORT_COLUMNS = {"strength": claims.c.strength, "confidence": claims.c.confidence,
                 "sources": claims.c.independent_sources}
_SORT_SCALE = {"strength": 1000, "confidence": 1000, "sources": 1}


def _sort_field(sort: str) -> tuple[str | None, bool]:
    """("strength", True) for "-strength"; (None, False) for stored order."""
    field = sort.lstrip("-")
    if field == "stored":
        return None, False
    if field not in _SORT_COLUMNS:
        raise ValueError(f"unknown sort {sort!r}")
    return field, sort.startswith("-")


def page_cursor(sort: str, last: StoredClaim) -> int:
    """The cursor that continues a listing in `sort` order after `last`."""
    field, _ = _sort_field(sort)
    if field is None:
        return last.seq
    value = {"strength": last.strength, "confidence": last.confidence, "sources": last.independent_sources}[field]
    return int(round(value * _SORT_SCALE[field])) * CURSOR_SEQ_SPAN + last.seq


class ClaimRepository:
    """Reads and writes the `claims` and `claim_keys` tables."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def insert(self, tx: Connection, items: list[Claim], sections: list[int], vecs: np.ndarray,
               keys: list[list[str]]) -> None:
        """Store a document's claims with their section, vectors and search keys."""
        if not items:
            return
        now = time.time()
        tx.execute(insert(claims), [
            {"id": c.id, "document_id": c.document_id, "idx": c.index, "text": c.text, "quote": c.quote,
             "start": c.start, "end": c.end, "language": c.language, "checkworthy": int(c.checkworthy),
             "attribution": c.attribution.model_dump_json() if c.attribution else None,
             "quantities": json.dumps([q.model_dump() for q in c.quantities]), "entities": json.dumps(c.entities),
             "negated": int(c.negated), "denies_idx": c.denies_claim_index,
             "self_contained": int(c.self_contained), "section": section,
             "qvec": v.astype(np.float32).tobytes(), "updated_at": now, "extracted_by": c.backend}
            for c, section, v in zip(items, sections, vecs)
        ])
        postings = [{"key": k, "claim_id": c.id, "document_id": c.document_id} for c, ks in zip(items, keys) for k in ks]
        if postings:
            tx.execute(insert(claim_keys), postings)

    def of_document(self, document_id: str) -> list[StoredClaim]:
        rows = self._session.all(select(claims).where(claims.c.document_id == document_id).order_by(claims.c.idx))
        return [StoredClaim.from_row(r) for r in rows]

    def by_id(self, ids: list[str]) -> dict[str, StoredClaim]:
        out: dict[str, StoredClaim] = {}
        for part in chunks(ids):
            for row in self._session.all(select(claims).where(claims.c.id.in_(part))):
                out[row.id] = StoredClaim.from_row(row)
        return out

    def get(self, claim_id: str) -> StoredClaim | None:
        row = self._session.one(select(claims).where(claims.c.id == claim_id))
        return StoredClaim.from_row(row) if row else None

    def count(self) -> int:
        return self._session.scalar(select(func.count()).select_from(claims))

    def vectors(self, batch: int = 5000) -> Iterator[tuple[list[str], list[str], np.ndarray]]:
        """(claim ids, document ids, query vectors) in batches, to rebuild the vector store."""
        last = 0
        while True:
            rows = self._session.all(select(claims.c.seq, claims.c.id, claims.c.document_id, claims.c.qvec)
                                     .where(claims.c.seq > last).order_by(claims.c.seq).limit(batch))
            if not rows:
                return
            last = rows[-1].seq
            yield [r.id for r in rows], [r.document_id for r in rows], np.vstack([decode_vector(r.qvec) for r in rows])

    def ids_for_keys(self, keys: list[str], exclude_document: str | None, limit: int,
                     per_key: int = 500) -> list[tuple[str, int]]:
        """Claims sharing the most keys (names, figures) with a claim: (claim id, shared key count).

        Each key contributes its `per_key` most recent claims: a key as common as "a figure in billions of
        dollars" would otherwise make every lookup scan a share of the whole corpus (the growth benchmark).
        """
        if not keys:
            return []
        postings = union_all(*[
            select(claim_keys.c.claim_id)
            .where(claim_keys.c.key == key, claim_keys.c.document_id != (exclude_document or ""))
            .order_by(claim_keys.c.id.desc()).limit(per_key).subquery().select()
            for key in keys
        ]).subquery()
        n = func.count().label("n")
        rows = self._session.all(select(postings.c.claim_id, n).group_by(postings.c.claim_id)
                                 .order_by(n.desc(), postings.c.claim_id).limit(limit))
        return [(r.claim_id, r.n) for r in rows]

    def key_frequency(self, key: str) -> int:
        return self._session.scalar(select(func.count()).select_from(claim_keys).where(claim_keys.c.key == key))

    def page(self, *, verdict: str | None, document_id: str | None, q: str | None, checkworthy: bool | None,
             limit: int, after_seq: int | None, reviewed: bool | None = None, basis: str | None = None,
             min_sources: int | None = None, max_sources: int | None = None, sort: str = "stored") -> list[StoredClaim]:
        """Claims filtered, in stored order or by how their verdict was reached; `q` matches text or quote,
        case-insensitively; `after_seq` is the cursor `page_cursor` gave for the previous page's last claim."""
        where = []
        if reviewed is not None:
            has_review = exists().where(reviews.c.claim_id == claims.c.id)
            where.append(has_review if reviewed else ~has_review)
        if verdict:
            where.append(claims.c.verdict == verdict)
        if document_id:
            where.append(claims.c.document_id == document_id)
        if checkworthy is not None:
            where.append(claims.c.checkworthy == int(checkworthy))
        if basis:
            where.append(claims.c.basis.is_(None) if basis == "none" else claims.c.basis == basis)
        if min_sources is not None:
            where.append(claims.c.independent_sources >= min_sources)
        if max_sources is not None:
            where.append(claims.c.independent_sources <= max_sources)
        if q:
            pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append(claims.c.text.ilike(pattern, escape="\\") | claims.c.quote.ilike(pattern, escape="\\"))
        field, descending = _sort_field(sort)
        if field is None:
            where.append(claims.c.seq > (after_seq or 0))
            order = [claims.c.seq]
        else:
            key = _SORT_COLUMNS[field]
            if after_seq is not None:
                rounded, last_seq = divmod(after_seq, CURSOR_SEQ_SPAN)
                last = self._session.scalar(select(key).where(claims.c.seq == last_seq))
                if last is None:
                    last = rounded / _SORT_SCALE[field] if _SORT_SCALE[field] != 1 else rounded
                beyond = key < last if descending else key > last
                where.append(beyond | and_(key == last, claims.c.seq > last_seq))
            order = [key.desc() if descending else key, claims.c.seq]
        rows = self._session.all(select(claims).where(and_(true(), *where)).order_by(*order).limit(limit))
        return [StoredClaim.from_row(r) for r in rows]

    def denials_in_documents(self, document_ids: list[str]) -> list[tuple[str, str | None]]:
        """(id of a claim, attribution JSON of the claim of its own document that denies it), for `document_ids`."""
        denier, denied = claims.alias("denier"), claims.alias("denied")
        out: list[tuple[str, str | None]] = []
        for part in chunks(document_ids):
            out += [(r[0], r[1]) for r in self._session.all(
                select(denied.c.id, denier.c.attribution)
                .join(denied, and_(denied.c.document_id == denier.c.document_id, denied.c.idx == denier.c.denies_idx))
                .where(denier.c.denies_idx.is_not(None), denier.c.document_id.in_(part))
                .order_by(denier.c.document_id, denier.c.idx))]
        return out

    def citing_document(self, document_id: str) -> list[str]:
        """Claims whose evidence quotes `document_id`."""
        return list(self._session.scalars(select(evidence.c.claim_id).distinct()
                                          .where(evidence.c.document_id == document_id)))

    def judged_by(self, backend: str, limit: int) -> list[str]:
        """Claims whose verdict came from `backend` (e.g. the offline fallback of an LLM outage), oldest first."""
        return list(self._session.scalars(select(claims.c.id).where(claims.c.backend == backend)
                                          .order_by(claims.c.seq).limit(limit)))

    def count_judged_by(self, backend: str, ids: list[str]) -> int:
        return self._session.scalar(select(func.count()).select_from(claims)
                                    .where(claims.c.backend == backend, claims.c.id.in_(ids)))

    def needing_verification(self) -> list[str]:
        """Claims a crash left without a verdict, or whose evidence quotes a document that no longer exists.

        Not the claims of pending documents: a live ingest is verifying them (the dead ones' are resumed first)."""
        never = select(claims.c.id).where(~exists().where(verdict_history.c.claim_id == claims.c.id),
                                          ~exists().where(pending_documents.c.id == claims.c.document_id))
        dangling = (select(evidence.c.claim_id).distinct()
                    .where(~exists().where(documents.c.id == evidence.c.document_id)))
        return list(self._session.scalars(union(never, dangling)))

