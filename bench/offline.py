"""Working without coverage (issue 7): what the phone keeps for a kontaktteam of 40 citizens,
and how long the queue takes to empty when the connection returns.

On its own copy of the Aarhus-scale database (it moves citizens and adds rows):

1. Plan, in-process: the kontaktteam closest to 40 citizens (not in the team of the largest
   one) is made exactly 40 by moving citizens between it and the other kontaktteams of its
   team; the largest kontaktteam stays as generated. Each gets one helper whose only
   membership is an open-ended team membership with that kontaktteam, so the copy holds that
   kontaktteam and nothing else of the team.
2. In-process (Flask test client, sign-in through the real form): the helper opens 10 of the
   kontaktteam's citizen pages (`GET /borgere/<id>`: "recently opened", with details), then
   `GET /offline/data`: body bytes (raw, and gzip as the app sends it), the bytes per part of
   the copy, the SQL statements of one request (a `before_cursor_execute` listener, as
   bench.querycount) with their times, and the median of 20 requests (`Accept-Encoding: gzip`
   as a phone asks; after one warm-up).
3. gunicorn (2 × cores sync workers, production settings, an access log with `%(D)s`) and
   Debian Chromium as a Pixel 7 (Playwright, a persistent profile in a temporary directory
   so storage is on disk as on a phone): sign in, open the same 10 citizen pages (each
   refreshes the copy, as offline.js does for a citizen not yet in it), open Mine borgere,
   wait for the service worker to control the page and for the copy in IndexedDB. Then
   `navigator.storage.estimate()` (usage and Chromium's `usageDetails`), the copy as
   stored (UTF-8 bytes of `JSON.stringify(copy)`), every entry of Cache Storage (body bytes
   as the cache holds them), and, after the browser is closed, the profile's files on disk.
   The shell (SHELL_FILES + /offline, the URLs `/sw.js` names) also straight from gunicorn:
   body bytes without and with gzip.
4. Sync on reconnect, with the 40-citizen helper in a normal Pixel 7 context: Mine borgere
   open, the copy fetched, the service worker controlling. Then the server goes away
   (gunicorn stopped) and the context is set offline; 20 well-formed items (10 TOBS, 10
   observations, for citizens of the helper's kontaktteam, TOBS only where TOBS applies) are
   put in the queue with `OpsporStore.queuePut` (what the service worker does with a form it
   cannot send); gunicorn is started again on the same port (same secret key, so the
   session holds) and, once it answers, the context is set online: the page's `online`
   event runs `OpsporSync.run()`. Time = from just before `context.set_offline(False)`
   (wall clock) until the queue is empty (the page's clock, `performance.timeOrigin +
   performance.now()`, read when a `BroadcastChannel` message from sync.js finds the queue
   empty); also from the page's `online` event. Five rounds, fresh items each time. Server
   time per `POST /offline/sync` from the access log (`%(D)s`). Afterwards every item id
   must be stored exactly once (`tobs_measurement.client_id`, `observation.client_id`).

    .venv/bin/python -m bench.offline [--database-url URL] [--rounds 5]

Without `--database-url` it copies bench/out/aarhus.db (or the SQLite file of
$DATABASE_URL) to bench/out/aarhus-offline.db and works on that; a URL given is used as it
is, and modified. Either way the database is migrated to the head revision first (the
client ids of issue 7). SQLite only: the step copies and modifies the database.
"""

import argparse
import cProfile
import gzip
import json
import os
import pstats
import re
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from sqlalchemy import event, func
from sqlmodel import Session, select

from bench.common import (
    APP,
    HOST,
    OUT,
    ROOT,
    VENV_BIN,
    Server,
    _stop,
    _wait_ready,
    default_url,
    dialect,
    free_port,
    http_get,
    log_problems,
    write_json,
)
from bench.pagebytes import ARGS, CHROMIUM, DEVICE
from bench.querycount import sign_in
from tests.database import migrate
from webapp import create_app
from webapp.demo import DEMO_PASSWORD
from webapp.models import (
    Citizen,
    Kontaktteam,
    Membership,
    MembershipKind,
    Observation,
    Staff,
    TobsMeasurement,
)

