"""Importing staff: what exists, as plain data for the rules (webapp/domain/staff_import.py),
and applying a plan that has no refused row: people, date-effective memberships, one-time
passwords, and an audit-log row for every change."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from webapp.admin import audit
from webapp.auth.passwords import hash_one_time_code
from webapp.domain import staff_import as rules
from webapp.domain.roles import format_roles
from webapp.models import HealthUnit, Kontaktteam, Membership, Staff, Team

#: No 0/O, 1/l/I: a code read aloud or typed from paper.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class Created:
    full_name: str
    username: str
    password: str  # shown once to the admin, never stored


def one_time_password() -> str:
    """12 characters in three groups, e.g. "k7mq-x3pa-9tre" (about 59 bits)."""
    chars = [secrets.choice(ALPHABET) for _ in range(12)]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, 12, 4))


def _open(unit, today: date | None) -> bool:
    """A closed unit takes no new people (its name is then unknown to the import)."""
    return today is None or unit.closed_on is None or unit.closed_on > today


def directory(session: Session, today: date | None = None) -> rules.Directory:
    memberships: dict[int, list[rules.ExistingMembership]] = {}
    for m in session.exec(select(Membership).order_by(Membership.id)).all():  # type: ignore[arg-type]
        memberships.setdefault(m.staff_id, []).append(
            rules.ExistingMembership(
                m.kind,
                m.team_id,
                m.kontaktteam_id,
                m.health_unit_id,
                m.valid_from,
                m.valid_to,
                m.id,
            )
        )
    return rules.Directory(
        teams=[
            rules.TeamRef(t.id, t.name)  # type: ignore[arg-type]
            for t in session.exec(select(Team)).all()
            if _open(t, today)
        ],
        kontaktteams=[
            rules.KontaktteamRef(k.id, k.team_id, k.name)  # type: ignore[arg-type]
            for k in session.exec(select(Kontaktteam)).all()
            if _open(k, today)
        ],
        health_units=[
            rules.UnitRef(u.id, u.name)  # type: ignore[arg-type]
            for u in session.exec(select(HealthUnit)).all()
            if _open(u, today)
        ],
        staff=[
            rules.ExistingStaff(
                s.id,  # type: ignore[arg-type]
                s.external_id,
                s.username,
                s.full_name,
                s.phone,
                s.role_set,
                s.active,
                memberships.get(s.id, []),  # type: ignore[arg-type]
            )
            for s in session.exec(select(Staff)).all()
        ],
    )


def plan(session: Session, text: str, today: date) -> tuple[rules.ImportPlan, rules.Directory]:
    """The plan, and the directory it was made against (to name teams on screen)."""
    known = directory(session, today)
    return rules.plan_staff_import(text, known, today), known


def staff_values(s: Staff) -> dict:
    return {
        "medarbejdernr": s.external_id,
        "navn": s.full_name,
        "brugernavn": s.username,
        "telefon": s.phone,
        "roller": s.roles,
        "aktiv": s.active,
    }


def membership_values(m: Membership) -> dict:
    return {
        "medarbejder": m.staff_id,
        "type": m.kind,
        "team": m.team_id,
        "kontaktteam": m.kontaktteam_id,
        "sundhedsenhed": m.health_unit_id,
        "fra": m.valid_from,
        "til": m.valid_to,
    }


def apply(session: Session, plan: rules.ImportPlan, *, by: int, now: datetime) -> list[Created]:
    """Write the plan (the caller checked `plan.ok`) and return the new people's codes."""
    assert plan.ok, "a plan with refused rows is never applied"
    created: list[Created] = []
    for row in plan.rows:
        if row.action is rules.Action.CREATE:
            created.append(_create(session, row, by, now))
        elif row.action is rules.Action.UPDATE:
            _update(session, row, by, now)
    session.flush()
    return created


def _create(session: Session, row: rules.RowPlan, by: int, now: datetime) -> Created:
    wanted = row.staff
    assert wanted is not None
    password = one_time_password()
    staff = Staff(
        external_id=wanted.external_id,
        username=wanted.username,
        full_name=wanted.full_name,
        phone=wanted.phone,
        roles=format_roles(wanted.roles),
        password_hash=hash_one_time_code(password),
        must_change_password=True,
        active=True,
    )
    session.add(staff)
    session.flush()
    summary = f"{staff.full_name} ({staff.username}) oprettet ved import, linje {row.line}"
    audit.record(
        session,
        by=by,
        at=now,
        action=audit.Change.CREATE,
        entity=audit.Entity.STAFF,
        entity_id=staff.id,
        summary=summary,
        after=staff_values(staff),
    )
    _add_memberships(session, staff.id, row, by, now)  # type: ignore[arg-type]
    return Created(staff.full_name, staff.username, password)


def _update(session: Session, row: rules.RowPlan, by: int, now: datetime) -> None:
    staff = session.get(Staff, row.existing_id)
    wanted = row.staff
    assert staff is not None and wanted is not None
    before = staff_values(staff)
    staff.full_name, staff.username, staff.phone = wanted.full_name, wanted.username, wanted.phone
    staff.roles, staff.active = format_roles(wanted.roles), True
    after = staff_values(staff)
    if after != before:
        session.add(staff)
        changed = ", ".join(c.field for c in row.changes)
        summary = f"{staff.full_name} rettet ved import, linje {row.line}: {changed}"
        audit.record(
            session,
            by=by,
            at=now,
            action=audit.Change.UPDATE,
            entity=audit.Entity.STAFF,
            entity_id=staff.id,
            summary=summary,
            before=before,
            after=after,
        )
    for end in row.ends:
        membership = session.get(Membership, end.membership.id)
        assert membership is not None and membership.staff_id == staff.id
        old = membership_values(membership)
        membership.valid_to = end.new_valid_to
        session.add(membership)
        until = rules.format_date(end.new_valid_to) or "ingen"
        summary = f"Medlemskab for {staff.full_name}: slutdato {until}"
        audit.record(
            session,
            by=by,
            at=now,
            action=audit.Change.END,
            entity=audit.Entity.MEMBERSHIP,
            entity_id=membership.id,
            summary=summary,
            before=old,
            after=membership_values(membership),
        )
    session.flush()
    _add_memberships(session, staff.id, row, by, now)  # type: ignore[arg-type]


def _add_memberships(session, staff_id: int, row: rules.RowPlan, by: int, now) -> None:
    for wanted in row.memberships:
        membership = Membership(
            staff_id=staff_id,
            kind=wanted.kind,
            team_id=wanted.team_id,
            kontaktteam_id=wanted.kontaktteam_id,
            health_unit_id=wanted.health_unit_id,
            valid_from=wanted.valid_from,
            valid_to=wanted.valid_to,
        )
        session.add(membership)
        session.flush()
        summary = f"Medlemskab ({wanted.kind}) fra {rules.format_date(wanted.valid_from)}"
        audit.record(
            session,
            by=by,
            at=now,
            action=audit.Change.CREATE,
            entity=audit.Entity.MEMBERSHIP,
            entity_id=membership.id,
            summary=summary,
            after=membership_values(membership),
        )
