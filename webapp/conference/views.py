"""Forløbskonference screens: the list (anyone in scope), Sæt på konference (anyone in
scope, borgerkonsulenter too), and the leader's order, suggestions and carry-over."""

from datetime import date, time, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlmodel import select

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.access.scope import current_scope, get_citizen_or_404
from webapp.clock import as_aware
from webapp.conference import meeting, pdf, services
from webapp.conference.printing import build_sheet
from webapp.conference.reads import list_rows
from webapp.db import get_session
from webapp.domain import conference as rules
from webapp.domain.citizens import PathwayType, TriageColour
from webapp.domain.conference import Suggestion
from webapp.domain.roles import FORLOEBSANSVARLIG_ROLES, Role
from webapp.followups.citizen_reads import current_pathway, people_who_see
from webapp.models import Citizen, Conference, ConferenceItem, Team
from webapp.urls import parse_id

bp = Blueprint("conference", __name__)


def _is_leader() -> bool:
    return Role.LEADER in current_user.role_set


def _conference_or_404(conference_id: int) -> Conference:
    conference = get_session().get(Conference, conference_id)
    if conference is None or conference.team_id not in current_scope().team_ids:
        abort(404)
    return conference


def _leader_only() -> None:
    if not _is_leader():
        abort(404)


@bp.get("/konference/")
@login_required
def index():
    """The next conference of the person's team; with several teams, a choice."""
    session, scope = get_session(), current_scope()
    if not scope.team_ids:
        abort(404)
    team_id = parse_id(request.args.get("team", ""))
    teams = session.exec(
        select(Team).where(Team.id.in_(sorted(scope.team_ids))).order_by(Team.name)  # type: ignore[attr-defined]
    ).all()
    if team_id is None and len(teams) > 1:
        return render_template("conference/choose.html", teams=teams)
    team_id = team_id if team_id in scope.team_ids else teams[0].id
    schedule = services.schedule_for(session, team_id)
    day = rules.next_conference(schedule, clock.now(), clock.local_zone())
    conference = services.conference_on(session, team_id, day, schedule, clock.local_zone())
    session.commit()
    return redirect(url_for(".show", conference_id=conference.id))


@bp.get("/konference/<int:conference_id>")
@login_required
def show(conference_id: int):
    conference = _conference_or_404(conference_id)
    session, now = get_session(), clock.now()
    zone = clock.local_zone()
    schedule = services.schedule_for(session, conference.team_id)
    rows = list_rows(session, conference, now, clock.today())
    candidates = (
        services.suggestions(session, conference.team_id, conference, now, clock.today())
        if _is_leader() and conference.ended_at is None
        else []
    )
    record_read(
        Action.CONFERENCE,
        sorted({r.citizen_id for r in rows} | {c.citizen_id for c in candidates}),
    )
    session.commit()
    return render_template(
        "conference/show.html",
        conference=conference,
        team=session.get(Team, conference.team_id),
        rows=rows,
        candidates=candidates,
        schedule=schedule,
        cutoff=rules.cutoff(schedule, conference.day, zone),
        next_day=rules.following(schedule, conference.day),
        is_leader=_is_leader(),
        now=now,
    )


# --- Sæt på konference ------------------------------------------------------------------------


def _entry_context(citizen: Citizen, reason: str = "", error: str | None = None):
    session, now, zone = get_session(), clock.now(), clock.local_zone()
    schedule = services.schedule_for(session, citizen.team_id)
    day = rules.conference_for_entry(schedule, now, zone)
    next_day = rules.next_conference(schedule, now, zone)
    return {
        "citizen": citizen,
        "day": day,
        "after_cutoff": day != next_day,
        "next_day": next_day,
        "cutoff": rules.cutoff(schedule, next_day, zone),
        "schedule": schedule,
        "reason": reason,
        "error": error,
        "max_reason": rules.MAX_REASON,
    }


