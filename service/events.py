"""Event log: a persistent, monotonically numbered table of verdict changes and reviews, streamed as SSE.

The log lives in the record store's SQLite file, so every worker process sees the same numbering and a
client's `since` cursor stays valid across restarts. Ids come from AUTOINCREMENT and SQLite has a single
writer, so ids become visible in commit order: a reader never sees id N+1 before id N.
Machine verdict changes enter the log through a trigger on `verdict_history`, in the same transaction as the
history row, so no change can be recorded without its event.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

EVENT_TYPES = ("verdict_changed", "review_added")

# Set when the process begins a graceful shutdown: open streams end so the server can drain its connections
# (a stream never ends on its own; clients reconnect with their cursor).
_STOPPING = threading.Event()

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    claim_id TEXT,
    document_id TEXT,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""

# Installed once the record store's verdict_history table exists (service/store.py creates it; `at` is epoch seconds).
VERDICT_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS verdict_history_to_events AFTER INSERT ON verdict_history
BEGIN
    INSERT INTO events (type, claim_id, document_id, payload, created_at)
    VALUES (
        'verdict_changed',
        NEW.claim_id,
        (SELECT document_id FROM claims WHERE id = NEW.claim_id),
        json_object(
            'claim_id', NEW.claim_id,
            'document_id', (SELECT document_id FROM claims WHERE id = NEW.claim_id),
            'verdict', NEW.verdict,
            'confidence', NEW.confidence,
            'cause_document_id', NEW.cause_document_id,
            'reason', NEW.reason,
            'at', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.at, 'unixepoch')
        ),
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    );
END;
"""


def now_iso() -> str:
    """Current UTC time as ISO 8601 with microseconds."""
    return datetime.now(UTC).isoformat()


def connect(path: Path) -> sqlite3.Connection:
    """A short-lived connection to the record store file (safe across threads and worker processes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30.0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


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


class EventLog:
    """Append to and read from the `events` table."""

    def __init__(self, sqlite_path: Path) -> None:
        self.path = sqlite_path
        with self._conn() as conn:
            conn.executescript(SCHEMA)
        self.install_verdict_trigger()

    def _conn(self) -> sqlite3.Connection:
        return connect(self.path)

    def install_verdict_trigger(self) -> bool:
        """Link verdict_history inserts to the log; False when the record store has no such table yet."""
        with self._conn() as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"verdict_history", "claims"} <= tables:
                return False
            conn.executescript(VERDICT_TRIGGER)
        return True

    @staticmethod
    def append_in(conn: sqlite3.Connection, type_: str, payload: dict[str, Any]) -> int:
        """Append inside the caller's transaction (so an event commits with the row it reports)."""
        cur = conn.execute(
            "INSERT INTO events (type, claim_id, document_id, payload, created_at) VALUES (?, ?, ?, ?, ?)",
            (type_, payload.get("claim_id"), payload.get("document_id"),
             json.dumps(payload, ensure_ascii=False), now_iso()),
        )
        return int(cur.lastrowid)

    def append(self, type_: str, payload: dict[str, Any]) -> int:
        """Append one event in its own transaction; returns its id."""
        with self._conn() as conn:
            return self.append_in(conn, type_, payload)

    def last_id(self) -> int:
        """Id of the newest event, 0 when the log is empty."""
        with self._conn() as conn:
            row = conn.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()
        return int(row[0])

    def after(self, since: int, limit: int = 500, types: tuple[str, ...] | None = None) -> list[Event]:
        """Events with id > since, oldest first."""
        sql = "SELECT * FROM events WHERE id > ?"
        args: list[Any] = [since]
        if types:
            sql += f" AND type IN ({','.join('?' * len(types))})"
            args.extend(types)
        sql += " ORDER BY id LIMIT ?"
        args.append(limit)
        with self._conn() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [Event(r["id"], r["type"], r["claim_id"], r["document_id"], json.loads(r["payload"]), r["created_at"])
                for r in rows]


class EventTail:
    """One poller per event loop that wakes every waiting stream when the log grows.

    Idle streams cost no queries of their own: the poller reads MAX(id) every `poll_s` while anyone waits,
    and a stream queries the log only when there is something new.
    """

    def __init__(self, log: EventLog, poll_s: float = 0.5) -> None:
        self.log = log
        self.poll_s = poll_s
        self.last: int | None = None  # newest id seen by the poller (never ahead of what is committed)
        self._changed = asyncio.Event()
        self._waiters = 0
        self._task: asyncio.Task | None = None

    async def wait_beyond(self, position: int, timeout: float) -> bool:
        """Wait up to `timeout` for an event newer than `position`; True if there is one."""
        if self.last is not None and self.last > position:
            return True
        self._waiters += 1
        try:
            if self._task is None or self._task.done():
                self._task = asyncio.create_task(self._poll())
            try:
                await asyncio.wait_for(self._changed.wait(), timeout)
            except TimeoutError:
                pass
            return self.last is not None and self.last > position
        finally:
            self._waiters -= 1

    async def _poll(self) -> None:
        while self._waiters > 0:
            last = await asyncio.to_thread(self.log.last_id)
            if last != self.last:
                self.last = last
                changed, self._changed = self._changed, asyncio.Event()
                changed.set()
            await asyncio.sleep(self.poll_s)


async def sse_stream(
    log: EventLog,
    since: int,
    *,
    follow: bool,
    is_disconnected: Callable[[], Awaitable[bool]],
    tail: EventTail | None = None,
    types: tuple[str, ...] | None = None,
    heartbeat_s: float = 15.0,
    wake_s: float = 1.0,
) -> AsyncIterator[str]:
    """Replay events after `since`, then (if `follow`, with a `tail`) send new ones until the client goes away."""
    position = since  # every event up to here has been sent or filtered out
    yield f"retry: 2000\n: cursor {position}\n\n"
    idle = 0.0
    while True:
        # Read before the query: ids become visible in order, so everything up to `known` is in this answer.
        known = tail.last if tail is not None else None
        batch = await asyncio.to_thread(log.after, position, 500, types)
        for event in batch:
            position = event.id
            yield event.to_sse()
        if len(batch) == 500:
            continue  # more backlog: keep replaying
        if known is not None:
            position = max(position, known)  # skip past events the type filter left out
        while True:  # wait without touching the log until the poller sees something newer
            if not follow or tail is None or _STOPPING.is_set() or await is_disconnected():
                return
            if await tail.wait_beyond(position, wake_s):
                idle = 0.0
                break
            idle += wake_s
            if idle >= heartbeat_s:
                idle = 0.0
                yield ": keep-alive\n\n"


def stop_streams() -> None:
    """End every open event stream of this process (called when the server starts shutting down)."""
    _STOPPING.set()


def run_uvicorn(app: Any, **config: Any) -> None:
    """`uvicorn.run`, except that a shutdown signal first ends the event streams so draining is quick."""
    import uvicorn

    class _Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            stop_streams()
            super().handle_exit(sig, frame)

    try:
        _Server(uvicorn.Config(app, **config)).run()
    except KeyboardInterrupt:  # uvicorn re-raises the captured SIGINT once it has shut down, as uvicorn.run does
        pass
