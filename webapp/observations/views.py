"""Hverdagsobservationer: the checklist form, the receipt that offers "Mål TOBS nu", and
the nurses' list *Observationer uden TOBS*."""

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.access.scope import current_scope, get_citizen_or_404, in_scope
from webapp.db import get_session
from webapp.domain.offline import normalise_client_id
from webapp.domain.roles import Role
from webapp.models import Citizen, Staff, TobsDismissal
from webapp.observations import services
from webapp.observations.services import ObservationError
from webapp.observations.without_tobs import citizens_without_tobs
from webapp.urls import parse_id

bp = Blueprint("observations", __name__)

LIST_ROLES = frozenset({Role.NURSE, Role.ASSISTANT})
MAX_REASON = 280


@bp.get("/borgere/<int:citizen_id>/observation")
@login_required
def new(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    corrects = _corrected_or_none(citizen.id)
    ticked = {i.id for i in services.items_of(get_session(), corrects.id)} if corrects else set()
    record_read(Action.OBSERVATION, [citizen.id])
    return _form(citizen, corrects, ticked, corrects.note if corrects else "")


@bp.post("/borgere/<int:citizen_id>/observation")
@login_required
def create(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    corrects = _corrected_or_none(citizen.id)
    item_ids = [i for i in map(parse_id, request.form.getlist("punkt")) if i is not None]
    note = request.form.get("note", "")
    client_id = normalise_client_id(request.form.get("client_id"))
    already = _already_sent(client_id, citizen.id)  # type: ignore[arg-type]
    if already is not None:
        return already
    try:
        observation = services.record_observation(
            get_session(),
            citizen_id=citizen.id,  # type: ignore[arg-type]
            staff_id=current_user.id,
            at=clock.now(),
            item_ids=item_ids,
            note=note,
            no_change="ingen_aendringer" in request.form,
            corrects=corrects,
            client_id=client_id,
        )
    except ObservationError as error:
        record_read(Action.OBSERVATION, [citizen.id])
        return _form(citizen, corrects, set(item_ids), note, str(error), client_id), 400
    except IntegrityError:  # the same form sent twice at the same moment
        get_session().rollback()
        return _already_sent(client_id, citizen.id) or abort(409)  # type: ignore[arg-type]
    return redirect(url_for(".saved", citizen_id=citizen.id, observation_id=observation.id))


@bp.get("/borgere/<int:citizen_id>/observation/<int:observation_id>")
@login_required
def saved(citizen_id: int, observation_id: int):
    citizen = get_citizen_or_404(citizen_id)
    session = get_session()
    observation = services.get_observation(session, citizen.id, observation_id)  # type: ignore[arg-type]
    if observation is None:
        abort(404)
    state = services.nudge_state(session, citizen.id, clock.now())  # type: ignore[arg-type]
    record_read(Action.OBSERVATION_SAVED, [citizen.id])
    return render_template(
        "observations/saved.html",
        citizen=citizen,
        observation=observation,
        items=services.items_of(session, observation_id),
        author=session.get(Staff, observation.staff_id),
        needs_tobs=state.needs_tobs and citizen.tobs_applies,
        corrected=services.is_corrected(session, observation_id),
    )


@bp.get("/observationer-uden-tobs")
@login_required
def without_tobs():
    if not current_user.role_set & LIST_ROLES:
        abort(404)
    return _without_tobs_page()


@bp.post("/borgere/<int:citizen_id>/tobs-afvisning")
@login_required
def dismiss(citizen_id: int):
    if Role.NURSE not in current_user.role_set:
        abort(404)
    citizen = get_citizen_or_404(citizen_id)
    reason = request.form.get("reason", "").strip()
    if not reason or len(reason) > MAX_REASON:
        error = f"Skriv en begrundelse på højst {MAX_REASON} tegn."
        return _without_tobs_page(error=(citizen.id, error, reason)), 400
    session = get_session()
    session.add(
        TobsDismissal(
            citizen_id=citizen.id,  # type: ignore[arg-type]
            staff_id=current_user.id,
            at=clock.now(),
            reason=reason,
        )
    )
    session.flush()
    flash(f"{citizen.full_name} er taget af listen. Begrundelsen er gemt.", "info")
    return redirect(url_for(".without_tobs"), 303)


def _without_tobs_page(error: tuple[int, str, str] | None = None):
    rows = citizens_without_tobs(get_session(), in_scope(current_scope()), clock.now())
    record_read(Action.WITHOUT_TOBS, [r.citizen_id for r in rows])
    return render_template(
        "observations/without_tobs.html",
        rows=rows,
        may_dismiss=Role.NURSE in current_user.role_set,
        error=error,
        max_reason=MAX_REASON,
    )


def _corrected_or_none(citizen_id: int):
    """The observation being corrected (`?retter=<id>`), which must be this citizen's."""
    raw = request.values.get("retter", "")
    if not raw:
        return None
    observation_id = parse_id(raw)
    observation = (
        services.get_observation(get_session(), citizen_id, observation_id)
        if observation_id is not None
        else None
    )
    if observation is None:
        abort(404)
    return observation


def _already_sent(client_id: str | None, citizen_id: int):
    """A double tap: the receipt of the observation this form already stored."""
    if client_id is None:
        return None
    found = services.by_client_id(get_session(), client_id)
    if found is None or found.citizen_id != citizen_id or found.staff_id != current_user.id:
        return None
    return redirect(url_for(".saved", citizen_id=citizen_id, observation_id=found.id), 303)


def _form(
    citizen: Citizen,
    corrects,
    ticked: set[int],
    note: str,
    error: str | None = None,
    client_id: str | None = None,
):
    return render_template(
        "observations/form.html",
        citizen=citizen,
        items=services.active_items(get_session()),
        ticked=ticked,
        note=note,
        corrects=corrects,
        error=error,
        max_note=services.MAX_NOTE,
        client_id=client_id or str(uuid.uuid4()),
    )
