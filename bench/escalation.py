"""Kontakt sygeplejerske: how long a sent escalation takes to show in the recipient's inbox
while 50 signed-in nurses poll, and what one idle client costs the server per minute.

1. Plan, in-process on the bench's own copy of the database (it writes to it): teams in a
   seeded random order; each team's basisteam nurses and the nurses who are forløbsansvarlig
   for its citizens are put on the duty roster (`duty_shift`) for the shift that covers now
   and the one the run may cross into; then `line_for` (webapp/escalations/routing.py) names
   the recipient of each citizen *now*, until 50 distinct nurses are found. Only citizens no
   escalation has ever named (nor anyone of the same name) are used, so a name in an inbox
   is always the one just sent. One helper per team sends.
2. gunicorn as in bench.load (2 × cores sync workers, `WEBAPP_ENV=production`). The 50
   recipients sign in and behave like a phone's browser tab with htmx 2 and the app's
   versioned polling (webapp/escalations/views.py `_polled`): a polling element's `hx-get`
   carries `v=<version>`, the hash of the fragment it shows; a poll (`HX-Request: true` and a
   `v`) gets `204 No Content` while the fragment is unchanged, else `200` with the new
   fragment, whose own `hx-get` holds the new version (parsed from it here, `&amp;`
   unescaped, as the DOM does). The navigation badge (`id="nav-esc-count"`) starts as
   `/henvendelser/antal?v=` (`hx-trigger="load, every 10s"`: its first poll, at the page
   load, always gets a 200); half of the nurses are on the inbox page, whose list
   (`id="esc-list"`) has its version from the page already and polls from 10 s after the
   load. Every 10 s from a random phase; the loops of one page at the same moments. Each
   loads its page first, for the X-CSRFToken header htmx sends with every request and the
   elements' first `hx-get`. Polls do not prolong the session (no Set-Cookie; after
   IDLE_TIMEOUT_MINUTES a poll gets 204 with `HX-Redirect`, counted as an error here); the
   run is far shorter than the timeout. Once every poller has its first answer, the senders
   send one escalation every `--interval` seconds for `--duration` seconds, each to a citizen
   whose recipient is a poller (GET the form, then POST it; t_send is taken just before the
   POST). Delivery time = the end of the first poll response that shows it (a 200 whose
   count reached the expected number; whose list names the citizen) minus t_send.
3. Idle cost, at the same time: four more sessions of a nurse who receives nothing meanwhile,
   on a normal page (the badge poll) and on the inbox page (badge + list), with versions and
   without (the same GETs without `v`: a 200 with the whole fragment every time, and, being
   no poll to the app, a refreshed session cookie). The badge polls at the page load (not
   counted), then both every 10 s six times; those 60 s are counted. Bytes are what the
   client wrote to and read from the TCP connection (HTTP/1.1 request line + headers + body;
   status line + headers + body as sent, gzip where the app compresses); TCP/IP and TLS
   overhead are not counted. The emulated requests carry the headers Chromium and htmx 2
   send (HX-Current-URL: the page).
4. Real Chromium (Playwright, /usr/bin/chromium, as bench.pagebytes) on the inbox page for the
   same 60 s, as a check of the emulation: the polled URLs carry `v`, the answers are 204s,
   nothing sends `If-None-Match` or gets an `ETag`, every answer is
   `Cache-Control: no-store` and none comes from the browser's cache; how many bytes (CDP
   encodedDataLength), how often. `--no-browser` skips it.

    .venv/bin/python -m bench.escalation [--database-url URL] [--duration 100] [--interval 2]
"""

import argparse
import gzip
import html
import http.client
import math
import os
import random
import re
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from markupsafe import escape
from sqlalchemy import func
from sqlmodel import Session, select

from bench.common import (
    APP,
    COOKIE_NAME,
    CSRF,
    HOST,
    OtherCpu,
    _team_helper,
    default_url,
    dialect,
    gunicorn,
    http_login,
    log_problems,
    write_json,
)
from webapp import create_app
from webapp.citizens.services import basisteam_staff
from webapp.db import make_engine
from webapp.demo import DEMO_PASSWORD
from webapp.domain.duty import shift_at
from webapp.domain.escalation import Priority, Rule
from webapp.domain.roles import Role, parse_roles
from webapp.escalations import views as escalation_views
from webapp.escalations.routing import line_for
from webapp.models import (
    Citizen,
    DutyShift,
    Escalation,
    EscalationRoute,
    Membership,
    MembershipKind,
    Staff,
    Team,
)
from webapp.roster.services import insert_new_shifts

POLL_SECONDS = 10.0
POLLERS = 50
IDLE_POLLS = 6  # after the page load: 60 s at 10-s intervals
IDLE_SECONDS = IDLE_POLLS * POLL_SECONDS
TAIL_SECONDS = POLL_SECONDS + 4
COUNT_PATH = "/henvendelser/antal"
INBOX_PATH = "/henvendelser/?vis=til-mig"
COUNT_ID, LIST_ID = "nav-esc-count", "esc-list"  # the polling elements (HX-Target)
VERSION = "v"  # webapp/htmx.py POLL_VERSION: the version of the fragment an element shows
BADGE = re.compile(r'<span class="count-badge">(\d+)</span>')
TO_NAME = re.compile(r'<p class="esc-to-name">([^<]*)</p>')
CLIENT_KEY = re.compile(r'name="client_key" value="([^"]+)"')
SHOWN = re.compile(r"/henvendelser/(\d+)$")
HX_CSRF = re.compile(r"""hx-headers='\{"X-CSRFToken": "([^"]+)"\}'""")
NOTES = ("", "", "Hun virker mere forvirret end i går.", "Han har ikke drukket siden i morges.")
USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


# --- an HTTP client that counts its bytes -----------------------------------------------------


class _Counted:
    """The response's file object: counts the bytes the parser takes from the socket."""

    def __init__(self, fp) -> None:
        self._fp = fp
        self.n = 0

    def _count(self, data: bytes) -> bytes:
        self.n += len(data)
        return data

    def read(self, *args) -> bytes:
        return self._count(self._fp.read(*args))

    def read1(self, *args) -> bytes:
        return self._count(self._fp.read1(*args))

    def readline(self, *args) -> bytes:
        return self._count(self._fp.readline(*args))

    def readinto(self, buffer) -> int:
        n = self._fp.readinto(buffer)
        self.n += n or 0
        return n

    def __getattr__(self, name: str):
        return getattr(self._fp, name)


