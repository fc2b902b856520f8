"""Hybrid candidate search: the claims of other documents that may bear on a claim.

Dense: the nearest stored claim vectors (multilingual, so a translation is found across languages).
Lexical: stored claims sharing the most search keys (names, and figures by unit and order of magnitude), which
finds a claim about the same figure or person even when its wording sits outside the dense neighbourhood.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from retrieval.vector_store import VectorHit, VectorStore


class KeyIndex(Protocol):
    """Postings of search keys: which stored claims carry a key."""

    def ids_for_keys(self, keys: list[str], exclude_document: str | None, limit: int) -> list[tuple[str, int]]: ...


class HybridSearch:
    """Dense neighbours and lexical key matches, `k` of each per claim, never from the excluded document."""

    def __init__(self, vectors: VectorStore, keys: KeyIndex, k: int) -> None:
        self.vectors = vectors
        self.keys = keys
        self.k = k

    def nearest(self, qvecs: np.ndarray, exclude_document: str | None) -> list[list[VectorHit]]:
        """The `k` nearest stored claims of each query vector."""
        return self.vectors.query(qvecs, self.k, exclude_document=exclude_document)

    def candidate_ids(self, dense: list[VectorHit], keys: list[str], exclude_document: str | None) -> list[str]:
        """Claim ids for one claim: its dense neighbours first, then key matches, each id once."""
        lexical = [cid for cid, _shared in self.keys.ids_for_keys(keys, exclude_document, self.k)]
        return list(dict.fromkeys([h.claim_id for h in dense] + lexical))
