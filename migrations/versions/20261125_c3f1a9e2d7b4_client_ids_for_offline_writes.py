"""Client ids on observations and TOBS: a replayed or double-sent write is stored once

Revision ID: c3f1a9e2d7b4
Revises: bdb9063f51f3
Create Date: 2026-11-25 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3f1a9e2d7b4"
down_revision: str | None = "bdb9063f51f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table, index in (
        ("observation", "observation_client_id"),
        ("tobs_measurement", "tobs_client_id"),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("client_id", sa.String(length=36), nullable=True))
            batch_op.create_index(index, ["client_id"], unique=True)


def downgrade() -> None:
    for table, index in (
        ("tobs_measurement", "tobs_client_id"),
        ("observation", "observation_client_id"),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index)
            batch_op.drop_column("client_id")
