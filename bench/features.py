"""The TOBS live score and Overblik on the Aarhus-scale database.

1. SQL statements per request, in-process (Flask test client, signed in through the real
   form, counted with `before_cursor_execute`): the TOBS live-score fragment (htmx), and
   Overblik for a team (its leder), an area (a health-unit leader) and the whole
   municipality (admin), twice each with different periods; it must not grow with the
   size of the unit.
2. wrk at 16 connections against gunicorn on 127.0.0.1: the TOBS fragment with the session
   cookies of 16 staff of one team typing into the form of one of its citizens, and the
   municipality-wide Overblik with the admin's cookie. p50/p95/p99 and req/s.

    .venv/bin/python -m bench.features [--database-url URL] [--duration 20]
"""

import argparse
import os
import time
from urllib.parse import urlencode

from sqlalchemy import event, func
from sqlmodel import Session, select

from bench.common import OUT, default_url, dialect, gunicorn, http_login, log_problems, write_json
from bench.load import CONNECTIONS, THREADS, measured, show
from bench.querycount import Counter, sign_in
from webapp import create_app
from webapp.db import make_engine
from webapp.domain.roles import Role
from webapp.models import Citizen, FollowUp, HealthUnit, Membership, MembershipKind, Staff, Team

#: Values a helper might have typed so far (score 5: two parameters of 2, one of 1).
TOBS_VALUES = {
    "puls": "112",
    "respiration": "22",
    "temperatur": "38,2",
    "maalemetode": "oral",
    "systolisk": "105",
    "bevidsthed": "habituel",
}
HTMX = {"HX-Request": "true"}
PERIODS = ("", "?fra=2026-01-01&til=2026-12-31")


def _people(url: str) -> dict:
    """The demo team's citizen and 16 of its staff, a health-unit leader, follow-up count."""
    engine = make_engine(url)
    with Session(engine) as s:
        team_id = s.exec(
            select(Membership.team_id)
            .join(Staff, Staff.id == Membership.staff_id)
            .where(Staff.username == "hjaelper", Membership.kind == MembershipKind.TEAM)
        ).first()
        citizen_id = s.exec(
            select(Citizen.id)
            .where(Citizen.team_id == team_id, Citizen.tobs_applies.is_(True))  # type: ignore[attr-defined]
            .order_by(Citizen.id)
        ).first()
        staff = s.exec(
            select(Staff.username)
            .join(Membership, Membership.staff_id == Staff.id)
            .where(
                Membership.team_id == team_id,
                Membership.kind == MembershipKind.TEAM,
                Membership.valid_to.is_(None),  # type: ignore[union-attr]
                Staff.roles.in_([Role.HELPER.value, Role.ASSISTANT.value]),  # type: ignore[attr-defined]
            )
            .order_by(Staff.id)
        ).all()
        unit_leader = s.exec(
            select(Staff.username)
            .join(Membership, Membership.staff_id == Staff.id)
            .where(
                Membership.kind == MembershipKind.HEALTH_UNIT,
                Staff.roles == Role.LEADER.value,
            )
            .order_by(Staff.id)
        ).first()
        counts = {
            "follow_ups": s.exec(select(func.count()).select_from(FollowUp)).one(),
            "teams": s.exec(select(func.count()).select_from(Team)).one(),
            "health_units": s.exec(select(func.count()).select_from(HealthUnit)).one(),
            "citizens": s.exec(select(func.count()).select_from(Citizen)).one(),
        }
    engine.dispose()
    return {
        "citizen_id": citizen_id,
        "staff": list(staff[:CONNECTIONS]),
        "unit_leader": unit_leader,
        "counts": counts,
    }


def query_counts(url: str, people: dict) -> dict:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": False})
    counter = Counter()
    event.listen(app.extensions["engine"], "before_cursor_execute", counter)
    tobs = f"/borgere/{people['citizen_id']}/tobs?{urlencode(TOBS_VALUES)}"
    overview = "/opfoelgninger/overblik"
    plan = [("TOBS live score (htmx), hjælper", people["staff"][0], tobs, HTMX)]
    # Each person's widest unit (the default): a team, an area, the whole municipality.
    for label, username in (
        ("Overblik, team (leder)", "leder"),
        ("Overblik, område (leder af sundhedsenhed)", people["unit_leader"]),
        ("Overblik, hele kommunen (admin)", "admin"),
    ):
        plan += [
            (f"{label}{', ' + p[1:] if p else ''}", username, overview + p, {}) for p in PERIODS
        ]
    found = []
    for label, username, path, headers in plan:
        client = sign_in(app, username)
        client.get(path, headers=headers)  # warm
        counter.take()
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        ms = round((time.perf_counter() - started) * 1000, 1)
        statements = counter.take()
        found.append(
            {
                "label": label,
                "username": username,
                "path": path,
                "status": response.status_code,
                "statements": len(statements),
                "in_process_ms": ms,
            }
        )
    app.extensions["engine"].dispose()
    return {"requests": found}


def load(url: str, people: dict, duration: int) -> dict:
    result: dict = {"connections": CONNECTIONS, "threads": THREADS, "duration": duration}
    tag = f"features-{dialect(url)}"
    with gunicorn(url, tag) as server:
        staff_cookies = OUT / "cookies-team.txt"
        staff_cookies.write_text(
            "\n".join(http_login(server.port, u) for u in people["staff"]) + "\n"
        )
        admin_cookies = OUT / "cookies-admin.txt"
        admin_cookies.write_text(http_login(server.port, "admin") + "\n")
        tobs = f"/borgere/{people['citizen_id']}/tobs?{urlencode(TOBS_VALUES)}"
        os.environ["BENCH_HX"] = "1"
        try:
            result["tobs_fragment"] = measured(server, tobs, duration, str(staff_cookies))
        finally:
            os.environ.pop("BENCH_HX", None)
        result["overview_all"] = measured(
            server, "/opfoelgninger/overblik", duration, str(admin_cookies)
        )
    result["server_log"] = log_problems(server.error_log)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description="TOBS live score and Overblik.")
    parser.add_argument("--database-url", default=default_url())
    parser.add_argument("--duration", type=int, default=20)
    args = parser.parse_args()
    url = args.database_url
    people = _people(url)
    counts = query_counts(url, people)
    result = {"dialect": dialect(url), "people": people, **counts}
    print(f"SQL statements per request ({dialect(url)}), data: {people['counts']}:")
    for r in counts["requests"]:
        print(
            f"  {r['label']:<58} {r['statements']:>2} statements, status {r['status']}, "
            f"{r['in_process_ms']} ms in-process"
        )
    result["load"] = load(url, people, max(1, min(args.duration, 60)))
    print(f"wrk, {CONNECTIONS} connections:")
    show("TOBS live score (htmx)", result["load"]["tobs_fragment"])
    show("Overblik, hele kommunen", result["load"]["overview_all"])
    print(f"  server log: {result['load']['server_log']}")
    write_json(f"features-{dialect(url)}.json", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
