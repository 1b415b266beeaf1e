"""The organisation as the data holds it: for administrators (who see no citizen data)."""

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import func
from sqlmodel import select

from webapp import clock
from webapp.db import get_session
from webapp.domain.dates import is_valid_on
from webapp.domain.roles import Role
from webapp.models import Area, Citizen, HealthUnit, Kontaktteam, Membership, Team

bp = Blueprint("organisation", __name__, url_prefix="/organisation")


@bp.get("/")
@login_required
def index():
    if Role.ADMIN not in current_user.role_set:
        abort(404)
    session = get_session()
    today = clock.today()
    staff_by_team: dict[int, set[int]] = {}
    staff_by_kt: dict[int, set[int]] = {}
    staff_by_unit: dict[int, set[int]] = {}
    for m in session.exec(select(Membership)).all():
        if not is_valid_on(m.valid_from, m.valid_to, today):
            continue
        if m.team_id is not None:
            staff_by_team.setdefault(m.team_id, set()).add(m.staff_id)
        if m.kontaktteam_id is not None:
            staff_by_kt.setdefault(m.kontaktteam_id, set()).add(m.staff_id)
        if m.health_unit_id is not None:
            staff_by_unit.setdefault(m.health_unit_id, set()).add(m.staff_id)
    citizens = dict(
        session.exec(select(Citizen.team_id, func.count()).group_by(Citizen.team_id)).all()
    )
    return render_template(
        "organisation/index.html",
        areas=session.exec(select(Area).order_by(Area.name)).all(),
        teams=session.exec(select(Team).order_by(Team.name)).all(),
        kontaktteams=session.exec(select(Kontaktteam).order_by(Kontaktteam.name)).all(),
        units=session.exec(select(HealthUnit).order_by(HealthUnit.name)).all(),
        staff_by_team=staff_by_team,
        staff_by_kt=staff_by_kt,
        staff_by_unit=staff_by_unit,
        citizens=citizens,
    )
