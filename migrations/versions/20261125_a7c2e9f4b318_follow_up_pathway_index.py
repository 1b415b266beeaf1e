"""An index on a follow-up's pathway: a forløbsskift, a new referral and the citizen import
read a pathway's milestones, which was a scan of every follow-up

Revision ID: a7c2e9f4b318
Revises: f5b3d8a41c92
Create Date: 2026-11-25 08:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c2e9f4b318"
down_revision: str | None = "f5b3d8a41c92"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(
            "follow_up_pathway",
            ["pathway_id"],
            unique=False,
            sqlite_where=sa.text("pathway_id IS NOT NULL"),
            postgresql_where=sa.text("pathway_id IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(
            "follow_up_pathway",
            sqlite_where=sa.text("pathway_id IS NOT NULL"),
            postgresql_where=sa.text("pathway_id IS NOT NULL"),
        )
