"""Registering citizens: a new citizen with the referral (henvendelse) that starts their
pathway, a new referral for a known citizen, and edits of the record. Used by the
borgerkonsulent's screens and by administration. Every change is in the audit log.

A new pathway's milestones (M1–M4) come from followups.operations.generate_milestones. A new
referral for a citizen who already has a pathway ends it on the referral's day and cancels
its open milestones (they belong to the old referral). Services flush; the request commits.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from webapp.admin import audit
from webapp.domain.citizen_record import CitizenRecord, Referral
from webapp.domain.citizens import PathwayType, ResponsibleCheck, responsible_errors
from webapp.domain.dates import format_date
from webapp.domain.followups import Status
from webapp.domain.roles import FORLOEBSANSVARLIG_ROLES, KONTAKTPERSON_ROLES
from webapp.followups.operations import FollowUpError, change_pathway, generate_milestones
from webapp.models import (
    Citizen,
    FollowUp,
    Kontaktteam,
    Membership,
    MembershipKind,
    Pathway,
    Staff,
    Team,
)
from webapp.placement import services as placement
from webapp.urls import parse_id

NEW_REFERRAL_REASON = "Ny henvendelse"
DUPLICATE = (
    "Der findes allerede en borger med samme navn og fødselsdato ({}). Er det en anden "
    "borger, så sæt flueben i »Det er en anden borger« og gem igen."
)
ID_TAKEN = "Borgernummeret {} hører allerede til en anden borger."


class Refused(Exception):
    """A Danish message per form field, and the status."""

    def __init__(self, errors: dict[str, str], status: int = 400):
        super().__init__(" ".join(errors.values()))
        self.errors = errors
        self.status = status


@dataclass(frozen=True)
class People:
    kontaktperson_id: int | None
    forloebsansvarlig_id: int | None


@dataclass(frozen=True)
class Candidates:
    """Who may be named for a citizen of a team on a day."""

    kontaktpersons: list[Staff]
    responsible: list[Staff]


def read_people(form) -> People:
    return People(
        parse_id(str(form.get("kontaktperson", ""))[:20]),
        parse_id(str(form.get("forloebsansvarlig", ""))[:20]),
    )


def candidates(session: Session, team_id: int | None, on: date) -> Candidates:
    """Kontaktperson: an SSH or SSA in the team that day. Forløbsansvarlig: an SSA, nurse or
    therapist in the team or attached to its basisteam that day."""
    if team_id is None:
        return Candidates([], [])
    rows = session.exec(
        select(Staff, Membership.kind)
        .join(Membership, Membership.staff_id == Staff.id)  # type: ignore[arg-type]
        .where(
            Membership.team_id == team_id,
            Membership.valid_from <= on,
            or_(Membership.valid_to.is_(None), Membership.valid_to >= on),  # type: ignore[union-attr]
            Staff.active.is_(True),  # type: ignore[attr-defined]
        )
        .order_by(Staff.full_name)
    ).all()
    kps: dict[int, Staff] = {}
    responsible: dict[int, Staff] = {}
    for staff, kind in rows:
        if kind == MembershipKind.TEAM and staff.role_set & KONTAKTPERSON_ROLES:
            kps[staff.id] = staff  # type: ignore[index]
        if staff.role_set & FORLOEBSANSVARLIG_ROLES:
            responsible[staff.id] = staff  # type: ignore[index]
    return Candidates(list(kps.values()), list(responsible.values()))


def people_problems(
    session: Session, people: People, pathway: PathwayType, team_id: int | None, on: date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    known = candidates(session, team_id, on)
    kp = session.get(Staff, people.kontaktperson_id) if people.kontaktperson_id else None
    fa = session.get(Staff, people.forloebsansvarlig_id) if people.forloebsansvarlig_id else None
    if kp is None:
        errors["kontaktperson"] = "Vælg en kontaktperson."
    elif kp not in known.kontaktpersons:
        errors["kontaktperson"] = (
            f"{kp.full_name} er ikke SOSU-hjælper eller -assistent i teamet den {format_date(on)}."
        )
    if people.forloebsansvarlig_id and fa is None:
        errors["forloebsansvarlig"] = "Vælg en forløbsansvarlig fra listen."
    for message in responsible_errors(
        ResponsibleCheck(pathway, kp.role_set if kp else frozenset(), fa.role_set if fa else None)
    ):
        key = "kontaktperson" if message.startswith("Kontaktperson") else "forloebsansvarlig"
        errors.setdefault(key, message)
    if fa is not None and "forloebsansvarlig" not in errors and fa not in known.responsible:
        errors["forloebsansvarlig"] = (
            f"{fa.full_name} er hverken i teamet eller tilknyttet dets basisteam den "
            f"{format_date(on)}."
        )
    return errors


def check_place(
    session: Session, team_id, kontaktteam_id, on: date
) -> tuple[Team, Kontaktteam | None]:
    try:
        return placement.check_place(session, team_id, kontaktteam_id, on)
    except placement.Refused as refused:
        raise Refused({refused.field: refused.problems[0]}) from None


def values(citizen: Citizen) -> dict:
    keys = set(CitizenRecord.__dataclass_fields__) | {
        "team_id",
        "kontaktteam_id",
        "kontaktperson_id",
        "forloebsansvarlig_id",
    }
    return {k: getattr(citizen, k) for k in sorted(keys)}


def _duplicates(session: Session, record: CitizenRecord, except_id: int | None) -> str | None:
    query = (
        select(Citizen, Team.name)
        .join(Team, Team.id == Citizen.team_id)
        .where(  # type: ignore[arg-type]
            Citizen.full_name == record.full_name, Citizen.birth_date == record.birth_date
        )
    )
    if except_id is not None:
        query = query.where(Citizen.id != except_id)
    row = session.exec(query).first()
    return DUPLICATE.format(row[1]) if row else None


def _external_id_taken(session: Session, external_id: str | None, except_id: int | None):
    if not external_id:
        return None
    other = session.exec(select(Citizen.id).where(Citizen.external_id == external_id)).first()
    return ID_TAKEN.format(external_id) if other and other != except_id else None


def _flush(session: Session, row, record: CitizenRecord, except_id: int | None) -> None:
    """Flush in a savepoint: a borgernr taken a moment ago is a 409, not a 500 at commit."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        session.expunge(row) if row in session and row.id is None else session.expire(row)
        raise Refused({"borgernr": ID_TAKEN.format(record.external_id)}, 409) from None


