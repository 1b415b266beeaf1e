"""Opfølgninger on a phone: a nurse hands over nursing and finds it in her list on the day;
a helper records a weighing from Mine opfølgninger."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, screenshot, sign_in

NO_HORIZONTAL_SCROLL = (
    "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)


def test_a_nurse_hands_over_nursing_and_sees_it_in_her_list(page: Page, live_server: LiveServer):
    today = datetime.now(ZoneInfo("Europe/Copenhagen")).date()  # the server runs on real time
    sign_in(page, live_server, "sygeplejerske")
    page.locator("li.card a.card-main").first.click()
    name = page.get_by_role("heading", level=1).inner_text().strip()
    page.get_by_role("link", name="Overdrag sygepleje").click()
    expect(page.get_by_role("heading", level=1, name="Overdrag sygepleje")).to_be_visible()
    page.get_by_label("Opgave, der overdrages").fill("Sårpleje venstre underben")
    page.get_by_label("Opfølgning senest").fill(today.isoformat())
    screenshot(page, "fu-1-overdrag")
    page.get_by_role("button", name="Overdrag").click()
    expect(page.get_by_text("Overdraget: Sårpleje venstre underben").first).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="Opfølgning", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Mine opfølgninger")).to_be_visible()
    today_section = page.locator("h2", has_text="I dag").locator("xpath=following-sibling::ul[1]")
    row = today_section.locator("li.fu").filter(has_text="Overdraget: Sårpleje venstre underben")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(name)
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(page, "fu-2-mine-opfoelgninger-sygeplejerske")


def test_a_helper_records_a_weighing_from_mine_opfoelgninger(page: Page, live_server: LiveServer):
    sign_in(page, live_server, "hjaelper")
    page.get_by_role("navigation").get_by_role("link", name="Opfølgning", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Mine opfølgninger")).to_be_visible()
    weighing = page.locator("li.fu").filter(has=page.locator("input[name=value]")).first
    expect(weighing).to_be_visible()
    citizen = weighing.locator(".fu-sub a").first.inner_text().strip()
    screenshot(page, "fu-3-mine-opfoelgninger-hjaelper")
    weighing.get_by_label(re.compile("Vægt i kg")).fill("71,4")
    weighing.get_by_role("button", name=re.compile("^Udført")).click()
    expect(
        page.get_by_text(re.compile(r"Udført: Vejning.* Næste gang: \d\d\.\d\d\.\d{4}\."))
    ).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(page, "fu-4-vejning-udfoert")

    # The weight is on the citizen's page.
    page.goto(live_server.url("/"))
    page.get_by_label("Søg på navn eller adresse").fill(citizen)
    page.locator("a.card-main").filter(has=page.get_by_text(citizen, exact=True)).first.click()
    expect(page.locator(".weight-summary")).to_contain_text("71,4 kg")
