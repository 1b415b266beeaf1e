"""A citizen's placement in team and kontaktteam, date-effective (rules:
webapp/domain/placement.py). `Citizen.team_id`/`kontaktteam_id` hold the placement in force
today, so every read and the scope stay one indexed column; `apply_due` turns a planned move
into today's placement on its first day (run once per process per day before a request, see
`init_app`, and by `flask opspor placements`). A citizen without placement rows (rows made
before placements existed, test fixtures) keeps the columns as they are.

Services flush; the request commits."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import Flask
from sqlalchemy import and_, or_
from sqlmodel import Session, select

from webapp.admin import audit
from webapp.domain import placement as rules
from webapp.domain.dates import format_date
from webapp.domain.organisation import is_open_on
from webapp.models import Citizen, CitizenPlacement, Kontaktteam, Team

UNKNOWN_TEAM = "Vælg et hjemmeplejeteam."
TEAM_CLOSED = "{} er lukket fra {}. Vælg et åbent team."
KONTAKTTEAM_ELSEWHERE = "Kontaktteamet hører ikke til det valgte team."
KONTAKTTEAM_CLOSED = "Kontaktteam {} er lukket fra {}."


class Refused(Exception):
    """Danish problems and the status (400 bad input, 409 in conflict with what exists)."""

    def __init__(self, problems: list[str], status: int = 400, field: str = "dato"):
        super().__init__(" ".join(problems))
        self.problems = problems
        self.status = status
        self.field = field  # the form field it concerns: "team", "kontaktteam" or "dato"


@dataclass(frozen=True)
class Line:
    """One placement, for the citizen's history."""

    row: CitizenPlacement
    team: str
    kontaktteam: str | None
    status: str  # "Nu", "Planlagt", "Tidligere"


def rows(session: Session, citizen_id: int) -> list[CitizenPlacement]:
    return list(
        session.exec(
            select(CitizenPlacement)
            .where(CitizenPlacement.citizen_id == citizen_id)
            .order_by(CitizenPlacement.valid_from)  # type: ignore[arg-type]
        ).all()
    )


def _facts(placements: list[CitizenPlacement]) -> list[rules.Placement]:
    return [
        rules.Placement(p.team_id, p.kontaktteam_id, p.valid_from, p.valid_to, p.id)
        for p in placements
    ]


def history(session: Session, citizen_id: int, today: date) -> list[Line]:
    """Newest first, with team names and whether each is now, planned or past."""
    placements = rows(session, citizen_id)
    teams = {t.id: t.name for t in session.exec(select(Team)).all()}
    kts = {k.id: k.name for k in session.exec(select(Kontaktteam)).all()}
    lines = []
    for p in reversed(placements):
        status = "Planlagt" if p.valid_from > today else "Nu" if p.holds_on(today) else "Tidligere"
        kt = kts.get(p.kontaktteam_id) if p.kontaktteam_id else None
        lines.append(Line(p, teams.get(p.team_id, "?"), kt, status))
    return lines


def check_place(session: Session, team_id: int | None, kontaktteam_id: int | None, on: date):
    """The team and kontaktteam, open on `on`, or Refused."""
    team = session.get(Team, team_id) if team_id else None
    if team is None:
        raise Refused([UNKNOWN_TEAM], field="team")
    if not is_open_on(team.closed_on, on):
        raise Refused([TEAM_CLOSED.format(team.name, format_date(team.closed_on))], field="team")
    kt = session.get(Kontaktteam, kontaktteam_id) if kontaktteam_id else None
    if kontaktteam_id and (kt is None or kt.team_id != team.id):
        raise Refused([KONTAKTTEAM_ELSEWHERE], field="kontaktteam")
    if kt is not None and not is_open_on(kt.closed_on, on):
        message = KONTAKTTEAM_CLOSED.format(kt.name, format_date(kt.closed_on))
        raise Refused([message], field="kontaktteam")
    return team, kt


def _values(p: CitizenPlacement) -> dict:
    return {
        "borger_id": p.citizen_id,
        "team_id": p.team_id,
        "kontaktteam_id": p.kontaktteam_id,
        "fra": p.valid_from,
        "til": p.valid_to,
    }