@bp.get("/borgere/<int:citizen_id>/konference")
@login_required
def new_entry(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    record_read(Action.CONFERENCE_ENTRY, [citizen.id])  # type: ignore[list-item]
    get_session().commit()
    return render_template("conference/new.html", **_entry_context(citizen))


@bp.post("/borgere/<int:citizen_id>/konference")
@login_required
def add_entry(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    session = get_session()
    reason = request.form.get("reason", "")[:2000]
    try:
        placed = services.put_on_list(
            session,
            citizen,
            by=current_user.id,
            reason=reason,
            now=clock.now(),
            zone=clock.local_zone(),
        )
    except services.ConferenceError as error:
        session.rollback()
        record_read(Action.CONFERENCE_ENTRY, [citizen.id])  # type: ignore[list-item]
        session.commit()
        context = _entry_context(citizen, reason, str(error))
        return render_template("conference/new.html", **context), 400
    session.commit()
    day = placed.conference.day.strftime("%d.%m.")
    flash(f"{citizen.full_name} er sat på konferencen {day}.", "success")
    return redirect(url_for(".show", conference_id=placed.conference.id), code=303)


# --- The leader's actions ------------------------------------------------------------------


def _item_on(conference: Conference, item_id: int | None) -> ConferenceItem:
    item = get_session().get(ConferenceItem, item_id) if item_id else None
    if item is None or item.conference_id != conference.id:
        abort(404)
    return item


@bp.post("/konference/<int:conference_id>/forslag")
@login_required
def accept(conference_id: int):
    """Accept a suggestion: the citizen goes on this list with the suggestion as reason."""
    conference = _conference_or_404(conference_id)
    _leader_only()
    session = get_session()
    citizen = session.get(Citizen, parse_id(request.form.get("citizen_id", "")) or 0)
    try:
        kind = Suggestion(request.form.get("kind", ""))
    except ValueError:
        kind = None
    if citizen is None or citizen.team_id != conference.team_id or kind is None:
        abort(400, "Forslaget findes ikke længere.")
    reason = f"{kind.label}: {request.form.get('text', '')[:200]}".strip(": ")
    try:
        services.put_on_list(
            session,
            citizen,
            by=current_user.id,
            reason=reason[: rules.MAX_REASON],
            now=clock.now(),
            zone=clock.local_zone(),
            suggestion=kind,
            escalation_id=parse_id(request.form.get("escalation_id", "")),
            conference=conference,
        )
    except services.ConferenceError as error:
        session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".show", conference_id=conference.id), code=303)
    session.commit()
    return redirect(url_for(".show", conference_id=conference.id), code=303)


@bp.post("/konference/<int:conference_id>/raekkefoelge")
@login_required
def order(conference_id: int):
    """Move one citizen up or down the list (`item` and `retning` = op/ned)."""
    conference = _conference_or_404(conference_id)
    _leader_only()
    session = get_session()
    item = _item_on(conference, parse_id(request.form.get("item", "")))
    listed = [i.id for i in services.items(session, conference.id, (services.ON_LIST,))]  # type: ignore[arg-type]
    if item.id in listed:
        i = listed.index(item.id)
        j = i - 1 if request.form.get("retning") == "op" else i + 1
        if 0 <= j < len(listed):
            listed[i], listed[j] = listed[j], listed[i]
            services.reorder(session, conference, listed)  # type: ignore[arg-type]
            session.commit()
    return redirect(url_for(".show", conference_id=conference.id, _anchor=f"punkt-{item.id}"), 303)


@bp.post("/konference/<int:conference_id>/flyt-resten")
@login_required
def move_rest(conference_id: int):
    conference = _conference_or_404(conference_id)
    _leader_only()
    session = get_session()
    moved = services.move_overflow(session, conference, clock.local_zone())
    session.commit()
    if moved:
        flash(f"{len(moved)} flyttet til næste konference.", "success")
    return redirect(url_for(".show", conference_id=conference.id), code=303)


