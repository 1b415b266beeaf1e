"""In the field without coverage, on a phone (Pixel 7, Chromium).

"Offline" here is real: the server is taken away (its port closed and its open connections
cut), so every request fails, the service worker's included, and the browser context is set
offline too (navigator.onLine, the online/offline events). Coming back starts a server on the
same port with the same database.
"""

import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError
from sqlmodel import Session, func, select
from werkzeug.serving import make_server

from tests.browser.conftest import DEMO_PASSWORD, screenshot
from tests.database import fresh_database
from webapp import create_app, demo
from webapp.db import make_engine
from webapp.models import Citizen, Escalation, Observation, Staff, Team, TobsMeasurement

SYNC = 20_000  # ms: reconnect → queue empty


class SwitchableServer:
    """A live server that can lose its connection and get it back on the same port, and can
    die in the middle of a sync: after storing the n-th item, before answering."""

    def __init__(self, database_url: str):
        self.database_url = database_url
        self.app = create_app(
            {"DATABASE_URL": database_url, "SECRET_KEY": "browser-test", "TESTING": False}
        )
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.base = f"http://127.0.0.1:{self.port}"
        self.die_after: int | None = None
        self.die_path = "/offline/sync"
        self.sync_unavailable = False
        self.synced = 0
        self.server = None
        self.thread = None
        self.connections: set[socket.socket] = set()
        self.lock = threading.Lock()

    def url(self, path: str = "/") -> str:
        return self.base + path

    def _wsgi(self, environ, start_response):
        if environ.get("PATH_INFO") == "/offline/sync" and self.sync_unavailable:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"busy"]
        dying = environ.get("PATH_INFO") == self.die_path and environ["REQUEST_METHOD"] == "POST"
        if not dying or self.die_after is None:
            return self.app(environ, start_response)
        captured = []
        body = b"".join(self.app(environ, lambda *a, **k: captured.append(a)))
        with self.lock:
            self.synced += 1
            # From the chosen request on: the port closes only when serve_forever next polls
            # (up to 0.5 s), and a POST sent again in that window must not be answered.
            dies = self.synced >= self.die_after
        if not dies:
            start_response(*captured[0])
            return [body]
        # Stored and committed; the answer never leaves: the connection is cut, the port closed.
        sock = environ["werkzeug.socket"]
        sock.shutdown(socket.SHUT_RDWR)
        threading.Thread(target=self.stop, daemon=True).start()
        raise ConnectionAbortedError("the server died")

    def start(self) -> None:
        server = make_server("127.0.0.1", self.port, self._wsgi, threaded=True)
        accept = server.get_request

        def get_request():
            sock, addr = accept()
            with self.lock:
                self.connections.add(sock)
            return sock, addr

        server.get_request = get_request
        server.handle_error = lambda *a: None
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        server, self.server = self.server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with self.lock:
            for sock in self.connections:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self.connections.clear()

    def count(self, model, **where) -> int:
        engine = make_engine(self.database_url)
        with Session(engine) as session:
            query = select(func.count()).select_from(model)
            for name, value in where.items():
                query = query.where(getattr(model, name) == value)
            n = session.exec(query).one()
        engine.dispose()
        return n