def _log(session, *, by, now, action, p: CitizenPlacement, summary, before=None, after=None):
    audit.record(
        session,
        by=by,
        at=now,
        action=action,
        entity=audit.Entity.PLACEMENT,
        entity_id=p.id,  # type: ignore[arg-type]
        summary=summary,
        before=before,
        after=after,
    )


def _where(team: Team, kt: Kontaktteam | None) -> str:
    return f"{team.name}" + (f", kontaktteam {kt.name}" if kt else "")


def start(
    session: Session,
    citizen: Citizen,
    on: date,
    *,
    by: int | None,
    now: datetime,
) -> CitizenPlacement:
    """A new citizen's first placement: the team and kontaktteam on the row, from `on`."""
    placement = CitizenPlacement(
        citizen_id=citizen.id,  # type: ignore[arg-type]
        team_id=citizen.team_id,
        kontaktteam_id=citizen.kontaktteam_id,
        valid_from=on,
        created_at=now,
        created_by_id=by,
    )
    session.add(placement)
    session.flush()
    return placement


def move(
    session: Session,
    citizen: Citizen,
    team_id: int | None,
    kontaktteam_id: int | None,
    on: date | None,
    *,
    by: int,
    now: datetime,
    today: date,
) -> CitizenPlacement:
    """Move the citizen from `on`: the placement in force ends the day before. A move in
    force today changes the citizen's team at once; a later one on its first day."""
    problems = rules.date_problems(on, today)
    if problems or on is None:
        raise Refused(problems)
    team, kt = check_place(session, team_id, kontaktteam_id, on)
    existing = rows(session, citizen.id)  # type: ignore[arg-type]
    facts = _facts(existing)
    first = min(on - timedelta(days=1), today)
    if not existing:  # placed before placements existed: its current place is the history
        facts = [rules.Placement(citizen.team_id, citizen.kontaktteam_id, first)]
    plan, problems = rules.plan_move(facts, team.id, kt.id if kt else None, on, today)  # type: ignore[arg-type]
    if problems or plan is None:  # a planned move in the way is a conflict, not bad input
        raise Refused(problems, 409 if rules.planned(facts, today) else 400)
    if not existing:  # written only now: a refused move leaves no row behind
        existing = [start(session, citizen, first, by=by, now=now)]
    by_id = {p.id: p for p in existing} | {None: existing[0]}
    summary = f"{citizen.full_name} flyttes til {_where(team, kt)} fra {format_date(on)}"
    if plan.corrects is not None:
        row = _repoint(
            session,
            by_id[plan.corrects.id],
            plan.team_id,
            plan.kontaktteam_id,
            by=by,
            now=now,
            summary=summary,
        )
    else:
        if plan.ends is not None:
            _end(session, citizen, by_id[plan.ends.id], on, by=by, now=now)
        row = _insert(
            session,
            citizen.id,
            plan.team_id,
            plan.kontaktteam_id,
            on,
            plan.valid_to,
            by=by,
            now=now,
            summary=summary,
        )
    if on <= today:
        bring_into_force(session, citizen, row)
    return row


def _repoint(session, row: CitizenPlacement, team_id, kontaktteam_id, *, by, now, summary):
    """A row not yet in force (or starting that very day) simply points elsewhere."""
    before = _values(row)
    row.team_id, row.kontaktteam_id = team_id, kontaktteam_id
    session.add(row)
    session.flush()
    _log(
        session,
        by=by,
        now=now,
        action=audit.Change.UPDATE,
        p=row,
        summary=summary,
        before=before,
        after=_values(row),
    )
    return row


def _end(session, citizen: Citizen, row: CitizenPlacement, on: date, *, by, now) -> None:
    """The row in force ends the day before `on`."""
    before = _values(row)
    row.valid_to = on - timedelta(days=1)
    session.add(row)
    session.flush()
    _log(
        session,
        by=by,
        now=now,
        action=audit.Change.END,
        p=row,
        summary=f"{citizen.full_name}: placering slutter {format_date(row.valid_to)}",
        before=before,
        after=_values(row),
    )