TARGET_CITIZENS = 40
OPENED = 10
TIMED_REQUESTS = 20
ROUNDS = 5
TOBS_ITEMS = OBSERVATION_ITEMS = 10
SYNC_TIMEOUT_S = 60
TOBS_FIELDS = {
    "puls": ["112"],
    "respiration": ["22"],
    "temperatur": ["38,4"],
    "maalemetode": ["rektal"],
    "systolisk": ["105"],
    "bevidsthed": ["habituel"],
}
OBSERVATION_FIELDS = {"ingen_aendringer": ["1"], "note": [""]}
ACCESS_FORMAT = '"%(r)s" %(s)s %(B)s %(D)s'
ACCESS_LINE = re.compile(r'^"(\S+) (\S+) [^"]*" (\d{3}) (\d+|-) (\d+)$')
SHELL_IN_SW = re.compile(r"const SHELL = (\[.*?\]);")


def loadavg() -> float:
    """The 1-minute load average: was the machine busy with something else?"""
    return float(Path("/proc/loadavg").read_text().split()[0])


def source() -> dict:
    """When, and what was measured: the commit and how many app files differ from it."""
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    changed = subprocess.run(
        [*git, "status", "--porcelain", "--", "webapp", "templates", "static", "migrations"],
        capture_output=True,
        text=True,
    )
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "commit": commit.stdout.strip() or "unknown",
        "app_files_changed": len(changed.stdout.splitlines()),
    }


# --- the database ------------------------------------------------------------------------------


def sqlite_path(url: str) -> Path:
    if not url.startswith("sqlite:///"):
        raise SystemExit(f"bench.offline needs a SQLite database, not {url}")
    return Path(url.removeprefix("sqlite:///"))


def copy_database(source_url: str, target: Path) -> str:
    """A consistent copy of the SQLite file (the backup API, as run.sh does)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src = sqlite3.connect(sqlite_path(source_url))
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return f"sqlite:///{target}"


def revision(url: str) -> str | None:
    con = sqlite3.connect(sqlite_path(url))
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        con.close()
    return row[0] if row else None


def _only_membership_helpers(session: Session) -> dict[int, str]:
    """Per kontaktteam: a helper (not the demo login) whose only membership is an
    open-ended team membership with that kontaktteam."""
    counts = dict(
        session.exec(select(Membership.staff_id, func.count()).group_by(Membership.staff_id)).all()
    )
    rows = session.exec(
        select(Membership.kontaktteam_id, Membership.staff_id, Staff.username)
        .join(Staff, Staff.id == Membership.staff_id)
        .where(
            Membership.kind == MembershipKind.TEAM,
            Membership.kontaktteam_id.is_not(None),  # type: ignore[union-attr]
            Membership.valid_to.is_(None),  # type: ignore[union-attr]
            Staff.roles == "hjaelper",
            Staff.username != "hjaelper",
        )
        .order_by(Membership.staff_id)
    ).all()
    helpers: dict[int, str] = {}
    for kontaktteam_id, staff_id, username in rows:
        if counts[staff_id] == 1:
            helpers.setdefault(kontaktteam_id, username)
    return helpers


def plan(url: str) -> dict:
    """Pick the two kontaktteams and their helpers; make the first exactly 40 citizens."""
    from webapp.db import make_engine

    engine = make_engine(url)
    with Session(engine) as s:
        helpers = _only_membership_helpers(s)
        rows = s.exec(
            select(Citizen.kontaktteam_id, Kontaktteam.team_id, func.count())
            .join(Kontaktteam, Kontaktteam.id == Citizen.kontaktteam_id)
            .group_by(Citizen.kontaktteam_id, Kontaktteam.team_id)
        ).all()
        sizes = {k: (team, n) for k, team, n in rows}
        usable = [k for k in sizes if k in helpers]
        largest = max(usable, key=lambda k: (sizes[k][1], -k))
        forty = min(
            (k for k in usable if sizes[k][0] != sizes[largest][0]),
            key=lambda k: (abs(sizes[k][1] - TARGET_CITIZENS), k),
        )
        team_id, before = sizes[forty]
        siblings = sorted(
            (k for k in sizes if sizes[k][0] == team_id and k != forty),
            key=lambda k: (sizes[k][1], k),
        )
        moved = 0
        if before > TARGET_CITIZENS:  # the extra citizens go to the smallest sibling
            extra = s.exec(
                select(Citizen)
                .where(Citizen.kontaktteam_id == forty)
                .order_by(Citizen.id.desc())  # type: ignore[union-attr]
                .limit(before - TARGET_CITIZENS)
            ).all()
            for c in extra:
                c.kontaktteam_id = siblings[0]
                moved -= 1
        elif before < TARGET_CITIZENS:  # taken from the largest siblings
            for k in reversed(siblings):
                wanted = TARGET_CITIZENS - before + moved
                if wanted <= 0:
                    break
                taken = s.exec(
                    select(Citizen)
                    .where(Citizen.kontaktteam_id == k)
                    .order_by(Citizen.id.desc())  # type: ignore[union-attr]
                    .limit(min(wanted, sizes[k][1] - 1))
                ).all()
                for c in taken:
                    c.kontaktteam_id = forty
                    moved += 1
        s.commit()
        cases = []
        for label, k in (("40", forty), ("largest", largest)):
            citizens = s.exec(
                select(Citizen.id, Citizen.tobs_applies)
                .where(Citizen.kontaktteam_id == k)
                .order_by(Citizen.id)
            ).all()
            ids = [c for c, _ in citizens]
            step = len(ids) / OPENED
            cases.append(
                {
                    "label": label,
                    "kontaktteam_id": k,
                    "team_id": sizes[k][0],
                    "citizens_as_generated": sizes[k][1],
                    "citizens": len(ids),
                    "moved_in": moved if k == forty else 0,
                    "username": helpers[k],
                    "opened": [ids[int(i * step)] for i in range(OPENED)],
                    "citizen_ids": ids,
                    "tobs_ids": [c for c, applies in citizens if applies],
                }
            )
        distribution = sorted(n for _, n in sizes.values())
    engine.dispose()
    return {
        "kontaktteams": len(sizes),
        "kontaktteam_sizes": {
            "min": distribution[0],
            "median": distribution[len(distribution) // 2],
            "max": distribution[-1],
        },
        "cases": cases,
    }


# --- 2. in-process ----------------------------------------------------------------------------


class Statements:
    """SQL statements of the app's engine, with their time."""

    def __init__(self, engine) -> None:
        self.rows: list[tuple[str, float, str]] = []
        self._started: list[float] = []
        self.on = False  # off while requests are timed: the listener has its own cost
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.on:
            self._started.append(time.perf_counter())

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not self.on:
            return
        ms = (time.perf_counter() - self._started.pop()) * 1000
        text = " ".join(statement.split())
        self.rows.append((("executemany: " if executemany else "") + text, ms, _caller()))

    def take(self) -> list[tuple[str, float, str]]:
        taken, self.rows = self.rows, []
        return taken


