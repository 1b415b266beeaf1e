"""Create a fresh Aarhus-scale database: migrate it with Alembic, fill it with webapp.demo.

    .venv/bin/python -m bench.generate                  # SQLite file bench/out/aarhus.db
    .venv/bin/python -m bench.generate --database-url postgresql+psycopg://...

The data is `demo.load(session, today, size=AARHUS, demo_logins=True, seed=2026)`; it is
deterministic for a given `today` (default: today in Copenhagen, because the server under
test runs on real time and memberships are dated relative to today).
"""

import argparse
import cProfile
import hashlib
import json
import pstats
import sys
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, text
from sqlmodel import Session, select

from bench.common import default_url, dialect, write_json
from tests.database import migrate
from webapp import demo, models
from webapp.db import make_engine
from webapp.models import Area, Citizen, HealthUnit, Kontaktteam, Membership, Staff, Team


def fresh(url: str) -> None:
    """An empty database at `url`: delete the SQLite file, or drop the PostgreSQL schema."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def counts(session: Session) -> dict:
    def n(model) -> int:
        return session.exec(select(func.count()).select_from(model)).one()

    def distinct_staff(kind: str) -> int:
        return session.exec(
            select(func.count(func.distinct(Membership.staff_id))).where(Membership.kind == kind)
        ).one()

    by_role = Counter(session.exec(select(Staff.roles)).all())
    per_team = sorted(
        session.exec(select(func.count()).select_from(Citizen).group_by(Citizen.team_id)).all()
    )
    citizens = session.exec(
        select(Citizen.full_name, Citizen.team_id, Citizen.triage_colour).order_by(Citizen.id)
    ).all()
    fingerprint = hashlib.sha256(repr(list(citizens)).encode()).hexdigest()[:16]
    return {
        "areas": n(Area),
        "health_units": n(HealthUnit),
        "teams": n(Team),
        "kontaktteams": n(Kontaktteam),
        "staff": sum(by_role.values()),
        "staff_by_role": dict(sorted(by_role.items())),
        "staff_with_team_membership": distinct_staff("team"),
        "staff_with_health_unit_membership": distinct_staff("sundhedsenhed"),
        "staff_in_a_basisteam": distinct_staff("basisteam"),
        "memberships": n(Membership),
        "citizens": n(Citizen),
        "citizens_per_team": {
            "min": per_team[0],
            "median": per_team[len(per_team) // 2],
            "max": per_team[-1],
        },
        "citizen_fingerprint": fingerprint,
        # What Mine borgere's TOBS column and nudge read (tables from the observations work).
        "observations": n(models.Observation) if hasattr(models, "Observation") else None,
        "tobs_measurements": (
            n(models.TobsMeasurement) if hasattr(models, "TobsMeasurement") else None
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="Create the Aarhus-scale bench database.")
    parser.add_argument("--database-url", default=default_url())
    parser.add_argument("--today", help="YYYY-MM-DD (default: today in Copenhagen)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true", help="cProfile the load (stderr)")
    args = parser.parse_args()
    url = args.database_url
    today = (
        date.fromisoformat(args.today)
        if args.today
        else datetime.now(ZoneInfo("Europe/Copenhagen")).date()
    )

    t0 = time.perf_counter()
    fresh(url)
    migrate(url)
    t1 = time.perf_counter()
    engine = make_engine(url)
    profiler = cProfile.Profile() if args.profile else None
    with Session(engine) as session:
        if profiler:
            profiler.enable()
        built = demo.load(session, today, size=demo.AARHUS, demo_logins=True, seed=args.seed)
        session.commit()
        if profiler:
            profiler.disable()
        t2 = time.perf_counter()
        result = counts(session)
        if engine.dialect.name == "postgresql":
            session.exec(text("ANALYZE"))
            result["server_version"] = session.exec(text("SHOW server_version")).one()[0]
    engine.dispose()
    result.update(
        dialect=dialect(url),
        today=today.isoformat(),
        seed=args.seed,
        built={"teams": built.teams, "staff": built.staff, "citizens": built.citizens},
        seconds={"migrate": round(t1 - t0, 2), "load": round(t2 - t1, 2)},
    )
    print(json.dumps(result, indent=2, ensure_ascii=False))
    write_json(f"generate-{dialect(url)}.json", result)
    if profiler:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
