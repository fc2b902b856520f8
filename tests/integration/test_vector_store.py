"""The embedded vector store: excluding a document's own claims without a filtered search."""

from __future__ import annotations

import numpy as np

from retrieval.vector_store import EXCLUDE_MARGIN, VECTOR_SPACE, ChromaVectorStore
from service.models import DocumentIn


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


def test_an_index_of_passage_vectors_is_rebuilt_from_the_record_store(tmp_path, embedder):
    """A data directory from before the index held query vectors: its collection is replaced, not mixed."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from tests.support import open_checker

    text = "Meta invested $14.3 billion in Scale AI in June 2025, according to Reuters."
    fc = open_checker(tmp_path, embedder)
    fc.ingest(DocumentIn(text=text))
    claim_ids = sorted(fc.vectors.ids())
    fc.close()
    # Rewrite the collection the way the earlier version left it: passage vectors, no space marker.
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    client.delete_collection("claims")
    old = client.get_or_create_collection("claims", embedding_function=None, metadata={"hnsw:space": "cosine"})
    old.upsert(ids=claim_ids, embeddings=[[1.0] + [0.0] * 383] * len(claim_ids),
               metadatas=[{"document_id": "x"}] * len(claim_ids))
    del client

    fc = open_checker(tmp_path, embedder)
    try:
        stored = fc.vectors._collection.get(ids=claim_ids, include=["embeddings"])
        (query,) = embedder.query([fc.db.claims.get(claim_ids[0]).claim.text])
        by_id = dict(zip(stored["ids"], stored["embeddings"]))
        assert sorted(by_id) == claim_ids
        assert np.allclose(by_id[claim_ids[0]], query, atol=1e-5)
        assert fc.vectors._collection.metadata["factcheck:vectors"] == VECTOR_SPACE
    finally:
        fc.close()
