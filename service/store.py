"""The record store: SQLite holds documents, claims (with their vectors), evidence, verdicts and history.

It is the source of truth: Chroma can be rebuilt from the vectors kept here, and a restart loses nothing.
One connection per thread; every write is one transaction.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from service.errors import StoreError
from service.models import Attribution, Claim, EvidenceOut, Quantity, VerdictChange

_SCHEMA = """
PRAGMA journal_mode=WAL;
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    title TEXT, source TEXT, url TEXT, published_at TEXT,
    language TEXT NOT NULL, languages TEXT NOT NULL,
    sections TEXT NOT NULL,
    source_group TEXT NOT NULL,
    backend TEXT NOT NULL DEFAULT 'offline',
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL, quote TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    language TEXT NOT NULL, checkworthy INTEGER NOT NULL,
    attribution TEXT, quantities TEXT NOT NULL, entities TEXT NOT NULL,
    negated INTEGER NOT NULL, denies_idx INTEGER, section INTEGER NOT NULL DEFAULT 0,
    qvec BLOB NOT NULL, pvec BLOB NOT NULL,
    verdict TEXT NOT NULL DEFAULT 'unverified', confidence REAL NOT NULL DEFAULT 0,
    backend TEXT NOT NULL DEFAULT 'offline',
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_document ON claims(document_id, idx);
CREATE INDEX IF NOT EXISTS claims_verdict ON claims(verdict, seq);
CREATE TABLE IF NOT EXISTS evidence (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    document_id TEXT NOT NULL, evidence_claim_id TEXT,
    quote TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    stance TEXT NOT NULL, score REAL NOT NULL, same_source INTEGER NOT NULL,
    rationale TEXT NOT NULL, backend TEXT NOT NULL, kind TEXT NOT NULL, basis TEXT NOT NULL DEFAULT 'model',
    PRIMARY KEY (claim_id, position)
);
CREATE INDEX IF NOT EXISTS evidence_document ON evidence(document_id);
CREATE TABLE IF NOT EXISTS verdict_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    verdict TEXT NOT NULL, confidence REAL NOT NULL,
    cause_document_id TEXT, reason TEXT NOT NULL, at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS history_claim ON verdict_history(claim_id, seq);
