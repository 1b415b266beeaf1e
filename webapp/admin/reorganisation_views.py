"""/admin/organisation/omorganisering: move a kontaktteam to another team, or split a team,
from a date (admin only; a 404 for everyone else). Both show a preview first: the change is
made in a savepoint, read, and rolled back, so the preview is exactly what saving does."""

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp import clock
from webapp.admin import reorganisation
from webapp.admin.organisation import Refused, open_units
from webapp.db import get_session
from webapp.domain.dates import format_date
from webapp.domain.organisation import tidy_name
from webapp.domain.roles import Role
from webapp.domain.staff_import import parse_date
from webapp.models import Kontaktteam, Team
from webapp.urls import parse_id

bp = Blueprint("admin_reorg", __name__, url_prefix="/admin/organisation/omorganisering")


@bp.before_request
@login_required
def _admin_only():
    if Role.ADMIN not in current_user.role_set:
        abort(404)


@dataclass(frozen=True)
class Preview:
    title: str
    staff: list[str]
    citizens: list[str]


def _open_units(today):
    session = get_session()
    return open_units(session, Team, today), open_units(session, Kontaktteam, today)


def _page(errors=None, preview: Preview | None = None, form=None, status: int = 200):
    today = clock.today()
    teams, kts = _open_units(today)
    form = form if form is not None else {}
    split_team = parse_id(form.get("team_del", "") or request.args.get("team", ""))
    return render_template(
        "admin/reorganisation.html",
        teams=teams,
        kontaktteams=kts,
        team_names={t.id: t.name for t in teams},
        split_team=split_team,
        form=form,
        chosen=set(form.get("kontaktteams", [])),
        errors=errors or [],
        preview=preview,
        today=today,
        format_date=format_date,
    ), status


def _date(form) -> tuple:
    try:
        return parse_date(form.get("dato", "")[:20], "Datoen"), None
    except ValueError as error:
        return None, str(error)


def _run(action, title_for):
    """Preview (a savepoint, rolled back) or save, by the form's `handling`."""
    session = get_session()
    if request.form.get("handling") != "gem":
        savepoint = session.begin_nested()
        try:
            result = action()
            preview = Preview(title_for(result), *_names(result))
        finally:
            savepoint.rollback()
        return _page(preview=preview, form=_form())
    result = action()
    staff, citizens = _names(result)
    flash(
        f"{title_for(result)}: {len(staff)} medarbejdere og {len(citizens)} borgere følger med.",
        "info",
    )
    return redirect(url_for("admin.units_index"), 303)


def _names(result) -> tuple[list[str], list[str]]:
    moved = result if isinstance(result, list) else [result]
    staff = sorted({name for m in moved for name in m.staff})
    citizens = sorted({name for m in moved for name in m.citizens})
    return staff, citizens


def _form() -> dict:
    form = {
        k: request.form.get(k, "")[:200]
        for k in ("kontaktteam", "team", "dato", "navn", "team_del")
    }
    form["kontaktteams"] = [v for v in request.form.getlist("kontaktteams")[:200] if v.isdigit()]
    return form


@bp.get("/")
def index():
    return _page()


@bp.post("/flyt")
def move():
    session = get_session()
    kt = session.get(Kontaktteam, parse_id(request.form.get("kontaktteam", "")) or 0)
    target = session.get(Team, parse_id(request.form.get("team", "")) or 0)
    on, error = _date(request.form)
    if kt is None:
        return _page(["Vælg det kontaktteam, der skal flytte."], form=_form(), status=400)
    if error:
        return _page([error], form=_form(), status=400)
    today = clock.today()
    try:
        return _run(
            lambda: reorganisation.move_kontaktteam(
                session, kt, target, on, by=current_user.id, now=clock.now(), today=today
            ),
            lambda moved: (
                f"Kontaktteam {moved.kontaktteam.name} flytter til "
                f"{target.name if target else ''} fra {format_date(on)}"
            ),
        )
    except Refused as refused:
        return _page(refused.problems, form=_form(), status=refused.status)


@bp.post("/del")
def split():
    session = get_session()
    team = session.get(Team, parse_id(request.form.get("team_del", "")) or 0)
    if team is None:
        return _page(["Vælg det team, der skal deles."], form=_form(), status=400)
    on, error = _date(request.form)
    if error:
        return _page([error], form=_form(), status=400)
    name = tidy_name(request.form.get("navn", ""))[:500]
    chosen = [int(v) for v in _form()["kontaktteams"]]
    today = clock.today()
    try:
        return _run(
            lambda: reorganisation.split_team(
                session, team, name, chosen, on, by=current_user.id, now=clock.now(), today=today
            )[1],
            lambda moved: (
                f"{team.name} deles: {name} får "
                f"{', '.join(m.kontaktteam.name for m in moved)} fra {format_date(on)}"
            ),
        )
    except Refused as refused:
        return _page(refused.problems, form=_form(), status=refused.status)
