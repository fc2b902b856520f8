"""The vector store: a small protocol and its Chroma implementation (embedded or server)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VectorHit:
    """One nearest neighbour: a stored claim and its cosine similarity to the query."""

    claim_id: str
    document_id: str
    similarity: float


class VectorStore(Protocol):
    """Stores one vector per claim, with the claim's document id, and finds nearest neighbours."""

    def upsert(self, claim_ids: list[str], document_ids: list[str], vectors: np.ndarray) -> None: ...

    def delete_document(self, document_id: str) -> None: ...

    def query(self, vectors: np.ndarray, k: int, exclude_document: str | None = None) -> list[list[VectorHit]]: ...

    def count(self) -> int: ...

    def ids(self) -> set[str]: ...

    def ping(self) -> None: ...


class ChromaVectorStore:
    """Chroma through PersistentClient under the data directory, or HttpClient when a server URL is set.

    Vectors are always passed in: Chroma's default embedding function downloads a model, so none is set.
    """

    def __init__(
        self, path: str | None = None, url: str | None = None, collection: str = "claims", timeout_s: float = 30.0
    ) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if url:
            from retrieval.chroma_http import timed_http_client

            self._client = timed_http_client(url, timeout_s)
        elif path:
            self._client = chromadb.PersistentClient(path=path, settings=chroma_settings)
        else:
            self._client = chromadb.EphemeralClient(settings=chroma_settings)
        self._collection = self._client.get_or_create_collection(
            collection, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )

    def upsert(self, claim_ids: list[str], document_ids: list[str], vectors: np.ndarray) -> None:
        if not claim_ids:
            return
        step = 2000  # stay under Chroma's maximum batch size
        for i in range(0, len(claim_ids), step):
            self._collection.upsert(
                ids=claim_ids[i : i + step],
                embeddings=vectors[i : i + step].tolist(),
                metadatas=[{"document_id": d} for d in document_ids[i : i + step]],
            )

    def delete_document(self, document_id: str) -> None:
        self._collection.delete(where={"document_id": document_id})

    def delete_ids(self, claim_ids: list[str]) -> None:
        if claim_ids:
            self._collection.delete(ids=claim_ids)

    def query(self, vectors: np.ndarray, k: int, exclude_document: str | None = None) -> list[list[VectorHit]]:
        if len(vectors) == 0:
            return []
        total = self._collection.count()
        if total == 0:
            return [[] for _ in range(len(vectors))]
        where = {"document_id": {"$ne": exclude_document}} if exclude_document else None
        result = self._collection.query(
            query_embeddings=vectors.tolist(),
            n_results=min(k, total),
            where=where,
            include=["distances", "metadatas"],
        )
        hits: list[list[VectorHit]] = []
        for ids, distances, metadatas in zip(result["ids"], result["distances"], result["metadatas"]):
            hits.append(
                [
                    VectorHit(claim_id=i, document_id=str(m["document_id"]), similarity=1.0 - float(d))
                    for i, d, m in zip(ids, distances, metadatas)
                ]
            )
        return hits

    def count(self) -> int:
        return self._collection.count()

    def ids(self) -> set[str]:
        found: set[str] = set()
        offset, step = 0, 5000
        while True:
            got = self._collection.get(include=[], limit=step, offset=offset)
            found.update(got["ids"])
            if len(got["ids"]) < step:
                return found
            offset += step

    def ping(self) -> None:
        self._client.heartbeat()
