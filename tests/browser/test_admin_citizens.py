"""Citizens in the browser: the admin creates a citizen on a desktop and plans a move, looks
at a reorganisation's preview; the borgerkonsulent registers a new referral on a phone. The
pages pass axe (WCAG 2.1 AA)."""

from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.browser.test_accessibility import assert_no_violations
from tests.browser.test_admin import a_kontaktteam
from webapp.db import make_engine
from webapp.models import Staff

DESKTOP = {"width": 1280, "height": 900}
NAME = "Gudrun Testesen"


def test_admin_creates_a_citizen_and_the_consultant_registers_a_referral(
    browser: Browser, browser_context_args: dict, live_server: LiveServer, page: Page
):
    team, _ = a_kontaktteam(live_server.database_url)  # the demo logins' own team
    desk = browser.new_context(**{**browser_context_args, "viewport": DESKTOP, "screen": DESKTOP})
    admin = desk.new_page()
    try:
        sign_in(admin, live_server, "admin")
        admin.get_by_role("link", name="Borgere").click()
        expect(admin.get_by_role("heading", name="Borgere", exact=True)).to_be_visible()
        screenshot(admin, "citizens-1-admin-list", full_page=True)
        admin.get_by_role("link", name="Ny borger").click()
        admin.get_by_label("Hjemmeplejeteam").select_option(label=team)
        admin.get_by_role("button", name="Videre").click()
        admin.get_by_label("Navn").fill(NAME)
        admin.get_by_label("Fødselsdato").fill("12.03.1937")
        admin.get_by_label("Vej og husnummer").fill("Skovbrynet 7")
        admin.get_by_label("Postnr.").fill("8000")
        admin.get_by_label("By", exact=True).fill("Aarhus C")
        admin.get_by_label("Vigtige noter (valgfri)").fill("KOL; Høreapparat")
        admin.get_by_label("Kontaktteam").select_option(index=1)
        admin.get_by_label("Kontaktperson").select_option(index=1)
        admin.get_by_label("Varigt forløb, moderat").check()
        assert_no_violations(admin, "the new citizen form")
        screenshot(admin, "citizens-2-admin-new", full_page=True)
        admin.get_by_role("button", name="Opret borger").click()
        expect(admin.get_by_role("heading", name=NAME)).to_be_visible()
        expect(admin.get_by_text("er oprettet med varigt forløb, moderat")).to_be_visible()
        # A move to another team next week: planned, shown in the history.
        admin.get_by_text("Flyt borgeren").click()
        admin.get_by_label("Nyt team og kontaktteam").select_option(index=3)
        admin.get_by_label("Fra dato").fill((date.today() + timedelta(days=7)).isoformat())
        admin.get_by_role("button", name="Flyt", exact=True).click()
        expect(admin.locator(".history-table").get_by_text("Planlagt")).to_be_visible()
        assert_no_violations(admin, "the citizen's record in administration")
        screenshot(admin, "citizens-3-admin-record", full_page=True)
        admin.get_by_role("button", name="Fortryd flytningen").click()
        expect(admin.get_by_text("Den planlagte flytning er fortrudt.")).to_be_visible()
        # A reorganisation's preview names who follows; nothing is saved.
        admin.goto(live_server.url("/admin/organisation/omorganisering/"))
        admin.get_by_label("Kontaktteam", exact=True).select_option(index=1)
        admin.get_by_label("Til team").select_option(index=2)
        admin.get_by_label("Fra dato").first.fill((date.today() + timedelta(days=14)).isoformat())
        admin.get_by_role("button", name="Vis prøve").first.click()
        expect(admin.get_by_role("heading", name="Prøve – intet er gemt endnu")).to_be_visible()
        assert_no_violations(admin, "the reorganisation preview")
        screenshot(admin, "citizens-4-reorganisation-preview", full_page=True)
    finally:
        desk.close()

    # The borgerkonsulent, on a phone: a new referral for the citizen.
    sign_in(page, live_server, "borgerkonsulent")
    page.get_by_role("link", name="Visitation").click()
    expect(page.get_by_role("heading", name="Visitation")).to_be_visible()
    page.get_by_label("Søg på borgerens navn").fill("Gudrun")
    page.get_by_role("button", name="Søg").click()
    screenshot(page, "citizens-5-visitation", full_page=True)
    page.get_by_role("link", name=NAME).click()
    expect(page.get_by_role("heading", name="Ny henvendelse")).to_be_visible()
    page.get_by_label("Sammensat forløb (op til 12 uger)").check()
    page.get_by_label("Efter udskrivelse fra sygehus").check()
    page.get_by_label("Forløbsansvarlig").select_option(index=1)
    assert_no_violations(page, "the new referral form")
    screenshot(page, "citizens-6-referral", full_page=True)
    page.get_by_role("button", name="Registrér henvendelsen").click()
    expect(page.get_by_text("Henvendelsen er registreret: sammensat forløb")).to_be_visible()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    page.goto(live_server.url("/visitation/ny"))
    expect(page.get_by_role("heading", name="Ny borger")).to_be_visible()
    screenshot(page, "citizens-7-visitation-new", full_page=True)


