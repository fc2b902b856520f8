"""The event log: a monotonically numbered table of verdict changes and reviews, streamed to clients as SSE.

Rows are appended inside the transaction of the change they report (a verdict's history row, a review), so no
change is recorded without its event. An id is a safe resume cursor only if ids become visible in commit order:
a reader must never see id N+1 before id N, or a stream that moved past N+1 would never send N.

- SQLite has one writer at a time, so this holds by construction.
- On Postgres, ids come from a sequence and concurrent transactions commit in any order. Every append first
  takes a transaction-scoped advisory lock, so the transaction that draws id N commits (or rolls back) before
  any other can draw id N+1. Verdict changes are written under the corpus write lock anyway; the lock orders
  reviews against them and against each other, and costs one round trip per appending transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from service.db.engine import lock_key
from service.db.schema import events
from service.db.session import Session

EVENT_TYPES = ("verdict_changed", "review_added")
EVENTS_KEY = lock_key("event-log-append")


def iso_millis(ts: float | None = None) -> str:
    """UTC time as ISO 8601 with milliseconds and a Z ('2026-11-22T05:00:00.250Z')."""
    moment = datetime.now(UTC) if ts is None else datetime.fromtimestamp(ts, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def now_iso() -> str:
    """Current UTC time as ISO 8601 with microseconds."""
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class Event:
    """One entry of the log."""

    id: int
    type: str
    claim_id: str | None
    document_id: str | None
    payload: dict[str, Any]
    created_at: str

    def to_sse(self) -> str:
        """The event in text/event-stream framing; `id` is the resume cursor."""
        data = json.dumps({"id": self.id, "type": self.type, "created_at": self.created_at, **self.payload},
                          ensure_ascii=False, separators=(",", ":"))
        return f"id: {self.id}\nevent: {self.type}\ndata: {data}\n\n"


class EventRepository:
    """Append to and read from the `events` table."""

    def __init__(self, session: Session) -> None:
        self._session = session

    @staticmethod
    def append_in(tx: Connection, type_: str, payload: dict[str, Any]) -> int:
        """Append inside the caller's transaction (so an event commits with the row it reports); returns its id."""
        if tx.dialect.name == "postgresql":
            # Held until this transaction ends: ids are drawn and committed one transaction at a time.
            tx.execute(select(func.pg_advisory_xact_lock(EVENTS_KEY)))
        result = tx.execute(insert(events).values(
            type=type_, claim_id=payload.get("claim_id"), document_id=payload.get("document_id"),
            payload=json.dumps(payload, ensure_ascii=False), created_at=iso_millis(),
        ))
        return int(result.inserted_primary_key[0])

    @staticmethod
    def append_many_in(tx: Connection, type_: str, payloads: list[dict[str, Any]]) -> None:
        """append_in() for several events of one type, in one statement (ids in list order)."""
        if not payloads:
            return
        if tx.dialect.name == "postgresql":
            tx.execute(select(func.pg_advisory_xact_lock(EVENTS_KEY)))
        created = iso_millis()
        tx.execute(insert(events), [{"type": type_, "claim_id": p.get("claim_id"), "document_id": p.get("document_id"),
                                     "payload": json.dumps(p, ensure_ascii=False), "created_at": created}
                                    for p in payloads])

    def append(self, type_: str, payload: dict[str, Any]) -> int:
        """Append one event in its own transaction; returns its id."""
        with self._session.transaction() as tx:
            return self.append_in(tx, type_, payload)

    def last_id(self) -> int:
        """Id of the newest event, 0 when the log is empty."""
        return int(self._session.scalar(select(func.coalesce(func.max(events.c.id), 0))))

    def after(self, since: int, limit: int = 500, types: tuple[str, ...] | None = None) -> list[Event]:
        """Events with id > since, oldest first."""
        query = select(events).where(events.c.id > since)
        if types:
            query = query.where(events.c.type.in_(types))
        rows = self._session.all(query.order_by(events.c.id).limit(limit))
        return [Event(r.id, r.type, r.claim_id, r.document_id, json.loads(r.payload), r.created_at) for r in rows]
