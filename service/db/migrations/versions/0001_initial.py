"""The record store as it was before migrations were recorded; adopts a store made by those versions.

A store created before this migration existed has some or all of these tables and no version row: each table
and index is created only when missing, and evidence gains its `basis` column when it lacks one.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> list[sa.Table]:
    m = sa.MetaData()
    return [
        sa.Table(
            "documents", m,
            sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("id", sa.Text, nullable=False, unique=True),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("title", sa.Text), sa.Column("source", sa.Text), sa.Column("url", sa.Text),
            sa.Column("published_at", sa.Text),
            sa.Column("language", sa.Text, nullable=False), sa.Column("languages", sa.Text, nullable=False),
            sa.Column("sections", sa.Text, nullable=False), sa.Column("source_group", sa.Text, nullable=False),
            sa.Column("backend", sa.Text, nullable=False, server_default="offline"),
            sa.Column("created_at", sa.Float, nullable=False),
        ),
        sa.Table(
            "claims", m,
            sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("id", sa.Text, nullable=False, unique=True),
            sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
            sa.Column("idx", sa.Integer, nullable=False),
            sa.Column("text", sa.Text, nullable=False), sa.Column("quote", sa.Text, nullable=False),
            sa.Column("start", sa.Integer, nullable=False), sa.Column("end", sa.Integer, nullable=False),
            sa.Column("language", sa.Text, nullable=False), sa.Column("checkworthy", sa.Integer, nullable=False),
            sa.Column("attribution", sa.Text), sa.Column("quantities", sa.Text, nullable=False),
            sa.Column("entities", sa.Text, nullable=False), sa.Column("negated", sa.Integer, nullable=False),
            sa.Column("denies_idx", sa.Integer), sa.Column("section", sa.Integer, nullable=False, server_default="0"),
            sa.Column("qvec", sa.LargeBinary, nullable=False), sa.Column("pvec", sa.LargeBinary, nullable=False),
            sa.Column("verdict", sa.Text, nullable=False, server_default="unverified"),
            sa.Column("confidence", sa.Float, nullable=False, server_default="0"),
            sa.Column("backend", sa.Text, nullable=False, server_default="offline"),
            sa.Column("updated_at", sa.Float, nullable=False),
            sa.Index("claims_document", "document_id", "idx"),
            sa.Index("claims_verdict", "verdict", "seq"),
        ),
        sa.Table(
            "evidence", m,
            sa.Column("claim_id", sa.Text, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
            sa.Column("position", sa.Integer, nullable=False),
            sa.Column("document_id", sa.Text, nullable=False), sa.Column("evidence_claim_id", sa.Text),
            sa.Column("quote", sa.Text, nullable=False),
            sa.Column("start", sa.Integer, nullable=False), sa.Column("end", sa.Integer, nullable=False),
            sa.Column("stance", sa.Text, nullable=False), sa.Column("score", sa.Float, nullable=False),
            sa.Column("same_source", sa.Integer, nullable=False), sa.Column("rationale", sa.Text, nullable=False),
            sa.Column("backend", sa.Text, nullable=False), sa.Column("kind", sa.Text, nullable=False),
            sa.Column("basis", sa.Text, nullable=False, server_default="model"),
            sa.PrimaryKeyConstraint("claim_id", "position"),
            sa.Index("evidence_document", "document_id"),
        ),
        sa.Table(
            "verdict_history", m,
            sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("claim_id", sa.Text, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
            sa.Column("verdict", sa.Text, nullable=False), sa.Column("confidence", sa.Float, nullable=False),
            sa.Column("cause_document_id", sa.Text), sa.Column("reason", sa.Text, nullable=False),
            sa.Column("at", sa.Float, nullable=False),
            sa.Index("history_claim", "claim_id", "seq"),
        ),
        sa.Table(
            "claim_keys", m,
            sa.Column("key", sa.Text, nullable=False),
            sa.Column("claim_id", sa.Text, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
            sa.Column("document_id", sa.Text, nullable=False),
            sa.Index("claim_keys_key", "key"),
            sa.Index("claim_keys_claim", "claim_id"),
        ),
        sa.Table(
            "pending_documents", m,
            sa.Column("id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("at", sa.Float, nullable=False),
        ),
        sa.Table(
            "events", m,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("type", sa.Text, nullable=False), sa.Column("claim_id", sa.Text),
            sa.Column("document_id", sa.Text), sa.Column("payload", sa.Text, nullable=False),
            sa.Column("created_at", sa.Text, nullable=False),
        ),
        sa.Table(
            "reviews", m,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("claim_id", sa.Text, nullable=False), sa.Column("document_id", sa.Text, nullable=False),
            sa.Column("verdict", sa.Text, nullable=False), sa.Column("reviewer", sa.Text, nullable=False),
            sa.Column("note", sa.Text, nullable=False, server_default=""),
            sa.Column("machine_verdict", sa.Text, nullable=False),
            sa.Column("machine_confidence", sa.Float, nullable=False),
            sa.Column("created_at", sa.Text, nullable=False),
            sa.Index("reviews_by_claim", "claim_id", "id"),
        ),
    ]


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    for table in _tables():
        if table.name not in existing:
            table.create(bind)
    columns = {c["name"] for c in sa.inspect(bind).get_columns("evidence")}
    if "basis" not in columns:  # stores made before evidence recorded what decided it
        op.add_column("evidence", sa.Column("basis", sa.Text, nullable=False, server_default="model"))