class _Response(http.client.HTTPResponse):
    def __init__(self, sock, *args, **kwargs) -> None:
        super().__init__(sock, *args, **kwargs)
        self.fp = self.counted = _Counted(self.fp)


class _Connection(http.client.HTTPConnection):
    """Counts what it writes: request line, headers and body."""

    response_class = _Response

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sent = 0

    def send(self, data) -> None:
        self.sent += len(data)
        super().send(data)


@dataclass
class Reply:
    path: str
    status: int  # 0: no response (the error says why)
    started: float
    ended: float
    sent: int = 0
    received: int = 0
    wire_body: int = 0
    set_cookie_bytes: int = 0  # the Set-Cookie header lines (name: value CRLF)
    headers: dict = field(default_factory=dict)
    text: str = ""
    error: str = ""

    @property
    def ms(self) -> float:
        return (self.ended - self.started) * 1000


class Client:
    """One signed-in browser: its session cookie, replaced by every Set-Cookie as a browser
    does (every signed-in response but a poll refreshes it: the idle timeout's last-seen
    time)."""

    def __init__(self, port: int, username: str, cookie: str) -> None:
        self.port, self.username, self.cookie = port, username, cookie
        self.lock = threading.Lock()

    def request(
        self, method: str, path: str, headers: dict | None = None, body: str | None = None
    ) -> Reply:
        with self.lock:
            sent_headers = {**(headers or {}), "Cookie": self.cookie}
        conn = _Connection(HOST, self.port, timeout=30)
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=sent_headers)
            response = conn.getresponse()
            raw = response.read()
            ended = time.monotonic()
        except (OSError, http.client.HTTPException) as error:
            return Reply(path, 0, started, time.monotonic(), error=repr(error)[:200])
        finally:
            conn.close()
        pairs = response.getheaders()
        headers_in = {k.lower(): v for k, v in pairs}
        for key, value in pairs:
            if key.lower() == "set-cookie" and value.startswith(COOKIE_NAME + "="):
                with self.lock:
                    self.cookie = value.split(";", 1)[0]
        text = gzip.decompress(raw) if headers_in.get("content-encoding") == "gzip" else raw
        return Reply(
            path,
            response.status,
            started,
            ended,
            sent=conn.sent,
            received=response.counted.n,
            wire_body=len(raw),
            set_cookie_bytes=sum(
                len(k) + len(v) + 4 for k, v in pairs if k.lower() == "set-cookie"
            ),
            headers=headers_in,
            text=text.decode("utf-8", "replace"),
        )


def browser_headers(port: int, page: str, target: str | None) -> dict:
    """What Chromium on Android sends with an htmx 2 GET (`target`: the polling element's id)
    or, without a target, with a navigation. Host and Cookie come on top."""
    base = f"http://{HOST}:{port}"
    headers = {
        "Connection": "keep-alive",
        "sec-ch-ua-platform": '"Android"',
        "sec-ch-ua": '"Chromium";v="131", "Not_A Brand";v="24"',
        "sec-ch-ua-mobile": "?1",
        "User-Agent": USER_AGENT,
    }
    if target:
        headers.update(
            {
                "HX-Request": "true",
                "HX-Current-URL": base + page,
                "HX-Target": target,
                "HX-Trigger": target,
                "Accept": "*/*",
                "Sec-Fetch-Site": "same-origin",
                "Sec-Fetch-Mode": "cors",
                "Sec-Fetch-Dest": "empty",
                "Referer": base + page,
            }
        )
    else:
        headers.update(
            {
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Sec-Fetch-Site": "same-origin",
                "Sec-Fetch-Mode": "navigate",
                "Sec-Fetch-Dest": "document",
            }
        )
    headers["Accept-Encoding"] = "gzip, deflate, br, zstd"
    headers["Accept-Language"] = "da-DK,da;q=0.9,en-US;q=0.8,en;q=0.7"
    return headers


def hx_get(text: str, element_id: str) -> str | None:
    """The URL htmx polls for the element `element_id`: its `hx-get` attribute, unescaped
    as the DOM does (`&amp;` → `&`)."""
    tag = re.search(rf'<[a-z]+\b[^>]*\sid="{re.escape(element_id)}"[^>]*>', text)
    url = tag and re.search(r'\shx-get="([^"]*)"', tag[0])
    return html.unescape(url[1]) if url else None


def version_of(url: str) -> str | None:
    values = parse_qs(urlsplit(url).query, keep_blank_values=True).get(VERSION)
    return values[0] if values else None


@dataclass
class Loop:
    """One element htmx polls every 10 s. With versions (`versioned`) it GETs its own
    `hx-get`, whose `v` is the version of what it shows; a 204 swaps nothing, a 200 replaces
    the element and with it the URL (the new fragment's `hx-get`). Without, the same path
    with no `v`: a 200 with the whole fragment every time. `at_load`: htmx also polls it at
    the page load (the badge's `load` trigger); that poll is not counted in the idle minute."""

    client: Client
    kind: str  # "badge" or "list"
    base: str  # COUNT_PATH or INBOX_PATH: the path without the version
    element_id: str
    path: str  # what the next poll GETs
    headers: dict
    versioned: bool = True
    at_load: bool = False
    body: str = ""  # what the element shows (the last 200's fragment, or the page's)
    replies: list[Reply] = field(default_factory=list)

    def poll(self) -> Reply:
        reply = self.client.request("GET", self.path, self.headers)
        if reply.headers.get("hx-redirect"):
            reply.error = f"HX-Redirect {reply.headers['hx-redirect']}"
        elif reply.status == 200:
            self.body = reply.text
            url = hx_get(reply.text, self.element_id)
            if url is None or version_of(url) in (None, ""):
                reply.error = f"no hx-get with {VERSION}= on #{self.element_id}"
            elif self.versioned:
                self.path = url
        elif reply.status == 204 and not self.versioned:
            reply.error = "204 without a version"
        self.replies.append(reply)
        return reply

    def counted(self) -> list[Reply]:
        """The polls of the steady state: all but the page load's."""
        return self.replies[1:] if self.at_load else self.replies


