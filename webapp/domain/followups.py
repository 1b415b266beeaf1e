"""Follow-ups (*opfølgninger*, DOMAIN §8): kinds, date rules, milestones and the overview buckets.

Pure: no Flask, no database, no clock. Times are timezone-aware datetimes passed in by the caller
(stored in UTC); where a local date is needed the caller passes the zone (Europe/Copenhagen).

Hverdage are Monday to Friday that are not Danish public holidays (*helligdage*), taken from the
maintained ``holidays`` library, never a hand-written calendar. What the library counts for DK
(checked with holidays 0.109, and pinned by tests):
  - public: nytårsdag, skærtorsdag, langfredag, påskedag, 2. påskedag, Kristi himmelfartsdag,
    pinsedag, 2. pinsedag, juledag, 2. juledag; store bededag only up to and including 2023
    (abolished from 2024).
  - *not* public (the library's "optional" category): 1. maj, grundlovsdag (5 June), juleaftensdag
    and nytårsaftensdag. They are not helligdage, so by default they are hverdage here; a
    municipality that wants them closed uses ``DanishHolidays(include_closing_days=True)``.
"""

import functools
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar
from zoneinfo import ZoneInfo

import holidays

from webapp.domain.citizens import PathwayType, TriageColour
from webapp.domain.roles import FORLOEBSANSVARLIG_ROLES, Role

# ---------------------------------------------------------------------------------------------
# Vocabulary


class FollowUpKind(StrEnum):
    M1 = "m1"
    M2 = "m2"
    M3 = "m3"
    M4 = "m4"
    HANDED_OVER = "overdraget"
    TRIAGE_SPARRING = "sparring"
    TRIAGE_NURSE = "sygeplejefaglig_vurdering"
    TOBS_REPEAT = "tobs_gentag"
    WEIGHING = "vejning"
    MANUAL = "manuel"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self.value]

    @property
    def is_milestone(self) -> bool:
        """M1–M4 of the pathway model (*forløbsmodellen*)."""
        return self.value in {"m1", "m2", "m3", "m4"}

    @property
    def needs_value(self) -> bool:
        """Done by entering a value (a weight in kg)."""
        return self is FollowUpKind.WEIGHING

    @property
    def recurs(self) -> bool:
        """Doing one creates the next (see ``next_occurrence``)."""
        return self in {FollowUpKind.M4, FollowUpKind.WEIGHING}


_KIND_LABELS = {
    "m1": "M1: Første sundhedsfaglige kontakt",
    "m2": "M2: Planlægningssamtale",
    "m3": "M3: Afslutningssamtale",
    "m4": "M4: Opfølgningssamtale",
    "overdraget": "Opfølgning på overdraget sygepleje",
    "sparring": "Sparring om gul borger",
    "sygeplejefaglig_vurdering": "Sygeplejerske vurderer rød borger",
    "tobs_gentag": "Gentag TOBS",
    "vejning": "Vejning",
    "manuel": "Opfølgning",
}


class Source(StrEnum):
    """Where a follow-up came from."""

    MILESTONE = "milepael"
    HANDED_OVER = "overdraget_sygepleje"
    TRIAGE = "triage"
    TOBS = "tobs"
    ESCALATION = "eskalering"
    CONFERENCE = "konference"
    MANUAL = "manuel"

    @property
    def label(self) -> str:
        return {
            "milepael": "Milepæl i forløbsmodellen",
            "overdraget_sygepleje": "Overdraget sygepleje",
            "triage": "Triage",
            "tobs": "TOBS",
            "eskalering": "Eskalering",
            "konference": "Forløbskonference",
            "manuel": "Oprettet manuelt",
        }[self.value]


class Status(StrEnum):
    OPEN = "aaben"
    DONE = "udfoert"
    CANCELLED = "aflyst"

    @property
    def label(self) -> str:
        return {"aaben": "Åben", "udfoert": "Udført", "aflyst": "Aflyst"}[self.value]


