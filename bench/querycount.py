"""SQL statements per Mine borgere request, in-process (Flask test client), counted with a
`before_cursor_execute` listener on the app's engine. Sign-in goes through the real form.

Per person: GET / and GET /?alle=1 (three times each), the htmx fragment behind "Vis resten
af teamet" (/?alle=1 with HX-Request) and an htmx search. For every request it also counts
the cards in the response and the citizens the access log recorded for it: they must match.

    .venv/bin/python -m bench.querycount [--database-url URL]
"""

import argparse
import json
import re

from flask import Flask
from sqlalchemy import event, func
from sqlmodel import Session, select

from bench.common import CSRF, default_url, dialect, query_count_logins, write_json
from webapp import create_app
from webapp.demo import DEMO_PASSWORD
from webapp.models import AccessLog, AccessLogCitizen

TARGET = 5
REPEATS = 3
CARD = re.compile(rb'<li class="card ')
HTMX = {"HX-Request": "true"}
#: (key, path, headers, times)
REQUESTS = [
    ("/", "/", {}, REPEATS),
    ("/?alle=1", "/?alle=1", {}, REPEATS),
    ("/?alle=1 htmx", "/?alle=1", HTMX, 1),
    ("/?q=vej htmx", "/?q=vej", HTMX, 1),
]


class Counter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        first_line = " ".join(statement.split())[:110]
        self.statements.append(("executemany: " if executemany else "") + first_line)

    def take(self) -> list[str]:
        taken, self.statements = self.statements, []
        return taken


def sign_in(app: Flask, username: str):
    client = app.test_client()
    page = client.get("/login")
    token = CSRF.search(page.get_data(as_text=True))
    assert token, "no csrf_token on /login"
    response = client.post(
        "/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token[1]},
    )
    assert response.status_code == 302, (username, response.status_code)
    return client


def logged_citizens(session: Session) -> int:
    """Citizens in the newest access-log row."""
    last = session.exec(select(func.max(AccessLog.id))).one()
    return session.exec(
        select(func.count())
        .select_from(AccessLogCitizen)
        .where(AccessLogCitizen.access_log_id == last)
    ).one()


def main() -> int:
    parser = argparse.ArgumentParser(description="Queries per Mine borgere request.")
    parser.add_argument("--database-url", default=default_url())
    args = parser.parse_args()
    url = args.database_url
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-querycount"})
    engine = app.extensions["engine"]
    counter = Counter()
    event.listen(engine, "before_cursor_execute", counter)

    rows = []
    for login in query_count_logins(url):
        client = sign_in(app, login.username)
        counter.take()
        row: dict = {
            "label": login.label,
            "username": login.username,
            "team": login.team,
            "team_citizens": login.team_citizens,
            "requests": {},
        }
        for key, path, headers, times in REQUESTS:
            queries, statuses, cards, logged = [], set(), set(), set()
            for _ in range(times):
                response = client.get(path, headers={"Accept-Encoding": "identity", **headers})
                statements = counter.take()
                queries.append(len(statements))
                statuses.add(response.status_code)
                cards.add(len(CARD.findall(response.get_data())))
                with Session(engine) as s:
                    logged.add(logged_citizens(s))
                counter.take()  # not the app's: the check above
            row["requests"][key] = {
                "path": path,
                "htmx": bool(headers),
                "statuses": sorted(statuses),
                "queries": queries,
                "cards": sorted(cards),
                "logged_citizens": sorted(logged),
                "statements": statements,
            }
        rows.append(row)
    engine.dispose()
    counts = [q for r in rows for x in r["requests"].values() for q in x["queries"]]
    worst = max(counts)
    constant = len(set(counts)) == 1
    logged_as_shown = all(
        x["cards"] == x["logged_citizens"] and len(x["cards"]) == 1
        for r in rows
        for x in r["requests"].values()
    )
    all_200 = all(x["statuses"] == [200] for r in rows for x in r["requests"].values())
    result = {
        "dialect": dialect(url),
        "target_max": TARGET,
        "max_queries": worst,
        "constant": constant,
        "met": constant and worst <= TARGET,
        "logged_as_shown": logged_as_shown,
        "all_200": all_200,
        "requests": [{"key": k, "path": p, "htmx": bool(h), "times": t} for k, p, h, t in REQUESTS],
        "rows": rows,
    }
    write_json(f"querycount-{dialect(url)}.json", result)
    print(f"Queries per Mine borgere request ({dialect(url)}), target constant and ≤ {TARGET}:")
    for r in rows:
        parts = "  ".join(
            f"{k}: {x['cards'][0]} cards {x['queries']}" for k, x in r["requests"].items()
        )
        print(f"  {r['label']:<40} {r['username']:<20} {parts}")
    print("  statements of the last GET /:")
    for statement in rows[-1]["requests"]["/"]["statements"]:
        print(f"    {statement}")
    summary = ("max_queries", "constant", "met", "logged_as_shown", "all_200")
    print(json.dumps({k: result[k] for k in summary}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
