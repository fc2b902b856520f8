"""Editor reviews: an append-only audit trail beside the machine verdict, in the record store's SQLite file.

Rows are never updated or deleted (triggers refuse it); a later review supersedes an earlier one only in
the sense that `latest` reads the newest. Reviews outlive their claim: if a document is deleted and posted
again, its claims get the same ids back and their reviews reattach.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from service.events import EventLog, connect, now_iso
from service.models import ClaimReport, ReviewIn, ReviewOut

SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    claim_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    verdict TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    machine_verdict TEXT NOT NULL,
    machine_confidence REAL NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reviews_by_claim ON reviews (claim_id, id);
CREATE TRIGGER IF NOT EXISTS reviews_no_update BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
CREATE TRIGGER IF NOT EXISTS reviews_no_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
"""


def _row(r: sqlite3.Row) -> ReviewOut:
    return ReviewOut(
        id=r["id"], claim_id=r["claim_id"], document_id=r["document_id"], verdict=r["verdict"],
        reviewer=r["reviewer"], note=r["note"], machine_verdict=r["machine_verdict"],
        machine_confidence=r["machine_confidence"], agrees=r["verdict"] == r["machine_verdict"],
        created_at=r["created_at"],
    )


class ReviewStore:
    """Record and read reviews; each new review also enters the event log, in the same transaction."""

    def __init__(self, sqlite_path: Path) -> None:
        self.path = sqlite_path
        EventLog(sqlite_path)  # make sure the events table exists before we write into it
        with connect(self.path) as conn:
            conn.executescript(SCHEMA)

    def add(self, claim: ClaimReport, review: ReviewIn) -> ReviewOut:
        """Append a review of `claim` (its current machine verdict is kept beside the editor's)."""
        created = now_iso()
        with connect(self.path) as conn:
            cur = conn.execute(
                "INSERT INTO reviews (claim_id, document_id, verdict, reviewer, note, machine_verdict,"
                " machine_confidence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (claim.id, claim.document_id, review.verdict, review.reviewer, review.note,
                 claim.verdict, claim.confidence, created),
            )
            row = conn.execute("SELECT * FROM reviews WHERE id = ?", (cur.lastrowid,)).fetchone()
            out = _row(row)
            EventLog.append_in(conn, "review_added", {
                "claim_id": out.claim_id, "document_id": out.document_id, "review_id": out.id,
                "verdict": out.verdict, "machine_verdict": out.machine_verdict, "reviewer": out.reviewer,
                "at": created,
            })
        return out

    def for_claim(self, claim_id: str) -> list[ReviewOut]:
        """All reviews of a claim, oldest first."""
        with connect(self.path) as conn:
            rows = conn.execute("SELECT * FROM reviews WHERE claim_id = ? ORDER BY id", (claim_id,)).fetchall()
        return [_row(r) for r in rows]

    def latest(self, claim_ids: Iterable[str]) -> dict[str, ReviewOut]:
        """The newest review of each claim that has one."""
        ids = list(dict.fromkeys(claim_ids))
        found: dict[str, ReviewOut] = {}
        with connect(self.path) as conn:
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                rows = conn.execute(
                    f"SELECT r.* FROM reviews r JOIN (SELECT claim_id, MAX(id) AS id FROM reviews"
                    f" WHERE claim_id IN ({','.join('?' * len(chunk))}) GROUP BY claim_id) m ON r.id = m.id",
                    chunk,
                ).fetchall()
                found.update((r["claim_id"], _row(r)) for r in rows)
        return found

    def reviewed_claim_ids(self) -> set[str]:
        """Ids of every claim with at least one review."""
        with connect(self.path) as conn:
            return {r[0] for r in conn.execute("SELECT DISTINCT claim_id FROM reviews")}

    def attach(self, claims: Iterable[ClaimReport], *, full: bool = False) -> None:
        """Fill `review` (and with `full`, `reviews`) on claim reports, in place."""
        claims = list(claims)
        latest = self.latest(c.id for c in claims)
        for c in claims:
            c.review = latest.get(c.id)
            if full:
                c.reviews = self.for_claim(c.id)
