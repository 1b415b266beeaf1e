"""Opfølgninger: creating, completing, postponing and cancelling follow-ups, and the places
that create them (milestones, triage, TOBS, handed-over nursing, forløbsskift).

The date rules are webapp/domain/followups.py. Services flush; the request commits.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from webapp.domain.citizens import PathwayType, TriageColour
from webapp.domain.followups import (
    DEFAULT_DEADLINES,
    Deadlines,
    Due,
    FollowUpKind,
    OwnerRule,
    Source,
    Status,
    milestones,
    next_occurrence,
    pathway_change_errors,
    tobs_repeats,
    triage_follow_up,
)
from webapp.domain.roles import Role
from webapp.followups.weight import parse_kg
from webapp.models import Citizen, FollowUp, Pathway, Staff, Weighing

MAX_NOTE = 280
MAX_TASK = 148  # "Overdraget: " + the task fits the 160-character title
PATHWAY_CHANGE_REASON = "Forløbsskift"


class FollowUpError(ValueError):
    """A Danish message for the person who filled in the form."""


def _owner(citizen: Citizen, rule: OwnerRule | None, fallback: int) -> int:
    if rule is OwnerRule.FORLOEBSANSVARLIG and citizen.forloebsansvarlig_id:
        return citizen.forloebsansvarlig_id
    if rule is not None:
        return citizen.kontaktperson_id
    return fallback


def add(
    session: Session,
    citizen: Citizen,
    due: Due,
    *,
    source: Source,
    owner_id: int,
    now: datetime,
    created_by_id: int | None = None,
    pathway_id: int | None = None,
    replaces_id: int | None = None,
    note: str = "",
) -> FollowUp:
    follow_up = FollowUp(
        citizen_id=citizen.id,  # type: ignore[arg-type]
        kind=due.kind.value,
        source=source.value,
        title=due.title,
        due_date=due.due_date,
        due_at=due.due_at,
        owner_id=owner_id,
        created_at=now,
        created_by_id=created_by_id,
        pathway_id=pathway_id,
        replaces_id=replaces_id,
        note=note,
    )
    session.add(follow_up)
    session.flush()
    return follow_up


def generate_milestones(
    session: Session,
    citizen: Citizen,
    pathway: Pathway,
    zone: ZoneInfo,
    now: datetime,
    deadlines: Deadlines = DEFAULT_DEADLINES,
    skip: frozenset[FollowUpKind] = frozenset(),
) -> list[FollowUp]:
    """The pathway's milestones (M1–M4) with named owners, less the kinds in `skip`."""
    referred_at = pathway.referred_at or datetime.combine(
        pathway.referral_date, datetime.min.time(), zone
    )
    dues = milestones(
        PathwayType(pathway.type),
        referred_at,
        pathway.started_on,
        pathway.after_discharge,
        zone,
        deadlines,
    )
    return [
        add(
            session,
            citizen,
            due,
            source=Source.MILESTONE,
            owner_id=_owner(citizen, due.owner, citizen.kontaktperson_id),
            now=now,
            pathway_id=pathway.id,
        )
        for due in dues
        if due.kind not in skip
    ]


def complete(
    session: Session,
    follow_up: FollowUp,
    *,
    by: int,
    at: datetime,
    today: date,
    value: str = "",
    note: str = "",
) -> FollowUp | None:
    """Mark it done (with the value when the kind needs one); a recurring kind gets its next
    occurrence, which is returned."""
    if follow_up.status != Status.OPEN.value:
        raise FollowUpError("Opfølgningen er allerede afsluttet.")
    kind = FollowUpKind(follow_up.kind)
    note = _note(note)
    kg = _weight(value) if kind.needs_value else None
    follow_up.status = Status.DONE.value
    follow_up.done_at, follow_up.done_by_id = at, by
    follow_up.value, follow_up.note = kg, note or follow_up.note
    session.add(follow_up)
    if kg is not None:
        session.add(
            Weighing(
                citizen_id=follow_up.citizen_id,
                staff_id=by,
                at=at,
                kg=kg,
                follow_up_id=follow_up.id,
            )
        )
    session.flush()
    return _next(session, follow_up, kind, today, at)


