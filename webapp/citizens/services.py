"""Reads for Mine borgere and the citizen page. Every query starts from the scope."""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, func, literal, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from webapp.access.scope import in_scope
from webapp.clock import as_aware
from webapp.domain.citizens import TriageColour, list_sort_key
from webapp.domain.dates import age_on, is_valid_on, time_ago
from webapp.domain.roles import Role
from webapp.domain.scope import Scope
from webapp.domain.triage import ChangeKind
from webapp.followups.lists import Next, next_follow_up
from webapp.models import (
    Citizen,
    Escalation,
    FollowUp,
    Kontaktteam,
    Membership,
    MembershipKind,
    Pathway,
    Staff,
    Team,
    TobsMeasurement,
    TriageChange,
)
from webapp.observations.services import NO_FACTS, NudgeState, nudge_states

MAX_QUERY_LENGTH = 80


@dataclass(frozen=True)
class Person:
    name: str
    phone: str | None
    role_labels: str = ""


@dataclass(frozen=True)
class LastTobs:
    total: int
    complete: bool
    at: datetime
    ago: str

    @property
    def text(self) -> str:
        return f"TOBS {self.total}" + ("" if self.complete else " (ufuldstændig)")


@dataclass(frozen=True)
class CitizenCard:
    """What a card in Mine borgere shows: just these columns, not whole Citizen rows."""

    id: int
    full_name: str
    age: int
    short_address: str
    colour: TriageColour
    kontaktperson: Person
    forloebsansvarlig: Person | None
    in_own_kontaktteam: bool
    last_tobs: LastTobs | None = None
    nudge: NudgeState = NO_FACTS
    tobs_applies: bool = True
    next_follow_up: Next | None = None
    #: The newest request to a nurse that is not closed: (status, recipient's name).
    escalation: tuple[str, str] | None = None

    @property
    def needs_tobs(self) -> bool:
        """The nudge holds, and TOBS is used for this citizen."""
        return self.nudge.needs_tobs and self.tobs_applies


def _last(total: int | None, complete: bool | None, at: datetime | None, now) -> LastTobs | None:
    if at is None or total is None:
        return None
    return LastTobs(total, bool(complete), as_aware(at), time_ago(as_aware(at), now))


def _person(name: str | None, phone: str | None) -> Person | None:
    return Person(name, phone) if name else None


class Part(StrEnum):
    """Which of the person's citizens a Mine borgere request is for."""

    OWN = "own"  # the own kontaktteam(s)
    REST = "rest"  # the rest of the team
    ALL = "all"


def _part_condition(scope: Scope, part: Part) -> ColumnElement[bool]:
    own = Citizen.kontaktteam_id.in_(sorted(scope.own_kontaktteam_ids))  # type: ignore[union-attr]
    if part is Part.OWN:
        return and_(in_scope(scope), own)
    if part is Part.REST:
        return and_(in_scope(scope), or_(Citizen.kontaktteam_id.is_(None), ~own))  # type: ignore[union-attr]
    return in_scope(scope)


def _last_tobs(shown: ColumnElement[bool]):
    """Each in-scope citizen's newest TOBS (row number 1 per citizen)."""
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
        .where(TobsMeasurement.citizen_id.in_(select(Citizen.id).where(shown)))  # type: ignore[attr-defined]
        .subquery()
    )


def _open_escalation(in_view):
    """Each citizen's newest request to a nurse that is not closed, with its recipient."""
    newest = (
        func.row_number()
        .over(
            partition_by=Escalation.citizen_id,
            order_by=(Escalation.sent_at.desc(), Escalation.id.desc()),  # type: ignore[attr-defined]
        )
        .label("rn")
    )
    return (
        select(Escalation.citizen_id, Escalation.status, Staff.full_name, newest)
        .join(Staff, Staff.id == Escalation.recipient_id)  # type: ignore[arg-type]
        .where(
            Escalation.status.in_(("sendt", "set", "besvaret")),  # type: ignore[attr-defined]
            Escalation.citizen_id.in_(in_view),  # type: ignore[attr-defined]
        )
        .subquery()
    )


