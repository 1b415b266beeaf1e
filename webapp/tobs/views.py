"""TOBS: the form with a live score (htmx), saving, and the result with its guidance."""

import uuid

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.access.scope import get_citizen_or_404
from webapp.db import get_session
from webapp.domain.offline import normalise_client_id
from webapp.domain.tobs import Consciousness, TempMethod, parse_tobs
from webapp.domain.tobs_actions import EMERGENCY_TEXT
from webapp.followups.operations import on_tobs_saved
from webapp.htmx import is_htmx
from webapp.models import Citizen, Staff, TobsMeasurement
from webapp.tobs import services

bp = Blueprint("tobs", __name__)

EMPTY_ERROR = "Skriv mindst én måling, før du gemmer."
NOT_USED_ERROR = "TOBS bruges ikke til denne borger."
FIELDS = ("puls", "respiration", "temperatur", "maalemetode", "systolisk", "bevidsthed")


@bp.get("/borgere/<int:citizen_id>/tobs")
@login_required
def new(citizen_id: int):
    """The form; with values in the query string it shows their score too. An htmx request
    (typing in the form) gets only the score panel."""
    citizen = get_citizen_or_404(citizen_id)
    values = {k: request.args.get(k, "").strip() for k in (*FIELDS, "iltmaetning")}
    judgement, errors = _judge(citizen, values)
    if is_htmx():
        return render_template("tobs/_score.html", judgement=judgement, errors=errors)
    record_read(Action.TOBS, [citizen.id])
    return _form(citizen, values, judgement, errors)


@bp.post("/borgere/<int:citizen_id>/tobs")
@login_required
def create(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    if not citizen.tobs_applies:
        record_read(Action.TOBS, [citizen.id])
        return _form(citizen, {}, None, {"": NOT_USED_ERROR}), 409
    values = {k: request.form.get(k, "").strip() for k in (*FIELDS, "iltmaetning")}
    inp, errors = parse_tobs(values)
    if not errors and inp.is_empty:
        errors = {"": EMPTY_ERROR}
    if errors:
        record_read(Action.TOBS, [citizen.id])
        judgement, _ = _judge(citizen, values)
        return _form(citizen, values, judgement, errors), 400
    session = get_session()
    client_id = normalise_client_id(request.form.get("client_id"))
    already = _already_sent(client_id, citizen.id)  # type: ignore[arg-type]
    if already is not None:
        return already
    table = services.action_table_in_force(session, clock.today())
    judgement = services.judge(inp, citizen, table)
    try:
        measurement = services.save_tobs(
            session,
            citizen_id=citizen.id,  # type: ignore[arg-type]
            staff_id=current_user.id,
            at=clock.now(),
            inp=inp,
            judgement=judgement,
            client_id=client_id,
        )
    except IntegrityError:  # the same form sent twice at the same moment
        session.rollback()
        return _already_sent(client_id, citizen.id) or abort(409)  # type: ignore[arg-type]
    on_tobs_saved(
        session,
        citizen,
        total=judgement.result.total,
        complete_score=judgement.result.complete,
        by=current_user.id,
        now=measurement.at,
        today=clock.today(),
        zone=clock.local_zone(),
    )
    return redirect(url_for(".result", citizen_id=citizen.id, tobs_id=measurement.id))


@bp.get("/borgere/<int:citizen_id>/tobs/<int:tobs_id>")
@login_required
def result(citizen_id: int, tobs_id: int):
    citizen = get_citizen_or_404(citizen_id)
    session = get_session()
    measurement = session.get(TobsMeasurement, tobs_id)
    if measurement is None or measurement.citizen_id != citizen.id:
        abort(404)
    table = services.action_table(session, measurement.action_version_id)
    record_read(Action.TOBS_RESULT, [citizen.id])
    return render_template(
        "tobs/result.html",
        citizen=citizen,
        measurement=measurement,
        judgement=services.judge(services.input_of(measurement), citizen, table),
        author=session.get(Staff, measurement.staff_id),
        emergency=EMERGENCY_TEXT,
    )


def _already_sent(client_id: str | None, citizen_id: int):
    """A double tap: the result of the TOBS this form already stored."""
    if client_id is None:
        return None
    found = services.by_client_id(get_session(), client_id)
    if found is None or found.citizen_id != citizen_id or found.staff_id != current_user.id:
        return None
    return redirect(url_for(".result", citizen_id=citizen_id, tobs_id=found.id), 303)


def _judge(citizen: Citizen, values: dict[str, str]):
    """The score for what is typed so far, or None while nothing scoreable is typed."""
    if not citizen.tobs_applies:
        return None, {}
    inp, errors = parse_tobs(values)
    if inp.is_empty:
        return None, errors
    table = services.action_table_in_force(get_session(), clock.today())
    return services.judge(inp, citizen, table), errors


def _form(citizen: Citizen, values: dict[str, str], judgement, errors: dict[str, str]):
    return render_template(
        "tobs/form.html",
        citizen=citizen,
        values=values,
        judgement=judgement,
        errors=errors,
        methods=list(TempMethod),
        levels=list(Consciousness),
        emergency=EMERGENCY_TEXT,
        client_id=normalise_client_id(request.form.get("client_id")) or str(uuid.uuid4()),
    )