def open_page(client: Client, port: int, inbox: bool, versioned: bool = True) -> list[Loop]:
    """Load the page (Mine borgere, or the inbox), as the browser does before htmx polls:
    its `hx-headers` give every htmx request an X-CSRFToken header, and its polling
    elements their first `hx-get`."""
    page = INBOX_PATH if inbox else "/"
    loaded = client.request("GET", page, browser_headers(port, page, None))
    token = HX_CSRF.search(loaded.text)
    if loaded.status != 200 or not token:
        raise RuntimeError(f"GET {page} as {client.username}: {loaded.status} {loaded.error}")

    def loop(kind: str, base: str, element_id: str, at_load: bool) -> Loop:
        url = hx_get(loaded.text, element_id)
        if url is None or urlsplit(url).path != urlsplit(base).path or version_of(url) is None:
            raise RuntimeError(f"GET {page}: #{element_id} polls {url!r}")
        if kind == "badge" and version_of(url) != "":
            raise RuntimeError(f"GET {page}: the badge starts at {url!r}, not {VERSION}=")
        headers = browser_headers(port, page, element_id) | {"X-CSRFToken": token[1]}
        return Loop(
            client,
            kind,
            base,
            element_id,
            url if versioned else base,
            headers,
            versioned,
            at_load,
            body=loaded.text if kind == "list" else "",
        )

    loops = [loop("badge", COUNT_PATH, COUNT_ID, True)]
    if inbox:
        loops.append(loop("list", INBOX_PATH, LIST_ID, False))
    return loops


def badge_count(body: str) -> int:
    match = BADGE.search(body)
    return int(match[1]) if match else 0


# --- the plan: who receives, who sends, about whom --------------------------------------------


@dataclass
class Target:
    citizen_id: int
    citizen_name: str
    team_id: int
    priority: str
    recipient_id: int
    recipient: str
    recipient_name: str
    rule: str


def make_plan(url: str, wanted: int, per_recipient: int, seed: int, horizon: float) -> dict:
    """Puts nurses on duty (commits to `url`), then asks `line_for` who receives now."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-escalation"})
    with app.app_context():
        settings = escalation_views.settings()  # the zone and shift starts the server uses
    app.extensions["engine"].dispose()
    zone, starts = settings.zone, settings.shift_starts
    rng = random.Random(seed)
    now = datetime.now(UTC)
    today = now.astimezone(zone).date()
    shifts = sorted(
        {shift_at(t.astimezone(zone), starts) for t in (now, now + timedelta(seconds=horizon))}
    )
    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as s:
        escalated = set(
            s.exec(
                select(Citizen.full_name).join(Escalation, Escalation.citizen_id == Citizen.id)  # type: ignore[arg-type]
            ).all()
        )
        nurses = {
            i
            for i, roles in s.exec(select(Staff.id, Staff.roles)).all()
            if Role.NURSE in parse_roles(roles)
        }
        in_basisteam = set(
            s.exec(
                select(Membership.staff_id).where(Membership.kind == MembershipKind.BASISTEAM)
            ).all()
        )
        duty_before = s.exec(select(func.count()).select_from(DutyShift)).one()
        team_ids = list(s.exec(select(Team.id).order_by(Team.id)).all())
        rng.shuffle(team_ids)
        found: dict[int, list[Target]] = defaultdict(list)
        order: list[int] = []
        teams: list[int] = []
        looked_at = 0

        def enough() -> bool:
            return sum(len(found[r]) >= per_recipient for r in order) >= wanted

        for team_id in team_ids:
            if enough():
                break
            citizens = list(
                s.exec(select(Citizen).where(Citizen.team_id == team_id).order_by(Citizen.id)).all()
            )
            attached = [p.id for p in basisteam_staff(s, team_id, today) if p.id in nurses]
            responsible = {c.forloebsansvarlig_id for c in citizens} & nurses
            insert_new_shifts(
                s,
                [
                    {"team_id": team_id, "day": day, "shift": shift.value, "staff_id": staff_id}
                    for staff_id in sorted(set(attached) | responsible)
                    for day, shift in shifts
                ],
            )
            teams.append(team_id)
            rng.shuffle(citizens)
            for citizen in citizens:
                if citizen.full_name in escalated:
                    continue
                priority = rng.choice(list(Priority))
                looked_at += 1
                first = line_for(s, citizen, priority, now, zone, starts).first
                if (
                    first is None
                    or first.choice.rule not in (Rule.FORLOEBSANSVARLIG, Rule.ON_DUTY)
                    or first.staff.id not in nurses
                    or first.staff.id not in in_basisteam
                ):
                    continue
                staff = first.staff
                if staff.id not in found:
                    order.append(staff.id)  # type: ignore[arg-type]
                found[staff.id].append(  # type: ignore[index]
                    Target(
                        citizen.id,  # type: ignore[arg-type]
                        citizen.full_name,
                        team_id,
                        priority.value,
                        staff.id,  # type: ignore[arg-type]
                        staff.username,
                        staff.full_name,
                        first.choice.rule.value,
                    )
                )
        chosen = [r for r in order if len(found[r]) >= per_recipient][:wanted]
        if len(chosen) < wanted:
            raise SystemExit(f"only {len(chosen)} recipients found, {wanted} wanted")
        # A nurse who receives nothing in this run, with the most inbox rows of the last two
        # days (the list's recent part), for the idle client.
        idle = s.exec(
            select(Staff.id, Staff.username, func.count(EscalationRoute.id))
            .join(EscalationRoute, EscalationRoute.recipient_id == Staff.id)  # type: ignore[arg-type]
            .where(
                EscalationRoute.routed_at >= now - timedelta(days=2),
                Staff.id.notin_(chosen),  # type: ignore[union-attr]
                Staff.id.in_(sorted(in_basisteam & nurses)),  # type: ignore[union-attr]
            )
            .group_by(Staff.id, Staff.username)
            .order_by(func.count(EscalationRoute.id).desc(), Staff.id)
        ).first()
        senders = {
            t: _team_helper(s, t) for t in sorted({x.team_id for r in chosen for x in found[r]})
        }
        duty_after = s.exec(select(func.count()).select_from(DutyShift)).one()
        route_mark = s.exec(select(func.max(EscalationRoute.id))).one() or 0
        s.commit()
    engine.dispose()
    assert idle is not None, "no nurse with inbox rows for the idle client"
    return {
        "now_utc": now.isoformat(timespec="seconds"),
        "now_local": now.astimezone(zone).isoformat(timespec="seconds"),
        "shifts": [f"{day} {shift.value}" for day, shift in shifts],
        "teams": teams,
        "duty_rows_added": duty_after - duty_before,
        "citizens_routed": looked_at,
        "plan_seconds": round(time.perf_counter() - started, 2),
        "recipients": [found[r] for r in chosen],
        "senders": senders,
        "idle_username": idle[1],
        "idle_inbox_rows_2_days": idle[2],
        "route_mark": route_mark,
    }


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Sent:
    index: int
    target: Target
    sender: str
    name_html: str
    inbox: bool  # the recipient is on the inbox page (list polled too)
    expected: int | None = None  # the count the badge must reach
    t_send: float | None = None
    form_status: int = 0
    form_ms: float | None = None
    form_named_recipient: bool | None = None
    status: int = 0
    post_ms: float | None = None
    escalation_id: int | None = None
    badge_at: float | None = None
    list_at: float | None = None
    list_shows_link: bool | None = None
    error: str = ""


class Tracker:
    """Which escalation each recipient's polls have shown, and when."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.baseline: dict[str, int] = {}  # the badge's count at the page load's poll
        self.sends: dict[str, list[Sent]] = defaultdict(list)

    def register(self, sent: Sent) -> None:
        """Just before the POST: the count the recipient's badge must reach."""
        with self.lock:
            mine = self.sends[sent.target.recipient]
            mine.append(sent)
            base = self.baseline.get(sent.target.recipient)
            sent.expected = None if base is None else base + len(mine)
            sent.t_send = time.monotonic()

    def seen(self, loop: Loop, reply: Reply) -> None:
        """A 204 changes nothing on the page; a 200 is what the element shows now."""
        if reply.status != 200:
            return
        who = loop.client.username
        with self.lock:
            if loop.kind == "badge":
                count = badge_count(reply.text)
                if who not in self.baseline:
                    self.baseline[who] = count
                    return
                for s in self.sends[who]:
                    if s.badge_at is None and s.expected is not None and count >= s.expected:
                        s.badge_at = reply.ended
            else:
                for s in self.sends[who]:
                    if s.list_at is None and s.t_send is not None and s.name_html in reply.text:
                        s.list_at = reply.ended
                        if s.escalation_id is not None:
                            s.list_shows_link = f'/henvendelser/{s.escalation_id}"' in reply.text

    def ready(self, pollers: int) -> bool:
        """Every badge has had its first answer (the lists have theirs from the page)."""
        with self.lock:
            return len(self.baseline) >= pollers


