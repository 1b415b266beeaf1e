"""Reads and writes of the vagtplan. No Flask: callers pass the session, today and the shift
start times. Writes never fail on a duplicate (a double tap adds one row); services flush,
the request commits.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from webapp.domain.dates import is_valid_on
from webapp.domain.duty import (
    DEFAULT_SHIFT_STARTS,
    WEEKDAY_NAMES,
    Shift,
    is_weekend,
    shift_at,
    shift_span,
    week_days,
)
from webapp.domain.roles import Role
from webapp.models import Area, DutyShift, HealthUnit, Membership, MembershipKind, Staff, Team

#: Who may stand on a basisteam's roster.
ROSTER_ROLES = frozenset({Role.NURSE, Role.THERAPIST})

TO_AKUTTEAM = "Ingen – henvendelser går til akutteam"
TO_NURSES = "Ingen – henvendelser går til basisteamets sygeplejersker"
NO_NURSE_AKUTTEAM = "Ingen sygeplejerske – henvendelser går til akutteam"
NO_NURSE_NURSES = "Ingen sygeplejerske – henvendelser går til basisteamets sygeplejersker"

BAD_DAY = "Datoen er ugyldig. Brug formen ÅÅÅÅ-MM-DD."
TOO_FAR = "Vagtplanen går højst et år frem og et år tilbage fra i dag."
BAD_SHIFT = "Ukendt vagt. Vælg dag, aften eller nat."
NO_STAFF = "Vælg en medarbejder."
NOT_ATTACHED = "{name} er ikke tilknyttet basisteamet den {day}"
UNKNOWN_STAFF = "Medarbejderen er ikke tilknyttet basisteamet."


class Refused(Exception):
    """Input the vagtplan does not accept; `message` is Danish, for the planner."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- parsing and limits ----------------------------------------------------------------------


def years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def within_reach(day: date, today: date) -> bool:
    """The roster is kept from a year back to a year ahead."""
    return years_from(today, -1) <= day <= years_from(today, 1)


def parse_day(raw: str | None, today: date) -> date:
    """An ISO date within reach of today."""
    try:
        day = date.fromisoformat((raw or "").strip())
    except ValueError:
        raise Refused(BAD_DAY) from None
    if not within_reach(day, today):
        raise Refused(TOO_FAR)
    return day


def parse_shift(raw: str | None) -> Shift:
    try:
        return Shift((raw or "").strip())
    except ValueError:
        raise Refused(BAD_SHIFT) from None


def span_label(shift: Shift, starts: dict[Shift, time] = DEFAULT_SHIFT_STARTS) -> str:
    """Like "07–15"; minutes only when a shift does not start on the hour ("07.30–15")."""
    start, end = shift_span(date.min, shift, starts)
    return f"{_clock(start)}–{_clock(end)}"


def _clock(at: time) -> str:
    return f"{at:%H}" if at.minute == 0 else f"{at:%H.%M}"


def day_label(day: date) -> str:
    """Like "Mandag 23.11."."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day}.{day.month}."


def shift_on_day(shift: Shift, day: date) -> str:
    """Like "aftenvagten mandag 23.11.", for messages and button labels."""
    return f"{shift.label.lower()}vagten {day_label(day).lower()}"


# --- teams -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamNow:
    """A team on the chooser, with who is on duty now."""

    team: Team
    area: str
    on_duty: list[Staff]


def teams(session: Session, team_ids: frozenset[int]) -> list[tuple[Team, str]]:
    """The teams among `team_ids`, with their area's name, by area and name."""
    if not team_ids:
        return []
    rows = session.exec(
        select(Team, Area.name)
        .join(Area, Area.id == Team.area_id)  # type: ignore[arg-type]
        .where(Team.id.in_(sorted(team_ids)))  # type: ignore[union-attr]
        .order_by(Area.name, Team.name)
    ).all()
    return [(team, area) for team, area in rows]


def teams_now(session: Session, team_ids: frozenset[int], day: date, shift: Shift) -> list[TeamNow]:
    """The chooser: every team in scope, with who of its basisteam is on duty for the shift."""
    return [
        TeamNow(team, area, on_duty(session, team.id, day, shift))  # type: ignore[arg-type]
        for team, area in teams(session, team_ids)
    ]


def get_team(session: Session, team_id: int) -> Team | None:
    return session.get(Team, team_id)


def fallback(session: Session, team: Team) -> Staff | None:
    """The area's akutteam account, if the area has one (the same rule routing uses)."""
    return session.exec(
        select(Staff)
        .join(HealthUnit, HealthUnit.fallback_staff_id == Staff.id)  # type: ignore[arg-type]
        .where(HealthUnit.area_id == team.area_id, Staff.active.is_(True))  # type: ignore[attr-defined]
    ).first()


