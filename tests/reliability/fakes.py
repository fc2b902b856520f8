"""A fast deterministic embedder for tests about storage and recovery, where embedding quality is beside the point."""

from __future__ import annotations

import hashlib
import re

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """Bag of words hashed into 384 dimensions (stable across processes), L2-normalised; the same for query and
    passage, so identical texts score 1.0 and texts sharing words score high."""

    name = "test/hashing-384"
    dimension = 384

    def _one(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dimension, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            vec[int.from_bytes(digest, "little") % self.dimension] += 1.0
        vec[0] += 0.1  # never the zero vector
        return vec / np.linalg.norm(vec)

    def query(self, texts: list[str]) -> np.ndarray:
        return np.array([self._one(t) for t in texts], dtype=np.float32).reshape(len(texts), self.dimension)

    def passage(self, texts: list[str]) -> np.ndarray:
        return self.query(texts)
