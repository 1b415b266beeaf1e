"""Lists of escalations: the recipient's inbox, the sender's *Mine henvendelser*, the
leader's overdue list, a citizen's open ones, and the navigation count."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from webapp.clock import as_aware
from webapp.domain.escalation import WAITING, Priority, Status, is_overdue
from webapp.models import Citizen, Escalation, EscalationRoute, Staff

#: How long answered and closed requests stay in the lists.
RECENT = timedelta(days=2)
#: How long the recipient may open the citizen through an escalation after it was sent.
ACCESS_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Row:
    e: Escalation
    citizen_name: str
    citizen_address: str
    sender: str
    recipient: str
    answered_by: str | None

    @property
    def status(self) -> Status:
        return Status(self.e.status)

    @property
    def priority(self) -> Priority:
        return Priority(self.e.priority)

    def overdue(self, now: datetime) -> bool:
        return is_overdue(self.status, as_aware(self.e.deadline_at), now)


def _rows(session: Session, *conditions, order=None, limit: int = 100) -> list[Row]:
    sender, recipient, answerer = aliased(Staff), aliased(Staff), aliased(Staff)
    urgency = case({p.value: p.rank for p in Priority}, value=Escalation.priority, else_=9)
    query = (
        select(
            Escalation,
            Citizen.full_name,
            Citizen.street,
            sender.full_name,
            recipient.full_name,
            answerer.full_name,
        )
        .join(Citizen, Citizen.id == Escalation.citizen_id)  # type: ignore[arg-type]
        .join(sender, sender.id == Escalation.sender_id)  # type: ignore[arg-type]
        .join(recipient, recipient.id == Escalation.recipient_id)  # type: ignore[arg-type]
        .outerjoin(answerer, answerer.id == Escalation.answered_by_id)  # type: ignore[arg-type]
        .where(*conditions)
        .order_by(*(order or (urgency, Escalation.deadline_at, Escalation.id)))
        .limit(limit)
    )
    return [Row(e, name, street, s, r, a) for e, name, street, s, r, a in session.exec(query).all()]


def _went_to(staff_id: int):
    """Escalations that went to this person at some point (also those moved away)."""
    return Escalation.id.in_(  # type: ignore[union-attr]
        select(EscalationRoute.escalation_id).where(EscalationRoute.recipient_id == staff_id)
    )


def inbox(session: Session, staff_id: int, now: datetime) -> tuple[list[Row], list[Row]]:
    """(waiting for this person, most urgent and oldest first; recently answered/moved)."""
    waiting = _rows(
        session,
        Escalation.recipient_id == staff_id,
        Escalation.status.in_(WAITING),  # type: ignore[attr-defined]
    )
    recent = _rows(
        session,
        _went_to(staff_id),
        or_(
            Escalation.recipient_id != staff_id,
            Escalation.status.notin_(WAITING),  # type: ignore[attr-defined]
        ),
        Escalation.sent_at >= now - RECENT,
        order=(Escalation.sent_at.desc(),),  # type: ignore[attr-defined]
        limit=30,
    )
    return waiting, recent


def _open_or_recent(session: Session, condition, now: datetime, limit: int) -> list[Row]:
    """Open requests and those closed in the last two days, newest first."""
    return _rows(
        session,
        condition,
        or_(
            Escalation.status != Status.CLOSED.value,
            Escalation.closed_at >= now - RECENT,  # type: ignore[operator]
        ),
        order=(Escalation.sent_at.desc(),),  # type: ignore[attr-defined]
        limit=limit,
    )


def sent_by(session: Session, staff_id: int, now: datetime) -> list[Row]:
    """*Mine henvendelser*."""
    return _open_or_recent(session, Escalation.sender_id == staff_id, now, 50)


def overdue_for_leader(
    session: Session, team_ids: frozenset[int], now: datetime, days: int = 7
) -> tuple[list[Row], list[Row]]:
    """(still unanswered past a deadline; answered late in the last `days` days)."""
    in_teams = Citizen.team_id.in_(sorted(team_ids))  # type: ignore[attr-defined]
    waiting = _rows(
        session,
        in_teams,
        Escalation.status.in_(WAITING),  # type: ignore[attr-defined]
        or_(Escalation.overdue_since.isnot(None), Escalation.deadline_at <= now),  # type: ignore[union-attr]
        order=(Escalation.sent_at,),
    )
    late = _rows(
        session,
        in_teams,
        Escalation.status.notin_(WAITING),  # type: ignore[attr-defined]
        Escalation.overdue_since.isnot(None),  # type: ignore[union-attr]
        Escalation.sent_at >= now - timedelta(days=days),
        order=(Escalation.sent_at.desc(),),  # type: ignore[attr-defined]
    )
    return waiting, late


def for_citizen(session: Session, citizen_id: int, now: datetime) -> list[Row]:
    return _open_or_recent(session, Escalation.citizen_id == citizen_id, now, 10)


def get_row(session: Session, escalation_id: int) -> Row | None:
    rows = _rows(session, Escalation.id == escalation_id, limit=1)
    return rows[0] if rows else None


@dataclass(frozen=True)
class Counts:
    #: Waiting for me to answer.
    incoming: int
    #: My requests answered, waiting for me to read and close.
    answered: int

    @property
    def total(self) -> int:
        return self.incoming + self.answered


def counts(session: Session, staff_id: int) -> Counts:
    """One indexed query: the number in the navigation."""
    incoming = (
        select(func.count())
        .select_from(Escalation)
        .where(Escalation.recipient_id == staff_id, Escalation.status.in_(WAITING))  # type: ignore[attr-defined]
        .scalar_subquery()
    )
    answered = (
        select(func.count())
        .select_from(Escalation)
        .where(Escalation.sender_id == staff_id, Escalation.status == Status.ANSWERED.value)
        .scalar_subquery()
    )
    row = session.exec(select(incoming, answered)).one()
    return Counts(int(row[0]), int(row[1]))


def grants_access(session: Session, staff_id: int, citizen_id: int, now: datetime) -> bool:
    """The recipient reads the citizen through an escalation sent to them in the last 7 days."""
    return (
        session.exec(
            select(Escalation.id)
            .where(
                Escalation.citizen_id == citizen_id,
                _went_to(staff_id),
                Escalation.sent_at >= now - ACCESS_WINDOW,
            )
            .limit(1)
        ).first()
        is not None
    )
