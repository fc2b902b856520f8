"""Reply cache keyed by (model, prompt name@version, rendered input): an unchanged corpus makes no calls."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path


def cache_key(model: str, prompt_id: str, schema_name: str, messages: list[tuple[str, str]]) -> str:
    """Stable sha256 of everything that determines a reply."""
    blob = json.dumps([model, prompt_id, schema_name, messages], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ReplyCache:
    """SQLite file of validated replies (the parsed JSON) with the token usage of the call that made them."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS llm_replies (key TEXT PRIMARY KEY, prompt TEXT NOT NULL, model TEXT NOT NULL,"
            " reply TEXT NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,"
            " created_at TEXT NOT NULL DEFAULT (datetime('now')))"
        )
        self._db.commit()

    def get(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT reply FROM llm_replies WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, prompt: str, model: str, reply: str, prompt_tokens: int, completion_tokens: int) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO llm_replies (key, prompt, model, reply, prompt_tokens, completion_tokens)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (key, prompt, model, reply, prompt_tokens, completion_tokens),
            )
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM llm_replies").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
