"""Escalations (Kontakt sygeplejerske), their routes, the duty roster and the area fallback

Revision ID: ad6ed0d66d04
Revises: 4190d5c1e1e5
Create Date: 2026-11-25 01:39:58.939378
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "ad6ed0d66d04"
down_revision: str | None = "4190d5c1e1e5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duty_shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("shift", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("shift IN ('dag', 'aften', 'nat')", name="duty_shift_shift"),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "day", "shift", "staff_id", name="duty_shift_once"),
    )
    with op.batch_alter_table("duty_shift", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duty_shift_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "escalation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_key", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("priority", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column(
            "note", sqlmodel.sql.sqltypes.AutoString(length=280), nullable=False, server_default=""
        ),
        sa.Column("isbar_i", sa.Text(), nullable=False),
        sa.Column("isbar_s", sa.Text(), nullable=False),
        sa.Column("isbar_b", sa.Text(), nullable=False),
        sa.Column("isbar_a", sa.Text(), nullable=False),
        sa.Column("isbar_r", sa.Text(), nullable=False),
        sa.Column("tobs_id", sa.Integer(), nullable=True),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("deadline_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("moves", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("overdue_since", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("answered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answer_kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("answer_text", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column(
            "answer_note",
            sqlmodel.sql.sqltypes.AutoString(length=280),
            nullable=False,
            server_default="",
        ),
        sa.Column("follow_up_id", sa.Integer(), nullable=True),
        sa.Column(
            "reply", sqlmodel.sql.sqltypes.AutoString(length=280), nullable=False, server_default=""
        ),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "priority IN ('haster', 'i_dag', 'konference')", name="escalation_priority"
        ),
        sa.CheckConstraint(
            "status IN ('sendt', 'set')"
            " OR (answered_at IS NOT NULL AND answered_by_id IS NOT NULL)",
            name="escalation_answered",
        ),
        sa.CheckConstraint(
            "status IN ('sendt', 'set', 'besvaret', 'lukket')", name="escalation_status"
        ),
        sa.CheckConstraint("length(note) <= 280", name="escalation_note_length"),
        sa.CheckConstraint("length(reply) <= 280", name="escalation_reply_length"),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["citizen_id"],
            ["citizen.id"],
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["follow_up.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["tobs_id"],
            ["tobs_measurement.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_key"),
    )
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.create_index("escalation_citizen_sent", ["citizen_id", "sent_at"], unique=False)
        batch_op.create_index(
            "escalation_recipient_status", ["recipient_id", "status"], unique=False
        )
        batch_op.create_index("escalation_sender_status", ["sender_id", "status"], unique=False)
        batch_op.create_index("escalation_status_deadline", ["status", "deadline_at"], unique=False)

    op.create_table(
        "escalation_route",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("routed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deadline_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("escalation_route", schema=None) as batch_op:
        batch_op.create_index(
            "escalation_route_escalation", ["escalation_id", "routed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_escalation_route_recipient_id"), ["recipient_id"], unique=False
        )

    with op.batch_alter_table("health_unit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fallback_staff_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "health_unit_fallback_staff_id_fkey", "staff", ["fallback_staff_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("health_unit", schema=None) as batch_op:
        batch_op.drop_constraint("health_unit_fallback_staff_id_fkey", type_="foreignkey")
        batch_op.drop_column("fallback_staff_id")

    with op.batch_alter_table("escalation_route", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalation_route_recipient_id"))
        batch_op.drop_index("escalation_route_escalation")

    op.drop_table("escalation_route")
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.drop_index("escalation_status_deadline")
        batch_op.drop_index("escalation_sender_status")
        batch_op.drop_index("escalation_recipient_status")
        batch_op.drop_index("escalation_citizen_sent")

    op.drop_table("escalation")
    with op.batch_alter_table("duty_shift", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_shift_staff_id"))

    op.drop_table("duty_shift")
