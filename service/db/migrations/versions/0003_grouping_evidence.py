"""Documents record why they joined a source group (the coverage of each side by the other).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("grouping", sa.Text))  # JSON {document_id, coverage, other_coverage}


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("grouping")
