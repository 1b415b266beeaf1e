"""Kontakt sygeplejerske (DOMAIN §7): who receives an escalation, by when it must be
answered, who is next in line, and the one-tap answers. Plain Python, no Flask.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum

from webapp.domain.roles import Role
from webapp.domain.tobs_actions import Urgency

MAX_NOTE = 280


class Priority(StrEnum):
    """How fast the sender needs an answer (the screen word is *hast*)."""

    NOW = "haster"
    TODAY = "i_dag"
    CONFERENCE = "konference"

    @property
    def label(self) -> str:
        return {"haster": "Haster", "i_dag": "I dag", "konference": "Til konference"}[self.value]

    @property
    def rank(self) -> int:
        """Lower is more urgent: the inbox sorts on it."""
        return {"haster": 0, "i_dag": 1, "konference": 2}[self.value]


#: How long the recipient has to answer (configurable: ESCALATION_ANSWER_MINUTES). A
#: conference item waits for the next conference; twice a week means at most 3–4 days.
DEFAULT_ANSWER_WITHIN: dict[Priority, timedelta] = {
    Priority.NOW: timedelta(minutes=30),
    Priority.TODAY: timedelta(hours=4),
    Priority.CONFERENCE: timedelta(days=4),
}


def within_text(within: timedelta) -> str:
    minutes = int(within.total_seconds() // 60)
    if minutes < 60:
        return f"svar inden {minutes} min."
    if minutes < 24 * 60:
        hours = minutes // 60
        return f"svar inden {hours} {'time' if hours == 1 else 'timer'}"
    days = minutes // (24 * 60)
    return f"svar inden {days} {'dag' if days == 1 else 'dage'}"


def priority_for_tobs(urgency: Urgency | None, escalate: bool) -> Priority | None:
    """TOBS guidance that calls for escalation opens the request with the matching hast."""
    if urgency is None or not escalate:
        return None
    if urgency is Urgency.NOW:
        return Priority.NOW
    if urgency is Urgency.TODAY:
        return Priority.TODAY
    return None


class Status(StrEnum):
    SENT = "sendt"
    SEEN = "set"
    ANSWERED = "besvaret"
    CLOSED = "lukket"

    @property
    def label(self) -> str:
        return {
            "sendt": "Sendt",
            "set": "Set",
            "besvaret": "Besvaret",
            "lukket": "Lukket",
        }[self.value]

    @property
    def waiting(self) -> bool:
        """Still waiting for an answer (the deadline and re-routing apply)."""
        return self in (Status.SENT, Status.SEEN)


WAITING = (Status.SENT.value, Status.SEEN.value)


# --- Routing ------------------------------------------------------------------------------


class Rule(StrEnum):
    """Why this person was chosen."""

    FORLOEBSANSVARLIG = "forloebsansvarlig"
    ON_DUTY = "vagt"
    FALLBACK = "akutteam"
    NURSE_GROUP = "basisteam"

    @property
    def label(self) -> str:
        return {
            "forloebsansvarlig": "forløbsansvarlig",
            "vagt": "basisteamets sygeplejerske på vagt nu",
            "akutteam": "akutteam (ingen fra basisteamet på vagt)",
            "basisteam": "basisteamets sygeplejerske (ingen på vagt)",
        }[self.value]


RECEIVER_ROLES = frozenset({Role.NURSE, Role.THERAPIST})


@dataclass(frozen=True)
class Candidate:
    """A person who might receive, as the database found them today."""

    staff_id: int
    roles: frozenset[Role]
    #: Active account and a membership valid today (an expired temp never receives).
    available: bool = True
    #: On the roster for the shift that covers now.
    on_duty: bool = False


@dataclass(frozen=True)
class Choice:
    staff_id: int
    rule: Rule


@dataclass(frozen=True)
class RoutingFacts:
    forloebsansvarlig: Candidate | None
    #: The citizen's basisteam (the nurses and therapists attached to the team), by name.
    basisteam: list[Candidate] = field(default_factory=list)
    #: The configured fallback (the area's akutteam), if any.
    fallback: Candidate | None = None


def recipient_line(facts: RoutingFacts, priority: Priority) -> list[Choice]:
    """Everyone who may receive, in order; the first is the recipient, the rest next in line.

    1. The forløbsansvarlig if a nurse or therapist, and on duty now (a *til konference*
       item needs no one on duty, so it goes to them whenever they are available).
    2. The basisteam's nurses on duty now.
    3. The fallback (the area's akutteam), when one is configured; otherwise the
       basisteam's nurses whether on duty or not (the team's nurse group).
    """
    line: list[Choice] = []
    seen: set[int] = set()

    def add(candidate: Candidate | None, rule: Rule) -> None:
        if candidate is None or not candidate.available or candidate.staff_id in seen:
            return
        seen.add(candidate.staff_id)
        line.append(Choice(candidate.staff_id, rule))

    responsible = facts.forloebsansvarlig
    if (
        responsible is not None
        and responsible.roles & RECEIVER_ROLES
        and (responsible.on_duty or priority is Priority.CONFERENCE)
    ):
        add(responsible, Rule.FORLOEBSANSVARLIG)
    for person in facts.basisteam:
        if person.on_duty and Role.NURSE in person.roles:
            add(person, Rule.ON_DUTY)
    if facts.fallback is not None and facts.fallback.available:
        add(facts.fallback, Rule.FALLBACK)
    else:
        for person in facts.basisteam:
            if Role.NURSE in person.roles:
                add(person, Rule.NURSE_GROUP)
    return line


def next_in_line(line: list[Choice], tried: set[int]) -> Choice | None:
    """The first in the line who has not had the escalation yet; None when all have."""
    return next((c for c in line if c.staff_id not in tried), None)


def deadline(at: datetime, priority: Priority, within: dict[Priority, timedelta]) -> datetime:
    return at + within[priority]


def is_overdue(status: Status, deadline_at: datetime, now: datetime) -> bool:
    return status.waiting and now >= deadline_at


# --- Answers ------------------------------------------------------------------------------


class AnswerKind(StrEnum):
    COMING = "kommer"
    CALL_ME = "ring"
    TOBS_AGAIN = "tobs_igen"
    DOCTOR = "laege"
    CONFERENCE = "konference"
    NOTE = "note"


#: One-tap choices offered for *Set – jeg kommer kl. …* and *Mål TOBS igen om … timer*.
COMING_IN_MINUTES = (15, 30, 60, 120)
TOBS_AGAIN_HOURS = (1, 2, 4, 8)
MAX_COMING_HOURS = 12

NO_ANSWER = "Vælg et svar."
BAD_TIME = "Skriv tidspunktet som tt:mm, fx 14:30."
TIME_TOO_FAR = f"Tidspunktet skal ligge inden for de næste {MAX_COMING_HOURS} timer."
BAD_HOURS = "Vælg om hvor mange timer TOBS skal måles igen (1–24)."
NO_NOTE = "Skriv en kort besked."
NOTE_TOO_LONG = f"Beskeden må højst være {MAX_NOTE} tegn."

TIME_PATTERN = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")


class AnswerError(ValueError):
    """A Danish message for the person who answered."""


@dataclass(frozen=True)
class Answer:
    kind: AnswerKind
    #: Local arrival time for COMING (aware).
    coming_at: datetime | None = None
    hours: int | None = None
    note: str = ""

    def text(self) -> str:
        """The answer as the sender reads it."""
        if self.kind is AnswerKind.COMING and self.coming_at is not None:
            return f"Set – jeg kommer kl. {self.coming_at:%H.%M}"
        if self.kind is AnswerKind.TOBS_AGAIN:
            hours = self.hours or 0
            return f"Mål TOBS igen om {hours} {'time' if hours == 1 else 'timer'}"
        if self.kind is AnswerKind.NOTE:
            return self.note
        return ANSWER_LABELS[self.kind]


ANSWER_LABELS = {
    AnswerKind.COMING: "Set – jeg kommer",
    AnswerKind.CALL_ME: "Ring til mig",
    AnswerKind.TOBS_AGAIN: "Mål TOBS igen",
    AnswerKind.DOCTOR: "Jeg kontakter lægen",
    AnswerKind.CONFERENCE: "Tag den på konferencen",
    AnswerKind.NOTE: "Kort besked",
}


def parse_answer(kind: str, value: str, note: str, now_local: datetime) -> Answer:
    """Read an answer form; `value` is minutes, an hh:mm time, or hours, by kind."""
    try:
        answer_kind = AnswerKind(kind)
    except ValueError:
        raise AnswerError(NO_ANSWER) from None
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise AnswerError(NOTE_TOO_LONG)
    if answer_kind is AnswerKind.COMING:
        return Answer(answer_kind, coming_at=_coming_at(value.strip(), now_local), note=note)
    if answer_kind is AnswerKind.TOBS_AGAIN:
        return Answer(answer_kind, hours=_hours(value.strip()), note=note)
    if answer_kind is AnswerKind.NOTE and not note:
        raise AnswerError(NO_NOTE)
    return Answer(answer_kind, note=note)


def _coming_at(value: str, now_local: datetime) -> datetime:
    if value.isascii() and value.isdigit() and len(value) <= 4:
        minutes = int(value)
        if not 0 < minutes <= MAX_COMING_HOURS * 60:
            raise AnswerError(TIME_TOO_FAR)
        return _round_up_to_five(now_local + timedelta(minutes=minutes))
    match = TIME_PATTERN.match(value)
    if match is None:
        raise AnswerError(BAD_TIME)
    clock = time(int(match.group(1)), int(match.group(2)))
    at = now_local.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)
    if at < now_local - timedelta(minutes=5):  # a time earlier today means tomorrow
        at += timedelta(days=1)
    if at - now_local > timedelta(hours=MAX_COMING_HOURS):
        raise AnswerError(TIME_TOO_FAR)
    return at


def _round_up_to_five(at: datetime) -> datetime:
    at = at.replace(second=0, microsecond=0)
    return at + timedelta(minutes=(-at.minute) % 5)


def coming_choices(now_local: datetime) -> list[tuple[int, datetime]]:
    """The one-tap arrival times: (minutes from now, the clock time shown)."""
    return [(m, _round_up_to_five(now_local + timedelta(minutes=m))) for m in COMING_IN_MINUTES]


def _hours(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or len(value) > 2 or not 1 <= int(value) <= 24:
        raise AnswerError(BAD_HOURS)
    return int(value)


def parse_note(text: str, required: bool = False) -> str:
    """The sender's note or reply: at most 280 characters."""
    text = text.strip()
    if len(text) > MAX_NOTE:
        raise AnswerError(NOTE_TOO_LONG)
    if required and not text:
        raise AnswerError(NO_NOTE)
    return text
