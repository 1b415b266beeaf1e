"""Mine borgere (/) and a citizen's page (/borgere/<id>)."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.access.scope import citizen_in_scope, current_scope
from webapp.citizens import services, timeline, trend
from webapp.db import get_session
from webapp.domain.roles import Role, sees_citizens
from webapp.domain.triage import SETTER_ROLES
from webapp.escalations.reads import for_citizen, grants_access
from webapp.htmx import is_htmx, render_page_or_fragment
from webapp.models import Citizen

bp = Blueprint("citizens", __name__)


@bp.get("/")
@login_required
def index():
    """Own kontaktteam first; the rest of the team only when asked for (`?alle=1`) or
    searched, so the usual visit renders, sends and access-logs a quarter of the cards."""
    if not sees_citizens(current_user.role_set):
        return redirect(url_for("organisation.index"))
    query = request.args.get("q", "")[: services.MAX_QUERY_LENGTH]
    wants_all = request.args.get("alle") == "1"
    scope, session = current_scope(), get_session()
    if is_htmx() and wants_all and not query:  # "Vis resten af teamet", swapped in place
        rest, _ = services.citizen_cards(
            session, scope, clock.now(), clock.today(), part=services.Part.REST
        )
        record_read(Action.LIST, [c.id for c in rest])
        return render_template("citizens/_rest.html", rest=rest, own=True)
    part = services.Part.ALL
    if scope.own_kontaktteam_ids and not wants_all and not query:
        part = services.Part.OWN
    cards, hidden_rest = services.citizen_cards(
        session, scope, clock.now(), clock.today(), query, part
    )
    if part is services.Part.OWN and not cards:  # an own kontaktteam with nobody in it
        cards, hidden_rest = services.citizen_cards(session, scope, clock.now(), clock.today())
    own = [c for c in cards if c.in_own_kontaktteam]
    rest = [c for c in cards if not c.in_own_kontaktteam]
    record_read(Action.SEARCH if query else Action.LIST, [c.id for c in cards])
    return render_page_or_fragment(
        "citizens/index.html",
        "citizens/_list.html",
        own=own,
        rest=rest,
        hidden_rest=hidden_rest,
        query=query,
    )


@bp.get("/borgere/<int:citizen_id>")
@login_required
def show(citizen_id: int):
    """The citizen, the Forløb (`?dage=` widens it up to a cap) and the 30-day trend."""
    session, today = get_session(), clock.today()
    citizen, via = citizen_in_scope(citizen_id), False
    if citizen is None:  # the recipient of an escalation reads the citizen through it
        if not grants_access(session, current_user.id, citizen_id, clock.now()):
            abort(404)
        citizen, via = session.get(Citizen, citizen_id), True
    details = services.citizen_details(session, current_scope(), citizen, today)
    forloeb = timeline.citizen_timeline(
        session,
        citizen.id,  # type: ignore[arg-type]
        now=clock.now(),
        zone=clock.local_zone(),
        days=timeline.parse_days(request.args.get("dage")),
    )
    chart = trend.build_trend(today, forloeb.tobs_points, forloeb.observation_times)
    from webapp.followups.citizen_views import citizen_sections

    record_read(Action.CITIZEN_VIA_ESCALATION if via else Action.CITIZEN, [citizen.id])
    return render_template(
        "citizens/show.html",
        d=details,
        timeline=forloeb,
        trend=chart,
        cf=citizen_sections(citizen),
        can_read_log=Role.LEADER in current_user.role_set,
        can_set_colour=bool(current_user.role_set & SETTER_ROLES),
        via_escalation=via,
        escalations=for_citizen(session, citizen.id, clock.now()),  # type: ignore[arg-type]
        now=clock.now(),
    )
