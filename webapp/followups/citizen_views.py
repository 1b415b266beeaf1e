"""Opfølgninger on and from a citizen's page (/borgere/<id>/...): the open follow-ups and the
last closed ones, a manual follow-up, handing over nursing, the weight curve and recording a
weight, and forløbsskift with its receipt and the pathway history.

Every route starts from get_citizen_or_404 (out of scope is a 404); role-bound actions are a
404 for other roles too. Forms are plain POST + redirect; bad input is a 400 that re-renders
the form with what was typed and a short Danish message.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.access.scope import get_citizen_or_404
from webapp.db import get_session
from webapp.domain.citizens import PathwayType
from webapp.domain.followups import (
    Due,
    FollowUpKind,
    Source,
    Status,
    pathway_change_errors,
)
from webapp.domain.roles import FORLOEBSANSVARLIG_ROLES, Role
from webapp.followups import lists, operations, weight
from webapp.followups.citizen_reads import (
    ClosedRow,
    PathwayRow,
    closed_for_citizen,
    current_pathway,
    pathway_history,
    people_who_see,
    weighings,
)
from webapp.followups.operations import PATHWAY_CHANGE_REASON, FollowUpError
from webapp.models import (
    Citizen,
    FollowUp,
    Pathway,
    Staff,
    Weighing,
)

bp = Blueprint("citizen_followups", __name__)

HAND_OVER_ROLES = frozenset({Role.NURSE})
PATHWAY_ROLES = frozenset({Role.ASSISTANT, Role.NURSE, Role.LEADER})
#: How many closed follow-ups the citizen page lists.
HISTORY_SIZE = 5
MAX_TITLE = 160
#: hand_over_nursing titles the follow-up "Overdraget: <task>" and a title holds 160.
HANDED_OVER_PREFIX = "Overdraget: "
MAX_TASK = MAX_TITLE - len(HANDED_OVER_PREFIX)


# --- The sections on the citizen page (webapp.citizens.views.show) ---------------------------


@dataclass(frozen=True)
class Sections:
    citizen_id: int
    today: date
    rows: list[lists.Row]
    closed: list[ClosedRow]
    weight: weight.WeightChart
    pathways: list[PathwayRow]
    can_hand_over: bool
    can_change_pathway: bool
    weighing: FollowUpKind = FollowUpKind.WEIGHING

    @property
    def back(self) -> str:
        return url_for("citizens.show", citizen_id=self.citizen_id)

    @property
    def soon(self) -> list[lists.Row]:
        """Overdue, today and the next 14 days: shown; the rest are folded away."""
        last = self.today + timedelta(days=lists.HORIZON_DAYS)
        return [r for r in self.rows if r.follow_up.due_date <= last]

    @property
    def later(self) -> list[lists.Row]:
        last = self.today + timedelta(days=lists.HORIZON_DAYS)
        return [r for r in self.rows if r.follow_up.due_date > last]

    @property
    def open_weighing(self) -> lists.Row | None:
        return next((r for r in self.rows if r.kind is FollowUpKind.WEIGHING), None)

    @property
    def overdue_count(self) -> int:
        return sum(1 for r in self.rows if r.overdue)


def citizen_sections(citizen: Citizen) -> Sections:
    """What the citizen page's Opfølgninger, Vægt and Forløb sections show (four queries)."""
    session, today = get_session(), clock.today()
    roles = current_user.role_set
    return Sections(
        citizen_id=citizen.id,  # type: ignore[arg-type]
        today=today,
        rows=lists.for_citizen(session, citizen.id, today),  # type: ignore[arg-type]
        closed=closed_for_citizen(session, citizen.id, HISTORY_SIZE),  # type: ignore[arg-type]
        weight=weight.build_weight_chart(today, weighings(session, citizen.id, today)),  # type: ignore[arg-type]
        pathways=pathway_history(session, citizen),
        can_hand_over=bool(roles & HAND_OVER_ROLES),
        can_change_pathway=bool(roles & PATHWAY_ROLES),
    )


# --- Form parsing -----------------------------------------------------------------------------


def _day(text: str, today: date, errors: list[str], what: str = "en dato") -> date | None:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        errors.append(f"Vælg {what}.")
        return None
    if day < today:
        errors.append("Datoen kan ikke ligge før i dag.")
    return day


