"""Writes made on a phone without coverage (issue 7): what a queued item is, and the rules the
server applies when it arrives. Pure: no Flask, no database.

A queued item carries an id the phone made (a UUID), the kind of write, the citizen, the moment
it was made on the phone, and the form fields exactly as the online form would have sent them.
The server stores each id once, so sending an item again (a replay, a double tap, a sync cut off
before its answer arrived) never makes a second row.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Kind(StrEnum):
    OBSERVATION = "observation"
    TOBS = "tobs"
    ESCALATION = "kontakt"

    @property
    def label(self) -> str:
        return {
            "observation": "Observation",
            "tobs": "TOBS",
            "kontakt": "Kontakt sygeplejerske",
        }[self.value]


#: A phone's clock may run a little fast; beyond this the server's time is used instead.
CLOCK_SKEW = timedelta(minutes=10)
#: Older items are refused: after a month it belongs in the journal, not in today's overview.
MAX_AGE = timedelta(days=30)
MAX_FIELDS = 40
MAX_VALUE = 2000

CLIENT_ID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")

BAD_ITEM = "Det gemte kunne ikke læses. Skriv det i journalen, og slet det her."
TOO_OLD = (
    "Det blev gemt for mere end 30 dage siden og kan ikke sendes nu. "
    "Skriv det i journalen, og slet det her."
)


class ItemError(ValueError):
    """A Danish message: the item can never be stored as it is."""


@dataclass(frozen=True)
class QueuedItem:
    id: str
    kind: Kind
    citizen_id: int
    made_at: datetime
    fields: dict[str, list[str]]

    def value(self, name: str) -> str:
        values = self.fields.get(name) or [""]
        return values[0]

    def values(self, name: str) -> list[str]:
        return list(self.fields.get(name) or [])

    def has(self, name: str) -> bool:
        return name in self.fields


def normalise_client_id(raw: object) -> str | None:
    """The canonical form of a phone's id (lower case, with hyphens), or None if it is not one."""
    if not isinstance(raw, str):
        return None
    text = raw.strip().lower()
    if not CLIENT_ID.fullmatch(text):
        return None
    hexed = text.replace("-", "")
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def _fields(raw: object) -> dict[str, list[str]]:
    if not isinstance(raw, Mapping) or len(raw) > MAX_FIELDS:
        raise ItemError(BAD_ITEM)
    fields: dict[str, list[str]] = {}
    for name, value in raw.items():
        values = value if isinstance(value, list) else [value]
        if not isinstance(name, str) or len(values) > MAX_FIELDS:
            raise ItemError(BAD_ITEM)
        if not all(isinstance(v, str) and len(v) <= MAX_VALUE and "\x00" not in v for v in values):
            raise ItemError(BAD_ITEM)
        fields[name] = values
    return fields


def _made_at(raw: object) -> datetime:
    if not isinstance(raw, str):
        raise ItemError(BAD_ITEM)
    try:
        made = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ItemError(BAD_ITEM) from None
    if made.tzinfo is None:
        raise ItemError(BAD_ITEM)
    return made


def parse_item(payload: object) -> QueuedItem:
    """Read one queued item as the phone sent it (JSON), or raise ItemError."""
    if not isinstance(payload, Mapping):
        raise ItemError(BAD_ITEM)
    client_id = normalise_client_id(payload.get("id"))
    try:
        kind = Kind(payload.get("kind"))
    except ValueError:
        raise ItemError(BAD_ITEM) from None
    citizen_id = payload.get("citizen_id")
    if client_id is None or isinstance(citizen_id, bool) or not isinstance(citizen_id, int):
        raise ItemError(BAD_ITEM)
    if not 0 < citizen_id < 2**31:
        raise ItemError(BAD_ITEM)
    return QueuedItem(
        id=client_id,
        kind=kind,
        citizen_id=citizen_id,
        made_at=_made_at(payload.get("at")),
        fields=_fields(payload.get("fields", {})),
    )


def stored_time(made_at: datetime, now: datetime) -> datetime:
    """When an observation or a TOBS happened: the phone's time, unless the phone's clock is
    ahead of the server's (then the server's). Too old is refused."""
    if made_at < now - MAX_AGE:
        raise ItemError(TOO_OLD)
    if made_at > now + CLOCK_SKEW or made_at > now:
        return now
    return made_at


def delay_note(made_at: datetime, now: datetime, local) -> str | None:
    """For a request to a nurse that waited on the phone: a sentence saying so, when it waited
    more than five minutes (the nurse should know the situation may have moved on)."""
    if now - made_at <= timedelta(minutes=5) or made_at > now:
        return None
    made = made_at.astimezone(local)
    sent = now.astimezone(local)
    day = "" if made.date() == sent.date() else f" {made.day}.{made.month}."
    return (
        f"Skrevet uden forbindelse{day} kl. {made:%H.%M} og sendt kl. {sent:%H.%M}, "
        "da telefonen fik forbindelse igen."
    )
