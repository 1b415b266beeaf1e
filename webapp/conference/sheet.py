"""What the forløbskonference's two PDFs print (DOMAIN §9): the konferenceliste before the
meeting and the referat after it. Plain values, no Flask and no database: the conference
service fills a `ConferenceSheet` and `webapp.conference.pdf` renders it.

Times are local (Europe/Copenhagen), aware or naive, and printed as they are. Names are
people's display names. Nothing here has a CPR number, and nothing should be given one.

Formatting of dates and times lives here too (`day_text`, `moment_text`, ...), so the filler
can build its short lines (follow-ups, escalations) in the same style as the PDF.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from webapp.domain.citizens import PathwayType, TriageColour

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)

#: The list prints at most this many observations per citizen (newest first); the rest are
#: counted in one line ("+ 3 ældre observationer i Opspor").
MAX_OBSERVATIONS = 5


class ItemStatus(StrEnum):
    """A list entry's status, the same words as `conference_item.status`."""

    ON_LIST = "paa_listen"
    MOVED = "flyttet"
    DONE = "behandlet"
    REMOVED = "fjernet"


# --- Formatting -----------------------------------------------------------------------------


def day_text(d: date) -> str:
    """23.11. (a date in the near past or future)."""
    return f"{d.day:02d}.{d.month:02d}."


def full_day_text(d: date) -> str:
    """23.11.2025"""
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def long_day_text(d: date) -> str:
    """Tirsdag 25. november 2025 (the conference's own date, in the header)."""
    return f"{WEEKDAYS[d.weekday()].capitalize()} {d.day}. {MONTHS[d.month - 1]} {d.year}"


def weekday_day_text(d: date) -> str:
    """fredag 28.11.2025 (a follow-up date in the referat)."""
    return f"{WEEKDAYS[d.weekday()]} {full_day_text(d)}"


def clock_text(t: time | datetime) -> str:
    """10.12 (Danish uses a full stop between hours and minutes)."""
    return f"{t.hour:02d}.{t.minute:02d}"


def moment_text(at: datetime) -> str:
    """23.11. kl. 10.12"""
    return f"{day_text(at.date())} kl. {clock_text(at)}"


def full_moment_text(at: datetime) -> str:
    """23.11.2025 kl. 10.12"""
    return f"{full_day_text(at.date())} kl. {clock_text(at)}"


# --- The sheet ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TobsReading:
    """The latest TOBS: printed "TOBS 4, 23.11. kl. 10.12"."""

    score: int
    at: datetime
    #: A partial TOBS (not every parameter measured) is never a score: it says so.
    complete: bool = True

    @property
    def text(self) -> str:
        partial = "" if self.complete else " (ufuldstændig)"
        return f"TOBS {self.score}{partial}, {moment_text(self.at)}"


@dataclass(frozen=True)
class ObservationLine:
    """One observation from the last 7 days: when, what was ticked, and the free-text note."""

    at: datetime
    items: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class PathwayChange:
    """A forløbsskift decided at the conference: the new pathway, from when, and the named
    new forløbsansvarlig (None only for a varigt moderat forløb, which has none)."""

    pathway: PathwayType
    from_day: date
    forloebsansvarlig: str | None


@dataclass(frozen=True)
class ItemSheet:
    """One citizen on the list.

    `colour` is the citizen's colour when the list is printed (for the referat: before the
    conference); `colour_change` is a new colour decided at the conference.
    `follow_ups` and `escalations` are short ready-made lines, open ones only, e.g.
    "Vej borgeren hver mandag – frist 27.11." and "Til konference: faldet i badet (S. Holm)".
    `observations` are the last 7 days', newest first; the list prints `MAX_OBSERVATIONS`.
    """

    name: str
    age: int
    colour: TriageColour
    reason: str
    raised_by: str
    raised_at: datetime
    latest_tobs: TobsReading | None = None
    observations: list[ObservationLine] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)
    kontaktperson: str | None = None
    forloebsansvarlig: str | None = None
    status: ItemStatus = ItemStatus.ON_LIST
    #: The conference the entry was moved to (status `flyttet`).
    moved_to: date | None = None
    decision: str | None = None
    decision_owner: str | None = None
    follow_up_on: date | None = None
    colour_change: TriageColour | None = None
    pathway_change: PathwayChange | None = None

    def __post_init__(self) -> None:
        # The database stores the status as a plain string: accept that too.
        object.__setattr__(self, "status", ItemStatus(self.status))

    @property
    def shown_observations(self) -> list[ObservationLine]:
        return self.observations[:MAX_OBSERVATIONS]

    @property
    def hidden_observations(self) -> int:
        return max(0, len(self.observations) - MAX_OBSERVATIONS)


@dataclass(frozen=True)
class ConferenceSheet:
    """One conference of one basisteam, with its list in the leader's order.

    `printed_at`, `started_at` and `ended_at` are local times. `items` holds every entry of
    the conference, whatever its status: the konferenceliste prints those on the list (and
    names the moved ones at the end), the referat prints the decisions, the moved and the
    removed ones.
    """

    team_name: str
    day: date
    starts: time
    minutes: int
    capacity: int
    leader: str | None
    printed_by: str
    printed_at: datetime
    items: list[ItemSheet] = field(default_factory=list)
    started_at: datetime | None = None
    ended_at: datetime | None = None

    @property
    def ends(self) -> time:
        total = self.starts.hour * 60 + self.starts.minute + self.minutes
        return time((total // 60) % 24, total % 60)

    def with_status(self, *statuses: ItemStatus) -> list[ItemSheet]:
        return [item for item in self.items if item.status in statuses]

    @property
    def agenda(self) -> list[ItemSheet]:
        """The citizens to discuss: on the list, or already decided."""
        return self.with_status(ItemStatus.ON_LIST, ItemStatus.DONE)

    @property
    def moved(self) -> list[ItemSheet]:
        return self.with_status(ItemStatus.MOVED)

    @property
    def removed(self) -> list[ItemSheet]:
        return self.with_status(ItemStatus.REMOVED)

    @property
    def decided(self) -> list[ItemSheet]:
        return self.with_status(ItemStatus.DONE)

    @property
    def not_reached(self) -> list[ItemSheet]:
        """Still on the list when the referat is printed: not discussed."""
        return self.with_status(ItemStatus.ON_LIST)
