"""/admin/medarbejdere/: staff administration (admin only; a 404 for everyone else).

Plain forms. A change that worked redirects to the person's page (POST, redirect, GET), except
where a one-time password is shown: that page is the answer to the POST itself, marked not to
be stored, so the code is never in a cookie, a flash message or a log. Bad input re-renders
the same page with what was typed, the Danish message beside the field and a 4xx.
"""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from webapp import clock
from webapp.admin import staff as services
from webapp.db import get_session
from webapp.domain.roles import Role
from webapp.domain.staff_import import DEFAULT_TEMP_DAYS, Employment, format_date
from webapp.models import Membership, Staff
from webapp.urls import parse_id

bp = Blueprint("admin_staff", __name__, url_prefix="/admin/medarbejdere")

ROLE_ORDER = [
    Role.HELPER,
    Role.ASSISTANT,
    Role.NURSE,
    Role.THERAPIST,
    Role.LEADER,
    Role.PLANNER,
    Role.CITIZEN_CONSULTANT,
    Role.ADMIN,
]
EMPLOYMENTS = [
    (Employment.PERMANENT.value, "Fast"),
    (Employment.TEMP.value, "Vikar"),
    (Employment.STUDENT.value, "Elev"),
]
YES_NO = {"ja": True, "nej": False}


@bp.before_request
@login_required
def _admin_only():
    if Role.ADMIN not in current_user.role_set:
        abort(404)


def _no_store(page):
    """A page with a one-time password: not kept by the browser or any cache."""
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


def _common() -> dict:
    return {
        "role_order": ROLE_ORDER,
        "employments": EMPLOYMENTS,
        "temp_days": DEFAULT_TEMP_DAYS,
        "format_date": format_date,
    }


# --- The list ----------------------------------------------------------------------------------


@bp.get("/")
def index():
    session = get_session()
    query = request.args.get("q", "")[: services.MAX_QUERY]
    status = request.args.get("status", "alle")
    if status not in services.STATUSES:
        status = "alle"
    page = parse_id(request.args.get("side", "1")[:12]) or 1
    known = services.places(session)
    result = services.search(session, query, status, page, clock.today(), known)
    return render_template(
        "admin/staff_list.html", result=result, q=query.strip(), status=status, **_common()
    )


# --- Create ------------------------------------------------------------------------------------


def _form_page(form: dict, roles: list[str], errors: dict[str, str], status: int = 200):
    known = services.places(get_session())
    return render_template(
        "admin/staff_form.html",
        form=form,
        roles=roles,
        errors=errors,
        groups=known.groups(with_basisteam=False),
        today=clock.today(),
        **_common(),
    ), status


@bp.get("/ny")
def new():
    return _form_page({"fra": clock.today().isoformat(), "ansaettelse": "fast"}, [], {})


@bp.post("/ny")
def create():
    session, today = get_session(), clock.today()
    form = {k: request.form.get(k, "")[:400] for k in _CREATE_FIELDS}
    roles = request.form.getlist("roller")[:20]
    person, errors = services.read_person(form, roles, with_username=True)
    known = services.places(session)
    place, place_error = services.read_place(form["placering"], known, with_basisteam=False)
    period, period_errors = services.read_period(form, today)
    errors |= period_errors | ({"placering": place_error} if place_error else {})
    if errors or person is None or place is None or period is None:
        return _form_page(form, roles, errors, 400)
    try:
        created = services.create(
            session, person, place, period, by=current_user.id, now=clock.now()
        )
    except services.Refused as refused:
        return _form_page(form, roles, refused.errors, refused.status)
    notice = f"{created.staff.full_name} er oprettet."
    if period.default_end:
        notice += f" Slutdato sat til {format_date(period.valid_to)} ({form['ansaettelse']})."
    return _no_store(
        _show_page(created.staff, password=created.password, notice=notice, password_new=True)
    )


_CREATE_FIELDS = (
    "navn",
    "brugernavn",
    "medarbejdernr",
    "telefon",
    "placering",
    "fra",
    "til",
    "ansaettelse",
)


# --- One person --------------------------------------------------------------------------------


def _staff(staff_id: int) -> Staff:
    staff = get_session().get(Staff, staff_id)
    if staff is None:
        abort(404)
    return staff


def _show_page(
    staff: Staff,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    forms: dict[str, dict] | None = None,
    status: int = 200,
    password: str | None = None,
    password_new: bool = False,
    notice: str | None = None,
):
    session, today = get_session(), clock.today()
    known = services.places(session)
    edit = {
        "navn": staff.full_name,
        "medarbejdernr": staff.external_id or "",
        "telefon": staff.phone or "",
        "version": services.version(staff),
        "roles": sorted(r.value for r in staff.role_set),
    }
    forms = {"ret": edit, "medlemskab": {"fra": today.isoformat(), "ansaettelse": "fast"}} | (
        forms or {}
    )
    rows = services.membership_rows(session, staff.id, today, known)  # type: ignore[arg-type]
    return render_template(
        "admin/staff_show.html",
        staff=staff,
        rows=rows,
        groups=known.groups(with_basisteam=True),
        errors=errors or {},
        forms=forms,
        password=password,
        password_new=password_new,
        notice=notice,
        today=today,
        is_self=staff.id == current_user.id,
        valid_today=any(r.state == "nu" for r in rows),
        **_common(),
    ), status


