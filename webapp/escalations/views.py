"""Kontakt sygeplejerske: send (two taps from the card), the inbox, the one-tap answer,
the sender's close, the navigation count and the leader's overdue list."""

import uuid

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.access.scope import current_scope, get_citizen_or_404
from webapp.db import get_session
from webapp.domain.escalation import (
    ANSWER_LABELS,
    TOBS_AGAIN_HOURS,
    AnswerError,
    AnswerKind,
    Priority,
    Status,
    coming_choices,
    parse_answer,
    parse_note,
    within_text,
)
from webapp.domain.offline import normalise_client_id
from webapp.domain.roles import Role
from webapp.escalations import reads, services
from webapp.escalations.facts import prefill
from webapp.escalations.routing import line_for
from webapp.htmx import is_htmx, render_polled
from webapp.models import Citizen, Escalation, Staff

bp = Blueprint("escalations", __name__)

BAD_PRIORITY = "Vælg hvor hurtigt du skal have svar."
ANSWERED_FIRST = "{name} svarede først."
NOT_ANSWERED = "Der er ikke noget svar at kvittere for endnu."


def settings() -> services.Settings:
    return services.settings_from(current_app.config, clock.local_zone())


def _priority(text: str | None, default: Priority) -> Priority:
    try:
        return Priority(text) if text else default
    except ValueError:
        return default


# --- Sending ------------------------------------------------------------------------------


def _form_context(citizen: Citizen, priority: Priority, note: str = "", key: str | None = None):
    session, now, s = get_session(), clock.now(), settings()
    fill = prefill(session, citizen, current_user, now, s.zone, s.within, priority)
    line = line_for(session, citizen, priority, now, s.zone, s.shift_starts)
    return {
        "citizen": citizen,
        "priority": priority,
        "priorities": [(p, within_text(s.within[p])) for p in Priority],
        "fill": fill,
        "line": line,
        "note": note,
        "client_key": key or str(uuid.uuid4()),
        "open": reads.for_citizen(session, citizen.id, now),  # type: ignore[arg-type]
    }


@bp.get("/borgere/<int:citizen_id>/kontakt")
@login_required
def new(citizen_id: int):
    """The pre-filled request: the recipient's name and phone before sending. The hast
    comes from `?hast=`, else from a recent TOBS that calls for escalation, else *i dag*."""
    citizen = get_citizen_or_404(citizen_id)
    session, now, s = get_session(), clock.now(), settings()
    default = Priority.TODAY
    if not request.args.get("hast"):
        fill = prefill(session, citizen, current_user, now, s.zone, s.within, default)
        default = fill.tobs_priority or default
    priority = _priority(request.args.get("hast"), default)
    context = _form_context(citizen, priority)
    record_read(Action.ESCALATION_FORM, [citizen.id])  # type: ignore[list-item]
    if is_htmx():  # the hast changed: the recipient and the recommendation may change
        return render_template("escalations/_recipient.html", **context)
    return render_template("escalations/new.html", **context)


