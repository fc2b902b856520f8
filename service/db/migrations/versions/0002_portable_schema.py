"""One schema for SQLite and Postgres: claim_keys gets its own insertion id (Postgres has no rowid), verdict
changes enter the event log from the application (the SQLite trigger that did it cannot move to Postgres as
is), reviews stay append-only on both backends, and the LLM reply cache joins the record store.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_SQLITE_APPEND_ONLY = [
    "CREATE TRIGGER IF NOT EXISTS reviews_no_update BEFORE UPDATE ON reviews"
    " BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS reviews_no_delete BEFORE DELETE ON reviews"
    " BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END",
]
_POSTGRES_APPEND_ONLY = [
    "CREATE OR REPLACE FUNCTION reviews_append_only() RETURNS trigger LANGUAGE plpgsql AS"
    " $$ BEGIN RAISE EXCEPTION 'reviews are append-only'; END $$",
    "CREATE TRIGGER reviews_no_update BEFORE UPDATE OR DELETE ON reviews"
    " FOR EACH ROW EXECUTE FUNCTION reviews_append_only()",
]


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.create_table(
        "claim_keys_new",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("claim_id", sa.Text, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
        sa.Column("document_id", sa.Text, nullable=False),
    )
    order = "rowid" if sqlite else "ctid"
    op.execute(f"INSERT INTO claim_keys_new (key, claim_id, document_id)"
               f" SELECT key, claim_id, document_id FROM claim_keys ORDER BY {order}")
    op.drop_table("claim_keys")
    op.rename_table("claim_keys_new", "claim_keys")
    if not sqlite:  # Postgres keeps the old names of the sequence and constraints: give them the table's name
        op.execute("ALTER SEQUENCE claim_keys_new_id_seq RENAME TO claim_keys_id_seq")
        op.execute("ALTER TABLE claim_keys RENAME CONSTRAINT claim_keys_new_pkey TO claim_keys_pkey")
        op.execute("ALTER TABLE claim_keys RENAME CONSTRAINT claim_keys_new_claim_id_fkey TO claim_keys_claim_id_fkey")
    op.create_index("claim_keys_key", "claim_keys", ["key"])
    op.create_index("claim_keys_claim", "claim_keys", ["claim_id"])

    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS verdict_history_to_events")
    for statement in _SQLITE_APPEND_ONLY if sqlite else _POSTGRES_APPEND_ONLY:
        op.execute(statement)

    op.create_table(
        "llm_replies",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("prompt", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("reply", sa.Text, nullable=False),
        sa.Column("prompt_tokens", sa.Integer, nullable=False),
        sa.Column("completion_tokens", sa.Integer, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
