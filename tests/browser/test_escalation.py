"""Kontakt sygeplejerske on two phones: the helper escalates in two taps, the nurse sees it
arrive without reloading and answers with one tap, the helper sees the answer arrive."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from tests.browser.conftest import LiveServer, screenshot, sign_in
from webapp.db import make_engine
from webapp.domain.duty import shift_at
from webapp.models import Citizen, DutyShift, Staff

#: The pages poll every 10 s; allow for two rounds.
POLL = 25_000


def _nurse_responsible_and_on_duty(database_url: str) -> tuple[str, str]:
    """Make the demo nurse forløbsansvarlig for the helper's first citizen and put her on
    the roster for the shift that covers now (the server runs on real time, so whatever
    hour CI runs at, the request goes to her by name)."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        helper = session.exec(select(Staff).where(Staff.username == "hjaelper")).one()
        nurse = session.exec(select(Staff).where(Staff.username == "sygeplejerske")).one()
        citizen = session.exec(
            select(Citizen).where(Citizen.kontaktperson_id == helper.id).order_by(Citizen.id)
        ).first()
        citizen.forloebsansvarlig_id = nurse.id
        day, shift = shift_at(datetime.now(UTC).astimezone(ZoneInfo("Europe/Copenhagen")))
        exists = session.exec(
            select(DutyShift).where(
                DutyShift.team_id == citizen.team_id,
                DutyShift.day == day,
                DutyShift.shift == shift.value,
                DutyShift.staff_id == nurse.id,
            )
        ).first()
        if exists is None:
            session.add(
                DutyShift(team_id=citizen.team_id, day=day, shift=shift.value, staff_id=nurse.id)
            )
        session.add(citizen)
        session.commit()
        names = citizen.full_name, nurse.full_name
    engine.dispose()
    return names


def test_helper_escalates_in_two_taps_and_the_nurse_answers_in_one(
    browser: Browser, browser_context_args: dict, live_server: LiveServer
):
    citizen, nurse_name = _nurse_responsible_and_on_duty(live_server.database_url)
    helper_ctx = browser.new_context(**browser_context_args)
    nurse_ctx = browser.new_context(**browser_context_args)
    helper, nurse = helper_ctx.new_page(), nurse_ctx.new_page()
    try:
        sign_in(nurse, live_server, "sygeplejerske")
        nurse.get_by_role("navigation").get_by_role("link", name=re.compile("Henvendelser")).click()
        nurse.get_by_role("link", name="Til mig").click()
        expect(nurse.get_by_role("heading", level=1, name="Henvendelser")).to_be_visible()
        rows = nurse.locator("#esc-list li.esc-row").filter(has_text=citizen)
        expect(rows).to_have_count(0)

        sign_in(helper, live_server, "hjaelper")
        card = helper.locator("li.card").filter(has=helper.get_by_text(citizen, exact=True))
        card.get_by_role("link", name=re.compile("Kontakt sygeplejerske")).click()  # tap 1
        expect(helper.get_by_role("heading", level=1, name="Kontakt sygeplejerske")).to_be_visible()
        expect(helper.locator(".esc-to-name")).to_have_text(nurse_name)
        expect(helper.locator(".esc-to a.call")).to_have_attribute("href", re.compile(r"^tel:"))
        screenshot(helper, "esc-1-hjaelper-kontakt")
        helper.get_by_role("button", name=f"Send til {nurse_name}").click()  # tap 2
        expect(helper.locator("#esc-status")).to_contain_text("Sendt, ikke set")
        screenshot(helper, "esc-2-hjaelper-sendt")

        # The nurse's open inbox shows it without a reload, and the count in the menu.
        expect(rows).to_have_count(1, timeout=POLL)
        expect(nurse.locator("#nav-esc-count .count-badge")).to_be_visible(timeout=POLL)
        screenshot(nurse, "esc-3-sygeplejerske-indbakke")
        rows.first.locator("a").click()
        expect(nurse.get_by_role("heading", level=2, name="Svar med ét tryk")).to_be_visible()
        screenshot(nurse, "esc-4-sygeplejerske-henvendelse")
        nurse.get_by_role("button", name="Ring til mig").click()  # one tap
        expect(nurse.locator("#esc-status")).to_contain_text("Ring til mig")

        # The helper's page shows the answer without a reload.
        expect(helper.locator("#esc-status")).to_contain_text("Ring til mig", timeout=POLL)
        expect(helper.locator("#esc-status")).to_contain_text(nurse_name)
        screenshot(helper, "esc-5-hjaelper-svar")
        helper.get_by_role("button", name="Modtaget – luk henvendelsen").click()
        expect(helper.get_by_role("heading", level=1, name="Henvendelser")).to_be_visible()
    finally:
        helper_ctx.close()
        nurse_ctx.close()


def test_the_roster_and_overdue_list_render_for_the_leader(page: Page, live_server: LiveServer):
    sign_in(page, live_server, "leder")
    page.goto(live_server.url("/henvendelser/forsinkede"))
    expect(page.get_by_role("heading", level=1, name="Forsinkede henvendelser")).to_be_visible()
    screenshot(page, "esc-6-leder-forsinkede")
