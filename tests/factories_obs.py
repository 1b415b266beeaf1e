"""Factories for observations, TOBS measurements, colour suggestions and nudge dismissals:
make_<noun>(session, ...), each flushes and returns the row (as tests/factories.py)."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import insert
from sqlmodel import Session, select

from webapp.domain.citizens import TriageColour
from webapp.domain.tobs import Consciousness, TempMethod, TobsInput, score
from webapp.domain.triage import ChangeKind
from webapp.models import (
    Citizen,
    Observation,
    ObservationEntry,
    ObservationItem,
    Staff,
    TobsDismissal,
    TobsMeasurement,
    TriageChange,
)

#: The action table version the migration seeds.
SEEDED_ACTION_VERSION = 1


def _add(session: Session, row):
    session.add(row)
    session.flush()
    return row


def item_ids(session: Session, keys: Sequence[str]) -> list[int]:
    rows = session.exec(select(ObservationItem.key, ObservationItem.id)).all()
    by_key = dict(rows)
    return [by_key[k] for k in keys]


def make_observation(
    session: Session,
    citizen: Citizen,
    staff: Staff,
    at: datetime,
    items: Sequence[str] = (),
    *,
    note: str = "",
    corrects: Observation | None = None,
) -> Observation:
    """No items is "Ingen ændringer i dag"."""
    obs = _add(
        session,
        Observation(
            citizen_id=citizen.id,
            staff_id=staff.id,
            at=at,
            no_change=not items,
            note=note,
            corrects_id=corrects.id if corrects else None,
        ),
    )
    if items:
        session.execute(
            insert(ObservationEntry),
            [{"observation_id": obs.id, "item_id": i} for i in item_ids(session, items)],
        )
    return obs


def make_tobs(
    session: Session,
    citizen: Citizen,
    staff: Staff,
    at: datetime,
    *,
    pulse: int | None = 72,
    respiration: int | None = 16,
    temperature: Decimal | str | None = "37.0",
    method: TempMethod | None = TempMethod.RECTAL,
    systolic: int | None = 130,
    consciousness: Consciousness | None = Consciousness.HABITUAL,
    spo2: int | None = None,
) -> TobsMeasurement:
    """All parameters normal unless given; pass None to leave one out (ufuldstændig)."""
    temp = Decimal(temperature) if temperature is not None else None
    inp = TobsInput(
        pulse=pulse,
        respiration=respiration,
        temperature=temp,
        method=method if temp is not None else None,
        systolic=systolic,
        consciousness=consciousness,
        spo2=spo2,
    )
    result = score(inp)
    return _add(
        session,
        TobsMeasurement(
            citizen_id=citizen.id,
            staff_id=staff.id,
            at=at,
            pulse=pulse,
            respiration=respiration,
            temperature=temp,
            temperature_method=inp.method.value if inp.method else None,
            corrected_temperature=result.corrected_temperature,
            systolic=systolic,
            consciousness=consciousness.value if consciousness else None,
            spo2=spo2,
            total=result.total,
            complete=result.complete,
            any_three=result.any_three,
            action_version_id=SEEDED_ACTION_VERSION,
        ),
    )


def make_colour_suggestion(
    session: Session,
    citizen: Citizen,
    by: Staff,
    colour: TriageColour,
    at: datetime,
    reason: str = "Forslag",
) -> TriageChange:
    """A suggested colour: changes nothing on the citizen by itself."""
    return _add(
        session,
        TriageChange(
            citizen_id=citizen.id,
            colour=colour.value,
            reason=reason,
            set_by_id=by.id,
            set_at=at,
            kind=ChangeKind.SUGGESTED.value,
        ),
    )


def make_dismissal(
    session: Session, citizen: Citizen, nurse: Staff, at: datetime, reason: str = "Vurderet"
) -> TobsDismissal:
    return _add(
        session, TobsDismissal(citizen_id=citizen.id, staff_id=nurse.id, at=at, reason=reason)
    )
