"""The closed loop of an escalation: send → seen → answered → closed, and re-routing on a
missed deadline. Every state change is one conditional UPDATE, so two app servers (or two
nurses) acting at once cannot both win."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, update
from sqlmodel import Session, select

from webapp.domain.duty import DEFAULT_SHIFT_STARTS, Shift, shift_starts_from
from webapp.domain.escalation import (
    DEFAULT_ANSWER_WITHIN,
    WAITING,
    Answer,
    AnswerKind,
    Choice,
    Priority,
    Status,
    deadline,
    next_in_line,
)
from webapp.domain.followups import Due, FollowUpKind, Source
from webapp.escalations.facts import Prefill
from webapp.escalations.routing import line_for
from webapp.followups.operations import add as add_follow_up
from webapp.models import Citizen, Escalation, EscalationRoute, Staff

NOBODY = (
    "Der er ingen sygeplejerske at sende til lige nu. Ring til teamets vagttelefon."
    " Ved livstruende tilstand: ring 112."
)


class EscalationError(ValueError):
    """A Danish message; the request is refused and nothing is stored."""


@dataclass(frozen=True)
class Settings:
    within: dict[Priority, timedelta]
    zone: ZoneInfo
    shift_starts: dict[Shift, time] = field(default_factory=lambda: dict(DEFAULT_SHIFT_STARTS))


def settings_from(config, zone: ZoneInfo) -> Settings:
    """The answer times and shift starts from the app's configuration."""
    within = dict(DEFAULT_ANSWER_WITHIN)
    for key, minutes in (config.get("ESCALATION_ANSWER_MINUTES") or {}).items():
        within[Priority(key)] = timedelta(minutes=int(minutes))
    return Settings(
        within=within, zone=zone, shift_starts=shift_starts_from(config.get("SHIFT_STARTS"))
    )


def send(
    session: Session,
    citizen: Citizen,
    sender: Staff,
    priority: Priority,
    note: str,
    prefill: Prefill,
    now: datetime,
    settings: Settings,
    client_key: str | None = None,
    look_up: bool = True,
) -> Escalation:
    """Store the request and route it to the first in line; a repeated `client_key` (a
    double tap) returns the request already stored. With `look_up` False the caller has looked
    already, and a repeated key fails on the unique index instead (the offline sync)."""
    if client_key and look_up:
        existing = session.exec(
            select(Escalation).where(Escalation.client_key == client_key)
        ).first()
        if existing is not None:
            return existing
    line = line_for(session, citizen, priority, now, settings.zone, settings.shift_starts)
    first = line.first
    if first is None:
        raise EscalationError(NOBODY)
    isbar = prefill.isbar
    due = deadline(now, priority, settings.within)
    escalation = Escalation(
        client_key=client_key or None,
        citizen_id=citizen.id,  # type: ignore[arg-type]
        sender_id=sender.id,  # type: ignore[arg-type]
        sent_at=now,
        priority=priority.value,
        note=note,
        isbar_i=isbar.identification,
        isbar_s=isbar.situation,
        isbar_b=isbar.background,
        isbar_a=isbar.analysis,
        isbar_r=isbar.recommendation,
        tobs_id=prefill.last_tobs_id,
        recipient_id=first.staff.id,  # type: ignore[arg-type]
        rule=first.choice.rule.value,
        deadline_at=due,
    )
    session.add(escalation)
    session.flush()
    session.add(_route(escalation, first.choice, now, due, "sendt"))
    session.flush()
    return escalation


def _route(e: Escalation, choice: Choice, at: datetime, due: datetime, reason: str):
    return EscalationRoute(
        escalation_id=e.id,  # type: ignore[arg-type]
        recipient_id=choice.staff_id,
        rule=choice.rule.value,
        routed_at=at,
        deadline_at=due,
        reason=reason,
    )


def mark_seen(session: Session, escalation: Escalation, staff_id: int, now: datetime) -> None:
    """The current recipient opened it: sendt → set (once; later opens change nothing)."""
    if escalation.recipient_id != staff_id:
        return
    session.exec(  # type: ignore[call-overload]
        update(Escalation)
        .where(
            Escalation.id == escalation.id,
            Escalation.recipient_id == staff_id,
            Escalation.status == Status.SENT.value,
        )
        .values(status=Status.SEEN.value, seen_at=now)
    )
    session.exec(  # type: ignore[call-overload]
        update(EscalationRoute)
        .where(
            EscalationRoute.escalation_id == escalation.id,
            EscalationRoute.recipient_id == staff_id,
            EscalationRoute.seen_at.is_(None),  # type: ignore[union-attr]
        )
        .values(seen_at=now)
    )
    session.refresh(escalation)


def recipients(session: Session, escalation_id: int) -> list[EscalationRoute]:
    return list(
        session.exec(
            select(EscalationRoute)
            .where(EscalationRoute.escalation_id == escalation_id)
            .order_by(EscalationRoute.routed_at, EscalationRoute.id)  # type: ignore[arg-type]
        ).all()
    )


