"""The offline copy a phone keeps: Mine borgere for the person's own kontaktteam(s), the
citizens they opened in the last days (with a little more of each), the observation checklist,
the TOBS band and action tables, and whom to call about each citizen.

Only what a visit needs without coverage, and nothing the person could not see online: every
query starts from the scope. A handful of queries however many citizens.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func
from sqlmodel import Session, select

from webapp.access.log import Action
from webapp.access.scope import in_scope
from webapp.clock import as_aware
from webapp.domain.citizens import TriageColour
from webapp.domain.dates import age_on
from webapp.domain.duty import Shift, shift_end
from webapp.domain.escalation import Priority
from webapp.domain.scope import Scope
from webapp.domain.tobs import bands_as_data
from webapp.domain.tobs_actions import actions_as_data
from webapp.domain.triage import ChangeKind
from webapp.escalations import routing
from webapp.escalations.routing import line_for
from webapp.models import (
    AccessLog,
    AccessLogCitizen,
    Citizen,
    FollowUp,
    Observation,
    ObservationEntry,
    ObservationItem,
    Staff,
    TobsMeasurement,
    TriageChange,
)
from webapp.observations.services import NO_FACTS, active_items, nudge_states
from webapp.tobs.services import action_table_in_force

VERSION = 1
#: "The pages of citizens opened in the last days".
RECENT_DAYS = 3
MAX_RECENT = 30
RECENT_ACTIONS = (
    Action.CITIZEN,
    Action.OBSERVATION,
    Action.OBSERVATION_SAVED,
    Action.TOBS,
    Action.TOBS_RESULT,
    Action.ESCALATION_FORM,
)
DETAIL_TOBS = 5
DETAIL_OBSERVATION_DAYS = 7
DETAIL_FOLLOW_UPS = 5


@dataclass(frozen=True)
class Context:
    staff: Staff
    scope: Scope
    now: datetime
    zone: ZoneInfo
    shift_starts: dict[Shift, time]


def recent_ids(session: Session, ctx: Context) -> list[int]:
    """Citizens this person opened in the last days, newest first, still in scope."""
    newest = func.max(AccessLog.at)
    rows = session.exec(
        select(AccessLogCitizen.citizen_id, newest)
        .join(AccessLog, AccessLog.id == AccessLogCitizen.access_log_id)  # type: ignore[arg-type]
        .join(Citizen, Citizen.id == AccessLogCitizen.citizen_id)  # type: ignore[arg-type]
        .where(
            AccessLog.staff_id == ctx.staff.id,
            AccessLog.at >= ctx.now - timedelta(days=RECENT_DAYS),
            AccessLog.action.in_(RECENT_ACTIONS),  # type: ignore[attr-defined]
            in_scope(ctx.scope),
        )
        .group_by(AccessLogCitizen.citizen_id)
        .order_by(newest.desc())
        .limit(MAX_RECENT)
    ).all()
    return [row[0] for row in rows]


def _citizens(session: Session, ctx: Context, recent: list[int]) -> list[Citizen]:
    own = Citizen.kontaktteam_id.in_(sorted(ctx.scope.own_kontaktteam_ids))  # type: ignore[union-attr]
    wanted = own | Citizen.id.in_(recent) if recent else own  # type: ignore[union-attr]
    return list(
        session.exec(select(Citizen).where(in_scope(ctx.scope), wanted).order_by(Citizen.id)).all()
    )


def _iso(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return None if moment is None else as_aware(moment).astimezone(zone).isoformat()


def _newest_per_citizen(column_citizen, order, where: ColumnElement[bool], *columns, n: int = 1):
    rank = func.row_number().over(partition_by=column_citizen, order_by=order).label("rn")
    sub = select(column_citizen.label("cid"), *columns, rank).where(where).subquery()
    return select(sub).where(sub.c.rn <= n).order_by(sub.c.cid, sub.c.rn)


def _last_tobs(session: Session, ids: list[int], zone: ZoneInfo, recent: set[int]):
    """Per citizen the newest TOBS (and up to DETAIL_TOBS for recently opened ones)."""
    t = TobsMeasurement
    query = _newest_per_citizen(
        t.citizen_id,
        (t.at.desc(), t.id.desc()),  # type: ignore[attr-defined]
        t.citizen_id.in_(ids),  # type: ignore[attr-defined]
        t.at,
        t.total,
        t.complete,
        t.pulse,
        t.respiration,
        t.corrected_temperature,
        t.systolic,
        t.consciousness,
        n=DETAIL_TOBS,
    )
    found: dict[int, list[dict]] = defaultdict(list)
    for row in session.execute(query).mappings():
        if row["rn"] > 1 and row["cid"] not in recent:
            continue
        found[row["cid"]].append(
            {
                "at": _iso(row["at"], zone),
                "total": row["total"],
                "complete": row["complete"],
                "puls": row["pulse"],
                "respiration": row["respiration"],
                "temperatur": None
                if row["corrected_temperature"] is None
                else str(row["corrected_temperature"]),
                "systolisk": row["systolic"],
                "bevidsthed": row["consciousness"],
            }
        )
    return found


def _colour_reasons(session: Session, ids: list[int], zone: ZoneInfo) -> dict[int, dict]:
    t = TriageChange
    query = _newest_per_citizen(
        t.citizen_id,
        (t.set_at.desc(), t.id.desc()),  # type: ignore[attr-defined]
        and_(t.citizen_id.in_(ids), t.kind == ChangeKind.SET.value),  # type: ignore[attr-defined]
        t.reason,
        t.set_at,
    )
    return {
        row["cid"]: {"reason": row["reason"], "since": _iso(row["set_at"], zone)}
        for row in session.execute(query).mappings()
    }


def _observations(session: Session, ids: list[int], ctx: Context) -> dict[int, list[dict]]:
    """The last week's observations of recently opened citizens, newest first."""
    if not ids:
        return {}
    since = ctx.now - timedelta(days=DETAIL_OBSERVATION_DAYS)
    rows = session.exec(
        select(
            Observation.id,
            Observation.citizen_id,
            Observation.at,
            Observation.no_change,
            Observation.note,
            ObservationItem.label,
        )
        .outerjoin(ObservationEntry, ObservationEntry.observation_id == Observation.id)
        .outerjoin(ObservationItem, ObservationItem.id == ObservationEntry.item_id)
        .where(Observation.citizen_id.in_(ids), Observation.at >= since)  # type: ignore[attr-defined]
        .order_by(Observation.at.desc(), Observation.id.desc(), ObservationItem.position)  # type: ignore[attr-defined]
    ).all()
    found: dict[int, dict[int, dict]] = defaultdict(dict)
    for obs_id, citizen_id, at, no_change, note, label in rows:
        entry = found[citizen_id].setdefault(
            obs_id,
            {"at": _iso(at, ctx.zone), "no_change": no_change, "note": note, "items": []},
        )
        if label:
            entry["items"].append(label)
    return {cid: list(by_id.values()) for cid, by_id in found.items()}


