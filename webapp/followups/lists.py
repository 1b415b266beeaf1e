"""Reading follow-ups: Mine opfølgninger, the team's list, the planner's list, a citizen's
list and the next one per citizen for Mine borgere. Each is one query, whatever the size."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, case, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from webapp.clock import as_aware
from webapp.domain.citizens import TriageColour
from webapp.domain.followups import FollowUpKind, Status, list_section
from webapp.models import Citizen, FollowUp, Staff

HORIZON_DAYS = 14


@dataclass(frozen=True)
class Row:
    follow_up: FollowUp
    citizen_name: str
    colour: TriageColour
    owner_name: str
    section: str | None

    @property
    def kind(self) -> FollowUpKind:
        return FollowUpKind(self.follow_up.kind)

    @property
    def overdue(self) -> bool:
        return self.section == "overskredet"


def _rows(session: Session, conditions: list, today: date, horizon: int) -> list[Row]:
    """Open follow-ups matching `conditions`, soonest first, with citizen and owner names."""
    owner = aliased(Staff)
    stmt = (
        select(FollowUp, Citizen.full_name, Citizen.triage_colour, owner.full_name)
        .join(Citizen, Citizen.id == FollowUp.citizen_id)
        .join(owner, owner.id == FollowUp.owner_id)
        .where(FollowUp.status == Status.OPEN.value, *conditions)
        .order_by(
            FollowUp.due_date,
            FollowUp.due_at,  # type: ignore[arg-type]
            Citizen.full_name,
            FollowUp.id,  # type: ignore[arg-type]
        )
    )
    found = []
    for follow_up, name, colour, owner_name in session.exec(stmt).all():
        if follow_up.due_at is not None:
            follow_up.due_at = as_aware(follow_up.due_at)
        section = list_section(follow_up.due_date, today, horizon)
        found.append(Row(follow_up, name, TriageColour(colour), owner_name, section))
    return found


def mine(session: Session, staff_id: int, in_view: ColumnElement[bool], today: date) -> list[Row]:
    """The person's open follow-ups: overdue, today and the next 14 days."""
    last = today + timedelta(days=HORIZON_DAYS)
    conditions = [FollowUp.owner_id == staff_id, FollowUp.due_date <= last, in_view]
    return _rows(session, conditions, today, HORIZON_DAYS)


def team(session: Session, in_view: ColumnElement[bool], today: date) -> list[Row]:
    """Everyone's open follow-ups for the citizens in view: overdue, today, 14 days."""
    last = today + timedelta(days=HORIZON_DAYS)
    return _rows(session, [FollowUp.due_date <= last, in_view], today, HORIZON_DAYS)


MEETINGS = (FollowUpKind.M2, FollowUpKind.M3, FollowUpKind.M4)


def to_book(session: Session, in_view: ColumnElement[bool], today: date, weeks: int) -> list[Row]:
    """Milestone meetings (M2–M4) due within `weeks`, overdue ones first, to be booked."""
    conditions = [
        FollowUp.kind.in_([k.value for k in MEETINGS]),  # type: ignore[attr-defined]
        FollowUp.due_date <= today + timedelta(weeks=weeks),
        in_view,
    ]
    return _rows(session, conditions, today, weeks * 7)


def for_citizen(session: Session, citizen_id: int, today: date) -> list[Row]:
    """A citizen's open follow-ups, all of them, soonest first."""
    return _rows(session, [FollowUp.citizen_id == citizen_id], today, 10_000)


@dataclass(frozen=True)
class Next:
    """Mine borgere: a citizen's next open follow-up and how many are overdue."""

    title: str
    due_date: date
    overdue_count: int


def next_follow_up(citizen_ids: ColumnElement[bool], today: date):
    """A subquery: per citizen in view, the soonest open follow-up (`rn` = 1) and the number
    of overdue ones, for joining onto a list of citizens (no query of its own)."""
    soonest = (
        func.row_number()
        .over(
            partition_by=FollowUp.citizen_id,
            order_by=(FollowUp.due_date, FollowUp.id),  # type: ignore[arg-type]
        )
        .label("rn")
    )
    overdue = func.sum(case((FollowUp.due_date < today, 1), else_=0)).over(
        partition_by=FollowUp.citizen_id
    )
    return (
        select(
            FollowUp.citizen_id,
            FollowUp.title,
            FollowUp.due_date,
            overdue.label("overdue"),
            soonest,
        )
        .where(FollowUp.status == Status.OPEN.value, citizen_ids)
        .subquery()
    )


def get(session: Session, follow_up_id: int, in_view: ColumnElement[bool]) -> FollowUp | None:
    """A follow-up whose citizen is in view (else None: a 404 that confirms nothing)."""
    return session.exec(
        select(FollowUp)
        .join(Citizen, Citizen.id == FollowUp.citizen_id)
        .where(FollowUp.id == follow_up_id, in_view)
    ).first()