@pytest.fixture(scope="module")
def server(template_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    url = fresh_database(template_url, tmp_path_factory.mktemp("offline-db"), "browser")
    engine = make_engine(url)
    with Session(engine) as session:
        demo.load(session, datetime.now(ZoneInfo("Europe/Copenhagen")).date())
        session.commit()
    engine.dispose()
    live = SwitchableServer(url)
    live.start()
    yield live
    live.stop()
    live.app.extensions["engine"].dispose()


@pytest.fixture
def phone(browser: Browser, browser_context_args: dict, server) -> Iterator[BrowserContext]:
    server.die_after = None
    server.die_path = "/offline/sync"
    server.synced = 0
    server.sync_unavailable = False
    if server.server is None:
        server.start()
    context = browser.new_context(**browser_context_args)
    yield context
    context.close()


def sign_in(page: Page, server: SwitchableServer, username: str = "hjaelper") -> None:
    page.goto(server.url("/login"))
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()


def ready_for_offline(page: Page, server: SwitchableServer, citizen_id: int) -> None:
    """Online: the service worker controls the page and the copy holds the citizen (opened)."""
    page.goto(server.url(f"/borgere/{citizen_id}"))
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    wait_until(
        page, "id => OpsporStore.copyGet().then(c => !!c && c.recent.includes(id))", citizen_id
    )


def wait_until(page: Page, script: str, arg=None, timeout: float = SYNC / 1000) -> None:
    """Poll an async page function until it resolves truthy (wait_for_function does not wait
    for a promise). A page in the middle of a navigation (scripts not run yet, or its context
    gone) counts as not yet."""
    deadline = time.monotonic() + timeout
    guarded = f"arg => typeof OpsporStore === 'undefined' ? false : ({script})(arg)"
    while True:
        try:
            if page.evaluate(guarded, arg):
                return
        except PlaywrightError as error:
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(100)


def go_offline(context: BrowserContext, server: SwitchableServer) -> None:
    server.stop()
    context.set_offline(True)


def go_online(context: BrowserContext, server: SwitchableServer) -> None:
    server.start()
    context.set_offline(False)


def queue_length(page: Page) -> int:
    return page.evaluate("() => OpsporStore.queueAll().then(q => q.length)")


def first_citizen(server: SwitchableServer, username: str = "hjaelper") -> tuple[int, str]:
    engine = make_engine(server.database_url)
    with Session(engine) as session:
        helper = session.exec(select(Staff).where(Staff.username == username)).one()
        citizen = session.exec(
            select(Citizen)
            .where(Citizen.kontaktperson_id == helper.id, Citizen.tobs_applies.is_(True))
            .order_by(Citizen.id)
        ).first()
        found = citizen.id, citizen.full_name
    engine.dispose()
    return found


def log_tobs(page: Page, server: SwitchableServer, citizen_id: int, pulse: str = "112") -> None:
    page.goto(server.url(f"/borgere/{citizen_id}/tobs"))
    page.get_by_label("Puls").fill(pulse)
    page.get_by_label("Respiration").fill("22")
    page.get_by_label("Temperatur").fill("38,4")
    page.get_by_label("Rektal").check()
    page.get_by_label("Systolisk blodtryk").fill("105")
    page.get_by_label("Habituel").check()
    page.get_by_role("button", name="Gem TOBS").click()
    expect(page.get_by_text("Gemt på telefonen – ikke sendt endnu")).to_be_visible()


def test_a_visit_without_coverage_is_stored_once_when_the_phone_comes_back(phone, server):
    citizen_id, name = first_citizen(server)
    page = phone.new_page()
    sign_in(page, server)
    ready_for_offline(page, server, citizen_id)
    before = [server.count(m) for m in (Observation, TobsMeasurement, Escalation)]
    go_offline(phone, server)

    # The app opens without coverage: Mine borgere from the phone's copy, with the banner.
    page.goto(server.url("/"))
    expect(page.get_by_text("Offline – sidst opdateret")).to_be_visible()
    card = page.locator(".card", has_text=name).first
    expect(card).to_be_visible()
    screenshot(page, "offline-1-mine-borgere")

    # A citizen opened in the last days: its page, from the copy.
    card.get_by_role("link", name=name).first.click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    screenshot(page, "offline-1b-citizen", full_page=True)
    page.go_back()

    # An observation in a few taps.
    card.get_by_role("link", name=f"Observation for {name}").click()
    page.locator("label.check").first.click()
    page.get_by_role("button", name="Gem observation").click()
    expect(page.get_by_text("Gemt på telefonen – ikke sendt endnu")).to_be_visible()

    # "Mere træt eller sløv" is a TOBS trigger: the receipt nudges. A TOBS: the score and
    # guidance at once, computed on the phone.
    page.get_by_role("link", name="Mål TOBS nu").click()
    page.get_by_label("Puls").fill("112")
    page.get_by_label("Respiration").fill("22")
    page.get_by_label("Temperatur").fill("38,4")
    page.get_by_label("Rektal").check()
    page.get_by_label("Systolisk blodtryk").fill("105")
    page.get_by_label("Habituel").check()
    expect(page.locator("#score")).to_contain_text("TOBS-score 5")
    screenshot(page, "offline-2-tobs-form", full_page=True)
    page.get_by_role("button", name="Gem TOBS").click()
    expect(page.get_by_text("Gemt på telefonen – ikke sendt endnu")).to_be_visible()
    expect(page.locator(".score-total")).to_have_text("TOBS-score 5")
    expect(page.locator(".guidance")).to_contain_text("Kontakt sygeplejersken nu")
    expect(page.get_by_text("Kontakt sygeplejersken – ring")).to_be_visible()
    screenshot(page, "offline-3-tobs-receipt", full_page=True)

    # Kontakt sygeplejerske: queued, says plainly it is not sent, and whom to call instead.
    page.goto(server.url(f"/borgere/{citizen_id}/kontakt"))
    expect(page.get_by_text("Henvendelsen bliver ikke sendt nu")).to_be_visible()
    expect(page.locator(".call-now")).to_have_attribute("href", re.compile(r"^tel:\d+$"))
    screenshot(page, "offline-4a-kontakt-form", full_page=True)
    page.get_by_label("Haster – svar inden for 30 min").check()
    page.get_by_role("button", name="Gem – send når der er forbindelse").click()
    expect(page.get_by_text("Henvendelsen er IKKE sendt til sygeplejersken endnu.")).to_be_visible()
    screenshot(page, "offline-4-kontakt-receipt", full_page=True)

    # Reload without coverage: the app still works and shows what waits.
    page.goto(server.url("/koe"))
    page.reload()
    expect(page.get_by_role("heading", name="Venter (3)")).to_be_visible()
    expect(page.locator("#queue-chip")).to_have_text("3 venter")
    screenshot(page, "offline-5-queue", full_page=True)
    items = page.evaluate("() => OpsporStore.queueAll()")
    assert [i["kind"] for i in items] == ["observation", "tobs", "kontakt"]
    assert [server.count(m) for m in (Observation, TobsMeasurement, Escalation)] == before

    # Coverage returns: the queue empties by itself, and each item is on the server once.
    go_online(phone, server)
    wait_until(page, "() => OpsporStore.queueAll().then(q => q.length === 0)")
    expect(page.locator("#offline-banner")).to_have_text(
        "3 ting, der ventede på telefonen, er sendt."
    )
    screenshot(page, "offline-5b-sent", full_page=True)
    for kind, model, column in (
        ("observation", Observation, "client_id"),
        ("tobs", TobsMeasurement, "client_id"),
        ("kontakt", Escalation, "client_key"),
    ):
        item = next(i for i in items if i["kind"] == kind)
        assert server.count(model, **{column: item["id"]}) == 1, kind

    # The same queue replayed twice more (a phone restored from a backup, a double sync):
    # still one row each.
    page.evaluate(
        """async items => {
            for (let round = 0; round < 2; round++) {
                for (const item of items) await OpsporStore.queuePut(item);
                await OpsporSync.run();
            }
        }""",
        items,
    )
    assert queue_length(page) == 0
    for kind, model, column in (
        ("observation", Observation, "client_id"),
        ("tobs", TobsMeasurement, "client_id"),
        ("kontakt", Escalation, "client_key"),
    ):
        item = next(i for i in items if i["kind"] == kind)
        assert server.count(model, **{column: item["id"]}) == 1, kind
    page.goto(server.url("/koe"))
    expect(page.get_by_role("heading", name="Intet venter")).to_be_visible()
    expect(page.get_by_text("TOBS 5 er gemt.")).to_be_visible()


def test_a_server_that_dies_in_the_middle_of_a_sync_still_gives_one_row_each(phone, server):
    citizen_id, _ = first_citizen(server)
    page = phone.new_page()
    sign_in(page, server)
    ready_for_offline(page, server, citizen_id)
    go_offline(phone, server)
    for pulse in ("70", "95", "135"):
        log_tobs(page, server, citizen_id, pulse)
    items = page.evaluate("() => OpsporStore.queueAll()")
    assert len(items) == 3

    # The second item is stored, then the server dies before it can answer.
    server.die_after = 2
    go_online(phone, server)
    wait_until(page, "() => OpsporStore.queueAll().then(q => q.length === 2)")
    page.wait_for_timeout(500)
    assert server.server is None  # it died
    assert queue_length(page) == 2  # the phone never heard that the second was stored

    # Back up; the app opens again and sends what waited: the second is already there.
    server.die_after = None
    server.start()
    page.goto(server.url("/"))
    wait_until(page, "() => OpsporStore.queueAll().then(q => q.length === 0)")
    for item in items:
        assert server.count(TobsMeasurement, client_id=item["id"]) == 1


def test_what_the_server_refuses_stays_on_the_phone_with_what_to_do(phone, server):
    citizen_id, name = first_citizen(server)
    page = phone.new_page()
    sign_in(page, server)
    ready_for_offline(page, server, citizen_id)
    go_offline(phone, server)
    log_tobs(page, server, citizen_id)
    item_id = page.evaluate("() => OpsporStore.queueAll().then(q => q[0].id)")

    # Meanwhile the citizen moved to another team: out of this helper's scope.
    engine = make_engine(server.database_url)
    with Session(engine) as session:
        citizen = session.get(Citizen, citizen_id)
        old_team = citizen.team_id
        other = session.exec(select(Team).where(Team.id != citizen.team_id)).first()
        citizen.team_id, citizen.kontaktteam_id = other.id, None
        session.add(citizen)
        session.commit()
    engine.dispose()
    try:
        go_online(phone, server)
        page.goto(server.url("/koe"))
        expect(page.get_by_role("heading", name="Afvist af serveren (1)")).to_be_visible(
            timeout=SYNC
        )
        expect(page.get_by_text("ikke længere blandt dine borgere")).to_be_visible()
        expect(page.locator("#queue-chip")).to_have_text("1 afvist")
        screenshot(page, "offline-6-refused", full_page=True)
        assert queue_length(page) == 1
        assert server.count(TobsMeasurement, client_id=item_id) == 0
        # Deleting it is the person's choice, after a question.
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Slet fra telefonen").click()
        expect(page.get_by_role("heading", name="Intet venter")).to_be_visible()
    finally:
        engine = make_engine(server.database_url)
        with Session(engine) as session:
            citizen = session.get(Citizen, citizen_id)
            citizen.team_id = old_team
            session.add(citizen)
            session.commit()
        engine.dispose()


def test_an_expired_session_keeps_the_queue_until_a_new_sign_in_sends_it(phone, server):
    citizen_id, _ = first_citizen(server)
    page = phone.new_page()
    sign_in(page, server)
    ready_for_offline(page, server, citizen_id)
    go_offline(phone, server)
    log_tobs(page, server, citizen_id)
    item_id = page.evaluate("() => OpsporStore.queueAll().then(q => q[0].id)")

    phone.clear_cookies()  # the session ended while the phone was without coverage
    go_online(phone, server)
    page.goto(server.url("/koe"))
    expect(page.get_by_text("Du er logget ud.")).to_be_visible(timeout=SYNC)
    assert queue_length(page) == 1
    page.get_by_role("link", name="Log ind igen").click()
    page.get_by_label("Brugernavn").fill("hjaelper")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    wait_until(page, "() => OpsporStore.queueAll().then(q => q.length === 0)")
    assert server.count(TobsMeasurement, client_id=item_id) == 1


def test_signing_out_asks_about_unsent_items_and_wipes_the_copy(phone, server):
    citizen_id, name = first_citizen(server)
    page = phone.new_page()
    sign_in(page, server)
    ready_for_offline(page, server, citizen_id)
    go_offline(phone, server)
    log_tobs(page, server, citizen_id)
    # Back in coverage, but the server is too busy to take it (503): it waits.
    server.sync_unavailable = True
    go_online(phone, server)
    page.goto(server.url("/"))
    expect(page.locator("#queue-chip")).to_have_text("1 venter")
    screenshot(page, "offline-7-online-with-a-waiting-item")

    questions: list[str] = []

    def answer(dialog, accept: bool):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_timeout(300)
    assert "1 ting er ikke sendt endnu" in questions[0]
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()  # still signed in

    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_label("Brugernavn")).to_be_visible()
    assert page.evaluate("() => OpsporStore.copyGet()") is None
    assert queue_length(page) == 1  # what waits stays for the next sign-in


