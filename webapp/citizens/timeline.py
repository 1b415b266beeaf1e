"""Tidslinje: a citizen's observations, TOBS measurements, colour changes (set and
suggested) and nudge dismissals, newest first, as small frozen entries with everything the
template shows already worked out.

Four queries whatever the number of entries: one per source table, each joining the staff
member's name (and, for observations, the item labels and both ends of a correction).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from webapp.citizens.trend import TobsPoint
from webapp.domain.citizens import TriageColour
from webapp.domain.nudge import NO_CHANGE_LABEL
from webapp.domain.tobs import Consciousness, Parameter, TempMethod, format_decimal
from webapp.domain.triage import ChangeKind
from webapp.models import (
    Observation,
    ObservationEntry,
    ObservationItem,
    Staff,
    TobsDismissal,
    TobsMeasurement,
    TriageChange,
)

#: The windows a user can page through with "Vis ældre"; the last one is the cap.
WINDOWS = (30, 90, 180)
DEFAULT_DAYS = WINDOWS[0]
MAX_DAYS = WINDOWS[-1]


def parse_days(text: str | None) -> int:
    """`?dage=`: a whole number of days between the default and the cap; anything else is
    the default, and numbers outside are clamped."""
    if not text or not (text.isascii() and text.isdigit()):
        return DEFAULT_DAYS
    days = int(text) if len(text) <= 6 else MAX_DAYS
    return max(DEFAULT_DAYS, min(days, MAX_DAYS))


def older_window(days: int) -> int | None:
    """The next longer window for "Vis ældre", or None at the cap."""
    return next((w for w in WINDOWS if w > days), None)


def format_when(at: datetime, now: datetime) -> str:
    """Local time as "24.11. kl. 14.05"; with the year when it is not this year's."""
    year = "" if at.year == now.year else str(at.year)
    return f"{at.day:02d}.{at.month:02d}.{year} kl. {at.hour:02d}.{at.minute:02d}"


@dataclass(frozen=True)
class Ref:
    """A pointer from one timeline entry to another (a correction and what it corrects)."""

    anchor: str
    when: str
    shown: bool  # inside the window, so the anchor is on the page


@dataclass(frozen=True)
class ObservationRow:
    kind = "observation"
    id: int
    at: datetime  # local
    when: str
    who: str
    items: tuple[str, ...]
    no_change: bool
    note: str
    corrected_by: Ref | None  # this row was corrected: struck, no longer counted
    corrects: Ref | None  # this row corrects an earlier one

    @property
    def anchor(self) -> str:
        return f"obs-{self.id}"

    @property
    def counts(self) -> bool:
        """Counts in the trend: it has items and was not corrected (as in the nudge rule)."""
        return not self.no_change and bool(self.items) and self.corrected_by is None

    @property
    def headline(self) -> str:
        return "Rettelse af observation" if self.corrects else "Observation"

    @property
    def what(self) -> tuple[str, ...]:
        return (NO_CHANGE_LABEL,) if self.no_change or not self.items else self.items


@dataclass(frozen=True)
class TobsRow:
    kind = "tobs"
    id: int
    at: datetime
    when: str
    who: str
    total: int
    complete: bool
    values: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return f"tobs-{self.id}"

    @property
    def text(self) -> str:
        """The same words as TobsResult.text: a partial sum never passes for a score."""
        return f"TOBS-score {self.total}" + ("" if self.complete else " (ufuldstændig)")


@dataclass(frozen=True)
class ColourRow:
    kind = "colour"
    id: int
    at: datetime
    when: str
    who: str
    colour: TriageColour
    change: ChangeKind
    reason: str

    @property
    def anchor(self) -> str:
        return f"farve-{self.id}"

    @property
    def suggested(self) -> bool:
        return self.change is ChangeKind.SUGGESTED

    @property
    def headline(self) -> str:
        return "Triagefarve foreslået" if self.suggested else "Triagefarve sat"


@dataclass(frozen=True)
class DismissalRow:
    kind = "dismissal"
    id: int
    at: datetime
    when: str
    who: str
    reason: str

    headline = "Sygeplejerske afviste behov for TOBS"

    @property
    def anchor(self) -> str:
        return f"afvist-{self.id}"