def run_loops(loops: list[Loop], first_at: float, stop: threading.Event, tracker=None) -> None:
    """From `first_at` (the page load, as htmx sees it) until `stop`: the badge's `load`
    poll, then every 10 s the loops of the page one after the other, at the same moments."""
    at, first = first_at, True
    while not stop.is_set():
        delay = at - time.monotonic()
        if delay > 0 and stop.wait(delay):
            return
        for loop in loops:
            if first and not loop.at_load:
                continue
            reply = loop.poll()
            if tracker is not None:
                tracker.seen(loop, reply)
        first = False
        at += POLL_SECONDS
        behind = time.monotonic() - at
        if behind > 0:  # a poll took longer than the interval: skip the missed ticks
            at += math.ceil(behind / POLL_SECONDS) * POLL_SECONDS


def idle_client(loops: list[Loop]) -> float:
    """The page load's poll of the badge (not counted), then IDLE_POLLS polls of every
    element at 10-s intervals."""
    start = time.monotonic()
    for loop in loops:
        if loop.at_load:
            loop.poll()
    for k in range(1, IDLE_POLLS + 1):
        time.sleep(max(0.0, start + k * POLL_SECONDS - time.monotonic()))
        for loop in loops:
            loop.poll()
    return start


def send_one(sent: Sent, client: Client, port: int, tracker: Tracker) -> None:
    path = f"/borgere/{sent.target.citizen_id}/kontakt"
    form = client.request("GET", path, browser_headers(port, "/", None))
    sent.form_status, sent.form_ms = form.status, round(form.ms, 1)
    token, key, to = CSRF.search(form.text), CLIENT_KEY.search(form.text), TO_NAME.search(form.text)
    if form.status != 200 or not token or not key:
        sent.error = f"form: {form.status} {form.error}"
        return
    sent.form_named_recipient = bool(to) and html.unescape(to[1]) == sent.target.recipient_name
    body = urlencode(
        {
            "csrf_token": token[1],
            "client_key": key[1],
            "hast": sent.target.priority,
            "note": NOTES[sent.index % len(NOTES)],
        }
    )
    headers = {
        **browser_headers(port, path, None),
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"http://{HOST}:{port}",
        "Referer": f"http://{HOST}:{port}{path}",
    }
    tracker.register(sent)
    reply = client.request("POST", path, headers, body)
    sent.status, sent.post_ms = reply.status, round(reply.ms, 1)
    location = urlsplit(reply.headers.get("location", "")).path
    shown = SHOWN.search(location)
    if reply.status != 303 or not shown:
        sent.error = f"post: {reply.status} {location} {reply.error}"
        return
    sent.escalation_id = int(shown[1])


# --- real Chromium on the inbox page ----------------------------------------------------------


