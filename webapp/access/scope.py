"""The one place that answers "which citizens may this person see".

Every query for citizen data starts from `visible_citizens()` or `get_citizen_or_404()`.
"""

from flask import abort, g
from flask_login import current_user
from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from webapp import clock
from webapp.db import get_session
from webapp.domain.scope import (
    AttachmentFact,
    HealthUnitMembershipFact,
    Scope,
    TeamMembershipFact,
    scope_for,
)
from webapp.models import Citizen, HealthUnit, Membership, MembershipKind, Staff, Team

Facts = tuple[list[TeamMembershipFact], list[AttachmentFact], list[HealthUnitMembershipFact]]


def _membership_rows(staff_id: int):
    """A person's memberships, each with its health unit's area teams (outer joins)."""
    area_team = aliased(Team)
    return (
        select(Membership, area_team.id)
        .outerjoin(HealthUnit, HealthUnit.id == Membership.health_unit_id)  # type: ignore[arg-type]
        .outerjoin(area_team, and_(area_team.area_id == HealthUnit.area_id))
        .where(Membership.staff_id == staff_id)
    )


def _facts(rows) -> Facts:
    teams: dict[int, TeamMembershipFact] = {}
    attachments: dict[int, AttachmentFact] = {}
    unit_teams: dict[int, set[int]] = {}
    units: dict[int, Membership] = {}
    for m, area_team_id in rows:
        if m is None:
            continue
        if m.kind == MembershipKind.TEAM:
            teams[m.id] = TeamMembershipFact(m.team_id, m.kontaktteam_id, m.valid_from, m.valid_to)
        elif m.kind == MembershipKind.BASISTEAM:
            attachments[m.id] = AttachmentFact(m.team_id, m.valid_from, m.valid_to)
        else:
            units[m.id] = m
            unit_teams.setdefault(m.id, set())
            if area_team_id is not None:
                unit_teams[m.id].add(area_team_id)
    health_units = [
        HealthUnitMembershipFact(
            m.health_unit_id, frozenset(unit_teams[i]), m.valid_from, m.valid_to
        )
        for i, m in units.items()
    ]
    return list(teams.values()), list(attachments.values()), health_units


def membership_facts(session: Session, staff_id: int) -> Facts:
    """All of a person's memberships, with each health unit's teams, in one query."""
    return _facts(session.exec(_membership_rows(staff_id)).all())


def staff_with_facts(session: Session, staff_id: int) -> tuple[Staff | None, Facts]:
    """The person and their memberships in one query: the sign-in check on every request
    also brings what the scope needs, so a page with citizen data saves a round trip."""
    area_team = aliased(Team)
    rows = session.exec(
        select(Staff, Membership, area_team.id)
        .outerjoin(Membership, Membership.staff_id == Staff.id)  # type: ignore[arg-type]
        .outerjoin(HealthUnit, HealthUnit.id == Membership.health_unit_id)  # type: ignore[arg-type]
        .outerjoin(area_team, and_(area_team.area_id == HealthUnit.area_id))
        .where(Staff.id == staff_id)
    ).all()
    if not rows:
        return None, ([], [], [])
    return rows[0][0], _facts((m, t) for _, m, t in rows)


def current_scope() -> Scope:
    """The signed-in person's scope today, worked out once per request (from the memberships
    the sign-in check loaded, when it did)."""
    if "scope" not in g:
        facts = g.get("membership_facts")
        if facts is None:
            facts = membership_facts(get_session(), current_user.id)
        g.scope = scope_for(current_user.role_set, clock.today(), *facts)
    return g.scope


def in_scope(scope: Scope) -> ColumnElement[bool]:
    """The SQL condition for "this citizen row is in scope"."""
    return Citizen.team_id.in_(sorted(scope.team_ids))  # type: ignore[attr-defined]


def visible_citizens(scope: Scope | None = None) -> SelectOfScalar[Citizen]:
    """A SELECT of the citizens in scope; callers add filters and order."""
    return select(Citizen).where(in_scope(current_scope() if scope is None else scope))


def citizen_in_scope(citizen_id: int) -> Citizen | None:
    return get_session().exec(visible_citizens().where(Citizen.id == citizen_id)).first()


def get_citizen_or_404(citizen_id: int) -> Citizen:
    """Out of scope is a 404, so the answer never confirms that the citizen exists."""
    citizen = citizen_in_scope(citizen_id)
    if citizen is None:
        abort(404)
    return citizen
