"""The gap between noticing and measuring, on a phone: an observation in three taps, the
nudge, a TOBS with its live score and guidance, and the nurse's list before and after."""

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, screenshot, sign_in

RECENT_TOBS = re.compile(r"(timer? siden|min\. siden|lige nu)")


def a_citizen_without_the_nudge(page: Page) -> str:
    """A card in the helper's own kontaktteam with TOBS in use, no nudge and no TOBS today."""
    for card in page.locator("li.card").all():
        status = card.locator(".card-status").inner_text()
        uses_tobs = card.get_by_role("link", name=re.compile("^Mål TOBS")).count() == 1
        if uses_tobs and "Mål TOBS" not in status and not RECENT_TOBS.search(status):
            return card.locator(".card-name").inner_text().strip()
    raise AssertionError("the demo has a calm citizen in the helper's kontaktteam")


def test_observation_nudge_tobs_and_the_nurses_list(
    page: Page, browser: Browser, browser_context_args: dict, live_server: LiveServer
):
    sign_in(page, live_server, "hjaelper")
    name = a_citizen_without_the_nudge(page)
    card = page.locator("li.card").filter(has=page.get_by_text(name, exact=True))
    screenshot(page, "obs-1-mine-borgere")

    # Three taps: open, tick, save.
    card.get_by_role("link", name=re.compile("Observation")).click()  # 1
    expect(page.get_by_role("heading", level=1, name="Observation")).to_be_visible()
    page.get_by_label("Ændret adfærd eller humør").check()  # 2
    screenshot(page, "obs-2-form")
    page.get_by_role("button", name="Gem observation").click()  # 3
    expect(page.get_by_role("heading", level=1, name="Observation gemt")).to_be_visible()
    measure_now = page.get_by_role("link", name="Mål TOBS nu")
    expect(measure_now).to_be_visible()
    screenshot(page, "obs-3-gemt")

    # The nurse sees the citizen on Observationer uden TOBS.
    nurse_context = browser.new_context(**browser_context_args)
    nurse = nurse_context.new_page()
    sign_in(nurse, live_server, "sygeplejerske")
    nurse.get_by_role("link", name="Uden TOBS").click()
    expect(nurse.get_by_role("heading", level=1, name="Observationer uden TOBS")).to_be_visible()
    expect(nurse.locator(".card-name", has_text=name)).to_be_visible()
    screenshot(nurse, "obs-4-uden-tobs")

    # One tap into the TOBS form; the score updates as the values are typed.
    measure_now.click()
    expect(page.get_by_role("heading", level=1, name="Mål TOBS")).to_be_visible()
    expect(page.get_by_text("Ved livstruende tilstand: ring 112")).to_be_visible()
    page.get_by_label("Puls").fill("118")
    page.get_by_label("Respiration").fill("22")
    expect(page.locator("#score")).to_contain_text("TOBS-score 4 (ufuldstændig)")
    page.get_by_label("Temperatur").fill("38,4")
    page.get_by_label("Oral").check()
    page.get_by_label("Systolisk blodtryk").fill("128")
    page.get_by_label("Habituel").check()
    # 118 → 2, 22 → 2, 38.4 oral = 38.9 → 1, 128 → 0, habituel → 0
    expect(page.locator("#score")).to_contain_text("TOBS-score 5")
    expect(page.locator("#score")).not_to_contain_text("ufuldstændig")
    expect(page.locator("#score")).to_contain_text("Kontakt sygeplejersken nu")
    screenshot(page, "obs-5-tobs-form", full_page=True)
    page.get_by_role("button", name="Gem TOBS").click()
    expect(page.get_by_role("heading", level=1, name="TOBS gemt")).to_be_visible()
    expect(page.get_by_text("TOBS-score 5", exact=True)).to_be_visible()
    expect(page.get_by_text("Haster", exact=True)).to_be_visible()
    expect(page.get_by_text("standard – skal godkendes lokalt")).to_be_visible()
    screenshot(page, "obs-6-tobs-resultat", full_page=True)

    # And the citizen is off the nurse's list.
    nurse.reload()
    expect(nurse.get_by_role("heading", level=1, name="Observationer uden TOBS")).to_be_visible()
    expect(nurse.locator(".card-name", has_text=name)).to_have_count(0)
    nurse_context.close()
