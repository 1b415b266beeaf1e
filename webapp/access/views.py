"""A citizen's access log, for leaders (DOMAIN §10: citizens may ask who looked)."""

import csv
import io

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user, login_required
from sqlmodel import select

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.access.scope import get_citizen_or_404
from webapp.db import get_session
from webapp.domain.roles import Role
from webapp.models import AccessLog, AccessLogCitizen, Staff

bp = Blueprint("access", __name__)


def _require_leader() -> None:
    if Role.LEADER not in current_user.role_set:
        abort(403)


def _log_rows(citizen_id: int):
    return (
        get_session()
        .exec(
            select(AccessLog, Staff.full_name, Staff.username)
            .join(AccessLogCitizen, AccessLogCitizen.access_log_id == AccessLog.id)
            .join(Staff, Staff.id == AccessLog.staff_id)
            .where(AccessLogCitizen.citizen_id == citizen_id)
            .order_by(AccessLog.at.desc(), AccessLog.id.desc())  # type: ignore[attr-defined]
        )
        .all()
    )


def _cell(value: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@bp.get("/borgere/<int:citizen_id>/adgangslog")
@login_required
def citizen_log(citizen_id: int):
    _require_leader()
    citizen = get_citizen_or_404(citizen_id)
    rows = _log_rows(citizen.id)
    record_read(Action.ACCESS_LOG, [citizen.id])
    return render_template(
        "access/log.html", citizen=citizen, rows=rows, labels=Action.LABELS, to_local=clock.to_local
    )


@bp.get("/borgere/<int:citizen_id>/adgangslog.csv")
@login_required
def citizen_log_csv(citizen_id: int):
    _require_leader()
    citizen = get_citizen_or_404(citizen_id)
    rows = _log_rows(citizen.id)
    record_read(Action.ACCESS_LOG_EXPORT, [citizen.id])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        ["tidspunkt", "medarbejder", "brugernavn", "roller", "handling", "adresse", "sti"]
    )
    for entry, name, username in rows:
        writer.writerow(
            [
                _cell(value)
                for value in (
                    clock.to_local(entry.at).isoformat(timespec="seconds"),
                    name,
                    username,
                    entry.roles,
                    Action.LABELS.get(entry.action, entry.action),
                    entry.client_addr,
                    entry.path,
                )
            ]
        )
    filename = f"adgangslog-borger-{citizen.id}-{clock.today().isoformat()}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