def staff_numbers(database_url: str, *usernames: str) -> list[str]:
    engine = make_engine(database_url)
    with Session(engine) as session:
        found = {
            s.username: s.external_id
            for s in session.exec(select(Staff).where(Staff.username.in_(usernames))).all()
        }
    engine.dispose()
    return [found[u] for u in usernames]


def test_admin_imports_citizens(
    browser: Browser, browser_context_args: dict, live_server: LiveServer, tmp_path: Path
):
    team, kontaktteam = a_kontaktteam(live_server.database_url)
    helper, nurse = staff_numbers(live_server.database_url, "hjaelper", "sygeplejerske")
    today = date.today().strftime("%d.%m.%Y")
    csv_file = tmp_path / "borgere.csv"
    csv_file.write_text(
        "borgernr;navn;foedselsdato;adresse;postnr;by;team;kontaktteam;kontaktperson;"
        "forloebsansvarlig;forloebstype;henvendelse;noter\n"
        f"B900001;Astrid Import;02.02.1936;Fjordvej 3;8000;Aarhus C;{team};{kontaktteam};"
        f"{helper};{nurse};sammensat;{today};KOL|Demens\n"
        f"B900002;Bo Uden Team;03.03.1939;Fjordvej 5;8000;Aarhus C;Team Findes Ikke;;"
        f"{helper};;varigt moderat;{today};\n",
        encoding="utf-8",
    )
    desk = browser.new_context(**{**browser_context_args, "viewport": DESKTOP, "screen": DESKTOP})
    admin = desk.new_page()
    try:
        sign_in(admin, live_server, "admin")
        admin.goto(live_server.url("/admin/import/borgere"))
        admin.get_by_label("CSV-fil").set_input_files(str(csv_file))
        admin.get_by_role("button", name="Vis prøve").click()
        expect(admin.get_by_text("1 afvist")).to_be_visible()
        expect(admin.get_by_text("Team Findes Ikke")).to_be_visible()
        expect(admin.get_by_role("button", name="Gem importen")).to_have_count(0)
        screenshot(admin, "citizens-8-import-refused", full_page=True)
        csv_file.write_text("\n".join(csv_file.read_text(encoding="utf-8").splitlines()[:2]) + "\n")
        admin.get_by_role("link", name="Vælg en anden fil").click()
        admin.get_by_label("CSV-fil").set_input_files(str(csv_file))
        admin.get_by_role("button", name="Vis prøve").click()
        expect(admin.get_by_text("1 opret")).to_be_visible()
        assert_no_violations(admin, "the citizen import's dry run")
        screenshot(admin, "citizens-9-import-dry-run", full_page=True)
        admin.get_by_role("button", name="Gem importen").click()
        expect(admin.get_by_role("heading", name="Importen er gemt")).to_be_visible()
        admin.goto(live_server.url("/admin/borgere/?q=B900001"))
        admin.get_by_role("link", name="Astrid Import").click()
        expect(admin.get_by_text("Sammensat forløb (op til 12 uger) fra")).to_be_visible()
    finally:
        desk.close()
