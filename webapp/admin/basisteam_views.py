"""/admin/organisation/team/<id>/basisteam/: who is attached to a hjemmeplejeteam (DOMAIN §2).

A basisteam is one home-care team plus the named nurses and therapists from the area's health
unit attached to it. An attachment is a date-effective `basisteam` membership: added from a
date (maybe to a date) and ended on a date, never deleted. Both go through the staff services
(`add_membership`, `end_membership`), which refuse an overlap and write the audit log.

Admin only (a 404 for everyone else). A change that worked redirects back here (POST,
redirect, GET) with a flash; bad input re-renders the page with what was typed, the Danish
message beside the field and a 4xx.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import or_
from sqlmodel import Session, select

from webapp import clock
from webapp.admin import staff as services
from webapp.db import get_session
from webapp.domain.dates import is_valid_on
from webapp.domain.roles import Role
from webapp.domain.staff_import import format_date
from webapp.models import Area, HealthUnit, Membership, MembershipKind, Staff, Team
from webapp.urls import parse_id

bp = Blueprint(
    "admin_basisteam", __name__, url_prefix="/admin/organisation/team/<int:team_id>/basisteam"
)

#: Who may be attached to a basisteam.
ATTACHABLE = frozenset({Role.NURSE, Role.THERAPIST})

# Danish messages, one place.
PERSON_MISSING = "Vælg en sygeplejerske eller terapeut."
PERSON_UNKNOWN = "Vælg en aktiv sygeplejerske eller terapeut fra listen."
PERSON_NOT_ATTACHABLE = (
    "{} er hverken sygeplejerske eller terapeut. Kun sygeplejersker og terapeuter kan "
    "tilknyttes et basisteam; ret rollerne under Medarbejdere først."
)
TEAM_CLOSED = "{} er lukket fra {}. Der kan ikke tilknyttes nogen fra den dato."
TEAM_CLOSING = "{} lukker fra {}. Sæt til-datoen til senest {}."
END_AFTER_CLOSING = "{} lukker fra {}. Slutdatoen kan højst være {}."
NO_UNIT = "Uden sundhedsenhed i dag"

STATE_LABELS = {"nu": "Nu", "kommende": "Planlagt", "afsluttet": "Afsluttet"}


@bp.before_request
@login_required
def _admin_only():
    if Role.ADMIN not in current_user.role_set:
        abort(404)


# --- Reading the database ----------------------------------------------------------------------


@dataclass(frozen=True)
class Attached:
    membership: Membership
    staff: Staff
    units: list[str]  # the person's health unit(s) today
    state: str  # "nu", "kommende" or "afsluttet" (the CSS classes of the staff pages)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class Candidate:
    value: str
    label: str


def _state(m: Membership, today: date) -> str:
    if m.valid_to is not None and m.valid_to < today:
        return "afsluttet"
    return "kommende" if m.valid_from > today else "nu"


def _units_today(
    session: Session, staff_ids: list[int], today: date
) -> dict[int, list[HealthUnit]]:
    """Each person's health unit(s) by a `sundhedsenhed` membership valid today."""
    found: dict[int, list[HealthUnit]] = {}
    if not staff_ids:
        return found
    rows = session.exec(
        select(Membership, HealthUnit)
        .join(HealthUnit, HealthUnit.id == Membership.health_unit_id)  # type: ignore[arg-type]
        .where(
            Membership.kind == MembershipKind.HEALTH_UNIT,
            Membership.staff_id.in_(staff_ids),  # type: ignore[attr-defined]
        )
    ).all()
    for m, unit in rows:
        if is_valid_on(m.valid_from, m.valid_to, today):
            found.setdefault(m.staff_id, []).append(unit)
    for units in found.values():
        units.sort(key=lambda u: u.name.casefold())
    return found


