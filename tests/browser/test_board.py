"""Tavle on the assistant's phone and on the office screen: the SOSU-assistent marks it
*Gennemgået* at shift start, a nurse sets a colour on the office screen, and the phone shows
the change without a reload, while a colour form the assistant had started stays as it was."""

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.browser.test_accessibility import assert_no_violations

#: The board polls every 10 s; allow for two rounds.
POLL = 25_000
OFFICE_SCREEN = {"width": 1600, "height": 900}


def test_review_on_the_phone_and_a_change_arrives_without_reload(
    page: Page,
    browser: Browser,
    browser_context_args: dict,
    live_server: LiveServer,
    console_errors: list[str],
):
    sign_in(page, live_server, "assistent")
    page.goto(live_server.url("/tavle/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tavle")
    assert re.search(r"/tavle/\d+$", page.url)
    since = page.locator(".board-since-count")
    expect(since).to_have_text("Tavlen er ikke gennemgået endnu")
    expect(page.locator(".board-col-roed .bcard").first).to_be_visible()
    screenshot(page, "tavle-1-assistent-foer-gennemgang")

    page.get_by_role("button", name="Gennemgået").click()
    expect(since).to_have_text("Ingen ændringer siden sidste gennemgang")
    expect(page.locator(".board-since-who")).to_contain_text("af ")
    expect(page.locator(".board-notice")).to_have_text("Tavlen er markeret som gennemgået.")
    screenshot(page, "tavle-2-assistent-gennemgaaet")
    assert_no_violations(page, "the board on a phone")

    # The assistant starts a colour change on a gul card and is typing when the board moves.
    yellow = page.locator(".board-col-gul .bcard").first
    yellow.locator("summary", has_text="Skift farve").click()
    reason = yellow.get_by_label("Hvorfor? Kort")
    reason.fill("Spiser næsten ingenting")

    office = browser.new_context(**{**browser_context_args, "viewport": OFFICE_SCREEN,
                                    "screen": OFFICE_SCREEN, "is_mobile": False,
                                    "has_touch": False, "device_scale_factor": 1})  # fmt: skip
    nurse = office.new_page()
    try:
        sign_in(nurse, live_server, "sygeplejerske")
        nurse.goto(live_server.url("/tavle/"))
        expect(nurse.locator(".board-col-roed .bcard").first).to_be_visible()
        screenshot(nurse, "tavle-3-kontorskaerm-1600")
        green = nurse.locator(".board-green")
        green.locator("summary").first.click()
        first = green.locator(".bgreen-item").first
        name = first.locator(".bcard-name").inner_text()
        first.locator("summary", has_text="Skift farve").click()
        first.get_by_label("Rød").check()
        first.get_by_label("Hvorfor? Kort").fill("Faldet i nat, svimmel")
        first.get_by_role("button", name="Skift farve").click()
        # The answer scrolls to the citizen's card, now in rød, with the notice on it.
        notice = nurse.locator(".board-col-roed .bcard .board-notice")
        expect(notice).to_contain_text(f"{name} er nu rød.")
        expect(notice).to_be_in_viewport()
        expect(nurse.locator(".board-col-roed")).to_contain_text(name)
        screenshot(nurse, "tavle-4-kontorskaerm-efter-aendring")
        screenshot(nurse, "tavle-5-kontorskaerm-hele-siden", full_page=True)
    finally:
        office.close()

    # The phone shows it without a reload: in rød, marked, counted, in the list of changes.
    expect(since).to_have_text("1 ændring siden sidste gennemgang", timeout=POLL)
    card = page.locator(".board-col-roed .bcard").filter(has_text=name)
    expect(card).to_have_count(1)
    expect(card.locator(".bmark")).to_contain_text("Ny farve")
    expect(page.locator(".bchanges")).to_contain_text("sat af")
    # What the assistant was typing is still there.
    expect(reason).to_have_value("Spiser næsten ingenting")
    expect(reason).to_be_visible()
    screenshot(page, "tavle-6-assistent-aendring-uden-genindlaesning")
    card.scroll_into_view_if_needed()
    screenshot(page, "tavle-7-assistent-roed-kort")
    screenshot(page, "tavle-8-assistent-hele-siden", full_page=True)
    assert console_errors == []


def test_narrow_phone_has_no_sideways_scroll(narrow_page: Page, live_server: LiveServer):
    sign_in(narrow_page, live_server, "hjaelper")
    narrow_page.goto(live_server.url("/tavle/"))
    expect(narrow_page.locator(".board-col-gul .bcard").first).to_be_visible()
    width = narrow_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360
    # A helper suggests rather than sets, and cannot mark the board reviewed.
    expect(narrow_page.get_by_role("button", name="Gennemgået")).to_have_count(0)
    expect(narrow_page.locator(".board-col-roed summary").first).to_contain_text("Foreslå farve")
    screenshot(narrow_page, "tavle-9-hjaelper-360")
    # A suggestion from the grøn list: the list opens again on the citizen, with the notice.
    narrow_page.locator(".board-green > summary").click()
    first = narrow_page.locator(".bgreen-item").first
    name = first.locator(".bcard-name").inner_text()
    first.locator("summary", has_text="Foreslå farve").click()
    first.get_by_label("Gul").check()
    first.get_by_label("Hvorfor? Kort").fill("Spiser mindre")
    first.get_by_role("button", name="Send forslag").click()
    notice = narrow_page.locator(".bgreen-item .board-notice")
    expect(notice).to_contain_text(f"Dit forslag om gul for {name} er sendt")
    expect(notice).to_be_in_viewport()
    expect(narrow_page.locator(".bgreen-item").filter(has_text=name)).to_contain_text("Forslag:")
    screenshot(narrow_page, "tavle-10-hjaelper-forslag-360")
