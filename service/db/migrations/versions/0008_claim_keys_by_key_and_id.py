"""Key postings indexed by (key, id): each key's newest postings come straight from the index on Postgres too.

Hybrid search asks, per name or figure key, for its 500 newest postings (`ORDER BY id DESC LIMIT 500`). On SQLite
an index on `key` already ends with the rowid, which is `id`, so it returns them in order. On Postgres it does
not: the planner either read every posting of the key and sorted them, or walked the primary key backwards
filtering on the key, and a check against 100k claims took 2.6 times as long as on SQLite
(`python -m evals.bench scaleout-check`). With (key, id) both backends read 500 index entries per key.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("claim_keys_key", table_name="claim_keys")
    op.create_index("claim_keys_key", "claim_keys", ["key", "id"])


def downgrade() -> None:
    op.drop_index("claim_keys_key", table_name="claim_keys")
    op.create_index("claim_keys_key", "claim_keys", ["key"])