def create(
    session: Session,
    record: CitizenRecord,
    team_id: int | None,
    kontaktteam_id: int | None,
    people: People,
    referral: Referral,
    *,
    confirmed_not_duplicate: bool,
    by: int,
    now: datetime,
    zone: ZoneInfo,
) -> Citizen:
    """A new citizen placed in the team from the referral's day, with the pathway the
    referral starts and its milestones."""
    on = referral.referred_at.astimezone(zone).date()
    team, kt = check_place(session, team_id, kontaktteam_id, on)
    errors = people_problems(session, people, referral.pathway, team.id, on)
    taken = _external_id_taken(session, record.external_id, None)
    if taken:
        errors["borgernr"] = taken
    if errors:
        raise Refused(errors)
    duplicate = None if confirmed_not_duplicate else _duplicates(session, record, None)
    if duplicate:
        raise Refused({"navn": duplicate}, 409)
    citizen = Citizen(
        **asdict(record),
        team_id=team.id,  # type: ignore[arg-type]
        kontaktteam_id=kt.id if kt else None,
        kontaktperson_id=people.kontaktperson_id,  # type: ignore[arg-type]
        forloebsansvarlig_id=people.forloebsansvarlig_id,
    )
    _flush(session, citizen, record, None)
    placement.start(session, citizen, on, by=by, now=now)
    audit.record(
        session,
        by=by,
        at=now,
        action=audit.Change.CREATE,
        entity=audit.Entity.CITIZEN,
        entity_id=citizen.id,
        summary=f"Borger {citizen.full_name} oprettet i {team.name}",
        after=values(citizen),
    )
    start_pathway(session, citizen, referral, by=by, now=now, zone=zone)
    return citizen