def _next(
    session: Session, done: FollowUp, kind: FollowUpKind, today: date, now: datetime
) -> FollowUp | None:
    pathway = session.get(Pathway, done.pathway_id) if done.pathway_id else None
    pathway_type = PathwayType(pathway.type) if pathway else None
    due_date = next_occurrence(kind, pathway_type, today, done.due_date)
    if due_date is None or (pathway is not None and pathway.ended_on is not None):
        return None
    return _successor(session, done, due_date, now)


def _successor(
    session: Session, follow_up: FollowUp, due_date: date, now: datetime, **extra
) -> FollowUp:
    """The same follow-up (kind, title, owner, pathway) due again on `due_date`."""
    following = FollowUp(
        citizen_id=follow_up.citizen_id,
        kind=follow_up.kind,
        source=follow_up.source,
        title=follow_up.title,
        due_date=due_date,
        owner_id=follow_up.owner_id,
        created_at=now,
        pathway_id=follow_up.pathway_id,
        **extra,
    )
    session.add(following)
    session.flush()
    return following


def postpone(
    session: Session, follow_up: FollowUp, *, new_date: date, reason: str, by: int, now: datetime
) -> FollowUp:
    """Cancel with the reason and put a new one on the new date (history kept)."""
    if follow_up.status != Status.OPEN.value:
        raise FollowUpError("Opfølgningen er allerede afsluttet.")
    reason = _reason(reason)
    if new_date <= follow_up.due_date:
        raise FollowUpError("Den nye dato skal være efter den gamle.")
    follow_up.status, follow_up.cancel_reason = Status.CANCELLED.value, f"Udsat: {reason}"
    session.add(follow_up)
    return _successor(
        session,
        follow_up,
        new_date,
        now,
        created_by_id=by,
        replaces_id=follow_up.id,
        note=follow_up.note,
    )


def cancel(session: Session, follow_up: FollowUp, reason: str) -> None:
    if follow_up.status != Status.OPEN.value:
        raise FollowUpError("Opfølgningen er allerede afsluttet.")
    follow_up.status, follow_up.cancel_reason = Status.CANCELLED.value, _reason(reason)
    session.add(follow_up)
    session.flush()


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise FollowUpError("Skriv en kort begrundelse.")
    if len(reason) > MAX_NOTE - 7:
        raise FollowUpError(f"Begrundelsen må højst være {MAX_NOTE - 7} tegn.")
    return reason


def _note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise FollowUpError(f"Noten må højst være {MAX_NOTE} tegn.")
    return note


def _weight(value: str) -> Decimal:
    try:
        return parse_kg(value)
    except ValueError as error:
        raise FollowUpError(str(error)) from None


# --- Where follow-ups come from ---------------------------------------------------------------


def on_colour_set(
    session: Session,
    citizen: Citizen,
    old: TriageColour,
    new: TriageColour,
    *,
    by: int,
    now: datetime,
    zone: ZoneInfo,
    nurse_id: int | None,
) -> FollowUp | None:
    """A new gul: sparring within 48 h (the forløbsansvarlig, else the one who set it); a new
    rød: a nurse's assessment within 24 h (`nurse_id`, else the one who set it)."""
    due = triage_follow_up(old, new, now, zone, DEFAULT_DEADLINES)
    if due is None:
        return None
    if due.kind is FollowUpKind.TRIAGE_NURSE:
        owner = nurse_id or by
    else:
        owner = citizen.forloebsansvarlig_id or by
    return add(session, citizen, due, source=Source.TRIAGE, owner_id=owner, now=now)


