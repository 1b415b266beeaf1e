"""Tavle (DOMAIN §6): a team's board with rød and gul first and what changed since the last
review, *Gennemgået* at shift start, and the colour changed (or suggested) on the board.

The board's body asks for itself every 10 s and gets a 204 while nothing changed, so it
stays current on a phone and on the office screen without a reload. Out of scope is a 404.
Refused input is a 400 with a Danish message: under htmx (which does not swap a 4xx) the
message is flashed and the browser sent back to the board (HX-Redirect), as on the vagtplan.
"""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.access.scope import current_scope, get_citizen_or_404, membership_facts
from webapp.board import reads, services
from webapp.db import get_session
from webapp.domain.citizens import TriageColour
from webapp.domain.dates import is_valid_on
from webapp.domain.roles import sees_citizens
from webapp.domain.triage import SETTER_ROLES, ChangeKind
from webapp.htmx import is_htmx, render_polled
from webapp.triage.services import MAX_REASON, TriageError, change_colour, tobs_wanted
from webapp.urls import parse_id

bp = Blueprint("board", __name__)

BAD_KONTAKTTEAM = "Kontaktteamet findes ikke. Vælg et kontaktteam fra listen."
NOT_A_REVIEWER = (
    "Tavlen markeres som gennemgået af en SOSU-assistent, en sygeplejerske eller en leder."
)
REVIEWED = "Tavlen er markeret som gennemgået."
COLOUR_SET = "{name} er nu {colour}."
SUGGESTED = (
    "Dit forslag om {colour} for {name} er sendt. En SOSU-assistent eller sygeplejerske beslutter."
)
TOBS_PLEASE = " Der er ikke målt TOBS de sidste 24 timer: mål TOBS."


class BadInput(ValueError):
    """A Danish message for a 400."""


def _kontaktteam(values) -> int | None:
    text = values.get("kontaktteam", "")
    if not text:
        return None
    found = parse_id(text)
    if found is None:
        raise BadInput(BAD_KONTAKTTEAM)
    return found


def _header(team_id: int, kontaktteam_id: int | None) -> reads.Header:
    """The team (and kontaktteam) if the person sees its citizens; a 404 otherwise."""
    if not sees_citizens(current_user.role_set) or team_id not in current_scope().team_ids:
        abort(404)
    head = reads.header(get_session(), team_id, kontaktteam_id, clock.now(), clock.local_zone())
    if head is None or (kontaktteam_id is not None and head.kontaktteam is None):
        abort(404)
    return head


def _board_url(head: reads.Header) -> str:
    kontaktteam = head.kontaktteam[0] if head.kontaktteam else None
    return url_for("board.show", team_id=head.team_id, kontaktteam=kontaktteam)


def _respond(
    head: reads.Header,
    notice: str | None = None,
    citizen_id: int | None = None,
    ask_tobs: bool = False,
):
    """The board as a page, or its body for htmx; a 204 to a poll while nothing changed.
    The read is logged only when the board is sent. A notice about one citizen is shown on
    the citizen's card (which the browser then scrolls to), else above the columns."""
    scope, now = current_scope(), clock.now()
    board = reads.board(get_session(), scope, head, now, clock.today(), clock.local_zone())
    roles = current_user.role_set
    context = {
        "board": board,
        "head": head,
        "notice": notice,
        "notice_citizen": citizen_id,
        "ask_tobs": ask_tobs,
        "can_review": services.may_review(roles),
        "sets_colour": bool(roles & SETTER_ROLES),
        "Colour": TriageColour,
        "max_reason": MAX_REASON,
        "several_teams": len(scope.team_ids) > 1,
        "own_kontaktteams": scope.own_kontaktteam_ids,
    }
    response = render_polled("board/show.html", "board/_board.html", context)
    if response.status_code == 200:
        record_read(Action.BOARD, board.citizen_ids)
    return response


