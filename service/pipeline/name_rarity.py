"""How specific a shared name is: a name much of the corpus mentions (the topic) says less than a rare one."""

from __future__ import annotations

import threading

from service.db.claims import ClaimRepository
from service.db.documents import DocumentRepository


class NameRarity:
    """Weight of a shared name: 1.0 when few claims mention it, 0.5 when much of the corpus does (the topic)."""

    def __init__(self, claims: ClaimRepository, documents: DocumentRepository) -> None:
        self._claims = claims
        self._documents = documents
        self._cache: dict[str, float] = {}
        self._total: int | None = None
        self._version: tuple | None = None
        self._lock = threading.Lock()  # /v1/check reads weights while an ingest clears them
        self._generation = 0  # bumped by clear(): a weight computed before a clear is not cached after it

    def sync(self) -> None:
        """Forget the weights if the corpus changed since they were computed, in this process or another
        (uvicorn workers share one record store; each keeps its own cache)."""
        version = self._documents.version()
        if version != self._version:
            self.clear()
            self._version = version

    def __call__(self, key: str) -> float:
        with self._lock:
            cached = self._cache.get(key)
            total = self._total
            generation = self._generation
        if cached is not None:
            return cached
        if total is None:
            total = max(self._claims.count(), 1)
        frequency = self._claims.key_frequency(f"e:{key}")
        weight = 1.0 if frequency <= max(3, 0.08 * total) else 0.5
        with self._lock:
            if generation == self._generation:
                self._total = total
                self._cache[key] = weight
        return weight

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._total = None
            self._generation += 1