@bp.post("/borgere/<int:citizen_id>/kontakt")
@login_required
def send(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    form = request.form
    raw_key = form.get("client_key", "")
    key = normalise_client_id(raw_key) or raw_key[:40] or None
    try:
        priority = Priority(form.get("hast", ""))
    except ValueError:
        return _form_error(citizen, Priority.TODAY, form, key, BAD_PRIORITY, 400)
    try:
        note = parse_note(form.get("note", ""))
    except AnswerError as error:
        return _form_error(citizen, priority, form, key, str(error), 400)
    session, now, s = get_session(), clock.now(), settings()
    fill = prefill(session, citizen, current_user, now, s.zone, s.within, priority)
    try:
        escalation = services.send(
            session, citizen, current_user, priority, note, fill, now, s, client_key=key
        )
    except services.EscalationError as error:
        return _form_error(citizen, priority, form, key, str(error), 409)
    except IntegrityError:  # the same form sent twice at the same moment: the first is kept
        session.rollback()
        escalation = session.exec(select(Escalation).where(Escalation.client_key == key)).one()
    session.commit()
    return redirect(url_for("escalations.show", escalation_id=escalation.id), code=303)


def _form_error(citizen, priority, form, key, message, status):
    context = _form_context(citizen, priority, form.get("note", "")[:2000], key)
    record_read(Action.ESCALATION_FORM, [citizen.id])
    get_session().commit()
    return render_template("escalations/new.html", error=message, **context), status


# --- One escalation -------------------------------------------------------------------------


def _load(escalation_id: int) -> tuple[reads.Row, bool]:
    """The escalation and whether it is read through the escalation (outside own scope).
    Only the sender, the people it went to, and staff with the citizen in scope see it."""
    session = get_session()
    row = reads.get_row(session, escalation_id)
    if row is None:
        abort(404)
    e = row.e
    citizen_in_scope = session.get(Citizen, e.citizen_id).team_id in current_scope().team_ids
    if citizen_in_scope or e.sender_id == current_user.id:
        return row, False
    if services.may_answer(session, e, current_user.id):
        return row, True
    abort(404)


def _detail_context(row: reads.Row):
    session, now = get_session(), clock.now()
    e = row.e
    local = now.astimezone(clock.local_zone())
    routes = services.recipients(session, e.id)  # type: ignore[arg-type]
    went_to_me = any(r.recipient_id == current_user.id for r in routes)
    return {
        "row": row,
        "e": e,
        "citizen": session.get(Citizen, e.citizen_id),
        "routes": routes,
        "names": _names(session, e, routes),
        "can_answer": Status(e.status).waiting and went_to_me,
        "is_sender": e.sender_id == current_user.id,
        "coming": coming_choices(local),
        "tobs_hours": TOBS_AGAIN_HOURS,
        "labels": ANSWER_LABELS,
        "kinds": AnswerKind,
        "now": now,
    }


def _names(session, e: Escalation, routes) -> dict[int, tuple[str, str | None]]:
    """Name and phone of everyone the page mentions, in one query."""
    ids = {r.recipient_id for r in routes} | {e.sender_id, e.answered_by_id or e.sender_id}
    people = session.exec(select(Staff).where(Staff.id.in_(sorted(ids)))).all()  # type: ignore[union-attr]
    return {s.id: (s.full_name, s.phone) for s in people}


@bp.get("/henvendelser/<int:escalation_id>")
@login_required
def show(escalation_id: int):
    """The request. Opening it as its recipient marks it *set*. While it waits, the
    sender's page asks for its status part every 10 s (204 while nothing changed)."""
    row, via = _load(escalation_id)
    session = get_session()
    services.mark_seen(session, row.e, current_user.id, clock.now())
    response = render_polled(
        "escalations/show.html", "escalations/_status.html", _detail_context(row)
    )
    if response.status_code == 204:
        session.commit()
        return response
    record_read(Action.ESCALATION_VIA if via else Action.ESCALATION, [row.e.citizen_id])
    session.commit()
    return response


@bp.post("/henvendelser/<int:escalation_id>/svar")
@login_required
def answer(escalation_id: int):
    row, via = _load(escalation_id)
    session, now = get_session(), clock.now()
    e = row.e
    if not services.may_answer(session, e, current_user.id):
        abort(404)
    local = now.astimezone(clock.local_zone())
    try:
        reply = parse_answer(
            request.form.get("kind", ""),
            request.form.get("value", "")[:20],
            request.form.get("note", "")[:2000],
            local,
        )
    except AnswerError as error:
        return _detail_error(row, via, str(error), 400)
    if not services.answer(session, e, current_user.id, reply, now, clock.local_zone()):
        fresh = reads.get_row(session, escalation_id)
        message = ANSWERED_FIRST.format(name=fresh.answered_by if fresh else "En anden")
        return _detail_error(fresh or row, via, message, 409)
    session.commit()
    return redirect(url_for("escalations.show", escalation_id=escalation_id), code=303)


@bp.post("/henvendelser/<int:escalation_id>/luk")
@login_required
def close(escalation_id: int):
    row, via = _load(escalation_id)
    if row.e.sender_id != current_user.id:
        abort(404)
    session = get_session()
    try:
        reply = parse_note(request.form.get("reply", "")[:2000])
    except AnswerError as error:
        return _detail_error(row, via, str(error), 400)
    if not services.close(session, row.e, reply, clock.now()):
        if row.e.status == Status.CLOSED.value:
            return redirect(url_for("escalations.show", escalation_id=escalation_id), code=303)
        return _detail_error(row, via, NOT_ANSWERED, 409)
    session.commit()
    return redirect(url_for("escalations.index", vis="sendt"), code=303)


def _detail_error(row, via, message, status):
    context = _detail_context(row)
    record_read(Action.ESCALATION_VIA if via else Action.ESCALATION, [row.e.citizen_id])
    get_session().commit()
    return render_template("escalations/show.html", error=message, **context), status


# --- Lists and the count -------------------------------------------------------------------


def _reroute() -> None:
    session = get_session()
    if services.reroute_due(session, clock.now(), settings()):
        session.commit()


@bp.get("/henvendelser/")
@login_required
def index():
    """*Til mig* (the inbox) and *Sendt af mig*; the list refreshes itself every 10 s."""
    _reroute()
    session, now = get_session(), clock.now()
    roles = current_user.role_set
    view = request.args.get("vis")
    if view not in ("til-mig", "sendt"):
        counts = reads.counts(session, current_user.id)
        receives = bool(roles & {Role.NURSE, Role.THERAPIST}) or counts.incoming
        view = "til-mig" if receives and not counts.answered else "sendt"
    if view == "til-mig":
        waiting, recent = reads.inbox(session, current_user.id, now)
        rows = waiting + recent
    else:
        waiting, recent = reads.sent_by(session, current_user.id, now), []
        rows = waiting
    context = {
        "view": view,
        "waiting": waiting,
        "recent": recent,
        "now": now,
        "is_leader": Role.LEADER in roles,
        "plans_duty": bool(roles & {Role.LEADER, Role.PLANNER}),
    }
    response = render_polled("escalations/index.html", "escalations/_list.html", context)
    if response.status_code != 204:
        record_read(Action.ESCALATIONS, sorted({r.e.citizen_id for r in rows}))
    session.commit()
    return response


@bp.get("/henvendelser/antal")
@login_required
def count():
    """The number in the navigation: polled every 10 s, a 204 while it is unchanged."""
    _reroute()
    counts = reads.counts(get_session(), current_user.id)
    return render_polled("escalations/count.html", "escalations/_count.html", {"counts": counts})


@bp.get("/henvendelser/forsinkede")
@login_required
def overdue():
    """The leader's list: requests past their deadline, and those answered late."""
    if Role.LEADER not in current_user.role_set:
        abort(404)
    _reroute()
    session, now = get_session(), clock.now()
    waiting, late = reads.overdue_for_leader(session, current_scope().team_ids, now)
    record_read(Action.ESCALATIONS_OVERDUE, sorted({r.e.citizen_id for r in waiting + late}))
    session.commit()
    return render_template("escalations/overdue.html", waiting=waiting, late=late, now=now)