def attachments(session: Session, team: Team, today: date) -> list[Attached]:
    """Current first, then planned (each by start), then ended (the latest ended first)."""
    rows = session.exec(
        select(Membership, Staff)
        .join(Staff, Staff.id == Membership.staff_id)  # type: ignore[arg-type]
        .where(Membership.kind == MembershipKind.BASISTEAM, Membership.team_id == team.id)
    ).all()
    units = _units_today(session, sorted({s.id for _, s in rows}), today)  # type: ignore[misc]
    found = [
        Attached(m, s, [u.name for u in units.get(s.id, [])], _state(m, today))  # type: ignore[arg-type]
        for m, s in rows
    ]
    open_rows = sorted(
        (a for a in found if a.state != "afsluttet"),
        key=lambda a: (
            a.state != "nu",
            a.membership.valid_from,
            a.staff.full_name.casefold(),
            a.membership.id,
        ),
    )
    ended = sorted(
        (a for a in found if a.state == "afsluttet"),
        key=lambda a: (a.membership.valid_to, a.membership.id),
        reverse=True,
    )
    return open_rows + ended


def _attachable_staff(session: Session) -> list[Staff]:
    """Active people with the nurse or therapist role."""
    wanted = or_(*(Staff.roles.contains(role.value) for role in ATTACHABLE))  # type: ignore[attr-defined]
    people = session.exec(select(Staff).where(Staff.active.is_(True), wanted)).all()  # type: ignore[attr-defined]
    return [p for p in people if p.role_set & ATTACHABLE]


def candidates(
    session: Session, team: Team, today: date, attached_ids: set[int]
) -> list[tuple[str, list[Candidate]]]:
    """The people who may be attached, grouped by their health unit today: the units of the
    team's own area first, then the other areas' units, then those without a unit today."""
    people = _attachable_staff(session)
    units = _units_today(session, [p.id for p in people], today)  # type: ignore[misc]
    areas = {a.id: a for a in session.exec(select(Area)).all()}
    groups: dict[tuple, tuple[str, list[Candidate]]] = {}
    for person in people:
        label = f"{person.full_name} – {person.role_labels}"
        if person.id in attached_ids:
            label += " (tilknyttet)"
        unit = units.get(person.id, [None])[0]  # type: ignore[list-item]
        if unit is None:
            key: tuple = (2, "", "")
            title = NO_UNIT
        else:
            area = areas.get(unit.area_id)
            area_name = area.name if area else ""
            own = unit.area_id == team.area_id
            key = (0 if own else 1, area_name.casefold(), unit.name.casefold(), unit.id)
            title = f"{unit.name} ({area_name}{', teamets område' if own else ''})"
        groups.setdefault(key, (title, []))[1].append(Candidate(str(person.id), label))
    return [
        (title, sorted(choices, key=lambda c: c.label.casefold()))
        for _, (title, choices) in sorted(groups.items())
    ]


# --- Reading the forms -----------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    staff: Staff
    period: services.Period


def read_attachment(
    session: Session, form: Mapping[str, str], today: date
) -> tuple[Attachment | None, dict[str, str]]:
    """`person` (a staff id from the list), `fra` (today when empty), `til` (optional)."""
    errors: dict[str, str] = {}
    text = form.get("person", "").strip()
    staff = None
    if not text:
        errors["person"] = PERSON_MISSING
    else:
        ident = parse_id(text)
        staff = session.get(Staff, ident) if ident is not None else None
        if staff is None or not staff.active:
            errors["person"] = PERSON_UNKNOWN
            staff = None
        elif not staff.role_set & ATTACHABLE:
            errors["person"] = PERSON_NOT_ATTACHABLE.format(staff.full_name)
    period, period_errors = services.read_period(
        {"fra": form.get("fra", ""), "til": form.get("til", "")}, today
    )
    errors |= period_errors
    if errors or staff is None or period is None:
        return None, errors
    return Attachment(staff, period), {}


def closing_problem(team: Team, period: services.Period) -> str | None:
    """A closed team takes nobody from its closing day; a closing one only up to the day before
    (closing a team is refused while a membership reaches that day)."""
    if team.closed_on is None:
        return None
    if team.closed_on <= period.valid_from:
        return TEAM_CLOSED.format(team.name, format_date(team.closed_on))
    if period.valid_to is None or period.valid_to >= team.closed_on:
        last = team.closed_on - timedelta(days=1)
        return TEAM_CLOSING.format(team.name, format_date(team.closed_on), format_date(last))
    return None


# --- The page ------------------------------------------------------------------------------


def _team(team_id: int) -> Team:
    team = get_session().get(Team, team_id)
    if team is None:
        abort(404)
    return team


