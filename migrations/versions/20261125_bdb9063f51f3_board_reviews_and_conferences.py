"""Board reviews (Gennemgået), conference schedules, conferences and their lists

Revision ID: bdb9063f51f3
Revises: ad6ed0d66d04
Create Date: 2026-11-25 02:44:20.802032
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "bdb9063f51f3"
down_revision: str | None = "ad6ed0d66d04"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["leader_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "day", name="conference_team_day"),
    )
    op.create_table(
        "conference_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("weekdays", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("start", sa.Time(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("cutoff_days_before", sa.Integer(), nullable=False),
        sa.Column("cutoff_time", sa.Time(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id"),
    )
    op.create_table(
        "board_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kontaktteam_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["kontaktteam_id"],
            ["kontaktteam.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("board_review", schema=None) as batch_op:
        batch_op.create_index("board_review_team_at", ["team_id", "reviewed_at"], unique=False)

    op.create_table(
        "conference_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=280), nullable=False),
        sa.Column("raised_by_id", sa.Integer(), nullable=False),
        sa.Column("raised_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("suggestion", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("escalation_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column(
            "status",
            sqlmodel.sql.sqltypes.AutoString(length=12),
            nullable=False,
            server_default="paa_listen",
        ),
        sa.Column("moved_from_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("decision_owner_id", sa.Integer(), nullable=True),
        sa.Column("follow_up_id", sa.Integer(), nullable=True),
        sa.Column("colour", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("pathway_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('paa_listen', 'flyttet', 'behandlet', 'fjernet')",
            name="conference_item_status",
        ),
        sa.ForeignKeyConstraint(
            ["citizen_id"],
            ["citizen.id"],
        ),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conference.id"],
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["decision_owner_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["follow_up.id"],
        ),
        sa.ForeignKeyConstraint(
            ["moved_from_id"],
            ["conference_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["pathway_id"],
            ["pathway.id"],
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conference_id", "citizen_id", name="conference_item_once"),
    )
    with op.batch_alter_table("conference_item", schema=None) as batch_op:
        batch_op.create_index("conference_item_citizen", ["citizen_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("conference_item", schema=None) as batch_op:
        batch_op.drop_index("conference_item_citizen")

    op.drop_table("conference_item")
    with op.batch_alter_table("board_review", schema=None) as batch_op:
        batch_op.drop_index("board_review_team_at")

    op.drop_table("board_review")
    op.drop_table("conference_schedule")
    op.drop_table("conference")