def _caller() -> str:
    """The function of webapp/offline/snapshot.py the statement runs for (the innermost), or
    else the innermost function of the app."""
    frame = sys._getframe(2)
    app = None
    while frame is not None:
        path = frame.f_code.co_filename
        if path.endswith("webapp/offline/snapshot.py"):
            return f"snapshot.{frame.f_code.co_name}"
        if app is None and f"{os.sep}webapp{os.sep}" in path:
            module = Path(path).relative_to(ROOT / "webapp").with_suffix("")
            app = f"{'.'.join(module.parts)}.{frame.f_code.co_name}"
        frame = frame.f_back
    return app or "?"


def profile_share(client, runs: int = 5) -> dict:
    """cProfile over `runs` requests: ms per request in snapshot.build and in the parts of it
    that cost most (cProfile's own overhead included)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get("/offline/data", headers={"Accept-Encoding": "gzip"})
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    wanted = {
        ("offline/views.py", "data"): "view",
        ("offline/snapshot.py", "build"): "snapshot.build",
        ("offline/snapshot.py", "_whom_to_call"): "snapshot._whom_to_call",
        ("escalations/routing.py", "line_for"): "routing.line_for",
        ("access/log.py", "record_read"): "access log",
    }
    out: dict = {}
    for (path, _, name), (_, calls, _, cumulative, _) in stats.items():
        for (suffix, function), label in wanted.items():
            if path.endswith(suffix) and name == function:
                out[label] = {
                    "calls_per_request": round(calls / runs, 1),
                    "ms_per_request": round(cumulative * 1000 / runs, 1),
                }
    return out


def _size(dumps, value) -> int:
    return len(dumps(value).encode())


def breakdown(copy: dict, dumps) -> dict:
    """Bytes of each part of the copy, and of each field summed over the citizens, in the
    app's own JSON encoding."""
    parts = {key: _size(dumps, value) for key, value in copy.items()}
    fields: Counter[str] = Counter()
    for citizen in copy["citizens"]:
        for key, value in citizen.items():
            fields[key] += _size(dumps, value) + len(key) + 4  # "key": and the comma
    per_citizen = [_size(dumps, c) for c in copy["citizens"]]
    recent = set(copy["recent"])
    detailed = [_size(dumps, c) for c in copy["citizens"] if c["id"] in recent]
    plain = [_size(dumps, c) for c in copy["citizens"] if c["id"] not in recent]
    return {
        "parts": dict(sorted(parts.items(), key=lambda kv: -kv[1])),
        "citizen_fields": dict(fields.most_common()),
        "citizen_bytes": {
            "mean_recent": round(statistics.mean(detailed)) if detailed else None,
            "mean_other": round(statistics.mean(plain)) if plain else None,
            "max": max(per_citizen, default=0),
        },
        "non_ascii_escapes": dumps(copy).count("\\u"),
    }


