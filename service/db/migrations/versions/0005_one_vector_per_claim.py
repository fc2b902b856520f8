"""A claim keeps one vector: its "query:" embedding, the one the vector index holds and every comparison uses.

Claim against claim is a symmetric comparison; the "passage:" vector stored beside it moved similarities by less
than 0.005 around the source-group bar and cost a second embedding of every claim at ingest.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("pvec")


def downgrade() -> None:
    # The passage vectors are gone; the query vector stands in for them (the versions before this one compared
    # query against passage, which differs from query against query by less than 0.005).
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("pvec", sa.LargeBinary, nullable=True))
    op.execute("UPDATE claims SET pvec = qvec")
    with op.batch_alter_table("claims") as batch:
        batch.alter_column("pvec", existing_type=sa.LargeBinary, nullable=False)
