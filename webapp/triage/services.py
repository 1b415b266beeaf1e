"""Changing a citizen's triage colour: set by SSA and nurses, suggested by everyone else
(the rule is webapp/domain/triage.py). The history keeps both."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from webapp.citizens.services import basisteam_staff
from webapp.clock import as_aware
from webapp.domain.citizens import TriageColour
from webapp.domain.roles import Role
from webapp.domain.triage import ChangeKind, asks_for_tobs, colour_change_kind
from webapp.followups.operations import on_colour_set
from webapp.models import Citizen, Staff, TobsMeasurement, TriageChange

MAX_REASON = 280
SAME_COLOUR = "Borgeren har allerede den farve. Vælg en anden."
NO_REASON = "Skriv kort, hvorfor farven skal ændres."
REASON_TOO_LONG = f"Begrundelsen må højst være {MAX_REASON} tegn."
UNKNOWN_COLOUR = "Vælg grøn, gul eller rød."


class TriageError(ValueError):
    """A Danish message for the person who filled in the form."""


def change_colour(
    session: Session,
    citizen: Citizen,
    staff_id: int,
    roles: frozenset[Role],
    colour: str,
    reason: str,
    at: datetime,
    zone: ZoneInfo,
) -> TriageChange:
    """Set the colour, or record a suggestion; raises TriageError for bad input."""
    try:
        new = TriageColour(colour)
    except ValueError:
        raise TriageError(UNKNOWN_COLOUR) from None
    reason = reason.strip()
    if not reason:
        raise TriageError(NO_REASON)
    if len(reason) > MAX_REASON:
        raise TriageError(REASON_TOO_LONG)
    if new == citizen.colour:
        raise TriageError(SAME_COLOUR)
    kind = colour_change_kind(roles, citizen.colour, new)
    change = TriageChange(
        citizen_id=citizen.id,  # type: ignore[arg-type]
        colour=new.value,
        reason=reason,
        set_by_id=staff_id,
        set_at=at,
        kind=kind.value,
    )
    session.add(change)
    if kind is ChangeKind.SET:
        old = citizen.colour
        citizen.triage_colour = new.value
        session.add(citizen)
        session.flush()
        on_colour_set(
            session,
            citizen,
            old,
            new,
            by=staff_id,
            now=at,
            zone=zone,
            nurse_id=_assessing_nurse(
                session, citizen, staff_id, roles, at.astimezone(zone).date()
            ),
        )
    session.flush()
    return change


def _assessing_nurse(
    session: Session, citizen: Citizen, staff_id: int, roles: frozenset[Role], today
) -> int | None:
    """Who assesses a new rød: the forløbsansvarlig if a nurse, else the nurse who set it,
    else the first nurse attached to the citizen's basisteam today."""
    if citizen.forloebsansvarlig_id:
        responsible = session.get(Staff, citizen.forloebsansvarlig_id)
        if responsible is not None and Role.NURSE in responsible.role_set:
            return responsible.id
    if Role.NURSE in roles:
        return staff_id
    nurses = [
        s for s in basisteam_staff(session, citizen.team_id, today) if Role.NURSE in s.role_set
    ]
    return nurses[0].id if nurses else None


def tobs_wanted(session: Session, citizen_id: int, now: datetime) -> bool:
    """A colour change asks for a TOBS when none was taken in the last 24 hours."""
    last = session.exec(
        select(TobsMeasurement.at)
        .where(TobsMeasurement.citizen_id == citizen_id)
        .order_by(TobsMeasurement.at.desc())  # type: ignore[attr-defined]
    ).first()
    return asks_for_tobs(as_aware(last) if last else None, now)


@dataclass(frozen=True)
class Suggestion:
    change: TriageChange
    by: str

    @property
    def colour(self) -> TriageColour:
        return self.change.triage_colour


def open_suggestions(session: Session, citizen_id: int) -> list[Suggestion]:
    """Suggestions made after the colour was last set: nobody has decided on them yet."""
    rows = session.exec(
        select(TriageChange, Staff.full_name)
        .join(Staff, Staff.id == TriageChange.set_by_id)
        .where(TriageChange.citizen_id == citizen_id)
        .order_by(TriageChange.set_at.desc(), TriageChange.id.desc())  # type: ignore[attr-defined]
    ).all()
    found: list[Suggestion] = []
    for change, name in rows:
        if change.kind == ChangeKind.SET.value:
            break
        found.append(Suggestion(change, name))
    return found