def chromium_inbox(base: str, username: str, ready: threading.Event, out: dict) -> None:
    """Playwright in this thread: sign in, open the inbox page, record its polls for
    IDLE_SECONDS (CDP Network events: the headers as sent and as received, the status on
    the wire and as the page saw it, whether the browser's cache answered)."""
    from playwright.sync_api import sync_playwright

    from bench.pagebytes import ARGS, CHROMIUM, DEVICE

    events: dict[str, dict] = defaultdict(dict)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            out["browser"] = browser.version
            context = browser.new_context(
                **p.devices[DEVICE],
                locale="da-DK",
                timezone_id="Europe/Copenhagen",
                base_url=base,
            )
            form = context.request.get("/login")
            token = CSRF.search(form.text())
            assert token, "no csrf_token on /login"
            signed_in = context.request.post(
                "/login",
                form={"username": username, "password": DEMO_PASSWORD, "csrf_token": token[1]},
                max_redirects=0,
            )
            assert signed_in.status == 302, signed_in.status
            page = context.new_page()
            cdp = context.new_cdp_session(page)

            def on(name: str, handler) -> None:
                cdp.on(name, lambda e: handler(events[e["requestId"]], e))

            on(
                "Network.requestWillBeSent",
                lambda d, e: d.update(
                    url=e["request"]["url"], type=e.get("type", ""), at=e["timestamp"]
                ),
            )
            on("Network.requestWillBeSentExtraInfo", lambda d, e: d.update(sent=e["headers"]))
            on(
                "Network.responseReceived",
                lambda d, e: d.update(
                    page_status=e["response"]["status"],
                    from_cache=bool(
                        e["response"].get("fromDiskCache")
                        or e["response"].get("fromPrefetchCache")
                        or e["response"].get("fromServiceWorker")
                    ),
                ),
            )
            on(
                "Network.responseReceivedExtraInfo",
                lambda d, e: d.update(wire_status=e["statusCode"], received=e["headers"]),
            )
            on("Network.requestServedFromCache", lambda d, e: d.update(served_from_cache=True))
            on(
                "Network.loadingFinished",
                lambda d, e: d.update(wire_bytes=int(e["encodedDataLength"])),
            )
            cdp.send("Network.enable")
            page.goto(INBOX_PATH, wait_until="load")
            ready.set()
            page.wait_for_timeout(IDLE_SECONDS * 1000 + 1500)
            browser.close()
    except Exception as error:  # the check must not take the measurement down with it
        out["error"] = repr(error)[:300]
        ready.set()
        return
    out["requests"] = _chromium_rows(events)


def _chromium_rows(events: dict[str, dict]) -> list[dict]:
    rows = []
    start = min((e["at"] for e in events.values() if "at" in e), default=0.0)
    for e in sorted((e for e in events.values() if "url" in e), key=lambda e: e["at"]):
        parts = urlsplit(e["url"])
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        query = parse_qs(parts.query, keep_blank_values=True)
        rest = {k: v for k, v in query.items() if k != VERSION}
        base = parts.path + (f"?{urlencode(rest, doseq=True)}" if rest else "")
        if base not in (COUNT_PATH, INBOX_PATH):
            continue
        sent = {k.lower(): v for k, v in e.get("sent", {}).items()}
        received = {k.lower(): v for k, v in e.get("received", {}).items()}
        request_bytes = (
            len(f"GET {path} HTTP/1.1\r\n")
            + sum(len(k) + len(str(v)) + 4 for k, v in e.get("sent", {}).items())
            + 2
        )
        shown = {
            k: (f"… ({len(str(v))} B)" if k.lower() in ("cookie", "if-none-match") else v)
            for k, v in e.get("sent", {}).items()
        }
        rows.append(
            {
                "t": round(e["at"] - start, 2),
                "path": base,
                "url": path,
                "type": e.get("type", ""),
                "htmx": sent.get("hx-request") == "true",
                "version": query[VERSION][0] if VERSION in query else None,
                "if_none_match": "if-none-match" in sent,
                "etag": "etag" in received,
                "cache_control": received.get("cache-control"),
                "set_cookie": "set-cookie" in received,
                "hx_redirect": received.get("hx-redirect"),
                "from_cache": bool(e.get("from_cache") or e.get("served_from_cache")),
                "wire_status": e.get("wire_status"),
                "page_status": e.get("page_status"),
                "request_bytes": request_bytes,
                "response_bytes": e.get("wire_bytes"),
                "headers": shown,
            }
        )
    return rows


def chromium_summary(out: dict) -> dict:
    """Per polled URL: how often, which statuses, bytes; steady state = after the first poll."""
    result = {k: v for k, v in out.items() if k != "requests"}
    rows = [r for r in out.get("requests", []) if r["htmx"]]
    for path in (COUNT_PATH, INBOX_PATH):
        mine = [r for r in rows if r["path"] == path and r["t"] < IDLE_SECONDS]
        if not mine:
            continue
        gaps = [b["t"] - a["t"] for a, b in zip(mine, mine[1:], strict=False)]
        steady = mine[1:] if path == COUNT_PATH else mine  # the badge's load poll aside
        per_minute = 60 / (sum(gaps) / len(gaps)) if gaps else None
        result[path] = {
            "polls_in_60_s_after_navigation": len(mine),
            "first_at_s": mine[0]["t"],
            "mean_interval_s": round(sum(gaps) / len(gaps), 2) if gaps else None,
            "wire_statuses": dict(Counter(str(r["wire_status"]) for r in mine)),
            "page_statuses": dict(Counter(str(r["page_status"]) for r in mine)),
            "with_version": sum(r["version"] is not None for r in mine),
            "empty_version": sum(r["version"] == "" for r in mine),
            "if_none_match_sent": sum(r["if_none_match"] for r in mine),
            "etag_received": sum(r["etag"] for r in mine),
            "no_store": sum(r["cache_control"] == "no-store" for r in mine),
            "set_cookie_received": sum(r["set_cookie"] for r in mine),
            "hx_redirect": sum(bool(r["hx_redirect"]) for r in mine),
            "from_cache": sum(r["from_cache"] for r in mine),
            "steady_204_response_bytes": _mean(
                r["response_bytes"] or 0 for r in steady if r["wire_status"] == 204
            ),
            "sample_headers": mine[-1]["headers"],
            "steady_request_bytes": _mean(r["request_bytes"] for r in steady),
            "steady_response_bytes": _mean(r["response_bytes"] or 0 for r in steady),
            "steady_bytes_per_minute": (
                round(
                    per_minute
                    * (
                        _mean(r["request_bytes"] for r in steady)
                        + _mean(r["response_bytes"] or 0 for r in steady)
                    )
                )
                if per_minute and steady
                else None
            ),
        }
    result["requests"] = [
        {k: v for k, v in r.items() if k != "headers"} for r in out.get("requests", [])
    ]
    return result


# --- numbers ----------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    xs = sorted(values)
    k = (len(xs) - 1) * q
    low = math.floor(k)
    high = min(low + 1, len(xs) - 1)
    return xs[low] + (xs[high] - xs[low]) * (k - low)