def _insert(
    session, citizen_id, team_id, kontaktteam_id, on: date, valid_to, *, by, now, summary
) -> CitizenPlacement:
    row = CitizenPlacement(
        citizen_id=citizen_id,
        team_id=team_id,
        kontaktteam_id=kontaktteam_id,
        valid_from=on,
        valid_to=valid_to,
        created_at=now,
        created_by_id=by,
    )
    session.add(row)
    session.flush()
    _log(
        session,
        by=by,
        now=now,
        action=audit.Change.CREATE,
        p=row,
        summary=summary,
        after=_values(row),
    )
    return row


def cancel_planned(
    session: Session, citizen: Citizen, placement_id: int, *, by: int, now: datetime, today: date
) -> None:
    """Fortryd a move that is not yet in force: it goes, and the placement before runs on."""
    existing = rows(session, citizen.id)  # type: ignore[arg-type]
    target = next((p for p in existing if p.id == placement_id), None)
    if target is None:
        raise Refused(["Flytningen findes ikke."], 404)
    previous, problems = rules.plan_cancel(_facts(existing), _facts([target])[0], today)
    if problems:
        raise Refused(problems, 409)
    summary = (
        f"{citizen.full_name}: planlagt flytning fra {format_date(target.valid_from)} fortrudt"
    )
    _log(
        session,
        by=by,
        now=now,
        action=audit.Change.CANCEL,
        p=target,
        summary=summary,
        before=_values(target),
    )
    if previous is not None:
        row = next(p for p in existing if p.id == previous.id)
        before = _values(row)
        row.valid_to = target.valid_to
        session.add(row)
        _log(
            session,
            by=by,
            now=now,
            action=audit.Change.UPDATE,
            p=row,
            summary=f"{citizen.full_name}: placering løber videre",
            before=before,
            after=_values(row),
        )
    session.delete(target)
    session.flush()


def reassign(
    session: Session,
    citizen: Citizen,
    row: CitizenPlacement,
    team_id: int,
    kontaktteam_id: int | None,
    on: date,
    *,
    by: int,
    now: datetime,
) -> CitizenPlacement:
    """In a reorganisation: `row` holds from `on` in the new place. A row that starts on or
    after `on` has never been in force and is pointed there; one in force before ends the day
    before and a new row carries on."""
    summary = f"{citizen.full_name} følger kontaktteamet fra {format_date(on)}"
    if row.valid_from >= on:
        return _repoint(session, row, team_id, kontaktteam_id, by=by, now=now, summary=summary)
    valid_to = row.valid_to
    _end(session, citizen, row, on, by=by, now=now)
    return _insert(
        session,
        row.citizen_id,
        team_id,
        kontaktteam_id,
        on,
        valid_to,
        by=by,
        now=now,
        summary=summary,
    )


def bring_into_force(session: Session, citizen: Citizen, placement: CitizenPlacement) -> None:
    """The citizen's team and kontaktteam as `placement` says (the row in force today)."""
    citizen.team_id, citizen.kontaktteam_id = placement.team_id, placement.kontaktteam_id
    session.add(citizen)
    session.flush()


def apply_due(session: Session, today: date) -> int:
    """Make every citizen's team and kontaktteam the placement in force today; the number of
    citizens changed. Idempotent, so two app processes doing it at once agree."""
    holds = and_(
        CitizenPlacement.citizen_id == Citizen.id,
        CitizenPlacement.valid_from <= today,
        or_(CitizenPlacement.valid_to.is_(None), CitizenPlacement.valid_to >= today),  # type: ignore[union-attr]
    )
    differs = or_(
        CitizenPlacement.team_id != Citizen.team_id,
        CitizenPlacement.kontaktteam_id.is_distinct_from(Citizen.kontaktteam_id),  # type: ignore[union-attr]
    )
    due = session.exec(
        select(Citizen, CitizenPlacement).join(CitizenPlacement, holds).where(differs)
    ).all()
    for citizen, placement in due:
        bring_into_force(session, citizen, placement)
    return len(due)


def init_app(app: Flask) -> None:
    """Before the first request of each day in each process: bring planned moves into force."""
    from webapp import clock
    from webapp.db import engine

    state: dict[str, date] = {}

    @app.before_request
    def _bring_moves_into_force() -> None:
        today = clock.today()
        if state.get("day") == today:
            return
        with Session(engine()) as session:
            apply_due(session, today)
            session.commit()
        state["day"] = today
