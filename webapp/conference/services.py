"""The forløbskonference in the database: schedules, the conference of a day, putting a
citizen on the list (with the cut-off), suggestions, the leader's order and carry-over.
The rules themselves are in webapp/domain/conference.py."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from webapp.domain import conference as rules
from webapp.domain.conference import Schedule, Suggestion
from webapp.domain.followups import FollowUpKind
from webapp.domain.followups import Status as FollowUpStatus
from webapp.models import (
    Citizen,
    Conference,
    ConferenceItem,
    ConferenceSchedule,
    Escalation,
    FollowUp,
    TriageChange,
)

ON_LIST = "paa_listen"
MOVED = "flyttet"
DONE = "behandlet"
REMOVED = "fjernet"

NO_REASON = "Skriv kort, hvorfor borgeren skal på konferencen."
REASON_TOO_LONG = f"Begrundelsen må højst være {rules.MAX_REASON} tegn."


class ConferenceError(ValueError):
    """A Danish message; nothing was changed."""


def schedule_for(session: Session, team_id: int) -> Schedule:
    row = session.exec(
        select(ConferenceSchedule).where(ConferenceSchedule.team_id == team_id)
    ).first()
    if row is None:
        return rules.DEFAULT_SCHEDULE
    return Schedule(
        weekdays=tuple(int(d) for d in row.weekdays.split(",") if d.strip()),
        start=row.start,
        minutes=row.minutes,
        capacity=row.capacity,
        cutoff_days_before=row.cutoff_days_before,
        cutoff_time=row.cutoff_time,
    )


def save_schedule(session: Session, team_id: int, schedule: Schedule) -> None:
    row = session.exec(
        select(ConferenceSchedule).where(ConferenceSchedule.team_id == team_id)
    ).first() or ConferenceSchedule(team_id=team_id)
    row.weekdays = ",".join(str(d) for d in schedule.weekdays)
    row.start, row.minutes, row.capacity = schedule.start, schedule.minutes, schedule.capacity
    row.cutoff_days_before, row.cutoff_time = schedule.cutoff_days_before, schedule.cutoff_time
    session.add(row)
    session.flush()


def conference_on(
    session: Session, team_id: int, day: date, schedule: Schedule, zone: ZoneInfo
) -> Conference:
    """The team's conference on `day`, created on first use (two people at once: one row)."""
    found = _find(session, team_id, day)
    if found is not None:
        return found
    row = Conference(
        team_id=team_id,
        day=day,
        starts_at=rules.starts_at(schedule, day, zone).astimezone(UTC),
        minutes=schedule.minutes,
        capacity=schedule.capacity,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        found = _find(session, team_id, day)
        assert found is not None
        return found
    return row


def _find(session: Session, team_id: int, day: date) -> Conference | None:
    return session.exec(
        select(Conference).where(Conference.team_id == team_id, Conference.day == day)
    ).first()


def items(session: Session, conference_id: int, statuses=(ON_LIST, DONE)) -> list[ConferenceItem]:
    return list(
        session.exec(
            select(ConferenceItem)
            .where(
                ConferenceItem.conference_id == conference_id,
                ConferenceItem.status.in_(statuses),  # type: ignore[attr-defined]
            )
            .order_by(ConferenceItem.position, ConferenceItem.id)  # type: ignore[arg-type]
        ).all()
    )


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ConferenceError(NO_REASON)
    if len(reason) > rules.MAX_REASON:
        raise ConferenceError(REASON_TOO_LONG)
    return reason


@dataclass(frozen=True)
class Placed:
    item: ConferenceItem
    conference: Conference
    #: True when the cut-off had passed for the next conference, so it went to the following.
    after_cutoff: bool


def put_on_list(
    session: Session,
    citizen: Citizen,
    *,
    by: int,
    reason: str,
    now: datetime,
    zone: ZoneInfo,
    suggestion: Suggestion | None = None,
    escalation_id: int | None = None,
    conference: Conference | None = None,
) -> Placed:
    """*Sæt på konference*: the next conference whose cut-off has not passed (or, when the
    leader accepts a suggestion, the conference being planned)."""
    reason = _check_reason(reason)
    schedule = schedule_for(session, citizen.team_id)
    if conference is None:
        day = rules.conference_for_entry(schedule, now, zone)
        conference = conference_on(session, citizen.team_id, day, schedule, zone)
    day = conference.day
    existing = session.exec(
        select(ConferenceItem).where(
            ConferenceItem.conference_id == conference.id,
            ConferenceItem.citizen_id == citizen.id,
        )
    ).first()
    if existing is not None and existing.status != REMOVED:
        raise ConferenceError(
            f"{citizen.full_name} står allerede på listen til konferencen {day.strftime('%d.%m.')}."
        )
    position = _next_position(session, conference.id)  # type: ignore[arg-type]
    item = existing or ConferenceItem(
        conference_id=conference.id,  # type: ignore[arg-type]
        citizen_id=citizen.id,  # type: ignore[arg-type]
        reason=reason,
        raised_by_id=by,
        raised_at=now,
    )
    item.reason, item.raised_by_id, item.raised_at = reason, by, now
    item.status, item.position = ON_LIST, position
    item.suggestion = suggestion.value if suggestion else None
    item.escalation_id = escalation_id
    session.add(item)
    session.flush()
    next_day = rules.next_conference(schedule, now, zone)
    return Placed(item, conference, after_cutoff=day != next_day)


def _next_position(session: Session, conference_id: int) -> int:
    top = session.exec(
        select(func.max(ConferenceItem.position)).where(
            ConferenceItem.conference_id == conference_id
        )
    ).one()
    return (top or 0) + 1


def reorder(session: Session, conference: Conference, wanted: list[int]) -> list[ConferenceItem]:
    """The leader's order (item ids); items not named keep their relative order after."""
    listed = items(session, conference.id, (ON_LIST,))  # type: ignore[arg-type]
    order = rules.reorder([i.id for i in listed], wanted)  # type: ignore[misc]
    by_id = {i.id: i for i in listed}
    for position, item_id in enumerate(order, start=1):
        by_id[item_id].position = position
        session.add(by_id[item_id])
    session.flush()
    return [by_id[i] for i in order]


def move(session: Session, item: ConferenceItem, zone: ZoneInfo) -> ConferenceItem:
    """Move one item to the team's following conference (a new row there, last on its list)."""
    conference = session.get(Conference, item.conference_id)
    schedule = schedule_for(session, conference.team_id)
    target = conference_on(
        session, conference.team_id, rules.following(schedule, conference.day), schedule, zone
    )
    there = session.exec(
        select(ConferenceItem).where(
            ConferenceItem.conference_id == target.id,
            ConferenceItem.citizen_id == item.citizen_id,
        )
    ).first()
    item.status = MOVED
    session.add(item)
    if there is not None:  # already on the next list: keep that one
        session.flush()
        return there
    moved = ConferenceItem(
        conference_id=target.id,  # type: ignore[arg-type]
        citizen_id=item.citizen_id,
        reason=item.reason,
        raised_by_id=item.raised_by_id,
        raised_at=item.raised_at,
        suggestion=item.suggestion,
        escalation_id=item.escalation_id,
        position=_next_position(session, target.id),  # type: ignore[arg-type]
        moved_from_id=item.id,
    )
    session.add(moved)
    session.flush()
    return moved


def move_overflow(session: Session, conference: Conference, zone: ZoneInfo) -> list[ConferenceItem]:
    """Over capacity: everything after the first `capacity` in the leader's order moves to
    the following conference, in that order. One action."""
    listed = items(session, conference.id, (ON_LIST, DONE))  # type: ignore[arg-type]
    split = rules.split_at_capacity([i.id for i in listed], conference.capacity)  # type: ignore[misc]
    by_id = {i.id: i for i in listed}
    return [move(session, by_id[i], zone) for i in split.moved if by_id[i].status == ON_LIST]


# --- Suggestions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    citizen_id: int
    citizen_name: str
    kind: Suggestion
    text: str
    escalation_id: int | None = None


def suggestions(
    session: Session, team_id: int, conference: Conference, now: datetime, today: date
) -> list[Candidate]:
    """Citizens the leader may accept onto the list: new rød, requests *til konference*
    (sent so, or answered so), an upcoming forløbsskift, an overdue milestone. Citizens
    already on this list are left out; one line per citizen and kind."""
    on_list = select(ConferenceItem.citizen_id).where(
        ConferenceItem.conference_id == conference.id, ConferenceItem.status != REMOVED
    )
    in_team = select(Citizen.id).where(Citizen.team_id == team_id)
    names = dict(
        session.exec(select(Citizen.id, Citizen.full_name).where(Citizen.team_id == team_id)).all()
    )
    found: dict[tuple[int, Suggestion], Candidate] = {}

    def add(citizen_id: int, kind: Suggestion, text: str, escalation_id=None) -> None:
        found.setdefault(
            (citizen_id, kind),
            Candidate(citizen_id, names.get(citizen_id, ""), kind, text, escalation_id),
        )

    reds = session.exec(
        select(TriageChange.citizen_id, TriageChange.reason)
        .join(Citizen, Citizen.id == TriageChange.citizen_id)  # type: ignore[arg-type]
        .where(
            Citizen.team_id == team_id,
            Citizen.triage_colour == "roed",
            TriageChange.colour == "roed",
            TriageChange.kind == "sat",
            TriageChange.set_at >= now - rules.NEW_RED_WITHIN,
            Citizen.id.notin_(on_list),  # type: ignore[union-attr]
        )
        .order_by(TriageChange.set_at.desc())  # type: ignore[attr-defined]
    ).all()
    for citizen_id, reason in reds:
        add(citizen_id, Suggestion.NEW_RED, reason)
    requests = session.exec(
        select(Escalation.citizen_id, Escalation.id, Escalation.answer_text, Escalation.note)
        .where(
            Escalation.citizen_id.in_(in_team),  # type: ignore[attr-defined]
            Escalation.citizen_id.notin_(on_list),  # type: ignore[attr-defined]
            (Escalation.priority == "konference") | (Escalation.answer_kind == "konference"),
            Escalation.sent_at >= now - timedelta(days=14),
        )
        .order_by(Escalation.sent_at.desc())  # type: ignore[attr-defined]
    ).all()
    for citizen_id, escalation_id, answer, note in requests:
        add(
            citizen_id,
            Suggestion.ESCALATION,
            answer or note or "Sendt til konference",
            escalation_id,
        )
    due = session.exec(
        select(FollowUp.citizen_id, FollowUp.kind, FollowUp.title, FollowUp.due_date)
        .where(
            FollowUp.citizen_id.in_(in_team),  # type: ignore[attr-defined]
            FollowUp.citizen_id.notin_(on_list),  # type: ignore[attr-defined]
            FollowUp.status == FollowUpStatus.OPEN.value,
            FollowUp.kind.in_(("m1", "m2", "m3", "m4")),  # type: ignore[attr-defined]
            FollowUp.due_date <= today + rules.PATHWAY_END_WITHIN,
        )
        .order_by(FollowUp.due_date)
    ).all()
    for citizen_id, kind, title, due_date in due:
        when = due_date.strftime("%d.%m.")
        if due_date < today:
            add(citizen_id, Suggestion.OVERDUE_MILESTONE, f"{title}, frist {when}")
        elif kind == FollowUpKind.M3.value:
            add(citizen_id, Suggestion.PATHWAY_CHANGE, f"{title} {when}: forløbet slutter")
    order = list(Suggestion)
    return sorted(found.values(), key=lambda c: (order.index(c.kind), c.citizen_name))
