"""The board (*tavle*, DOMAIN §6): a team's citizens (or one kontaktteam's), rød and gul first,
and what changed since the board was last reviewed (*Gennemgået*).

A request reads the board in at most five statements, however many citizens: the team with
its kontaktteams and the newest review; the cards (colour with who set it and why, the last
TOBS, the overdue follow-ups); the open escalations; the open colour suggestions; and, once
the board has been reviewed, what happened since (one UNION ALL).
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from webapp.access.scope import in_scope
from webapp.board.changes import Change, Marker, changes_since, markers_by_citizen, when
from webapp.citizens.services import LastTobs
from webapp.clock import as_aware
from webapp.domain.citizens import TriageColour
from webapp.domain.dates import time_ago
from webapp.domain.escalation import WAITING, Status
from webapp.domain.followups import Status as FollowUpStatus
from webapp.domain.scope import Scope
from webapp.domain.triage import ChangeKind
from webapp.models import (
    BoardReview,
    Citizen,
    Escalation,
    FollowUp,
    Kontaktteam,
    Staff,
    Team,
    TobsMeasurement,
    TriageChange,
)

#: Escalations the board calls open: not yet closed by the sender.
OPEN_ESCALATION = (*WAITING, Status.ANSWERED.value)


# --- The team, its kontaktteams and the newest review ------------------------------------------


@dataclass(frozen=True)
class Review:
    at: datetime
    by: str
    when: str
    #: The kontaktteam the review was for; None = the whole team.
    kontaktteam_id: int | None


@dataclass(frozen=True)
class Header:
    team_id: int
    team_name: str
    #: (id, name) of the team's kontaktteams, by name.
    kontaktteams: tuple[tuple[int, str], ...]
    #: The kontaktteam the board is filtered to, or None for the whole team.
    kontaktteam: tuple[int, str] | None
    review: Review | None


def _reviews_for(team_id: int, kontaktteam_id: int | None) -> ColumnElement[bool]:
    """Which reviews count: on the whole team's board its own; on a kontaktteam's board the
    kontaktteam's and the whole team's (reviewing the team reviews every kontaktteam)."""
    if kontaktteam_id is None:
        return and_(BoardReview.team_id == team_id, BoardReview.kontaktteam_id.is_(None))  # type: ignore[union-attr]
    return and_(
        BoardReview.team_id == team_id,
        or_(BoardReview.kontaktteam_id.is_(None), BoardReview.kontaktteam_id == kontaktteam_id),  # type: ignore[union-attr]
    )


def header(
    session: Session,
    team_id: int,
    kontaktteam_id: int | None,
    now: datetime,
    zone: ZoneInfo,
) -> Header | None:
    """One statement. None when the team does not exist; `kontaktteam` is None when the
    asked-for kontaktteam is not one of the team's (the caller answers 404)."""
    newest = (
        select(
            BoardReview.reviewed_at,
            BoardReview.kontaktteam_id,
            Staff.full_name.label("by"),  # type: ignore[attr-defined]
        )
        .join(Staff, Staff.id == BoardReview.reviewed_by_id)  # type: ignore[arg-type]
        .where(_reviews_for(team_id, kontaktteam_id))
        .order_by(BoardReview.reviewed_at.desc(), BoardReview.id.desc())  # type: ignore[attr-defined]
        .limit(1)
        .subquery()
    )
    rows = session.exec(
        select(
            Team.name,
            Kontaktteam.id,
            Kontaktteam.name,
            newest.c.reviewed_at,
            newest.c.by,
            newest.c.kontaktteam_id,
        )
        .outerjoin(Kontaktteam, Kontaktteam.team_id == Team.id)  # type: ignore[arg-type]
        .outerjoin(newest, true())
        .where(Team.id == team_id)
        .order_by(Kontaktteam.name, Kontaktteam.id)
    ).all()
    if not rows:
        return None
    kontaktteams = tuple((kt_id, kt_name) for _, kt_id, kt_name, *_ in rows if kt_id is not None)
    review = None
    _, _, _, reviewed_at, by, review_kt = rows[0]
    if reviewed_at is not None:
        at = as_aware(reviewed_at)
        review = Review(at, by, when(at, now, zone), review_kt)
    chosen = next((kt for kt in kontaktteams if kt[0] == kontaktteam_id), None)
    return Header(team_id, rows[0][0], kontaktteams, chosen, review)