def in_process(url: str, cases: list[dict]) -> list[dict]:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-offline"})
    engine = app.extensions["engine"]
    statements = Statements(engine)
    results = []
    for case in cases:
        client = sign_in(app, case["username"])
        for citizen_id in case["opened"]:
            page = client.get(f"/borgere/{citizen_id}")
            assert page.status_code == 200, (citizen_id, page.status_code)
        client.get("/offline/data")  # warm-up
        statements.on = True
        raw = client.get("/offline/data", headers={"Accept-Encoding": "identity"})
        statements.on = False
        assert raw.status_code == 200, raw.status_code
        one = statements.take()
        body = raw.get_data()
        copy = json.loads(body)
        times, gz = [], b""
        for _ in range(TIMED_REQUESTS):
            started = time.perf_counter()
            response = client.get("/offline/data", headers={"Accept-Encoding": "gzip"})
            times.append((time.perf_counter() - started) * 1000)
            gz = response.get_data()
            assert response.headers.get("Content-Encoding") == "gzip"
        profiled = profile_share(client)
        kinds = Counter(text.split(" ", 1)[0] for text, _, _ in one)
        shapes = Counter(re.sub(r"\(([^()]*)\)", "(…)", text)[:160] for text, _, _ in one)
        callers = Counter(caller for _, _, caller in one)
        results.append(
            {
                "label": case["label"],
                "username": case["username"],
                "citizens_in_copy": len(copy["citizens"]),
                "own_in_copy": sum(c["own"] for c in copy["citizens"]),
                "recent_in_copy": len(copy["recent"]),
                "raw_bytes": len(body),
                "gzip_bytes": len(gz),
                "gzip_bytes_level9": len(gzip.compress(body, compresslevel=9, mtime=0)),
                "statements": len(one),
                "statement_kinds": dict(kinds),
                "statements_by_function": dict(callers.most_common()),
                "statement_ms_total": round(sum(ms for _, ms, _ in one), 1),
                "slowest_statements": [
                    {"ms": round(ms, 2), "function": caller, "sql": text[:300]}
                    for text, ms, caller in sorted(one, key=lambda r: -r[1])[:5]
                ],
                "repeated_statements": [
                    {"times": n, "sql": text} for text, n in shapes.most_common() if n > 1
                ],
                "ms": {
                    "median": round(statistics.median(times), 1),
                    "min": round(min(times), 1),
                    "max": round(max(times), 1),
                    "runs": len(times),
                },
                "profile": profiled,
                "breakdown": breakdown(copy, app.json.dumps),
            }
        )
    engine.dispose()
    return results


# --- gunicorn that can go away and come back on the same port --------------------------------


class Gunicorn:
    """gunicorn as bench.common starts it (sync workers, production settings), but on a fixed
    port and with a fixed secret key, so it can be stopped and started again and the
    browser's session still holds; its access log has the request time (%(D)s, µs)."""

    def __init__(self, url: str, workers: int) -> None:
        self.url, self.workers = url, workers
        self.port = free_port()
        self.secret = secrets.token_hex(32)
        self.error_log = OUT / "gunicorn-offline.log"
        self.access_log = OUT / "gunicorn-offline-access.log"
        for path in (self.error_log, self.access_log):
            path.unlink(missing_ok=True)
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> float:
        started = time.monotonic()
        command = [
            str(VENV_BIN / "gunicorn"),
            *("-w", str(self.workers), "-b", f"{HOST}:{self.port}", "--chdir", str(ROOT)),
            *("--error-logfile", str(self.error_log), "--timeout", "60"),
            *("--access-logfile", str(self.access_log), "--access-logformat", ACCESS_FORMAT),
            "--no-control-socket",
            APP,
        ]
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "WEBAPP_SECRET_KEY": self.secret,
            "WEBAPP_ENV": "production",
        }
        self.process = subprocess.Popen(command, env=env, start_new_session=True, cwd=ROOT)
        server = Server(
            self.port, self.workers, self.error_log, self.access_log, self.process, self.url
        )
        _wait_ready(server)
        return time.monotonic() - started

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None

    def log_since(self, start: int) -> tuple[list[dict], int]:
        data = self.access_log.read_bytes() if self.access_log.exists() else b""
        rows = []
        for line in data[start:].decode(errors="replace").splitlines():
            m = ACCESS_LINE.match(line.strip())
            if m:
                method, path, status, sent, micros = m.groups()
                rows.append(
                    {
                        "method": method,
                        "path": path,
                        "status": int(status),
                        "bytes": 0 if sent == "-" else int(sent),
                        "ms": int(micros) / 1000,
                    }
                )
        return rows, len(data)


