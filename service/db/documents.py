"""Documents, their source groups, the corpus version, and the ingests a crash may have left half-done (pending
documents)."""

from __future__ import annotations

import json
import time

from sqlalchemy import Connection, delete, func, insert, select, update

from service.db.records import DocumentListing, StoredDocument, to_datetime
from service.db.schema import claims, corpus_state, documents, pending_documents
from service.db.session import Session, storable


class DocumentRepository:
    """Reads and writes the `documents`, `pending_documents` and `corpus_state` tables."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def insert(self, tx: Connection, doc: dict) -> None:
        """Store a new document (`doc` holds the column values; languages and sections as Python values)."""
        tx.execute(insert(documents).values(
            id=doc["id"], text=doc["text"], title=storable(doc.get("title")), source=storable(doc.get("source")),
            url=storable(doc.get("url")), published_at=storable(doc.get("published_at")), language=doc["language"],
            languages=json.dumps(doc["languages"]), sections=json.dumps(doc["sections"]),
            source_group=doc["source_group"],
            backend=doc.get("backend", "offline"), created_at=doc.get("created_at", time.time()),
        ))
        self.bump_corpus_version(tx)

    def get(self, document_id: str) -> StoredDocument | None:
        row = self._session.one(select(documents).where(documents.c.id == document_id))
        return StoredDocument.from_row(row) if row else None

    def exists(self, document_id: str) -> bool:
        return self._session.one(select(documents.c.seq).where(documents.c.id == document_id)) is not None

    def get_many(self, ids: list[str]) -> dict[str, StoredDocument]:
        if not ids:
            return {}
        rows = self._session.all(select(documents).where(documents.c.id.in_(ids)))
        return {r.id: StoredDocument.from_row(r) for r in rows}

    def source_groups(self, ids: list[str]) -> dict[str, str]:
        """Document id -> its source group, for `ids` (without reading their texts)."""
        if not ids:
            return {}
        rows = self._session.all(select(documents.c.id, documents.c.source_group).where(documents.c.id.in_(ids)))
        return {r.id: r.source_group for r in rows}

    def page(self, limit: int, after_seq: int | None) -> list[DocumentListing]:
        """Documents in the order they were stored, after `after_seq`."""
        claim_count = (select(func.count()).select_from(claims).where(claims.c.document_id == documents.c.id)
                       .scalar_subquery())
        rows = self._session.all(
            select(documents.c.seq, documents.c.id, documents.c.title, documents.c.source, documents.c.url,
                   documents.c.language, documents.c.languages, documents.c.source_group, documents.c.created_at,
                   claim_count.label("claim_count"))
            .where(documents.c.seq > (after_seq or 0)).order_by(documents.c.seq).limit(limit)
        )
        return [DocumentListing(seq=r.seq, id=r.id, title=r.title, source=r.source, url=r.url, language=r.language,
                                languages=json.loads(r.languages), source_group=r.source_group,
                                created_at=to_datetime(r.created_at), claim_count=r.claim_count) for r in rows]

    def count(self) -> int:
        return self._session.scalar(select(func.count()).select_from(documents))

    def version(self) -> tuple[int, int]:
        """(highest seq, count): changes whenever a document is added or deleted, in any process."""
        row = self._session.one(select(func.coalesce(func.max(documents.c.seq), 0), func.count()).select_from(documents))
        return int(row[0]), int(row[1])

    def set_source_group(self, tx: Connection, document_ids: list[str], group: str, grouping: dict | None = None) -> None:
        """Put documents in a source group, with the evidence that they copy or translate one of its members."""
        tx.execute(update(documents).where(documents.c.id.in_(document_ids))
                   .values(source_group=group, grouping=json.dumps(grouping) if grouping else None))

    def set_llm_usage(self, tx: Connection, document_id: str, usage: str | None) -> None:
        """Record the LLM work (models.LLMUsage as JSON) of the ingest that stored the document."""
        tx.execute(update(documents).where(documents.c.id == document_id).values(llm_usage=usage))

    def group_members(self, group: str) -> list[str]:
        return list(self._session.scalars(select(documents.c.id).where(documents.c.source_group == group)))

    def delete(self, tx: Connection, document_id: str) -> None:
        tx.execute(delete(documents).where(documents.c.id == document_id))
        self.bump_corpus_version(tx)

    # The corpus version: up by one with every stored or deleted document ---------------------------------

    def corpus_version(self) -> int:
        """The version of the corpus now; read it before verifying against the corpus."""
        return int(self._session.scalar(select(corpus_state.c.version).where(corpus_state.c.name == "corpus")) or 0)

    def bump_corpus_version(self, tx: Connection) -> None:
        """In the transaction that stores or deletes a document (under the corpus write lock)."""
        tx.execute(update(corpus_state).where(corpus_state.c.name == "corpus")
                   .values(version=corpus_state.c.version + 1))

    # Documents stored but not yet fully verified: a crash leaves them here for repair ------------------

    def mark_pending(self, tx: Connection, document_id: str, owner: str | None = None) -> None:
        """`owner`: the process verifying it, so that other ingests leave it to that process while it lives."""
        tx.execute(delete(pending_documents).where(pending_documents.c.id == document_id))
        tx.execute(insert(pending_documents).values(id=document_id, at=time.time(), owner=owner))

    def clear_pending(self, document_ids: list[str]) -> None:
        if document_ids:
            with self._session.transaction() as tx:
                tx.execute(delete(pending_documents).where(pending_documents.c.id.in_(document_ids)))

    def pending(self) -> list[str]:
        return list(self._session.scalars(select(pending_documents.c.id).order_by(pending_documents.c.at)))

    def pending_owners(self) -> list[tuple[str, str | None]]:
        """(document id, the process verifying it) of every pending document, oldest first."""
        rows = self._session.all(select(pending_documents.c.id, pending_documents.c.owner)
                                 .order_by(pending_documents.c.at))
        return [(r.id, r.owner) for r in rows]
