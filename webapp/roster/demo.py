"""Demo vagtplan: every basisteam staffed on weekday and weekend day and evening shifts, the
night left to each area's akutteam (a duty-phone account set as the health unit's fallback).

Draws from its own random stream, so adding it changed no other demo draw. Safe to run twice:
existing akutteam accounts are reused and existing shifts kept.
"""

import random
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from webapp.auth.passwords import hash_password
from webapp.domain.dates import is_valid_on
from webapp.domain.duty import Shift, is_weekend
from webapp.domain.roles import Role, format_roles, parse_roles
from webapp.models import Area, HealthUnit, Membership, MembershipKind, Staff, Team
from webapp.roster.services import insert_new_shifts

DAYS_BACK = 14
DAYS_AHEAD = 56
DAY, EVENING = Shift.DAY.value, Shift.EVENING.value


@dataclass(frozen=True)
class _Attached:
    staff_id: int
    username: str
    roles: frozenset[Role]
    valid_from: date
    valid_to: date | None


def write_demo_roster(session: Session, today: date, seed: int = 2026) -> int:
    """The akutteam accounts, then the roster from two weeks back to eight weeks ahead.
    Returns the number of shifts in the plan (rows already there are kept, not doubled)."""
    rng = random.Random(f"{seed}:vagtplan")
    write_akutteam_accounts(session, today)
    days = [today + timedelta(days=n) for n in range(-DAYS_BACK, DAYS_AHEAD + 1)]
    attached = _attached(session)
    team_ids = list(session.exec(select(Team.id).order_by(Team.id)).all())
    rows: list[dict] = []
    for position, team_id in enumerate(team_ids):
        people = attached.get(team_id, [])  # type: ignore[call-overload]
        nurses = [p for p in people if Role.NURSE in p.roles]
        therapists = [p for p in people if Role.THERAPIST in p.roles and Role.NURSE not in p.roles]
        rng.shuffle(nurses)
        offset = rng.randrange(7)
        # The demo nurse is on the first team's weekday day shift, so a demo sign-in on a
        # weekday daytime receives the escalations.
        demo_nurse = next(
            (p for p in nurses if position == 0 and p.username == Role.NURSE.value), None
        )
        for day in days:
            shifts: list[tuple[_Attached, str]] = []
            on = [p for p in nurses if is_valid_on(p.valid_from, p.valid_to, day)]
            if demo_nurse is not None and demo_nurse in on and len(on) > 1:
                on.remove(demo_nurse)
                if not is_weekend(day):
                    shifts += [(demo_nurse, DAY), (_pick(on, day, offset), EVENING)]
                    on = []
            if on:
                # Forward rotation: the evening nurse had the day shift the day before, never
                # an evening followed by the next morning's day shift.
                shifts += [(_pick(on, day, offset), DAY)]
                shifts += [(_pick(on, day, offset - 1), EVENING)]
            if not is_weekend(day):
                shifts += [
                    (t, DAY) for t in therapists if is_valid_on(t.valid_from, t.valid_to, day)
                ]
            rows += [
                {"team_id": team_id, "day": day, "shift": shift, "staff_id": p.staff_id}
                for p, shift in shifts
            ]
    insert_new_shifts(session, rows)
    return len(rows)


def _pick(pool: list[_Attached], day: date, offset: int) -> _Attached:
    return pool[(day.toordinal() + offset) % len(pool)]


def _attached(session: Session) -> dict[int, list[_Attached]]:
    """Every active nurse and therapist attached to a basisteam, per team, in one query."""
    rows = session.exec(
        select(
            Membership.team_id,
            Staff.id,
            Staff.username,
            Staff.roles,
            Membership.valid_from,
            Membership.valid_to,
        )
        .join(Staff, Staff.id == Membership.staff_id)  # type: ignore[arg-type]
        .where(
            Membership.kind == MembershipKind.BASISTEAM,
            Staff.active.is_(True),  # type: ignore[attr-defined]
        )
        .order_by(Membership.team_id, Staff.id)
    ).all()
    result: dict[int, list[_Attached]] = defaultdict(list)
    for team_id, staff_id, username, roles, start, end in rows:
        role_set = parse_roles(roles)
        if role_set & {Role.NURSE, Role.THERAPIST}:
            result[team_id].append(_Attached(staff_id, username, role_set, start, end))
    return result


def write_akutteam_accounts(session: Session, today: date) -> list[Staff]:
    """Per area an akutteam duty-phone account (akutteam.1, akutteam.2, … by area), employed
    in the area's health unit and set as its fallback. Nobody signs in with it: its password
    is a random token nobody knows."""
    password_hash: str | None = None
    accounts = []
    units = session.exec(select(HealthUnit).order_by(HealthUnit.id)).all()
    unit_of = {}
    for unit in units:
        unit_of.setdefault(unit.area_id, unit)
    for n, area in enumerate(session.exec(select(Area).order_by(Area.id)).all(), start=1):
        unit = unit_of.get(area.id)
        if unit is None:
            continue
        username = f"akutteam.{n}"
        person = session.exec(select(Staff).where(Staff.username == username)).first()
        if person is None:
            if password_hash is None:
                password_hash = hash_password(secrets.token_urlsafe(32))
            person = Staff(
                username=username,
                full_name=f"Akutteam {area.name.removeprefix('Område ')} (vagttelefon)",
                phone=f"87 13 00 {n:02d}",
                password_hash=password_hash,
                roles=format_roles({Role.NURSE}),
            )
            session.add(person)
            session.flush()
            session.add(
                Membership(
                    staff_id=person.id,  # type: ignore[arg-type]
                    kind=MembershipKind.HEALTH_UNIT,
                    health_unit_id=unit.id,
                    valid_from=today - timedelta(days=3 * 365),
                )
            )
        unit.fallback_staff_id = person.id
        session.add(unit)
        accounts.append(person)
    session.flush()
    return accounts