def attached_by_day(session: Session, team_id: int, days: list[date]) -> dict[date, list[Staff]]:
    """The basisteam's active nurses and therapists attached on each day, by name."""
    rows = session.exec(
        select(Staff, Membership.valid_from, Membership.valid_to)
        .join(Membership, Membership.staff_id == Staff.id)  # type: ignore[arg-type]
        .where(
            Membership.kind == MembershipKind.BASISTEAM,
            Membership.team_id == team_id,
            Staff.active.is_(True),  # type: ignore[attr-defined]
        )
        .order_by(Staff.full_name, Staff.id)
    ).all()
    result: dict[date, list[Staff]] = {}
    for day in days:
        seen: dict[int, Staff] = {}
        for person, start, end in rows:
            if person.role_set & ROSTER_ROLES and is_valid_on(start, end, day):
                seen.setdefault(person.id, person)  # type: ignore[arg-type]
        result[day] = list(seen.values())
    return result


# --- the week --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OnDuty:
    staff: Staff
    #: False when the person has left the basisteam since: routing then passes them by.
    attached: bool


@dataclass(frozen=True)
class Cell:
    day: date
    shift: Shift
    span: str
    people: list[OnDuty]
    #: Attached that day and not on this shift yet: the add control's options.
    choices: list[Staff]
    is_now: bool
    #: What the empty (or nurse-less) cell means for escalations; "" when a nurse is on.
    gap: str

    @property
    def label(self) -> str:
        return self.shift.label


@dataclass(frozen=True)
class Day:
    day: date
    label: str
    weekend: bool
    is_today: bool
    cells: list[Cell]


@dataclass(frozen=True)
class Now:
    day: date
    shift: Shift
    span: str
    people: list[Staff]
    gap: str
    fallback: Staff | None

    @property
    def label(self) -> str:
        return day_label(self.day)


@dataclass(frozen=True)
class Week:
    team: Team
    monday: date
    iso_week: int
    days: list[Day]
    previous: date | None
    next: date | None
    now: Now
    #: The week that holds today.
    is_current: bool

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def week(
    session: Session,
    team: Team,
    any_day: date,
    today: date,
    now_local: datetime,
    starts: dict[Shift, time] = DEFAULT_SHIFT_STARTS,
) -> Week:
    """The week that holds `any_day`: every day and shift, who is on, who could be added."""
    days = week_days(any_day)
    attached = attached_by_day(session, team.id, days)  # type: ignore[arg-type]
    rows = _rows(session, team.id, days[0], days[-1])  # type: ignore[arg-type]
    stand_in = fallback(session, team)
    now_day, now_shift = shift_at(now_local, starts)
    grid: list[Day] = []
    for day in days:
        attached_ids = {p.id for p in attached[day]}
        cells = []
        for shift in Shift:
            people = [OnDuty(p, p.id in attached_ids) for p in rows.get((day, shift), [])]
            on = {d.staff.id for d in people}
            cells.append(
                Cell(
                    day=day,
                    shift=shift,
                    span=span_label(shift, starts),
                    people=people,
                    choices=[p for p in attached[day] if p.id not in on],
                    is_now=(day, shift) == (now_day, now_shift),
                    gap=gap_text([d.staff for d in people if d.attached], stand_in),
                )
            )
        grid.append(Day(day, day_label(day), is_weekend(day), day == today, cells))
    now_people = on_duty(session, team.id, now_day, now_shift)  # type: ignore[arg-type]
    previous, following = days[0] - timedelta(days=7), days[0] + timedelta(days=7)
    return Week(
        team=team,
        monday=days[0],
        iso_week=days[0].isocalendar().week,
        days=grid,
        previous=previous if within_reach(previous, today) else None,
        next=following if within_reach(following, today) else None,
        now=Now(
            now_day,
            now_shift,
            span_label(now_shift, starts),
            now_people,
            gap_text(now_people, stand_in),
            stand_in,
        ),
        is_current=today in days,
    )


def gap_text(people: list[Staff], stand_in: Staff | None) -> str:
    """Where escalations go when the shift has no nurse of the basisteam on duty."""
    if any(Role.NURSE in p.role_set for p in people):
        return ""
    if people:
        return NO_NURSE_AKUTTEAM if stand_in else NO_NURSE_NURSES
    return TO_AKUTTEAM if stand_in else TO_NURSES


def on_duty(session: Session, team_id: int, day: date, shift: Shift) -> list[Staff]:
    """Who of the basisteam, attached on `day`, is on the roster for the shift."""
    attached = {p.id for p in attached_by_day(session, team_id, [day])[day]}
    return [p for p in _rows(session, team_id, day, day).get((day, shift), []) if p.id in attached]


