"""Bytes a phone downloads for Mine borgere: Playwright (sync) drives Debian Chromium as a
Pixel 7 against gunicorn on 127.0.0.1.

Sign-in posts the real login form through the browser context's own request API (it shares
the context's cookies and loads no page), so the first navigation to / starts with an empty
HTTP cache and no service worker. Bytes come from the page's CDP Network events
(loadingFinished.encodedDataLength: bytes on the wire, headers included) and, for requests
the page cannot see (the service worker's own fetches), from gunicorn's access log (%(B)s:
body bytes as sent, gzip-compressed where the app compresses).

    .venv/bin/python -m bench.pagebytes [--database-url URL]
"""

import argparse
import re
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

from bench.common import (
    APP,
    COOKIE_NAME,
    CSRF,
    default_url,
    dialect,
    gunicorn,
    http_get,
    log_problems,
    write_json,
)
from webapp.demo import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEVICE = "Pixel 7"
USERNAME = "hjaelper"
FIRST_LOAD_TARGET = 60 * 1024
ACCESS_LINE = re.compile(r'^"(\S+) (\S+) [^"]*" (\d{3}) (\d+|-) (\d+|-) "([^"]*)"$')


class Recorder:
    """The page's network activity, per request id, from CDP events."""

    def __init__(self) -> None:
        self.entries: dict[str, dict] = defaultdict(dict)
        self.order: list[str] = []

    def attach(self, cdp) -> None:
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.requestServedFromCache", self._memory)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)

    def _entry(self, event: dict) -> dict:
        rid = event["requestId"]
        if rid not in self.entries:
            self.order.append(rid)
        return self.entries[rid]

    def _sent(self, event: dict) -> None:
        e = self._entry(event)
        e.update(url=event["request"]["url"], type=event.get("type", ""))

    def _response(self, event: dict) -> None:
        r = event["response"]
        headers = {k.lower(): v for k, v in r.get("headers", {}).items()}
        e = self._entry(event)
        e.update(
            url=r["url"],
            type=event.get("type", e.get("type", "")),
            status=r["status"],
            encoding=headers.get("content-encoding", ""),
            cache_control=headers.get("cache-control", ""),
            from_disk_cache=bool(r.get("fromDiskCache")),
            from_service_worker=bool(r.get("fromServiceWorker")),
            from_prefetch_cache=bool(r.get("fromPrefetchCache")),
        )

    def _memory(self, event: dict) -> None:
        self._entry(event)["from_memory_cache"] = True

    def _finished(self, event: dict) -> None:
        self._entry(event)["wire_bytes"] = int(event["encodedDataLength"])

    def _failed(self, event: dict) -> None:
        self._entry(event)["failed"] = event.get("errorText", "failed")

    def take(self) -> list[dict]:
        rows = []
        for rid in self.order:
            e = self.entries[rid]
            if "url" not in e:
                continue
            source = (
                "service worker"
                if e.get("from_service_worker")
                else "memory cache"
                if e.get("from_memory_cache")
                else "disk cache"
                if e.get("from_disk_cache")
                else "network"
            )
            rows.append(
                {
                    "path": _path(e["url"]),
                    "type": e.get("type", ""),
                    "status": e.get("status"),
                    "encoding": e.get("encoding", ""),
                    "cache_control": e.get("cache_control", ""),
                    "source": source,
                    "wire_bytes": e.get("wire_bytes", 0) if source == "network" else 0,
                    "failed": e.get("failed", ""),
                }
            )
        self.entries.clear()
        self.order.clear()
        return rows


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def access_log(path: Path, start: int) -> tuple[list[dict], int]:
    """The access-log lines written since byte `start`, and the new end."""
    data = path.read_bytes()
    rows = []
    for line in data[start:].decode(errors="replace").splitlines():
        m = ACCESS_LINE.match(line.strip())
        if m:
            method, target, status, sent, length, encoding = m.groups()
            # %(B)s is 0 for files gunicorn hands to sendfile(); Content-Length is not.
            size = max(int(sent) if sent != "-" else 0, int(length) if length != "-" else 0)
            rows.append(
                {
                    "method": method,
                    "path": target,
                    "status": int(status),
                    "body_bytes": size if int(status) == 200 else 0,
                    "encoding": "" if encoding == "-" else encoding,
                }
            )
    return rows, len(data)


def settle(page, seconds: float = 1.0) -> None:
    page.wait_for_load_state("networkidle")
    time.sleep(seconds)


def is_static(path: str) -> bool:
    return path.startswith("/static/")


