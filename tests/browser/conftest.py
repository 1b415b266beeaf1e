"""Browser tests: Debian Chromium driven by Playwright against a live server with demo data.

Each test module gets its own server and its own freshly loaded demo database. On PostgreSQL
(TEST_DATABASE_URL) every test shares one database, so the server's module fixture empties
it itself right before loading the demo data, and is shut down (its connections closed)
when the module ends, before any other module's tests empty the database again.
"""

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, expect
from sqlmodel import Session
from werkzeug.serving import make_server

from tests.database import fresh_database
from webapp import create_app, demo
from webapp.db import make_engine

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
DEVICE = "Pixel 7"
DEMO_PASSWORD = demo.DEMO_PASSWORD
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --- Playwright ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(playwright: Playwright) -> dict:
    return {
        **playwright.devices[DEVICE],
        "locale": "da-DK",
        "timezone_id": "Europe/Copenhagen",
    }


@pytest.fixture
def narrow_page(browser: Browser, browser_context_args: dict) -> Iterator[Page]:
    """A small Android phone (360 × 740 CSS px), otherwise like the Pixel 7 context."""
    size = {"width": 360, "height": 740}
    context = browser.new_context(**{**browser_context_args, "viewport": size, "screen": size})
    yield context.new_page()
    context.close()


# --- The live server --------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveServer:
    base: str
    database_url: str = ""

    def url(self, path: str = "/") -> str:
        return self.base + path


@pytest.fixture(scope="module")
def live_server(
    template_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    # Fresh right here, not earlier: on PostgreSQL other tests empty the same database.
    url = fresh_database(template_url, tmp_path_factory.mktemp("browser-db"), "browser")
    today = datetime.now(ZoneInfo("Europe/Copenhagen")).date()  # the server runs on real time
    engine = make_engine(url)
    with Session(engine) as session:
        demo.load(session, today)
        session.commit()
    engine.dispose()

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test", "TESTING": False})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", url)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        app.extensions["engine"].dispose()


# --- Helpers ------------------------------------------------------------------------------------


def sign_in(page: Page, server: LiveServer, username: str, password: str = DEMO_PASSWORD) -> None:
    """Through the real login form, as a person would."""
    page.goto(server.url("/login"))
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()
    page.wait_for_load_state("load")  # htmx and the service worker script have run


def screenshot(page: Page, name: str, full_page: bool = False) -> Path:
    """A PNG in test-results/screenshots/ (git-ignored): by default what the phone's screen
    shows, as a person sees it.

    For a full-page shot the viewport is stretched to the page's height, so the fixed bottom
    navigation is drawn at the bottom of the page rather than across the middle of it.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if not full_page:
        page.screenshot(path=str(path))
        return path
    viewport = page.viewport_size
    assert viewport is not None
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(viewport)
    return path


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Console errors (CSP violations among them) and uncaught exceptions on `page`."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return errors