def _page(
    team: Team,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    forms: dict[str, dict] | None = None,
    status: int = 200,
):
    session, today = get_session(), clock.today()
    rows = attachments(session, team, today)
    attached_ids = {r.staff.id for r in rows if r.state != "afsluttet"}
    forms = {"tilknyt": {"fra": today.isoformat(), "til": "", "person": ""}} | (forms or {})
    return render_template(
        "admin/basisteam.html",
        team=team,
        area=session.get(Area, team.area_id),
        open_rows=[r for r in rows if r.state != "afsluttet"],
        ended_rows=[r for r in rows if r.state == "afsluttet"],
        groups=candidates(session, team, today, attached_ids),  # type: ignore[arg-type]
        errors=errors or {},
        forms=forms,
        today=today,
        closed=team.closed_on is not None and team.closed_on <= today,
        last_day=team.closed_on - timedelta(days=1) if team.closed_on else None,
        format_date=format_date,
    ), status


def _back(team: Team, anchor: str | None = None):
    return redirect(url_for(".index", team_id=team.id, _anchor=anchor), 303)


@bp.get("/")
def index(team_id: int):
    return _page(_team(team_id))


@bp.post("/tilknyt")
def attach(team_id: int):
    team, session, today = _team(team_id), get_session(), clock.today()
    form = {k: request.form.get(k, "")[:400] for k in ("person", "fra", "til")}
    attachment, errors = read_attachment(session, form, today)
    if attachment is None:
        return _page(team, errors={"tilknyt": errors}, forms={"tilknyt": form}, status=400)
    problem = closing_problem(team, attachment.period)
    if problem:
        field = "fra" if team.closed_on <= attachment.period.valid_from else "til"  # type: ignore[operator]
        return _page(
            team, errors={"tilknyt": {field: problem}}, forms={"tilknyt": form}, status=409
        )
    known = services.places(session)
    place = services.Place(MembershipKind.BASISTEAM, team_id=team.id)
    try:
        services.add_membership(
            session,
            attachment.staff,
            place,
            attachment.period,
            by=current_user.id,
            now=clock.now(),
            known=known,
        )
    except services.Refused as refused:
        # The services key a refusal by their own form's field; here it is about the person.
        messages = {("person" if k == "placering" else k): v for k, v in refused.errors.items()}
        return _page(
            team, errors={"tilknyt": messages}, forms={"tilknyt": form}, status=refused.status
        )
    period = attachment.period
    until = f" til og med {format_date(period.valid_to)}" if period.valid_to else ""
    flash(
        f"{attachment.staff.full_name} er tilknyttet {team.name} fra "
        f"{format_date(period.valid_from)}{until}.",
        "success",
    )
    return _back(team, "tilknyttede")


@bp.post("/<int:membership_id>/slut")
def end(team_id: int, membership_id: int):
    team, session = _team(team_id), get_session()
    membership = session.get(Membership, membership_id)
    if (
        membership is None
        or membership.kind != MembershipKind.BASISTEAM
        or membership.team_id != team.id
    ):
        abort(404)
    key = f"slut-{membership.id}"
    text = request.form.get("til", "")[:40]
    til, error = services.read_end(text, membership.valid_from)
    status = 400
    if til is not None and _extends_past_closing(team, membership, til):
        last = team.closed_on - timedelta(days=1)  # type: ignore[operator]
        error = END_AFTER_CLOSING.format(team.name, format_date(team.closed_on), format_date(last))
        til, status = None, 409
    if til is None:
        return _page(
            team,
            errors={key: {"til": error or services.TO_MISSING}},
            forms={key: {"til": text}},
            status=status,
        )
    staff = session.get(Staff, membership.staff_id)
    assert staff is not None
    changed = services.end_membership(
        session,
        staff,
        membership,
        til,
        by=current_user.id,
        now=clock.now(),
        known=services.places(session),
    )
    if changed:
        flash(
            f"Tilknytningen af {staff.full_name} til {team.name} slutter {format_date(til)} "
            "(sidste dag).",
            "success",
        )
    else:
        flash(services.NO_CHANGE, "info")
    return _back(team, "tilknyttede")


def _extends_past_closing(team: Team, membership: Membership, til: date) -> bool:
    """Only a later end date can reach a closing day; ending earlier is always allowed."""
    if team.closed_on is None or til < team.closed_on:
        return False
    return membership.valid_to is not None and til > membership.valid_to
