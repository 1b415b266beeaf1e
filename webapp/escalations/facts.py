"""Gather what the ISBAR pre-fill needs from the database (the text itself is built by the
pure webapp/domain/isbar.py)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from webapp.clock import as_aware
from webapp.domain.citizens import PathwayType
from webapp.domain.dates import age_on
from webapp.domain.escalation import Priority, priority_for_tobs, within_text
from webapp.domain.isbar import Isbar, IsbarFacts, ObservationFact, TobsFact, build_isbar
from webapp.models import (
    Citizen,
    Observation,
    ObservationEntry,
    ObservationItem,
    Pathway,
    Staff,
    TobsMeasurement,
    TriageChange,
)
from webapp.tobs.services import action_table, input_of, judge

WINDOW = timedelta(days=7)
#: Only a TOBS from the last day sets the hast of a new request.
RECENT_TOBS = timedelta(hours=24)


@dataclass(frozen=True)
class Prefill:
    isbar: Isbar
    #: The hast the latest TOBS guidance calls for, if it calls for escalation.
    tobs_priority: Priority | None
    last_tobs_id: int | None


def _tobs(session: Session, citizen: Citizen, since: datetime, zone: ZoneInfo):
    rows = session.exec(
        select(TobsMeasurement)
        .where(TobsMeasurement.citizen_id == citizen.id, TobsMeasurement.at >= since)
        .order_by(TobsMeasurement.at.desc())  # type: ignore[attr-defined]
        .limit(10)
    ).all()
    facts, judgement = [], None
    for i, m in enumerate(rows):
        scoring: list[tuple[str, str, int]] = []
        if i == 0:
            judgement = judge(input_of(m), citizen, action_table(session, m.action_version_id))
            scoring = [
                (line.label.lower(), line.value or "", line.points)
                for line in judgement.lines
                if line.points
            ]
        facts.append(TobsFact(as_aware(m.at).astimezone(zone), m.total, m.complete, scoring))
    return rows, facts, judgement


def _observations(session: Session, citizen_id: int, since: datetime, zone: ZoneInfo):
    corrected = select(Observation.corrects_id).where(
        Observation.citizen_id == citizen_id,
        Observation.corrects_id.isnot(None),  # type: ignore[union-attr]
    )
    rows = session.exec(
        select(Observation)
        .where(
            Observation.citizen_id == citizen_id,
            Observation.at >= since,
            Observation.no_change.is_(False),  # type: ignore[attr-defined]
            Observation.id.notin_(corrected),  # type: ignore[union-attr]
        )
        .order_by(Observation.at.desc())  # type: ignore[attr-defined]
    ).all()
    labels: dict[int, list[str]] = {}
    if rows:
        entries = session.exec(
            select(ObservationEntry.observation_id, ObservationItem.label)
            .join(ObservationItem, ObservationItem.id == ObservationEntry.item_id)  # type: ignore[arg-type]
            .where(ObservationEntry.observation_id.in_([o.id for o in rows]))  # type: ignore[attr-defined]
            .order_by(ObservationItem.position)
        ).all()
        for observation_id, label in entries:
            labels.setdefault(observation_id, []).append(label)
    return [
        ObservationFact(as_aware(o.at).astimezone(zone), labels.get(o.id, []), o.note)  # type: ignore[arg-type]
        for o in rows
    ]


def _colour(session: Session, citizen_id: int):
    return session.exec(
        select(TriageChange)
        .where(TriageChange.citizen_id == citizen_id, TriageChange.kind == "sat")
        .order_by(TriageChange.set_at.desc())  # type: ignore[attr-defined]
    ).first()


def _habitual(c: Citizen) -> list[tuple[str, str]]:
    pairs = [
        ("puls", c.habitual_pulse),
        ("systolisk BT", c.habitual_systolic_bp),
        ("respiration", c.habitual_respiration),
        ("mobilitet:", c.habitual_mobility),
        ("appetit:", c.habitual_appetite),
        ("kognition:", c.habitual_cognition),
    ]
    return [(label, str(value)) for label, value in pairs if value not in (None, "")]


def prefill(
    session: Session,
    citizen: Citizen,
    sender: Staff,
    now: datetime,
    zone: ZoneInfo,
    within: dict[Priority, timedelta],
    priority: Priority,
) -> Prefill:
    since = now - WINDOW
    tobs_rows, tobs, judgement = _tobs(session, citizen, since, zone)
    colour = _colour(session, citizen.id)  # type: ignore[arg-type]
    pathway = session.exec(
        select(Pathway).where(Pathway.citizen_id == citizen.id, Pathway.ended_on.is_(None))  # type: ignore[union-attr]
    ).first()
    action = judgement.action if judgement else None
    local = now.astimezone(zone)
    facts = IsbarFacts(
        now=local,
        citizen_name=citizen.full_name,
        age=age_on(citizen.birth_date, local.date()),
        address=citizen.short_address,
        sender_name=sender.full_name,
        sender_role=sender.role_labels,
        sender_phone=sender.phone,
        colour_label=citizen.colour.label,
        colour_since=as_aware(colour.set_at).astimezone(zone) if colour else None,
        colour_reason=colour.reason if colour else None,
        pathway_label=PathwayType(pathway.type).label if pathway else None,
        key_notes=citizen.key_note_list,
        tobs_applies=citizen.tobs_applies,
        habitual=_habitual(citizen),
        tobs=tobs,
        observations=_observations(session, citizen.id, since, zone),  # type: ignore[arg-type]
        habitual_pulse=citizen.habitual_pulse,
        last_pulse=tobs_rows[0].pulse if tobs_rows else None,
        habitual_systolic=citizen.habitual_systolic_bp,
        last_systolic=tobs_rows[0].systolic if tobs_rows else None,
        guidance=action.text if action else None,
        answer_within=within_text(within[priority]),
    )
    recent = bool(tobs_rows) and as_aware(tobs_rows[0].at) >= now - RECENT_TOBS
    return Prefill(
        isbar=build_isbar(facts),
        tobs_priority=(
            priority_for_tobs(action.urgency, action.escalate) if action and recent else None
        ),
        last_tobs_id=tobs_rows[0].id if tobs_rows else None,
    )
