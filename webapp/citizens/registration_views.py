"""/visitation/: the borgerkonsulent registers a new citizen with the referral (henvendelse)
that starts the pathway, or a new referral for a known citizen (DOMAIN §3, §8). Both start
the pathway's milestones. Only a borgerkonsulent reaches these pages (404 for others), and
only for the teams in their scope; every read of a citizen is in the access log."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.access.scope import current_scope, get_citizen_or_404, visible_citizens
from webapp.citizens import new_citizen, registry
from webapp.db import get_session
from webapp.domain.citizen_record import read_referral
from webapp.domain.citizens import PathwayType
from webapp.domain.dates import format_date
from webapp.domain.roles import Role
from webapp.models import Citizen
from webapp.urls import parse_id

bp = Blueprint("registration", __name__, url_prefix="/visitation")

MAX_RESULTS = 30


@bp.before_request
@login_required
def _consultant_only():
    if Role.CITIZEN_CONSULTANT not in current_user.role_set:
        abort(404)


def _my_teams():
    scope = current_scope().team_ids
    return [t for t in new_citizen.open_teams(clock.today()) if t.id in scope]


@bp.get("/")
def index():
    query = " ".join(request.args.get("q", "")[:80].split())
    found: list[Citizen] = []
    if query:
        found = list(
            get_session()
            .exec(
                visible_citizens()
                .where(func.lower(Citizen.full_name).like(f"%{query.lower()}%"))
                .order_by(Citizen.full_name)
                .limit(MAX_RESULTS)
            )
            .all()
        )
        if found:
            record_read(Action.SEARCH, [c.id for c in found])  # type: ignore[misc]
    return render_template(
        "registration/index.html",
        teams=_my_teams(),
        query=query,
        found=found,
        limited=len(found) == MAX_RESULTS,
    )


def _new_page(form, errors, status=200):
    return new_citizen.page(
        form,
        errors,
        status,
        teams=_my_teams(),
        action=url_for(".create"),
        back=url_for(".index"),
    )


@bp.get("/ny")
def new():
    return _new_page(request.args, {})


@bp.post("/ny")
def create():
    team_id = parse_id(request.form.get("team", "")[:20])
    if team_id not in {t.id for t in _my_teams()}:
        return _new_page(request.form, {"team": "Vælg et af dine teams."}, 400)
    return new_citizen.create(
        request.form, _new_page, lambda c: url_for("citizens.show", citizen_id=c.id)
    )


def _referral_page(citizen: Citizen, form, errors, status=200):
    session, today = get_session(), clock.today()
    record_read(Action.REGISTRATION, [citizen.id])  # type: ignore[list-item]
    return render_template(
        "registration/referral.html",
        citizen=citizen,
        pathway=registry.current_pathway(session, citizen.id),  # type: ignore[arg-type]
        candidates=registry.candidates(session, citizen.team_id, today),
        form=form,
        errors=errors,
        pathway_types=list(PathwayType),
        today=today,
        format_date=format_date,
    ), status


@bp.get("/borgere/<int:citizen_id>/henvendelse")
def referral(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    form = {"forloebsansvarlig": citizen.forloebsansvarlig_id or ""}
    return _referral_page(citizen, form, {})


@bp.post("/borgere/<int:citizen_id>/henvendelse")
def save_referral(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    now, zone = clock.now(), clock.local_zone()
    found, errors = read_referral(request.form, now.astimezone(zone))
    if errors or found is None:
        return _referral_page(citizen, request.form, errors, 400)
    try:
        registry.new_referral(
            get_session(),
            citizen,
            found,
            registry.read_people(request.form).forloebsansvarlig_id,
            by=current_user.id,
            now=now,
            zone=zone,
            today=clock.today(),
        )
    except registry.Refused as refused:
        return _referral_page(citizen, request.form, refused.errors, refused.status)
    flash(
        f"Henvendelsen er registreret: {found.pathway.label.lower()}. "
        "Milepælene er lagt i opfølgningerne.",
        "info",
    )
    return redirect(url_for("citizens.show", citizen_id=citizen.id), 303)
