"""Mine opfølgninger, the team's list, the planner's list, and doing, postponing and booking
a follow-up."""

from datetime import date, datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.access.scope import current_scope, in_scope
from webapp.db import get_session
from webapp.domain.followups import DEFAULT_DEADLINES
from webapp.domain.roles import Role, sees_citizens
from webapp.followups import lists, operations
from webapp.followups.operations import FollowUpError
from webapp.models import FollowUp

bp = Blueprint("followups", __name__, url_prefix="/opfoelgninger")

PLANNER_ROLES = frozenset({Role.PLANNER, Role.LEADER, Role.ASSISTANT, Role.NURSE})


def _require_citizen_roles() -> None:
    if not sees_citizens(current_user.role_set):
        abort(404)


def _in_view():
    return in_scope(current_scope())


@bp.get("/")
@login_required
def mine():
    _require_citizen_roles()
    rows = lists.mine(get_session(), current_user.id, _in_view(), clock.today())
    return _list_page("followups/mine.html", rows)


@bp.get("/team")
@login_required
def team():
    _require_citizen_roles()
    rows = lists.team(get_session(), _in_view(), clock.today())
    return _list_page("followups/team.html", rows)


@bp.get("/booking")
@login_required
def to_book():
    if not current_user.role_set & PLANNER_ROLES:
        abort(404)
    weeks = DEFAULT_DEADLINES.planner_horizon_weeks
    rows = lists.to_book(get_session(), _in_view(), clock.today(), weeks)
    return _list_page("followups/booking.html", rows, weeks=weeks)


@bp.post("/<int:follow_up_id>/udfoert")
@login_required
def done(follow_up_id: int):
    follow_up = _follow_up_or_404(follow_up_id)
    try:
        following = operations.complete(
            get_session(),
            follow_up,
            by=current_user.id,
            at=clock.now(),
            today=clock.today(),
            value=request.form.get("value", ""),
            note=request.form.get("note", ""),
        )
    except FollowUpError as error:
        return _error_page(follow_up, str(error))
    message = f"Udført: {follow_up.title}."
    if following is not None:
        message += f" Næste gang: {following.due_date.strftime('%d.%m.%Y')}."
    flash(message, "info")
    return redirect(_back(), 303)


@bp.get("/<int:follow_up_id>/udsaet")
@login_required
def postpone_form(follow_up_id: int):
    follow_up = _follow_up_or_404(follow_up_id)
    record_read(Action.FOLLOW_UP, [follow_up.citizen_id])
    return render_template("followups/postpone.html", follow_up=follow_up, back=_back())


@bp.post("/<int:follow_up_id>/udsaet")
@login_required
def postpone(follow_up_id: int):
    follow_up = _follow_up_or_404(follow_up_id)
    new_date = _date(request.form.get("new_date", ""))
    reason = request.form.get("reason", "")
    try:
        if new_date is None:
            raise FollowUpError("Vælg en gyldig ny dato.")
        operations.postpone(
            get_session(),
            follow_up,
            new_date=new_date,
            reason=reason,
            by=current_user.id,
            now=clock.now(),
        )
    except FollowUpError as error:
        record_read(Action.FOLLOW_UP, [follow_up.citizen_id])
        page = render_template(
            "followups/postpone.html",
            follow_up=follow_up,
            back=_back(),
            error=str(error),
            new_date=request.form.get("new_date", ""),
            reason=reason,
        )
        return page, 400
    flash(f"Udsat til {new_date.strftime('%d.%m.%Y')}: {follow_up.title}.", "info")
    return redirect(_back(), 303)


@bp.post("/<int:follow_up_id>/booking")
@login_required
def book(follow_up_id: int):
    if not current_user.role_set & PLANNER_ROLES:
        abort(404)
    follow_up = _follow_up_or_404(follow_up_id)
    booked = _datetime(request.form.get("booked_date", ""), request.form.get("booked_time", ""))
    if booked is None:
        return _error_page(follow_up, "Skriv dato og klokkeslæt for mødet.")
    follow_up.booked_at = booked
    get_session().add(follow_up)
    flash(f"Booket: {follow_up.title}, {booked.strftime('%d.%m.%Y kl. %H.%M')}.", "info")
    return redirect(url_for(".to_book"), 303)


def _follow_up_or_404(follow_up_id: int) -> FollowUp:
    _require_citizen_roles()
    follow_up = lists.get(get_session(), follow_up_id, _in_view())
    if follow_up is None:
        abort(404)
    return follow_up


def _list_page(template: str, rows: list[lists.Row], **extra):
    record_read(Action.FOLLOW_UPS, sorted({r.follow_up.citizen_id for r in rows}))
    sections = {
        "overskredet": [r for r in rows if r.section == "overskredet"],
        "i_dag": [r for r in rows if r.section == "i_dag"],
        "naeste_14_dage": [r for r in rows if r.section == "naeste_14_dage"],
        "senere": [r for r in rows if r.section is None],
    }
    can_book = bool(current_user.role_set & PLANNER_ROLES)
    return render_template(template, sections=sections, rows=rows, can_book=can_book, **extra)


def _error_page(follow_up: FollowUp, message: str):
    record_read(Action.FOLLOW_UP, [follow_up.citizen_id])
    page = render_template("followups/error.html", follow_up=follow_up, error=message, back=_back())
    return page, 400


def _back() -> str:
    """Back to the list the form came from (a local path only)."""
    target = request.values.get("tilbage", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return url_for(".mine")


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _datetime(day: str, at: str) -> datetime | None:
    parsed_day = _date(day)
    try:
        parsed_time = time.fromisoformat(at.strip())
    except ValueError:
        return None
    if parsed_day is None:
        return None
    return datetime.combine(parsed_day, parsed_time, clock.local_zone())