class OwnerRule(StrEnum):
    """Who owns a milestone; the caller resolves it to the citizen's named person."""

    KONTAKTPERSON = "kontaktperson"
    FORLOEBSANSVARLIG = "forloebsansvarlig"

    @property
    def label(self) -> str:
        return {"kontaktperson": "Kontaktperson", "forloebsansvarlig": "Forløbsansvarlig"}[
            self.value
        ]


class Bucket(StrEnum):
    """The overview's columns (*Overblik*), in screen order."""

    ON_TIME = "til_tiden"
    LATE = "for_sent"
    DUE = "kommende"
    OVERDUE = "overskredet"
    MISSING = "mangler"

    @property
    def label(self) -> str:
        return {
            "til_tiden": "Holdt til tiden",
            "for_sent": "Holdt for sent",
            "kommende": "Kommende",
            "overskredet": "Overskredet",
            "mangler": "Mangler",
        }[self.value]


class Section(StrEnum):
    """The sections of *Mine opfølgninger*, in screen order."""

    OVERDUE = "overskredet"
    TODAY = "i_dag"
    NEXT_14_DAYS = "naeste_14_dage"

    @property
    def label(self) -> str:
        return {
            "overskredet": "Overskredet",
            "i_dag": "I dag",
            "naeste_14_dage": "De næste 14 dage",
        }[self.value]


# ---------------------------------------------------------------------------------------------
# Configuration


@dataclass(frozen=True)
class Deadlines:
    """The configurable deadlines (DOMAIN §8). The mappings are read-only once constructed."""

    m1_hours: int = 48
    m1_after_discharge_hours: int = 24
    m2_weekdays: int = 7
    m3_weeks: Mapping[PathwayType, int] = field(
        default_factory=lambda: {PathwayType.SIMPLE: 8, PathwayType.COMPOSITE: 12}
    )
    m4_months: Mapping[PathwayType, int] = field(
        default_factory=lambda: {
            PathwayType.PERMANENT_MODERATE: 12,
            PathwayType.PERMANENT_CONSIDERABLE: 6,
        }
    )
    planner_horizon_weeks: int = 8
    weighing_months: int = 1
    triage_yellow_hours: int = 48
    triage_red_hours: int = 24
    tobs_repeat_count: int = 3
    tobs_repeat_window_hours: int = 24

    def __post_init__(self) -> None:
        object.__setattr__(self, "m3_weeks", MappingProxyType(dict(self.m3_weeks)))
        object.__setattr__(self, "m4_months", MappingProxyType(dict(self.m4_months)))

    def __hash__(self) -> int:
        return hash(
            tuple(
                tuple(sorted(value.items())) if isinstance(value, Mapping) else value
                for value in vars(self).values()
            )
        )


DEFAULT_DEADLINES = Deadlines()


# ---------------------------------------------------------------------------------------------
# Calendar


@functools.cache
def _holidays_in(year: int, categories: tuple[str, ...]) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DK", years=year, categories=categories))


@dataclass(frozen=True)
class DanishHolidays:
    """A ``Container[date]`` of Danish public holidays, cached per year (thread-safe to share).

    ``include_closing_days`` adds 1. maj, grundlovsdag, juleaftensdag and nytårsaftensdag, which
    are not helligdage but are days off in many agreements.
    """

    include_closing_days: bool = False

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        categories = ("public", "optional") if self.include_closing_days else ("public",)
        return day in _holidays_in(day.year, categories)


DANISH_HOLIDAYS = DanishHolidays()


def is_weekday(day: date, calendar: Container[date] | None = None) -> bool:
    """A hverdag: Monday–Friday and not in ``calendar`` (default: Danish public holidays)."""
    holidays_ = DANISH_HOLIDAYS if calendar is None else calendar
    return day.weekday() < 5 and day not in holidays_


def add_weekdays(start: date, n: int, calendar: Container[date] | None = None) -> date:
    """The ``n``-th hverdag after ``start``; ``start`` itself is never counted, and ``n=0``
    returns ``start`` unchanged (even on a weekend). Negative ``n`` is a ValueError."""
    if n < 0:
        raise ValueError("n must not be negative.")
    day = start
    while n:
        day += timedelta(days=1)
        if is_weekday(day, calendar):
            n -= 1
    return day


