"""The forløbskonference (DOMAIN §9): when the next one is, the cut-off for putting a
citizen on its list, capacity and carry-over, the meeting timer, and a decision's rules.
Plain Python, no Flask.

The model comes from the team that made it work: twice a week, at most 30 minutes, usually
4–6 citizens; anyone may put a citizen on the list by the day before; a leader decides.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from webapp.domain.citizens import PathwayType
from webapp.domain.followups import pathway_change_errors
from webapp.domain.roles import Role

MAX_REASON = 280
MAX_DECISION = 1000
WEEKDAY_WORDS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


@dataclass(frozen=True)
class Schedule:
    """A basisteam's conference schedule (configurable per team)."""

    weekdays: tuple[int, ...] = (1, 3)  # Monday is 0: Tuesday and Thursday
    start: time = time(12, 0)
    minutes: int = 30
    capacity: int = 6
    #: Entries count for a conference until this many days before it, at `cutoff_time`.
    cutoff_days_before: int = 1
    cutoff_time: time = time(15, 0)

    def __post_init__(self) -> None:
        if not self.weekdays or any(not 0 <= d <= 6 for d in self.weekdays):
            raise ValueError("A schedule needs at least one weekday, 0–6.")
        if not 5 <= self.minutes <= 240 or not 1 <= self.capacity <= 40:
            raise ValueError("Minutes must be 5–240 and capacity 1–40.")
        if not 0 <= self.cutoff_days_before <= 7:
            raise ValueError("The cut-off must be 0–7 days before.")

    @property
    def text(self) -> str:
        days = " og ".join(WEEKDAY_WORDS[d] for d in sorted(self.weekdays))
        when = f"{days.capitalize()} kl. {self.start:%H.%M}"
        return f"{when}, {self.minutes} min., højst {self.capacity}"


DEFAULT_SCHEDULE = Schedule()


def meeting_days(schedule: Schedule, first: date, count: int) -> list[date]:
    """The next `count` conference days from `first` (inclusive)."""
    days: list[date] = []
    day = first
    while len(days) < count:
        if day.weekday() in schedule.weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def starts_at(schedule: Schedule, day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, schedule.start, zone)


def cutoff(schedule: Schedule, day: date, zone: ZoneInfo) -> datetime:
    """The last moment an entry counts for the conference on `day`. Never after the start:
    with a cut-off the same day, it is the earlier of the two."""
    at = datetime.combine(
        day - timedelta(days=schedule.cutoff_days_before), schedule.cutoff_time, zone
    )
    return min(at, starts_at(schedule, day, zone))


def conference_for_entry(schedule: Schedule, at: datetime, zone: ZoneInfo) -> date:
    """The conference a citizen put on the list at `at` goes to: the first one whose
    cut-off has not passed (an entry exactly at the cut-off still counts)."""
    local = at.astimezone(zone)
    for day in meeting_days(schedule, local.date(), 3 * 7):
        if local <= cutoff(schedule, day, zone):
            return day
    raise AssertionError("a schedule with a weekday has a conference within three weeks")


def next_conference(schedule: Schedule, at: datetime, zone: ZoneInfo) -> date:
    """The next conference that has not started yet."""
    local = at.astimezone(zone)
    for day in meeting_days(schedule, local.date(), 3 * 7):
        if local < starts_at(schedule, day, zone) + timedelta(minutes=schedule.minutes):
            return day
    raise AssertionError("a schedule with a weekday has a conference within three weeks")


def following(schedule: Schedule, day: date) -> date:
    """The conference after the one on `day`."""
    return meeting_days(schedule, day + timedelta(days=1), 1)[0]


@dataclass(frozen=True)
class Split:
    kept: list[int]
    moved: list[int]


def split_at_capacity(ordered: list[int], capacity: int) -> Split:
    """The leader's order decides: the first `capacity` stay, the rest move on."""
    return Split(ordered[:capacity], ordered[capacity:])


def reorder(current: list[int], wanted: list[int]) -> list[int]:
    """Apply the leader's order: ids in `wanted` first in that order, then any others in
    their current order (an item added meanwhile is never lost); unknown ids are ignored."""
    known = set(current)
    head: list[int] = []
    for item in wanted:
        if item in known and item not in head:
            head.append(item)
    return head + [item for item in current if item not in head]


def remaining_seconds(started: datetime, now: datetime, minutes: int) -> int:
    """The meeting timer: seconds left, negative once over time."""
    return int((started + timedelta(minutes=minutes) - now).total_seconds())


def timer_text(seconds: int) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 60:02d}:{seconds % 60:02d}"


# --- Suggestions ----------------------------------------------------------------------------


class Suggestion(StrEnum):
    """Why a citizen is suggested for the next conference (the leader accepts or not)."""

    NEW_RED = "ny_roed"
    ESCALATION = "henvendelse"
    PATHWAY_CHANGE = "forloebsskift"
    OVERDUE_MILESTONE = "milepael"

    @property
    def label(self) -> str:
        return {
            "ny_roed": "Ny rød",
            "henvendelse": "Henvendelse til konference",
            "forloebsskift": "Forløbsskift nærmer sig",
            "milepael": "Overskredet milepæl",
        }[self.value]


#: How far back a new rød counts, and how far ahead an upcoming forløbsskift.
NEW_RED_WITHIN = timedelta(days=7)
PATHWAY_END_WITHIN = timedelta(days=14)


# --- Decisions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    text: str
    owner_roles: frozenset[Role] | None
    follow_up_on: date | None
    pathway: PathwayType | None = None
    pathway_from: date | None = None
    new_forloebsansvarlig_roles: frozenset[Role] | None = None
    current_pathway_start: date | None = None


def decision_errors(d: Decision, today: date) -> list[str]:
    """Danish messages for every way a decision is incomplete; empty when it can be saved.

    A decision needs its text and a named owner; a follow-up date may not be in the past; a
    forløbsskift follows the follow-ups issue's rule ("the baton can only pass to a named
    person"), and needs its date."""
    errors: list[str] = []
    if not d.text.strip():
        errors.append("Skriv beslutningen.")
    elif len(d.text.strip()) > MAX_DECISION:
        errors.append(f"Beslutningen må højst være {MAX_DECISION} tegn.")
    if d.owner_roles is None:
        errors.append("Vælg hvem der er ansvarlig for beslutningen.")
    if d.follow_up_on is not None and d.follow_up_on < today:
        errors.append("Opfølgningsdatoen kan ikke ligge før i dag.")
    if d.pathway is not None:
        if d.pathway_from is None:
            errors.append("Skriv hvornår forløbsskiftet sker.")
        else:
            errors.extend(
                pathway_change_errors(
                    d.pathway,
                    d.new_forloebsansvarlig_roles,
                    d.pathway_from,
                    d.current_pathway_start or d.pathway_from,
                )
            )
    return errors
