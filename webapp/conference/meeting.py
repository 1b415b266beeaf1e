"""The meeting: start and end it, and record a decision per citizen (text, named owner, a
follow-up date that creates a follow-up, a colour change, a forløbsskift to a named person)."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from webapp.conference.services import DONE, ON_LIST
from webapp.domain.citizens import PathwayType, TriageColour
from webapp.domain.conference import Decision, decision_errors
from webapp.domain.followups import Due, FollowUpKind, Source
from webapp.followups.citizen_reads import current_pathway
from webapp.followups.operations import FollowUpError, add, change_pathway
from webapp.models import Citizen, Conference, ConferenceItem, Staff
from webapp.triage.services import TriageError, change_colour

TITLE_LENGTH = 80


class DecisionError(ValueError):
    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class DecisionInput:
    text: str
    owner: Staff | None
    follow_up_on: date | None
    colour: TriageColour | None = None
    pathway: PathwayType | None = None
    pathway_from: date | None = None
    new_forloebsansvarlig: Staff | None = None


def start(session: Session, conference: Conference, leader_id: int, now: datetime) -> None:
    if conference.started_at is None:
        conference.started_at = now
        conference.leader_id = leader_id
        session.add(conference)
        session.flush()


def end(session: Session, conference: Conference, now: datetime) -> None:
    if conference.started_at is not None and conference.ended_at is None:
        conference.ended_at = now
        session.add(conference)
        session.flush()


def decide(
    session: Session,
    item: ConferenceItem,
    d: DecisionInput,
    *,
    by: Staff,
    now: datetime,
    zone: ZoneInfo,
    today: date,
) -> ConferenceItem:
    """Record the decision; raises DecisionError (Danish messages) and changes nothing when
    it is incomplete. A decision can be corrected while the meeting runs."""
    citizen = session.get(Citizen, item.citizen_id)
    pathway = current_pathway(session, item.citizen_id)
    errors = decision_errors(
        Decision(
            text=d.text,
            owner_roles=d.owner.role_set if d.owner else None,
            follow_up_on=d.follow_up_on,
            pathway=d.pathway,
            pathway_from=d.pathway_from,
            new_forloebsansvarlig_roles=(
                d.new_forloebsansvarlig.role_set if d.new_forloebsansvarlig else None
            ),
            current_pathway_start=pathway.started_on if pathway else None,
        ),
        today,
    )
    if item.status not in (ON_LIST, DONE):
        errors.append("Borgeren er ikke længere på denne konferences liste.")
    if errors:
        raise DecisionError(errors)
    conference = session.get(Conference, item.conference_id)
    text = d.text.strip()
    note = f"Besluttet på konferencen {conference.day.strftime('%d.%m.%Y')}"
    try:
        if d.colour is not None and d.colour != citizen.colour:
            change_colour(session, citizen, by.id, by.role_set, d.colour.value, note, now, zone)  # type: ignore[arg-type]
            item.colour = d.colour.value
        if d.pathway is not None:
            result = change_pathway(
                session,
                citizen,
                new_type=d.pathway,
                change_date=d.pathway_from,  # type: ignore[arg-type]
                new_forloebsansvarlig=d.new_forloebsansvarlig,
                by=by.id,  # type: ignore[arg-type]
                now=now,
                zone=zone,
            )
            item.pathway_id = result.new.id
    except (TriageError, FollowUpError) as error:
        raise DecisionError([str(error)]) from None
    if d.follow_up_on is not None:
        title = f"Fra konferencen: {text}"
        if len(title) > TITLE_LENGTH:
            title = title[: TITLE_LENGTH - 1].rstrip() + "…"
        follow_up = add(
            session,
            citizen,
            Due(FollowUpKind.MANUAL, d.follow_up_on, None, None, title),
            source=Source.CONFERENCE,
            owner_id=d.owner.id,  # type: ignore[union-attr, arg-type]
            now=now,
            created_by_id=by.id,
            note=text[:280],
        )
        item.follow_up_id = follow_up.id
    item.decision = text
    item.decision_owner_id = d.owner.id  # type: ignore[union-attr]
    item.decided_at, item.decided_by_id = now, by.id
    item.status = DONE
    session.add(item)
    session.flush()
    return item
