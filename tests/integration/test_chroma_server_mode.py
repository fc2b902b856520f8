"""The vector store against a real Chroma server (`chroma run`), through HttpClient."""

from __future__ import annotations

import uuid

import numpy as np
import pytest

from tests.support.chroma_server import chroma_server  # noqa: F401  (fixture)
from retrieval.vector_store import ChromaVectorStore

pytestmark = pytest.mark.integration


def _unit(rows: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(rows, 384)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_http_store_upserts_queries_excludes_and_deletes(chroma_server):  # noqa: F811
    store = ChromaVectorStore(url=chroma_server.url, collection=f"t{uuid.uuid4().hex[:8]}")
    store.ping()
    vectors = _unit(6, 0)
    store.upsert([f"c{i}" for i in range(6)], ["d1"] * 3 + ["d2"] * 3, vectors)
    assert store.count() == 6 and store.ids() == {f"c{i}" for i in range(6)}
    hits = store.query(vectors[:2], k=3)
    assert [h[0].claim_id for h in hits] == ["c0", "c1"] and hits[0][0].similarity == pytest.approx(1.0, abs=1e-4)
    excluded = store.query(vectors[:1], k=3, exclude_document="d1")[0]
    assert {h.document_id for h in excluded} == {"d2"}
    store.delete_document("d2")
    assert store.ids() == {"c0", "c1", "c2"}


def test_http_store_data_is_shared_between_clients(chroma_server):  # noqa: F811
    name = f"t{uuid.uuid4().hex[:8]}"
    ChromaVectorStore(url=chroma_server.url, collection=name).upsert(["a"], ["d"], _unit(1, 1))
    assert ChromaVectorStore(url=chroma_server.url, collection=name).ids() == {"a"}
