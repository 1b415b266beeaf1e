"""Write bench/RESULTS.md from the JSON files the bench steps left in bench/out/."""

import json
import os
import platform
import sqlite3
import subprocess
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from bench.breakdown import CARDS_STEP
from bench.common import OUT, ROOT

RESULTS = ROOT / "bench" / "RESULTS.md"


def load(name: str) -> dict | None:
    path = OUT / name
    return json.loads(path.read_text()) if path.exists() else None


def yes(ok: bool) -> str:
    return "**met**" if ok else "**missed**"


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def machine() -> list[str]:
    mem = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0]
    debian = Path("/etc/debian_version")
    return [
        f"- CPU: {cpu}, `nproc` = {os.cpu_count()}",
        f"- Memory: {int(mem) / 1024 / 1024:.1f} GiB",
        f"- OS: Debian {debian.read_text().strip() if debian.exists() else '?'}, "
        f"kernel {platform.release()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"Flask {version('flask')}, SQLAlchemy {version('sqlalchemy')}, "
        f"gunicorn {version('gunicorn')}, psycopg {version('psycopg')}",
        f"- {wrk.strip()}, Playwright {version('playwright')} (Python)",
    ]


def data_section(gen: dict, gen_pg: dict | None) -> list[str]:
    roles = gen["staff_by_role"]
    lines = [
        "## 1. Data (`bench/generate.py`)",
        "",
        f"`webapp.demo.load(session, today={gen['today']}, size=AARHUS, demo_logins=True, "
        f"seed={gen['seed']})` after `alembic upgrade head`. Loaded in "
        f"{gen['seconds']['load']} s on SQLite"
        + (f", {gen_pg['seconds']['load']} s on PostgreSQL" if gen_pg else "")
        + " (migration: "
        f"{gen['seconds']['migrate']} s), so no faster path was needed.",
        "",
        "| | count |",
        "|---|---:|",
        f"| areas / health units | {gen['areas']} / {gen['health_units']} |",
        f"| teams / kontaktteams | {gen['teams']} / {gen['kontaktteams']} |",
        f"| citizens | {gen['citizens']} (per team {gen['citizens_per_team']['min']}–"
        f"{gen['citizens_per_team']['max']}, median {gen['citizens_per_team']['median']}) |",
        f"| staff, all | {gen['staff']} |",
    ]
    lines += [f"| staff, `{role}` | {n} |" for role, n in roles.items()]
    lines += [
        f"| home-care staff (a team membership: helpers, assistants, leaders, planners, "
        f"borgerkonsulenter, demo logins) | {gen['staff_with_team_membership']} |",
        f"| health-unit staff (nurses, therapists, unit leaders) | "
        f"{gen['staff_with_health_unit_membership']} |",
        f"| of whom attached to a basisteam | {gen['staff_in_a_basisteam']} |",
        f"| memberships | {gen['memberships']} |",
        *(
            [f"| observations / TOBS measurements | {obs} / {gen['tobs_measurements']} |"]
            if (obs := gen.get("observations")) is not None
            else []
        ),
        "",
        f"Deterministic: the citizen fingerprint (sha256 of names, teams and colours in id "
        f"order) is `{gen['citizen_fingerprint']}` on SQLite"
        + (
            f" and `{gen_pg['citizen_fingerprint']}` on PostgreSQL"
            + (
                " (identical)."
                if gen_pg["citizen_fingerprint"] == gen["citizen_fingerprint"]
                else " (DIFFERENT)."
            )
            if gen_pg
            else "."
        )
        + " Home-care staff come to "
        f"{gen['staff_with_team_membership']} rather than the ~1,900 in the brief: "
        "`AARHUS` in webapp/demo.py asks for 38 teams of 40–45 staff (its own comment), "
        "which is about 1,650; the health units (≈490) match.",
        "",
    ]
    return lines


def _pages(qc: dict) -> list[dict]:
    return qc["requests"]


def query_section(qcs: list[dict]) -> list[str]:
    keys = [r["key"] for r in _pages(qcs[0])]
    lines = [
        "## 2. Queries per Mine borgere request (`bench/querycount.py`)",
        "",
        "In-process Flask test client, signed in through the real form (GET /login, "
        "csrf_token, POST /login); statements counted with `before_cursor_execute` on "
        "`app.extensions['engine']`. Per person: "
        + ", ".join(
            f"`{r['path']}`"
            + (" with `HX-Request: true`" if r["htmx"] else "")
            + f" × {r['times']}"
            for r in _pages(qcs[0])
        )
        + ". The columns give the cards in each response; after every request the bench "
        "also counts the citizens the access log recorded for it.",
        "",
    ]
    for qc in qcs:
        lines += [
            f"**{qc['dialect']}**: at most {qc['max_queries']} statements per request, "
            f"{'the same for every request' if qc['constant'] else 'NOT constant'} — target "
            f"(constant, ≤ {qc['target_max']}) {yes(qc['met'])}. Citizens in the access log "
            f"= cards shown, for every request: {'yes' if qc['logged_as_shown'] else '**NO**'}"
            f"; all responses 200: {'yes' if qc['all_200'] else '**NO**'}.",
            "",
            "| signed in as | username | team (citizens) | "
            + " | ".join(f"cards `{k}`" for k in keys)
            + " | statements per request |",
            "|---|---|---|" + "---:|" * len(keys) + "---|",
        ]
        for r in qc["rows"]:
            counts = sorted({q for x in r["requests"].values() for q in x["queries"]})
            lines.append(
                f"| {r['label']} | `{r['username']}` | {r['team']} ({r['team_citizens']}) | "
                + " | ".join(", ".join(map(str, r["requests"][k]["cards"])) for k in keys)
                + f" | {', '.join(map(str, counts))} |"
            )
        lines.append("")
    lines += ["The statements of a GET / (the same for everyone):", "", "```"]
    lines += qcs[0]["rows"][-1]["requests"]["/"]["statements"]
    lines += ["```", ""]
    return lines