def on_tobs_saved(
    session: Session,
    citizen: Citizen,
    *,
    total: int,
    complete_score: bool,
    by: int,
    now: datetime,
    today: date,
    zone: ZoneInfo,
) -> list[FollowUp]:
    """Saving a TOBS does the oldest open repeat; a complete score of 1 asks for repeats."""
    open_repeat = session.exec(
        select(FollowUp)
        .where(
            FollowUp.citizen_id == citizen.id,
            FollowUp.kind == FollowUpKind.TOBS_REPEAT.value,
            FollowUp.status == Status.OPEN.value,
        )
        .order_by(FollowUp.due_date, FollowUp.due_at, FollowUp.id)  # type: ignore[arg-type]
    ).first()
    if open_repeat is not None:
        complete(session, open_repeat, by=by, at=now, today=today)
        return []
    return [
        add(session, citizen, due, source=Source.TOBS, owner_id=by, now=now)
        for due in tobs_repeats(total, complete_score, now, zone, DEFAULT_DEADLINES)
    ]


def hand_over_nursing(
    session: Session, citizen: Citizen, *, nurse: Staff, due_date: date, task: str, now: datetime
) -> FollowUp:
    """A nurse hands a nursing task to home care; the follow-up returns to that nurse."""
    if Role.NURSE not in nurse.role_set:
        raise FollowUpError("Kun en sygeplejerske kan overdrage sygepleje.")
    task = task.strip()
    if not task or len(task) > MAX_TASK:
        raise FollowUpError(f"Skriv kort, hvilken opgave der overdrages (højst {MAX_TASK} tegn).")
    due = Due(FollowUpKind.HANDED_OVER, due_date, None, None, f"Overdraget: {task}")
    return add(
        session,
        citizen,
        due,
        source=Source.HANDED_OVER,
        owner_id=nurse.id,  # type: ignore[arg-type]
        now=now,
        created_by_id=nurse.id,
    )


@dataclass(frozen=True)
class PathwayChangeResult:
    old: Pathway
    new: Pathway
    cancelled: int
    created: int


def change_pathway(
    session: Session,
    citizen: Citizen,
    *,
    new_type: PathwayType,
    change_date: date,
    new_forloebsansvarlig: Staff | None,
    by: int,
    now: datetime,
    zone: ZoneInfo,
) -> PathwayChangeResult:
    """Forløbsskift: end the current pathway, start the new one with its named
    forløbsansvarlig (the kontaktperson stays), and regenerate the milestones."""
    current = session.exec(
        select(Pathway).where(Pathway.citizen_id == citizen.id, Pathway.ended_on.is_(None))  # type: ignore[union-attr]
    ).first()
    if current is None:
        raise FollowUpError("Borgeren har intet aktivt forløb at skifte fra.")
    roles = new_forloebsansvarlig.role_set if new_forloebsansvarlig else None
    errors = pathway_change_errors(new_type, roles, change_date, current.started_on)
    if errors:
        raise FollowUpError(" ".join(errors))
    current.ended_on = change_date
    current.forloebsansvarlig_id = current.forloebsansvarlig_id or citizen.forloebsansvarlig_id
    session.add(current)
    session.flush()  # the one-current-pathway index: end the old before the new starts
    new = Pathway(
        citizen_id=citizen.id,  # type: ignore[arg-type]
        type=new_type.value,
        referral_date=change_date,
        started_on=change_date,
        referred_at=now,
        forloebsansvarlig_id=new_forloebsansvarlig.id if new_forloebsansvarlig else None,
    )
    session.add(new)
    citizen.forloebsansvarlig_id = new.forloebsansvarlig_id
    session.add(citizen)
    session.flush()
    stale = session.exec(
        select(FollowUp).where(
            FollowUp.citizen_id == citizen.id,
            FollowUp.pathway_id == current.id,
            FollowUp.status == Status.OPEN.value,
        )
    ).all()
    for follow_up in stale:
        follow_up.status, follow_up.cancel_reason = Status.CANCELLED.value, PATHWAY_CHANGE_REASON
        session.add(follow_up)
    # M1 and M2 belong to a new referral, not to a change of pathway.
    created = generate_milestones(
        session, citizen, new, zone, now, skip=frozenset({FollowUpKind.M1, FollowUpKind.M2})
    )
    return PathwayChangeResult(current, new, len(stale), len(created))
