"""Factories: make_<noun>(session, **overrides), each flushes and returns the row."""

from datetime import date, datetime
from functools import cache
from itertools import count

from sqlmodel import Session

from webapp.auth.passwords import hash_password
from webapp.domain.citizens import PathwayType, TriageColour
from webapp.domain.roles import Role, format_roles
from webapp.models import (
    Area,
    Citizen,
    HealthUnit,
    Kontaktteam,
    Membership,
    MembershipKind,
    Pathway,
    Staff,
    Team,
    TriageChange,
)

PASSWORD = "hemmelig-kode"
LONG_AGO = date(2020, 1, 1)
_seq = count(1)


@cache
def _hash(password: str) -> str:
    return hash_password(password)


def _add(session: Session, row):
    session.add(row)
    session.flush()
    return row


def make_area(session: Session, name: str | None = None) -> Area:
    return _add(session, Area(name=name or f"Område {next(_seq)}"))


def make_team(session: Session, area: Area | None = None, name: str | None = None) -> Team:
    area = area or make_area(session)
    return _add(session, Team(area_id=area.id, name=name or f"Team {next(_seq)}"))


def make_kontaktteam(session: Session, team: Team, name: str | None = None) -> Kontaktteam:
    return _add(session, Kontaktteam(team_id=team.id, name=name or f"Kontaktteam {next(_seq)}"))


def make_health_unit(session: Session, area: Area) -> HealthUnit:
    return _add(session, HealthUnit(area_id=area.id, name=f"Sundhedsenhed {next(_seq)}"))


def make_staff(
    session: Session,
    roles: set[Role] | None = None,
    username: str | None = None,
    password: str = PASSWORD,
    **overrides,
) -> Staff:
    n = next(_seq)
    return _add(
        session,
        Staff(
            username=username or f"person{n}",
            full_name=overrides.pop("full_name", f"Person Nummer {n}"),
            phone=overrides.pop("phone", f"20 00 {n % 100:02d} 00"),
            password_hash=_hash(password),
            roles=format_roles(roles or {Role.HELPER}),
            **overrides,
        ),
    )


def make_membership(
    session: Session,
    staff: Staff,
    *,
    team: Team | None = None,
    kontaktteam: Kontaktteam | None = None,
    health_unit: HealthUnit | None = None,
    kind: str | None = None,
    valid_from: date = LONG_AGO,
    valid_to: date | None = None,
) -> Membership:
    if kind is None:
        kind = MembershipKind.HEALTH_UNIT if health_unit else MembershipKind.TEAM
    return _add(
        session,
        Membership(
            staff_id=staff.id,
            kind=kind,
            team_id=team.id if team else None,
            kontaktteam_id=kontaktteam.id if kontaktteam else None,
            health_unit_id=health_unit.id if health_unit else None,
            valid_from=valid_from,
            valid_to=valid_to,
        ),
    )


def make_citizen(
    session: Session,
    team: Team,
    kontaktperson: Staff,
    *,
    kontaktteam: Kontaktteam | None = None,
    forloebsansvarlig: Staff | None = None,
    colour: TriageColour = TriageColour.GREEN,
    pathway: PathwayType = PathwayType.PERMANENT_MODERATE,
    **overrides,
) -> Citizen:
    n = next(_seq)
    citizen = _add(
        session,
        Citizen(
            full_name=overrides.pop("full_name", f"Borger Nummer {n}"),
            birth_date=overrides.pop("birth_date", date(1940, 5, 17)),
            street=overrides.pop("street", f"Testvej {n}"),
            postcode="8000",
            city=overrides.pop("city", "Aarhus C"),
            team_id=team.id,
            kontaktteam_id=kontaktteam.id if kontaktteam else None,
            kontaktperson_id=kontaktperson.id,
            forloebsansvarlig_id=forloebsansvarlig.id if forloebsansvarlig else None,
            triage_colour=colour.value,
            **overrides,
        ),
    )
    _add(
        session,
        Pathway(
            citizen_id=citizen.id,
            type=pathway.value,
            referral_date=date(2026, 1, 2),
            started_on=date(2026, 1, 3),
        ),
    )
    return citizen


def make_triage_change(
    session: Session, citizen: Citizen, by: Staff, colour: TriageColour, at: datetime, reason="Test"
) -> TriageChange:
    citizen.triage_colour = colour.value
    return _add(
        session,
        TriageChange(
            citizen_id=citizen.id, colour=colour.value, reason=reason, set_by_id=by.id, set_at=at
        ),
    )