def _last_day(year: int, month: int) -> int:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (following - timedelta(days=1)).day


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later (or earlier when negative), clamped to the
    month's last day: 31 Jan + 1 month = 28/29 Feb; 29 Feb 2028 + 12 months = 28 Feb 2029."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _last_day(year, month)))


def planner_horizon_end(today: date, deadlines: Deadlines = DEFAULT_DEADLINES) -> date:
    """The last day the planner's list looks at: citizens are summoned at least 8 weeks ahead,
    so milestones due up to and including this day are to be booked now."""
    return today + timedelta(weeks=deadlines.planner_horizon_weeks)


# ---------------------------------------------------------------------------------------------
# Generated follow-ups


@dataclass(frozen=True)
class Due:
    """A follow-up to create. ``due_at`` (UTC) is set when the deadline is hour-precise
    (M1, triage, TOBS repeats); ``due_date`` is always the local date. ``owner`` None means the
    caller names the owner (e.g. the nurse on duty for a rød citizen)."""

    kind: FollowUpKind
    due_date: date
    due_at: datetime | None
    owner: OwnerRule | None
    title: str


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("A timezone-aware datetime is required.")


def _timed(kind: FollowUpKind, at: datetime, after: timedelta, zone: ZoneInfo, title: str) -> Due:
    """A deadline ``after`` elapsed time from ``at`` (UTC arithmetic: across a DST change the
    local clock time moves by an hour, the number of hours does not)."""
    _require_aware(at)
    due_at = at.astimezone(UTC) + after
    return Due(kind, due_at.astimezone(zone).date(), due_at, None, title)


def milestones(
    pathway: PathwayType,
    referral_at: datetime,
    started_on: date,
    after_discharge: bool,
    zone: ZoneInfo,
    deadlines: Deadlines = DEFAULT_DEADLINES,
) -> list[Due]:
    """The pathway model's milestones for a pathway, in date order.

    - M1 at ``referral_at`` + 48 elapsed hours (24 after discharge); ``due_date`` its local date.
    - M2 on the 7th hverdag after the local date of the referral.
    - M3 (enkelt, sammensat) ``started_on`` + 8 / 12 weeks.
    - M4 (varigt moderat, betydelig) the first at ``started_on`` + 12 / 6 months; the rest come
      from ``next_occurrence`` as each is done.
    M3 and M4 are not moved off weekends or holidays: the planner books an actual time anyway.

    Owners: the forløbsansvarlig, except in varigt moderat (which has none) where the
    kontaktperson owns every milestone.
    """
    _require_aware(referral_at)
    owner = (
        OwnerRule.KONTAKTPERSON
        if pathway is PathwayType.PERMANENT_MODERATE
        else OwnerRule.FORLOEBSANSVARLIG
    )
    hours = deadlines.m1_after_discharge_hours if after_discharge else deadlines.m1_hours
    m1 = _timed(FollowUpKind.M1, referral_at, timedelta(hours=hours), zone, FollowUpKind.M1.label)
    referral_day = referral_at.astimezone(zone).date()
    result = [
        Due(FollowUpKind.M1, m1.due_date, m1.due_at, owner, m1.title),
        Due(
            FollowUpKind.M2,
            add_weekdays(referral_day, deadlines.m2_weekdays),
            None,
            owner,
            FollowUpKind.M2.label,
        ),
    ]
    if pathway in deadlines.m3_weeks:
        m3_on = started_on + timedelta(weeks=deadlines.m3_weeks[pathway])
        result.append(Due(FollowUpKind.M3, m3_on, None, owner, FollowUpKind.M3.label))
    if pathway in deadlines.m4_months:
        m4_on = add_months(started_on, deadlines.m4_months[pathway])
        result.append(Due(FollowUpKind.M4, m4_on, None, owner, FollowUpKind.M4.label))
    return result


