"""Latency and throughput under wrk: Mine borgere, GET / (own kontaktteam) and GET /?alle=1
(the whole team), with 16 signed-in helpers from 16 teams, then /offline (a small template,
no database) without a cookie and signed in, for the throughput ratio.

    .venv/bin/python -m bench.load [--database-url URL] [--duration 20] [--skip-offline]

All traffic goes to a gunicorn started here on 127.0.0.1; every wrk run is bounded.
"""

import argparse
import json
import os
import subprocess
import time

from sqlalchemy import func
from sqlmodel import Session, select

from bench.common import (
    APP,
    OUT,
    PAGES,
    ROOT,
    OtherCpu,
    Server,
    default_url,
    dialect,
    gunicorn,
    http_login,
    load_logins,
    log_problems,
    write_json,
)
from webapp.db import make_engine
from webapp.models import AccessLog, AccessLogCitizen

CONNECTIONS = 16
THREADS = 2
WARMUP_SECONDS = 3
RATIO_TARGET = 0.5


def wrk(server: Server, path: str, seconds: int, cookies: str | None, postgres: bool) -> dict:
    env = {**os.environ, "BENCH_COOKIES": cookies or ""}
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "wrk.lua"),
        f"{server.base}{path}",
    ]
    other = OtherCpu(server.process.pid, postgres)
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=seconds + 30, check=True
    )
    other_cpu = other.share_of_a_core()
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON "))
    result = json.loads(line.removeprefix("BENCH_JSON "))
    seconds_run = result["duration_us"] / 1e6
    lat = result["latency_us"]
    result.update(
        path=path,
        seconds=round(seconds_run, 2),
        requests_per_second=round(result["requests"] / seconds_run, 1),
        p50_ms=round(lat["p50"] / 1000, 1),
        p95_ms=round(lat["p95"] / 1000, 1),
        p99_ms=round(lat["p99"] / 1000, 1),
        non_2xx=sum(n for code, n in result["statuses"].items() if not code.startswith("2")),
        other_cpu=other_cpu,
    )
    return result


def measured(server: Server, path: str, seconds: int, cookies: str | None) -> dict:
    """A warm-up run, then the measured one."""
    postgres = server.database_url.startswith("postgresql")
    warm = wrk(server, path, WARMUP_SECONDS, cookies, postgres)
    result = wrk(server, path, seconds, cookies, postgres)
    result["warmup"] = {k: warm[k] for k in ("requests", "statuses")}
    return result


def access_log_rows(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with Session(engine) as s:
        rows = s.exec(select(func.count()).select_from(AccessLog)).one()
        citizens = s.exec(select(func.count()).select_from(AccessLogCitizen)).one()
    engine.dispose()
    return rows, citizens


def show(name: str, r: dict) -> None:
    print(
        f"  {name:<28} {r['requests_per_second']:>7.1f} req/s  p50 {r['p50_ms']:>6.1f} ms  "
        f"p95 {r['p95_ms']:>6.1f} ms  p99 {r['p99_ms']:>6.1f} ms  "
        f"{r['requests']} requests, statuses {r['statuses']}, socket errors "
        f"{ {k: v for k, v in r['errors'].items() if k != 'status' and v} or 0 }, "
        f"other CPU {r['other_cpu']} cores"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="wrk against gunicorn on 127.0.0.1.")
    parser.add_argument("--database-url", default=default_url())
    parser.add_argument("--duration", type=int, default=20, help="seconds per measured run")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--skip-offline", action="store_true")
    args = parser.parse_args()
    url, kind = args.database_url, dialect(args.database_url)
    duration = max(1, min(args.duration, 60))
    logins = load_logins(url, CONNECTIONS)
    result: dict = {
        "dialect": kind,
        "app": APP,
        "workers": args.workers,
        "worker_class": "sync",
        "connections": CONNECTIONS,
        "wrk_threads": THREADS,
        "warmup_seconds": WARMUP_SECONDS,
        "duration_seconds": duration,
        "logins": [
            {"username": x.username, "team": x.team, "citizens": x.team_citizens} for x in logins
        ],
        "pages": {},
    }
    with gunicorn(url, f"load-{kind}", workers=args.workers) as server:
        t0 = time.monotonic()
        cookies = [http_login(server.port, x.username) for x in logins]
        result["login_seconds"] = round(time.monotonic() - t0, 2)
        cookie_file = OUT / "cookies.txt"
        cookie_file.write_text("\n".join(cookies) + "\n")
        for path in PAGES:
            before = access_log_rows(url)
            run = measured(server, path, duration, str(cookie_file))
            time.sleep(0.5)
            after = access_log_rows(url)
            run["access_log"] = {
                "rows_added": after[0] - before[0],
                "citizen_rows_added": after[1] - before[1],
                "responses_200_seen_by_wrk": sum(
                    n
                    for statuses in (run["statuses"], run["warmup"]["statuses"])
                    for code, n in statuses.items()
                    if code == "200"
                ),
            }
            result["pages"][path] = run
        if not args.skip_offline:
            result["offline"] = measured(server, "/offline", duration, None)
            # The same page with the 16 sessions: user loader query, idle check, new cookie.
            result["offline_signed_in"] = measured(server, "/offline", duration, str(cookie_file))
            result["ratio_target"] = RATIO_TARGET
            result["ratios"] = {
                path: {
                    base: round(run["requests_per_second"] / result[base]["requests_per_second"], 3)
                    for base in ("offline", "offline_signed_in")
                }
                for path, run in result["pages"].items()
            }
    result["server_log"] = log_problems(server.error_log)
    write_json(f"load-{kind}.json", result)
    print(
        f"wrk, {CONNECTIONS} connections, {duration} s, gunicorn {args.workers} sync workers, "
        f"{kind}:"
    )
    for path, run in result["pages"].items():
        show(f"GET {path}", run)
        print(f"    access log: {run['access_log']}")
    if "offline" in result:
        show("GET /offline, no cookie", result["offline"])
        show("GET /offline, signed in", result["offline_signed_in"])
        for path, ratios in result["ratios"].items():
            print(
                f"  ratio GET {path} / offline: {ratios['offline']} (no cookie), "
                f"{ratios['offline_signed_in']} (signed in); target ≥ {RATIO_TARGET}"
            )
    print(f"  server log: {result['server_log']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
