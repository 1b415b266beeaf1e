"""/admin/borgere/: citizens' records for the administrator (admin only; 404 for others).

Create (with the referral that starts the pathway), edit the record and the named people,
move to another team or kontaktteam from a date with the history kept, and cancel a planned
move. The administrator sees the record, never observations or TOBS; every read is in the
citizen's access log. POST, redirect, GET; bad input re-renders with Danish messages and 4xx.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, or_
from sqlmodel import select

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.citizens import new_citizen, registry
from webapp.citizens.new_citizen import kontaktteams_of
from webapp.db import get_session
from webapp.domain.citizen_record import read_pathway_type, read_record
from webapp.domain.citizens import PathwayType
from webapp.domain.dates import format_date
from webapp.domain.roles import Role
from webapp.domain.staff_import import parse_date
from webapp.models import Citizen, Kontaktteam, Staff, Team
from webapp.placement import services as placement
from webapp.urls import parse_id

bp = Blueprint("admin_citizens", __name__, url_prefix="/admin/borgere")

PAGE_SIZE = 50


@bp.before_request
@login_required
def _admin_only():
    if Role.ADMIN not in current_user.role_set:
        abort(404)


def _places(today) -> list[tuple[str, list[tuple[str, str]]]]:
    """For the move form: each open team, alone or with one of its kontaktteams."""
    groups = []
    for team in new_citizen.open_teams(today):
        choices = [(f"{team.id}", f"{team.name} (uden kontaktteam)")]
        choices += [
            (f"{team.id}-{k.id}", f"{team.name} – {k.name}")
            for k in kontaktteams_of(team.id, today)
        ]
        groups.append((team.name, choices))
    return groups


def _place(text: str) -> tuple[int | None, int | None]:
    team, _, kt = text.strip()[:30].partition("-")
    return parse_id(team), parse_id(kt) if kt else None


# --- The list ----------------------------------------------------------------------------------


@bp.get("/")
def index():
    session, today = get_session(), clock.today()
    query_text = " ".join(request.args.get("q", "")[:80].split())
    team_id = parse_id(request.args.get("team", ""))
    page = max(1, min(parse_id(request.args.get("side", "")) or 1, 10_000))
    query = select(Citizen, Team.name).join(Team, Team.id == Citizen.team_id)  # type: ignore[arg-type]
    if query_text:
        like = f"%{query_text.lower()}%"
        query = query.where(
            or_(func.lower(Citizen.full_name).like(like), Citizen.external_id == query_text)
        )
    if team_id:
        query = query.where(Citizen.team_id == team_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(Citizen.full_name, Citizen.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)  # type: ignore[arg-type]
    ).all()
    if rows:
        record_read(Action.ADMIN_CITIZENS, [c.id for c, _ in rows])
    return render_template(
        "admin/citizen_list.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        query=query_text,
        team_id=team_id,
        teams=new_citizen.open_teams(today),
    )


# --- Create ------------------------------------------------------------------------------------


def _new_page(form, errors, status=200):
    teams = new_citizen.open_teams(clock.today())
    return new_citizen.page(
        form, errors, status, teams=teams, action=url_for(".create"), back=url_for(".index")
    )


@bp.get("/ny")
def new():
    return _new_page(request.args, {})


@bp.post("/ny")
def create():
    return new_citizen.create(request.form, _new_page, lambda c: url_for(".show", citizen_id=c.id))


# --- One citizen -------------------------------------------------------------------------------


def _citizen(citizen_id: int) -> Citizen:
    citizen = get_session().get(Citizen, citizen_id)
    if citizen is None:
        abort(404)
    return citizen


def form_values(citizen: Citizen) -> dict:
    return {
        "navn": citizen.full_name,
        "foedselsdato": format_date(citizen.birth_date),
        "adresse": citizen.street,
        "postnr": citizen.postcode,
        "by": citizen.city,
        "telefon": citizen.phone or "",
        "borgernr": citizen.external_id or "",
        "noter": citizen.key_notes,
        "tobs": "ja" if citizen.tobs_applies else "nej",
        "tobs_undtagelse": citizen.tobs_exemption_reason or "",
        "puls": citizen.habitual_pulse or "",
        "blodtryk": citizen.habitual_systolic_bp or "",
        "respiration": citizen.habitual_respiration or "",
        "mobilitet": citizen.habitual_mobility or "",
        "appetit": citizen.habitual_appetite or "",
        "kognition": citizen.habitual_cognition or "",
        "kontaktperson": citizen.kontaktperson_id,
        "forloebsansvarlig": citizen.forloebsansvarlig_id or "",
    }


def _show_page(
    citizen: Citizen, form=None, errors=None, move_errors=None, pathway_errors=None, status=200
):
    session, today = get_session(), clock.today()
    record_read(Action.ADMIN_CITIZEN, [citizen.id])  # type: ignore[list-item]
    pathway = registry.current_pathway(session, citizen.id)  # type: ignore[arg-type]
    people = {
        s.id: s
        for s in session.exec(
            select(Staff).where(
                Staff.id.in_(  # type: ignore[union-attr]
                    [citizen.kontaktperson_id, citizen.forloebsansvarlig_id or 0]
                )
            )
        ).all()
    }
    return render_template(
        "admin/citizen_show.html",
        citizen=citizen,
        form=form if form is not None else form_values(citizen),
        errors=errors or {},
        move_errors=move_errors or [],
        candidates=_with_current(
            registry.candidates(session, citizen.team_id, today), people, citizen
        ),
        people=people,
        team=session.get(Team, citizen.team_id),
        kontaktteam=session.get(Kontaktteam, citizen.kontaktteam_id)
        if citizen.kontaktteam_id
        else None,
        pathway=pathway,
        history=placement.history(session, citizen.id, today),  # type: ignore[arg-type]
        places=_places(today),
        today=today,
        format_date=format_date,
        move_form=request.form if move_errors else {},
        pathway_errors=pathway_errors or {},
        pathway_form=request.form if pathway_errors else {},
        pathway_types=list(PathwayType),
    ), status


def _with_current(found: registry.Candidates, people: dict, citizen: Citizen):
    """The people named now stay choosable, also when they have left the team."""
    kps, responsible = list(found.kontaktpersons), list(found.responsible)
    kp = people.get(citizen.kontaktperson_id)
    if kp is not None and kp not in kps:
        kps.append(kp)
    fa = people.get(citizen.forloebsansvarlig_id)
    if fa is not None and fa not in responsible:
        responsible.append(fa)
    return registry.Candidates(kps, responsible)


@bp.get("/<int:citizen_id>")
def show(citizen_id: int):
    return _show_page(_citizen(citizen_id))


@bp.post("/<int:citizen_id>")
def update(citizen_id: int):
    citizen = _citizen(citizen_id)
    record, errors = read_record(request.form, clock.today())
    if errors or record is None:
        return _show_page(citizen, request.form, errors, status=400)
    try:
        changed = registry.update(
            get_session(),
            citizen,
            record,
            registry.read_people(request.form),
            confirmed_not_duplicate=request.form.get("anden_borger") == "ja",
            by=current_user.id,
            now=clock.now(),
            today=clock.today(),
        )
    except registry.Refused as refused:
        return _show_page(citizen, request.form, refused.errors, status=refused.status)
    flash("Ændringerne er gemt." if changed else "Ingen ændringer at gemme.", "info")
    return redirect(url_for(".show", citizen_id=citizen.id), 303)


@bp.post("/<int:citizen_id>/flyt")
def move(citizen_id: int):
    citizen = _citizen(citizen_id)
    team_id, kt_id = _place(request.form.get("placering", ""))
    try:
        on = parse_date(request.form.get("dato", "")[:20], "Datoen")
    except ValueError as error:
        return _show_page(citizen, move_errors=[str(error)], status=400)
    session, today = get_session(), clock.today()
    try:
        row = placement.move(
            session, citizen, team_id, kt_id, on, by=current_user.id, now=clock.now(), today=today
        )
    except placement.Refused as refused:
        return _show_page(citizen, move_errors=refused.problems, status=refused.status)
    team = session.get(Team, row.team_id)
    where = team.name if team else ""
    message = f"{citizen.full_name} flytter til {where} fra {format_date(row.valid_from)}."
    stays = {s.id for s in registry.candidates(session, row.team_id, row.valid_from).kontaktpersons}
    if citizen.kontaktperson_id not in stays:
        message += " Kontaktpersonen er ikke i det nye team: vælg en ny, når flytningen gælder."
    flash(message, "info")
    return redirect(url_for(".show", citizen_id=citizen.id), 303)


@bp.post("/<int:citizen_id>/flyt/<int:placement_id>/fortryd")
def cancel_move(citizen_id: int, placement_id: int):
    citizen = _citizen(citizen_id)
    try:
        placement.cancel_planned(
            get_session(),
            citizen,
            placement_id,
            by=current_user.id,
            now=clock.now(),
            today=clock.today(),
        )
    except placement.Refused as refused:
        return _show_page(citizen, move_errors=refused.problems, status=refused.status)
    flash("Den planlagte flytning er fortrudt.", "info")
    return redirect(url_for(".show", citizen_id=citizen.id), 303)


@bp.post("/<int:citizen_id>/forloeb")
def change_pathway(citizen_id: int):
    citizen = _citizen(citizen_id)
    form = request.form
    try:
        on = parse_date(form.get("skiftedato", "")[:20], "Datoen")
    except ValueError as error:
        return _show_page(citizen, pathway_errors={"skiftedato": str(error)}, status=400)
    try:
        new = registry.change_pathway_type(
            get_session(),
            citizen,
            read_pathway_type(form.get("forloebstype", "")[:40]),
            on,
            registry.read_people(form).forloebsansvarlig_id,
            by=current_user.id,
            now=clock.now(),
            zone=clock.local_zone(),
            today=clock.today(),
        )
    except registry.Refused as refused:
        return _show_page(citizen, pathway_errors=refused.errors, status=refused.status)
    flash(f"Forløbet er skiftet til {new.pathway_type.label.lower()}.", "info")
    return redirect(url_for(".show", citizen_id=citizen.id), 303)
