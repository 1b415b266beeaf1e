"""The forløbskonference on phones: a borgerkonsulent puts a citizen on the list; the leader
orders it, runs the meeting, records a decision with a follow-up and downloads both PDFs;
the owner finds the follow-up in her list."""

import re
import subprocess
from datetime import date

from playwright.sync_api import Browser, expect
from sqlmodel import Session, select

from tests.browser.conftest import LiveServer, screenshot, sign_in
from webapp.db import make_engine
from webapp.models import Staff

DECISION = "Sygeplejerske vurderer væskeindtag og vægt"


def _helper_name(database_url: str) -> str:
    engine = make_engine(database_url)
    with Session(engine) as session:
        name = session.exec(select(Staff.full_name).where(Staff.username == "hjaelper")).one()
    engine.dispose()
    return name


def _pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_borgerkonsulent_leder_and_owner(
    browser: Browser, browser_context_args: dict, live_server: LiveServer
):
    owner = _helper_name(live_server.database_url)
    contexts = [
        browser.new_context(**browser_context_args, accept_downloads=True) for _ in range(3)
    ]
    bk, leader, helper = (c.new_page() for c in contexts)
    try:
        sign_in(bk, live_server, "borgerkonsulent")
        names = []
        for n, reason in enumerate(
            ("Pårørende bekymrede, har brug for en plan", "Ny borger efter udskrivelse, god start")
        ):
            bk.goto(live_server.url("/"))
            bk.locator("li.card a.card-main").nth(n).click()
            names.append(bk.get_by_role("heading", level=1).inner_text().strip())
            bk.get_by_role("link", name="Sæt på konference").click()
            bk.get_by_label(re.compile("Hvorfor skal borgeren")).fill(reason)
            if n == 1:
                screenshot(bk, "conf-1-borgerkonsulent")
            bk.get_by_role("button", name="Sæt på konference").click()
            expect(bk.get_by_text(f"{names[-1]} er sat på konferencen")).to_be_visible()
        citizen = names[1]
        conference_url = bk.url

        sign_in(leader, live_server, "leder")
        leader.goto(conference_url)
        item = leader.locator("li.conf-item").filter(has_text=citizen)
        expect(item).to_be_visible()
        while not leader.locator("li.conf-item").first.inner_text().count(citizen):
            item.get_by_role("button", name=re.compile("^Op")).click()  # the leader orders
        expect(leader.locator("li.conf-item").first).to_contain_text(citizen)
        screenshot(leader, "conf-2-liste")
        with leader.expect_download() as listing:
            leader.get_by_role("link", name=re.compile("Konferenceliste")).click()
        list_text = _pdf_text(listing.value.path())
        assert citizen in list_text and "Fortroligt – indeholder helbredsoplysninger" in list_text

        leader.get_by_role("link", name="Mødevisning").click()
        leader.get_by_role("button", name=re.compile("Start mødet")).click()
        expect(leader.get_by_role("timer")).to_be_visible()
        expect(leader.get_by_role("heading", level=2, name=re.compile(citizen))).to_be_visible()
        leader.get_by_label("Hvad blev besluttet?").fill(DECISION)
        owner_select = leader.get_by_label("Ansvarlig (navngivet)")
        label = owner_select.locator("option", has_text=owner).first.inner_text()
        owner_select.select_option(label=label)
        leader.get_by_label(re.compile("Opfølgning senest")).fill(date.today().isoformat())
        screenshot(leader, "conf-3-moede")
        leader.get_by_role("button", name="Gem beslutning og gå videre").click()
        leader.get_by_role("button", name="Afslut konferencen").click()
        expect(leader.get_by_text("Konferencen er afsluttet")).to_be_visible()
        with leader.expect_download() as minutes:
            leader.get_by_role("link", name=re.compile("Referat")).click()
        minutes_text = _pdf_text(minutes.value.path())
        assert DECISION in minutes_text and owner in minutes_text

        sign_in(helper, live_server, "hjaelper")
        helper.get_by_role("navigation").get_by_role("link", name="Opfølgning", exact=True).click()
        expect(helper.get_by_text(f"Fra konferencen: {DECISION}").first).to_be_visible()
        screenshot(helper, "conf-4-ejer-opfoelgning")
    finally:
        for c in contexts:
            c.close()