def may_answer(session: Session, escalation: Escalation, staff_id: int) -> bool:
    """Everyone it went to may answer: the one it moved away from too (first answer wins)."""
    return any(r.recipient_id == staff_id for r in recipients(session, escalation.id))  # type: ignore[arg-type]


def answer(
    session: Session,
    escalation: Escalation,
    staff_id: int,
    reply: Answer,
    now: datetime,
    zone: ZoneInfo,
) -> bool:
    """Record the answer if nobody answered first; True when this answer won."""
    won = session.exec(  # type: ignore[call-overload]
        update(Escalation)
        .where(Escalation.id == escalation.id, Escalation.status.in_(WAITING))  # type: ignore[attr-defined]
        .values(
            status=Status.ANSWERED.value,
            answered_at=now,
            answered_by_id=staff_id,
            answer_kind=reply.kind.value,
            answer_text=reply.text()[:300],
            answer_note=reply.note if reply.kind is not AnswerKind.NOTE else "",
        )
    ).rowcount
    session.refresh(escalation)
    if won != 1:
        return False
    if reply.kind is AnswerKind.TOBS_AGAIN and reply.hours:
        _tobs_again(session, escalation, staff_id, reply.hours, now, zone)
    return True


def _tobs_again(session, escalation, staff_id, hours, now, zone) -> None:
    """*Mål TOBS igen om … timer*: a follow-up for the sender (and so the sender's team)."""
    citizen = session.get(Citizen, escalation.citizen_id)
    due_at = now + timedelta(hours=hours)
    nurse = session.get(Staff, staff_id)
    due = Due(
        FollowUpKind.TOBS_REPEAT,
        due_at.astimezone(zone).date(),
        due_at,
        None,
        f"Mål TOBS igen (bedt om af {nurse.full_name})",
    )
    follow_up = add_follow_up(
        session,
        citizen,
        due,
        source=Source.ESCALATION,
        owner_id=escalation.sender_id,
        now=now,
        created_by_id=staff_id,
    )
    escalation.follow_up_id = follow_up.id
    session.add(escalation)
    session.flush()


def close(session: Session, escalation: Escalation, reply: str, now: datetime) -> bool:
    """The sender acknowledges the answer, with at most one short reply."""
    done = session.exec(  # type: ignore[call-overload]
        update(Escalation)
        .where(Escalation.id == escalation.id, Escalation.status == Status.ANSWERED.value)
        .values(status=Status.CLOSED.value, closed_at=now, reply=reply)
    ).rowcount
    session.refresh(escalation)
    return done == 1


def reroute_due(session: Session, now: datetime, settings: Settings, limit: int = 50) -> int:
    """Move every escalation past its deadline to the next in line; returns how many moved.

    Cheap when nothing is due (one indexed query), so the inbox polls can call it; the
    `flask escalations reroute` command does the same from a timer."""
    due = session.exec(
        select(Escalation)
        .where(Escalation.status.in_(WAITING), Escalation.deadline_at <= now)  # type: ignore[attr-defined]
        .order_by(Escalation.deadline_at)
        .limit(limit)
    ).all()
    moved = 0
    for escalation in due:
        moved += _move(session, escalation, now, settings)
    return moved


def _move(session: Session, e: Escalation, now: datetime, settings: Settings) -> int:
    citizen = session.get(Citizen, e.citizen_id)
    priority = Priority(e.priority)
    tried = {r.recipient_id for r in recipients(session, e.id)}  # type: ignore[arg-type]
    line = line_for(session, citizen, priority, now, settings.zone, settings.shift_starts)
    choice = next_in_line([p.choice for p in line.people], tried)
    if choice is None:
        # Nobody left: it stays where it is, overdue, and on the leader's list. The next
        # deadline is pushed so the poll does not retry it every time.
        session.exec(  # type: ignore[call-overload]
            update(Escalation)
            .where(Escalation.id == e.id, Escalation.deadline_at == e.deadline_at)
            .values(
                deadline_at=deadline(now, priority, settings.within),
                overdue_since=func.coalesce(Escalation.overdue_since, e.deadline_at),
            )
        )
        return 0
    new_deadline = deadline(now, priority, settings.within)
    changed = session.exec(  # type: ignore[call-overload]
        update(Escalation)
        .where(
            Escalation.id == e.id,
            Escalation.recipient_id == e.recipient_id,
            Escalation.status.in_(WAITING),  # type: ignore[attr-defined]
        )
        .values(
            recipient_id=choice.staff_id,
            rule=choice.rule.value,
            deadline_at=new_deadline,
            moves=Escalation.moves + 1,
            overdue_since=func.coalesce(Escalation.overdue_since, e.deadline_at),
            status=Status.SENT.value,
            seen_at=None,
        )
    ).rowcount
    if changed != 1:
        return 0  # answered, or moved by another server, meanwhile
    session.add(_route(e, choice, now, new_deadline, "frist"))
    session.flush()
    return 1