def _follow_ups(session: Session, ids: list[int], ctx: Context) -> dict[int, list[dict]]:
    if not ids:
        return {}
    f = FollowUp
    query = _newest_per_citizen(
        f.citizen_id,
        (f.due_date, f.id),
        and_(f.citizen_id.in_(ids), f.status == "aaben"),  # type: ignore[attr-defined]
        f.title,
        f.due_date,
        n=DETAIL_FOLLOW_UPS,
    )
    found: dict[int, list[dict]] = defaultdict(list)
    for row in session.execute(query).mappings():
        found[row["cid"]].append({"title": row["title"], "due": row["due_date"].isoformat()})
    return found


def _load_people(session: Session, citizens: list[Citizen]) -> dict[int, Staff]:
    """Every kontaktperson and forløbsansvarlig in one query. The caller keeps the dict, so
    the rows stay in the session's identity map and routing's gets do not query again."""
    ids = {c.kontaktperson_id for c in citizens} | {
        c.forloebsansvarlig_id for c in citizens if c.forloebsansvarlig_id
    }
    if not ids:
        return {}
    rows = session.exec(select(Staff).where(Staff.id.in_(sorted(ids)))).all()  # type: ignore[union-attr]
    return {s.id: s for s in rows}  # type: ignore[misc]


def _window_starts(ctx: Context) -> list[datetime]:
    """The moments whom-to-call is asked for: now and the start of the next shift."""
    return [ctx.now, shift_end(ctx.now.astimezone(ctx.zone), ctx.shift_starts)]


def _person(staff: Staff | None) -> dict | None:
    return None if staff is None else {"name": staff.full_name, "phone": staff.phone}


