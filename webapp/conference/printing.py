"""Fill the PDFs' `ConferenceSheet` from the database (the layout is webapp/conference/pdf.py
and templates/print/)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from webapp.clock import as_aware
from webapp.conference.reads import Row, list_rows
from webapp.conference.sheet import (
    ConferenceSheet,
    ItemSheet,
    ObservationLine,
    PathwayChange,
    TobsReading,
    day_text,
)
from webapp.domain.citizens import PathwayType, TriageColour
from webapp.models import Conference, ConferenceItem, FollowUp, Pathway, Staff, Team

ALL = ("paa_listen", "behandlet", "flyttet", "fjernet")


def build_sheet(
    session: Session,
    conference: Conference,
    printed_by: str,
    now: datetime,
    zone: ZoneInfo,
    today: date,
) -> ConferenceSheet:
    rows = list_rows(session, conference, now, today, ALL)
    ids = [r.item.id for r in rows]
    moved_to = _moved_to(session, ids)
    follow_up_days = _follow_up_days(session, [r.item.follow_up_id for r in rows])
    pathways = _pathways(session, [r.item.pathway_id for r in rows])
    leader = session.get(Staff, conference.leader_id) if conference.leader_id else None
    local = lambda at: as_aware(at).astimezone(zone)  # noqa: E731
    return ConferenceSheet(
        team_name=session.get(Team, conference.team_id).name,
        day=conference.day,
        starts=local(conference.starts_at).time(),
        minutes=conference.minutes,
        capacity=conference.capacity,
        leader=leader.full_name if leader else None,
        printed_by=printed_by,
        printed_at=now.astimezone(zone),
        started_at=local(conference.started_at) if conference.started_at else None,
        ended_at=local(conference.ended_at) if conference.ended_at else None,
        items=[_item(r, zone, moved_to.get(r.item.id), follow_up_days, pathways) for r in rows],
    )


def _item(r: Row, zone: ZoneInfo, moved_to, follow_up_days, pathways) -> ItemSheet:
    item = r.item
    latest = None
    if r.latest_tobs:
        total, complete, at = r.latest_tobs
        latest = TobsReading(total, at.astimezone(zone), complete)
    return ItemSheet(
        name=r.name,
        age=r.age,
        colour=r.colour,
        reason=item.reason,
        raised_by=r.raised_by,
        raised_at=as_aware(item.raised_at).astimezone(zone),
        latest_tobs=latest,
        observations=[
            ObservationLine(at.astimezone(zone), tuple(labels), note or None)
            for at, labels, note in r.observations
        ],
        follow_ups=[
            f"{'Overskredet: ' if late else ''}{title} – frist {day_text(due)}"
            for title, due, late in r.follow_ups
        ],
        escalations=[f"{prio}, {status.lower()}, til {to}" for prio, status, to in r.escalations],
        kontaktperson=r.kontaktperson,
        forloebsansvarlig=r.forloebsansvarlig,
        status=item.status,
        moved_to=moved_to,
        decision=item.decision,
        decision_owner=r.decision_owner,
        follow_up_on=follow_up_days.get(item.follow_up_id),
        colour_change=TriageColour(item.colour) if item.colour else None,
        pathway_change=pathways.get(item.pathway_id),
    )


def _moved_to(session: Session, item_ids: list[int]) -> dict[int, date]:
    if not item_ids:
        return {}
    rows = session.exec(
        select(ConferenceItem.moved_from_id, Conference.day)
        .join(Conference, Conference.id == ConferenceItem.conference_id)  # type: ignore[arg-type]
        .where(ConferenceItem.moved_from_id.in_(item_ids))  # type: ignore[union-attr]
    ).all()
    return {int(from_id): day for from_id, day in rows}


def _follow_up_days(session: Session, ids: list[int | None]) -> dict[int, date]:
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    rows = session.exec(
        select(FollowUp.id, FollowUp.due_date).where(FollowUp.id.in_(wanted))  # type: ignore[union-attr]
    ).all()
    return {int(i): d for i, d in rows}


def _pathways(session: Session, ids: list[int | None]) -> dict[int, PathwayChange]:
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    responsible = aliased(Staff)
    rows = session.exec(
        select(Pathway, responsible.full_name)
        .outerjoin(responsible, responsible.id == Pathway.forloebsansvarlig_id)  # type: ignore[arg-type]
        .where(Pathway.id.in_(wanted))  # type: ignore[union-attr]
    ).all()
    return {
        p.id: PathwayChange(PathwayType(p.type), p.started_on, name)  # type: ignore[misc]
        for p, name in rows
    }