# --- The cards ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColourSet:
    """The newest colour set for the citizen: why, by whom, when."""

    id: int
    reason: str
    by: str
    at: datetime
    when: str


@dataclass(frozen=True)
class OpenEscalation:
    status: Status
    recipient: str
    answered_by: str | None
    sent_when: str

    @property
    def text(self) -> str:
        if self.status is Status.SENT:
            return f"Sendt til {self.recipient} {self.sent_when}, ikke set"
        if self.status is Status.SEEN:
            return f"Sendt {self.sent_when}, set af {self.recipient}, ikke besvaret"
        return f"Besvaret af {self.answered_by or self.recipient}"


@dataclass(frozen=True)
class Suggestion:
    id: int
    colour: TriageColour
    reason: str
    by: str
    when: str


@dataclass(frozen=True)
class Card:
    id: int
    full_name: str
    kontaktteam: str | None
    colour: TriageColour
    tobs_applies: bool
    colour_set: ColourSet | None
    last_tobs: LastTobs | None
    overdue_count: int
    oldest_overdue: str | None
    oldest_overdue_due: date | None
    escalations: tuple[OpenEscalation, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    markers: tuple[Marker, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.markers)

    @property
    def state(self) -> str:
        """Changes whenever the colour is set or suggested: the inline colour form's id ends
        with it, so an open form survives a poll (htmx hx-preserve) until the colour moves."""
        last_set = self.colour_set.id if self.colour_set else 0
        last_suggestion = max((s.id for s in self.suggestions), default=0)
        return f"{self.colour.value}-{last_set}-{last_suggestion}"


def in_view(scope: Scope, team_id: int, kontaktteam_id: int | None) -> ColumnElement[bool]:
    """The citizens on this board: in scope, of the team, maybe of one kontaktteam."""
    condition = and_(in_scope(scope), Citizen.team_id == team_id)
    if kontaktteam_id is not None:
        condition = and_(condition, Citizen.kontaktteam_id == kontaktteam_id)
    return condition


def _newest_colour_set(ids):
    """Per citizen, the newest colour *set* (not suggested) with the setter's name."""
    newest = (
        func.row_number()
        .over(
            partition_by=TriageChange.citizen_id,
            order_by=(TriageChange.set_at.desc(), TriageChange.id.desc()),  # type: ignore[attr-defined]
        )
        .label("rn")
    )
    return (
        select(
            TriageChange.citizen_id,
            TriageChange.id,
            TriageChange.reason,
            TriageChange.set_at,
            Staff.full_name,
            newest,
        )
        .join(Staff, Staff.id == TriageChange.set_by_id)  # type: ignore[arg-type]
        .where(TriageChange.kind == ChangeKind.SET.value, TriageChange.citizen_id.in_(ids))  # type: ignore[attr-defined]
        .subquery()
    )


def _last_tobs(ids):
    newest = (
        func.row_number()
        .over(
            partition_by=TobsMeasurement.citizen_id,
            order_by=(TobsMeasurement.at.desc(), TobsMeasurement.id.desc()),  # type: ignore[attr-defined]
        )
        .label("rn")
    )
    return (
        select(
            TobsMeasurement.citizen_id,
            TobsMeasurement.total,
            TobsMeasurement.complete,
            TobsMeasurement.at,
            newest,
        )
        .where(TobsMeasurement.citizen_id.in_(ids))  # type: ignore[attr-defined]
        .subquery()
    )


def _overdue(ids, now: datetime, today: date):
    """Per citizen, open follow-ups past their day (or their hour, when they have one): how
    many, and the oldest (`rn` = 1)."""
    late = or_(
        FollowUp.due_date < today,
        and_(FollowUp.due_at.isnot(None), FollowUp.due_at < now),  # type: ignore[union-attr,operator]
    )
    oldest = (
        func.row_number()
        .over(
            partition_by=FollowUp.citizen_id,
            order_by=(FollowUp.due_date, FollowUp.due_at, FollowUp.id),  # type: ignore[arg-type]
        )
        .label("rn")
    )
    count = func.count().over(partition_by=FollowUp.citizen_id).label("n")
    return (
        select(FollowUp.citizen_id, FollowUp.title, FollowUp.due_date, count, oldest)
        .where(
            FollowUp.status == FollowUpStatus.OPEN.value,
            late,
            FollowUp.citizen_id.in_(ids),  # type: ignore[attr-defined]
        )
        .subquery()
    )


def cards(
    session: Session, view: ColumnElement[bool], now: datetime, today: date, zone: ZoneInfo
) -> list[Card]:
    """Every citizen on the board, one statement; rød, gul, grøn, then by name."""
    ids = select(Citizen.id).where(view)
    colour_set = _newest_colour_set(ids)
    last = _last_tobs(ids)
    overdue = _overdue(ids, now, today)
    rows = session.exec(
        select(
            Citizen.id,
            Citizen.full_name,
            Kontaktteam.name,
            Citizen.triage_colour,
            Citizen.tobs_applies,
            colour_set.c.id,
            colour_set.c.reason,
            colour_set.c.set_at,
            colour_set.c.full_name,
            last.c.total,
            last.c.complete,
            last.c.at,
            overdue.c.n,
            overdue.c.title,
            overdue.c.due_date,
        )
        .outerjoin(Kontaktteam, Kontaktteam.id == Citizen.kontaktteam_id)  # type: ignore[arg-type]
        .outerjoin(colour_set, and_(colour_set.c.citizen_id == Citizen.id, colour_set.c.rn == 1))
        .outerjoin(last, and_(last.c.citizen_id == Citizen.id, last.c.rn == 1))
        .outerjoin(overdue, and_(overdue.c.citizen_id == Citizen.id, overdue.c.rn == 1))
        .where(view)
    ).all()
    found = []
    for row in rows:
        cid, name, kt, colour, tobs_applies, set_id, reason, set_at, setter = row[:9]
        total, complete, tobs_at, n_overdue, oldest, oldest_due = row[9:]
        set_at = as_aware(set_at) if set_at else None
        tobs_at = as_aware(tobs_at) if tobs_at else None
        found.append(
            Card(
                id=cid,
                full_name=name,
                kontaktteam=kt,
                colour=TriageColour(colour),
                tobs_applies=tobs_applies,
                colour_set=ColourSet(set_id, reason, setter, set_at, when(set_at, now, zone))
                if set_at
                else None,
                last_tobs=LastTobs(total, bool(complete), tobs_at, time_ago(tobs_at, now))
                if tobs_at
                else None,
                overdue_count=int(n_overdue or 0),
                oldest_overdue=oldest,
                oldest_overdue_due=oldest_due,
            )
        )
    found.sort(key=lambda c: (c.colour.urgency, c.full_name.casefold(), c.id))
    return found


def open_escalations(
    session: Session, view: ColumnElement[bool], now: datetime, zone: ZoneInfo
) -> dict[int, tuple[OpenEscalation, ...]]:
    """Each citizen's escalations not yet closed, oldest first: one statement."""
    recipient, answerer = aliased(Staff), aliased(Staff)
    rows = session.exec(
        select(Escalation.citizen_id, Escalation.status, Escalation.sent_at)
        .add_columns(recipient.full_name, answerer.full_name)
        .join(recipient, recipient.id == Escalation.recipient_id)  # type: ignore[arg-type]
        .outerjoin(answerer, answerer.id == Escalation.answered_by_id)  # type: ignore[arg-type]
        .where(
            Escalation.status.in_(OPEN_ESCALATION),  # type: ignore[attr-defined]
            Escalation.citizen_id.in_(select(Citizen.id).where(view)),  # type: ignore[attr-defined]
        )
        .order_by(Escalation.sent_at, Escalation.id)
    ).all()
    found: dict[int, list[OpenEscalation]] = defaultdict(list)
    for cid, status, sent_at, to, by in rows:
        sent = when(as_aware(sent_at), now, zone)
        found[cid].append(OpenEscalation(Status(status), to, by, sent))
    return {cid: tuple(items) for cid, items in found.items()}


def open_suggestions(
    session: Session, view: ColumnElement[bool], now: datetime, zone: ZoneInfo
) -> dict[int, tuple[Suggestion, ...]]:
    """Suggested colours nobody has decided on yet (no colour set after them), newest
    first, per citizen: one statement."""
    later = aliased(TriageChange)
    decided = exists().where(
        later.citizen_id == TriageChange.citizen_id,
        later.kind == ChangeKind.SET.value,
        or_(
            later.set_at > TriageChange.set_at,
            and_(later.set_at == TriageChange.set_at, later.id > TriageChange.id),  # type: ignore[operator]
        ),
    )
    rows = session.exec(
        select(
            TriageChange.citizen_id,
            TriageChange.id,
            TriageChange.colour,
            TriageChange.reason,
            TriageChange.set_at,
            Staff.full_name,
        )
        .join(Staff, Staff.id == TriageChange.set_by_id)  # type: ignore[arg-type]
        .where(
            TriageChange.kind == ChangeKind.SUGGESTED.value,
            TriageChange.citizen_id.in_(select(Citizen.id).where(view)),  # type: ignore[attr-defined]
            ~decided,
        )
        .order_by(TriageChange.set_at.desc(), TriageChange.id.desc())  # type: ignore[attr-defined]
    ).all()
    found: dict[int, list[Suggestion]] = defaultdict(list)
    for cid, sid, colour, reason, at, by in rows:
        found[cid].append(
            Suggestion(sid, TriageColour(colour), reason, by, when(as_aware(at), now, zone))
        )
    return {cid: tuple(items) for cid, items in found.items()}


# --- The whole board ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Board:
    header: Header
    red: list[Card]
    yellow: list[Card]
    green: list[Card]
    changes: list[Change]
    more_changes: bool

    @property
    def citizen_ids(self) -> list[int]:
        return [c.id for c in (*self.red, *self.yellow, *self.green)]

    @property
    def change_count(self) -> int:
        return len(self.changes)

    @property
    def changed_green(self) -> int:
        return sum(1 for c in self.green if c.changed)

    @property
    def green_key(self) -> str:
        """Changes with what the grøn list shows: while it stays the same, an opened list
        stays open when the board refreshes (hx-preserve on an id ending with it)."""
        return _key(self.green)

    @property
    def changes_key(self) -> str:
        return _key(self.changes)


def _key(items) -> str:
    return hashlib.blake2b(repr(items).encode(), digest_size=6).hexdigest()


def board(
    session: Session,
    scope: Scope,
    head: Header,
    now: datetime,
    today: date,
    zone: ZoneInfo,
) -> Board:
    """The board under `head` (from header()): four statements, three before any review."""
    kontaktteam_id = head.kontaktteam[0] if head.kontaktteam else None
    view = in_view(scope, head.team_id, kontaktteam_id)
    found = cards(session, view, now, today, zone)
    escalations = open_escalations(session, view, now, zone) if found else {}
    suggestions = open_suggestions(session, view, now, zone) if found else {}
    changes: list[Change] = []
    more = False
    if head.review is not None and found:
        names = {c.id: c.full_name for c in found}
        changes, more = changes_since(session, view, head.review.at, now, zone, names)
    markers = markers_by_citizen(changes)
    complete = [
        replace(
            c,
            escalations=escalations.get(c.id, ()),
            suggestions=suggestions.get(c.id, ()),
            markers=markers.get(c.id, ()),
        )
        for c in found
    ]
    by_colour: dict[TriageColour, list[Card]] = defaultdict(list)
    for card in complete:
        by_colour[card.colour].append(card)
    return Board(
        header=head,
        red=by_colour[TriageColour.RED],
        yellow=by_colour[TriageColour.YELLOW],
        green=by_colour[TriageColour.GREEN],
        changes=changes,
        more_changes=more,
    )


# --- The chooser ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamChoice:
    id: int
    name: str
    red: int
    yellow: int
    citizens: int
    own: bool


def team_choices(session: Session, scope: Scope, own_team_ids: frozenset[int]) -> list[TeamChoice]:
    """The teams in scope with how many rød and gul citizens each: one statement. The
    person's own teams first, then by name."""
    red = func.sum(case((Citizen.triage_colour == TriageColour.RED.value, 1), else_=0))
    yellow = func.sum(case((Citizen.triage_colour == TriageColour.YELLOW.value, 1), else_=0))
    rows = session.exec(
        select(Team.id, Team.name, red, yellow, func.count(Citizen.id))  # type: ignore[arg-type]
        .outerjoin(Citizen, Citizen.team_id == Team.id)  # type: ignore[arg-type]
        .where(Team.id.in_(sorted(scope.team_ids)))  # type: ignore[union-attr]
        .group_by(Team.id, Team.name)
    ).all()
    choices = [
        TeamChoice(tid, name, int(r or 0), int(y or 0), int(n or 0), tid in own_team_ids)
        for tid, name, r, y, n in rows
    ]
    choices.sort(key=lambda t: (not t.own, t.name.casefold(), t.id))
    return choices