@bp.post("/konference/punkt/<int:item_id>/flyt")
@login_required
def move_one(item_id: int):
    session = get_session()
    item = session.get(ConferenceItem, item_id)
    if item is None:
        abort(404)
    conference = _conference_or_404(item.conference_id)
    _leader_only()
    if item.status == services.ON_LIST:
        services.move(session, item, clock.local_zone())
        session.commit()
    return redirect(url_for(".show", conference_id=conference.id), code=303)


# --- The meeting -----------------------------------------------------------------------------


@bp.post("/konference/<int:conference_id>/start")
@login_required
def start(conference_id: int):
    conference = _conference_or_404(conference_id)
    _leader_only()
    meeting.start(get_session(), conference, current_user.id, clock.now())
    get_session().commit()
    return redirect(url_for(".meeting_view", conference_id=conference.id), code=303)


@bp.post("/konference/<int:conference_id>/afslut")
@login_required
def end(conference_id: int):
    conference = _conference_or_404(conference_id)
    _leader_only()
    meeting.end(get_session(), conference, clock.now())
    get_session().commit()
    flash("Konferencen er afsluttet. Referatet kan hentes som PDF.", "success")
    return redirect(url_for(".show", conference_id=conference.id), code=303)


def _meeting_page(conference: Conference, item_id: int | None, form=None, errors=None):
    session, now, today = get_session(), clock.now(), clock.today()
    rows = list_rows(session, conference, now, today)
    if not rows:
        return redirect(url_for(".show", conference_id=conference.id))
    current = next((r for r in rows if r.item.id == item_id), None)
    if current is None:
        current = next((r for r in rows if r.item.status == services.ON_LIST), rows[0])
    citizen = session.get(Citizen, current.citizen_id)
    people = people_who_see(session, citizen, today)
    record_read(Action.CONFERENCE_MEETING, [r.citizen_id for r in rows])
    session.commit()
    started = conference.started_at and as_aware(conference.started_at)
    ends = started + timedelta(minutes=conference.minutes) if started else None
    return render_template(
        "conference/meeting.html",
        conference=conference,
        team=session.get(Team, conference.team_id),
        rows=rows,
        r=current,
        citizen=citizen,
        pathway=current_pathway(session, citizen.id),
        people=people,
        responsible=[p for p in people if p.role_set & FORLOEBSANSVARLIG_ROLES],
        colours=list(TriageColour),
        pathway_types=list(PathwayType),
        ends_at=ends,
        remaining=rules.remaining_seconds(started, now, conference.minutes) if started else None,
        timer_text=rules.timer_text,
        form=form or {},
        errors=errors or [],
        today=today,
    ), (400 if errors else 200)


@bp.get("/konference/<int:conference_id>/moede")
@login_required
def meeting_view(conference_id: int):
    """Meeting mode: the timer, one citizen at a time, the decision form."""
    conference = _conference_or_404(conference_id)
    _leader_only()
    return _meeting_page(conference, parse_id(request.args.get("punkt", "")))


