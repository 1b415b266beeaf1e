"""Areas, teams, kontaktteams and health units can be closed from a date

Revision ID: e4a9c7d2b615
Revises: d8e2b5a17c40
Create Date: 2026-11-25 06:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e4a9c7d2b615"
down_revision: str | None = "d8e2b5a17c40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("area", "team", "kontaktteam", "health_unit")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("closed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("closed_on")