def profile_section(profs: list[dict]) -> list[str]:
    base = profs[0]
    columns = [(p, path) for p in profs for path in p["pages"]]
    first = next(iter(base["pages"].values()))
    lines = [
        "### Where the time goes (`bench/breakdown.py`)",
        "",
        f"In-process, one thread, no server, signed in as `{base['username']}` "
        f"({base['team']}, {base['team_citizens']} citizens). Wall time per request "
        "unprofiled (60 requests after 5 warm-up), split by step with cProfile and scaled to "
        "that time (cProfile inflates Python code more than C code such as gzip and the "
        "database drivers, so read the split as approximate). `/offline` takes "
        + "; ".join(
            f"{p['offline_ms']} ms without a cookie and {p['offline_signed_in_ms']} ms signed "
            f"in ({p['dialect']})"
            for p in profs
        )
        + ". Other CPU (processes outside the bench while it measured, in cores): "
        + ", ".join(f"{p.get('other_cpu', '–')} ({p['dialect']})" for p in profs)
        + ".",
        "",
        "| | " + " | ".join(f"`{path}`, {p['dialect']}" for p, path in columns) + " |",
        "|---|" + "---:|" * len(columns),
        "| cards | " + " | ".join(str(p["pages"][path]["cards"]) for p, path in columns) + " |",
        "| HTML bytes (gzip) | "
        + " | ".join(
            f"{p['pages'][path]['html_bytes']} ({p['pages'][path]['html_gzip_bytes']})"
            for p, path in columns
        )
        + " |",
        "| **ms per request** | "
        + " | ".join(f"**{p['pages'][path]['ms']}**" for p, path in columns)
        + " |",
    ]
    for step in first["steps_ms"]:
        lines.append(
            f"| {step} | "
            + " | ".join(
                f"{p['pages'][path]['steps_ms'][step]} "
                f"({p['pages'][path]['steps_share'][step]:.0%})"
                for p, path in columns
            )
            + " |"
        )
    lines.append("")
    return lines


def run_row(name: str, r: dict) -> str:
    errors = {k: v for k, v in r["errors"].items() if k != "status" and v}
    return (
        f"| {name} | {r['requests_per_second']} | {r['p50_ms']} | {r['p95_ms']} | "
        f"{r['p99_ms']} | {r['requests']} | {r['non_2xx']} | "
        f"{', '.join(f'{k} {v}' for k, v in errors.items()) or '0'} | {r.get('other_cpu', '–')} |"
    )