def _refused(message: str, status: int, back: str | None):
    """A 400/403 with the message; under htmx flashed, and the browser sent to the board."""
    response = render_template("board/error.html", message=message, back=back)
    if is_htmx() and back:
        flash(message, "error")
        return response, status, {"HX-Redirect": back}
    return response, status


def _own_team_ids() -> frozenset[int]:
    """The teams the person works in or is attached to today (listed first to choose)."""
    facts = g.get("membership_facts") or membership_facts(get_session(), current_user.id)
    teams, attachments, _ = facts
    today = clock.today()
    return frozenset(
        m.team_id for m in (*teams, *attachments) if is_valid_on(m.valid_from, m.valid_to, today)
    )


@bp.get("/tavle/")
@login_required
def index():
    """The person's board; with several teams in scope (a health-unit leader, a nurse in
    several basisteams) a list to choose from, with each team's rød and gul."""
    if not sees_citizens(current_user.role_set):
        abort(404)
    scope = current_scope()
    if len(scope.team_ids) == 1:
        return redirect(url_for("board.show", team_id=next(iter(scope.team_ids))))
    choices = reads.team_choices(get_session(), scope, _own_team_ids())
    return render_template("board/choose.html", choices=choices)


@bp.get("/tavle/<int:team_id>")
@login_required
def show(team_id: int):
    """The board of a team, or of one kontaktteam (`?kontaktteam=`)."""
    try:
        kontaktteam = _kontaktteam(request.args)
    except BadInput as error:
        return _refused(str(error), 400, url_for("board.show", team_id=team_id))
    return _respond(_header(team_id, kontaktteam))


@bp.post("/tavle/<int:team_id>/gennemgaaet")
@login_required
def review(team_id: int):
    """*Gennemgået*: from now on the board shows what changed since this moment."""
    try:
        kontaktteam = _kontaktteam(request.form)
    except BadInput as error:
        return _refused(str(error), 400, url_for("board.show", team_id=team_id))
    head = _header(team_id, kontaktteam)
    if not services.may_review(current_user.role_set):
        return _refused(NOT_A_REVIEWER, 403, _board_url(head))
    session, now = get_session(), clock.now()
    services.mark_reviewed(session, team_id, kontaktteam, current_user.id, now)
    if is_htmx():
        return _respond(
            reads.header(session, team_id, kontaktteam, now, clock.local_zone()), REVIEWED
        )  # type: ignore[arg-type]
    flash(REVIEWED, "info")
    return redirect(_board_url(head), 303)


@bp.post("/tavle/<int:team_id>/borgere/<int:citizen_id>/farve")
@login_required
def colour(team_id: int, citizen_id: int):
    """Change a colour on the board: SSA and nurses set it, everyone else suggests it (the
    rule and the history are webapp/triage)."""
    try:
        kontaktteam = _kontaktteam(request.form)
    except BadInput as error:
        return _refused(str(error), 400, url_for("board.show", team_id=team_id))
    head = _header(team_id, kontaktteam)
    citizen = get_citizen_or_404(citizen_id)
    if citizen.team_id != team_id:
        abort(404)
    session, now = get_session(), clock.now()
    try:
        change = change_colour(
            session,
            citizen,
            current_user.id,
            current_user.role_set,
            request.form.get("farve", ""),
            request.form.get("reason", "")[:2000],
            now,
            clock.local_zone(),
        )
    except TriageError as error:
        return _refused(str(error), 400, _board_url(head))
    colour_word = change.triage_colour.label.lower()
    ask_tobs = False
    if change.kind == ChangeKind.SET.value:
        notice = COLOUR_SET.format(name=citizen.full_name, colour=colour_word)
        ask_tobs = citizen.tobs_applies and tobs_wanted(session, citizen.id, now)  # type: ignore[arg-type]
    else:
        notice = SUGGESTED.format(name=citizen.full_name, colour=colour_word)
    if is_htmx():
        return _respond(head, notice, citizen.id, ask_tobs)
    flash(notice + (TOBS_PLEASE if ask_tobs else ""), "info")
    return redirect(_board_url(head), 303)
