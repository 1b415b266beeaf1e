"""Overblik (DOMAIN §8): per follow-up kind, how many were held on time, held late, are coming,
are overdue or are missing, for a team, an area or the whole municipality.

Counting happens in the database: one GROUP BY query per page, whatever the number of teams,
citizens or follow-ups, with the buckets worked out by a CASE that mirrors
``webapp.domain.followups.classify``. The list behind a count is one more query. Everything
else here is pure shaping (which units a person may choose, the period, the table, the bar
geometry, the CSV) with no Flask and no clock.
"""

import csv
import functools
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Date, and_, case, cast, func, literal, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from webapp.domain.followups import Bucket, FollowUpKind, Status
from webapp.followups.operations import PATHWAY_CHANGE_REASON
from webapp.models import Area, Citizen, FollowUp, Staff, Team

#: The cancel reason operations.change_pathway writes: such a follow-up was replaced by the new
#: pathway's schedule, so it is not missing.

# ---------------------------------------------------------------------------------------------
# The period (by due date)

DEFAULT_DAYS_BACK = 90
DEFAULT_DAYS_AHEAD = 14
MAX_DAYS = 731
FIRST_YEAR, LAST_YEAR = 2000, 2099
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class PeriodError(ValueError):
    """A Danish message about the chosen period."""


def _day(day: date) -> str:
    return day.strftime("%d.%m.%Y")


@dataclass(frozen=True)
class Period:
    """Follow-ups due from ``start`` through ``end`` (both included)."""

    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{_day(self.start)}–{_day(self.end)}"

    @property
    def args(self) -> dict[str, str]:
        return {"fra": self.start.isoformat(), "til": self.end.isoformat()}


def default_period(today: date) -> Period:
    return Period(
        today - timedelta(days=DEFAULT_DAYS_BACK), today + timedelta(days=DEFAULT_DAYS_AHEAD)
    )


