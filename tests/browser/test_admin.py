"""Administration in the browser: the admin imports a small staff file on a desktop, checks
the dry run, saves it, and one of the new people signs in on a phone with the one-time code,
chooses a password and sees the kontaktteam's citizens."""

from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from tests.browser.conftest import LiveServer, screenshot, sign_in
from webapp.db import make_engine
from webapp.models import Kontaktteam, Team

DESKTOP = {"width": 1280, "height": 900}


def a_kontaktteam(database_url: str) -> tuple[str, str]:
    engine = make_engine(database_url)
    with Session(engine) as session:
        kt = session.exec(select(Kontaktteam).order_by(Kontaktteam.id)).first()
        team = session.get(Team, kt.team_id)
        names = team.name, kt.name
    engine.dispose()
    return names


def test_admin_imports_staff_and_a_new_person_signs_in(
    browser: Browser,
    browser_context_args: dict,
    live_server: LiveServer,
    page: Page,
    tmp_path: Path,
):
    team, kontaktteam = a_kontaktteam(live_server.database_url)
    csv_file = tmp_path / "medarbejdere.csv"
    csv_file.write_text(
        "medarbejdernr;navn;brugernavn;telefon;roller;team;kontaktteam;ansaettelse\n"
        f"A-9001;Nadia Kirkegaard;nadia.k;20 90 01 01;SOSU-hjælper;{team};{kontaktteam};fast\n"
        f"A-9002;Jonas Elev;jonas.elev;;hjaelper;{team};;elev\n",
        encoding="utf-8",
    )
    desk = browser.new_context(**{**browser_context_args, "viewport": DESKTOP, "screen": DESKTOP})
    admin = desk.new_page()
    try:
        sign_in(admin, live_server, "admin")
        admin.get_by_role("link", name="Importér medarbejdere").click()
        admin.get_by_label("CSV-fil").set_input_files(str(csv_file))
        admin.get_by_role("button", name="Vis prøve").click()
        expect(admin.get_by_role("heading", name="Prøve – intet er gemt endnu")).to_be_visible()
        expect(admin.get_by_text("2 opret")).to_be_visible()
        expect(admin.get_by_text("Slutdato sat til")).to_be_visible()  # the student
        screenshot(admin, "admin-1-dry-run", full_page=True)
        admin.get_by_role("button", name="Gem importen").click()
        expect(admin.get_by_role("heading", name="Importen er gemt")).to_be_visible()
        code = admin.locator("tr", has_text="nadia.k").locator("code.one-time").inner_text()
        screenshot(admin, "admin-2-saved", full_page=True)
        admin.get_by_role("link", name="Se revisionsloggen").click()
        expect(admin.get_by_text("Nadia Kirkegaard (nadia.k) oprettet ved import")).to_be_visible()
        admin.goto(live_server.url("/admin/medarbejdere/?q=nadia"))
        admin.get_by_role("link", name="Nadia Kirkegaard").click()
        expect(admin.get_by_role("heading", name="Nadia Kirkegaard")).to_be_visible()
        screenshot(admin, "admin-6-person", full_page=True)
        admin.goto(live_server.url("/admin/organisation/"))
        expect(admin.get_by_role("heading", name="Opbygning")).to_be_visible()
        screenshot(admin, "admin-7-units", full_page=True)
        admin.goto(live_server.url("/admin/tobs/ny"))
        expect(
            admin.get_by_role("heading", name="Ny version af handlingsanvisningen")
        ).to_be_visible()
        screenshot(admin, "admin-5-tobs-table", full_page=True)
    finally:
        desk.close()

    # The new helper, on her phone, with the code from the admin.
    sign_in_page = page
    sign_in_page.goto(live_server.url("/login"))
    sign_in_page.get_by_label("Brugernavn").fill("nadia.k")
    sign_in_page.get_by_label("Adgangskode").fill(code)
    sign_in_page.get_by_role("button", name="Log ind").click()
    expect(page).to_have_url(live_server.url("/adgangskode"))
    screenshot(page, "admin-3-choose-password")
    page.get_by_label("Ny adgangskode").fill("kaffe-og-boller-2026")
    page.get_by_label("Gentag den nye adgangskode").fill("kaffe-og-boller-2026")
    page.get_by_role("button", name="Gem adgangskoden").click()
    expect(page.get_by_text("Din adgangskode er skiftet.")).to_be_visible()
    expect(page.get_by_role("heading", name="Mine borgere")).to_be_visible()
    expect(page.locator("li.card").first).to_be_visible()
    screenshot(page, "admin-4-mine-borgere")