# --- 3. what Chromium keeps ----------------------------------------------------------------------

STORAGE_JS = """async () => {
  const estimate = await navigator.storage.estimate();
  const copy = await OpsporStore.copyGet();
  const entries = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      const body = await response.arrayBuffer();
      let headers = 0;
      response.headers.forEach((v, k) => { headers += k.length + v.length + 4; });
      entries.push({cache: name, url: request.url, bytes: body.byteLength, headers,
                    type: response.headers.get("content-type") || "",
                    encoding: response.headers.get("content-encoding") || ""});
    }
  }
  return {
    usage: estimate.usage, quota: estimate.quota, details: estimate.usageDetails || null,
    copy_bytes: new TextEncoder().encode(JSON.stringify(copy)).length,
    copy_citizens: copy ? copy.citizens.length : 0, copy_recent: copy ? copy.recent.length : 0,
    queue: (await OpsporStore.queueAll()).length, cache: entries,
  };
}"""


def wait_until(page, script: str, arg=None, timeout: float = 30) -> None:
    """Poll an async page function until it resolves truthy (wait_for_function does not
    await a promise)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        if time.monotonic() > deadline:
            raise TimeoutError(script)
        page.wait_for_timeout(50)


def browser_sign_in(context, username: str) -> None:
    from bench.common import CSRF

    form = context.request.get("/login")
    token = CSRF.search(form.text())
    assert token, "no csrf_token on /login"
    response = context.request.post(
        "/login",
        form={"username": username, "password": DEMO_PASSWORD, "csrf_token": token[1]},
        max_redirects=0,
    )
    assert response.status == 302, response.status


def ready_on_mine_borgere(page, citizens: int, recent: int | None = None) -> None:
    page.goto("/", wait_until="load")
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    wait_until(
        page,
        """([n, r]) => OpsporStore.copyGet().then(c => !!c && c.citizens.length === n
             && (r === null || c.recent.length === r))""",
        [citizens, recent],
    )


def disk_bytes(profile: Path) -> dict:
    """The profile's files by kind of storage (Chromium's own layout)."""
    kinds = {"IndexedDB": 0, "CacheStorage": 0, "ScriptCache": 0, "Service Worker other": 0}
    for path in profile.rglob("*"):
        if not path.is_file():
            continue
        parts = path.relative_to(profile).parts
        size = path.stat().st_size
        for kind in ("IndexedDB", "CacheStorage", "ScriptCache"):
            if kind in parts:
                kinds[kind] += size
                break
        else:
            if "Service Worker" in parts:
                kinds["Service Worker other"] += size
    return kinds


def chromium_storage(p, server: Gunicorn, case: dict) -> dict:
    device = {k: v for k, v in p.devices[DEVICE].items() if k != "default_browser_type"}
    profile = Path(tempfile.mkdtemp(prefix="opspor-bench-profile-"))
    try:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            **device,
            locale="da-DK",
            timezone_id="Europe/Copenhagen",
            base_url=server.base,
        )
        version = context.browser.version if context.browser else ""
        browser_sign_in(context, case["username"])
        page = context.pages[0] if context.pages else context.new_page()
        for citizen_id in case["opened"]:
            page.goto(f"/borgere/{citizen_id}", wait_until="load")
            wait_until(
                page,
                "id => OpsporStore.copyGet().then(c => !!c && c.recent.includes(id))",
                citizen_id,
            )
        ready_on_mine_borgere(page, case["citizens"], OPENED)
        page.wait_for_timeout(1000)
        stored = page.evaluate(STORAGE_JS)
        context.close()
        disk = disk_bytes(profile)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    cache = stored.pop("cache")
    return {
        "browser": version,
        **stored,
        "cache_entries": len(cache),
        "cache_body_bytes": sum(e["bytes"] for e in cache),
        "cache": [{**e, "url": e["url"].removeprefix(server.base)} for e in cache],
        "disk_bytes": disk,
    }


def shell_from_server(server: Gunicorn) -> dict:
    """The URLs the service worker precaches (from /sw.js) and their body bytes as gunicorn
    sends them, without and with gzip."""
    status, _, body = http_get(server.port, "/sw.js")
    assert status == 200, status
    sw = body.decode()
    match = SHELL_IN_SW.search(sw)
    assert match, "no SHELL in /sw.js"
    rows = []
    for url in json.loads(match[1]):
        _, _, raw = http_get(server.port, url, {"Accept-Encoding": "identity"})
        _, headers, zipped = http_get(server.port, url, {"Accept-Encoding": "gzip"})
        rows.append(
            {
                "url": url,
                "raw_bytes": len(raw),
                "gzip_bytes": len(zipped),
                "encoding": headers.get("Content-Encoding", ""),
            }
        )
    return {
        "sw_js_bytes": len(body),
        "files": rows,
        "raw_bytes": sum(r["raw_bytes"] for r in rows),
        "gzip_bytes": sum(r["gzip_bytes"] for r in rows),
    }


# --- 4. the queue on reconnect ----------------------------------------------------------------

QUEUE_JS = """async ([items]) => {
  const user = await OpsporStore.metaGet("user");
  const copy = await OpsporStore.copyGet();
  const name = (id) => (copy.citizens.find((c) => c.id === id) || {}).name || "";
  for (const item of items) {
    await OpsporStore.queuePut({
      id: item.id, kind: item.kind, citizen_id: item.citizen_id,
      at: new Date().toISOString(), fields: item.fields,
      user_id: user.id, user_name: user.name, state: "waiting",
      citizen_name: name(item.citizen_id),
    });
  }
  return (await OpsporStore.queueAll()).filter((i) => i.state === "waiting").length;
}"""

# Before going online: note the `online` event, and the moment a message from sync.js (it
# tells the BroadcastChannel after every item and when a run ends) finds the queue empty.
WATCH_JS = """() => {
  const b = window.__bench = {online: null, empty: null, messages: 0};
  addEventListener("online", () => { b.online = performance.now(); }, {once: true});
  const channel = new BroadcastChannel(OpsporSync.CHANNEL);
  window.__benchDone = new Promise((resolve) => {
    channel.onmessage = async () => {
      b.messages += 1;
      const queue = await OpsporStore.queueAll();
      if (queue.length === 0 && b.empty === null) {
        b.empty = performance.now();
        b.empty_epoch_ms = performance.timeOrigin + b.empty;
        channel.close();
        resolve(b);
      }
    };
  });
  return performance.timeOrigin + performance.now();
}"""

DONE_JS = f"""() => Promise.race([
  window.__benchDone,
  new Promise((resolve) => setTimeout(() => resolve(null), {SYNC_TIMEOUT_S * 1000})),
])"""


def items_for(case: dict, round_no: int) -> list[dict]:
    tobs, everyone = case["tobs_ids"] or case["citizen_ids"], case["citizen_ids"]
    items = []
    for i in range(TOBS_ITEMS):
        citizen = tobs[(round_no * TOBS_ITEMS + i) % len(tobs)]
        items.append({"kind": "tobs", "citizen_id": citizen, "fields": TOBS_FIELDS})
    for i in range(OBSERVATION_ITEMS):
        citizen = everyone[(round_no * OBSERVATION_ITEMS + i) % len(everyone)]
        items.append({"kind": "observation", "citizen_id": citizen, "fields": OBSERVATION_FIELDS})
    # In the queue's order (by time): TOBS and observations taking turns, as a visit goes.
    mixed = [x for pair in zip(items[:TOBS_ITEMS], items[TOBS_ITEMS:], strict=True) for x in pair]
    return [{"id": str(uuid.uuid4()), **item} for item in mixed]


def sync_rounds(
    page, context, server: Gunicorn, case: dict, rounds: int, restart: bool, first: int = 0
) -> list[dict]:
    """`rounds` rounds of 20 items. `restart`: the server goes away (gunicorn stopped) and
    comes back (started again, fresh workers) before the context is set online; else it
    stays up and only the context is offline (the phone lost coverage, the server did not)."""
    runs = []
    _, mark = server.log_since(0)
    for round_no in range(first, first + rounds):
        ready_on_mine_borgere(page, case["citizens"])
        page.wait_for_timeout(500)
        if restart:
            server.stop()
        context.set_offline(True)
        items = items_for(case, round_no)
        waiting = page.evaluate(QUEUE_JS, [items])
        assert waiting == len(items), waiting
        _, mark = server.log_since(mark)
        restart_s = server.start() if restart else None
        page.wait_for_timeout(200)
        page_clock = page.evaluate(WATCH_JS)
        skew_ms = page_clock - time.time() * 1000
        wall0 = time.time()
        t0 = time.perf_counter()
        context.set_offline(False)
        done = page.evaluate(DONE_JS)
        returned_s = time.perf_counter() - t0
        time.sleep(0.3)  # gunicorn writes the access-log line after the answer
        log, mark = server.log_since(mark)
        left = page.evaluate("() => OpsporStore.queueAll()")
        syncs = [r for r in log if r["method"] == "POST" and r["path"] == "/offline/sync"]
        tokens = [r for r in log if r["path"] == "/offline/token"]
        runs.append(
            {
                "round": round_no + 1,
                "items": len(items),
                "emptied": done is not None,
                "left": [{"kind": i["kind"], "state": i["state"]} for i in left],
                "wall_ms": round(done["empty_epoch_ms"] - wall0 * 1000, 1) if done else None,
                "online_event_to_empty_ms": round(done["empty"] - done["online"], 1)
                if done and done["online"] is not None
                else None,
                "evaluate_returned_ms": round(returned_s * 1000, 1),
                "page_clock_skew_ms": round(skew_ms, 1),
                "broadcast_messages": done["messages"] if done else None,
                "server_restarted": restart,
                "restart_s": round(restart_s, 2) if restart_s is not None else None,
                "ids": [{"id": i["id"], "kind": i["kind"]} for i in items],
                "sync_posts": len(syncs),
                "sync_statuses": dict(Counter(str(r["status"]) for r in syncs)),
                "server_ms_per_sync": [round(r["ms"], 1) for r in syncs],
                "server_ms_token": [round(r["ms"], 1) for r in tokens],
                "other_requests": [
                    f"{r['method']} {r['path']} {r['status']}"
                    for r in log
                    if r not in syncs and r not in tokens
                ],
            }
        )
        print(
            f"  round {round_no + 1} ({'server restarted' if restart else 'server kept up'}): "
            f"{runs[-1]['wall_ms']} ms from set_offline(False) to an empty queue "
            f"({len(syncs)} POST /offline/sync {runs[-1]['sync_statuses']}, server ms "
            f"{round(sum(r['ms'] for r in syncs), 1)})"
        )
    return runs


def stored_once(url: str, items: list[dict]) -> dict:
    from webapp.db import make_engine

    engine = make_engine(url)
    ids = [i["id"] for i in items]
    with Session(engine) as s:
        tobs = Counter(
            s.exec(
                select(TobsMeasurement.client_id).where(TobsMeasurement.client_id.in_(ids))
            ).all()  # type: ignore[union-attr]
        )
        obs = Counter(
            s.exec(select(Observation.client_id).where(Observation.client_id.in_(ids))).all()  # type: ignore[union-attr]
        )
    engine.dispose()
    right_table = sum(
        (tobs if i["kind"] == "tobs" else obs)[i["id"]] == 1
        and (obs if i["kind"] == "tobs" else tobs)[i["id"]] == 0
        for i in items
    )
    return {
        "items": len(items),
        "stored_exactly_once": right_table,
        "missing": sum(tobs[i] + obs[i] == 0 for i in ids),
        "duplicated": sum(tobs[i] + obs[i] > 1 for i in ids),
        "tobs_rows": sum(tobs.values()),
        "observation_rows": sum(obs.values()),
    }


def summarise(runs: list[dict]) -> dict:
    ok = [r for r in runs if r["emptied"]]
    wall = [r["wall_ms"] for r in ok]
    online = [r["online_event_to_empty_ms"] for r in ok if r["online_event_to_empty_ms"]]
    server = [ms for r in runs for ms in r["server_ms_per_sync"]]
    return {
        "rounds": len(runs),
        "emptied": len(ok),
        "wall_ms": {
            "median": round(statistics.median(wall), 1) if wall else None,
            "max": max(wall, default=None),
            "min": min(wall, default=None),
        },
        "online_event_to_empty_ms": {
            "median": round(statistics.median(online), 1) if online else None,
            "max": max(online, default=None),
        },
        "server_ms_per_sync": {
            "count": len(server),
            "median": round(statistics.median(server), 1) if server else None,
            "p95": round(sorted(server)[int(0.95 * (len(server) - 1))], 1) if server else None,
            "max": max(server, default=None),
            "sum_per_round_median": round(
                statistics.median(sum(r["server_ms_per_sync"]) for r in runs), 1
            )
            if runs
            else None,
        },
    }


# --- main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description="Working without coverage: copy size, sync.")
    parser.add_argument(
        "--database-url",
        help="a SQLite database to work on (modified); default: a fresh copy of "
        "bench/out/aarhus.db at bench/out/aarhus-offline.db",
    )
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    args = parser.parse_args()
    begun = time.monotonic()
    loadavg_start = loadavg()
    if args.database_url:
        url = args.database_url
        sqlite_path(url)
    else:
        url = copy_database(default_url(), OUT / "aarhus-offline.db")
    before = revision(url)
    migrate(url)
    result: dict = {
        "dialect": dialect(url),
        "app": APP,
        "database": str(sqlite_path(url).relative_to(ROOT))
        if sqlite_path(url).is_relative_to(ROOT)
        else str(sqlite_path(url)),
        "revision_before": before,
        "revision": revision(url),
        "workers": args.workers,
        "device": DEVICE,
        "opened": OPENED,
        "timed_requests": TIMED_REQUESTS,
        "cpus": os.cpu_count(),
        "loadavg_start": loadavg_start,
        **source(),
    }
    planned = plan(url)
    cases = planned["cases"]
    result["plan"] = {k: v for k, v in planned.items() if k != "cases"} | {
        "cases": [
            {k: v for k, v in c.items() if k not in ("citizen_ids", "tobs_ids")}
            | {"tobs_applies": len(c["tobs_ids"])}
            for c in cases
        ]
    }
    for c in cases:
        print(
            f"{c['label']}: kontaktteam {c['kontaktteam_id']} (team {c['team_id']}), "
            f"{c['citizens']} citizens ({c['citizens_as_generated']} as generated), "
            f"helper {c['username']}"
        )
    result["in_process"] = in_process(url, cases)
    for r in result["in_process"]:
        print(
            f"  in-process {r['label']}: {r['citizens_in_copy']} citizens "
            f"({r['recent_in_copy']} recent), {r['raw_bytes']} B raw, {r['gzip_bytes']} B gzip, "
            f"{r['statements']} statements, median {r['ms']['median']} ms"
        )

    from playwright.sync_api import sync_playwright

    server = Gunicorn(url, args.workers)
    try:
        server.start()
        result["shell"] = shell_from_server(server)
        with sync_playwright() as p:
            result["chromium"] = []
            for case in cases:
                stored = chromium_storage(p, server, case)
                result["chromium"].append({"label": case["label"], **stored})
                print(
                    f"  Chromium {case['label']}: estimate {stored['usage']} B "
                    f"{stored['details']}, copy {stored['copy_bytes']} B, cache "
                    f"{stored['cache_entries']} entries {stored['cache_body_bytes']} B, "
                    f"disk {stored['disk_bytes']}"
                )
            result["loadavg_before_sync"] = loadavg()
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            context = browser.new_context(
                **p.devices[DEVICE],
                locale="da-DK",
                timezone_id="Europe/Copenhagen",
                base_url=server.base,
            )
            browser_sign_in(context, cases[0]["username"])
            page = context.new_page()
            print(f"sync on reconnect, {args.rounds} + {args.rounds} rounds of 20 items:")
            restarted = sync_rounds(page, context, server, cases[0], args.rounds, restart=True)
            kept_up = sync_rounds(
                page, context, server, cases[0], args.rounds, restart=False, first=args.rounds
            )
            browser.close()
    finally:
        server.stop()
    items = [i for r in restarted + kept_up for i in r.pop("ids")]
    result["sync"] = {
        "username": cases[0]["username"],
        "kontaktteam_citizens": cases[0]["citizens"],
        "queued_with": "OpsporStore.queuePut",
        "items_per_round": {"tobs": TOBS_ITEMS, "observation": OBSERVATION_ITEMS},
        "server_restarted": summarise(restarted) | {"runs": restarted},
        "server_kept_up": summarise(kept_up) | {"runs": kept_up},
        "stored": stored_once(url, items),
    }
    result["server_log"] = log_problems(server.error_log)
    result["loadavg_end"] = loadavg()
    result["seconds_total"] = round(time.monotonic() - begun, 1)
    write_json("offline.json", result)
    for key in ("server_restarted", "server_kept_up"):
        s = result["sync"][key]
        print(
            f"{key}: reconnect → queue empty median {s['wall_ms']['median']} ms, max "
            f"{s['wall_ms']['max']} ms ({s['emptied']}/{s['rounds']} rounds emptied); server "
            f"ms per POST /offline/sync {s['server_ms_per_sync']}"
        )
    print(
        f"stored {result['sync']['stored']}; server log {result['server_log']}; load average "
        f"{result['loadavg_start']} → {result['loadavg_end']}; step took "
        f"{result['seconds_total']} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