def _date(text: str, errors: list[str], what: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(f"Skriv {what} som en gyldig dato.")
        return None


def _one_of(kind, text: str):
    try:
        return kind(text) if text else None
    except ValueError:
        return None


@bp.post("/konference/punkt/<int:item_id>/beslutning")
@login_required
def decide(item_id: int):
    session = get_session()
    item = session.get(ConferenceItem, item_id)
    if item is None:
        abort(404)
    conference = _conference_or_404(item.conference_id)
    _leader_only()
    form, errors = request.form, []
    citizen = session.get(Citizen, item.citizen_id)
    people = {p.id: p for p in people_who_see(session, citizen, clock.today())}
    follow_up_on = _date(form.get("follow_up_on", ""), errors, "opfølgningsdatoen")
    pathway = _one_of(PathwayType, form.get("pathway", ""))
    decision = meeting.DecisionInput(
        text=form.get("decision", "")[:5000],
        owner=people.get(parse_id(form.get("owner", "")) or 0),
        follow_up_on=follow_up_on,
        colour=_one_of(TriageColour, form.get("colour", "")),
        pathway=pathway,
        pathway_from=_date(form.get("pathway_from", ""), errors, "datoen for forløbsskiftet"),
        new_forloebsansvarlig=people.get(parse_id(form.get("new_forloebsansvarlig", "")) or 0),
    )
    if not errors:
        try:
            meeting.decide(
                session,
                item,
                decision,
                by=current_user.staff,
                now=clock.now(),
                zone=clock.local_zone(),
                today=clock.today(),
            )
        except meeting.DecisionError as error:
            errors = error.messages
    if errors:
        session.rollback()
        return _meeting_page(conference, item.id, form, errors)
    session.commit()
    following = next(
        (i for i in services.items(session, conference.id, (services.ON_LIST,))),
        None,  # type: ignore[arg-type]
    )
    target = following.id if following else item.id
    return redirect(url_for(".meeting_view", conference_id=conference.id, punkt=target), code=303)


# --- PDFs ------------------------------------------------------------------------------------


def _pdf(conference_id: int, kind: str):
    conference = _conference_or_404(conference_id)
    session, now = get_session(), clock.now()
    sheet = build_sheet(
        session, conference, current_user.full_name, now, clock.local_zone(), clock.today()
    )
    body = pdf.render_list(sheet) if kind == "konferenceliste" else pdf.render_minutes(sheet)
    rows = session.exec(
        select(ConferenceItem.citizen_id).where(ConferenceItem.conference_id == conference.id)
    ).all()
    record_read(Action.CONFERENCE_PDF, sorted(set(rows)))
    session.commit()
    team = session.get(Team, conference.team_id)
    slug = "".join(ch if ch.isalnum() else "-" for ch in team.name.lower()).strip("-")
    name = f"{kind}-{conference.day.isoformat()}-{slug}.pdf"
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/konference/<int:conference_id>/konferenceliste.pdf")
@login_required
def list_pdf(conference_id: int):
    return _pdf(conference_id, "konferenceliste")


@bp.get("/konference/<int:conference_id>/referat.pdf")
@login_required
def minutes_pdf(conference_id: int):
    return _pdf(conference_id, "referat")


# --- The schedule ------------------------------------------------------------------------------

SCHEDULE_ERROR = (
    "Vælg mindst én ugedag, en varighed på 5–240 minutter, 1–40 pladser og en frist 0–7 dage før."
)


@bp.route("/konference/plan/<int:team_id>", methods=["GET", "POST"])
@login_required
def schedule_form(team_id: int):
    """A leader sets the basisteam's conference days, time, length, capacity and cut-off.
    Conferences already created keep their time and capacity."""
    _leader_only()
    if team_id not in current_scope().team_ids:
        abort(404)
    session = get_session()
    team = session.get(Team, team_id)
    current = services.schedule_for(session, team_id)
    if request.method == "GET":
        return render_template("conference/schedule.html", team=team, s=current, error=None)
    form = request.form
    try:
        schedule = rules.Schedule(
            weekdays=tuple(sorted({int(d) for d in form.getlist("weekday") if d in "0123456"})),
            start=time.fromisoformat(form.get("start", "")[:5]),
            minutes=int(form.get("minutes", "")[:3]),
            capacity=int(form.get("capacity", "")[:2]),
            cutoff_days_before=int(form.get("cutoff_days_before", "")[:1]),
            cutoff_time=time.fromisoformat(form.get("cutoff_time", "")[:5]),
        )
    except ValueError:
        return render_template(
            "conference/schedule.html", team=team, s=current, error=SCHEDULE_ERROR
        ), 400
    services.save_schedule(session, team_id, schedule)
    session.commit()
    flash(f"Konferenceplanen er gemt: {schedule.text}.", "success")
    return redirect(url_for(".index", team=team_id), code=303)