def test_a_form_opened_with_coverage_and_sent_without_is_kept_under_its_own_id(phone, server):
    """The common case: the page came with coverage, the connection went before "Gem". The
    service worker keeps the form under the id the server put in it, so if the form did reach
    the server (the answer was lost), sending it again is the same row."""
    citizen_id, _ = first_citizen(server)
    page = phone.new_page()
    sign_in(page, server)
    ready_for_offline(page, server, citizen_id)

    # 1. The connection is gone before "Gem": queued, then stored once.
    page.goto(server.url(f"/borgere/{citizen_id}/kontakt"))
    key = page.locator("input[name=client_key]").get_attribute("value")
    go_offline(phone, server)
    page.get_by_role("button", name=re.compile("^Send til")).click()
    expect(page).to_have_url(server.url(f"/koe/{key}"))
    expect(page.get_by_text("Henvendelsen er IKKE sendt til sygeplejersken endnu.")).to_be_visible()
    go_online(phone, server)
    wait_until(page, "() => OpsporStore.queueAll().then(q => q.length === 0)")
    assert server.count(Escalation, client_key=key) == 1

    # 2. The form reaches the server and is stored, but the answer never comes back.
    page.goto(server.url(f"/borgere/{citizen_id}/tobs"))
    tobs_id = page.locator("input[name=client_id]").get_attribute("value")
    page.get_by_label("Puls").fill("88")
    page.get_by_label("Habituel").check()
    server.die_path, server.die_after, server.synced = f"/borgere/{citizen_id}/tobs", 1, 0
    phone.set_offline(False)
    page.get_by_role("button", name="Gem TOBS").click()
    expect(page).to_have_url(server.url(f"/koe/{tobs_id}"))
    expect(page.get_by_text("Gemt på telefonen – ikke sendt endnu")).to_be_visible()
    assert server.count(TobsMeasurement, client_id=tobs_id) == 1  # it did arrive
    server.die_path, server.die_after = "/offline/sync", None
    go_online(phone, server)
    page.goto(server.url("/"))
    wait_until(page, "() => OpsporStore.queueAll().then(q => q.length === 0)")
    assert server.count(TobsMeasurement, client_id=tobs_id) == 1


