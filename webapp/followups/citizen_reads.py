"""Reads for the follow-up sections of a citizen's page: the last closed follow-ups, the
pathway history, the weighings, and the staff who can see the citizen (owners to choose)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, literal, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from webapp import clock
from webapp.domain.citizens import PathwayType
from webapp.domain.followups import Status
from webapp.domain.roles import sees_citizens
from webapp.followups import weight
from webapp.models import Citizen, FollowUp, Membership, MembershipKind, Pathway, Staff, Weighing

#: Weighings read for the curve and its baseline (6 months shown, 3 months + 120 days back).
WEIGHINGS_DAYS = 400


@dataclass(frozen=True)
class ClosedRow:
    follow_up: FollowUp
    owner_name: str
    done_by_name: str | None

    @property
    def status(self) -> Status:
        return Status(self.follow_up.status)


@dataclass(frozen=True)
class PathwayRow:
    pathway: Pathway
    forloebsansvarlig: str | None

    @property
    def current(self) -> bool:
        return self.pathway.ended_on is None

    @property
    def forloebsansvarlig_text(self) -> str:
        if self.forloebsansvarlig:
            return self.forloebsansvarlig
        if self.pathway.pathway_type is PathwayType.PERMANENT_MODERATE:
            return "Ingen (varigt moderat)"
        return "Ikke registreret"


def closed_for_citizen(session: Session, citizen_id: int, limit: int) -> list[ClosedRow]:
    """The citizen's latest done or cancelled follow-ups, latest due first."""
    owner, doer = aliased(Staff), aliased(Staff)
    rows = session.exec(
        select(FollowUp, owner.full_name, doer.full_name)
        .join(owner, owner.id == FollowUp.owner_id)
        .outerjoin(doer, doer.id == FollowUp.done_by_id)
        .where(FollowUp.citizen_id == citizen_id, FollowUp.status != Status.OPEN.value)
        .order_by(FollowUp.due_date.desc(), FollowUp.id.desc())  # type: ignore[attr-defined]
        .limit(limit)
    ).all()
    return [ClosedRow(f, owner_name, done_by) for f, owner_name, done_by in rows]


def pathway_history(session: Session, citizen: Citizen) -> list[PathwayRow]:
    """Every pathway, newest first, with its forløbsansvarlig: the citizen's for the current
    one, the one the pathway recorded for the old ones."""
    responsible = case(
        (Pathway.ended_on.is_(None), literal(citizen.forloebsansvarlig_id)),  # type: ignore[union-attr]
        else_=Pathway.forloebsansvarlig_id,
    )
    rows = session.exec(
        select(Pathway, Staff.full_name)
        .outerjoin(Staff, Staff.id == responsible)
        .where(Pathway.citizen_id == citizen.id)
        .order_by(Pathway.started_on.desc(), Pathway.id.desc())  # type: ignore[attr-defined]
    ).all()
    return [PathwayRow(p, name) for p, name in rows]


def weighings(session: Session, citizen_id: int, today: date) -> list[weight.Weight]:
    since = datetime.combine(today - timedelta(days=WEIGHINGS_DAYS), time(), UTC)
    rows = session.exec(
        select(Weighing.at, Weighing.kg)
        .where(Weighing.citizen_id == citizen_id, Weighing.at >= since)
        .order_by(Weighing.at, Weighing.id)  # type: ignore[arg-type]
    ).all()
    return [weight.Weight(clock.to_local(at), kg) for at, kg in rows]


def people_who_see(session: Session, citizen: Citizen, today: date) -> list[Staff]:
    """Active staff who see the citizen today: the team's members and the nurses and
    therapists attached to it (basisteam), each by a membership valid today."""
    rows = session.exec(
        select(Staff)
        .join(Membership, Membership.staff_id == Staff.id)
        .where(
            Membership.team_id == citizen.team_id,
            Membership.kind.in_((MembershipKind.TEAM, MembershipKind.BASISTEAM)),  # type: ignore[attr-defined]
            Membership.valid_from <= today,
            or_(Membership.valid_to.is_(None), Membership.valid_to >= today),  # type: ignore[union-attr,operator]
            Staff.active.is_(True),  # type: ignore[attr-defined]
        )
        .distinct()
        .order_by(Staff.full_name, Staff.id)  # type: ignore[arg-type]
    ).all()
    return [s for s in rows if sees_citizens(s.role_set)]


def current_pathway(session: Session, citizen_id: int) -> Pathway | None:
    return session.exec(
        select(Pathway).where(Pathway.citizen_id == citizen_id, Pathway.ended_on.is_(None))  # type: ignore[union-attr]
    ).first()