def main() -> int:
    parser = argparse.ArgumentParser(description="Bytes for Mine borgere on a Pixel 7.")
    parser.add_argument("--database-url", default=default_url())
    args = parser.parse_args()
    url = args.database_url
    result: dict = {
        "device": DEVICE,
        "username": USERNAME,
        "dialect": dialect(url),
        "app": APP,
    }
    with gunicorn(url, "pagebytes", workers=2, access_log=True) as server:
        assert server.access_log is not None
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            result["browser"] = browser.version
            context = browser.new_context(
                **p.devices[DEVICE],
                locale="da-DK",
                timezone_id="Europe/Copenhagen",
                base_url=server.base,
            )
            form = context.request.get("/login")
            token = CSRF.search(form.text())
            assert token, "no csrf_token on /login"
            signed_in = context.request.post(
                "/login",
                form={"username": USERNAME, "password": DEMO_PASSWORD, "csrf_token": token[1]},
                max_redirects=0,
            )
            assert signed_in.status == 302, signed_in.status
            time.sleep(0.5)  # gunicorn logs the sign-in after it has answered
            _, mark = access_log(server.access_log, 0)

            page = context.new_page()
            cdp = context.new_cdp_session(page)
            recorder = Recorder()
            recorder.attach(cdp)
            cdp.send("Network.enable")

            page.goto("/", wait_until="load")
            settle(page)
            # The service worker registers on load and fetches the shell in the background.
            state = page.evaluate(
                """() => navigator.serviceWorker.ready
                    .then(r => r.active ? r.active.state : 'none')"""
            )
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            settle(page)
            first = recorder.take()
            first_server, mark = access_log(server.access_log, mark)

            page.goto("/", wait_until="load")
            settle(page)
            repeat = recorder.take()
            repeat_server, mark = access_log(server.access_log, mark)
            cards = page.locator("li.card").count()

            # "Vis resten af teamet": htmx swaps in the rest of the team.
            link = page.get_by_role("link", name=re.compile("^Vis resten af teamet"))
            link.click()
            page.wait_for_selector("#rest li.card")
            settle(page)
            rest = recorder.take()
            rest_server, mark = access_log(server.access_log, mark)
            cards_after_rest = page.locator("li.card").count()
            session_cookie = next(c["value"] for c in context.cookies() if c["name"] == COOKIE_NAME)
            browser.close()
        # The headers a signed-in phone gets with a static file.
        css = next(r["path"] for r in first if r["path"].startswith("/static/css/"))
        status, headers, body = http_get(
            server.port,
            css,
            {"Accept-Encoding": "gzip", "Cookie": f"{COOKIE_NAME}={session_cookie}"},
        )
        result["static_headers"] = {
            "path": css,
            "cache_control": headers.get("Cache-Control", ""),
            "vary": headers.get("Vary", ""),
            "sets_cookie": "Set-Cookie" in headers,
        }
        # Headless Chromium does not fetch the manifest; a phone's browser does.
        status, headers, body = http_get(
            server.port, "/manifest.webmanifest", {"Accept-Encoding": "gzip"}
        )
        result["manifest"] = {
            "status": status,
            "body_bytes": len(body),
            "encoding": headers.get("Content-Encoding", ""),
            "cache_control": headers.get("Cache-Control", ""),
        }
    result["service_worker_state"] = state
    result["cards_on_page"] = cards
    result["cards_after_rest"] = cards_after_rest
    result["server_log"] = log_problems(server.error_log)

    page_first = [r for r in first if r["path"] == "/" or is_static(r["path"])]
    first_total = sum(r["wire_bytes"] for r in page_first)
    all_first_server = sum(r["body_bytes"] for r in first_server)
    repeat_static_network = [r for r in repeat if is_static(r["path"]) and r["wire_bytes"]]
    repeat_static_server = [r for r in repeat_server if is_static(r["path"])]
    result.update(
        first_load=first,
        first_load_server=first_server,
        repeat_load=repeat,
        repeat_load_server=repeat_server,
        rest=rest,
        rest_server=rest_server,
        rest_wire_bytes=sum(r["wire_bytes"] for r in rest),
        first_load_page_bytes=first_total,
        first_load_everything_server_body_bytes=all_first_server,
        first_load_target=FIRST_LOAD_TARGET,
        first_load_met=first_total <= FIRST_LOAD_TARGET,
        repeat_static_network_bytes=sum(r["wire_bytes"] for r in repeat_static_network),
        repeat_static_server_requests=len(repeat_static_server),
        repeat_met=not repeat_static_network and not repeat_static_server,
    )
    write_json("pagebytes.json", result)
    print(f"Mine borgere on a {DEVICE} as {USERNAME} ({cards} cards), service worker {state}:")
    print("  first load, empty cache (page's view, bytes on the wire incl. headers):")
    for r in first:
        print(
            f"    {r['path'][:60]:<60} {r['type']:<10} {r['status']} {r['encoding'] or '-':<5} "
            f"{r['source']:<15} {r['wire_bytes']:>7}"
        )
    print(f"    HTML + static: {first_total} B (target ≤ {FIRST_LOAD_TARGET} B)")
    print("  server access log during the first visit (body bytes as sent):")
    for r in first_server:
        print(f"    {r['method']} {r['path'][:60]:<60} {r['status']} {r['body_bytes']:>7}")
    print("  repeat load:")
    for r in repeat:
        print(
            f"    {r['path'][:60]:<60} {r['type']:<10} {r['status']} {r['source']:<15} "
            f"{r['wire_bytes']:>7}"
        )
    print("  server access log during the repeat load:")
    for r in repeat_server:
        print(f"    {r['method']} {r['path'][:60]:<60} {r['status']} {r['body_bytes']:>7}")
    print(f"  'Vis resten af teamet' ({cards_after_rest} cards after it):")
    for r in rest:
        print(f"    {r['path'][:60]:<60} {r['type']:<10} {r['status']} {r['wire_bytes']:>7}")
    print(f"  a static file's headers, signed in: {result['static_headers']}")
    print(f"  manifest (not fetched by headless Chromium): {result['manifest']}")
    print(
        f"  static bytes over the network on repeat: {result['repeat_static_network_bytes']} "
        f"(server saw {len(repeat_static_server)} static requests)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