def load_section(loads: list[dict]) -> list[str]:
    first = loads[0]
    sizes = [x["citizens"] for x in first["logins"]]
    lines = [
        "## 3. Latency and throughput (`bench/load.py`, `bench/wrk.lua`)",
        "",
        f"gunicorn, {first['workers']} sync workers (2 × cores), `WEBAPP_ENV=production`, "
        f"on 127.0.0.1; wrk with {first['connections']} connections and "
        f"{first['wrk_threads']} threads on the same machine; each run is "
        f"{first['warmup_seconds']} s of warm-up, then {first['duration_seconds']} s "
        "measured, `Accept-Encoding: gzip`. Mine borgere rotates the Cookie header per request "
        f"over {len(sizes)} helpers signed in through the real form, one from each of "
        f"{len(sizes)} teams ({min(sizes)}–{max(sizes)} citizens each), all with an own "
        "kontaktteam. The trivial endpoint is `/offline`: it renders a small template and "
        "touches no database. It is measured without a cookie and with the same 16 cookies "
        "(then it does the same sign-in and session work per request as Mine borgere: user "
        "loader query, idle-timeout check, a new session cookie). Runs in this order on one "
        "server: " + ", ".join(f"`{p}`" for p in first["pages"]) + ", `/offline` without, "
        "then with cookies.",
        "",
        "| run | req/s | p50 ms | p95 ms | p99 ms | requests | non-2xx | socket errors "
        "| other CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for load in loads:
        kind = load["dialect"]
        for path, run in load["pages"].items():
            lines.append(run_row(f"GET `{path}`, {kind}", run))
        if "offline" in load:
            lines.append(run_row(f"GET `/offline`, no cookie, {kind}", load["offline"]))
            lines.append(run_row(f"GET `/offline`, signed in, {kind}", load["offline_signed_in"]))
    lines.append("")
    for load in loads:
        parts = []
        for path, run in load["pages"].items():
            log = run["access_log"]
            per_row = log["citizen_rows_added"] / max(log["rows_added"], 1)
            parts.append(
                f"`{path}` {log['rows_added']} / {log['responses_200_seen_by_wrk']} "
                f"({per_row:.1f} citizens per row)"
            )
        server = load["server_log"]
        lines.append(
            f"- {load['dialect']}: access-log rows added / 200 responses wrk counted "
            f"(warm-up included): {', '.join(parts)}. Server log: "
            f'{server["database_is_locked"]} × "database is locked", '
            f"{server['tracebacks']} tracebacks, {server['worker_timeouts']} worker timeouts."
        )
    lines += [
        "",
        "Other CPU: the cores' worth of CPU time that processes outside the bench used during "
        "the measured run (machine-wide user + system time minus gunicorn, wrk, this process "
        f"and the bench's PostgreSQL cluster); the machine has {os.cpu_count()} cores.",
        "",
        "The access log has a few more rows than wrk counted: wrk does not count the up to "
        f"{first['connections']} requests in flight when each of its two runs per page stops.",
    ]
    sqlite = loads[0]
    if "ratios" in sqlite:
        target = sqlite["ratio_target"]
        lines += [
            "",
            f"Throughput ratio to `/offline` ({sqlite['dialect']}), target ≥ {target}:",
            "",
            "| | ÷ `/offline`, no cookie "
            f"({sqlite['offline']['requests_per_second']} req/s) | ÷ `/offline`, signed in "
            f"({sqlite['offline_signed_in']['requests_per_second']} req/s) |",
            "|---|---:|---:|",
        ]
        for path, ratios in sqlite["ratios"].items():
            lines.append(
                f"| GET `{path}` ({sqlite['pages'][path]['requests_per_second']} req/s) | "
                f"{ratios['offline']} {yes(ratios['offline'] >= target)} | "
                f"{ratios['offline_signed_in']} "
                f"{yes(ratios['offline_signed_in'] >= target)} |"
            )
    lines.append("")
    return lines


def bytes_section(pb: dict) -> list[str]:
    html = next((r for r in pb["first_load"] if r["path"] == "/"), None)
    lines = [
        "## 4. Bytes a phone downloads (`bench/pagebytes.py`)",
        "",
        f"Playwright (sync) driving Debian Chromium {pb['browser']} headless as a "
        f"{pb['device']}, against gunicorn (SQLite). Signed in as `{pb['username']}` by "
        "posting the real login form through the browser context's request API, so the "
        "first navigation starts with an empty HTTP cache and no service worker. Bytes "
        "are CDP `Network.loadingFinished.encodedDataLength` (on the wire, gzip-compressed, "
        "response headers included); the server column is the body as gunicorn sent it.",
        "",
        f"### First load of Mine borgere (`/`), empty cache ({pb['cards_on_page']} cards)",
        "",
        "| resource | type | status | encoding | from | bytes on the wire |",
        "|---|---|---:|---|---|---:|",
    ]
    lines += [
        f"| `{r['path']}` | {r['type']} | {r['status']} | {r['encoding'] or '–'} | "
        f"{r['source']} | {r['wire_bytes']} |"
        for r in pb["first_load"]
    ]
    revalidated = [r for r in pb["first_load_server"] if r["status"] == 304]
    static = pb["static_headers"]
    lines += [
        "",
        f"HTML + static: **{pb['first_load_page_bytes']} B = "
        f"{kb(pb['first_load_page_bytes'])}** — target ≤ {kb(pb['first_load_target'])} "
        f"{yes(pb['first_load_met'])}.",
        "",
        "Everything the server sent during the first visit, the service worker's "
        "registration and shell install included (the page cannot see the worker's own "
        f"fetches; total {pb['first_load_everything_server_body_bytes']} B of bodies, "
        f"{len(revalidated)} revalidations answered 304):",
        "",
        "| request | status | body bytes |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {r['method']} `{r['path']}` | {r['status']} | {r['body_bytes']} |"
        for r in pb["first_load_server"]
    ]
    lines += [
        "",
        f"A static file fetched with the session cookie (`{static['path']}`) comes back with "
        f"`Cache-Control: {static['cache_control']}`, `Vary: {static['vary']}` and "
        f"{'a `Set-Cookie`' if static['sets_cookie'] else 'no `Set-Cookie`'}.",
        "",
        "### Repeat load (navigate to / again)",
        "",
        f"Service worker state before it: {pb['service_worker_state']}.",
        "",
        "| resource | type | status | from | bytes on the wire |",
        "|---|---|---:|---|---:|",
    ]
    lines += [
        f"| `{r['path']}` | {r['type']} | {r['status']} | {r['source']} | {r['wire_bytes']} |"
        for r in pb["repeat_load"]
    ]
    lines += ["", "Requests the server saw during the repeat load:", ""]
    lines += [
        f"- {r['method']} `{r['path']}` {r['status']}, {r['body_bytes']} B"
        for r in pb["repeat_load_server"]
    ]
    lines += [
        "",
        f"Static bytes over the network on the repeat load: "
        f"**{pb['repeat_static_network_bytes']} B** ({pb['repeat_static_server_requests']} "
        f"static requests reached the server) — target 0 {yes(pb['repeat_met'])}. "
        "The static files come from the service worker's cache (CDP says "
        "`fromServiceWorker`); the worker fetches the HTML from the network"
        + (f" (`Cache-Control: {html['cache_control']}`)." if html else "."),
        "",
        '### "Vis resten af teamet"',
        "",
        f"Tapping the link after the repeat load: htmx fetches the rest of the team; the "
        f"page then shows {pb['cards_after_rest']} cards.",
        "",
        "| resource | type | status | encoding | from | bytes on the wire |",
        "|---|---|---:|---|---|---:|",
    ]
    lines += [
        f"| `{r['path']}` | {r['type']} | {r['status']} | {r['encoding'] or '–'} | "
        f"{r['source']} | {r['wire_bytes']} |"
        for r in pb["rest"]
    ]
    lines += [
        "",
        f"Not requested by headless Chromium, but by a phone's browser: "
        f"`/manifest.webmanifest`, {pb['manifest']['body_bytes']} B "
        f"{pb['manifest']['encoding'] or 'uncompressed'}, `Cache-Control: "
        f"{pb['manifest']['cache_control']}`.",
        "",
    ]
    return lines


def features_section(f: dict) -> list[str]:
    """The TOBS live score and Overblik (bench/features.py)."""
    counts = f["people"]["counts"]
    lines = [
        "## 4b. TOBS live score and Overblik (`bench/features.py`)",
        "",
        f"On the same database ({counts['citizens']} citizens, {counts['teams']} teams, "
        f"{counts['follow_ups']} follow-ups over a year), {f['dialect']}. Statements per "
        "request in-process (Flask test client, signed in through the form, counted with "
        "`before_cursor_execute`; the second request of two, so the first warms caches):",
        "",
        "| request | signed in as | statements | in-process ms |",
        "|---|---|---:|---:|",
    ]
    lines += [
        f"| {r['label']} | `{r['username']}` | {r['statements']} | {r['in_process_ms']} |"
        for r in f["requests"]
    ]
    n = f["load"]["connections"]
    lines += [
        "",
        f"wrk, {n} connections, gunicorn as in section 3. The TOBS fragment is "
        "`GET /borgere/<id>/tobs?puls=…` with `HX-Request: true`, as the form sends it while "
        f"values are typed, rotating the cookies of {len(f['people']['staff'])} helpers and "
        "assistants of the demo team; Overblik is the municipality-wide page with the "
        "admin's cookie on every connection.",
        "",
        "| run | req/s | p50 ms | p95 ms | p99 ms | requests | non-2xx | socket errors "
        "| other CPU (cores) |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
        run_row("TOBS live score (htmx fragment)", f["load"]["tobs_fragment"]),
        run_row("Overblik, hele kommunen", f["load"]["overview_all"]),
        "",
        f"Server log: {f['load']['server_log']}.",
        "",
    ]
    return lines


def _b(x: dict, key: str) -> str:
    return f"{x[key]:.0f}" if key in x else "–"


def _times(statuses: dict) -> str:
    return ", ".join(f"{n} × {s}" for s, n in sorted(statuses.items()))


def _ms(x: dict) -> str:
    return " | ".join(str(x.get(k, "–")) for k in ("p50", "p95", "max"))


def escalation_section(e: dict) -> list[str]:
    """Kontakt sygeplejerske: delivery time under polling, idle client cost."""
    plan, sends, d = e["plan"], e["sends"], e["delivery"]
    count, inbox = "/henvendelser/antal", "/henvendelser/?vis=til-mig"
    rules = ", ".join(f"{n} as {rule}" for rule, n in plan["rules"].items())
    lines = [
        "## 4c. Kontakt sygeplejerske: delivery and idle cost (`bench/escalation.py`)",
        "",
        f"gunicorn as in section 3 ({e['workers']} {e['worker_class']} workers) on a copy of "
        f"the database, {e['dialect']}, started {plan['now_local']} (shift "
        f"{', '.join(plan['shifts'])}). On the copy the bench put the basisteam nurses of "
        f"{len(plan['teams'])} teams and the nurses who are forløbsansvarlig for their "
        f"citizens on the duty roster for the current shift ({plan['duty_rows_added']} "
        f"`duty_shift` rows), then asked `line_for` (in-process, the server's settings) "
        f"who receives for {plan['citizens_routed']} citizens: {e['pollers']} distinct "
        f"basisteam nurses ({rules}). They sign in and poll like a browser tab with htmx: "
        f"`GET {count}?v=<version>` with `HX-Request: true` every {e['poll_seconds']:.0f} s "
        "from a random phase, where the version is that of the fragment the element shows "
        "(parsed from the `hx-get` of the last 200; the badge starts with an empty `v=`, so "
        "its first poll at the page load is always a 200). A 204 (unchanged) swaps nothing; "
        f"{e['inbox_pollers']} of them are on the inbox page and also poll "
        f"`GET {inbox}&v=<version>`, from the version in the page. "
        f"{len(plan['senders'])} helpers of those teams send one escalation every "
        f"{e['interval_seconds']:g} s for {e['duration_seconds']:g} s (GET the form, POST "
        f"it), {sends['planned']} in all, each about a citizen whose recipient is a poller "
        "and whom no earlier escalation named. Delivery time = end of the recipient's first "
        "poll response that shows it (the count reached the expected number; the list names "
        "the citizen) minus the moment just before the POST.",
        "",
        "| send → visible | n | p50 s | p95 s | max s |",
        "|---|---:|---:|---:|---:|",
    ]
    for key, label in (
        ("badge_s", "navigation count (all pollers)"),
        ("list_s", f"inbox list ({e['inbox_pollers']} pollers on the inbox page)"),
    ):
        x = d[key]
        lines.append(f"| {label} | {x['count']} | {_ms(x)} |")
    badge = d["badge_s"]
    poll_p95 = e["polls"][count]["latency_ms"].get("p95", 0)
    lines.append("")
    if badge["count"] and 0.85 * e["poll_seconds"] <= badge["p95"] <= e["poll_seconds"] + 1:
        lines.append(
            f"The delivery time is the wait for the recipient's next poll: the sends fall "
            f"uniformly into the {e['poll_seconds']:.0f}-s polling interval, so p95 ≈ "
            f"{0.95 * e['poll_seconds']:.1f} s + the request time (poll p95 {poll_p95} ms); "
            f"measured {badge['p95']} s. The server's part (POST p50 "
            f"{sends['post_ms'].get('p50')} ms) is small beside it. The median of a uniform "
            f"wait is {e['poll_seconds'] / 2:.0f} s; the {badge['count']} measured waits (one "
            f"per poller, their phases drawn from a fixed seed, so a rerun repeats the draw) "
            f"give {badge['p50']} s."
        )
    elif badge["count"]:
        lines.append(
            f"p95 {badge['p95']} s is not the ≈{0.95 * e['poll_seconds']:.1f} s a uniform "
            f"wait for the next {e['poll_seconds']:.0f}-s poll would give: see the latencies "
            "below."
        )
    lines += [
        "",
        f"Stored {sends['stored']} of {sends['planned']} ({_times(sends['statuses'])}); "
        f"the recipient stored was the one `line_for` predicted for "
        f"{sends['stored_with_predicted_recipient']}, and the form named them for "
        f"{sends['form_named_predicted_recipient']}. Not seen by the end: "
        f"{d['not_seen_badge']} (count), {d['not_seen_list']} (list). Other escalations "
        f"routed to the pollers meanwhile (would have moved a count): "
        f"{d['other_routes_to_pollers']}.",
        "",
        "| request (client-measured, connect included) | requests | 204 share "
        "(without the badge's load poll) | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
        f"| GET form `/borgere/<id>/kontakt` | {sends['form_ms']['count']} | – | "
        f"{_ms(sends['form_ms'])} |",
        f"| POST `/borgere/<id>/kontakt` (303) | {sends['post_ms']['count']} | – | "
        f"{_ms(sends['post_ms'])} |",
    ]
    for path in (count, inbox):
        x = e["polls"][path]
        lines.append(
            f"| poll `{path}` | {x['requests']} | {x['share_204']} "
            f"({x['share_204_steady']}) | {_ms(x['latency_ms'])} |"
        )
    polls = [e["polls"][path] for path in (count, inbox)]
    server = e["server_log"]
    lines += [
        "",
        f"{e['polls']['requests_per_second']} polls/s over {e['polls']['seconds']} s. Of "
        f"{sum(x['requests'] for x in polls)} poll responses, "
        f"{sum(x['no_store'] for x in polls)} were `Cache-Control: no-store`, "
        f"{sum(x['etag'] for x in polls)} had an `ETag`, "
        f"{sum(x['set_cookie'] for x in polls)} a `Set-Cookie`, "
        f"{sum(x['hx_redirect'] for x in polls)} an `HX-Redirect`, and "
        f"{sum(x['body_on_204'] for x in polls)} 204s a body. "
        f"Errors (failed sends, polls answered other than 200/204, an `HX-Redirect`, a 200 "
        f"without the element's `hx-get` and `v`): {e['errors']['count']}"
        + (f" ({'; '.join(e['errors']['examples'][:3])})" if e["errors"]["count"] else "")
        + f". Server log: {server['tracebacks']} tracebacks, "
        f'{server["database_is_locked"]} × "database is locked", '
        f"{server['worker_timeouts']} worker timeouts. Other CPU during the sends: "
        f"{e['other_cpu']} cores.",
        "",
    ]
    idle = e["idle"]
    clients = idle["clients"]
    lines += [
        "### One idle client",
        "",
        f"Four more sessions of `{idle['username']}` (a nurse who receives nothing in the "
        f"run; rows in the inbox list: {idle['list_rows_shown']}), during the sends, with "
        "versions and without (the same GETs with no `v`: always a 200 with the whole "
        "fragment, and to the app no poll, so also a refreshed session cookie). Each loads "
        "its page; the badge polls at once (htmx's `load` trigger; not counted), then every "
        f"element polls at 10-s intervals for {clients['badge']['seconds']:.0f} s. "
        "Bytes are HTTP/1.1 as "
        "written to and read from the TCP socket: request line, headers (those Chromium and "
        "htmx send, `X-CSRFToken` and the session cookie included) and body; status line, "
        "headers and body as gunicorn sent them, gzip where the app compresses. TCP/IP, TLS "
        "and HTTP/2 header compression are not in it.",
        "",
        "| idle for a minute | requests/min | statuses | bytes up/min | bytes down/min "
        "| of which Set-Cookie | total B/min |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for key, label in (
        ("badge", "normal page: count, with `v`"),
        ("inbox", "inbox page: count + list, with `v`"),
        ("badge_no_version", "normal page, no `v`: 200 every time"),
        ("inbox_no_version", "inbox page, no `v`: 200 every time"),
    ):
        x = clients[key]
        statuses = _times(x["statuses"])
        lines.append(
            f"| {label} | {x['requests_per_minute']:g} | {statuses} | "
            f"{x['request_bytes_per_minute']} | {x['response_bytes_per_minute']} | "
            f"{x['set_cookie_bytes_per_minute']} | **{x['bytes_per_minute']}** |"
        )
    saved = {
        k: clients[f"{k}_no_version"]["bytes_per_minute"] - clients[k]["bytes_per_minute"]
        for k in ("badge", "inbox")
    }
    heads = idle["sample_204_header_bytes"]
    big = sorted(heads.items(), key=lambda kv: -kv[1])[:2]
    up = clients["badge"]["paths"][count]["by_status"].get("204", {})
    body = clients["badge_no_version"]["paths"][count]["by_status"].get("200", {})
    listed = clients["inbox_no_version"]["paths"][inbox]["by_status"].get("200", {})
    lines += [
        "",
        f"The 204s save {saved['badge']} B/min on a normal page and {saved['inbox']} B/min "
        f"on the inbox page "
        f"({saved['badge'] / clients['badge_no_version']['bytes_per_minute']:.0%} and "
        f"{saved['inbox'] / clients['inbox_no_version']['bytes_per_minute']:.0%}), all of "
        f"it in the responses: the bodies (a 200 carries {_b(body, 'response_body_bytes')} B of "
        f"count and {_b(listed, 'response_body_bytes')} B of list) and the `Set-Cookie` a "
        f"200 without `v` re-sends ({_b(body, 'set_cookie_bytes')} B each). A 204 is "
        f"{_b(up, 'response_bytes')} B, status line and headers, of which "
        f"{' and '.join(f'`{k}` {v} B' for k, v in big)}. What is left is mostly the "
        f"request, {_b(up, 'request_bytes')} B per poll (browser headers, the session "
        "cookie and the CSRF token; `v=` and the version add 19 B to the URL). The server "
        "renders and hashes the fragment for a 204 as for a 200, but a 204 of the list writes "
        "no access-log row.",
        "",
    ]
    chromium = e.get("chromium")
    if chromium:
        if "error" in chromium:
            lines += [f"Chromium check failed: {chromium['error']}", ""]
        else:
            lines += [
                f"Check with real Chromium {chromium['browser']} (Playwright, Pixel 7) on the "
                "inbox page for the same minute, from the navigation (CDP: status on the "
                "wire and as the page saw it; bytes = `encodedDataLength` and the request "
                "headers as sent):",
                "",
                "| polled URL | polls in 60 s | every | on the wire | page saw | with `v` | "
                "`If-None-Match` sent / `ETag` got | `no-store` | `Set-Cookie` | from cache | "
                "steady B up / down | steady B/min |",
                "|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for path in (count, inbox):
                x = chromium.get(path)
                if not x:
                    continue
                lines.append(
                    f"| `{path}` | {x['polls_in_60_s_after_navigation']} | "
                    f"{x['mean_interval_s']} s | {_times(x['wire_statuses'])} | "
                    f"{_times(x['page_statuses'])} | {x['with_version']} | "
                    f"{x['if_none_match_sent']} / {x['etag_received']} | {x['no_store']} | "
                    f"{x['set_cookie_received']} | {x['from_cache']} | "
                    f"{x['steady_request_bytes']} / {x['steady_response_bytes']} | "
                    f"{x['steady_bytes_per_minute']} |"
                )
            lines.append("")
    return lines


def pdf_section(p: dict) -> list[str]:
    rows = [
        f"| {c['citizens']} | {c['pages']} | {c['total_ms']} | {c['weasyprint_alone_ms']} | "
        f"{c['html_ms']} | **{c['ratio']}** (CPU {c['ratio_cpu']}) | {c['pdf_bytes']} |"
        for c in p["cases"]
    ]
    return [
        "## 4d. Konferenceliste PDF (`bench/pdf.py`)",
        "",
        f"WeasyPrint {p['weasyprint']}, in-process, the median of {p['cases'][0]['runs']} runs "
        "after a warm-up. Our total (fill the print template, render the PDF) against "
        "WeasyPrint alone on the same finished HTML; target: ratio at most "
        f"{p['target_ratio']} ({yes(p['within_target'])}). Load average "
        f"{p['loadavg_start']} → {p['loadavg_end']} on {p['cpus']} CPUs.",
        "",
        "| citizens | pages | ours ms | WeasyPrint alone ms | template ms | ratio | PDF bytes |",
        "|---:|---:|---:|---:|---:|---|---:|",
        *rows,
        "",
        "The renderer is the cost: the template takes milliseconds. A list of 40 is far "
        "beyond a conference (capacity 6), and still a few seconds.",
        "",
        *_pdf_database_rows(p.get("with_database") or []),
    ]


def _pdf_database_rows(cases: list[dict]) -> list[str]:
    if not cases:
        return []
    return [
        "The whole download as the app does it, on the Aarhus-scale database (read the list "
        "and each citizen's TOBS, observations, follow-ups and requests into the sheet, fill "
        "the template, render), against WeasyPrint alone on the same HTML:",
        "",
        "| citizens | ours ms | of which reading ms | WeasyPrint alone ms | ratio |",
        "|---:|---:|---:|---:|---|",
        *[
            f"| {c['citizens']} | {c['total_ms']} | {c['database_ms']} | "
            f"{c['weasyprint_alone_ms']} | **{c['ratio']}** |"
            for c in cases
        ],
        "",
    ]


def _kb1(n: int | None) -> str:
    return "–" if n is None else f"{n / 1024:.1f} KB"


def offline_section(o: dict) -> list[str]:
    """Working without coverage: the phone's copy and shell, and the queue on reconnect."""
    cases = {c["label"]: c for c in o["plan"]["cases"]}
    inproc = {r["label"]: r for r in o["in_process"]}
    chromium = {r["label"]: r for r in o["chromium"]}
    labels = [label for label in ("40", "largest") if label in inproc]
    sizes = o["plan"]["kontaktteam_sizes"]

    def case_name(label: str) -> str:
        c = cases[label]
        moved = f", {abs(c['moved_in'])} moved" if c["moved_in"] else ""
        return f"kontaktteam {c['kontaktteam_id']} ({c['citizens']} citizens{moved})"

    copy_rows = []
    for label in labels:
        r = inproc[label]
        by = r["statements_by_function"]
        calls = r["profile"].get("snapshot._whom_to_call", {}).get("calls_per_request", 0)
        copy_rows.append(
            f"| {case_name(label)} | {r['citizens_in_copy']} ({r['recent_in_copy']}) | "
            f"{r['raw_bytes']} | {r['gzip_bytes']} | **{r['statements']}** "
            f"({by.get('snapshot._whom_to_call', 0)} in {calls:.0f} × `_whom_to_call`, "
            f"{by.get('snapshot.build', 0)} in `build`) | {r['statement_ms_total']} | "
            f"**{r['ms']['median']}** ({r['ms']['min']}–{r['ms']['max']}) |"
        )
    first = inproc[labels[0]]
    fields = first["breakdown"]["citizen_fields"]
    top = ", ".join(f"`{k}` {_kb1(v)}" for k, v in list(fields.items())[:5])
    per = first["breakdown"]["citizen_bytes"]
    prof = first["profile"]
    counts = sorted({inproc[label]["statements"] for label in labels})
    constant = (
        f"the same {counts[0]} for every case"
        if len(counts) == 1
        else f"not constant ({' vs '.join(str(inproc[x]['statements']) for x in labels)})"
    )
    by_function = ", ".join(f"`{name}` {n}" for name, n in first["statements_by_function"].items())
    share = ""
    if "snapshot._whom_to_call" in prof and "view" in prof:
        share = (
            f" Under cProfile (its overhead included) `_whom_to_call` is "
            f"{prof['snapshot._whom_to_call']['ms_per_request']} of "
            f"{prof['view']['ms_per_request']} ms of the view "
            f"({prof['snapshot._whom_to_call']['calls_per_request']:.0f} calls, "
            f"{prof.get('routing.line_for', {}).get('calls_per_request', 0):.0f} × `line_for`)."
        )
    storage_rows = []
    keys = (
        ("usage", "`navigator.storage.estimate()` usage"),
        ("indexedDB", "… of which IndexedDB (`usageDetails`)"),
        ("caches", "… of which Cache Storage"),
        ("serviceWorkerRegistrations", "… of which service worker registrations"),
        ("copy_bytes", "the copy as stored: UTF-8 of `JSON.stringify(copy)`"),
        ("cache_body_bytes", "Cache Storage: the bodies of its entries"),
        ("disk:IndexedDB", "profile on disk: IndexedDB"),
        ("disk:CacheStorage", "profile on disk: CacheStorage"),
        ("disk:ScriptCache", "profile on disk: ScriptCache (sw.js and its scripts)"),
    )
    for key, name in keys:
        cells = []
        for label in labels:
            c = chromium[label]
            if key.startswith("disk:"):
                value = c["disk_bytes"].get(key[5:])
            elif key in ("usage", "copy_bytes", "cache_body_bytes"):
                value = c[key]
            else:
                value = (c["details"] or {}).get(key)
            cells.append("–" if value is None else f"{value} ({_kb1(value)})")
        storage_rows.append(f"| {name} | " + " | ".join(cells) + " |")
    shell = o["shell"]
    shell_rows = [
        f"| `{f['url'].split('?')[0]}` | {f['raw_bytes']} | {f['gzip_bytes']} |"
        for f in shell["files"]
    ]
    sync = o["sync"]
    sync_rows = []
    for key, name in (
        ("server_restarted", "server taken away (gunicorn stopped, started again)"),
        ("server_kept_up", "server kept up, only the context offline"),
    ):
        x = sync.get(key)
        if not x:
            continue
        w, on, srv = x["wall_ms"], x["online_event_to_empty_ms"], x["server_ms_per_sync"]
        sync_rows.append(
            f"| {name} | {x['emptied']}/{x['rounds']} | **{w['median']}** | **{w['max']}** | "
            f"{on['median']} | {srv['median']} / {srv['p95']} / {srv['max']} | "
            f"{srv['sum_per_round_median']} |"
        )
    stored = sync["stored"]
    restarted = sync.get("server_restarted", {}).get("runs", [])
    first_posts = [r["server_ms_per_sync"][0] for r in restarted if r["server_ms_per_sync"]]
    c40 = cases[labels[0]]
    return [
        "## 4e. Working without coverage (`bench/offline.py`)",
        "",
        f"On its own copy of the database ({o['dialect']}, migrated to `{o['revision']}`; "
        f"measured {o['measured_at']} on commit `{o['commit']}`"
        + (
            f" with {o['app_files_changed']} changed app file(s) in the working tree"
            if o["app_files_changed"]
            else ""
        )
        + f"; load average {o['loadavg_start']} → {o['loadavg_end']} on {o['cpus']} CPUs). "
        f"Kontaktteams hold {sizes['min']}–{sizes['max']} citizens (median {sizes['median']}). "
        f"The kontaktteam nearest 40 is made exactly 40 "
        f"({c40['citizens_as_generated']} as generated); the largest stays as generated. "
        f"Each case signs in a helper whose only membership is that kontaktteam "
        f"(`{c40['username']}` for 40), who opens {o['opened']} of its citizens' pages "
        "(recently opened: the copy holds their details), then asks for the copy.",
        "",
        "### The copy (`GET /offline/data`), in-process",
        "",
        "Bytes of the body, raw and gzip as the app sends it; SQL statements of one request "
        "(a `before_cursor_execute` listener) and their summed time; the median of "
        f"{o['timed_requests']} requests with `Accept-Encoding: gzip` (Flask test client).",
        "",
        "| case | citizens (recent) | raw B | gzip B | statements | SQL ms | ms median (min–max) |",
        "|---|---:|---:|---:|---|---:|---|",
        *copy_rows,
        "",
        f"Largest fields over the citizens ({labels[0]}): {top}. A recently opened "
        f"citizen is {per['mean_recent']} B, another {per['mean_other']} B. Statements: "
        f"{constant}; by function ({labels[0]}): {by_function}.{share}",
        "",
        f"### What Chromium keeps (Pixel 7, {chromium[labels[0]]['browser']})",
        "",
        "A persistent profile (on disk, as on a phone) against gunicorn: sign in, open the "
        "same citizen pages, Mine borgere; once the service worker controls the page and the "
        "copy is in IndexedDB, the browser's own numbers. Disk sizes after the browser closed.",
        "",
        "| bytes | " + " | ".join(case_name(label) for label in labels) + " |",
        "|---|" + "---:|" * len(labels),
        *storage_rows,
        "",
        f"The shell the service worker precaches ({len(shell['files'])} entries: "
        "`SHELL_FILES` and `/offline`), body bytes from gunicorn; Cache Storage holds them "
        f"decoded, {shell['raw_bytes']} B ({_kb1(shell['raw_bytes'])}); "
        f"{shell['gzip_bytes']} B ({_kb1(shell['gzip_bytes'])}) over the wire.",
        "",
        "| shell entry | raw B | gzip B |",
        "|---|---:|---:|",
        *shell_rows,
        "",
        "### The queue on reconnect (20 items)",
        "",
        f"Chromium as a Pixel 7 against gunicorn ({o['workers']} sync workers), "
        f"`{sync['username']}` ({sync['kontaktteam_citizens']} citizens) on Mine borgere "
        "with the copy and the service worker controlling. Offline: "
        f"{sync['items_per_round']['tobs']} TOBS and {sync['items_per_round']['observation']} "
        f"observations for citizens of the kontaktteam put in the queue with "
        f"`{sync['queued_with']}` (well-formed items as the service worker stores a form). "
        "Time from just before `context.set_offline(False)` until the queue is empty (the "
        "page's `online` event runs `OpsporSync.run()`: one `/offline/token`, then the items "
        "one by one); server ms from gunicorn's access log (`%(D)s`).",
        "",
        "| case | rounds emptied | reconnect → empty, median ms | max ms | from `online` event, "
        "median ms | server ms per POST `/offline/sync` p50 / p95 / max | server ms per round "
        "(sum, median) |",
        "|---|---:|---:|---:|---:|---|---:|",
        *sync_rows,
        "",
        f"Stored: {stored['stored_exactly_once']} of {stored['items']} item ids exactly once in "
        f"the right table ({stored['tobs_rows']} `tobs_measurement`, "
        f"{stored['observation_rows']} `observation` rows with those client ids); missing "
        f"{stored['missing']}, duplicated {stored['duplicated']}. Server log: "
        f"{o['server_log']['tracebacks']} tracebacks, {o['server_log']['database_is_locked']} "
        '× "database is locked".'
        + (
            f" After a restart the first POST of a round took {min(first_posts)}–"
            f"{max(first_posts)} ms on the server (fresh workers)."
            if first_posts
            else ""
        ),
        "",
    ]


def targets_table(qcs: list[dict], loads: list[dict], pb: dict | None) -> list[str]:
    rows = [
        f"| queries per Mine borgere request ({q['dialect']}) | constant, ≤ "
        f"{q['target_max']} | {q['max_queries']}, "
        f"{'constant' if q['constant'] else 'varies'} | {yes(q['met'])} |"
        for q in qcs
    ]
    if loads and "ratios" in loads[0]:
        s = loads[0]
        mine = s["pages"]["/"]["requests_per_second"]
        for base, label in (("offline", "no cookie"), ("offline_signed_in", "signed in")):
            ratio = s["ratios"]["/"][base]
            rows.append(
                f"| throughput GET `/` ÷ `/offline`, {label} ({s['dialect']}) | "
                f"≥ {s['ratio_target']} | {mine} / {s[base]['requests_per_second']} req/s "
                f"= {ratio} | {yes(ratio >= s['ratio_target'])} |"
            )
    if pb:
        rows += [
            f"| first load, HTML + static, gzip | ≤ {kb(pb['first_load_target'])} | "
            f"{kb(pb['first_load_page_bytes'])} | {yes(pb['first_load_met'])} |",
            f"| repeat load, static bytes over the network | 0 | "
            f"{pb['repeat_static_network_bytes']} B | {yes(pb['repeat_met'])} |",
        ]
    return [
        "## Targets",
        "",
        "| target | wanted | measured | |",
        "|---|---|---|---|",
        *rows,
        "",
    ]


def main() -> int:
    gen = load("generate-sqlite.json")
    if gen is None:
        raise SystemExit("no bench/out/generate-sqlite.json: run bench/run.sh")
    gen_pg = load("generate-postgresql.json")
    qcs = [x for x in (load("querycount-sqlite.json"), load("querycount-postgresql.json")) if x]
    loads = [x for x in (load("load-sqlite.json"), load("load-postgresql.json")) if x]
    profs = [x for x in (load("breakdown-sqlite.json"), load("breakdown-postgresql.json")) if x]
    pb = load("pagebytes.json")
    source = load("source.json") or {"commit": "unknown", "app_files_changed": 0}
    changed = source["app_files_changed"]
    now = datetime.now().astimezone()
    lines = [
        "# Opspor bench results",
        "",
        f"Measured {now:%Y-%m-%d %H:%M %Z} by `bash bench/run.sh` (see bench/README.md) "
        f"on commit `{source['commit']}`"
        + (
            f" with {changed} changed app files in the working tree"
            if changed
            else " (app files as committed)"
        )
        + "; every number below comes from that run (bench/out/*.json).",
        "",
        "## Machine",
        "",
        *machine(),
    ]
    if "loadavg_start" in source:
        lines.append(
            f"- 1-minute load average when the bench started: {source['loadavg_start']} "
            "(the bench shares the machine with anything else running on it)"
        )
    if gen_pg:
        lines.append(f"- PostgreSQL {gen_pg.get('server_version', '?')} (throwaway cluster)")
    lines += ["", *targets_table(qcs, loads, pb)]
    lines += data_section(gen, gen_pg)
    if qcs:
        lines += query_section(qcs)
    if profs:
        lines += profile_section(profs)
    if loads:
        lines += load_section(loads)
    if pb:
        lines += bytes_section(pb)
    features = load("features-sqlite.json")
    if features:
        lines += features_section(features)
    escalation = load("escalation.json")
    if escalation:
        lines += escalation_section(escalation)
    pdf = load("pdf.json")
    if pdf:
        lines += pdf_section(pdf)
    offline = load("offline.json")
    if offline:
        lines += offline_section(offline)
    lines += analysis(loads, profs, gen)
    RESULTS.write_text("\n".join(lines))
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


FIXED_STEPS = (
    "sign-in check (user and memberships, idle timeout)",
    "scope (from the loaded memberships)",
    "access log insert",
    "commit",
)


def analysis(loads: list[dict], profs: list[dict], gen: dict | None = None) -> list[str]:
    """A short reading of the numbers above; every figure is taken from them."""
    lines = ["## 5. Reading the numbers", ""]
    sqlite = loads[0] if loads else None
    base = profs[0] if profs else None
    if sqlite and "ratios" in sqlite:
        target = sqlite["ratio_target"]
        r = sqlite["ratios"]["/"]
        verdict = {k: "met" if r[k] >= target else "missed" for k in r}
        text = (
            f"- **Throughput ratio** (target ≥ {target}): GET `/` reaches {r['offline']} of "
            f"`/offline` without a cookie ({verdict['offline']}) and "
            f"{r['offline_signed_in']} of `/offline` signed in "
            f"({verdict['offline_signed_in']})."
        )
        if "/?alle=1" in sqlite["ratios"]:
            a = sqlite["ratios"]["/?alle=1"]
            text += f" The whole team (`/?alle=1`): {a['offline']} and {a['offline_signed_in']}."
        if base:
            page = base["pages"]["/"]
            fixed = round(sum(page["steps_ms"][s] for s in FIXED_STEPS), 2)
            text += (
                f" In-process ({base['dialect']}) `/offline` takes {base['offline_ms']} ms "
                f"without a cookie and {base['offline_signed_in_ms']} ms signed in; GET `/` "
                f"takes {page['ms']} ms, of which the sign-in check, the scope query, the "
                f"access-log insert and the commit are {fixed} ms."
            )
        lines.append(text)
    if sqlite and "/?alle=1" in sqlite["pages"]:
        own, everyone = sqlite["pages"]["/"], sqlite["pages"]["/?alle=1"]
        text = (
            f"- **Own kontaktteam vs whole team** ({sqlite['dialect']}, wrk): GET `/` "
            f"{own['requests_per_second']} req/s, p50 {own['p50_ms']} ms, p95 "
            f"{own['p95_ms']} ms; GET `/?alle=1` {everyone['requests_per_second']} req/s, "
            f"p50 {everyone['p50_ms']} ms, p95 {everyone['p95_ms']} ms."
        )
        if base:
            p1, p2 = base["pages"]["/"], base["pages"]["/?alle=1"]
            step = CARDS_STEP
            text += (
                f" In-process, {p1['cards']} against {p2['cards']} cards, the template "
                f"step is {p1['steps_ms']['template rendering']} against "
                f"{p2['steps_ms']['template rendering']} ms, while the `citizen_cards` step "
                f"is {p1['steps_ms'][step]} against {p2['steps_ms'][step]} ms (`/` selects only "
                "the own kontaktteam's citizens and counts the rest in the same query). The "
                "card step includes each card's last TOBS, next follow-up and the nudge facts "
                "(observations, TOBS and dismissals of the last 14 days for the cards shown)."
            )
        lines.append(text)
    runs = []
    for x in loads:
        runs += [(f"GET `{path}`, {x['dialect']}", run) for path, run in x["pages"].items()]
        runs += [
            (f"{label}, {x['dialect']}", x[key])
            for key, label in (
                ("offline", "`/offline` without a cookie"),
                ("offline_signed_in", "`/offline` signed in"),
            )
            if key in x
        ]
    runs += [(f"the in-process breakdown, {p['dialect']}", p) for p in profs]
    busy = [(name, run["other_cpu"]) for name, run in runs if run.get("other_cpu", 0) >= 0.1]
    if busy:
        worst = max(busy, key=lambda b: b[1])
        lines.append(
            f"- **The machine was not idle**: processes outside the bench used ≥ 0.1 cores "
            f"during {len(busy)} of {len(runs)} timed measurements (wrk runs and the in-process "
            f"breakdown; most: {worst[1]} cores during {worst[0]}), so those measured less "
            "than the machine can do."
        )
    if gen and gen.get("observations") == 0 and gen.get("tobs_measurements") == 0:
        lines.append(
            "- **No observations, no TOBS measurements** in the generated data (`webapp.demo` "
            "makes none), so the cards' last-TOBS join and the nudge query read empty "
            "tables here; their cost with data is not measured."
        )
    if len(loads) > 1 and sqlite:
        pg = loads[1]
        parts = [
            f"`{path}` {sqlite['pages'][path]['requests_per_second']} against "
            f"{pg['pages'][path]['requests_per_second']} req/s, p99 "
            f"{sqlite['pages'][path]['p99_ms']} against {pg['pages'][path]['p99_ms']} ms"
            for path in sqlite["pages"]
            if path in pg["pages"]
        ]
        locked = sqlite["server_log"]["database_is_locked"]
        non_2xx = sum(run["non_2xx"] for x in loads for run in x["pages"].values())
        lines.append(
            f"- **SQLite and PostgreSQL** (4 workers, PostgreSQL on the same 2 cores as "
            f"the workers and wrk): {'; '.join(parts)} (SQLite first). "
            f'{locked} × "database is locked" on SQLite; {non_2xx} non-2xx responses to '
            "Mine borgere in all runs."
        )
    lines.append("")
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