def _rows(
    session: Session, team_id: int, first: date, last: date
) -> dict[tuple[date, Shift], list[Staff]]:
    rows = session.exec(
        select(DutyShift.day, DutyShift.shift, Staff)
        .join(Staff, Staff.id == DutyShift.staff_id)  # type: ignore[arg-type]
        .where(DutyShift.team_id == team_id, DutyShift.day >= first, DutyShift.day <= last)
        .order_by(Staff.full_name, Staff.id)
    ).all()
    result: dict[tuple[date, Shift], list[Staff]] = defaultdict(list)
    for day, shift, person in rows:
        result[(day, Shift(shift))].append(person)
    return result


# --- writes ----------------------------------------------------------------------------------


def add(
    session: Session, team: Team, day: date, shift: Shift, staff_id: int | None
) -> tuple[Staff, bool]:
    """Put an attached nurse or therapist on a shift; False when they already were."""
    if staff_id is None:
        raise Refused(NO_STAFF)
    attached = {p.id: p for p in attached_by_day(session, team.id, [day])[day]}  # type: ignore[arg-type]
    person = attached.get(staff_id)
    if person is None:
        known = session.get(Staff, staff_id)
        if known is None:
            raise Refused(UNKNOWN_STAFF)
        raise Refused(NOT_ATTACHED.format(name=known.full_name, day=day_label(day).lower()))
    row = {"team_id": team.id, "day": day, "shift": shift.value, "staff_id": person.id}
    # RETURNING tells whether the row was new (the drivers' row counts differ here).
    inserted = session.connection().execute(
        _insert_new(session).returning(DutyShift.__table__.c.id),  # type: ignore[attr-defined]
        row,
    )
    return person, inserted.first() is not None


def remove(
    session: Session, team: Team, day: date, shift: Shift, staff_id: int | None
) -> Staff | None:
    """Take a person off a shift; None when they were not on it (a double tap, say)."""
    if staff_id is None:
        raise Refused(NO_STAFF)
    row = session.exec(
        select(DutyShift).where(
            DutyShift.team_id == team.id,
            DutyShift.day == day,
            DutyShift.shift == shift.value,
            DutyShift.staff_id == staff_id,
        )
    ).first()
    if row is None:
        return None
    session.delete(row)
    session.flush()
    return session.get(Staff, staff_id)


def copy_previous_week(session: Session, team: Team, any_day: date) -> int:
    """Fill the week from the one before: adds the rows it lacks, for people still attached
    on the day; never removes anything. Returns how many rows were added."""
    days = week_days(any_day)
    before = days[0] - timedelta(days=7)
    attached = attached_by_day(session, team.id, days)  # type: ignore[arg-type]
    source = _rows(session, team.id, before, before + timedelta(days=6))  # type: ignore[arg-type]
    present = _rows(session, team.id, days[0], days[-1])  # type: ignore[arg-type]
    new = []
    for (day, shift), people in source.items():
        target = day + timedelta(days=7)
        allowed = {p.id for p in attached[target]}
        already = {p.id for p in present.get((target, shift), [])}
        for person in people:
            if person.id in allowed and person.id not in already:
                new.append(
                    {"team_id": team.id, "day": target, "shift": shift.value, "staff_id": person.id}
                )
    insert_new_shifts(session, new)
    return len(new)


def insert_new_shifts(session: Session, rows: list[dict]) -> None:
    """Many rows at once, leaving any that are already there (the demo, the copy).

    PostgreSQL gets one statement over four arrays (unnest): an executemany sends a statement
    per row, which for the Aarhus demo (13,000 rows) takes most of a second; SQLite's
    executemany runs in-process and is quick as it is."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(_insert_new(session), rows)
        return
    columns = {key: [row[key] for row in rows] for key in ("team_id", "day", "shift", "staff_id")}
    connection.execute(_UNNEST_INSERT, columns)


_UNNEST_INSERT = text(
    "INSERT INTO duty_shift (team_id, day, shift, staff_id)"
    " SELECT * FROM unnest(CAST(:team_id AS integer[]), CAST(:day AS date[]),"
    " CAST(:shift AS varchar[]), CAST(:staff_id AS integer[]))"
    " ON CONFLICT (team_id, day, shift, staff_id) DO NOTHING"
)


def _insert_new(session: Session):
    """INSERT … ON CONFLICT DO NOTHING: two planners (or two taps) adding the same person at
    once store one row and neither gets an error. Core, in the session's transaction."""
    table = DutyShift.__table__  # type: ignore[attr-defined]
    insert = (
        postgresql.insert if session.connection().dialect.name == "postgresql" else sqlite.insert
    )
    return insert(table).on_conflict_do_nothing(
        index_elements=["team_id", "day", "shift", "staff_id"]
    )
