"""Creating, renaming and closing the organisation's units, each change in the audit log."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_
from sqlmodel import Session, select

from webapp.admin import audit
from webapp.domain.organisation import Kind, StillInUse, close_problems, name_problems
from webapp.models import (
    Area,
    Citizen,
    CitizenPlacement,
    HealthUnit,
    Kontaktteam,
    Membership,
    Team,
)

MODELS = {
    Kind.AREA: Area,
    Kind.TEAM: Team,
    Kind.KONTAKTTEAM: Kontaktteam,
    Kind.HEALTH_UNIT: HealthUnit,
}
PARENT_COLUMN = {Kind.TEAM: "area_id", Kind.KONTAKTTEAM: "team_id", Kind.HEALTH_UNIT: "area_id"}
MEMBERSHIP_COLUMN = {
    Kind.TEAM: "team_id",
    Kind.KONTAKTTEAM: "kontaktteam_id",
    Kind.HEALTH_UNIT: "health_unit_id",
}
CITIZEN_COLUMN = {Kind.TEAM: "team_id", Kind.KONTAKTTEAM: "kontaktteam_id"}


class Refused(Exception):
    """Danish problems, and the status: 400 for bad input, 409 when what still belongs to a
    unit stops it closing."""

    def __init__(self, problems: list[str], status: int = 400):
        super().__init__(" ".join(problems))
        self.problems = problems
        self.status = status


@dataclass(frozen=True)
class Tree:
    areas: list[Area]
    teams: list[Team]
    kontaktteams: list[Kontaktteam]
    units: list[HealthUnit]


def tree(session: Session) -> Tree:
    return Tree(
        areas=list(session.exec(select(Area).order_by(Area.name)).all()),
        teams=list(session.exec(select(Team).order_by(Team.name)).all()),
        kontaktteams=list(session.exec(select(Kontaktteam).order_by(Kontaktteam.name)).all()),
        units=list(session.exec(select(HealthUnit).order_by(HealthUnit.name)).all()),
    )


def open_units(session: Session, model, day: date, *conditions) -> list:
    """The units of one kind (Team, Kontaktteam, …) open on `day`, by name: what a form
    offers (a unit closed from a day is gone on it, as domain.organisation.is_open_on says)."""
    query = (
        select(model)
        .where(or_(model.closed_on.is_(None), model.closed_on > day), *conditions)
        .order_by(model.name)
    )
    return list(session.exec(query).all())


def get(session: Session, kind: Kind, unit_id: int):
    return session.get(MODELS[kind], unit_id)


def _values(kind: Kind, unit) -> dict:
    values = {"type": kind.value, "navn": unit.name, "lukket_fra": unit.closed_on}
    if kind in PARENT_COLUMN:
        values["hører_til"] = getattr(unit, PARENT_COLUMN[kind])
    return values


def _siblings(session: Session, kind: Kind, parent_id: int | None, except_id=None) -> list[str]:
    model = MODELS[kind]
    query = select(model.name)
    if kind in PARENT_COLUMN:
        query = query.where(getattr(model, PARENT_COLUMN[kind]) == parent_id)
    if except_id is not None:
        query = query.where(model.id != except_id)
    return list(session.exec(query).all())


def _log(session, by, now, action, kind, unit, summary, before=None):
    audit.record(
        session,
        by=by,
        at=now,
        action=action,
        entity=audit.Entity.UNIT,
        entity_id=f"{kind.value}:{unit.id}",
        summary=summary,
        before=before,
        after=_values(kind, unit),
    )


def create(
    session, kind: Kind, name: str, parent_id: int | None, *, by: int, now: datetime, today: date
):
    parent_kind = kind.parent
    if parent_kind is not None:
        parent = session.get(MODELS[parent_kind], parent_id) if parent_id else None
        if parent is None:
            raise Refused([f"Vælg det {parent_kind.label.lower()}, det hører til."])
        if parent.closed_on is not None and parent.closed_on <= today:
            raise Refused([f"{parent.name} er lukket."])
    problems = name_problems(name, _siblings(session, kind, parent_id), kind)
    if problems:
        raise Refused(problems)
    values = {"name": name}
    if kind in PARENT_COLUMN:
        values[PARENT_COLUMN[kind]] = parent_id
    unit = MODELS[kind](**values)
    session.add(unit)
    session.flush()
    _log(session, by, now, audit.Change.CREATE, kind, unit, f"{kind.label} {name} oprettet")
    return unit


def rename(session, kind: Kind, unit, name: str, *, by: int, now: datetime) -> None:
    parent_id = getattr(unit, PARENT_COLUMN[kind]) if kind in PARENT_COLUMN else None
    problems = name_problems(name, _siblings(session, kind, parent_id, unit.id), kind)
    if problems:
        raise Refused(problems)
    before = _values(kind, unit)
    old = unit.name
    unit.name = name
    session.add(unit)
    session.flush()
    _log(
        session,
        by,
        now,
        audit.Change.UPDATE,
        kind,
        unit,
        f"{kind.label} {old} omdøbt til {name}",
        before,
    )


def still_in_use(session: Session, kind: Kind, unit, on: date) -> StillInUse:
    children = 0
    if kind is Kind.AREA:
        for model in (Team, HealthUnit):
            children += session.exec(
                select(func.count())
                .select_from(model)
                .where(
                    model.area_id == unit.id,
                    or_(model.closed_on.is_(None), model.closed_on > on),  # type: ignore[union-attr]
                )
            ).one()
    elif kind is Kind.TEAM:
        children = session.exec(
            select(func.count())
            .select_from(Kontaktteam)
            .where(
                Kontaktteam.team_id == unit.id,
                or_(Kontaktteam.closed_on.is_(None), Kontaktteam.closed_on > on),  # type: ignore[union-attr]
            )
        ).one()
    memberships = 0
    if kind in MEMBERSHIP_COLUMN:
        memberships = session.exec(
            select(func.count())
            .select_from(Membership)
            .where(
                getattr(Membership, MEMBERSHIP_COLUMN[kind]) == unit.id,
                or_(Membership.valid_to.is_(None), Membership.valid_to >= on),  # type: ignore[union-attr]
            )
        ).one()
    citizens = 0
    if kind in CITIZEN_COLUMN:
        column = CITIZEN_COLUMN[kind]
        placed = select(CitizenPlacement.citizen_id).where(
            getattr(CitizenPlacement, column) == unit.id,
            or_(CitizenPlacement.valid_to.is_(None), CitizenPlacement.valid_to >= on),  # type: ignore[union-attr]
        )
        unplaced = select(Citizen.id).where(  # placed before placements existed
            getattr(Citizen, column) == unit.id,
            ~Citizen.id.in_(select(CitizenPlacement.citizen_id)),  # type: ignore[union-attr]
        )
        citizens = session.exec(
            select(func.count()).select_from(placed.union(unplaced).subquery())
        ).one()
    return StillInUse(children, memberships, citizens)


def close(
    session, kind: Kind, unit, on: date | None, *, by: int, now: datetime, today: date
) -> None:
    use = still_in_use(session, kind, unit, on) if on is not None else StillInUse()
    problems = close_problems(on, today, use, kind)
    if problems:
        blocked = on is not None and on >= today and use != StillInUse()
        raise Refused(problems, 409 if blocked else 400)
    assert on is not None
    before = _values(kind, unit)
    unit.closed_on = on
    session.add(unit)
    session.flush()
    _log(
        session,
        by,
        now,
        audit.Change.END,
        kind,
        unit,
        f"{kind.label} {unit.name} lukker fra {on:%d.%m.%Y}",
        before,
    )


def reopen(session, kind: Kind, unit, *, by: int, now: datetime) -> None:
    if unit.closed_on is None:
        return
    before = _values(kind, unit)
    unit.closed_on = None
    session.add(unit)
    session.flush()
    _log(
        session,
        by,
        now,
        audit.Change.UPDATE,
        kind,
        unit,
        f"{kind.label} {unit.name} åbnet igen",
        before,
    )