Entry = ObservationRow | TobsRow | ColourRow | DismissalRow

#: Turns a stored time into (local time, "24.11. kl. 14.05").
_Local = Callable[[datetime], tuple[datetime, str]]

#: Same minute: the colour change after the TOBS after the observation that led to it.
_KIND_ORDER = {"dismissal": 3, "colour": 2, "tobs": 1, "observation": 0}


@dataclass(frozen=True)
class Timeline:
    days: int
    since: datetime  # local midnight starting the window
    entries: tuple[Entry, ...]

    @property
    def older_days(self) -> int | None:
        return older_window(self.days)

    @property
    def tobs_points(self) -> list[TobsPoint]:
        """The TOBS measurements, for the trend."""
        return [
            TobsPoint(e.at, e.total, e.complete) for e in self.entries if isinstance(e, TobsRow)
        ]

    @property
    def observation_times(self) -> list[datetime]:
        """When counting observations were made, for the trend."""
        return [e.at for e in self.entries if isinstance(e, ObservationRow) and e.counts]


def window_start(now: datetime, zone: ZoneInfo, days: int) -> datetime:
    """Local midnight ``days - 1`` days before today: the window is ``days`` whole local days."""
    today = now.astimezone(zone).date()
    return datetime.combine(today - timedelta(days=days - 1), time(), tzinfo=zone)


def citizen_timeline(
    session: Session,
    citizen_id: int,
    *,
    now: datetime,
    zone: ZoneInfo,
    days: int = DEFAULT_DAYS,
) -> Timeline:
    """Everything that happened to the citizen in the last ``days`` local days, newest first."""
    since = window_start(now, zone, days)
    local_now = now.astimezone(zone)

    def local(at: datetime) -> tuple[datetime, str]:
        if at.tzinfo is None:  # stored as UTC; a driver may hand it back without the zone
            at = at.replace(tzinfo=UTC)
        at = at.astimezone(zone)
        return at, format_when(at, local_now)

    entries: list[Entry] = [
        *_observations(session, citizen_id, since, now, local),
        *_tobs(session, citizen_id, since, now, local),
        *_colours(session, citizen_id, since, now, local),
        *_dismissals(session, citizen_id, since, now, local),
    ]
    entries.sort(key=lambda e: (e.at, _KIND_ORDER[e.kind], e.id), reverse=True)
    return Timeline(days=days, since=since, entries=tuple(entries))


def _observations(
    session: Session, citizen_id: int, since: datetime, now: datetime, local: _Local
) -> list[ObservationRow]:
    corrected = aliased(Observation)  # the row this one corrects
    correction = aliased(Observation)  # the row that corrects this one
    rows = session.exec(
        select(
            Observation.id,
            Observation.at,
            Observation.no_change,
            Observation.note,
            Staff.full_name,
            ObservationItem.label,
            corrected.id,
            corrected.at,
            correction.id,
            correction.at,
        )
        .join(Staff, Staff.id == Observation.staff_id)
        .outerjoin(ObservationEntry, ObservationEntry.observation_id == Observation.id)
        .outerjoin(ObservationItem, ObservationItem.id == ObservationEntry.item_id)
        .outerjoin(corrected, corrected.id == Observation.corrects_id)
        .outerjoin(correction, correction.corrects_id == Observation.id)
        .where(
            Observation.citizen_id == citizen_id,
            Observation.at >= since,
            Observation.at <= now,
        )
        .order_by(Observation.id, ObservationItem.position, ObservationItem.id)
    ).all()
    labels: dict[int, list[str]] = {}
    first: dict[int, tuple] = {}
    for row in rows:
        obs_id, label = row[0], row[5]
        first.setdefault(obs_id, row)
        labels.setdefault(obs_id, [])
        if label is not None:
            labels[obs_id].append(label)
    result = []
    for obs_id, row in first.items():
        _, at, no_change, note, who, _, old_id, old_at, new_id, new_at = row
        result.append(
            ObservationRow(
                obs_id,
                *local(at),
                who=who,
                items=tuple(labels[obs_id]),
                no_change=no_change,
                note=note,
                corrected_by=_ref(new_id, new_at, since, now, local),
                corrects=_ref(old_id, old_at, since, now, local),
            )
        )
    return result


