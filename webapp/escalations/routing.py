"""The database half of routing: gather who might receive an escalation about a citizen
now, and let the pure rule (webapp/domain/escalation.py) put them in line."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from webapp.citizens.services import basisteam_staff
from webapp.domain.dates import is_valid_on
from webapp.domain.duty import DEFAULT_SHIFT_STARTS, Shift, shift_at
from webapp.domain.escalation import (
    RECEIVER_ROLES,
    Candidate,
    Choice,
    Priority,
    RoutingFacts,
    recipient_line,
)
from webapp.models import Citizen, DutyShift, HealthUnit, Membership, Staff, Team


@dataclass(frozen=True)
class Recipient:
    """The chosen person, with what the sender needs to see before sending."""

    staff: Staff
    choice: Choice


@dataclass(frozen=True)
class Line:
    people: list[Recipient]
    #: The forløbsansvarlig who would have been first but is not on duty now.
    responsible_off_duty: Staff | None = None

    @property
    def first(self) -> Recipient | None:
        return self.people[0] if self.people else None


def on_duty_ids(session: Session, staff_ids: list[int], day: date, shift: Shift, team_id=None):
    """Who of `staff_ids` is on the roster for the shift (for one team, or any team)."""
    if not staff_ids:
        return set()
    query = select(DutyShift.staff_id).where(
        DutyShift.day == day,
        DutyShift.shift == shift.value,
        DutyShift.staff_id.in_(staff_ids),  # type: ignore[attr-defined]
    )
    if team_id is not None:
        query = query.where(DutyShift.team_id == team_id)
    return set(session.exec(query).all())


def _works_with_team(session: Session, staff_id: int, team_id: int, today: date) -> bool:
    """A membership of the citizen's team (or an attachment to it) valid today: a nurse who
    left the basisteam, or whose temp contract ended, no longer receives its requests."""
    rows = session.exec(
        select(Membership.valid_from, Membership.valid_to).where(
            Membership.staff_id == staff_id, Membership.team_id == team_id
        )
    ).all()
    return any(is_valid_on(start, end, today) for start, end in rows)


def _fallback(session: Session, team_id: int) -> Staff | None:
    return session.exec(
        select(Staff)
        .join(HealthUnit, HealthUnit.fallback_staff_id == Staff.id)  # type: ignore[arg-type]
        .join(Team, Team.area_id == HealthUnit.area_id)  # type: ignore[arg-type]
        .where(Team.id == team_id, Staff.active.is_(True))  # type: ignore[attr-defined]
    ).first()


def _memo(memo: dict | None, key: tuple, compute):
    """Reuse a fact already read for another citizen of the same request (many citizens share
    a team, a shift and a forløbsansvarlig)."""
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def prefetch(
    session: Session,
    memo: dict,
    citizens: list[Citizen],
    moments: list[datetime],
    zone: ZoneInfo,
    starts: dict[Shift, time] = DEFAULT_SHIFT_STARTS,
) -> None:
    """Read, for many citizens at once, what `line_for` asks about their forløbsansvarlige
    (memberships of the citizen's team, the roster at each moment): two queries per moment
    instead of two per person."""
    pairs = {(c.forloebsansvarlig_id, c.team_id) for c in citizens if c.forloebsansvarlig_id}
    ids = sorted({rid for rid, _ in pairs})
    if not ids:
        return
    rows = session.exec(
        select(
            Membership.staff_id, Membership.team_id, Membership.valid_from, Membership.valid_to
        ).where(Membership.staff_id.in_(ids))  # type: ignore[attr-defined]
    ).all()
    for moment in moments:
        local = moment.astimezone(zone)
        today = local.date()
        day, shift = shift_at(local, starts)
        for rid, team in pairs:
            memo[("works", rid, team, today)] = any(
                sid == rid and tid == team and is_valid_on(start, end, today)
                for sid, tid, start, end in rows
            )
        on_duty = on_duty_ids(session, ids, day, shift)
        for rid in ids:
            memo[("duty", rid, day, shift)] = rid in on_duty


def line_for(
    session: Session,
    citizen: Citizen,
    priority: Priority,
    now: datetime,
    zone: ZoneInfo,
    starts: dict[Shift, time] = DEFAULT_SHIFT_STARTS,
    memo: dict | None = None,
) -> Line:
    """Everyone who may receive now, first the recipient (DOMAIN §7). Pass one `memo` dict to
    several calls to read each team's and person's facts once."""
    local = now.astimezone(zone)
    today = local.date()
    day, shift = shift_at(local, starts)
    team = citizen.team_id
    attached = _memo(memo, ("team", team, today), lambda: basisteam_staff(session, team, today))
    team_duty = _memo(
        memo,
        ("team_duty", team, day, shift),
        lambda: on_duty_ids(session, [s.id for s in attached], day, shift, team),  # type: ignore[misc]
    )
    people: dict[int, Staff] = {s.id: s for s in attached}  # type: ignore[misc]
    responsible = None
    responsible_staff = None
    if citizen.forloebsansvarlig_id:
        responsible_staff = session.get(Staff, citizen.forloebsansvarlig_id)
        if responsible_staff is not None:
            rid: int = responsible_staff.id  # type: ignore[assignment]
            people[rid] = responsible_staff
            works = _memo(
                memo,
                ("works", rid, team, today),
                lambda: _works_with_team(session, rid, team, today),
            )
            on_duty = _memo(
                memo,
                ("duty", rid, day, shift),
                lambda: bool(on_duty_ids(session, [rid], day, shift)),
            )
            responsible = Candidate(
                rid,
                responsible_staff.role_set,
                available=responsible_staff.active and works,
                on_duty=on_duty,
            )
    fallback_staff = _memo(memo, ("fallback", team), lambda: _fallback(session, team))
    fallback = None
    if fallback_staff is not None:
        people[fallback_staff.id] = fallback_staff  # type: ignore[index]
        fallback = Candidate(fallback_staff.id, fallback_staff.role_set)  # type: ignore[arg-type]
    facts = RoutingFacts(
        forloebsansvarlig=responsible,
        basisteam=[Candidate(s.id, s.role_set, on_duty=s.id in team_duty) for s in attached],  # type: ignore[arg-type]
        fallback=fallback,
    )
    choices = recipient_line(facts, priority)
    off_duty = None
    if (
        responsible is not None
        and responsible.available
        and responsible.roles & RECEIVER_ROLES
        and (not choices or choices[0].staff_id != responsible.staff_id)
    ):
        off_duty = responsible_staff
    return Line([Recipient(people[c.staff_id], c) for c in choices], off_duty)
