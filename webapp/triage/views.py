"""Triagefarve: the form, the change (set or suggested) and its receipt."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.access.scope import get_citizen_or_404
from webapp.db import get_session
from webapp.domain.citizens import TriageColour
from webapp.domain.triage import SETTER_ROLES, ChangeKind
from webapp.models import Citizen, TriageChange
from webapp.triage import services
from webapp.triage.services import TriageError

bp = Blueprint("triage", __name__)


@bp.get("/borgere/<int:citizen_id>/triagefarve")
@login_required
def edit(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    record_read(Action.TRIAGE, [citizen.id])
    return _form(citizen, request.args.get("farve", ""), "")


@bp.post("/borgere/<int:citizen_id>/triagefarve")
@login_required
def update(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    colour, reason = request.form.get("farve", ""), request.form.get("reason", "")
    try:
        change = services.change_colour(
            get_session(),
            citizen,
            current_user.id,
            current_user.role_set,
            colour,
            reason,
            clock.now(),
            clock.local_zone(),
        )
    except TriageError as error:
        record_read(Action.TRIAGE, [citizen.id])
        return _form(citizen, colour, reason, str(error)), 400
    return redirect(url_for(".receipt", citizen_id=citizen.id, change_id=change.id))


@bp.get("/borgere/<int:citizen_id>/triagefarve/<int:change_id>")
@login_required
def receipt(citizen_id: int, change_id: int):
    citizen = get_citizen_or_404(citizen_id)
    session = get_session()
    change = session.get(TriageChange, change_id)
    if change is None or change.citizen_id != citizen.id:
        abort(404)
    record_read(Action.TRIAGE, [citizen.id])
    return render_template(
        "triage/receipt.html",
        citizen=citizen,
        change=change,
        was_set=change.kind == ChangeKind.SET.value,
        tobs_wanted=citizen.tobs_applies and services.tobs_wanted(session, citizen.id, clock.now()),  # type: ignore[arg-type]
    )


def _form(citizen: Citizen, colour: str, reason: str, error: str | None = None):
    return render_template(
        "triage/form.html",
        citizen=citizen,
        colours=list(TriageColour),
        chosen=colour,
        reason=reason,
        error=error,
        sets=bool(current_user.role_set & SETTER_ROLES),
        suggestions=services.open_suggestions(get_session(), citizen.id),  # type: ignore[arg-type]
        max_reason=services.MAX_REASON,
    )
