"""Mine borgere (/) and a citizen's page (/borgere/<id>)."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.access.scope import current_scope, get_citizen_or_404
from webapp.citizens import services
from webapp.db import get_session
from webapp.domain.roles import Role, sees_citizens
from webapp.htmx import is_htmx, render_page_or_fragment

bp = Blueprint("citizens", __name__)


@bp.get("/")
@login_required
def index():
    if not sees_citizens(current_user.role_set):
        return redirect(url_for("organisation.index"))
    query = request.args.get("q", "")[: services.MAX_QUERY_LENGTH]
    scope = current_scope()
    cards = services.citizen_cards(get_session(), scope, clock.today(), query)
    record_read(Action.SEARCH if query else Action.LIST, [c.citizen.id for c in cards])
    own = [c for c in cards if c.in_own_kontaktteam]
    rest = [c for c in cards if not c.in_own_kontaktteam]
    return render_page_or_fragment(
        "citizens/index.html",
        "citizens/_list.html",
        own=own,
        rest=rest,
        query=query,
        searched=bool(query) and is_htmx(),
    )


@bp.get("/borgere/<int:citizen_id>")
@login_required
def show(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    details = services.citizen_details(get_session(), current_scope(), citizen, clock.today())
    record_read(Action.CITIZEN, [citizen.id])
    return render_template(
        "citizens/show.html",
        d=details,
        can_read_log=Role.LEADER in current_user.role_set,
    )
