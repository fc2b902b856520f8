"""Fallbacks and LLM usage made visible: what extracted each claim, and the LLM work behind each document.

`claims.extracted_by` is `offline`, `llm` or `offline-fallback` (the LLM failed on that chunk); `claims.backend`
stays what judged the verdict. `documents.llm_usage` is the JSON of models.LLMUsage (calls, tokens, failures by
reason) for the ingest that stored the document; NULL when no LLM ran.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("claims", sa.Column("extracted_by", sa.Text, nullable=False, server_default="offline"))
    op.add_column("documents", sa.Column("llm_usage", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("llm_usage")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("extracted_by")
