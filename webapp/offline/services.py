"""Storing one item a phone queued without coverage, exactly once.

Each kind goes through the same service (and the same validation) as its online form. The
phone's id is stored with the row; an id that is already stored is answered with the row it
made, so a replay changes nothing. Two replays at the same moment are settled by the unique
index: the loser's insert fails, its transaction is rolled back, and it answers "already here".
"""

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from webapp.domain.escalation import AnswerError, Priority, parse_note
from webapp.domain.offline import ItemError, Kind, QueuedItem, delay_note, stored_time
from webapp.domain.tobs import parse_tobs
from webapp.escalations import services as escalation_services
from webapp.escalations.facts import prefill
from webapp.followups.operations import on_tobs_saved
from webapp.models import Citizen, Escalation, Observation, Staff, TobsMeasurement
from webapp.observations import services as observation_services
from webapp.observations.services import ObservationError
from webapp.tobs import services as tobs_services
from webapp.urls import parse_id

NOT_YOURS = "Det gemte tilhører en anden bruger og kan ikke sendes af dig."
TOBS_NOT_USED = (
    "TOBS bruges ikke længere til borgeren. Skriv målingen i journalen, og slet den her."
)
TOBS_EMPTY = "Der var ingen målinger i det gemte. Slet det her."
FIX_IT = "Skriv det i journalen eller lav det igen i Opspor, og slet det her."
BAD_PRIORITY = "Vælg hvor meget det haster."


@dataclass(frozen=True)
class Stored:
    kind: Kind
    row_id: int
    new: bool  # False: the id was already stored (a replay)
    summary: str


class Refused(Exception):
    """The item can never be stored as it is: an HTTP status and a Danish message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _existing(session: Session, item: QueuedItem):
    if item.kind is Kind.OBSERVATION:
        return observation_services.by_client_id(session, item.id)
    if item.kind is Kind.TOBS:
        return tobs_services.by_client_id(session, item.id)
    return session.exec(select(Escalation).where(Escalation.client_key == item.id)).first()


def _author(row) -> int:
    return row.sender_id if isinstance(row, Escalation) else row.staff_id


def _summary(row) -> str:
    if isinstance(row, Observation):
        return "Observationen er gemt."
    if isinstance(row, TobsMeasurement):
        partial = "" if row.complete else " (ufuldstændig)"
        return f"TOBS {row.total}{partial} er gemt."
    return "Henvendelsen er sendt."


def _already(row, staff: Staff, kind: Kind) -> Stored:
    if _author(row) != staff.id:
        raise Refused(409, NOT_YOURS)
    return Stored(kind, row.id, False, _summary(row))


def store(
    session: Session,
    item: QueuedItem,
    staff: Staff,
    citizen: Citizen,
    now: datetime,
    zone: ZoneInfo,
    settings: escalation_services.Settings,
) -> Stored:
    """Store the item once. Raises Refused for what can never be stored."""
    existing = _existing(session, item)
    if existing is not None:
        return _already(existing, staff, item.kind)
    try:
        row = _store_new(session, item, staff, citizen, now, zone, settings)
        session.flush()
    except IntegrityError:  # the same id, stored by a request running at the same moment
        session.rollback()
        existing = _existing(session, item)
        if existing is None:
            raise
        return _already(existing, staff, item.kind)
    return Stored(item.kind, row.id, True, _summary(row))


def _store_new(session, item, staff, citizen, now, zone, settings):
    try:
        if item.kind is Kind.OBSERVATION:
            return _observation(session, item, staff, citizen, now)
        if item.kind is Kind.TOBS:
            return _tobs(session, item, staff, citizen, now, zone)
        return _escalation(session, item, staff, citizen, now, zone, settings)
    except ItemError as error:
        raise Refused(422, str(error)) from None


def _observation(session, item: QueuedItem, staff, citizen, now) -> Observation:
    item_ids = [i for i in map(parse_id, item.values("punkt")) if i is not None]
    try:
        return observation_services.record_observation(
            session,
            citizen_id=citizen.id,
            staff_id=staff.id,
            at=stored_time(item.made_at, now),
            item_ids=item_ids,
            note=item.value("note"),
            no_change=item.has("ingen_aendringer"),
            client_id=item.id,
        )
    except ObservationError as error:
        raise Refused(422, f"{error} {FIX_IT}") from None


def _tobs(session, item: QueuedItem, staff, citizen, now, zone) -> TobsMeasurement:
    if not citizen.tobs_applies:
        raise Refused(409, TOBS_NOT_USED)
    inp, errors = parse_tobs({name: item.value(name) for name in item.fields})
    if errors:
        raise Refused(422, f"{next(iter(errors.values()))} {FIX_IT}")
    if inp.is_empty:
        raise Refused(422, TOBS_EMPTY)
    at = stored_time(item.made_at, now)
    day = at.astimezone(zone).date()
    judgement = tobs_services.judge(inp, citizen, tobs_services.action_table_in_force(session, day))
    measurement = tobs_services.save_tobs(
        session,
        citizen_id=citizen.id,
        staff_id=staff.id,
        at=at,
        inp=inp,
        judgement=judgement,
        client_id=item.id,
    )
    on_tobs_saved(
        session,
        citizen,
        total=judgement.result.total,
        complete_score=judgement.result.complete,
        by=staff.id,
        now=at,
        today=day,
        zone=zone,
    )
    return measurement


def _escalation(session, item: QueuedItem, staff, citizen, now, zone, settings) -> Escalation:
    try:
        priority = Priority(item.value("hast"))
    except ValueError:
        raise Refused(422, f"{BAD_PRIORITY} {FIX_IT}") from None
    try:
        note = parse_note(item.value("note"))
    except AnswerError as error:
        raise Refused(422, f"{error} {FIX_IT}") from None
    fill = prefill(session, citizen, staff, now, zone, settings.within, priority)
    waited = delay_note(item.made_at, now, zone)
    if waited:
        isbar = replace(fill.isbar, situation=f"{waited} {fill.isbar.situation}")
        fill = replace(fill, isbar=isbar)
    try:
        return escalation_services.send(
            session,
            citizen,
            staff,
            priority,
            note,
            fill,
            now,
            settings,
            client_key=item.id,
            look_up=False,
        )
    except escalation_services.EscalationError as error:
        raise Refused(409, str(error)) from None
