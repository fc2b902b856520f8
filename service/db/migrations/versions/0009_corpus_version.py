"""Verification outside the corpus write lock: a corpus version, the version each verdict was computed against,
and the process that owns a pending ingest.

Documents are stored under the lock, then verified without it, so a verdict computed against an older corpus
could land after one computed against a newer. `corpus_state.version` goes up by one with every stored or deleted
document; a verdict is saved with the version read before it was computed (`claims.verified_as_of`) and never
replaces one computed against a later version. `pending_documents.owner` says which process is still verifying
a pending document, so that another ingest finishes only the ones their owner abandoned.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table(
        "corpus_state",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.bulk_insert(state, [{"name": "corpus", "version": 0}])
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("verified_as_of", sa.Integer))
    with op.batch_alter_table("pending_documents") as batch:
        batch.add_column(sa.Column("owner", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("pending_documents") as batch:
        batch.drop_column("owner")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("verified_as_of")
    op.drop_table("corpus_state")