def stats(values: list[float], digits: int = 2) -> dict:
    if not values:
        return {"count": 0}
    return {
        "count": len(values),
        "min": round(min(values), digits),
        "p50": round(pct(values, 0.5), digits),
        "p95": round(pct(values, 0.95), digits),
        "max": round(max(values), digits),
        "mean": round(sum(values) / len(values), digits),
    }


def _mean(values) -> float:
    xs = list(values)
    return round(sum(xs) / len(xs), 1) if xs else 0.0


def poll_summary(replies: list[Reply]) -> dict:
    statuses = Counter(str(r.status) for r in replies)
    answered = [r for r in replies if r.status]
    return {
        "requests": len(replies),
        "statuses": dict(sorted(statuses.items())),
        "share_204": round(statuses.get("204", 0) / len(replies), 3) if replies else None,
        "latency_ms": stats([r.ms for r in answered], 1),
        "latency_ms_200": stats([r.ms for r in answered if r.status == 200], 1),
        "latency_ms_204": stats([r.ms for r in answered if r.status == 204], 1),
        "no_store": sum(r.headers.get("cache-control") == "no-store" for r in answered),
        "etag": sum("etag" in r.headers for r in answered),
        "set_cookie": sum(r.set_cookie_bytes > 0 for r in answered),
        "hx_redirect": sum("hx-redirect" in r.headers for r in answered),
        "body_on_204": sum(r.wire_body > 0 for r in answered if r.status == 204),
    }


def idle_summary(loops: list[Loop]) -> dict:
    """The counted minute (all replies but the page load's badge poll), per URL and in all."""
    counted = [r for loop in loops for r in loop.counted()]
    per_path = {}
    for loop in loops:
        replies = loop.counted()
        by_status: dict[str, dict] = {}
        for status in sorted({r.status for r in replies}):
            same = [r for r in replies if r.status == status]
            by_status[str(status)] = {
                "requests": len(same),
                "request_bytes": _mean(r.sent for r in same),
                "response_bytes": _mean(r.received for r in same),
                "response_header_bytes": _mean(r.received - r.wire_body for r in same),
                "response_body_bytes": _mean(r.wire_body for r in same),
                "set_cookie_bytes": _mean(r.set_cookie_bytes for r in same),
                "gzip": any(r.headers.get("content-encoding") == "gzip" for r in same),
            }
        per_path[loop.base] = {
            "requests": len(replies),
            "by_status": by_status,
            "last_url": loop.path,
        }
        if loop.at_load:
            per_path[loop.base]["load_poll"] = {
                "status": loop.replies[0].status,
                "response_bytes": loop.replies[0].received,
            }
    minutes = IDLE_SECONDS / 60
    return {
        "seconds": IDLE_SECONDS,
        "requests_per_minute": round(len(counted) / minutes, 1),
        "statuses": dict(Counter(str(r.status) for r in counted)),
        "request_bytes_per_minute": round(sum(r.sent for r in counted) / minutes),
        "response_bytes_per_minute": round(sum(r.received for r in counted) / minutes),
        "bytes_per_minute": round(sum(r.sent + r.received for r in counted) / minutes),
        "set_cookie_responses": sum(r.set_cookie_bytes > 0 for r in counted),
        "set_cookie_bytes_per_minute": round(sum(r.set_cookie_bytes for r in counted) / minutes),
        "paths": per_path,
    }


def header_sizes(reply: Reply) -> dict:
    """Bytes per response header line (name: value CRLF) of one reply."""
    return {k: len(k) + len(v) + 4 for k, v in reply.headers.items()}


