"""Mine borgere and a citizen's page on a phone, as the SOSU-hjælper uses them."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, screenshot, sign_in

URGENCY = {"card-roed": 0, "needs-tobs": 1, "card-gul": 2, "card-groen": 3}
NO_HORIZONTAL_SCROLL = (
    "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)


def colour_classes(section) -> list[str]:
    """Each card's place in the order: its colour, or "needs-tobs" for a non-red card that
    shows the Mål TOBS badge (rød, needs TOBS, gul, grøn)."""
    return section.locator("li.card").evaluate_all(
        """cards => cards.map(c => {
          const colour = [...c.classList].find(n => n.startsWith("card-") && n !== "card");
          if (colour !== "card-roed" && c.querySelector(".badge-nudge")) return "needs-tobs";
          return colour;
        })"""
    )


def test_mine_borgere_search_and_citizen_page(
    page: Page, live_server: LiveServer, console_errors: list[str]
):
    sign_in(page, live_server, "hjaelper")
    expect(page.get_by_role("heading", level=1, name="Mine borgere")).to_be_visible()
    cards = page.locator("li.card")
    expect(cards.first).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL)

    # Own kontaktteam first; the rest of the team comes in place when asked for.
    headings = page.locator("#citizen-list h2")
    expect(headings.first).to_contain_text("Mit kontaktteam")
    own_count = cards.count()
    show_rest = page.get_by_role("link", name=re.compile(r"Vis resten af teamet"))
    page.evaluate("() => { window.__notReloaded = true; }")
    show_rest.click()
    expect(page.locator("#rest li.card").first).to_be_visible()
    assert page.evaluate("() => window.__notReloaded === true"), "the page was reloaded"
    assert headings.count() == 2
    total = cards.count()
    assert total > own_count
    # Inside each section rød before gul before grøn.
    sections = page.locator("#citizen-list ul.cards")
    for i in range(sections.count()):
        colours = colour_classes(sections.nth(i))
        assert colours, f"section {i} has cards"
        ranks = [URGENCY[c] for c in colours]
        assert ranks == sorted(ranks), f"section {i} is not rød, needs TOBS, gul, grøn: {colours}"
    screenshot(page, "mine-borgere")

    # Search narrows the list in place: htmx swaps the list, the page is not reloaded.
    target = cards.last
    name = target.locator(".card-name").inner_text().strip()
    part = name.split()[-1][:5]
    texts = cards.evaluate_all("cards => cards.map(c => c.querySelector('.card-main').innerText)")
    expected = sum(part.casefold() in t.casefold() for t in texts)
    assert 0 < expected < total, f"»{part}« narrows the list of {total}"
    with page.expect_response(lambda r: "q=" in r.url) as response:
        page.get_by_label("Søg på navn eller adresse").press_sequentially(part, delay=20)
    assert response.value.request.headers.get("hx-request") == "true"
    expect(cards).to_have_count(expected)
    expect(page.locator(".card-name", has_text=name).first).to_be_visible()
    for text in cards.evaluate_all("cs => cs.map(c => c.querySelector('.card-main').innerText)"):
        assert part.casefold() in text.casefold()
    assert page.evaluate("() => window.__notReloaded === true"), "the page was reloaded"
    assert page.url == live_server.url("/"), "the search does not navigate"
    screenshot(page, "mine-borgere-soegning")

    # Open the citizen.
    page.locator("a.card-main").filter(has=page.get_by_text(name, exact=True)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("heading", name="Personer omkring borgeren")).to_be_visible()
    expect(page.get_by_role("heading", name="Habitualtilstand")).to_be_visible()
    assert re.search(r"/borgere/\d+$", page.url)
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(page, "borger", full_page=True)

    assert console_errors == []


def test_no_horizontal_scroll_at_360_px(narrow_page: Page, live_server: LiveServer):
    page = narrow_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url("/login"))
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "login page scrolls sideways at 360 px"
    sign_in(page, live_server, "hjaelper")
    expect(page.locator("li.card").first).to_be_visible()
    assert page.viewport_size == {"width": 360, "height": 740}
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "Mine borgere scrolls sideways at 360 px"
    screenshot(page, "mine-borgere-360")
    page.locator("li.card a.card-main").first.click()
    expect(page.get_by_role("heading", name="Habitualtilstand")).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the citizen page scrolls sideways at 360 px"
    screenshot(page, "borger-360")
    assert errors == []


SMALL_TARGETS = """() => {
  const found = [];
  for (const el of document.querySelectorAll(
      "main a, main button, main input, nav a, nav button, nav input")) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === "hidden") continue;
    if (box.height < 44) found.push(`${el.outerHTML.slice(0, 120)}: ${box.height.toFixed(1)} px`);
  }
  return found;
}"""


def test_touch_targets_are_at_least_44_px_high(page: Page, live_server: LiveServer):
    sign_in(page, live_server, "hjaelper")
    expect(page.locator("li.card").first).to_be_visible()
    assert page.locator("main a, main button, main input, nav a, nav button").count() > 10
    assert page.evaluate(SMALL_TARGETS) == []


def test_service_worker_and_manifest(
    page: Page, live_server: LiveServer, console_errors: list[str]
):
    sign_in(page, live_server, "hjaelper")
    manifest = page.locator('link[rel="manifest"]')
    expect(manifest).to_have_attribute("href", "/manifest.webmanifest")
    scope = page.evaluate(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          return {scope: registration.scope, script: registration.active.scriptURL};
        }"""
    )
    assert scope == {"scope": live_server.url("/"), "script": live_server.url("/sw.js")}
    manifest_response = page.request.get(live_server.url("/manifest.webmanifest"))
    assert manifest_response.ok and manifest_response.json()["start_url"] == "/"
    assert console_errors == []