def start_pathway(
    session, citizen: Citizen, referral: Referral, *, by, now, zone, skip=frozenset()
) -> Pathway:
    on = referral.referred_at.astimezone(zone).date()
    pathway = Pathway(
        citizen_id=citizen.id,  # type: ignore[arg-type]
        type=referral.pathway.value,
        referral_date=on,
        started_on=on,
        referred_at=referral.referred_at,
        after_discharge=referral.after_discharge,
        forloebsansvarlig_id=citizen.forloebsansvarlig_id,
    )
    session.add(pathway)
    session.flush()
    created = generate_milestones(session, citizen, pathway, zone, now, skip=skip)
    audit.record(
        session,
        by=by,
        at=now,
        action=audit.Change.CREATE,
        entity=audit.Entity.PATHWAY,
        entity_id=pathway.id,
        summary=(
            f"{citizen.full_name}: henvendelse {format_date(on)}, "
            f"{referral.pathway.label.lower()}, {len(created)} milepæle"
        ),
        after={
            "type": pathway.type,
            "henvendelse": referral.referred_at,
            "efter_udskrivelse": referral.after_discharge,
            "forloebsansvarlig_id": pathway.forloebsansvarlig_id,
        },
    )
    return pathway


def current_pathway(session: Session, citizen_id: int) -> Pathway | None:
    return session.exec(
        select(Pathway).where(Pathway.citizen_id == citizen_id, Pathway.ended_on.is_(None))  # type: ignore[union-attr]
    ).first()


def new_referral(
    session: Session,
    citizen: Citizen,
    referral: Referral,
    forloebsansvarlig_id: int | None,
    *,
    by: int,
    now: datetime,
    zone: ZoneInfo,
    today: date,
) -> Pathway:
    """A new henvendelse for a known citizen: the current pathway (if any) ends on its day,
    its open milestones are cancelled, and the new pathway starts with all of its own."""
    on = referral.referred_at.astimezone(zone).date()
    people = People(citizen.kontaktperson_id, forloebsansvarlig_id)
    errors = people_problems(session, people, referral.pathway, citizen.team_id, today)
    errors.pop("kontaktperson", None)  # the kontaktperson stays whatever the pathway (§3)
    current = current_pathway(session, citizen.id)  # type: ignore[arg-type]
    if current is not None and on < current.started_on:
        errors["henvendelse"] = (
            f"Henvendelsen kan ikke ligge før det nuværende forløbs start "
            f"({format_date(current.started_on)})."
        )
    if errors:
        raise Refused(errors)
    if current is not None:
        current.ended_on = on
        current.forloebsansvarlig_id = current.forloebsansvarlig_id or citizen.forloebsansvarlig_id
        session.add(current)
        for follow_up in session.exec(
            select(FollowUp).where(
                FollowUp.pathway_id == current.id, FollowUp.status == Status.OPEN.value
            )
        ).all():
            follow_up.status, follow_up.cancel_reason = Status.CANCELLED.value, NEW_REFERRAL_REASON
            session.add(follow_up)
        session.flush()  # the one-current-pathway index: end the old before the new starts
    before = values(citizen)
    citizen.forloebsansvarlig_id = forloebsansvarlig_id
    session.add(citizen)
    if before != values(citizen):
        audit.record(
            session,
            by=by,
            at=now,
            action=audit.Change.UPDATE,
            entity=audit.Entity.CITIZEN,
            entity_id=citizen.id,
            summary=f"{citizen.full_name}: ny forløbsansvarlig",
            before=before,
            after=values(citizen),
        )
    return start_pathway(session, citizen, referral, by=by, now=now, zone=zone)