def next_occurrence(
    kind: FollowUpKind,
    pathway: PathwayType | None,
    done_on: date,
    due_date: date,
    deadlines: Deadlines = DEFAULT_DEADLINES,
) -> date | None:
    """The due date of the next occurrence once one of a recurring kind is done, else None.

    M4: ``due_date`` + 12 months (varigt moderat) / 6 months (varigt betydelig); None when the
    pathway is no longer a permanent one. WEIGHING: ``due_date`` + 1 month.

    Counted from the due date, not the done date, so holding a talk a little early or late does
    not make the rhythm drift. When that date is not after ``done_on`` (it was held a whole
    period or more late), the rhythm restarts from ``done_on`` instead, so the next one is never
    due on or before the day the last one was held.
    """
    if kind is FollowUpKind.M4:
        if pathway is None or pathway not in deadlines.m4_months:
            return None
        months = deadlines.m4_months[pathway]
    elif kind is FollowUpKind.WEIGHING:
        months = deadlines.weighing_months
    else:
        return None
    following = add_months(due_date, months)
    return following if following > done_on else add_months(done_on, months)


def triage_follow_up(
    old: TriageColour | None,
    new: TriageColour,
    at: datetime,
    zone: ZoneInfo,
    deadlines: Deadlines = DEFAULT_DEADLINES,
) -> Due | None:
    """The follow-up a change of triage colour creates, if any.

    A new gul (from grøn) → sparring within 48 h; a new rød (from gul or grøn) → a nurse's
    assessment within 24 h. Unchanged colours and moves toward grøn (rød → gul included)
    create nothing. ``old`` None (the first colour ever set) counts as grøn.
    """
    before = TriageColour.GREEN if old is None else old
    if new.urgency >= before.urgency:
        return None
    if new is TriageColour.RED:
        kind, hours = FollowUpKind.TRIAGE_NURSE, deadlines.triage_red_hours
    else:
        kind, hours = FollowUpKind.TRIAGE_SPARRING, deadlines.triage_yellow_hours
    return _timed(kind, at, timedelta(hours=hours), zone, kind.label)


def tobs_repeats(
    score_total: int,
    complete: bool,
    at: datetime,
    zone: ZoneInfo,
    deadlines: Deadlines = DEFAULT_DEADLINES,
) -> list[Due]:
    """For a complete TOBS scoring exactly 1: three repeats spread evenly over the next 24 h
    (due at +8 h, +16 h, +24 h), titled "Gentag TOBS (1 af 3)" and so on; otherwise [].

    An incomplete TOBS with a partial total of 1 is not a score of 1 (DOMAIN §5: a partial sum
    is never a score), so it creates nothing; the guidance there is to measure the rest.
    Whether a TOBS taken *as* a repeat starts a new series is the caller's choice.
    """
    if not complete or score_total != 1:
        return []
    count = deadlines.tobs_repeat_count
    step = timedelta(hours=deadlines.tobs_repeat_window_hours) / count
    return [
        _timed(
            FollowUpKind.TOBS_REPEAT,
            at,
            step * number,
            zone,
            f"{FollowUpKind.TOBS_REPEAT.label} ({number} af {count})",
        )
        for number in range(1, count + 1)
    ]


# ---------------------------------------------------------------------------------------------
# Lists and the overview


def classify(status: Status, due_date: date, done_on: date | None, today: date) -> Bucket:
    """Which overview column a follow-up counts in.

    Done on or before the due date → held on time (the due day itself is on time); done after →
    held late; open and due today or later → due; open and due before today → overdue;
    cancelled → missing (it was never held). A done follow-up without ``done_on`` is an error.
    """
    if status is Status.CANCELLED:
        return Bucket.MISSING
    if status is Status.DONE:
        if done_on is None:
            raise ValueError("A done follow-up needs the day it was done.")
        return Bucket.ON_TIME if done_on <= due_date else Bucket.LATE
    return Bucket.DUE if due_date >= today else Bucket.OVERDUE


K = TypeVar("K")


def overview_counts(rows: Iterable[tuple[K, Bucket]]) -> dict[K, dict[Bucket, int]]:
    """Count (kind, bucket) rows per kind; every bucket is present (zero when none), in
    ``Bucket`` order, and kinds keep the order they first appear in."""
    counts: dict[K, dict[Bucket, int]] = {}
    for kind, bucket in rows:
        per_kind = counts.setdefault(kind, dict.fromkeys(Bucket, 0))
        per_kind[bucket] += 1
    return counts