def _whom_to_call(session: Session, citizen: Citizen, ctx: Context, memo: dict) -> list[dict]:
    """Whom a request about the citizen would reach: for the shift now and the next one, so a
    phone offline across a shift change still shows the right person."""
    windows = []
    for start in _window_starts(ctx):
        end = shift_end(start.astimezone(ctx.zone), ctx.shift_starts)
        line = line_for(session, citizen, Priority.NOW, start, ctx.zone, ctx.shift_starts, memo)
        first = line.first
        windows.append(
            {
                "from": _iso(start, ctx.zone),
                "until": _iso(end, ctx.zone),
                "name": first.staff.full_name if first else None,
                "phone": first.staff.phone if first else None,
                "rule": first.choice.rule.label if first else None,
            }
        )
    return windows


def build(session: Session, ctx: Context) -> dict:
    recent = recent_ids(session, ctx)
    citizens = _citizens(session, ctx, recent)
    ids = [c.id for c in citizens]
    detail_ids = [i for i in recent if i in set(ids)]
    tobs = _last_tobs(session, ids, ctx.zone, set(detail_ids)) if ids else {}
    colours = _colour_reasons(session, ids, ctx.zone) if ids else {}
    observations = _observations(session, detail_ids, ctx)
    follow_ups = _follow_ups(session, detail_ids, ctx)
    nudges = nudge_states(session, lambda column: column.in_(ids), ctx.now) if ids else {}
    lines: dict[tuple[int, int | None], list[dict]] = {}
    memo: dict = {}
    people = _load_people(session, citizens)
    routing.prefetch(session, memo, citizens, _window_starts(ctx), ctx.zone, ctx.shift_starts)
    table = action_table_in_force(session, ctx.now.astimezone(ctx.zone).date())
    today = ctx.now.astimezone(ctx.zone).date()
    rows = []
    for c in citizens:
        key = (c.team_id, c.forloebsansvarlig_id)
        if key not in lines:
            lines[key] = _whom_to_call(session, c, ctx, memo)
        detailed = c.id in detail_ids
        rows.append(
            {
                "id": c.id,
                "name": c.full_name,
                "age": age_on(c.birth_date, today),
                "address": c.short_address,
                "phone": c.phone,
                "colour": c.triage_colour,
                "colour_label": TriageColour(c.triage_colour).label,
                "colour_reason": colours.get(c.id),
                "key_notes": c.key_note_list,
                "tobs_applies": c.tobs_applies,
                "needs_tobs": nudges.get(c.id, NO_FACTS).needs_tobs and c.tobs_applies,
                "tobs": tobs.get(c.id, []),
                "kontaktperson": _person(people.get(c.kontaktperson_id)),
                "forloebsansvarlig": _person(people.get(c.forloebsansvarlig_id))
                if c.forloebsansvarlig_id
                else None,
                "own": c.kontaktteam_id in ctx.scope.own_kontaktteam_ids,
                "recent": detailed,
                "call": lines[key],
                "habitual": _habitual(c) if detailed else None,
                "observations": observations.get(c.id, []) if detailed else None,
                "follow_ups": follow_ups.get(c.id, []) if detailed else None,
            }
        )
    return {
        "version": VERSION,
        "generated_at": _iso(ctx.now, ctx.zone),
        "user": {"id": ctx.staff.id, "name": ctx.staff.full_name},
        "citizens": rows,
        "recent": detail_ids,
        "observation_items": [
            {"id": i.id, "label": i.label, "triggers_tobs": i.triggers_tobs}
            for i in active_items(session)
        ],
        "tobs": {
            "bands": bands_as_data(),
            "actions": actions_as_data(table.rows, table.label),
        },
    }


def _habitual(c: Citizen) -> list[list[str]]:
    bp = c.habitual_systolic_bp
    pairs = [
        ("Puls", f"{c.habitual_pulse} /min" if c.habitual_pulse else None),
        ("Blodtryk (systolisk)", f"{bp} mmHg" if bp else None),
        ("Respiration", f"{c.habitual_respiration} /min" if c.habitual_respiration else None),
        ("Mobilitet", c.habitual_mobility),
        ("Appetit", c.habitual_appetite),
        ("Kognition", c.habitual_cognition),
    ]
    return [[label, value] for label, value in pairs if value]
