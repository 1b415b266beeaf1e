"""The audit log (revisionslog): every administrative change with who, when, and the values
before and after. Append-only (database triggers); readable and exportable by admin."""

import csv
import io
import json
from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, select

from webapp.clock import as_aware
from webapp.models import AuditLog, Staff


class Entity:
    STAFF = "medarbejder"
    MEMBERSHIP = "medlemskab"
    TOBS_TABLE = "tobs_handlingsanvisning"
    UNIT = "organisation"
    CITIZEN = "borger"
    PLACEMENT = "placering"
    PATHWAY = "forloeb"

    LABELS = {
        STAFF: "Medarbejder",
        MEMBERSHIP: "Medlemskab",
        TOBS_TABLE: "TOBS-handlingsanvisning",
        UNIT: "Enhed",
        CITIZEN: "Borger",
        PLACEMENT: "Placering",
        PATHWAY: "Forløb",
    }


class Change:
    CREATE = "opret"
    UPDATE = "ret"
    END = "afslut"
    CANCEL = "fortryd"

    LABELS = {CREATE: "Oprettet", UPDATE: "Rettet", END: "Afsluttet", CANCEL: "Fortrudt"}


def _json(values: dict | None) -> str:
    return (
        ""
        if values is None
        else json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    )


def record(
    session: Session,
    *,
    by: int,
    at: datetime,
    action: str,
    entity: str,
    entity_id: int | str,
    summary: str,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditLog:
    entry = AuditLog(
        at=at,
        staff_id=by,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        summary=summary[:400],
        before=_json(before),
        after=_json(after),
    )
    session.add(entry)
    return entry


def entries(session: Session, limit: int | None = 200) -> list[tuple[AuditLog, str]]:
    """Newest first, with the name of who made the change."""
    query = (
        select(AuditLog, Staff.full_name)
        .join(Staff, Staff.id == AuditLog.staff_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())  # type: ignore[attr-defined]
    )
    if limit is not None:
        query = query.limit(limit)
    return [(row[0], row[1]) for row in session.exec(query).all()]


def as_csv(rows: Iterable[tuple[AuditLog, str]], zone) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["tidspunkt", "af", "handling", "type", "id", "beskrivelse", "før", "efter"])
    for entry, name in rows:
        writer.writerow(
            [
                as_aware(entry.at).astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                name,
                Change.LABELS.get(entry.action, entry.action),
                Entity.LABELS.get(entry.entity, entry.entity),
                entry.entity_id,
                entry.summary,
                entry.before,
                entry.after,
            ]
        )
    return "\ufeff" + out.getvalue()  # a BOM so a spreadsheet reads the Danish letters
