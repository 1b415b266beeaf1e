"""/admin/: the audit log and importing staff (admin only; a 404 for everyone else)."""

import hashlib
from functools import partial

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp import clock
from webapp.admin import audit as audit_log
from webapp.admin import citizen_import, staff_import, tobs_table
from webapp.admin import organisation as units
from webapp.citizens import registry
from webapp.db import get_session
from webapp.domain.organisation import Kind, tidy_name
from webapp.domain.roles import Role
from webapp.domain.staff_import import describe_membership, format_date, parse_date
from webapp.domain.tobs_actions import MAX_ROWS, Urgency, parse_rows, validate_rows
from webapp.followups.operations import FollowUpError
from webapp.placement import services as placement

bp = Blueprint("admin", __name__, url_prefix="/admin")

MAX_FILE_BYTES = 900 * 1024  # the confirm form sends the file again, under MAX_CONTENT_LENGTH
NO_FILE = "Vælg en CSV-fil."
TOO_BIG = "Filen er for stor (højst 900 KB). Del den op i flere filer."
NOT_UTF8 = "Filen er ikke gemt som UTF-8. Gem den som »CSV UTF-8« og prøv igen."
CHANGED = "Noget er ændret siden prøven. Se den nye prøve, og gem igen."


@bp.before_request
@login_required
def _admin_only():
    if Role.ADMIN not in current_user.role_set:
        abort(404)


@bp.get("/revision")
def audit():
    rows = audit_rows(limit=200)
    return render_template(
        "admin/audit.html",
        rows=rows,
        limited=len(rows) == 200,
        changes=audit_log.Change.LABELS,
        entities=audit_log.Entity.LABELS,
    )


def audit_rows(limit: int | None):
    return audit_log.entries(get_session(), limit)


@bp.get("/revision.csv")
def audit_csv():
    body = audit_log.as_csv(audit_rows(limit=None), clock.local_zone())
    response = Response(body, mimetype="text/csv; charset=utf-8")
    stamp = clock.now().astimezone(clock.local_zone()).strftime("%Y%m%d-%H%M")
    response.headers["Content-Disposition"] = f'attachment; filename="revisionslog-{stamp}.csv"'
    return response


@bp.get("/import/medarbejdere")
def import_staff():
    return render_template("admin/import_staff.html", plan=None, text="", error=None)


@bp.post("/import/medarbejdere")
def import_staff_post():
    text, error = _uploaded_text()
    if error:
        return render_template("admin/import_staff.html", plan=None, text="", error=error), 400
    session, today = get_session(), clock.today()
    plan, known = staff_import.plan(session, text, today)
    digest = _digest(text, plan)
    wants_save = request.form.get("handling") == "gem"
    if not wants_save or not plan.ok:
        status = 200 if plan.ok else 422
        return _dry_run(plan, known, text, digest), status
    if request.form.get("digest") != digest:
        return _dry_run(plan, known, text, digest, CHANGED), 409
    created = staff_import.apply(session, plan, by=current_user.id, now=clock.now())
    session.commit()
    return render_template("admin/import_done.html", plan=plan, created=created)


@bp.get("/import/borgere")
def import_citizens():
    return render_template("admin/import_citizens.html", plan=None, text="", error=None)


@bp.post("/import/borgere")
def import_citizens_post():
    text, error = _uploaded_text()
    if error:
        return render_template("admin/import_citizens.html", plan=None, text="", error=error), 400
    session, today = get_session(), clock.today()
    plan, known = citizen_import.plan(session, text, today)
    digest = _digest(text, plan)
    page = partial(_citizen_dry_run, plan, known, text, digest)
    if request.form.get("handling") != "gem" or not plan.ok:
        return page(), 200 if plan.ok else 422
    if request.form.get("digest") != digest:
        return page(CHANGED), 409
    try:
        citizen_import.apply(
            session, plan, by=current_user.id, now=clock.now(), today=today, zone=clock.local_zone()
        )
    except (placement.Refused, registry.Refused, FollowUpError) as refused:
        session.rollback()
        return page(f"{CHANGED} ({refused})"), 409
    return render_template("admin/import_done.html", plan=plan, created=[], what="borgere")


def _citizen_dry_run(plan, known, text: str, digest: str, error: str | None = None):
    teams = {t.id: t.name for t in known.teams}
    return render_template(
        "admin/import_citizens.html",
        plan=plan,
        text=text,
        digest=digest,
        error=error,
        teams=teams,
        kontaktteams={k.id: k.name for k in known.kontaktteams},
        format_date=format_date,
    )


def _dry_run(plan, known, text: str, digest: str, error: str | None = None):
    return render_template(
        "admin/import_staff.html",
        plan=plan,
        text=text,
        digest=digest,
        error=error,
        describe=lambda m: describe_membership(m, known),
        format_date=format_date,
    )


def _digest(text: str, plan) -> str:
    """What the admin saw in the dry run: the file and the plan made from it."""
    return hashlib.sha256((text + repr(plan)).encode()).hexdigest()[:32]


def _uploaded_text() -> tuple[str, str | None]:
    """The file (first upload) or the text sent back by the confirm form."""
    upload = request.files.get("fil")
    if upload is not None and upload.filename:
        raw = upload.read(MAX_FILE_BYTES + 1)
    else:
        raw = request.form.get("tekst", "").encode()
    if not raw.strip():
        return "", NO_FILE
    if len(raw) > MAX_FILE_BYTES:
        return "", TOO_BIG
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return "", NOT_UTF8
    if "\x00" in text:
        return "", NOT_UTF8
    return text, None


# --- The TOBS action table (handlingsanvisning): versions ------------------------------------

SPARE_ROWS = 2
ROW_FIELDS = ("min", "max", "tre", "hast", "eskaler", "tekst")