def list_section(due_date: date, today: date, horizon_days: int = 14) -> Section | None:
    """The section of *Mine opfølgninger* an open follow-up belongs in: overdue (before today),
    today, the next 14 days (tomorrow up to and including today + 14), or None beyond that."""
    if due_date < today:
        return Section.OVERDUE
    if due_date == today:
        return Section.TODAY
    if due_date <= today + timedelta(days=horizon_days):
        return Section.NEXT_14_DAYS
    return None


# ---------------------------------------------------------------------------------------------
# Forløbsskift


@dataclass(frozen=True)
class PathwayChange:
    """A proposed change of pathway. ``new_forloebsansvarlig_roles`` are the roles of the named
    new forløbsansvarlig, None when nobody is named. The kontaktperson never changes."""

    new_type: PathwayType
    new_forloebsansvarlig_roles: frozenset[Role] | None
    change_date: date
    current_start: date

    def errors(self) -> list[str]:
        return pathway_change_errors(
            self.new_type, self.new_forloebsansvarlig_roles, self.change_date, self.current_start
        )


def pathway_change_errors(
    new_type: PathwayType,
    new_forloebsansvarlig_roles: frozenset[Role] | None,
    change_date: date,
    current_start: date,
) -> list[str]:
    """Danish messages for every way a forløbsskift breaks the rules; empty when fine.

    A new forløbsansvarlig must be named (an SSA, nurse or therapist), except for a change to
    varigt moderat, where the kontaktperson takes over and nobody may be named. The change may
    not be dated before the current pathway started (the same day is allowed). A change to the
    same type is allowed (e.g. to restart the schedule); a future date is the caller's call.
    """
    errors: list[str] = []
    roles = new_forloebsansvarlig_roles
    if new_type is PathwayType.PERMANENT_MODERATE:
        if roles is not None:
            errors.append(
                "Et varigt moderat forløb har ingen forløbsansvarlig; kontaktpersonen overtager."
            )
    elif roles is None:
        errors.append("Forløbsskiftet kræver navnet på den nye forløbsansvarlige.")
    elif not roles & FORLOEBSANSVARLIG_ROLES:
        errors.append("Forløbsansvarlig skal være SOSU-assistent, sygeplejerske eller terapeut.")
    if change_date < current_start:
        errors.append(
            "Forløbsskiftet kan ikke ligge før det nuværende forløbs start"
            f" ({current_start.strftime('%d.%m.%Y')})."
        )
    return errors


# ---------------------------------------------------------------------------------------------
# Weighing

#: How far before the "1 month ago" / "3 months ago" day a baseline weighing may lie.
WEIGHT_BASELINE_WINDOW_DAYS: Mapping[int, int] = MappingProxyType({1: 45, 3: 120})

_PERCENT = Decimal("0.1")


def weight_change(
    weights: Sequence[tuple[date, Decimal]],
    today: date,
    months: int,
    window_days: int | None = None,
) -> Decimal | None:
    """Percent change over ``months``, one decimal rounded half up, or None.

    From the baseline, the latest weighing on or before ``add_months(today, -months)`` but not
    more than ``window_days`` before it (default 45 days for 1 month, 120 for 3, else
    31 per month), to the latest weighing on or before ``today``. None when there are fewer than
    two weighings, no baseline in the window, or the latest weighing is the baseline. Weighings
    after ``today`` are ignored; of two on one day the later one in ``weights`` counts.
    """
    if len(weights) < 2:
        return None
    window = (
        WEIGHT_BASELINE_WINDOW_DAYS.get(months, 31 * months) if window_days is None else window_days
    )
    target = add_months(today, -months)
    ordered = sorted((w for w in weights if w[0] <= today), key=lambda w: w[0])
    earlier = [w for w in ordered if target - timedelta(days=window) <= w[0] <= target]
    if not earlier:
        return None
    (base_on, base), (latest_on, latest) = earlier[-1], ordered[-1]
    if latest_on <= base_on or base <= 0:
        return None
    return ((latest - base) / base * 100).quantize(_PERCENT, rounding=ROUND_HALF_UP)