def update(
    session: Session,
    citizen: Citizen,
    record: CitizenRecord,
    people: People,
    *,
    confirmed_not_duplicate: bool,
    by: int,
    now: datetime,
    today: date,
) -> bool:
    """Edit the record and the named people (the team changes by a move, not here). False
    when nothing changed."""
    current = current_pathway(session, citizen.id)  # type: ignore[arg-type]
    kind = PathwayType(current.type) if current else PathwayType.PERMANENT_MODERATE
    errors = people_problems(session, people, kind, citizen.team_id, today)
    if citizen.kontaktperson_id == people.kontaktperson_id:
        errors.pop("kontaktperson", None)  # keeping the one there is: not a new check
    if citizen.forloebsansvarlig_id == people.forloebsansvarlig_id and current is None:
        errors.pop("forloebsansvarlig", None)
    taken = _external_id_taken(session, record.external_id, citizen.id)
    if taken:
        errors["borgernr"] = taken
    if errors:
        raise Refused(errors)
    changes_identity = (record.full_name, record.birth_date) != (
        citizen.full_name,
        citizen.birth_date,
    )
    if changes_identity and not confirmed_not_duplicate:
        duplicate = _duplicates(session, record, citizen.id)
        if duplicate:
            raise Refused({"navn": duplicate}, 409)
    before = values(citizen)
    for key, value in asdict(record).items():
        setattr(citizen, key, value)
    citizen.kontaktperson_id = people.kontaktperson_id  # type: ignore[assignment]
    citizen.forloebsansvarlig_id = people.forloebsansvarlig_id
    after = values(citizen)
    if after == before:
        return False
    _flush(session, citizen, record, citizen.id)
    if before["forloebsansvarlig_id"] != after["forloebsansvarlig_id"] and current is not None:
        _hand_over_milestones(session, citizen, current, before["forloebsansvarlig_id"])
    changed = [k for k in after if after[k] != before[k]]
    audit.record(
        session,
        by=by,
        at=now,
        action=audit.Change.UPDATE,
        entity=audit.Entity.CITIZEN,
        entity_id=citizen.id,
        summary=f"{citizen.full_name} rettet: {', '.join(changed)}",
        before=before,
        after=after,
    )
    return True


def _hand_over_milestones(session, citizen: Citizen, pathway: Pathway, old_id: int | None):
    """A new forløbsansvarlig takes over the pathway and its open milestones."""
    pathway.forloebsansvarlig_id = citizen.forloebsansvarlig_id
    session.add(pathway)
    new_owner = citizen.forloebsansvarlig_id or citizen.kontaktperson_id
    for follow_up in session.exec(
        select(FollowUp).where(
            FollowUp.pathway_id == pathway.id,
            FollowUp.status == Status.OPEN.value,
            FollowUp.owner_id == old_id,
        )
    ).all():
        follow_up.owner_id = new_owner
        session.add(follow_up)
    session.flush()


def change_pathway_type(
    session: Session,
    citizen: Citizen,
    new_type: PathwayType | None,
    on: date | None,
    forloebsansvarlig_id: int | None,
    *,
    by: int,
    now: datetime,
    zone: ZoneInfo,
    today: date,
) -> Pathway:
    """A forløbsskift from administration: as on the citizen's page (operations.change_pathway:
    the open milestones of the old pathway are cancelled, the new one's are created), with the
    forløbsansvarlig checked against the team and the change in the audit log."""
    errors: dict[str, str] = {}
    if new_type is None:
        errors["forloebstype"] = "Vælg forløbstype."
    if on is None:
        errors["skiftedato"] = "Skriv datoen for forløbsskiftet."
    elif on > today:
        errors["skiftedato"] = "Forløbsskiftet kan ikke dateres frem i tiden."
    if new_type is not None:
        people = People(citizen.kontaktperson_id, forloebsansvarlig_id)
        found = people_problems(session, people, new_type, citizen.team_id, today)
        if "forloebsansvarlig" in found:
            errors["forloebsansvarlig"] = found["forloebsansvarlig"]
    if errors or new_type is None or on is None:
        raise Refused(errors)
    person = session.get(Staff, forloebsansvarlig_id) if forloebsansvarlig_id else None
    try:
        result = change_pathway(
            session,
            citizen,
            new_type=new_type,
            change_date=on,
            new_forloebsansvarlig=person,
            by=by,
            now=now,
            zone=zone,
        )
    except FollowUpError as error:
        raise Refused({"skiftedato": str(error)}) from None
    audit.record(
        session,
        by=by,
        at=now,
        action=audit.Change.CREATE,
        entity=audit.Entity.PATHWAY,
        entity_id=result.new.id,  # type: ignore[arg-type]
        summary=(
            f"{citizen.full_name}: forløbsskift til {new_type.label.lower()} fra "
            f"{format_date(on)} ({result.cancelled} milepæle aflyst, {result.created} nye)"
        ),
        before={"type": result.old.type, "start": result.old.started_on},
        after={"type": result.new.type, "start": on, "forloebsansvarlig_id": forloebsansvarlig_id},
    )
    return result.new
