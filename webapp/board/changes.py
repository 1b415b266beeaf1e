"""What changed on a board since it was last reviewed (*Gennemgået*): new colours set or
suggested, new TOBS, new observations (not "Ingen ændringer i dag"), escalations sent and
answered. One UNION ALL statement, however many citizens."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, case, literal, null, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from webapp.clock import as_aware
from webapp.domain.citizens import TriageColour
from webapp.domain.triage import ChangeKind
from webapp.models import Citizen, Escalation, Observation, Staff, TobsMeasurement, TriageChange

#: At most this many changes are read (and counted) since a review; "over 500" beyond that.
CHANGE_LIMIT = 500


def when(at: datetime, now: datetime, zone: ZoneInfo) -> str:
    """Local time in words: "kl. 09.12" today, "i går kl. 09.12", else "20.11. kl. 09.12"."""
    local, today = at.astimezone(zone), now.astimezone(zone).date()
    clock = f"kl. {local:%H.%M}"
    if local.date() == today:
        return clock
    if local.date() == today - timedelta(days=1):
        return f"i går {clock}"
    return f"{local.day}.{local.month}. {clock}"


class Happening(StrEnum):
    """What can have happened to a citizen since the board was reviewed."""

    COLOUR = "farve"
    SUGGESTION = "forslag"
    TOBS = "tobs"
    OBSERVATION = "observation"
    ESCALATION = "henvendelse"
    ANSWER = "svar"

    def label(self, n: int = 1) -> str:
        one, many = _HAPPENING_LABELS[self]
        return one if n == 1 else many.format(n=n)


_HAPPENING_LABELS = {
    Happening.COLOUR: ("Ny farve", "{n} farveskift"),
    Happening.SUGGESTION: ("Nyt forslag", "{n} nye forslag"),
    Happening.TOBS: ("Ny TOBS", "{n} nye TOBS"),
    Happening.OBSERVATION: ("Ny observation", "{n} nye observationer"),
    Happening.ESCALATION: ("Ny henvendelse", "{n} nye henvendelser"),
    Happening.ANSWER: ("Svar på henvendelse", "{n} svar på henvendelser"),
}


@dataclass(frozen=True)
class Marker:
    """One kind of change on a card, with how many."""

    kind: Happening
    count: int

    @property
    def label(self) -> str:
        return self.kind.label(self.count)


@dataclass(frozen=True)
class Change:
    """One thing that happened since the review, for the list of changes."""

    citizen_id: int
    citizen_name: str
    kind: Happening
    at: datetime
    when: str
    who: str
    colour: TriageColour | None = None
    total: int | None = None
    complete: bool = True

    @property
    def text(self) -> str:
        """What happened, in words (the colour's badge is drawn by the template)."""
        if self.kind is Happening.COLOUR:
            return f"sat af {self.who}"
        if self.kind is Happening.SUGGESTION:
            return f"foreslået af {self.who}"
        if self.kind is Happening.TOBS:
            partial = "" if self.complete else " (ufuldstændig)"
            return f"TOBS {self.total}{partial}, målt af {self.who}"
        if self.kind is Happening.OBSERVATION:
            return f"Observation fra {self.who}"
        if self.kind is Happening.ESCALATION:
            return f"Henvendelse sendt til {self.who}"
        return f"Svar fra {self.who} på en henvendelse"


def _happenings(ids, since: datetime):
    """(citizen_id, kind, at, colour, total, complete, who) of everything since `since`."""
    staff = aliased(Staff)
    colours = (
        select(
            TriageChange.citizen_id,
            case(
                (TriageChange.kind == ChangeKind.SET.value, literal(Happening.COLOUR.value)),
                else_=literal(Happening.SUGGESTION.value),
            ),
            TriageChange.set_at,
            TriageChange.colour,
            null(),
            null(),
            staff.full_name,
        )
        .join(staff, staff.id == TriageChange.set_by_id)  # type: ignore[arg-type]
        .where(TriageChange.set_at > since, TriageChange.citizen_id.in_(ids))  # type: ignore[attr-defined]
    )
    staff = aliased(Staff)
    tobs = (
        select(
            TobsMeasurement.citizen_id,
            literal(Happening.TOBS.value),
            TobsMeasurement.at,
            null(),
            TobsMeasurement.total,
            TobsMeasurement.complete,
            staff.full_name,
        )
        .join(staff, staff.id == TobsMeasurement.staff_id)  # type: ignore[arg-type]
        .where(TobsMeasurement.at > since, TobsMeasurement.citizen_id.in_(ids))  # type: ignore[attr-defined]
    )
    staff = aliased(Staff)
    observations = (
        select(
            Observation.citizen_id,
            literal(Happening.OBSERVATION.value),
            Observation.at,
            null(),
            null(),
            null(),
            staff.full_name,
        )
        .join(staff, staff.id == Observation.staff_id)  # type: ignore[arg-type]
        .where(
            Observation.at > since,
            Observation.no_change.is_(False),  # type: ignore[attr-defined]
            Observation.citizen_id.in_(ids),  # type: ignore[attr-defined]
        )
    )
    staff = aliased(Staff)
    sent = (
        select(
            Escalation.citizen_id,
            literal(Happening.ESCALATION.value),
            Escalation.sent_at,
            null(),
            null(),
            null(),
            staff.full_name,
        )
        .join(staff, staff.id == Escalation.recipient_id)  # type: ignore[arg-type]
        .where(Escalation.sent_at > since, Escalation.citizen_id.in_(ids))  # type: ignore[attr-defined]
    )
    staff = aliased(Staff)
    answered = (
        select(
            Escalation.citizen_id,
            literal(Happening.ANSWER.value),
            Escalation.answered_at,
            null(),
            null(),
            null(),
            staff.full_name,
        )
        .join(staff, staff.id == Escalation.answered_by_id)  # type: ignore[arg-type]
        .where(Escalation.answered_at > since, Escalation.citizen_id.in_(ids))  # type: ignore[attr-defined,operator]
    )
    return union_all(colours, tobs, observations, sent, answered)


def changes_since(
    session: Session,
    view: ColumnElement[bool],
    since: datetime,
    now: datetime,
    zone: ZoneInfo,
    names: dict[int, str],
) -> tuple[list[Change], bool]:
    """Everything since the review, newest first, one statement; and whether there was more
    than CHANGE_LIMIT of it."""
    everything = _happenings(select(Citizen.id).where(view), since).subquery()
    columns = everything.c
    rows = session.execute(
        select(everything)
        .order_by(columns[2].desc(), columns[0], columns[1])
        .limit(CHANGE_LIMIT + 1)
    ).all()
    found = []
    for cid, kind, at, colour, total, complete, who in rows[:CHANGE_LIMIT]:
        at = as_aware(at)
        found.append(
            Change(
                citizen_id=cid,
                citizen_name=names.get(cid, ""),
                kind=Happening(kind),
                at=at,
                when=when(at, now, zone),
                who=who,
                colour=TriageColour(colour) if colour else None,
                total=total,
                complete=bool(complete) if complete is not None else True,
            )
        )
    return found, len(rows) > CHANGE_LIMIT


def markers_by_citizen(changes: list[Change]) -> dict[int, tuple[Marker, ...]]:
    counts: dict[int, Counter[Happening]] = defaultdict(Counter)
    for change in changes:
        counts[change.citizen_id][change.kind] += 1
    return {
        cid: tuple(Marker(kind, c[kind]) for kind in Happening if c[kind])
        for cid, c in counts.items()
    }