def sample_request(loop: Loop) -> str:
    """The header block of a counted poll, cookie and CSRF token elided (for the JSON)."""
    headers = {"Host": f"{HOST}:{loop.client.port}", **loop.headers, "Cookie": "…"}
    headers["X-CSRFToken"] = "…"
    return "\n".join([f"GET {loop.path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())])


class _TreeCpu(OtherCpu):
    """OtherCpu, counting the whole process tree of the bench and of gunicorn as ours
    (Playwright's driver and Chromium are grandchildren)."""

    def _ours(self) -> int:
        from bench.common import _cpu_ticks, _ppid

        pids = [int(e.name) for e in Path("/proc").iterdir() if e.name.isdigit()]
        parent = {p: _ppid(p) for p in pids}
        ours = set(self.roots) | {os.getpid()}
        grown = True
        while grown:
            more = {p for p in pids if parent[p] in ours} - ours
            grown = bool(more)
            ours |= more
        return sum(_cpu_ticks(p) for p in ours)


def main() -> int:
    parser = argparse.ArgumentParser(description="Kontakt sygeplejerske: delivery, idle cost.")
    parser.add_argument("--database-url", default=default_url())
    parser.add_argument("--duration", type=float, default=100, help="seconds of sending")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between sends")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium check")
    args = parser.parse_args()
    url, kind = args.database_url, dialect(args.database_url)
    begun = time.monotonic()
    n_sends = max(1, int(args.duration / args.interval))
    per_recipient = math.ceil(n_sends / POLLERS)
    plan = make_plan(url, POLLERS, per_recipient, args.seed, args.duration + 180)
    rng = random.Random(args.seed)
    recipients = [targets[0] for targets in plan["recipients"]]
    rng.shuffle(recipients)
    inbox_users = {t.recipient for t in recipients[: POLLERS // 2]}
    queue = {t.recipient: list(targets) for targets in plan["recipients"] for t in targets[:1]}
    jobs = []
    for i in range(n_sends):
        target = queue[recipients[i % POLLERS].recipient].pop(0)
        jobs.append(
            Sent(
                i,
                target,
                plan["senders"][target.team_id],
                f'<span class="esc-name">{escape(target.citizen_name)}</span>',
                target.recipient in inbox_users,
            )
        )
    print(
        f"plan ({plan['plan_seconds']} s): {len(plan['teams'])} teams, "
        f"{plan['duty_rows_added']} duty rows added for {plan['shifts']}, "
        f"{plan['citizens_routed']} citizens routed, {POLLERS} recipients, "
        f"{len(plan['senders'])} senders, {n_sends} sends; idle nurse {plan['idle_username']}"
    )
    tracker = Tracker()
    stop = threading.Event()
    result: dict = {
        "dialect": kind,
        "app": APP,
        "workers": args.workers,
        "worker_class": "sync",
        "poll_seconds": POLL_SECONDS,
        "pollers": POLLERS,
        "inbox_pollers": len(inbox_users),
        "duration_seconds": args.duration,
        "interval_seconds": args.interval,
        "plan": {k: v for k, v in plan.items() if k not in ("recipients", "senders", "route_mark")}
        | {
            "senders": sorted(plan["senders"].values()),
            "rules": dict(Counter(t.rule for t in recipients)),
            "recipients": [
                {
                    "username": t.recipient,
                    "team_id": t.team_id,
                    "rule": t.rule,
                    "inbox_page": t.recipient in inbox_users,
                }
                for t in recipients
            ],
        },
    }
    with gunicorn(url, f"escalation-{kind}", workers=args.workers) as server:
        port = server.port
        t0 = time.monotonic()
        names = [t.recipient for t in recipients] + sorted(set(plan["senders"].values()))
        names += [plan["idle_username"]] * 4
        with ThreadPoolExecutor(4) as pool:
            cookies = list(pool.map(lambda u: http_login(port, u), names))
        result["login_seconds"] = round(time.monotonic() - t0, 2)
        clients = [Client(port, u, c) for u, c in zip(names, cookies, strict=True)]
        pollers = {c.username: c for c in clients[:POLLERS]}
        senders = {c.username: c for c in clients[POLLERS:-4]}
        idle_clients = clients[-4:]
        # Anything already past its deadline is re-routed by the first poll: let that happen
        # before the pollers take their baseline.
        idle_clients[0].request("GET", COUNT_PATH, {"HX-Request": "true"})

        browser_out: dict = {}
        browser_ready = threading.Event()
        browser_thread = None
        if not args.no_browser:
            browser_thread = threading.Thread(
                target=chromium_inbox,
                args=(server.base, plan["idle_username"], browser_ready, browser_out),
            )
            browser_thread.start()

        with ThreadPoolExecutor(4) as pool:
            pages = pool.map(
                lambda c: open_page(c, port, inbox=c.username in inbox_users), pollers.values()
            )
            loops = dict(zip(pollers, pages, strict=True))
        start = time.monotonic()
        threads = [
            threading.Thread(
                target=run_loops, args=(ls, start + rng.uniform(0, POLL_SECONDS), stop, tracker)
            )
            for ls in loops.values()
        ]
        for t in threads:
            t.start()
        deadline = start + 3 * POLL_SECONDS
        while not tracker.ready(POLLERS) and time.monotonic() < deadline:
            time.sleep(0.1)
        browser_ready.wait(timeout=30)
        result["warmup_seconds"] = round(time.monotonic() - start, 1)

        idle = {
            "badge": open_page(idle_clients[0], port, inbox=False),
            "inbox": open_page(idle_clients[1], port, inbox=True),
            "badge_no_version": open_page(idle_clients[2], port, inbox=False, versioned=False),
            "inbox_no_version": open_page(idle_clients[3], port, inbox=True, versioned=False),
        }
        idle_pool = ThreadPoolExecutor(len(idle))
        idle_runs = [idle_pool.submit(idle_client, ls) for ls in idle.values()]

        other_cpu = _TreeCpu(server.process.pid, postgres=False)
        send_start = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            for job in jobs:
                time.sleep(max(0.0, send_start + job.index * args.interval - time.monotonic()))
                pool.submit(send_one, job, senders[job.sender], port, tracker)
        last_send = max((j.t_send or 0.0) for j in jobs)
        while time.monotonic() < last_send + TAIL_SECONDS:
            with tracker.lock:
                done = all(j.error or (j.badge_at and (j.list_at or not j.inbox)) for j in jobs)
            if done:
                break
            time.sleep(0.2)
        stop.set()
        for t in threads:
            t.join(timeout=40)
        polled_seconds = time.monotonic() - start
        result["delivery_seconds"] = round(time.monotonic() - send_start, 1)
        result["other_cpu"] = other_cpu.share_of_a_core()
        idle_pool.shutdown(wait=True)
        for run in idle_runs:
            run.result()
        if browser_thread is not None:
            browser_thread.join(timeout=IDLE_SECONDS + 60)
    result["server_log"] = log_problems(server.error_log)

    # What the database says: recipient as predicted, and no one else's escalation moved to
    # a poller meanwhile (that would have raised a count).
    engine = make_engine(url)
    with Session(engine) as s:
        ids = [j.escalation_id for j in jobs if j.escalation_id]
        stored = {
            e.id: e
            for e in s.exec(select(Escalation).where(Escalation.id.in_(ids))).all()  # type: ignore[union-attr]
        }
        poller_ids = [t.recipient_id for t in recipients]
        other_routes = s.exec(
            select(func.count())
            .select_from(EscalationRoute)
            .where(
                EscalationRoute.id > plan["route_mark"],
                EscalationRoute.escalation_id.notin_(ids),  # type: ignore[attr-defined]
                EscalationRoute.recipient_id.in_(poller_ids),  # type: ignore[attr-defined]
            )
        ).one()
    engine.dispose()

    ok = [j for j in jobs if j.escalation_id]
    badge = [j.badge_at - j.t_send for j in ok if j.badge_at and j.t_send]
    listed = [j.list_at - j.t_send for j in ok if j.inbox and j.list_at and j.t_send]
    first = [
        min(x for x in (j.badge_at, j.list_at) if x) - j.t_send
        for j in ok
        if j.badge_at and j.t_send
    ]
    all_loops = [loop for ls in loops.values() for loop in ls]
    poll_replies = [r for loop in all_loops for r in loop.replies]
    idle_replies = [r for ls in idle.values() for loop in ls for r in loop.replies]
    errors = [j.error for j in jobs if j.error] + [
        f"{r.path}: {r.status} {r.error}"
        for r in poll_replies + idle_replies
        if r.status not in (200, 204) or r.error
    ]
    result["sends"] = {
        "planned": n_sends,
        "stored": len(ok),
        "statuses": dict(Counter(str(j.status) for j in jobs)),
        "form_named_predicted_recipient": sum(bool(j.form_named_recipient) for j in jobs),
        "stored_with_predicted_recipient": sum(
            stored[j.escalation_id].recipient_id == j.target.recipient_id
            for j in ok
            if j.escalation_id in stored
        ),
        "form_ms": stats([j.form_ms for j in jobs if j.form_ms is not None], 1),
        "post_ms": stats([j.post_ms for j in jobs if j.post_ms is not None], 1),
        "priorities": dict(Counter(j.target.priority for j in jobs)),
    }
    result["delivery"] = {
        "badge_s": stats(badge),
        "list_s": stats(listed),
        "first_visible_s": stats(first),
        "not_seen_badge": sum(1 for j in ok if not j.badge_at),
        "not_seen_list": sum(1 for j in ok if j.inbox and not j.list_at),
        "list_row_links_escalation": sum(bool(j.list_shows_link) for j in ok if j.inbox),
        "other_routes_to_pollers": other_routes,
    }
    result["polls"] = {
        path: poll_summary([r for loop in all_loops if loop.base == path for r in loop.replies])
        | {
            "share_204_steady": poll_summary(
                [r for loop in all_loops if loop.base == path for r in loop.counted()]
            )["share_204"]
        }
        for path in (COUNT_PATH, INBOX_PATH)
    } | {
        "seconds": round(polled_seconds, 1),
        "requests_per_second": round(len(poll_replies) / polled_seconds, 2),
    }
    result["errors"] = {"count": len(errors), "examples": errors[:10]}
    result["per_send"] = [
        {
            "index": j.index,
            "recipient": j.target.recipient,
            "inbox_page": j.inbox,
            "priority": j.target.priority,
            "escalation_id": j.escalation_id,
            "post_ms": j.post_ms,
            "badge_s": round(j.badge_at - j.t_send, 3) if j.badge_at and j.t_send else None,
            "list_s": round(j.list_at - j.t_send, 3) if j.list_at and j.t_send else None,
            "error": j.error,
        }
        for j in jobs
    ]
    result["idle"] = {
        "username": plan["idle_username"],
        "inbox_rows_2_days": plan["idle_inbox_rows_2_days"],
        "list_rows_shown": idle["inbox"][1].body.count('class="esc-row '),
        "clients": {name: idle_summary(ls) for name, ls in idle.items()},
        "sample_request": sample_request(idle["inbox"][1]),
        "sample_204_header_bytes": header_sizes(
            next(
                (r for r in reversed(idle["badge"][0].replies) if r.status == 204),
                Reply("", 0, 0, 0),
            )
        ),
        "sample_200_no_version_header_bytes": header_sizes(idle["badge_no_version"][0].replies[-1]),
    }
    if browser_thread is not None:
        result["chromium"] = chromium_summary(browser_out)
    result["seconds_total"] = round(time.monotonic() - begun, 1)
    write_json(f"escalation-{kind}.json" if kind != "sqlite" else "escalation.json", result)
    show(result)
    return 0


def show(r: dict) -> None:
    d, s, p = r["delivery"], r["sends"], r["polls"]
    print(
        f"{s['stored']}/{s['planned']} escalations sent (statuses {s['statuses']}), "
        f"{r['pollers']} nurses polling every {r['poll_seconds']:.0f} s "
        f"({r['inbox_pollers']} on the inbox page), gunicorn {r['workers']} sync workers:"
    )
    for key, label in (
        ("badge_s", "badge count"),
        ("list_s", "inbox list"),
        ("first_visible_s", "first visible"),
    ):
        x = d[key]
        if x["count"]:
            print(
                f"  send → {label:<14} n={x['count']:<3} p50 {x['p50']:>5} s  p95 {x['p95']:>5} s "
                f" max {x['max']:>5} s"
            )
    print(
        f"  not seen: badge {d['not_seen_badge']}, list {d['not_seen_list']}; other routes to "
        f"pollers {d['other_routes_to_pollers']}; recipient as predicted "
        f"{s['stored_with_predicted_recipient']}, named on the form "
        f"{s['form_named_predicted_recipient']}"
    )
    print(f"  POST ms {s['post_ms']}; form GET ms {s['form_ms']}")
    for path in (COUNT_PATH, INBOX_PATH):
        x = p[path]
        print(
            f"  poll {path:<28} {x['requests']:>5} requests {x['statuses']} 204 share "
            f"{x['share_204']} ({x['share_204_steady']} without the badge's load poll); "
            f"ms p50 {x['latency_ms'].get('p50')} p95 "
            f"{x['latency_ms'].get('p95')} max {x['latency_ms'].get('max')}; no-store "
            f"{x['no_store']}, ETag {x['etag']}, Set-Cookie {x['set_cookie']}, "
            f"HX-Redirect {x['hx_redirect']}"
        )
    print(f"  errors {r['errors']}; server log {r['server_log']}; other CPU {r['other_cpu']}")
    print(f"idle client, {IDLE_SECONDS:.0f} s after the page load ({r['idle']['username']}):")
    for name, x in r["idle"]["clients"].items():
        print(
            f"  {name:<17} {x['requests_per_minute']:>4} req/min {x['statuses']} "
            f"{x['request_bytes_per_minute']:>6} B up + {x['response_bytes_per_minute']:>6} B "
            f"down = {x['bytes_per_minute']} B/min (Set-Cookie "
            f"{x['set_cookie_bytes_per_minute']} B/min)"
        )
    c = r.get("chromium")
    if c:
        print(f"Chromium {c.get('browser', '?')} on the inbox page {c.get('error', '')}:")
        for path in (COUNT_PATH, INBOX_PATH):
            if path in c:
                x = c[path]
                print(
                    f"  {path:<28} {x['polls_in_60_s_after_navigation']} polls, every "
                    f"{x['mean_interval_s']} s, on the wire {x['wire_statuses']}, page saw "
                    f"{x['page_statuses']}, with v {x['with_version']}, If-None-Match "
                    f"{x['if_none_match_sent']}, ETag {x['etag_received']}, no-store "
                    f"{x['no_store']}, Set-Cookie {x['set_cookie_received']}, from cache "
                    f"{x['from_cache']}; steady {x['steady_request_bytes']} B up + "
                    f"{x['steady_response_bytes']} B down, {x['steady_bytes_per_minute']} B/min"
                )
    print(f"step took {r['seconds_total']} s")


if __name__ == "__main__":
    raise SystemExit(main())