def _due_at(day: date | None, text: str, errors: list[str]) -> datetime | None:
    """The local time on the day as UTC, None when no time was given."""
    if not text.strip():
        return None
    try:
        at = time.fromisoformat(text.strip())
    except ValueError:
        errors.append("Skriv klokkeslættet som tt:mm, for eksempel 14:30.")
        return None
    if day is None:
        return None
    due_at = datetime.combine(day, at.replace(second=0, microsecond=0), clock.local_zone())
    if due_at.astimezone(UTC) < clock.now():
        errors.append("Klokkeslættet er allerede passeret.")
    return due_at.astimezone(UTC)


def _chosen(people: list[Staff], text: str) -> Staff | None:
    return next((p for p in people if str(p.id) == text.strip()), None)


def _to_citizen(citizen: Citizen):
    return redirect(url_for("citizens.show", citizen_id=citizen.id), 303)


def _danish(day: date) -> str:
    return day.strftime("%d.%m.%Y")


# --- Ny opfølgning (manual) -------------------------------------------------------------------


@bp.get("/borgere/<int:citizen_id>/opfoelgninger/ny")
@login_required
def new(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    return _new_page(citizen, {"owner": str(current_user.id)})


@bp.post("/borgere/<int:citizen_id>/opfoelgninger/ny")
@login_required
def create(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    session, today, form = get_session(), clock.today(), request.form
    errors: list[str] = []
    title = form.get("title", "").strip()
    if not title:
        errors.append("Skriv, hvad opfølgningen handler om.")
    elif len(title) > MAX_TITLE:
        errors.append(f"Teksten må højst være {MAX_TITLE} tegn.")
    day = _day(form.get("due_date", ""), today, errors, "en gyldig dato")
    due_at = _due_at(day, form.get("due_time", ""), errors)
    people = people_who_see(session, citizen, today)
    owner = _chosen(people, form.get("owner", ""))
    if owner is None:
        errors.append("Vælg en ansvarlig, der kan se borgeren.")
    if errors or day is None or owner is None:
        return _new_page(citizen, form, errors, people), 400
    due = Due(FollowUpKind.MANUAL, day, due_at, None, title)
    operations.add(
        session,
        citizen,
        due,
        source=Source.MANUAL,
        owner_id=owner.id,  # type: ignore[arg-type]
        now=clock.now(),
        created_by_id=current_user.id,
    )
    flash(f"Opfølgning oprettet: {title}, {_danish(day)}, ansvarlig {owner.full_name}.", "info")
    return _to_citizen(citizen)


def _new_page(
    citizen: Citizen, values, errors: list[str] | None = None, people: list[Staff] | None = None
):
    record_read(Action.FOLLOW_UP, [citizen.id])  # type: ignore[list-item]
    if people is None:
        people = people_who_see(get_session(), citizen, clock.today())
    return render_template(
        "followups/citizen_new.html",
        citizen=citizen,
        people=people,
        values=values,
        errors=errors or [],
        today=clock.today(),
        max_title=MAX_TITLE,
    )


# --- Overdrag sygepleje (nurse only) ------------------------------------------------------------


def _require(roles: frozenset[Role]) -> None:
    if not current_user.role_set & roles:
        abort(404)


@bp.get("/borgere/<int:citizen_id>/overdrag")
@login_required
def hand_over_form(citizen_id: int):
    _require(HAND_OVER_ROLES)
    citizen = get_citizen_or_404(citizen_id)
    return _hand_over_page(citizen, {})


@bp.post("/borgere/<int:citizen_id>/overdrag")
@login_required
def hand_over(citizen_id: int):
    _require(HAND_OVER_ROLES)
    citizen = get_citizen_or_404(citizen_id)
    form, errors = request.form, []
    task = " ".join(form.get("task", "").split())
    if not task:
        errors.append("Skriv, hvilken opgave der overdrages.")
    elif len(task) > MAX_TASK:
        errors.append(f"Opgaven må højst være {MAX_TASK} tegn.")
    day = _day(form.get("due_date", ""), clock.today(), errors, "en gyldig opfølgningsdato")
    if errors or day is None:
        return _hand_over_page(citizen, form, errors), 400
    try:
        operations.hand_over_nursing(
            get_session(),
            citizen,
            nurse=current_user.staff,
            due_date=day,
            task=task,
            now=clock.now(),
        )
    except FollowUpError as error:
        return _hand_over_page(citizen, form, [str(error)]), 400
    flash(f"Overdraget: {task}. Opfølgningen {_danish(day)} ligger hos dig.", "info")
    return _to_citizen(citizen)


def _hand_over_page(citizen: Citizen, values, errors: list[str] | None = None):
    record_read(Action.FOLLOW_UP, [citizen.id])  # type: ignore[list-item]
    return render_template(
        "followups/citizen_hand_over.html",
        citizen=citizen,
        values=values,
        errors=errors or [],
        today=clock.today(),
        max_task=MAX_TASK,
    )


# --- Vægt -------------------------------------------------------------------------------------


@bp.get("/borgere/<int:citizen_id>/vaegt")
@login_required
def weight_form(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    return _weight_page(citizen, "")


@bp.post("/borgere/<int:citizen_id>/vaegt")
@login_required
def record_weight(citizen_id: int):
    """A weight now; it completes the citizen's open weighing follow-up if there is one (which
    puts the next month's in place), else it is a weighing on its own."""
    citizen = get_citizen_or_404(citizen_id)
    session, now, text = get_session(), clock.now(), request.form.get("kg", "")
    try:
        kg = weight.parse_kg(text)
    except ValueError as error:
        return _weight_page(citizen, text, str(error)), 400
    due = session.exec(
        select(FollowUp)
        .where(
            FollowUp.citizen_id == citizen.id,
            FollowUp.kind == FollowUpKind.WEIGHING.value,
            FollowUp.status == Status.OPEN.value,
        )
        .order_by(FollowUp.due_date, FollowUp.id)  # type: ignore[arg-type]
    ).first()
    message = f"Vægt {weight.format_kg(kg)} kg gemt."
    if due is None:
        session.add(Weighing(citizen_id=citizen.id, staff_id=current_user.id, at=now, kg=kg))  # type: ignore[arg-type]
        session.flush()
    else:
        try:
            following = operations.complete(
                session, due, by=current_user.id, at=now, today=clock.today(), value=str(kg)
            )
        except FollowUpError as error:
            return _weight_page(citizen, text, str(error)), 400
        message += " Vejningen er udført."
        if following is not None:
            message += f" Næste vejning: {_danish(following.due_date)}."
    flash(message, "info")
    return _to_citizen(citizen)


def _weight_page(citizen: Citizen, kg: str, error: str | None = None):
    session, today = get_session(), clock.today()
    record_read(Action.CITIZEN, [citizen.id])  # type: ignore[list-item]
    chart = weight.build_weight_chart(today, weighings(session, citizen.id, today))  # type: ignore[arg-type]
    return render_template(
        "followups/citizen_weight.html", citizen=citizen, chart=chart, kg=kg, error=error
    )


# --- Forløbsskift (SSA, nurse, leader) ------------------------------------------------------------


def _responsible_candidates(session: Session, citizen: Citizen) -> list[Staff]:
    people = people_who_see(session, citizen, clock.today())
    return [p for p in people if p.role_set & FORLOEBSANSVARLIG_ROLES]


@bp.get("/borgere/<int:citizen_id>/forloebsskift")
@login_required
def pathway_form(citizen_id: int):
    _require(PATHWAY_ROLES)
    citizen = get_citizen_or_404(citizen_id)
    values = {
        "change_date": clock.today().isoformat(),
        "forloebsansvarlig": str(citizen.forloebsansvarlig_id or ""),
    }
    return _pathway_page(citizen, values)


@bp.post("/borgere/<int:citizen_id>/forloebsskift")
@login_required
def change_pathway(citizen_id: int):
    _require(PATHWAY_ROLES)
    citizen = get_citizen_or_404(citizen_id)
    session, today, form = get_session(), clock.today(), request.form
    current = current_pathway(session, citizen.id)  # type: ignore[arg-type]
    errors: list[str] = []
    try:
        new_type: PathwayType | None = PathwayType(form.get("type", ""))
    except ValueError:
        new_type = None
        errors.append("Vælg den nye forløbstype.")
    try:
        day: date | None = date.fromisoformat(form.get("change_date", "").strip())
    except ValueError:
        day = None
        errors.append("Vælg datoen for forløbsskiftet.")
    if day is not None and day > today:
        errors.append("Forløbsskiftet kan ikke dateres frem i tiden.")
    chosen_text = form.get("forloebsansvarlig", "").strip()
    person = _chosen(_responsible_candidates(session, citizen), chosen_text)
    if chosen_text and person is None:
        errors.append("Vælg en forløbsansvarlig, der kan se borgeren.")
    if current is None:
        errors.append("Borgeren har intet aktivt forløb at skifte fra.")
    if current is not None and new_type is not None and day is not None and not errors:
        roles = person.role_set if person is not None else None
        errors += pathway_change_errors(new_type, roles, day, current.started_on)
    if errors or new_type is None or day is None:
        return _pathway_page(citizen, form, errors), 400
    try:
        result = operations.change_pathway(
            session,
            citizen,
            new_type=new_type,
            change_date=day,
            new_forloebsansvarlig=person,
            by=current_user.id,
            now=clock.now(),
            zone=clock.local_zone(),
        )
    except FollowUpError as error:
        return _pathway_page(citizen, form, [str(error)]), 400
    return redirect(
        url_for(".pathway_receipt", citizen_id=citizen.id, pathway_id=result.new.id), 303
    )


def _pathway_page(citizen: Citizen, values, errors: list[str] | None = None):
    session = get_session()
    record_read(Action.CITIZEN, [citizen.id])  # type: ignore[list-item]
    kontaktperson = session.get(Staff, citizen.kontaktperson_id)
    responsible = (
        session.get(Staff, citizen.forloebsansvarlig_id) if citizen.forloebsansvarlig_id else None
    )
    return render_template(
        "followups/citizen_pathway.html",
        citizen=citizen,
        current=current_pathway(session, citizen.id),  # type: ignore[arg-type]
        kontaktperson=kontaktperson,
        responsible=responsible,
        types=list(PathwayType),
        moderate=PathwayType.PERMANENT_MODERATE,
        people=_responsible_candidates(session, citizen),
        values=values,
        errors=errors or [],
        today=clock.today(),
    )


@bp.get("/borgere/<int:citizen_id>/forloebsskift/<int:pathway_id>")
@login_required
def pathway_receipt(citizen_id: int, pathway_id: int):
    """What a forløbsskift changed: the type, the forløbsansvarlig, the milestones."""
    _require(PATHWAY_ROLES)
    citizen = get_citizen_or_404(citizen_id)
    session = get_session()
    new = session.get(Pathway, pathway_id)
    if new is None or new.citizen_id != citizen.id:
        abort(404)
    old = session.exec(
        select(Pathway)
        .where(Pathway.citizen_id == citizen.id, Pathway.id < new.id)  # type: ignore[operator]
        .order_by(Pathway.id.desc())  # type: ignore[union-attr]
    ).first()
    if old is None:  # the first pathway was not a change
        abort(404)
    cancelled = session.exec(
        select(func.count())
        .select_from(FollowUp)
        .where(
            FollowUp.pathway_id == old.id,
            FollowUp.status == Status.CANCELLED.value,
            FollowUp.cancel_reason == PATHWAY_CHANGE_REASON,
        )
    ).one()
    owner = aliased(Staff)
    created = session.exec(
        select(FollowUp, owner.full_name)
        .join(owner, owner.id == FollowUp.owner_id)
        .where(
            FollowUp.pathway_id == new.id,
            FollowUp.source == Source.MILESTONE.value,
            FollowUp.created_at == new.referred_at,
        )
        .order_by(FollowUp.due_date, FollowUp.id)  # type: ignore[arg-type]
    ).all()
    record_read(Action.CITIZEN, [citizen.id])  # type: ignore[list-item]
    return render_template(
        "followups/citizen_pathway_receipt.html",
        citizen=citizen,
        old=old,
        new=new,
        responsible=session.get(Staff, new.forloebsansvarlig_id)
        if new.forloebsansvarlig_id
        else None,
        old_responsible=session.get(Staff, old.forloebsansvarlig_id)
        if old.forloebsansvarlig_id
        else None,
        kontaktperson=session.get(Staff, citizen.kontaktperson_id),
        cancelled=cancelled,
        created=created,
    )