def _parse_day(text: str, what: str) -> date:
    text = text.strip()
    try:
        if not _ISO_DAY.fullmatch(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise PeriodError(
            f"{what}-datoen «{text[:20]}» er ikke en dato. Skriv den som ÅÅÅÅ-MM-DD, fx 2026-11-22."
        ) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PeriodError(f"{what}-datoen skal ligge mellem år {FIRST_YEAR} og {LAST_YEAR}.")
    return day


def parse_period(fra: str | None, til: str | None, today: date) -> Period:
    """``?fra=YYYY-MM-DD&til=YYYY-MM-DD``; a missing or empty one takes the default (the last 90
    days and the next 14). Raises PeriodError with a Danish message."""
    default = default_period(today)
    start = _parse_day(fra, "Fra") if fra and fra.strip() else default.start
    end = _parse_day(til, "Til") if til and til.strip() else default.end
    if start > end:
        raise PeriodError("Fra-datoen skal ligge før eller på til-datoen.")
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodError("Perioden kan højst være 2 år. Vælg en kortere periode.")
    return Period(start, end)


# ---------------------------------------------------------------------------------------------
# Units: the whole municipality, an area or a team, and who may choose which


class Level(StrEnum):
    MUNICIPALITY = "alle"
    AREA = "omraade"
    TEAM = "team"


@dataclass(frozen=True)
class TeamInfo:
    id: int
    name: str
    area_id: int
    area_name: str


@dataclass(frozen=True)
class Unit:
    """What ``?enhed=`` names: ``alle``, ``omraade-<id>`` or ``team-<id>``. ``drill`` says whether
    the person may open the citizens behind the counts (never admin without a citizen role)."""

    key: str
    name: str
    level: Level
    teams: tuple[TeamInfo, ...]
    drill: bool

    @property
    def team_ids(self) -> tuple[int, ...]:
        return tuple(t.id for t in self.teams)


MUNICIPALITY_NAME = "Hele kommunen"


def units_for(teams: Sequence[TeamInfo], *, is_admin: bool, visible: frozenset[int]) -> list[Unit]:
    """The units a person may look at, widest first: the municipality, areas, then teams.

    Admin may look at every unit (counts only). Anyone else may look at a unit when every team
    in it is in their scope (``visible``): their own team(s), and for a health-unit leader the
    area's teams. Drill-down needs the teams in scope, whatever the roles.
    """

    def unit(key: str, name: str, level: Level, members: Sequence[TeamInfo]) -> Unit | None:
        if not members:
            return None
        in_scope = all(t.id in visible for t in members)
        if not (is_admin or in_scope):
            return None
        return Unit(key, name, level, tuple(members), drill=in_scope)

    areas: dict[int, list[TeamInfo]] = {}
    for team in teams:
        areas.setdefault(team.area_id, []).append(team)
    candidates = [unit(Level.MUNICIPALITY.value, MUNICIPALITY_NAME, Level.MUNICIPALITY, teams)]
    for area_id, members in sorted(areas.items(), key=lambda item: item[1][0].area_name):
        candidates.append(
            unit(f"{Level.AREA.value}-{area_id}", members[0].area_name, Level.AREA, members)
        )
    for team in sorted(teams, key=lambda t: (t.area_name, t.name)):
        candidates.append(unit(f"{Level.TEAM.value}-{team.id}", team.name, Level.TEAM, [team]))
    return [u for u in candidates if u is not None]


def find_unit(units: Sequence[Unit], key: str) -> Unit | None:
    return next((u for u in units if u.key == key), None)


# ---------------------------------------------------------------------------------------------
# SQL: the local day of a stored UTC time, the bucket, what counts


@functools.lru_cache(maxsize=64)
def offset_segments(
    zone: ZoneInfo, start: datetime, end: datetime
) -> tuple[tuple[datetime, int], ...]:
    """The zone's UTC offset in minutes from ``start`` to ``end`` (aware): ``(from, minutes)``
    pairs, the first from ``start``, each holding until the next one's ``from`` (exact to the
    second; assumes at most one change in any 6 hours, as every real zone does)."""

    def minutes(at: float) -> int:
        offset = datetime.fromtimestamp(at, UTC).astimezone(zone).utcoffset()
        return int(offset.total_seconds() // 60) if offset is not None else 0

    first, last = int(start.timestamp()), int(end.timestamp())
    segments = [(start.astimezone(UTC), minutes(first))]
    step = 6 * 3600
    probe = first
    while probe < last:
        following = min(probe + step, last)
        if minutes(following) != segments[-1][1]:
            lo, hi = probe, following
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if minutes(mid) == segments[-1][1] else (lo, mid)
            segments.append((datetime.fromtimestamp(hi, UTC), minutes(hi)))
        probe = following
    return tuple(segments)


def local_day(column, dialect: str, zone: ZoneInfo, period: Period) -> ColumnElement:
    """SQL for the local calendar day of a stored UTC time, for comparing with a due date in
    ``period``.

    PostgreSQL converts with its own zone database. SQLite has none, so the zone's offsets
    around the period are bound into a CASE. Outside that window the nearest offset is used,
    which cannot change the comparison: a time more than two days before the period's first
    due date is on its local day before it, whatever the offset, and one more than two days
    after the last due date is after it.
    """
    if dialect == "postgresql":
        return cast(func.timezone(zone.key, column), Date)
    start = datetime.combine(period.start - timedelta(days=2), time(), UTC)
    end = datetime.combine(period.end + timedelta(days=3), time(), UTC)
    segments = offset_segments(zone, start, end)
    modifiers = [f"{m:+d} minutes" for _, m in segments]
    if len(segments) == 1:
        return func.date(column, modifiers[0])
    whens = [(column < at, modifiers[i]) for i, (at, _) in enumerate(segments[1:])]
    return func.date(column, case(*whens, else_=modifiers[-1]))


def bucket_expression(done_on: ColumnElement, today: date) -> ColumnElement[str]:
    """``classify`` in SQL: cancelled → missing; done on or before the due day → on time, after
    → late; open and due today or later → due; open and due before today → overdue."""
    held = case((done_on <= FollowUp.due_date, Bucket.ON_TIME.value), else_=Bucket.LATE.value)
    return case(
        (FollowUp.status == Status.CANCELLED.value, Bucket.MISSING.value),
        (FollowUp.status == Status.DONE.value, held),
        (FollowUp.due_date >= today, Bucket.DUE.value),
        else_=Bucket.OVERDUE.value,
    )


def counted() -> ColumnElement[bool]:
    """Every follow-up counts, except a cancelled one that was replaced: postponed (a newer row
    has ``replaces_id`` = its id) or cancelled by a forløbsskift. Those were never missing."""
    replacement = aliased(FollowUp)
    replaced = select(replacement.replaces_id).where(
        replacement.replaces_id.is_not(None)  # type: ignore[union-attr]
    )
    return or_(
        FollowUp.status != Status.CANCELLED.value,
        and_(
            FollowUp.cancel_reason != PATHWAY_CHANGE_REASON,
            FollowUp.id.not_in(replaced),  # type: ignore[union-attr]
        ),
    )


def _filters(team_ids: Sequence[int], period: Period) -> list[ColumnElement[bool]]:
    return [
        Citizen.team_id.in_(list(team_ids)),  # type: ignore[attr-defined]
        FollowUp.due_date >= period.start,  # type: ignore[operator]
        FollowUp.due_date <= period.end,  # type: ignore[operator]
        counted(),
    ]


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# ---------------------------------------------------------------------------------------------
# Queries


def teams(session: Session) -> list[TeamInfo]:
    """Every team with its area, by area then team name. One query."""
    rows = session.exec(
        select(Team.id, Team.name, Team.area_id, Area.name)
        .join(Area, Area.id == Team.area_id)
        .order_by(Area.name, Team.name)
    ).all()
    return [TeamInfo(*row) for row in rows]


@dataclass(frozen=True)
class Count:
    team_id: int
    kind: str
    bucket: Bucket
    n: int


def counts(
    session: Session, team_ids: Sequence[int], period: Period, today: date, zone: ZoneInfo
) -> list[Count]:
    """One query: follow-ups due in ``period`` for citizens of ``team_ids``, counted per team,
    kind and bucket (GROUP BY in the database; the bucket is computed per row in a subquery)."""
    if not team_ids:
        return []
    done_on = local_day(FollowUp.done_at, _dialect(session), zone, period)
    per_row = (
        select(
            Citizen.team_id.label("team_id"),  # type: ignore[attr-defined]
            FollowUp.kind.label("kind"),  # type: ignore[attr-defined]
            bucket_expression(done_on, today).label("bucket"),
        )
        .join(Citizen, Citizen.id == FollowUp.citizen_id)
        .where(*_filters(team_ids, period))
        .subquery()
    )
    rows = session.exec(
        select(per_row.c.team_id, per_row.c.kind, per_row.c.bucket, func.count()).group_by(
            per_row.c.team_id, per_row.c.kind, per_row.c.bucket
        )
    ).all()
    return [Count(team_id, kind, Bucket(bucket), n) for team_id, kind, bucket, n in rows]


@dataclass(frozen=True)
class Listed:
    """One follow-up behind a count, with the names the list shows."""

    id: int
    citizen_id: int
    citizen_name: str
    team_id: int
    kind: str
    title: str
    due_date: date
    owner_name: str
    bucket: Bucket
    done_at: datetime | None
    cancel_reason: str | None


DRILL_LIMIT = 500


def listed(
    session: Session,
    team_ids: Sequence[int],
    period: Period,
    today: date,
    zone: ZoneInfo,
    kind: str | None = None,
    bucket: Bucket | None = None,
    limit: int = DRILL_LIMIT,
) -> list[Listed]:
    """One query: the follow-ups behind a count (``kind`` and ``bucket`` None mean all), by due
    date and citizen name; at most ``limit`` + 1 rows, so the caller can tell there are more."""
    if not team_ids:
        return []
    done_on = local_day(FollowUp.done_at, _dialect(session), zone, period)
    bucket_sql = bucket_expression(done_on, today)
    owner = aliased(Staff)
    stmt = (
        select(
            FollowUp.id,
            FollowUp.citizen_id,
            Citizen.full_name,
            Citizen.team_id,
            FollowUp.kind,
            FollowUp.title,
            FollowUp.due_date,
            owner.full_name,
            bucket_sql,
            FollowUp.done_at,
            FollowUp.cancel_reason,
        )
        .join(Citizen, Citizen.id == FollowUp.citizen_id)
        .join(owner, owner.id == FollowUp.owner_id)
        .where(*_filters(team_ids, period))
    )
    if kind is not None:
        stmt = stmt.where(FollowUp.kind == kind)
    if bucket is not None:
        stmt = stmt.where(bucket_sql == literal(bucket.value))
    stmt = stmt.order_by(FollowUp.due_date, Citizen.full_name, FollowUp.id).limit(limit + 1)  # type: ignore[arg-type]
    return [
        Listed(*row[:8], Bucket(row[8]), row[9], row[10])  # type: ignore[arg-type]
        for row in session.exec(stmt).all()
    ]


# ---------------------------------------------------------------------------------------------
# Shaping: the table per kind, the totals per team


def kind_label(kind: str) -> str:
    try:
        return FollowUpKind(kind).label
    except ValueError:
        return kind


_KIND_ORDER = {kind.value: i for i, kind in enumerate(FollowUpKind)}


def held_share(buckets: Mapping[Bucket, int]) -> int | None:
    """Held (on time + late) as a whole percent, rounded half up, of those that were due:
    everything except the coming ones (open and not yet due). None when none were due."""
    held = buckets[Bucket.ON_TIME] + buckets[Bucket.LATE]
    due = held + buckets[Bucket.OVERDUE] + buckets[Bucket.MISSING]
    if due == 0:
        return None
    return int((Decimal(held * 100) / due).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Line:
    """One row of the table: a kind (``kind`` None for the total)."""

    kind: str | None
    label: str
    buckets: Mapping[Bucket, int]

    @property
    def total(self) -> int:
        return sum(self.buckets.values())

    @property
    def share(self) -> int | None:
        return held_share(self.buckets)

    @property
    def screen_label(self) -> str:
        """The label for the screen (never the CSV): long words may break."""
        return breakable(self.label)

    @property
    def share_text(self) -> str:
        return "–" if self.share is None else f"{self.share} %"


TOTAL_LABEL = "Alle opfølgninger"

#: Where the kinds' long compound words may break on a narrow screen (a soft hyphen is put
#: before these parts), so the sticky label column of the table stays narrow on a phone.
_JOINTS = re.compile(r"(?<=\w)(samtale|faglig|pleje)", re.IGNORECASE)
SOFT_HYPHEN = "\u00ad"


def breakable(label: str) -> str:
    """``label`` with soft hyphens at compound joints: Planlægnings­samtale, sundheds­faglige."""
    return _JOINTS.sub(lambda m: SOFT_HYPHEN + m.group(1), label)


@dataclass(frozen=True)
class Table:
    lines: tuple[Line, ...]
    total: Line


def _empty() -> dict[Bucket, int]:
    return dict.fromkeys(Bucket, 0)


def table(rows: Iterable[Count], team_ids: Iterable[int] | None = None) -> Table:
    """Per kind (in FollowUpKind order, unknown kinds last; only kinds with follow-ups), summed
    over the teams in ``team_ids`` (None: all rows), and the total."""
    wanted = None if team_ids is None else set(team_ids)
    per_kind: dict[str, dict[Bucket, int]] = {}
    total = _empty()
    for row in rows:
        if wanted is not None and row.team_id not in wanted:
            continue
        per_kind.setdefault(row.kind, _empty())[row.bucket] += row.n
        total[row.bucket] += row.n
    order = sorted(per_kind, key=lambda k: (_KIND_ORDER.get(k, len(_KIND_ORDER)), k))
    lines = tuple(Line(k, kind_label(k), per_kind[k]) for k in order)
    return Table(lines, Line(None, TOTAL_LABEL, total))


# ---------------------------------------------------------------------------------------------
# The bar per team (SVG geometry; the template only draws it)

BAR_WIDTH = 320
BAR_TOP, BAR_HEIGHT = 2.0, 16.0
NUMBER_Y, WORD_Y = 36.0, 50.0
BAR_VIEW_HEIGHT = 56
COLUMN = BAR_WIDTH / len(Bucket)

#: Fill, and a pattern for the two that need acting on, so no bucket is told by colour alone.
FILLS = {
    Bucket.ON_TIME: "#17713a",
    Bucket.LATE: "#8cc59a",
    Bucket.DUE: "#a9b8c6",
    Bucket.OVERDUE: "#d9a400",
    Bucket.MISSING: "#9b1515",
}
PATTERNED = frozenset({Bucket.OVERDUE, Bucket.MISSING})
#: The words under the numbers (short forms of the column headings).
WORDS = {
    Bucket.ON_TIME: "til tiden",
    Bucket.LATE: "for sent",
    Bucket.DUE: "kommende",
    Bucket.OVERDUE: "overskredet",
    Bucket.MISSING: "mangler",
}


@dataclass(frozen=True)
class Segment:
    bucket: Bucket
    x: float
    width: float
    count: int
    title: str


@dataclass(frozen=True)
class Figure:
    """A number and its word, in the bucket's column under the bar."""

    bucket: Bucket
    x: float
    count: int
    word: str


@dataclass(frozen=True)
class TeamBar:
    team: TeamInfo
    total: int
    share: int | None
    segments: tuple[Segment, ...]
    figures: tuple[Figure, ...]
    summary: str
    width: int = BAR_WIDTH
    height: int = BAR_VIEW_HEIGHT
    bar_top: float = BAR_TOP
    bar_height: float = BAR_HEIGHT
    number_y: float = NUMBER_Y
    word_y: float = WORD_Y

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def stats(self) -> str:
        held = "" if self.share is None else f" · {self.share} % holdt"
        return f"{self.total} i alt{held}"


def _count_words(buckets: Mapping[Bucket, int]) -> str:
    return ", ".join(f"{buckets[b]} {b.label.lower()}" for b in Bucket)


def team_bar(team: TeamInfo, buckets: Mapping[Bucket, int]) -> TeamBar:
    """A 100 % stacked bar (segments in Bucket order, edges rounded so they meet) and the five
    numbers with words in fixed columns underneath; ``summary`` says it all in words."""
    total = sum(buckets.values())
    segments = []
    running = 0
    for bucket in Bucket:
        n = buckets[bucket]
        if n and total:
            left = round(running * BAR_WIDTH / total, 1)
            running += n
            right = round(running * BAR_WIDTH / total, 1)
            title = f"{bucket.label}: {n}"
            segments.append(Segment(bucket, left, round(right - left, 1), n, title))
    figures = tuple(
        Figure(b, round(i * COLUMN + 1, 1), buckets[b], WORDS[b]) for i, b in enumerate(Bucket)
    )
    share = held_share(buckets)
    if total == 0:
        summary = f"{team.name}: ingen opfølgninger i perioden."
    else:
        held = "" if share is None else f" {share} % holdt."
        summary = f"{team.name}: {total} opfølgninger: {_count_words(buckets)}.{held}"
    return TeamBar(team, total, share, tuple(segments), figures, summary)


def team_bars(rows: Iterable[Count], teams_: Sequence[TeamInfo]) -> list[TeamBar]:
    """One bar per team, in the order given, summed over every kind."""
    per_team: dict[int, dict[Bucket, int]] = {t.id: _empty() for t in teams_}
    for row in rows:
        if row.team_id in per_team:
            per_team[row.team_id][row.bucket] += row.n
    return [team_bar(t, per_team[t.id]) for t in teams_]


# ---------------------------------------------------------------------------------------------
# CSV for Danish Excel: UTF-8 with BOM, semicolons, counts only (no citizen data)

CSV_HEADER = (
    "Enhed",
    "Opfølgning",
    *(b.label for b in Bucket),
    "I alt",
    "Holdt (%)",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _csv_line(unit_name: str, line: Line) -> list[str]:
    share = "" if line.share is None else str(line.share)
    return [
        _cell(unit_name),
        _cell(line.label),
        *(str(line.buckets[b]) for b in Bucket),
        str(line.total),
        share,
    ]


def csv_text(unit: Unit, rows: Sequence[Count]) -> str:
    """The unit's table, then (for an area or the municipality) each team's, with the BOM."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    sections = [(unit.name, None)]
    if len(unit.teams) > 1:
        sections += [(t.name, [t.id]) for t in unit.teams]
    for name, team_ids in sections:
        shaped = table(rows, team_ids)
        for line in (*shaped.lines, shaped.total):
            writer.writerow(_csv_line(name, line))
    return out.getvalue()


_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe"})


def slug(text: str) -> str:
    ascii_text = text.lower().translate(_ASCII)
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "enhed"


def csv_filename(unit: Unit, period: Period) -> str:
    """overblik-team-hasle-2026-08-24-til-2026-12-06.csv"""
    return f"overblik-{slug(unit.name)}-{period.start.isoformat()}-til-{period.end.isoformat()}.csv"
