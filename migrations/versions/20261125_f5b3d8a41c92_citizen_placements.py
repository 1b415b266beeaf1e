"""Citizens: the municipality's own id, and date-effective placements in team and kontaktteam

Revision ID: f5b3d8a41c92
Revises: e4a9c7d2b615
Create Date: 2026-11-25 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "f5b3d8a41c92"
down_revision: str | None = "e4a9c7d2b615"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Every citizen gets the placement they have now, from the start of their first pathway
#: (or today when they have none), so the history starts where the data does.
BACKFILL = """
INSERT INTO citizen_placement (citizen_id, team_id, kontaktteam_id, valid_from)
SELECT c.id, c.team_id, c.kontaktteam_id,
       COALESCE((SELECT MIN(p.started_on) FROM pathway p WHERE p.citizen_id = c.id), CURRENT_DATE)
FROM citizen c
"""


def upgrade() -> None:
    with op.batch_alter_table("citizen", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
        batch_op.create_unique_constraint("uq_citizen_external_id", ["external_id"])
    op.create_table(
        "citizen_placement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kontaktteam_id", sa.Integer(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name="citizen_placement_dates"
        ),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizen.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["staff.id"]),
        sa.ForeignKeyConstraint(["kontaktteam_id"], ["kontaktteam.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("citizen_placement", schema=None) as batch_op:
        batch_op.create_index("citizen_placement_from", ["citizen_id", "valid_from"], unique=True)
        batch_op.create_index(batch_op.f("ix_citizen_placement_team_id"), ["team_id"], unique=False)
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("citizen_placement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citizen_placement_team_id"))
        batch_op.drop_index("citizen_placement_from")
    op.drop_table("citizen_placement")
    with op.batch_alter_table("citizen", schema=None) as batch_op:
        batch_op.drop_constraint("uq_citizen_external_id", type_="unique")
        batch_op.drop_column("external_id")
