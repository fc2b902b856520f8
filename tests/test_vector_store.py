"""The embedded vector store: excluding a document's own claims without a filtered search."""

from __future__ import annotations

import numpy as np

from retrieval.vector_store import EXCLUDE_MARGIN, ChromaVectorStore


def test_exclusion_holds_when_the_excluded_document_fills_the_margin(tmp_path):
    rng = np.random.default_rng(0)
    base = rng.normal(size=384).astype(np.float32)
    near = base + 0.01 * rng.normal(size=(EXCLUDE_MARGIN + 10, 384)).astype(np.float32)  # all nearer than d2's
    far = base + 0.5 * rng.normal(size=(3, 384)).astype(np.float32)
    vectors = np.vstack([near, far])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store = ChromaVectorStore(path=str(tmp_path / "chroma"), collection="exclusion")
    ids = [f"n{i}" for i in range(len(near))] + ["f0", "f1", "f2"]
    store.upsert(ids, ["d1"] * len(near) + ["d2"] * 3, vectors)
    query = (base / np.linalg.norm(base))[None, :]
    (hits,) = store.query(query, k=3, exclude_document="d1")
    assert sorted(h.claim_id for h in hits) == ["f0", "f1", "f2"]
    (top,) = store.query(query, k=3)
    assert all(h.document_id == "d1" for h in top)
    (few,) = store.query(query, k=3, exclude_document="d2")
    assert len(few) == 3 and all(h.document_id == "d1" for h in few)
