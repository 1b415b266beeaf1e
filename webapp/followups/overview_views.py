"""Overblik: follow-ups held, coming, overdue and missing per kind for a team, an area or the
whole municipality; the list behind a count; the table as CSV.

Who sees what: admin every unit, counts only (never the citizens behind them); anyone else
the units whose teams are all in their scope (a leader their unit, a health-unit leader the
area), with the citizens behind the counts. Anything else is a 404 that confirms nothing.
"""

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user, login_required

from webapp import clock
from webapp.access.log import Action, record_read
from webapp.access.scope import current_scope
from webapp.db import get_session
from webapp.domain.followups import Bucket, FollowUpKind
from webapp.domain.roles import Role, sees_citizens
from webapp.followups import overview
from webapp.followups.overview import Period, PeriodError, Unit

bp = Blueprint("overview", __name__, url_prefix="/opfoelgninger/overblik")


@bp.get("")
@login_required
def index():
    """The table per kind and a bar per team; ``?format=csv`` gives the table as CSV."""
    units = _units()
    unit = _unit(units)
    period, error = _period()
    if period is None:
        return _page(units, unit, None, error=error), 400
    rows = overview.counts(get_session(), unit.team_ids, period, clock.today(), clock.local_zone())
    if request.args.get("format") == "csv":
        return _csv(unit, period, rows)
    return _page(units, unit, period, rows=rows)


@bp.get("/liste")
@login_required
def drilldown():
    """The follow-ups behind one count (``art`` a kind, ``udfald`` a bucket; either may be left
    out for all), with the citizens' names: logged, and never for admin."""
    units = _units()
    unit = _unit(units)
    if not unit.drill:
        abort(404)
    kind = _choice(request.args.get("art"), {k.value for k in FollowUpKind})
    bucket_value = _choice(request.args.get("udfald"), {b.value for b in Bucket})
    bucket = Bucket(bucket_value) if bucket_value else None
    period, error = _period()
    if period is None:
        return _page(units, unit, None, error=error), 400
    found = overview.listed(
        get_session(), unit.team_ids, period, clock.today(), clock.local_zone(), kind, bucket
    )
    more = len(found) > overview.DRILL_LIMIT
    found = found[: overview.DRILL_LIMIT]
    record_read(Action.FOLLOW_UPS, sorted({f.citizen_id for f in found}))
    return render_template(
        "followups/overview_list.html",
        unit=unit,
        period=period,
        kind=kind,
        kind_label=overview.kind_label(kind) if kind else overview.TOTAL_LABEL,
        bucket=bucket,
        found=found,
        more=more,
        limit=overview.DRILL_LIMIT,
        team_names={t.id: t.name for t in unit.teams},
        back_args={"enhed": unit.key, **period.args},
    )


def _units() -> list[Unit]:
    roles = current_user.role_set
    is_admin = Role.ADMIN in roles
    citizens = sees_citizens(roles)
    if not (is_admin or citizens):
        abort(404)
    visible = current_scope().team_ids if citizens else frozenset()
    units = overview.units_for(overview.teams(get_session()), is_admin=is_admin, visible=visible)
    if not units:
        abort(404)
    return units


def _unit(units: list[Unit]) -> Unit:
    """``?enhed=``, or the widest unit the person may see; one they may not see is a 404."""
    key = request.args.get("enhed", "").strip()
    if not key:
        return units[0]
    unit = overview.find_unit(units, key)
    if unit is None:
        abort(404)
    return unit


def _period() -> tuple[Period | None, str]:
    try:
        period = overview.parse_period(
            request.args.get("fra"), request.args.get("til"), clock.today()
        )
    except PeriodError as error:
        return None, str(error)
    return period, ""


def _choice(value: str | None, allowed: set[str]) -> str | None:
    if not value:
        return None
    if value not in allowed:
        abort(400)
    return value


def _page(units: list[Unit], unit: Unit, period: Period | None, rows=(), error: str = ""):
    today = clock.today()
    shown = period or overview.default_period(today)
    return render_template(
        "followups/overview.html",
        units=units,
        unit=unit,
        period=period,
        fra=request.args.get("fra", shown.start.isoformat())[:20],
        til=request.args.get("til", shown.end.isoformat())[:20],
        error=error,
        table=overview.table(rows) if period else None,
        bars=overview.team_bars(rows, unit.teams) if period else [],
        buckets=list(Bucket),
        fills=overview.FILLS,
        patterned=overview.PATTERNED,
        levels=overview.Level,
    )


def _csv(unit: Unit, period: Period, rows) -> Response:
    body = overview.csv_text(unit, rows)
    response = Response(body.encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{overview.csv_filename(unit, period)}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
