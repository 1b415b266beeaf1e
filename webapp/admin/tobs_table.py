"""The TOBS action table (handlingsanvisning) as versions: a new version is written with its
approver and the date it takes effect, and is never changed afterwards, so every saved TOBS
can still be read with the version it was judged by."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from webapp.admin import audit
from webapp.domain.tobs_actions import ActionRow
from webapp.models import TobsActionRow, TobsActionVersion
from webapp.tobs.services import action_table, action_table_in_force

MUNICIPALITY_FALLBACK = "Kommunen"
MAX_APPROVER = 160
MAX_NOTE = 400

NO_APPROVER = "Skriv hvem der har godkendt tabellen."
APPROVER_TOO_LONG = f"Godkender må højst være {MAX_APPROVER} tegn."
NOTE_TOO_LONG = f"Noten må højst være {MAX_NOTE} tegn."
NO_DATE = "Skriv datoen tabellen gælder fra, for eksempel 01.01.2027."
DATE_IN_PAST = (
    "En ny tabel kan tidligst gælde fra i dag: gamle målinger er vurderet efter den gamle."
)


@dataclass(frozen=True)
class VersionLine:
    version: TobsActionVersion
    status: str  # "i kraft", "kommende", "tidligere"


def versions(session: Session, today: date) -> list[VersionLine]:
    rows = session.exec(
        select(TobsActionVersion).order_by(
            TobsActionVersion.effective_from.desc(),  # type: ignore[attr-defined]
            TobsActionVersion.version.desc(),  # type: ignore[attr-defined]
        )
    ).all()
    in_force = action_table_in_force(session, today).version.id
    return [
        VersionLine(
            v,
            "i kraft"
            if v.id == in_force
            else "kommende"
            if v.effective_from > today
            else "tidligere",
        )
        for v in rows
    ]


def check_header(approver: str, effective: date | None, note: str, today: date) -> list[str]:
    errors = []
    if not approver:
        errors.append(NO_APPROVER)
    elif len(approver) > MAX_APPROVER:
        errors.append(APPROVER_TOO_LONG)
    if len(note) > MAX_NOTE:
        errors.append(NOTE_TOO_LONG)
    if effective is None:
        errors.append(NO_DATE)
    elif effective < today:
        errors.append(DATE_IN_PAST)
    return errors


def _values(version: TobsActionVersion, rows: list[ActionRow]) -> dict:
    return {
        "version": version.version,
        "godkendt_af": version.approver,
        "gaelder_fra": version.effective_from,
        "note": version.note,
        "raekker": [
            [r.min_score, r.max_score, r.any_parameter_three, r.urgency.value, r.escalate, r.text]
            for r in rows
        ],
    }


def create(
    session: Session,
    rows: list[ActionRow],
    *,
    approver: str,
    effective: date,
    note: str,
    by: int,
    now: datetime,
    today: date,
) -> TobsActionVersion:
    current = action_table_in_force(session, today)
    number = session.exec(select(func.max(TobsActionVersion.version))).one() or 0
    version = TobsActionVersion(
        municipality=current.version.municipality or MUNICIPALITY_FALLBACK,
        version=number + 1,
        approver=approver,
        locally_approved=True,
        effective_from=effective,
        note=note,
    )
    session.add(version)
    session.flush()
    for row in rows:
        session.add(
            TobsActionRow(
                version_id=version.id,  # type: ignore[arg-type]
                min_score=row.min_score,
                max_score=row.max_score,
                any_parameter_three=row.any_parameter_three,
                urgency=row.urgency.value,
                escalate=row.escalate,
                text=row.text,
            )
        )
    session.flush()
    before = _values(current.version, list(current.rows))
    audit.record(
        session,
        by=by,
        at=now,
        action=audit.Change.CREATE,
        entity=audit.Entity.TOBS_TABLE,
        entity_id=version.id,  # type: ignore[arg-type]
        summary=f"TOBS-handlingsanvisning version {version.version}, godkendt af {approver}, "
        f"gælder fra {effective.strftime('%d.%m.%Y')}",
        before=before,
        after=_values(version, rows),
    )
    return version


def table(session: Session, version_id: int):
    if session.get(TobsActionVersion, version_id) is None:
        return None
    return action_table(session, version_id)
