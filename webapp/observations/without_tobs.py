"""*Observationer uden TOBS*: citizens whose observations ask for a TOBS that nobody took."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlmodel import Session, select

from webapp.domain.citizens import TriageColour
from webapp.domain.dates import time_ago
from webapp.models import Citizen
from webapp.observations.services import nudge_states


@dataclass(frozen=True)
class WithoutTobs:
    citizen_id: int
    full_name: str
    colour: TriageColour
    since: datetime
    waited: str
    observations_7d: int


def citizens_without_tobs(
    session: Session, in_view: ColumnElement[bool], now: datetime
) -> list[WithoutTobs]:
    """The citizens in view who need a TOBS, the longest waiting first (two queries)."""
    visible = select(Citizen.id).where(in_view, Citizen.tobs_applies.is_(True))  # type: ignore[attr-defined]
    states = nudge_states(session, lambda column: column.in_(visible), now)
    waiting = {cid: s for cid, s in states.items() if s.needs_tobs_since is not None}
    if not waiting:
        return []
    citizens = session.exec(
        select(Citizen.id, Citizen.full_name, Citizen.triage_colour).where(
            Citizen.id.in_(sorted(waiting))  # type: ignore[union-attr]
        )
    ).all()
    rows = [
        WithoutTobs(
            citizen_id=cid,
            full_name=name,
            colour=TriageColour(colour),
            since=waiting[cid].needs_tobs_since,  # type: ignore[arg-type]
            waited=time_ago(waiting[cid].needs_tobs_since, now),  # type: ignore[arg-type]
            observations_7d=waiting[cid].observations_7d,
        )
        for cid, name, colour in citizens
    ]
    return sorted(rows, key=lambda r: (r.since, r.full_name))