def citizen_cards(
    session: Session,
    scope: Scope,
    now: datetime,
    today: date,
    query: str = "",
    part: Part = Part.ALL,
) -> tuple[list[CitizenCard], int]:
    """Mine borgere in two queries however many citizens: the cards of `part` (with both
    responsible people, the last TOBS and the next follow-up) and the nudge facts. Own
    kontaktteam first, then rød, needs TOBS, gul, grøn. Also returns how many citizens of the
    rest of the team were left out (for OWN)."""
    kp = aliased(Staff)
    fa = aliased(Staff)
    shown = _part_condition(scope, part)
    last = _last_tobs(shown)
    in_view = select(Citizen.id).where(shown)
    rest_count = (
        select(func.count())
        .select_from(Citizen)
        .where(_part_condition(scope, Part.REST))
        .scalar_subquery()
        if part is Part.OWN
        else literal(0)
    )
    following = next_follow_up(FollowUp.citizen_id.in_(in_view), today)  # type: ignore[attr-defined]
    open_escalation = _open_escalation(in_view)
    stmt = (
        select(
            Citizen.id,
            Citizen.full_name,
            Citizen.birth_date,
            Citizen.street,
            Citizen.city,
            Citizen.kontaktteam_id,
            Citizen.triage_colour,
            kp.full_name,
            kp.phone,
            fa.full_name,
            fa.phone,
            last.c.total,
            last.c.complete,
            last.c.at,
            Citizen.tobs_applies,
            following.c.title,
            following.c.due_date,
            following.c.overdue,
            rest_count,
            open_escalation.c.status,
            open_escalation.c.full_name,
        )
        .join(kp, kp.id == Citizen.kontaktperson_id)
        .outerjoin(fa, fa.id == Citizen.forloebsansvarlig_id)
        .outerjoin(last, and_(last.c.citizen_id == Citizen.id, last.c.rn == 1))
        .outerjoin(following, and_(following.c.citizen_id == Citizen.id, following.c.rn == 1))
        .outerjoin(
            open_escalation,
            and_(open_escalation.c.citizen_id == Citizen.id, open_escalation.c.rn == 1),
        )
        .where(shown)
    )
    for word in query.strip()[:MAX_QUERY_LENGTH].split():
        like = f"%{word.casefold()}%"
        stmt = stmt.where(
            or_(
                func.lower(Citizen.full_name).like(like),
                func.lower(Citizen.street).like(like),
                func.lower(Citizen.city).like(like),
            )
        )
    rows = session.exec(stmt).all()
    nudges = nudge_states(session, lambda column: column.in_(in_view), now) if rows else {}
    cards = [
        CitizenCard(
            id=row[0],
            full_name=row[1],
            age=age_on(row[2], today),
            short_address=f"{row[3]}, {row[4]}",
            colour=TriageColour(row[6]),
            kontaktperson=Person(row[7], row[8]),
            forloebsansvarlig=_person(row[9], row[10]),
            in_own_kontaktteam=row[5] in scope.own_kontaktteam_ids,
            last_tobs=_last(row[11], row[12], row[13], now),
            nudge=nudges.get(row[0], NO_FACTS),
            tobs_applies=row[14],
            next_follow_up=Next(row[15], row[16], int(row[17] or 0)) if row[15] else None,
            escalation=(row[19], row[20]) if row[19] else None,
        )
        for row in rows
    ]
    cards.sort(
        key=lambda k: list_sort_key(k.in_own_kontaktteam, k.colour, k.needs_tobs, k.full_name)
    )
    return cards, int(rows[0][18]) if rows else 0


@dataclass(frozen=True)
class CitizenDetails:
    citizen: Citizen
    card: CitizenCard
    team: Team
    kontaktteam: Kontaktteam | None
    pathway: Pathway | None
    last_triage: TriageChange | None
    triage_set_by: str | None
    basisteam: list[Person]


def citizen_details(
    session: Session, scope: Scope, citizen: Citizen, today: date
) -> CitizenDetails:
    kp = session.get(Staff, citizen.kontaktperson_id)
    fa = session.get(Staff, citizen.forloebsansvarlig_id) if citizen.forloebsansvarlig_id else None
    pathway = session.exec(
        select(Pathway).where(Pathway.citizen_id == citizen.id, Pathway.ended_on.is_(None))  # type: ignore[union-attr]
    ).first()
    triage = session.exec(
        select(TriageChange, Staff.full_name)
        .join(Staff, Staff.id == TriageChange.set_by_id)
        .where(TriageChange.citizen_id == citizen.id, TriageChange.kind == ChangeKind.SET.value)
        .order_by(TriageChange.set_at.desc(), TriageChange.id.desc())  # type: ignore[attr-defined]
    ).first()
    assert kp is not None
    card = CitizenCard(
        id=citizen.id,  # type: ignore[arg-type]
        full_name=citizen.full_name,
        age=age_on(citizen.birth_date, today),
        short_address=citizen.short_address,
        colour=citizen.colour,
        tobs_applies=citizen.tobs_applies,
        kontaktperson=Person(kp.full_name, kp.phone, kp.role_labels),
        forloebsansvarlig=Person(fa.full_name, fa.phone, fa.role_labels) if fa else None,
        in_own_kontaktteam=citizen.kontaktteam_id in scope.own_kontaktteam_ids,
    )
    return CitizenDetails(
        citizen=citizen,
        card=card,
        team=session.get(Team, citizen.team_id),  # type: ignore[arg-type]
        kontaktteam=session.get(Kontaktteam, citizen.kontaktteam_id)
        if citizen.kontaktteam_id
        else None,
        pathway=pathway,
        last_triage=triage[0] if triage else None,
        triage_set_by=triage[1] if triage else None,
        basisteam=basisteam_people(session, citizen.team_id, today),
    )


def basisteam_staff(session: Session, team_id: int, today: date) -> list[Staff]:
    """The named nurses and therapists attached to the team today, by name."""
    rows = session.exec(
        select(Staff, Membership)
        .join(Membership, Membership.staff_id == Staff.id)
        .where(
            Membership.kind == MembershipKind.BASISTEAM,
            Membership.team_id == team_id,
            Staff.active.is_(True),  # type: ignore[attr-defined]
        )
        .order_by(Staff.full_name)
    ).all()
    return [
        s
        for s, m in rows
        if is_valid_on(m.valid_from, m.valid_to, today)
        and s.role_set & {Role.NURSE, Role.THERAPIST}
    ]


def basisteam_people(session: Session, team_id: int, today: date) -> list[Person]:
    """The named nurses and therapists attached to the team today."""
    return [
        Person(s.full_name, s.phone, s.role_labels)
        for s in basisteam_staff(session, team_id, today)
    ]