CREATE TABLE IF NOT EXISTS claim_keys (
    key TEXT NOT NULL,
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS claim_keys_key ON claim_keys(key);
CREATE INDEX IF NOT EXISTS claim_keys_claim ON claim_keys(claim_id);
CREATE TABLE IF NOT EXISTS pending_documents (
    id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    at REAL NOT NULL
);
"""


def _now() -> float:
    return time.time()


def to_datetime(ts: float) -> datetime:
    """A stored timestamp as an aware UTC datetime."""
    return datetime.fromtimestamp(ts, UTC)


class RecordStore:
    """SQLite record store; safe to share between threads (one connection each)."""

    def __init__(self, path: Path | str) -> None:
        self._path = str(path)
        if self._path != ":memory:":
            Path(self._path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connection().executescript(_SCHEMA)  # executescript manages its own transaction
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """Columns added after a store was first created (CREATE TABLE IF NOT EXISTS leaves old tables as they are)."""
        db = self._connection()
        columns = {r[1] for r in db.execute("PRAGMA table_info(evidence)")}
        if "basis" not in columns:  # stores made before evidence recorded what decided it
            db.execute("ALTER TABLE evidence ADD COLUMN basis TEXT NOT NULL DEFAULT 'model'")

    def _connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                db = sqlite3.connect(self._path, timeout=30, isolation_level=None, check_same_thread=False)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open the record store: {exc}") from exc
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: writers queue instead of failing)."""
        db = self._connection()
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"record store unavailable: {exc}") from exc
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        else:
            db.execute("COMMIT")

    def read(self) -> sqlite3.Connection:
        """A connection for reads (autocommit; WAL gives readers a consistent snapshot per statement)."""
        return self._connection()

    def ping(self) -> None:
        """Raise StoreError when the store cannot answer."""
        try:
            self.read().execute("SELECT 1").fetchone()
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from exc

    # Documents -------------------------------------------------------------------------------------------

    def insert_document(self, db: sqlite3.Connection, doc: dict) -> None:
        db.execute(
            "INSERT INTO documents (id, text, title, source, url, published_at, language, languages, sections,"
            " source_group, backend, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc["id"], doc["text"], doc.get("title"), doc.get("source"), doc.get("url"), doc.get("published_at"),
             doc["language"], json.dumps(doc["languages"]), json.dumps(doc["sections"]), doc["source_group"],
             doc.get("backend", "offline"), doc.get("created_at", _now())),
        )

    def document(self, document_id: str) -> sqlite3.Row | None:
        return self.read().execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()

    def documents(self, ids: list[str]) -> dict[str, sqlite3.Row]:
        if not ids:
            return {}
        rows = self.read().execute(
            f"SELECT * FROM documents WHERE id IN ({','.join('?' * len(ids))})", ids
        ).fetchall()
        return {r["id"]: r for r in rows}

    def list_documents(self, limit: int, after_seq: int | None) -> list[sqlite3.Row]:
        return self.read().execute(
            "SELECT d.seq, d.id, d.title, d.source, d.url, d.language, d.source_group, d.created_at,"
            " (SELECT COUNT(*) FROM claims c WHERE c.document_id = d.id) AS claim_count"
            " FROM documents d WHERE d.seq > ? ORDER BY d.seq LIMIT ?",
            (after_seq or 0, limit),
        ).fetchall()

    def verdict_counts(self, document_ids: list[str]) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {d: {} for d in document_ids}
        if not document_ids:
            return out
        for row in self.read().execute(
            f"SELECT document_id, verdict, COUNT(*) AS n FROM claims WHERE document_id IN"
            f" ({','.join('?' * len(document_ids))}) GROUP BY document_id, verdict",
            document_ids,
        ):
            out[row["document_id"]][row["verdict"]] = row["n"]
        return out

    def document_count(self) -> int:
        return self.read().execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def set_source_group(self, db: sqlite3.Connection, document_ids: list[str], group: str) -> None:
        db.executemany("UPDATE documents SET source_group = ? WHERE id = ?", [(group, d) for d in document_ids])

    def group_members(self, group: str) -> list[str]:
        return [r[0] for r in self.read().execute("SELECT id FROM documents WHERE source_group = ?", (group,))]

    def delete_document(self, db: sqlite3.Connection, document_id: str) -> None:
        db.execute("DELETE FROM documents WHERE id = ?", (document_id,))

    # Documents stored but not yet fully verified: a crash leaves them here for repair() ----------------

    def mark_pending(self, db: sqlite3.Connection, document_id: str) -> None:
        db.execute("INSERT OR REPLACE INTO pending_documents (id, at) VALUES (?, ?)", (document_id, _now()))

    def clear_pending(self, document_ids: list[str]) -> None:
        if document_ids:
            with self.transaction() as db:
                db.executemany("DELETE FROM pending_documents WHERE id = ?", [(d,) for d in document_ids])

    def pending_documents(self) -> list[str]:
        return [r[0] for r in self.read().execute("SELECT id FROM pending_documents ORDER BY at")]

    # Claims ----------------------------------------------------------------------------------------------

    def insert_claims(self, db: sqlite3.Connection, claims: list[Claim], sections: list[int],
                      qvecs: np.ndarray, pvecs: np.ndarray, keys: list[list[str]]) -> None:
        now = _now()
        db.executemany(
            "INSERT INTO claims (id, document_id, idx, text, quote, start, \"end\", language, checkworthy,"
            " attribution, quantities, entities, negated, denies_idx, section, qvec, pvec, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (c.id, c.document_id, c.index, c.text, c.quote, c.start, c.end, c.language, int(c.checkworthy),
                 c.attribution.model_dump_json() if c.attribution else None,
                 json.dumps([q.model_dump() for q in c.quantities]), json.dumps(c.entities), int(c.negated),
                 c.denies_claim_index, section, q.astype(np.float32).tobytes(), p.astype(np.float32).tobytes(), now)
                for c, section, q, p in zip(claims, sections, qvecs, pvecs)
            ],
        )
        db.executemany(
            "INSERT INTO claim_keys (key, claim_id, document_id) VALUES (?,?,?)",
            [(k, c.id, c.document_id) for c, ks in zip(claims, keys) for k in ks],
        )

    @staticmethod
    def row_to_claim(row: sqlite3.Row) -> Claim:
        return Claim(
            id=row["id"], document_id=row["document_id"], index=row["idx"], text=row["text"], quote=row["quote"],
            start=row["start"], end=row["end"], language=row["language"], checkworthy=bool(row["checkworthy"]),
            attribution=Attribution.model_validate_json(row["attribution"]) if row["attribution"] else None,
            quantities=[Quantity(**q) for q in json.loads(row["quantities"])],
            entities=json.loads(row["entities"]), negated=bool(row["negated"]), denies_claim_index=row["denies_idx"],
        )

    def claims_of(self, document_id: str) -> list[sqlite3.Row]:
        return self.read().execute(
            "SELECT * FROM claims WHERE document_id = ? ORDER BY idx", (document_id,)
        ).fetchall()

    def claims_by_id(self, ids: list[str]) -> dict[str, sqlite3.Row]:
        out: dict[str, sqlite3.Row] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            for row in self.read().execute(
                f"SELECT * FROM claims WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ):
                out[row["id"]] = row
        return out

    def claim(self, claim_id: str) -> sqlite3.Row | None:
        return self.read().execute("SELECT * FROM claims WHERE id = ?", (claim_id,)).fetchone()

    def claim_count(self) -> int:
        return self.read().execute("SELECT COUNT(*) FROM claims").fetchone()[0]

    def all_claim_vectors(self, batch: int = 5000) -> Iterator[tuple[list[str], list[str], np.ndarray]]:
        """(claim ids, document ids, query vectors) in batches, to rebuild the vector store."""
        last = 0
        while True:
            rows = self.read().execute(
                "SELECT seq, id, document_id, qvec FROM claims WHERE seq > ? ORDER BY seq LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            last = rows[-1]["seq"]
            yield ([r["id"] for r in rows], [r["document_id"] for r in rows],
                   np.vstack([np.frombuffer(r["qvec"], dtype=np.float32) for r in rows]))

    def claim_ids_for_keys(self, keys: list[str], exclude_document: str | None, limit: int,
                           per_key: int = 500) -> list[tuple[str, int]]:
        """Claims sharing the most keys (names, figures) with a claim: (claim id, shared key count).

        Each key contributes its `per_key` most recent claims: a key as common as "a figure in billions of
        dollars" would otherwise make every lookup scan a share of the whole corpus (the growth benchmark).
        """
        if not keys:
            return []
        postings = " UNION ALL ".join(
            "SELECT * FROM (SELECT claim_id FROM claim_keys WHERE key = ? AND document_id != ?"
            " ORDER BY rowid DESC LIMIT ?)" for _ in keys
        )
        args: list = []
        for key in keys:
            args += [key, exclude_document or "", per_key]
        rows = self.read().execute(
            f"SELECT claim_id, COUNT(*) AS n FROM ({postings}) GROUP BY claim_id ORDER BY n DESC, claim_id LIMIT ?",
            [*args, limit],
        ).fetchall()
        return [(r["claim_id"], r["n"]) for r in rows]

    def key_frequency(self, key: str) -> int:
        return self.read().execute("SELECT COUNT(*) FROM claim_keys WHERE key = ?", (key,)).fetchone()[0]

    def list_claims(self, verdict: str | None, document_id: str | None, q: str | None, checkworthy: bool | None,
                    limit: int, after_seq: int | None, reviewed: bool | None = None) -> list[sqlite3.Row]:
        where, args = ["seq > ?"], [after_seq or 0]
        if reviewed is not None:  # the reviews table belongs to service/reviews.py (created with the API)
            where.append(f"{'' if reviewed else 'NOT '}EXISTS (SELECT 1 FROM reviews r WHERE r.claim_id = claims.id)")
        if verdict:
            where.append("verdict = ?")
            args.append(verdict)
        if document_id:
            where.append("document_id = ?")
            args.append(document_id)
        if checkworthy is not None:
            where.append("checkworthy = ?")
            args.append(int(checkworthy))
        if q:
            where.append("(text LIKE ? ESCAPE '\\' OR quote LIKE ? ESCAPE '\\')")
            pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            args += [pattern, pattern]
        return self.read().execute(
            f"SELECT * FROM claims WHERE {' AND '.join(where)} ORDER BY seq LIMIT ?", [*args, limit]
        ).fetchall()

    # Evidence and verdicts -------------------------------------------------------------------------------

    def save_verdict(self, db: sqlite3.Connection, claim_id: str, verdict: str, confidence: float,
                     evidence: list[EvidenceOut], backend: str, cause_document_id: str | None, reason: str) -> bool:
        """Replace a claim's evidence and verdict; record a history entry when the verdict changed."""
        previous = db.execute("SELECT verdict, confidence FROM claims WHERE id = ?", (claim_id,)).fetchone()
        db.execute("DELETE FROM evidence WHERE claim_id = ?", (claim_id,))
        db.executemany(
            "INSERT INTO evidence (claim_id, position, document_id, evidence_claim_id, quote, start, \"end\","
            " stance, score, same_source, rationale, backend, kind, basis) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(claim_id, i, e.document_id, e.claim_id, e.quote, e.start, e.end, e.stance, e.score,
              int(e.same_source), e.rationale, e.backend, e.kind, e.basis) for i, e in enumerate(evidence)],
        )
        now = _now()
        db.execute("UPDATE claims SET verdict = ?, confidence = ?, backend = ?, updated_at = ? WHERE id = ?",
                   (verdict, confidence, backend, now, claim_id))
        has_history = db.execute("SELECT 1 FROM verdict_history WHERE claim_id = ? LIMIT 1", (claim_id,)).fetchone()
        changed = not has_history or previous is None or previous["verdict"] != verdict
        if changed:
            db.execute(
                "INSERT INTO verdict_history (claim_id, verdict, confidence, cause_document_id, reason, at)"
                " VALUES (?,?,?,?,?,?)",
                (claim_id, verdict, confidence, cause_document_id, reason, now),
            )
        return changed

    def evidence_of(self, claim_ids: list[str]) -> dict[str, list[EvidenceOut]]:
        out: dict[str, list[EvidenceOut]] = {c: [] for c in claim_ids}
        for i in range(0, len(claim_ids), 500):
            chunk = claim_ids[i : i + 500]
            for r in self.read().execute(
                f"SELECT * FROM evidence WHERE claim_id IN ({','.join('?' * len(chunk))}) ORDER BY claim_id, position",
                chunk,
            ):
                out[r["claim_id"]].append(EvidenceOut(
                    document_id=r["document_id"], claim_id=r["evidence_claim_id"], quote=r["quote"],
                    start=r["start"], end=r["end"], stance=r["stance"], score=r["score"],
                    same_source=bool(r["same_source"]), rationale=r["rationale"], backend=r["backend"], kind=r["kind"],
                    basis=r["basis"],
                ))
        return out

    def denials_in_documents(self, document_ids: list[str]) -> list[tuple[str, str | None]]:
        """(id of a claim, attribution JSON of the claim of its own document that denies it), for `document_ids`."""
        out: list[tuple[str, str | None]] = []
        for i in range(0, len(document_ids), 500):
            chunk = document_ids[i : i + 500]
            out += [(r[0], r[1]) for r in self.read().execute(
                "SELECT d.id, c.attribution FROM claims c JOIN claims d"
                " ON d.document_id = c.document_id AND d.idx = c.denies_idx"
                f" WHERE c.denies_idx IS NOT NULL AND c.document_id IN ({','.join('?' * len(chunk))})"
                " ORDER BY c.document_id, c.idx", chunk)]
        return out

    def claims_citing_document(self, document_id: str) -> list[str]:
        return [r[0] for r in self.read().execute(
            "SELECT DISTINCT claim_id FROM evidence WHERE document_id = ?", (document_id,))]

    def history(self, claim_id: str) -> list[VerdictChange]:
        return [
            VerdictChange(verdict=r["verdict"], confidence=r["confidence"], cause_document_id=r["cause_document_id"],
                          reason=r["reason"], at=to_datetime(r["at"]))
            for r in self.read().execute(
                "SELECT * FROM verdict_history WHERE claim_id = ? ORDER BY seq", (claim_id,))
        ]
