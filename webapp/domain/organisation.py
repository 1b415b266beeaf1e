"""Rules for the organisation's units (DOMAIN §2): areas, home-care teams, kontaktteams and
health units are created, renamed and closed from a date; nothing is deleted. Pure."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MAX_NAME = 120


class Kind(StrEnum):
    AREA = "omraade"
    TEAM = "team"
    KONTAKTTEAM = "kontaktteam"
    HEALTH_UNIT = "sundhedsenhed"

    @property
    def label(self) -> str:
        return {
            "omraade": "Område",
            "team": "Hjemmeplejeteam",
            "kontaktteam": "Kontaktteam",
            "sundhedsenhed": "Sundhedsenhed",
        }[self.value]

    @property
    def parent(self) -> "Kind | None":
        """What a unit of this kind belongs to (a kontaktteam to a team, …)."""
        return {
            "omraade": None,
            "team": Kind.AREA,
            "kontaktteam": Kind.TEAM,
            "sundhedsenhed": Kind.AREA,
        }[self.value]


def is_open_on(closed_on: date | None, day: date) -> bool:
    """A unit closed from a date is gone on that date (the day before was its last)."""
    return closed_on is None or day < closed_on


def tidy_name(text: str) -> str:
    return " ".join(text.split())


def name_problems(name: str, siblings: list[str], kind: Kind) -> list[str]:
    """Siblings: the names of the other units of the same kind under the same parent."""
    if not name:
        return ["Skriv et navn."]
    if len(name) > MAX_NAME:
        return [f"Navnet må højst være {MAX_NAME} tegn."]
    if name.casefold() in {s.casefold() for s in siblings}:
        return [f"{kind.label} {name} findes allerede her. Vælg et andet navn."]
    return []


@dataclass(frozen=True)
class StillInUse:
    """What still points at a unit after the day it is to close."""

    open_children: int = 0  # teams of an area, kontaktteams of a team, units of an area
    memberships: int = 0  # staff memberships valid on or after the closing date
    citizens: int = 0  # citizens placed in the team or kontaktteam


def close_problems(on: date | None, today: date, use: StillInUse, kind: Kind) -> list[str]:
    """Why a unit cannot close from `on` (empty: it can). Closing never loses anything: what
    still belongs there must be moved or ended first."""
    if on is None:
        return ["Skriv datoen, enheden lukker fra, for eksempel 01.01.2027."]
    if on < today:
        return ["En enhed kan tidligst lukke fra i dag."]
    problems = []
    if use.open_children:
        what = "kontaktteams" if kind is Kind.TEAM else "teams og sundhedsenheder"
        problems.append(f"Luk eller flyt først {use.open_children} {what}, der hører til.")
    if use.memberships:
        problems.append(
            f"{use.memberships} medlemskaber gælder stadig fra {on:%d.%m.%Y}: "
            "giv dem en slutdato dagen før, eller flyt medarbejderne."
        )
    if use.citizens:
        problems.append(f"Flyt først {use.citizens} borgere til et andet team.")
    return problems


REORGANISATION_DAYS_AHEAD = 365


def reorganisation_problems(on: date | None, today: date) -> list[str]:
    """A reorganisation takes effect from a day: today or later (the history before today
    stays as it was), at most a year ahead."""
    if on is None:
        return ["Skriv datoen, ændringen gælder fra, for eksempel 01.01.2027."]
    if on < today:
        return ["En omorganisering kan tidligst gælde fra i dag."]
    if (on - today).days > REORGANISATION_DAYS_AHEAD:
        return ["En omorganisering kan højst planlægges et år frem."]
    return []
