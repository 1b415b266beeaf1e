"""Vagtplan: the leader's and planner's week of duty shifts for a basisteam (DOMAIN §7).

Leaders and planners only, and only for teams in their scope; anyone else gets a 404, so
the page does not reveal that a team exists. Plain forms (POST, then a 303 back to the
week); with htmx each change answers with the updated week, swapped in place.

htmx 2 does not swap a 4xx answer, so refused input under htmx is flashed and the browser
sent to the week page (HX-Redirect); the 400 body still carries the message.
"""

from datetime import date, time
from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from webapp import clock
from webapp.access.scope import current_scope
from webapp.db import get_session
from webapp.domain.duty import (
    Shift,
    shift_at,
    shift_starts_from,
    week_days,
)
from webapp.domain.roles import Role
from webapp.htmx import is_htmx
from webapp.models import Team
from webapp.roster import services
from webapp.roster.services import Refused
from webapp.urls import parse_id

bp = Blueprint("roster", __name__, url_prefix="/vagtplan")

PLANNER_ROLES = frozenset({Role.LEADER, Role.PLANNER})


def planners_only(view):
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.role_set & PLANNER_ROLES:
            abort(404)
        return view(*args, **kwargs)

    return wrapper


def shift_starts() -> dict[Shift, time]:
    """The configured shift start times (the same setting escalation routing reads)."""
    configured = current_app.config.get("SHIFT_STARTS")
    return shift_starts_from(configured)


def _team_or_404(team_id: int) -> Team:
    team = services.get_team(get_session(), team_id)
    if team is None or team.id not in current_scope().team_ids:
        abort(404)
    return team


def _now_local():
    return clock.now().astimezone(clock.local_zone())


@bp.get("/")
@planners_only
def index():
    """The teams in scope; with only one, its week straight away."""
    team_ids = current_scope().team_ids
    if len(team_ids) == 1:
        return redirect(url_for(".week", team_id=next(iter(team_ids))))
    day, shift = shift_at(_now_local(), shift_starts())
    rows = services.teams_now(get_session(), team_ids, day, shift)
    return render_template(
        "roster/index.html",
        teams=rows,
        shift=shift,
        span=services.span_label(shift, shift_starts()),
    )


@bp.get("/<int:team_id>")
@planners_only
def week(team_id: int):
    team = _team_or_404(team_id)
    today = clock.today()
    asked = request.args.get("uge")
    if asked is None:
        return _week_response(team, today)
    try:
        day = services.parse_day(asked, today)
    except Refused as refused:
        return _week_response(team, today, error=refused.message, status=400)
    return _week_response(team, day)


@bp.post("/<int:team_id>/tilfoej")
@planners_only
def add(team_id: int):
    team = _team_or_404(team_id)
    try:
        day, shift = _day_and_shift()
        person, added = services.add(
            get_session(), team, day, shift, parse_id(request.form.get("staff_id", ""))
        )
    except Refused as refused:
        return _refused(team, refused)
    where = services.shift_on_day(shift, day)
    if added:
        return _changed(team, day, f"{person.full_name} er sat på {where}")
    return _changed(team, day, f"{person.full_name} stod allerede på {where}")


@bp.post("/<int:team_id>/fjern")
@planners_only
def remove(team_id: int):
    team = _team_or_404(team_id)
    try:
        day, shift = _day_and_shift()
        person = services.remove(
            get_session(), team, day, shift, parse_id(request.form.get("staff_id", ""))
        )
    except Refused as refused:
        return _refused(team, refused)
    where = services.shift_on_day(shift, day)
    if person is None:
        return _changed(team, day, f"Medarbejderen stod ikke på {where}")
    return _changed(team, day, f"{person.full_name} er taget af {where}")


@bp.post("/<int:team_id>/kopier")
@planners_only
def copy_previous(team_id: int):
    team = _team_or_404(team_id)
    try:
        day = services.parse_day(request.form.get("uge"), clock.today())
    except Refused as refused:
        return _refused(team, refused)
    added = services.copy_previous_week(get_session(), team, day)
    if added == 0:
        message = "Der var intet at kopiere: ugen havde allerede forrige uges vagter."
    elif added == 1:
        message = "1 vagt er kopieret fra forrige uge."
    else:
        message = f"{added} vagter er kopieret fra forrige uge."
    return _changed(team, day, message)


# --- helpers ---------------------------------------------------------------------------------


def _day_and_shift() -> tuple[date, Shift]:
    day = services.parse_day(request.form.get("day"), clock.today())
    return day, services.parse_shift(request.form.get("shift"))


def _week_url(team: Team, day: date) -> str:
    return url_for(".week", team_id=team.id, uge=week_days(day)[0].isoformat())


def _changed(team: Team, day: date, message: str):
    """After a change: the updated week for htmx, a 303 back to the week otherwise."""
    if is_htmx():
        return _week_response(team, day, notice=message)
    flash(message, "info")
    return redirect(_week_url(team, day), 303)


def _refused(team: Team, refused: Refused):
    """A 400 with the message: for htmx flashed and reloaded (htmx does not swap a 400),
    otherwise the week page with the message on top."""
    day = _form_day()
    if is_htmx():
        flash(refused.message, "error")
        response = _week_response(team, day, error=refused.message, status=400)
        response.headers["HX-Redirect"] = _week_url(team, day)
        return response
    return _week_response(team, day, error=refused.message, status=400)


def _form_day() -> date:
    """The week the form came from, when its date is usable; this week otherwise."""
    today = clock.today()
    for field in ("day", "uge"):
        try:
            return services.parse_day(request.form.get(field), today)
        except Refused:
            continue
    return today


def _week_response(
    team: Team, day: date, *, error: str | None = None, notice: str | None = None, status=200
):
    week = services.week(get_session(), team, day, clock.today(), _now_local(), shift_starts())
    context = {
        "week": week,
        "error": error,
        "notice": notice,
        "other_teams": len(current_scope().team_ids) > 1,
    }
    template = "roster/_week.html" if is_htmx() else "roster/week.html"
    return current_app.make_response((render_template(template, **context), status))
