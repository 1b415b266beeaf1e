"""Importing citizens: what exists, as plain data for the rules
(webapp/domain/citizen_import.py), and applying a plan that has no refused row: citizens,
date-effective placements, pathways with their milestones, forløbsskift, and an audit-log row
for every change.

An imported pathway may have begun days before the import: its first health contact (M1) and
planning talk (M2) are created only while still due (from today on), since a citizen already
in care has had them; M3 is created as it falls (overdue shows what is missing), and a
recurring M4 that has already passed is rolled on to its next date from today."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from webapp.admin import audit
from webapp.admin.organisation import open_units
from webapp.citizens import registry
from webapp.domain import citizen_import as rules
from webapp.domain.citizen_record import Referral
from webapp.domain.citizens import PathwayType
from webapp.domain.followups import DEFAULT_DEADLINES, FollowUpKind, add_months, milestones
from webapp.domain.staff_import import ExistingMembership, KontaktteamRef, TeamRef
from webapp.followups.operations import change_pathway
from webapp.models import (
    Citizen,
    CitizenPlacement,
    FollowUp,
    Kontaktteam,
    Membership,
    Pathway,
    Staff,
    Team,
)
from webapp.placement import services as placement

#: An imported referral's hour when the file gives only the day.
REFERRAL_HOUR = time(12)


def directory(session: Session, today: date) -> rules.CitizenDirectory:
    memberships: dict[int, list[ExistingMembership]] = {}
    for m in session.exec(select(Membership).order_by(Membership.id)).all():  # type: ignore[arg-type]
        memberships.setdefault(m.staff_id, []).append(
            ExistingMembership(
                m.kind,
                m.team_id,
                m.kontaktteam_id,
                m.health_unit_id,
                m.valid_from,
                m.valid_to,
                m.id,
            )
        )
    pathways = {
        p.citizen_id: p
        for p in session.exec(select(Pathway).where(Pathway.ended_on.is_(None))).all()  # type: ignore[union-attr]
    }
    starts: dict[int, date] = {}
    planned: dict[int, date] = {}
    for p in session.exec(select(CitizenPlacement)).all():
        if p.holds_on(today):
            starts[p.citizen_id] = p.valid_from
        elif p.valid_from > today:
            planned[p.citizen_id] = min(p.valid_from, planned.get(p.citizen_id, p.valid_from))
    return rules.CitizenDirectory(
        teams=[TeamRef(t.id, t.name) for t in open_units(session, Team, today)],  # type: ignore[arg-type]
        kontaktteams=[
            KontaktteamRef(k.id, k.team_id, k.name)  # type: ignore[arg-type]
            for k in open_units(session, Kontaktteam, today)
        ],
        staff=[
            rules.StaffRef(
                s.id,  # type: ignore[arg-type]
                s.external_id,
                s.full_name,
                s.role_set,
                s.active,
                memberships.get(s.id, []),  # type: ignore[arg-type]
            )
            for s in session.exec(select(Staff)).all()
        ],
        citizens=[
            _existing(c, pathways.get(c.id), starts, planned)
            for c in session.exec(select(Citizen)).all()
        ],  # type: ignore[arg-type]
    )


def _existing(c: Citizen, pathway: Pathway | None, starts, planned) -> rules.ExistingCitizen:
    return rules.ExistingCitizen(
        id=c.id,  # type: ignore[arg-type]
        external_id=c.external_id,
        full_name=c.full_name,
        birth_date=c.birth_date,
        street=c.street,
        postcode=c.postcode,
        city=c.city,
        phone=c.phone,
        key_notes=c.key_notes,
        tobs_applies=c.tobs_applies,
        tobs_exemption_reason=c.tobs_exemption_reason,
        habitual_pulse=c.habitual_pulse,
        habitual_systolic_bp=c.habitual_systolic_bp,
        habitual_respiration=c.habitual_respiration,
        habitual_mobility=c.habitual_mobility,
        habitual_appetite=c.habitual_appetite,
        habitual_cognition=c.habitual_cognition,
        team_id=c.team_id,
        kontaktteam_id=c.kontaktteam_id,
        # Placed before placements existed: its place has held since long before any `fra`.
        placement_from=starts.get(c.id, date.min),  # type: ignore[arg-type]
        kontaktperson_id=c.kontaktperson_id,
        forloebsansvarlig_id=c.forloebsansvarlig_id,
        pathway_type=pathway.type if pathway else None,
        pathway_started_on=pathway.started_on if pathway else None,
        planned_move_on=planned.get(c.id),  # type: ignore[arg-type]
    )


def plan(session: Session, text: str, today: date):
    """The plan, and the directory it was made against (to name teams on screen); the
    database is read only when the file itself is readable."""
    read: list[rules.CitizenDirectory] = []

    def load() -> rules.CitizenDirectory:
        read.append(directory(session, today))
        return read[0]

    result = rules.plan_citizen_import(text, load, today)
    return result, read[0] if read else rules.CitizenDirectory([], [], [], [])


def apply(
    session: Session,
    plan: rules.CitizenImportPlan,
    *,
    by: int,
    now: datetime,
    today: date,
    zone: ZoneInfo,
) -> None:
    """Write a plan with no refused row (placement.Refused or registry.Refused may still
    stop it when the data changed in between: the request then rolls everything back)."""
    assert plan.ok
    for row in plan.rows:
        if row.action is rules.Action.CREATE:
            _create(session, row, by=by, now=now, today=today, zone=zone)
        elif row.action is rules.Action.UPDATE:
            _update(session, row, by=by, now=now, today=today, zone=zone)


def _fields(wanted: rules.WantedCitizen) -> dict:
    return {name: getattr(wanted, name) for name in rules.CITIZEN_FIELDS}


def _create(session, row: rules.CitizenRowPlan, *, by, now, today, zone) -> None:
    assert row.citizen is not None and row.pathway is not None
    citizen = Citizen(**_fields(row.citizen))
    session.add(citizen)
    session.flush()
    on = row.placement.valid_from if row.placement else today
    placement.start(session, citizen, on, by=by, now=now)
    audit.record(
        session,
        by=by,
        at=now,
        action=audit.Change.CREATE,
        entity=audit.Entity.CITIZEN,
        entity_id=citizen.id,  # type: ignore[arg-type]
        summary=f"Borger {citizen.full_name} ({row.external_id}) oprettet ved import",
        after=registry.values(citizen),
    )
    _start(session, citizen, row.pathway, by=by, now=now, today=today, zone=zone)


def _start(session, citizen, wanted: rules.WantedPathway, *, by, now, today, zone) -> None:
    referred_at = datetime.combine(wanted.referral_date, REFERRAL_HOUR, zone)
    dues = milestones(wanted.type, referred_at, wanted.referral_date, False, zone)
    skip = frozenset(
        d.kind for d in dues if d.kind in (FollowUpKind.M1, FollowUpKind.M2) and d.due_date < today
    )
    referral = Referral(min(referred_at, now.astimezone(zone)), wanted.type, False)
    pathway = registry.start_pathway(
        session, citizen, referral, by=by, now=now, zone=zone, skip=skip
    )
    _roll_on_m4(session, pathway, wanted.type, today)


def _roll_on_m4(session, pathway: Pathway, kind: PathwayType, today: date) -> None:
    months = DEFAULT_DEADLINES.m4_months.get(kind)
    if not months:
        return
    for follow_up in session.exec(
        select(FollowUp).where(
            FollowUp.pathway_id == pathway.id, FollowUp.kind == FollowUpKind.M4.value
        )
    ).all():
        while follow_up.due_date < today:
            follow_up.due_date = add_months(follow_up.due_date, months)
        session.add(follow_up)
    session.flush()


def _update(session, row: rules.CitizenRowPlan, *, by, now, today, zone) -> None:
    assert row.citizen is not None and row.existing_id is not None
    citizen = session.get(Citizen, row.existing_id)
    before = registry.values(citizen)
    wanted = _fields(row.citizen)
    for name in rules.CITIZEN_FIELDS:
        if name not in ("team_id", "kontaktteam_id", "forloebsansvarlig_id"):
            setattr(citizen, name, wanted[name])
    if row.pathway_change is None:
        citizen.forloebsansvarlig_id = wanted["forloebsansvarlig_id"]
    session.add(citizen)
    session.flush()
    if registry.values(citizen) != before:
        audit.record(
            session,
            by=by,
            at=now,
            action=audit.Change.UPDATE,
            entity=audit.Entity.CITIZEN,
            entity_id=citizen.id,
            summary=f"{citizen.full_name} ({row.external_id}) rettet ved import: "
            + ", ".join(c.field for c in row.changes)[:300],
            before=before,
            after=registry.values(citizen),
        )
    if row.placement is not None:
        p = row.placement
        placement.move(
            session, citizen, p.team_id, p.kontaktteam_id, p.valid_from, by=by, now=now, today=today
        )
    if row.pathway_change is not None:
        fa_id = wanted["forloebsansvarlig_id"]
        result = change_pathway(
            session,
            citizen,
            new_type=row.pathway_change.type,
            change_date=row.pathway_change.on,
            new_forloebsansvarlig=session.get(Staff, fa_id) if fa_id else None,
            by=by,
            now=now,
            zone=zone,
        )
        audit.record(
            session,
            by=by,
            at=now,
            action=audit.Change.CREATE,
            entity=audit.Entity.PATHWAY,
            entity_id=result.new.id,  # type: ignore[arg-type]
            summary=f"{citizen.full_name}: forløbsskift til {result.new.pathway_type.label.lower()}"
            f" fra {rules.format_date(result.new.started_on)} ved import",
            before={"type": result.old.type, "start": result.old.started_on},
            after={"type": result.new.type, "start": result.new.started_on},
        )
    if row.pathway is not None:
        _start(session, citizen, row.pathway, by=by, now=now, today=today, zone=zone)