def _back(staff: Staff, anchor: str | None = None):
    return redirect(url_for("admin_staff.show", staff_id=staff.id, _anchor=anchor), 303)


@bp.get("/<int:staff_id>")
def show(staff_id: int):
    return _show_page(_staff(staff_id))


@bp.post("/<int:staff_id>/ret")
def update(staff_id: int):
    staff = _staff(staff_id)
    form = {k: request.form.get(k, "")[:400] for k in ("navn", "medarbejdernr", "telefon")}
    roles = request.form.getlist("roller")[:20]
    form_values = form | {"version": request.form.get("version", "")[:40], "roles": roles}
    person, errors = services.read_person(form, roles, with_username=False)
    if request.form.get("version", "") != services.version(staff):
        # What they typed stays, now against the current version: a second save is deliberate.
        current = form_values | {"version": services.version(staff)}
        return _show_page(
            staff, errors={"ret": {"form": services.STALE}}, forms={"ret": current}, status=409
        )
    if errors or person is None:
        return _show_page(staff, errors={"ret": errors}, forms={"ret": form_values}, status=400)
    try:
        changed = services.update(get_session(), staff, person, by=current_user.id, now=clock.now())
    except services.Refused as refused:
        return _show_page(
            staff, errors={"ret": refused.errors}, forms={"ret": form_values}, status=refused.status
        )
    flash("Ændringerne er gemt." if changed else services.NO_CHANGE, "success")
    return _back(staff)


@bp.post("/<int:staff_id>/medlemskaber")
def add_membership(staff_id: int):
    staff, session = _staff(staff_id), get_session()
    form = {k: request.form.get(k, "")[:400] for k in ("placering", "fra", "til", "ansaettelse")}
    known = services.places(session)
    place, place_error = services.read_place(form["placering"], known, with_basisteam=True)
    period, errors = services.read_period(form, clock.today())
    errors |= {"placering": place_error} if place_error else {}
    if errors or place is None or period is None:
        return _show_page(
            staff, errors={"medlemskab": errors}, forms={"medlemskab": form}, status=400
        )
    try:
        services.add_membership(
            session, staff, place, period, by=current_user.id, now=clock.now(), known=known
        )
    except services.Refused as refused:
        return _show_page(
            staff,
            errors={"medlemskab": refused.errors},
            forms={"medlemskab": form},
            status=refused.status,
        )
    message = f"Medlemskabet af {known.describe(place)} er tilføjet."
    if period.default_end:
        message += f" Slutdato sat til {format_date(period.valid_to)} ({form['ansaettelse']})."
    flash(message, "success")
    return _back(staff, "medlemskaber")


@bp.post("/<int:staff_id>/medlemskaber/<int:membership_id>/slut")
def end_membership(staff_id: int, membership_id: int):
    staff, session = _staff(staff_id), get_session()
    membership = session.get(Membership, membership_id)
    if membership is None or membership.staff_id != staff.id:
        abort(404)
    text = request.form.get("til", "")[:40]
    til, error = services.read_end(text, membership.valid_from)
    if til is None:
        return _show_page(
            staff,
            errors={f"slut-{membership.id}": {"til": error or services.TO_MISSING}},
            forms={f"slut-{membership.id}": {"til": text}},
            status=400,
        )
    known = services.places(session)
    changed = services.end_membership(
        session, staff, membership, til, by=current_user.id, now=clock.now(), known=known
    )
    if changed:
        flash(f"{known.describe(membership)}: slutdato {format_date(til)}.", "success")
    else:
        flash(services.NO_CHANGE, "info")
    return _back(staff, "medlemskaber")


@bp.post("/<int:staff_id>/aktiv")
def set_active(staff_id: int):
    staff = _staff(staff_id)
    active = YES_NO.get(request.form.get("aktiv", ""))
    if active is None:
        return _show_page(
            staff, errors={"aktiv": {"aktiv": "Vælg aktiv eller deaktiveret."}}, status=400
        )
    try:
        changed = services.set_active(
            get_session(), staff, active, by=current_user.id, now=clock.now()
        )
    except services.Refused as refused:
        return _show_page(staff, errors={"aktiv": refused.errors}, status=refused.status)
    if changed:
        state = "aktiv igen" if active else "deaktiveret og kan ikke logge ind"
        flash(f"{staff.full_name} er {state}.", "success")
    return _back(staff)


@bp.post("/<int:staff_id>/engangsadgangskode")
def new_password(staff_id: int):
    staff = _staff(staff_id)
    if staff.id == current_user.id:
        return _show_page(
            staff,
            errors={"kode": {"kode": "Skift din egen adgangskode under »Adgangskode«."}},
            status=400,
        )
    password = services.new_password(get_session(), staff, by=current_user.id, now=clock.now())
    return _no_store(_show_page(staff, password=password))