@bp.get("/tobs/")
def tobs_versions():
    lines = tobs_table.versions(get_session(), clock.today())
    return render_template("admin/tobs_versions.html", lines=lines)


@bp.get("/tobs/<int:version_id>")
def tobs_version(version_id: int):
    table = tobs_table.table(get_session(), version_id)
    if table is None:
        abort(404)
    return render_template("admin/tobs_version.html", table=table)


def _rows_as_fields(rows) -> list[dict[str, str]]:
    return [
        {
            "min": "" if r.min_score is None else str(r.min_score),
            "max": "" if r.max_score is None else str(r.max_score),
            "tre": "1" if r.any_parameter_three else "",
            "hast": r.urgency.value,
            "eskaler": "1" if r.escalate else "",
            "tekst": r.text,
        }
        for r in rows
    ]


def _tobs_form(fields, header: dict, errors: list[str], status: int = 200):
    spare = [dict.fromkeys(ROW_FIELDS, "") for _ in range(SPARE_ROWS)]
    rows = (list(fields) + spare)[: max(len(fields), MAX_ROWS)]
    return render_template(
        "admin/tobs_form.html",
        rows=rows,
        header=header,
        errors=errors,
        urgencies=list(Urgency),
    ), status


@bp.get("/tobs/ny")
def tobs_new():
    current = tobs_table.action_table_in_force(get_session(), clock.today())
    header = {"approver": "", "effective": "", "note": ""}
    return _tobs_form(_rows_as_fields(current.rows), header, [])


@bp.post("/tobs/ny")
def tobs_create():
    form = request.form
    fields = [
        {name: form.get(f"r{i}_{name}", "")[:1000] for name in ROW_FIELDS} for i in range(MAX_ROWS)
    ]
    header = {
        "approver": " ".join(form.get("approver", "").split()),
        "effective": form.get("effective", "").strip()[:20],
        "note": form.get("note", "").strip(),
    }
    today = clock.today()
    errors: list[str] = []
    try:
        effective = parse_date(header["effective"], "Gælder fra")
    except ValueError as error:
        effective, errors = None, [str(error)]
    errors += tobs_table.check_header(header["approver"], effective, header["note"], today)
    rows, row_errors = parse_rows(fields)
    errors += row_errors or validate_rows(rows)
    if errors or effective is None:
        kept = [f for f in fields if any(f.values())]
        return _tobs_form(kept, header, list(dict.fromkeys(errors)), 400)
    version = tobs_table.create(
        get_session(),
        rows,
        approver=header["approver"],
        effective=effective,
        note=header["note"],
        by=current_user.id,
        now=clock.now(),
        today=today,
    )
    flash(f"Version {version.version} er gemt og gælder fra {format_date(effective)}.", "info")
    return redirect(url_for(".tobs_version", version_id=version.id), 303)


# --- The organisation's units: create, rename, close from a date ----------------------------


def _units_page(error: list[str] | None = None, status: int = 200):
    return render_template(
        "admin/units.html",
        tree=units.tree(get_session()),
        today=clock.today(),
        errors=error or [],
        kinds=Kind,
    ), status


def _kind(text: str) -> Kind:
    try:
        return Kind(text)
    except ValueError:
        abort(404)


def _unit(kind_text: str, unit_id: int):
    kind = _kind(kind_text)
    unit = units.get(get_session(), kind, unit_id)
    if unit is None:
        abort(404)
    return kind, unit


def _refused(refused: units.Refused):
    return _units_page(refused.problems, refused.status)


@bp.get("/organisation/")
def units_index():
    return _units_page()


@bp.post("/organisation/ny")
def units_create():
    kind = _kind(request.form.get("type", ""))
    name = tidy_name(request.form.get("navn", ""))[:500]
    parent = request.form.get("hoerer_til", "")
    parent_id = int(parent) if parent.isdigit() and len(parent) < 10 else None
    try:
        unit = units.create(
            get_session(),
            kind,
            name,
            parent_id,
            by=current_user.id,
            now=clock.now(),
            today=clock.today(),
        )
    except units.Refused as refused:
        return _refused(refused)
    flash(f"{kind.label} {unit.name} er oprettet.", "info")
    return redirect(url_for(".units_index"), 303)


@bp.post("/organisation/<kind_text>/<int:unit_id>/navn")
def units_rename(kind_text: str, unit_id: int):
    kind, unit = _unit(kind_text, unit_id)
    name = tidy_name(request.form.get("navn", ""))[:500]
    try:
        units.rename(get_session(), kind, unit, name, by=current_user.id, now=clock.now())
    except units.Refused as refused:
        return _refused(refused)
    flash(f"Omdøbt til {name}.", "info")
    return redirect(url_for(".units_index"), 303)


@bp.post("/organisation/<kind_text>/<int:unit_id>/luk")
def units_close(kind_text: str, unit_id: int):
    kind, unit = _unit(kind_text, unit_id)
    try:
        on = parse_date(request.form.get("dato", "")[:20], "Datoen")
    except ValueError as error:
        return _units_page([str(error)], 400)
    try:
        units.close(
            get_session(), kind, unit, on, by=current_user.id, now=clock.now(), today=clock.today()
        )
    except units.Refused as refused:
        return _refused(refused)
    flash(f"{kind.label} {unit.name} lukker fra {format_date(on)}.", "info")
    return redirect(url_for(".units_index"), 303)


@bp.post("/organisation/<kind_text>/<int:unit_id>/aabn")
def units_reopen(kind_text: str, unit_id: int):
    kind, unit = _unit(kind_text, unit_id)
    units.reopen(get_session(), kind, unit, by=current_user.id, now=clock.now())
    flash(f"{kind.label} {unit.name} er åben.", "info")
    return redirect(url_for(".units_index"), 303)
