"""What the conference list shows per citizen (screen and PDF), in a fixed number of
queries however long the list."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from webapp.clock import as_aware
from webapp.domain.citizens import TriageColour
from webapp.domain.dates import age_on
from webapp.domain.escalation import Priority
from webapp.domain.escalation import Status as EscalationStatus
from webapp.models import (
    Citizen,
    Conference,
    ConferenceItem,
    Escalation,
    FollowUp,
    Observation,
    ObservationEntry,
    ObservationItem,
    Staff,
    TobsMeasurement,
)

WINDOW = timedelta(days=7)


@dataclass
class Row:
    item: ConferenceItem
    citizen_id: int
    name: str
    age: int
    colour: TriageColour
    raised_by: str
    kontaktperson: str | None
    forloebsansvarlig: str | None
    latest_tobs: tuple[int, bool, datetime] | None = None
    observations: list[tuple[datetime, list[str], str]] = field(default_factory=list)
    follow_ups: list[tuple[str, date, bool]] = field(default_factory=list)
    escalations: list[tuple[str, str, str]] = field(default_factory=list)
    decision_owner: str | None = None


def list_rows(
    session: Session,
    conference: Conference,
    now: datetime,
    today: date,
    statuses: tuple[str, ...] = ("paa_listen", "behandlet"),
) -> list[Row]:
    raiser, kp, fa, owner = aliased(Staff), aliased(Staff), aliased(Staff), aliased(Staff)
    rows = session.exec(
        select(
            ConferenceItem, Citizen, raiser.full_name, kp.full_name, fa.full_name, owner.full_name
        )
        .join(Citizen, Citizen.id == ConferenceItem.citizen_id)  # type: ignore[arg-type]
        .join(raiser, raiser.id == ConferenceItem.raised_by_id)  # type: ignore[arg-type]
        .join(kp, kp.id == Citizen.kontaktperson_id)  # type: ignore[arg-type]
        .outerjoin(fa, fa.id == Citizen.forloebsansvarlig_id)  # type: ignore[arg-type]
        .outerjoin(owner, owner.id == ConferenceItem.decision_owner_id)  # type: ignore[arg-type]
        .where(
            ConferenceItem.conference_id == conference.id,
            ConferenceItem.status.in_(statuses),  # type: ignore[attr-defined]
        )
        .order_by(ConferenceItem.position, ConferenceItem.id)  # type: ignore[arg-type]
    ).all()
    result = [
        Row(
            item=item,
            citizen_id=c.id,
            name=c.full_name,
            age=age_on(c.birth_date, today),
            colour=TriageColour(c.triage_colour),
            raised_by=raised_by,
            kontaktperson=kp_name,
            forloebsansvarlig=fa_name,
            decision_owner=owner_name,
        )
        for item, c, raised_by, kp_name, fa_name, owner_name in rows
    ]
    if result:
        _add_facts(session, {r.citizen_id: r for r in result}, now, today)
    return result


def _add_facts(session: Session, by_id: dict[int, Row], now: datetime, today: date) -> None:
    ids = list(by_id)
    newest = (
        select(
            TobsMeasurement.citizen_id,
            TobsMeasurement.total,
            TobsMeasurement.complete,
            TobsMeasurement.at,
            func.row_number()
            .over(
                partition_by=TobsMeasurement.citizen_id,
                order_by=TobsMeasurement.at.desc(),  # type: ignore[attr-defined]
            )
            .label("rn"),
        )
        .where(TobsMeasurement.citizen_id.in_(ids))  # type: ignore[attr-defined]
        .subquery()
    )
    for citizen_id, total, complete, at in session.exec(
        select(newest.c.citizen_id, newest.c.total, newest.c.complete, newest.c.at).where(
            newest.c.rn == 1
        )
    ).all():
        by_id[citizen_id].latest_tobs = (total, complete, as_aware(at))
    corrected = select(Observation.corrects_id).where(Observation.corrects_id.isnot(None))  # type: ignore[union-attr]
    labels: dict[int, list[str]] = defaultdict(list)
    observations = session.exec(
        select(Observation, ObservationItem.label)
        .outerjoin(ObservationEntry, ObservationEntry.observation_id == Observation.id)  # type: ignore[arg-type]
        .outerjoin(ObservationItem, ObservationItem.id == ObservationEntry.item_id)  # type: ignore[arg-type]
        .where(
            Observation.citizen_id.in_(ids),  # type: ignore[attr-defined]
            Observation.at >= now - WINDOW,
            Observation.no_change.is_(False),  # type: ignore[attr-defined]
            Observation.id.notin_(corrected),  # type: ignore[union-attr]
        )
        .order_by(Observation.at.desc(), ObservationItem.position)  # type: ignore[attr-defined]
    ).all()
    seen: dict[int, Observation] = {}
    for observation, label in observations:
        seen.setdefault(observation.id, observation)  # type: ignore[arg-type]
        if label:
            labels[observation.id].append(label)  # type: ignore[index]
    for observation in seen.values():
        by_id[observation.citizen_id].observations.append(
            (as_aware(observation.at), labels[observation.id], observation.note)  # type: ignore[index]
        )
    for citizen_id, title, due, in_the_past in session.exec(
        select(
            FollowUp.citizen_id,
            FollowUp.title,
            FollowUp.due_date,
            FollowUp.due_date < today,
        )
        .where(
            FollowUp.citizen_id.in_(ids),  # type: ignore[attr-defined]
            FollowUp.status == "aaben",
            FollowUp.due_date <= today + timedelta(days=14),
        )
        .order_by(FollowUp.due_date)
    ).all():
        by_id[citizen_id].follow_ups.append((title, due, bool(in_the_past)))
    recipient = aliased(Staff)
    for citizen_id, priority, status, name in session.exec(
        select(Escalation.citizen_id, Escalation.priority, Escalation.status, recipient.full_name)
        .join(recipient, recipient.id == Escalation.recipient_id)  # type: ignore[arg-type]
        .where(
            and_(
                Escalation.citizen_id.in_(ids),  # type: ignore[attr-defined]
                Escalation.status != EscalationStatus.CLOSED.value,
            )
        )
        .order_by(Escalation.sent_at.desc())  # type: ignore[attr-defined]
    ).all():
        by_id[citizen_id].escalations.append(
            (Priority(priority).label, EscalationStatus(status).label, name)
        )