def _ref(
    obs_id: int | None, at: datetime | None, since: datetime, now: datetime, local: _Local
) -> Ref | None:
    if obs_id is None or at is None:
        return None
    return Ref(f"obs-{obs_id}", local(at)[1], shown=since <= at <= now)


def _tobs(
    session: Session, citizen_id: int, since: datetime, now: datetime, local: _Local
) -> list[TobsRow]:
    rows = session.exec(
        select(TobsMeasurement, Staff.full_name)
        .join(Staff, Staff.id == TobsMeasurement.staff_id)
        .where(
            TobsMeasurement.citizen_id == citizen_id,
            TobsMeasurement.at >= since,
            TobsMeasurement.at <= now,
        )
    ).all()
    return [
        TobsRow(
            m.id,
            *local(m.at),
            who=who,
            total=m.total,
            complete=m.complete,
            values=tobs_values(m),
            missing=tobs_missing(m),
        )
        for m, who in rows
    ]


def _colours(
    session: Session, citizen_id: int, since: datetime, now: datetime, local: _Local
) -> list[ColourRow]:
    rows = session.exec(
        select(TriageChange, Staff.full_name)
        .join(Staff, Staff.id == TriageChange.set_by_id)
        .where(
            TriageChange.citizen_id == citizen_id,
            TriageChange.set_at >= since,
            TriageChange.set_at <= now,
        )
    ).all()
    return [
        ColourRow(
            t.id,
            *local(t.set_at),
            who=who,
            colour=t.triage_colour,
            change=ChangeKind(t.kind),
            reason=t.reason,
        )
        for t, who in rows
    ]


def _dismissals(
    session: Session, citizen_id: int, since: datetime, now: datetime, local: _Local
) -> list[DismissalRow]:
    rows = session.exec(
        select(TobsDismissal, Staff.full_name)
        .join(Staff, Staff.id == TobsDismissal.staff_id)
        .where(
            TobsDismissal.citizen_id == citizen_id,
            TobsDismissal.at >= since,
            TobsDismissal.at <= now,
        )
    ).all()
    return [DismissalRow(d.id, *local(d.at), who=who, reason=d.reason) for d, who in rows]


def _degrees(value: Decimal) -> str:
    """37.60 and 37.6 -> "37,6"; 37.45 -> "37,45" (measured values may have two decimals)."""
    tenths = value.quantize(Decimal("0.1"))
    return format_decimal(tenths if tenths == value else value.normalize())


def _temperature(measured: Decimal, method: str | None, corrected: Decimal | None) -> str:
    text = f"Temp. {_degrees(measured)} °C"
    if method is None:
        return text
    how = TempMethod(method)
    if corrected is not None and corrected != measured:
        return f"{text} ({how.label.lower()}, svarer til {_degrees(corrected)} rektalt)"
    return f"{text} ({how.label.lower()})"


def tobs_values(m: TobsMeasurement) -> tuple[str, ...]:
    """The measured values in short form: "Puls 92", "Resp. 18", "Temp. 37,5 °C (oral, …)",
    "BT 135", "Bevidsthed: Habituel", and SpO2 when recorded (never scored)."""
    values: list[str] = []
    if m.pulse is not None:
        values.append(f"Puls {m.pulse}")
    if m.respiration is not None:
        values.append(f"Resp. {m.respiration}")
    if m.temperature is not None:
        values.append(_temperature(m.temperature, m.temperature_method, m.corrected_temperature))
    if m.systolic is not None:
        values.append(f"BT {m.systolic}")
    if m.consciousness is not None:
        values.append(f"Bevidsthed: {Consciousness(m.consciousness).label}")
    if m.spo2 is not None:
        values.append(f"SpO₂ {m.spo2} %")
    return tuple(values)


def tobs_missing(m: TobsMeasurement) -> tuple[str, ...]:
    """The labels of the parameters that were not measured."""
    present: Sequence[tuple[Parameter, object]] = (
        (Parameter.PULSE, m.pulse),
        (Parameter.RESPIRATION, m.respiration),
        (Parameter.TEMPERATURE, m.temperature),
        (Parameter.SYSTOLIC, m.systolic),
        (Parameter.CONSCIOUSNESS, m.consciousness),
    )
    return tuple(p.label for p, value in present if value is None)
