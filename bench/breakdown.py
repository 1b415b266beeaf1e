"""Where a Mine borgere request spends its time, in-process (one thread, no server): wall
time per request unprofiled, and the share of each step from cProfile, for GET / (own
kontaktteam) and GET /?alle=1 (the whole team), with /offline for comparison.

    .venv/bin/python -m bench.breakdown [--database-url URL]
"""

import argparse
import cProfile
import pstats
import time

from bench.common import PAGES, OtherCpu, default_url, dialect, load_logins, write_json
from bench.querycount import CARD, sign_in
from webapp import create_app

REQUESTS = 60
CARDS_STEP = "citizen_cards (citizen queries, cards, sort)"
STEPS = {
    "sign-in check (user and memberships, idle timeout)": (
        "webapp/auth/__init__.py",
        "_idle_timeout",
    ),
    "scope (from the loaded memberships)": ("webapp/access/scope.py", "current_scope"),
    CARDS_STEP: ("webapp/citizens/services.py", "citizen_cards"),
    "access log insert": ("webapp/access/log.py", "record_read"),
    "template rendering": ("webapp/htmx.py", "render_page_or_fragment"),
    "gzip": ("webapp/assets.py", "_gzip"),
    "commit": ("webapp/db.py", "_commit"),
}
OTHER = "everything else (Flask, Werkzeug, session cookie, headers)"
GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}


def per_request_ms(fn, n: int = REQUESTS) -> float:
    for _ in range(5):
        fn()
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1000


def profile(client, path: str, ms: float) -> tuple[dict, dict]:
    """Milliseconds and share per step, cProfile's split scaled to the unprofiled time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(REQUESTS):
        client.get(path, headers=GZIP)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = max(ct for (_, _, fn), (_, _, _, ct, _) in stats.items() if fn == "wsgi_app")
    steps = {
        label: sum(
            ct
            for (file, _, fn), (_, _, _, ct, _) in stats.items()
            if fn == function and file.endswith(path_end)
        )
        for label, (path_end, function) in STEPS.items()
    }
    steps[OTHER] = total - sum(steps.values())
    share = {k: round(v / total, 3) for k, v in steps.items()}
    return {k: round(v / total * ms, 2) for k, v in steps.items()}, share


def main() -> int:
    parser = argparse.ArgumentParser(description="Time per step of a Mine borgere request.")
    parser.add_argument("--database-url", default=default_url())
    args = parser.parse_args()
    url = args.database_url
    login = load_logins(url, 3)[1]
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-profile"})
    client = sign_in(app, login.username)
    anonymous = app.test_client()
    other = OtherCpu(None, url.startswith("postgresql"))
    pages = {}
    for path in PAGES:
        body = client.get(path, headers=IDENTITY).get_data()
        gzipped = client.get(path, headers=GZIP).get_data()
        ms = per_request_ms(lambda p=path: client.get(p, headers=GZIP))
        steps_ms, steps_share = profile(client, path, ms)
        pages[path] = {
            "cards": len(CARD.findall(body)),
            "html_bytes": len(body),
            "html_gzip_bytes": len(gzipped),
            "ms": round(ms, 2),
            "steps_ms": steps_ms,
            "steps_share": steps_share,
        }
    offline_ms = per_request_ms(lambda: anonymous.get("/offline", headers=GZIP))
    offline_signed_in_ms = per_request_ms(lambda: client.get("/offline", headers=GZIP))
    other_cpu = other.share_of_a_core()
    app.extensions["engine"].dispose()
    result = {
        "dialect": dialect(url),
        "username": login.username,
        "team": login.team,
        "team_citizens": login.team_citizens,
        "pages": pages,
        "offline_ms": round(offline_ms, 2),
        "offline_signed_in_ms": round(offline_signed_in_ms, 2),
        "other_cpu": other_cpu,
    }
    write_json(f"breakdown-{dialect(url)}.json", result)
    print(
        f"In-process, one thread ({dialect(url)}), {login.username} ({login.team}, "
        f"{login.team_citizens} borgere); /offline {offline_ms:.2f} ms "
        f"(signed in: {offline_signed_in_ms:.2f} ms); other CPU {other_cpu} cores:"
    )
    for path, page in pages.items():
        print(
            f"  GET {path}: {page['ms']:.2f} ms/request, {page['cards']} cards, "
            f"{page['html_bytes']} B HTML, {page['html_gzip_bytes']} B gzip"
        )
        for label, ms in page["steps_ms"].items():
            print(f"    {label:<60} {ms:>6.2f} ms  {page['steps_share'][label]:>6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