def test_the_offline_pages_meet_wcag_21_aa(phone, server):
    from tests.browser.test_accessibility import assert_no_violations

    citizen_id, name = first_citizen(server)
    page = phone.new_page()
    sign_in(page, server)
    ready_for_offline(page, server, citizen_id)
    go_offline(phone, server)
    page.goto(server.url("/"))
    expect(page.locator(".card").first).to_be_visible()
    assert_no_violations(page, "Mine borgere offline")
    page.goto(server.url(f"/borgere/{citizen_id}"))
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    assert_no_violations(page, "a citizen offline")
    page.goto(server.url(f"/borgere/{citizen_id}/observation"))
    assert_no_violations(page, "the observation form offline")
    page.goto(server.url(f"/borgere/{citizen_id}/tobs"))
    page.get_by_label("Puls").fill("135")
    expect(page.locator("#score")).to_contain_text("TOBS-score 3")
    assert_no_violations(page, "the TOBS form offline")
    page.goto(server.url(f"/borgere/{citizen_id}/kontakt"))
    assert_no_violations(page, "Kontakt sygeplejerske offline")
    page.get_by_role("button", name="Gem – send når der er forbindelse").click()
    expect(page.get_by_text("Henvendelsen er IKKE sendt til sygeplejersken endnu.")).to_be_visible()
    assert_no_violations(page, "a receipt offline")
    page.goto(server.url("/koe"))
    assert_no_violations(page, "the queue offline")
    go_online(phone, server)
    wait_until(page, "() => OpsporStore.queueAll().then(q => q.length === 0)")
