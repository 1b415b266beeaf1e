"""Reorganisation by date (DOMAIN §2): a kontaktteam moves to another team, or a team is
split by moving some of its kontaktteams to a new team, from a given day.

A moved kontaktteam becomes a new kontaktteam row of the same name under the new team; the
old row closes on the day. The kontaktteam's staff memberships and its citizens' placements
end the day before and start again in the new place on the day, so until then history and
scope are exactly as they were. Rows that start on or after the day have never been in force
and simply point at the new place. Every change is in the audit log.

Services flush; the request commits."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, select

from webapp.admin import audit
from webapp.admin.organisation import Refused, _siblings
from webapp.admin.organisation import _log as log_unit
from webapp.admin.staff_import import membership_values
from webapp.domain.dates import format_date
from webapp.domain.organisation import Kind, is_open_on, name_problems, reorganisation_problems
from webapp.models import (
    Citizen,
    CitizenPlacement,
    Kontaktteam,
    Membership,
    MembershipKind,
    Staff,
    Team,
)
from webapp.placement import services as placement


@dataclass
class Moved:
    kontaktteam: Kontaktteam  # the new row, under the new team
    staff: list[str] = field(default_factory=list)  # names, for the preview and the receipt
    citizens: list[str] = field(default_factory=list)


def _check(session: Session, kt: Kontaktteam, target: Team | None, on: date | None, today):
    problems = reorganisation_problems(on, today)
    if target is None:
        problems.append("Vælg det team, kontaktteamet skal flytte til.")
    elif target.id == kt.team_id:
        problems.append(f"Kontaktteam {kt.name} hører allerede til {target.name}.")
    elif on is not None and not is_open_on(target.closed_on, on):
        problems.append(f"{target.name} er lukket fra {format_date(target.closed_on)}.")
    if on is not None and not is_open_on(kt.closed_on, on):
        problems.append(f"Kontaktteam {kt.name} er lukket fra {format_date(kt.closed_on)}.")
    if target is not None and not problems:
        problems += name_problems(
            kt.name, _siblings(session, Kind.KONTAKTTEAM, target.id), Kind.KONTAKTTEAM
        )
    return problems


def move_kontaktteam(
    session: Session,
    kt: Kontaktteam,
    target: Team | None,
    on: date | None,
    *,
    by: int,
    now: datetime,
    today: date,
) -> Moved:
    """Move `kt` with its staff and citizens to `target` from `on`."""
    problems = _check(session, kt, target, on, today)
    if problems:
        raise Refused(problems)
    assert target is not None and on is not None
    old_team = session.get(Team, kt.team_id)
    old_name = old_team.name if old_team else "?"
    new_kt = Kontaktteam(team_id=target.id, name=kt.name)  # type: ignore[arg-type]
    session.add(new_kt)
    session.flush()
    log_unit(
        session,
        by,
        now,
        audit.Change.CREATE,
        Kind.KONTAKTTEAM,
        new_kt,
        f"Kontaktteam {kt.name} oprettet i {target.name} fra {format_date(on)}"
        f" (flyttet fra {old_name})",
    )
    moved = Moved(new_kt)
    moved.staff = _move_memberships(session, kt, new_kt, on, by=by, now=now)
    moved.citizens = _move_citizens(session, kt, new_kt, on, by=by, now=now, today=today)
    before = {"type": Kind.KONTAKTTEAM.value, "navn": kt.name, "lukket_fra": kt.closed_on}
    kt.closed_on = on
    session.add(kt)
    session.flush()
    log_unit(
        session,
        by,
        now,
        audit.Change.END,
        Kind.KONTAKTTEAM,
        kt,
        f"Kontaktteam {kt.name} i {old_name} lukker fra {format_date(on)}:"
        f" flyttet til {target.name}",
        before,
    )
    return moved


def _move_memberships(
    session, kt: Kontaktteam, new_kt: Kontaktteam, on: date, *, by, now
) -> list[str]:
    rows = session.exec(
        select(Membership, Staff.full_name)
        .join(Staff, Staff.id == Membership.staff_id)  # type: ignore[arg-type]
        .where(
            Membership.kind == MembershipKind.TEAM,
            Membership.kontaktteam_id == kt.id,
            or_(Membership.valid_to.is_(None), Membership.valid_to >= on),  # type: ignore[union-attr]
        )
    ).all()
    for m, name in rows:
        before = membership_values(m)
        if m.valid_from >= on:  # never in force before the day: it simply points elsewhere
            m.team_id, m.kontaktteam_id = new_kt.team_id, new_kt.id
            session.add(m)
            session.flush()
            audit.record(
                session,
                by=by,
                at=now,
                action=audit.Change.UPDATE,
                entity=audit.Entity.MEMBERSHIP,
                entity_id=m.id,
                summary=f"Medlemskab for {name} flyttet med kontaktteam {kt.name}",
                before=before,
                after=membership_values(m),
            )
            continue
        new = Membership(
            staff_id=m.staff_id,
            kind=m.kind,
            team_id=new_kt.team_id,
            kontaktteam_id=new_kt.id,
            valid_from=on,
            valid_to=m.valid_to,
        )
        m.valid_to = on - timedelta(days=1)
        session.add_all([m, new])
        session.flush()
        audit.record(
            session,
            by=by,
            at=now,
            action=audit.Change.END,
            entity=audit.Entity.MEMBERSHIP,
            entity_id=m.id,
            summary=(
                f"Medlemskab for {name} i kontaktteam {kt.name} slutter {format_date(m.valid_to)}"
            ),
            before=before,
            after=membership_values(m),
        )
        audit.record(
            session,
            by=by,
            at=now,
            action=audit.Change.CREATE,
            entity=audit.Entity.MEMBERSHIP,
            entity_id=new.id,
            summary=f"Medlemskab for {name} i kontaktteam {kt.name}, nyt team, fra {on:%d.%m.%Y}",
            after=membership_values(new),
        )
    return sorted({name for _, name in rows})


def _move_citizens(session, kt, new_kt, on: date, *, by, now, today) -> list[str]:
    unplaced = session.exec(
        select(Citizen).where(
            Citizen.kontaktteam_id == kt.id,
            ~Citizen.id.in_(select(CitizenPlacement.citizen_id)),  # type: ignore[union-attr]
        )
    ).all()
    for citizen in unplaced:  # placed before placements existed
        placement.start(session, citizen, min(on - timedelta(days=1), today), by=by, now=now)
    rows = session.exec(
        select(CitizenPlacement, Citizen)
        .join(Citizen, Citizen.id == CitizenPlacement.citizen_id)  # type: ignore[arg-type]
        .where(
            CitizenPlacement.kontaktteam_id == kt.id,
            or_(CitizenPlacement.valid_to.is_(None), CitizenPlacement.valid_to >= on),  # type: ignore[union-attr]
        )
    ).all()
    citizens = {}
    for row, citizen in rows:
        citizens[citizen.id] = citizen.full_name
        moved = placement.reassign(
            session, citizen, row, new_kt.team_id, new_kt.id, on, by=by, now=now
        )
        if moved.holds_on(today):
            placement.bring_into_force(session, citizen, moved)
    return sorted(citizens.values())


def split_team(
    session: Session,
    team: Team,
    name: str,
    kontaktteam_ids: list[int],
    on: date | None,
    *,
    by: int,
    now: datetime,
    today: date,
) -> tuple[Team, list[Moved]]:
    """A new team in the same area takes the chosen kontaktteams from `on`; the basisteam
    attachments of the old team valid that day are copied, since the same nurses and
    therapists know these citizens."""
    chosen = [
        k
        for k in session.exec(select(Kontaktteam).where(Kontaktteam.team_id == team.id)).all()
        if k.id in set(kontaktteam_ids)
    ]
    problems = reorganisation_problems(on, today)
    problems += name_problems(name, _siblings(session, Kind.TEAM, team.area_id), Kind.TEAM)
    if not chosen:
        problems.append("Vælg de kontaktteams, der skal høre til det nye team.")
    if on is not None and not is_open_on(team.closed_on, on):
        problems.append(f"{team.name} er lukket fra {format_date(team.closed_on)}.")
    if problems:
        raise Refused(problems)
    assert on is not None
    new_team = Team(area_id=team.area_id, name=name)
    session.add(new_team)
    session.flush()
    log_unit(
        session,
        by,
        now,
        audit.Change.CREATE,
        Kind.TEAM,
        new_team,
        f"Hjemmeplejeteam {name} oprettet fra {format_date(on)} (delt fra {team.name})",
    )
    _copy_attachments(session, team, new_team, on, by=by, now=now)
    moved = [
        move_kontaktteam(session, kt, new_team, on, by=by, now=now, today=today) for kt in chosen
    ]
    return new_team, moved


def _copy_attachments(session, team: Team, new_team: Team, on: date, *, by, now) -> None:
    rows = session.exec(
        select(Membership, Staff.full_name)
        .join(Staff, Staff.id == Membership.staff_id)  # type: ignore[arg-type]
        .where(
            Membership.kind == MembershipKind.BASISTEAM,
            Membership.team_id == team.id,
            or_(Membership.valid_to.is_(None), Membership.valid_to >= on),  # type: ignore[union-attr]
        )
    ).all()
    for m, name in rows:
        new = Membership(
            staff_id=m.staff_id,
            kind=m.kind,
            team_id=new_team.id,
            valid_from=max(on, m.valid_from),
            valid_to=m.valid_to,
        )
        session.add(new)
        session.flush()
        audit.record(
            session,
            by=by,
            at=now,
            action=audit.Change.CREATE,
            entity=audit.Entity.MEMBERSHIP,
            entity_id=new.id,
            summary=(
                f"{name} knyttet til basisteam {new_team.name} fra {format_date(new.valid_from)}"
            ),
            after=membership_values(new),
        )
