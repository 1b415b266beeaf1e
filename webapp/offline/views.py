"""/offline/data (the phone's copy), /offline/token (a fresh CSRF token for a sync),
/offline/sync (one queued item) and /koe (the queue; the offline app shell renders it)."""

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.access.scope import citizen_in_scope, current_scope
from webapp.db import get_session
from webapp.domain.offline import ItemError, Kind, parse_item
from webapp.escalations.services import settings_from
from webapp.offline import services, snapshot

bp = Blueprint("offline", __name__)

OUT_OF_SCOPE = (
    "Borgeren er ikke længere blandt dine borgere, så det kan ikke gemmes hos borgeren. "
    "Giv det videre til teamet eller sygeplejersken, og slet det her, når det er gjort."
)
RECEIPTS = {
    Kind.OBSERVATION: ("observations.saved", "observation_id"),
    Kind.TOBS: ("tobs.result", "tobs_id"),
    Kind.ESCALATION: ("escalations.show", "escalation_id"),
}


def settings():
    """Answer times and shift starts, as the escalation views read them."""
    return settings_from(current_app.config, clock.local_zone())


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/offline/data")
@login_required
def data():
    s = settings()
    ctx = snapshot.Context(current_user, current_scope(), clock.now(), s.zone, s.shift_starts)
    body = snapshot.build(get_session(), ctx)
    record_read(Action.OFFLINE_COPY, [c["id"] for c in body["citizens"]])
    return _no_store(jsonify(body))


@bp.get("/offline/token")
@login_required
def token():
    return _no_store(jsonify(csrf_token=generate_csrf(), user=current_user.id))


@bp.post("/offline/sync")
@login_required
def sync():
    try:
        item = parse_item(request.get_json(silent=True))
    except ItemError as error:
        return _refused(400, str(error))
    citizen = citizen_in_scope(item.citizen_id)
    if citizen is None:
        return _refused(404, OUT_OF_SCOPE)
    s = settings()
    try:
        stored = services.store(get_session(), item, current_user, citizen, clock.now(), s.zone, s)
    except services.Refused as refused:
        return _refused(refused.status, refused.message)
    endpoint, argument = RECEIPTS[stored.kind]
    url = url_for(endpoint, **{argument: stored.row_id}, **_citizen_arg(stored.kind, citizen.id))
    body = {
        "status": "stored" if stored.new else "duplicate",
        "id": item.id,
        "summary": stored.summary,
        "url": url,
    }
    return _no_store(jsonify(body)), 201 if stored.new else 200


def _citizen_arg(kind: Kind, citizen_id: int) -> dict:
    return {} if kind is Kind.ESCALATION else {"citizen_id": citizen_id}


def _refused(status: int, message: str):
    return _no_store(jsonify(status="refused", message=message)), status


@bp.get("/koe")
@bp.get("/koe/<item_id>")
def queue(item_id: str | None = None):
    """The queue and the receipt of a queued item. Rendered on the phone from what it holds,
    so the page is the same shell online and offline, and holds no data itself."""
    return _shell()


def _shell() -> Response:
    response = Response(render_template("pwa/offline.html"))
    response.headers["Cache-Control"] = "no-cache"
    return response
