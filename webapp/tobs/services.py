"""TOBS: the action table in force, saving a measurement, and reading one back.

The scoring rules are webapp/domain/tobs.py; the guidance rule is webapp/domain/tobs_actions.py.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from webapp.domain.tobs import (
    Consciousness,
    Parameter,
    TempMethod,
    TobsInput,
    TobsResult,
    deviation,
    format_decimal,
    format_deviation,
    score,
)
from webapp.domain.tobs_actions import ActionRow, Urgency, choose_action
from webapp.models import Citizen, TobsActionRow, TobsActionVersion, TobsMeasurement


@dataclass(frozen=True)
class ActionTable:
    version: TobsActionVersion
    rows: tuple[ActionRow, ...]

    @property
    def label(self) -> str:
        v = self.version
        if not v.locally_approved:
            return f"{v.municipality}, version {v.version}: standard – skal godkendes lokalt"
        return (
            f"{v.municipality}, version {v.version}, godkendt af {v.approver},"
            f" gælder fra {v.effective_from.strftime('%d.%m.%Y')}"
        )


def _action_row(row: TobsActionRow) -> ActionRow:
    return ActionRow(
        min_score=row.min_score,
        max_score=row.max_score,
        any_parameter_three=row.any_parameter_three,
        urgency=Urgency(row.urgency),
        text=row.text,
        escalate=row.escalate,
    )


def action_table(session: Session, version_id: int) -> ActionTable:
    version = session.get(TobsActionVersion, version_id)
    assert version is not None
    rows = session.exec(
        select(TobsActionRow)
        .where(TobsActionRow.version_id == version_id)
        .order_by(TobsActionRow.id)  # type: ignore[arg-type]
    ).all()
    return ActionTable(version, tuple(_action_row(r) for r in rows))


def action_table_in_force(session: Session, today: date) -> ActionTable:
    """The newest version that has taken effect (the seeded default always has)."""
    version = session.exec(
        select(TobsActionVersion)
        .where(TobsActionVersion.effective_from <= today)
        .order_by(
            TobsActionVersion.effective_from.desc(),  # type: ignore[attr-defined]
            TobsActionVersion.version.desc(),  # type: ignore[attr-defined]
        )
    ).first()
    assert version is not None, "the migration seeds a default action table"
    return action_table(session, version.id)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Line:
    """One parameter on screen: what was measured, deviation from habitual, the points."""

    label: str
    value: str | None
    deviation: str | None
    points: int | None


@dataclass(frozen=True)
class Judgement:
    result: TobsResult
    lines: tuple[Line, ...]
    action: ActionRow | None
    table: ActionTable

    @property
    def missing_labels(self) -> str:
        return ", ".join(p.label.lower() for p in self.result.missing)


def _temperature_text(inp: TobsInput, result: TobsResult) -> str | None:
    if inp.temperature is None or inp.method is None:
        return None
    text = f"{format_decimal(inp.temperature)} °C {inp.method.label.lower()}"
    if inp.method is not TempMethod.RECTAL and result.corrected_temperature is not None:
        text += f" = {format_decimal(result.corrected_temperature)} °C rektalt"
    return text


def _deviation(value: int | None, habitual: int | None) -> str | None:
    diff = deviation(value, habitual)
    return None if diff is None else f"{format_deviation(diff)} fra habituel ({habitual})"


def judge(inp: TobsInput, citizen: Citizen, table: ActionTable) -> Judgement:
    """Score the input, lay it out per parameter and choose the guidance."""
    result = score(inp)
    p = result.points

    def number(value: int | None, unit: str) -> str | None:
        return None if value is None else f"{value} {unit}"

    lines = (
        Line(
            Parameter.PULSE.label,
            number(inp.pulse, "/min"),
            _deviation(inp.pulse, citizen.habitual_pulse),
            p[Parameter.PULSE],
        ),
        Line(
            Parameter.RESPIRATION.label,
            number(inp.respiration, "/min"),
            _deviation(inp.respiration, citizen.habitual_respiration),
            p[Parameter.RESPIRATION],
        ),
        Line(
            Parameter.TEMPERATURE.label,
            _temperature_text(inp, result),
            None,
            p[Parameter.TEMPERATURE],
        ),
        Line(
            Parameter.SYSTOLIC.label,
            number(inp.systolic, "mmHg"),
            _deviation(inp.systolic, citizen.habitual_systolic_bp),
            p[Parameter.SYSTOLIC],
        ),
        Line(
            Parameter.CONSCIOUSNESS.label,
            inp.consciousness.label if inp.consciousness else None,
            None,
            p[Parameter.CONSCIOUSNESS],
        ),
    )
    return Judgement(result, lines, choose_action(result, table.rows), table)


def save_tobs(
    session: Session,
    *,
    citizen_id: int,
    staff_id: int,
    at: datetime,
    inp: TobsInput,
    judgement: Judgement,
    client_id: str | None = None,
) -> TobsMeasurement:
    result = judgement.result
    measurement = TobsMeasurement(
        citizen_id=citizen_id,
        staff_id=staff_id,
        at=at,
        pulse=inp.pulse,
        respiration=inp.respiration,
        temperature=inp.temperature,
        temperature_method=inp.method.value if inp.method else None,
        corrected_temperature=result.corrected_temperature,
        systolic=inp.systolic,
        consciousness=inp.consciousness.value if inp.consciousness else None,
        spo2=inp.spo2,
        total=result.total,
        complete=result.complete,
        any_three=result.any_three,
        action_version_id=judgement.table.version.id,  # type: ignore[arg-type]
        client_id=client_id,
    )
    session.add(measurement)
    session.flush()
    return measurement


def by_client_id(session: Session, client_id: str) -> TobsMeasurement | None:
    """The TOBS a phone already sent under this id, if any."""
    return session.exec(
        select(TobsMeasurement).where(TobsMeasurement.client_id == client_id)
    ).first()


def input_of(m: TobsMeasurement) -> TobsInput:
    """What was entered, read back from a saved measurement."""
    return TobsInput(
        pulse=m.pulse,
        respiration=m.respiration,
        temperature=m.temperature,
        method=TempMethod(m.temperature_method) if m.temperature_method else None,
        systolic=m.systolic,
        consciousness=Consciousness(m.consciousness) if m.consciousness else None,
        spo2=m.spo2,
    )
