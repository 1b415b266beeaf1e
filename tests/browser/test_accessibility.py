"""axe-core on the pages a SOSU-hjælper sees, against WCAG 2.1 A and AA."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, sign_in

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}


def assert_no_violations(page: Page, what: str) -> None:
    violations = Axe().run(page, options=OPTIONS).response["violations"]
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {target}\n      {summary}")
    assert not violations, f"axe found WCAG 2.1 AA violations on {what}:\n" + "\n".join(lines)


def test_login_page(page: Page, live_server: LiveServer):
    page.goto(live_server.url("/login"))
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()
    assert_no_violations(page, "the login page")


def test_mine_borgere(page: Page, live_server: LiveServer):
    sign_in(page, live_server, "hjaelper")
    expect(page.locator("li.card").first).to_be_visible()
    assert_no_violations(page, "Mine borgere")


def test_citizen_page(page: Page, live_server: LiveServer):
    sign_in(page, live_server, "hjaelper")
    page.locator("li.card a.card-main").first.click()
    expect(page.get_by_role("heading", name="Habitualtilstand")).to_be_visible()
    assert_no_violations(page, "a citizen's page")


def test_kontakt_sygeplejerske_and_the_inbox(page: Page, live_server: LiveServer):
    sign_in(page, live_server, "hjaelper")
    page.locator("li.card").first.get_by_role("link", name="Kontakt sygeplejerske").click()
    expect(page.get_by_role("heading", level=1, name="Kontakt sygeplejerske")).to_be_visible()
    assert_no_violations(page, "Kontakt sygeplejerske")
    page.goto(live_server.url("/henvendelser/?vis=sendt"))
    expect(page.locator("#esc-list li.esc-row").first).to_be_visible()
    assert_no_violations(page, "Mine henvendelser")
    page.locator("#esc-list li.esc-row a").first.click()
    expect(page.locator("#esc-status")).to_be_visible()
    assert_no_violations(page, "a request's status")
