"""Hverdagsobservationer: the checklist, saving (and correcting) an observation, and the
database half of the observation→TOBS nudge (the rule itself is webapp/domain/nudge.py)."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, insert, literal, null, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from webapp.clock import as_aware
from webapp.domain.nudge import DEFAULT_RULE, NudgeRule, ObservationFact, needs_tobs_since
from webapp.models import (
    Observation,
    ObservationEntry,
    ObservationItem,
    TobsDismissal,
    TobsMeasurement,
)

MAX_NOTE = 280
NOTE_TOO_LONG = f"Noten må højst være {MAX_NOTE} tegn."
NOTHING_TICKED = "Vælg mindst én ting, eller tryk »Ingen ændringer i dag«."
UNKNOWN_ITEM = "Et af punkterne findes ikke længere. Prøv igen."
ALREADY_CORRECTED = "Observationen er allerede rettet. Ret den nyeste udgave."


class ObservationError(ValueError):
    """A Danish message for the person who filled in the form."""


def active_items(session: Session) -> list[ObservationItem]:
    return list(
        session.exec(
            select(ObservationItem)
            .where(ObservationItem.active.is_(True))  # type: ignore[attr-defined]
            .order_by(ObservationItem.position, ObservationItem.id)
        ).all()
    )


def items_of(session: Session, observation_id: int) -> list[ObservationItem]:
    return list(
        session.exec(
            select(ObservationItem)
            .join(ObservationEntry, ObservationEntry.item_id == ObservationItem.id)
            .where(ObservationEntry.observation_id == observation_id)
            .order_by(ObservationItem.position, ObservationItem.id)
        ).all()
    )


def get_observation(session: Session, citizen_id: int, observation_id: int) -> Observation | None:
    observation = session.get(Observation, observation_id)
    if observation is None or observation.citizen_id != citizen_id:
        return None
    return observation


def by_client_id(session: Session, client_id: str) -> Observation | None:
    """The observation a phone already sent under this id, if any."""
    return session.exec(select(Observation).where(Observation.client_id == client_id)).first()


def is_corrected(session: Session, observation_id: int) -> bool:
    found = session.exec(select(Observation.id).where(Observation.corrects_id == observation_id))
    return found.first() is not None


def record_observation(
    session: Session,
    *,
    citizen_id: int,
    staff_id: int,
    at: datetime,
    item_ids: list[int],
    note: str,
    no_change: bool,
    corrects: Observation | None = None,
    client_id: str | None = None,
) -> Observation:
    """Save one observation (never edits an old one: a correction is a new row)."""
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ObservationError(NOTE_TOO_LONG)
    if no_change:
        item_ids = []
    elif not item_ids:
        raise ObservationError(NOTHING_TICKED)
    active = {item.id for item in active_items(session)}
    if not set(item_ids) <= active:
        raise ObservationError(UNKNOWN_ITEM)
    if corrects is not None and is_corrected(session, corrects.id):  # type: ignore[arg-type]
        raise ObservationError(ALREADY_CORRECTED)
    observation = Observation(
        citizen_id=citizen_id,
        staff_id=staff_id,
        at=at,
        no_change=no_change,
        note=note,
        corrects_id=corrects.id if corrects else None,
        client_id=client_id,
    )
    session.add(observation)
    session.flush()
    if item_ids:
        session.execute(
            insert(ObservationEntry),
            [{"observation_id": observation.id, "item_id": i} for i in sorted(set(item_ids))],
        )
    return observation


# --- The nudge: facts for many citizens in one statement -------------------------------------


@dataclass(frozen=True)
class NudgeState:
    needs_tobs_since: datetime | None
    observations_7d: int  # observations with at least one ticked item, last 7 days

    @property
    def needs_tobs(self) -> bool:
        return self.needs_tobs_since is not None


NO_FACTS = NudgeState(None, 0)
TRIGGER_MARK = "!"
CitizenFilter = Callable[[Any], ColumnElement[bool]]


def _facts_statement(citizens: CitizenFilter, since: datetime):
    """The nudge's facts for many citizens in one UNION ALL: observations with their item keys
    (a key that triggers the nudge is marked "!"), TOBS times and dismissal times.

    A corrected observation is left out: its correction counts instead.
    """
    correction = aliased(Observation)
    marked = case(
        (ObservationItem.triggers_tobs.is_(True), literal(TRIGGER_MARK) + ObservationItem.key),  # type: ignore[attr-defined]
        else_=ObservationItem.key,
    )
    observations = (
        select(
            Observation.citizen_id,
            literal("o").label("kind"),
            Observation.at,
            func.aggregate_strings(marked, ",").label("items"),
        )
        .outerjoin(correction, correction.corrects_id == Observation.id)
        .outerjoin(ObservationEntry, ObservationEntry.observation_id == Observation.id)
        .outerjoin(ObservationItem, ObservationItem.id == ObservationEntry.item_id)
        .where(
            correction.id.is_(None),  # type: ignore[union-attr]
            Observation.at >= since,
            citizens(Observation.citizen_id),
        )
        .group_by(Observation.id, Observation.citizen_id, Observation.at)
    )
    tobs = select(TobsMeasurement.citizen_id, literal("t"), TobsMeasurement.at, null()).where(
        TobsMeasurement.at >= since, citizens(TobsMeasurement.citizen_id)
    )
    dismissals = select(TobsDismissal.citizen_id, literal("d"), TobsDismissal.at, null()).where(
        TobsDismissal.at >= since, citizens(TobsDismissal.citizen_id)
    )
    return union_all(observations, tobs, dismissals)


@dataclass
class _Facts:
    observations: list[ObservationFact] = field(default_factory=list)
    tobs: list[datetime] = field(default_factory=list)
    dismissals: list[datetime] = field(default_factory=list)


def nudge_states(
    session: Session, citizens: CitizenFilter, now: datetime, rule: NudgeRule = DEFAULT_RULE
) -> dict[int, NudgeState]:
    """Each citizen's nudge state now, in one query however many citizens; citizens with no
    facts are absent (use NO_FACTS). The trigger items come from the checklist's flags."""
    since = now - rule.lookback - max(rule.repeat_window, rule.tobs_grace)
    facts: dict[int, _Facts] = defaultdict(_Facts)
    triggers: set[str] = set()
    for citizen_id, kind, at, items in session.execute(_facts_statement(citizens, since)):
        at = as_aware(at)
        if kind == "t":
            facts[citizen_id].tobs.append(at)
        elif kind == "d":
            facts[citizen_id].dismissals.append(at)
        else:
            keys = frozenset(items.split(",")) if items else frozenset()
            triggers |= {k[1:] for k in keys if k.startswith(TRIGGER_MARK)}
            plain = frozenset(k.removeprefix(TRIGGER_MARK) for k in keys)
            facts[citizen_id].observations.append(ObservationFact(at, plain))
    rule = replace(rule, trigger_items=frozenset(triggers))
    week = now - rule.lookback
    return {
        citizen_id: NudgeState(
            needs_tobs_since(now, f.observations, f.tobs, f.dismissals, rule),
            sum(1 for o in f.observations if o.items and week <= o.at <= now),
        )
        for citizen_id, f in facts.items()
    }


def nudge_state(session: Session, citizen_id: int, now: datetime) -> NudgeState:
    states = nudge_states(session, lambda column: column == citizen_id, now)
    return states.get(citizen_id, NO_FACTS)
