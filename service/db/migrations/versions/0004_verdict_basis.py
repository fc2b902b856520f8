"""Claims keep how their verdict was reached (basis, strength, independent sources), so the review queue can be
sorted and filtered by it; existing verdicts get theirs from their stored evidence.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_EVIDENCE = sa.text(
    "SELECT c.id AS claim_id, c.verdict, e.document_id, e.quote, e.start, e.\"end\", e.stance, e.score,"
    " e.same_source, e.rationale, e.backend, e.kind, e.basis, d.source_group"
    " FROM claims c JOIN evidence e ON e.claim_id = c.id LEFT JOIN documents d ON d.id = e.document_id"
    " ORDER BY c.id, e.position"
)
_UPDATE = sa.text("UPDATE claims SET basis = :basis, strength = :strength, independent_sources = :sources"
                  " WHERE id = :id")


def upgrade() -> None:
    op.add_column("claims", sa.Column("basis", sa.Text))
    op.add_column("claims", sa.Column("strength", sa.Float, nullable=False, server_default="0"))
    op.add_column("claims", sa.Column("independent_sources", sa.Integer, nullable=False, server_default="0"))
    _backfill(op.get_bind())


def _backfill(bind) -> None:
    """Each claim with evidence gets the basis its verdict and evidence imply (claims without keep NULL, 0, 0)."""
    from service.models import EvidenceOut
    from service.pipeline.verdict_basis import verdict_basis

    rows: dict[str, tuple[str, list[EvidenceOut]]] = {}
    for r in bind.execute(_EVIDENCE):
        rows.setdefault(r.claim_id, (r.verdict, []))[1].append(EvidenceOut(
            document_id=r.document_id, quote=r.quote, start=r.start, end=r.end, stance=r.stance,
            score=min(max(r.score, 0.0), 1.0), same_source=bool(r.same_source), source_group=r.source_group,
            rationale=r.rationale, backend=r.backend, kind=r.kind, basis=r.basis,
        ))
    updates = []
    for claim_id, (verdict, evidence) in rows.items():
        b = verdict_basis(verdict, evidence)
        updates.append({"id": claim_id, "basis": b.basis, "strength": b.strength, "sources": b.independent_sources})
    for i in range(0, len(updates), 1000):
        bind.execute(_UPDATE, updates[i : i + 1000])


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("independent_sources")
        batch.drop_column("strength")
        batch.drop_column("basis")
