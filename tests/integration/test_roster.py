"""Vagtplan: leaders and planners keep a basisteam's week of duty shifts; nobody else sees it."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from tests.conftest import CSRF, csrf_token, login
from tests.factories import (
    PASSWORD,
    make_area,
    make_health_unit,
    make_membership,
    make_staff,
    make_team,
)
from webapp.domain.roles import Role
from webapp.models import Area, DutyShift, HealthUnit, MembershipKind, Staff, Team

# START (tests/conftest.py) is Sunday 22 November 2026, 10:00 local: the day shift of the
# last day of ISO week 47.
SUNDAY = date(2026, 11, 22)
MONDAY = date(2026, 11, 16)
NEXT_MONDAY = date(2026, 11, 23)

HTMX = {"HX-Request": "true"}


@dataclass
class World:
    area: Area
    unit: HealthUnit
    team: Team
    other_team: Team
    nurse_a: Staff
    nurse_b: Staff
    therapist: Staff
    outsider: Staff
    gone: Staff
    akut: Staff


@pytest.fixture
def world(db: Session) -> World:
    area = make_area(db)
    unit = make_health_unit(db, area)
    team = make_team(db, area, name="Team Lyngby")
    other_team = make_team(db, make_area(db), name="Team Andet")
    nurse_a = make_staff(db, {Role.NURSE}, full_name="Anna Sygeplejerske")
    nurse_b = make_staff(db, {Role.NURSE}, full_name="Bent Sygeplejerske")
    therapist = make_staff(db, {Role.THERAPIST}, full_name="Tove Terapeut")
    outsider = make_staff(db, {Role.NURSE}, full_name="Olga Udefra")
    gone = make_staff(db, {Role.NURSE}, full_name="Gitte Gået")
    for person in (nurse_a, nurse_b, therapist):
        make_membership(db, person, team=team, kind=MembershipKind.BASISTEAM)
    make_membership(db, outsider, team=other_team, kind=MembershipKind.BASISTEAM)
    make_membership(
        db, gone, team=team, kind=MembershipKind.BASISTEAM, valid_to=SUNDAY - timedelta(days=1)
    )
    akut = make_staff(db, {Role.NURSE}, full_name="Akutteam Test (vagttelefon)", phone="87130001")
    make_membership(db, akut, health_unit=unit)
    unit.fallback_staff_id = akut.id
    db.add(unit)
    planner = make_staff(db, {Role.PLANNER}, "planner")
    make_membership(db, planner, team=team)
    db.commit()
    return World(area, unit, team, other_team, nurse_a, nurse_b, therapist, outsider, gone, akut)


@pytest.fixture
def planner(client, world):
    assert login(client, "planner", PASSWORD).status_code == 302
    return client


def url(team: Team, path: str = "") -> str:
    return f"/vagtplan/{team.id}{path}"


def text(response) -> str:
    return response.get_data(as_text=True)


def token(client, team: Team) -> str:
    match = CSRF.search(text(client.get(url(team))))
    assert match
    return match.group(1)


def post(client, team: Team, path: str, headers=None, **data):
    return client.post(
        url(team, path), data={"csrf_token": token(client, team), **data}, headers=headers
    )


def add(client, team, staff, day=SUNDAY, shift="dag", headers=None):
    return post(
        client, team, "/tilfoej", headers, day=day.isoformat(), shift=shift, staff_id=str(staff.id)
    )


def put(db: Session, team: Team, staff: Staff, day: date, shift: str = "dag") -> None:
    db.add(DutyShift(team_id=team.id, day=day, shift=shift, staff_id=staff.id))
    db.commit()


def shifts(db: Session, team: Team) -> set[tuple[date, str, int]]:
    db.expire_all()
    rows = db.exec(select(DutyShift).where(DutyShift.team_id == team.id)).all()
    return {(r.day, r.shift, r.staff_id) for r in rows}


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [Role.HELPER, Role.ASSISTANT, Role.NURSE, Role.THERAPIST, Role.CITIZEN_CONSULTANT, Role.ADMIN],
)
def test_everyone_but_leaders_and_planners_gets_404(client, db, world, role):
    make_membership(db, make_staff(db, {role}, "someone"), team=world.team)
    db.commit()
    assert login(client, "someone", PASSWORD).status_code == 302
    csrf = csrf_token(client)
    assert client.get("/vagtplan/").status_code == 404
    assert client.get(url(world.team)).status_code == 404
    for path in ("/tilfoej", "/fjern", "/kopier"):
        data = {"csrf_token": csrf, "day": SUNDAY.isoformat(), "shift": "dag"}
        data |= {"staff_id": str(world.nurse_a.id), "uge": SUNDAY.isoformat()}
        response = client.post(url(world.team, path), data=data)
        assert response.status_code == 404, path
    assert shifts(db, world.team) == set()


def test_signed_out_goes_to_login(client, world):
    response = client.get(url(world.team))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_team_out_of_scope_is_404(planner, db, world):
    other = world.other_team
    assert planner.get(url(other)).status_code == 404
    assert planner.get("/vagtplan/999999").status_code == 404
    assert planner.get("/vagtplan/99999999999").status_code == 404
    csrf = token(planner, world.team)
    for path in ("/tilfoej", "/fjern", "/kopier"):
        data = {"csrf_token": csrf, "day": SUNDAY.isoformat(), "shift": "dag"}
        data |= {"staff_id": str(world.outsider.id), "uge": SUNDAY.isoformat()}
        assert planner.post(url(other, path), data=data).status_code == 404, path
    assert shifts(db, other) == set()


def test_one_team_in_scope_opens_its_week(planner, world):
    response = planner.get("/vagtplan/")
    assert response.status_code == 302 and response.headers["Location"] == url(world.team)


def test_a_leader_of_the_unit_chooses_among_the_area_teams(client, db, world):
    second = make_team(db, world.area, "Team Brabrand")
    leader = make_staff(db, {Role.LEADER}, "leader")
    make_membership(db, leader, health_unit=world.unit)
    put(db, world.team, world.nurse_a, SUNDAY)
    login(client, "leader", PASSWORD)
    response = client.get("/vagtplan/")
    page = text(response)
    assert response.status_code == 200
    assert f'href="{url(world.team)}"' in page and f'href="{url(second)}"' in page
    assert f'href="{url(world.other_team)}"' not in page
    assert "Anna Sygeplejerske" in page and "ingen på vagt" in page
    assert client.get(url(second)).status_code == 200
    assert client.get(url(world.other_team)).status_code == 404
    assert '<a href="/vagtplan/">' in text(client.get(url(second))).replace(' class="back"', "")


# --- The week -------------------------------------------------------------------------------


def test_the_week_lists_every_day_and_shift_with_the_people_on_duty(planner, db, world):
    put(db, world.team, world.nurse_a, SUNDAY, "dag")
    put(db, world.team, world.nurse_b, MONDAY, "aften")
    response = planner.get(url(world.team))
    page = text(response)
    assert response.status_code == 200 and page.startswith("<!doctype html>")
    assert "Uge 47" in page and "16.11.–22.11.2026" in page
    days = ["Mandag 16.11.", "Tirsdag 17.11.", "Onsdag 18.11.", "Torsdag 19.11."]
    days += ["Fredag 20.11.", "Lørdag 21.11.", "Søndag 22.11."]
    positions = [page.index(d) for d in days]
    assert positions == sorted(positions)
    assert page.count(">Weekend<") == 2
    assert page.count("07–15") >= 7 and page.count("15–23") == 7 and page.count("23–07") == 7
    assert page.count('class="roster-day ') + page.count('class="roster-day"') == 7
    # Bent on Monday evening, with a remove button; Anna on Sunday's day shift.
    assert "Fjern Bent Sygeplejerske fra aftenvagten mandag 16.11." in page
    assert "Fjern Anna Sygeplejerske fra dagvagten søndag 22.11." in page
    # Empty shifts say where escalations go instead: the area has an akutteam.
    assert "Ingen – henvendelser går til akutteam" in page
    # Add controls: the basisteam's nurses and therapist, not other teams', not the departed.
    assert 'name="staff_id"' in page and ">Tilføj<" in page
    assert f'<option value="{world.therapist.id}">Tove Terapeut · Terapeut</option>' in page
    assert f'<option value="{world.outsider.id}">' not in page
    sunday_add = page[page.index('id="tilfoej-2026-11-22-dag"') :]
    sunday_add = sunday_add[: sunday_add.index("</select>")]
    assert "Anna Sygeplejerske" not in sunday_add and "Bent Sygeplejerske" in sunday_add
    assert "Gitte Gået" not in sunday_add


def test_now_is_highlighted_with_who_is_on_duty(planner, db, world):
    put(db, world.team, world.nurse_a, SUNDAY, "dag")
    page = text(planner.get(url(world.team)))
    assert page.count('aria-current="time"') == 1
    now_cell = page[page.index('aria-current="time"') :]
    assert now_cell.index("Anna Sygeplejerske") < now_cell.index("</li>")
    assert ">I dag<" in page
    current = page[page.index('id="roster-now-heading"') : page.index('class="roster-nav"')]
    assert "Dagvagt 07–15, søndag 22.11." in current and "Anna Sygeplejerske" in current
    assert "Ingen – henvendelser" not in current


def test_at_night_nobody_is_on_and_the_akutteam_is_named(client, db, world, clock):
    clock.advance(hours=14)  # Monday 00:00: Sunday's night shift
    login(client, "planner", PASSWORD)
    page = text(client.get(url(world.team, "?uge=2026-11-22")))
    current = page[page.index('id="roster-now-heading"') : page.index('class="roster-nav"')]
    assert "Natvagt 23–07, søndag 22.11." in current
    assert "Ingen – henvendelser går til akutteam" in current
    assert "Akutteam Test (vagttelefon)" in current and 'href="tel:87130001"' in current
    assert page.count('aria-current="time"') == 1


def test_without_a_fallback_escalations_go_to_the_basisteams_nurses(planner, db, world):
    unit = world.unit
    unit.fallback_staff_id = None
    db.add(unit)
    db.commit()
    page = text(planner.get(url(world.team)))
    assert "Ingen – henvendelser går til basisteamets sygeplejersker" in page
    assert "til akutteam" not in page


def test_a_therapist_alone_is_no_nurse_on_duty(planner, db, world):
    put(db, world.team, world.therapist, SUNDAY, "dag")
    page = text(planner.get(url(world.team)))
    current = page[page.index('id="roster-now-heading"') : page.index('class="roster-nav"')]
    assert "Tove Terapeut" in current
    assert "Ingen sygeplejerske – henvendelser går til akutteam" in current


def test_someone_who_left_the_basisteam_is_shown_but_not_on_duty(planner, db, world):
    put(db, world.team, world.gone, SUNDAY, "dag")
    page = text(planner.get(url(world.team)))
    assert "Gitte Gået" in page and "Ikke længere i basisteamet" in page
    current = page[page.index('id="roster-now-heading"') : page.index('class="roster-nav"')]
    assert "Gitte Gået" not in current and "Ingen – henvendelser går til akutteam" in current


def test_pages_have_no_inline_styles_or_scripts(planner, db, world):
    put(db, world.team, world.nurse_a, SUNDAY, "dag")
    for html in (
        text(planner.get(url(world.team))),
        text(planner.get(url(world.team), headers=HTMX)),
    ):
        assert "style=" not in html and "<style" not in html
        assert "<script>" not in html and "<script " not in html.replace("<script src=", "")


# --- Navigation -----------------------------------------------------------------------------


def test_any_day_opens_its_week_with_links_to_the_weeks_around(planner, world):
    page = text(planner.get(url(world.team, "?uge=2026-11-26")))
    assert "Uge 48" in page and "23.11.–29.11.2026" in page
    assert f'href="{url(world.team)}?uge=2026-11-16"' in page
    assert f'href="{url(world.team)}?uge=2026-11-30"' in page
    assert ">Denne uge<" in page
    assert 'aria-current="time"' not in page and ">I dag<" not in page
    this_week = text(planner.get(url(world.team)))
    assert "Uge 47" in this_week and ">Denne uge<" not in this_week


def test_the_week_a_year_ahead_has_no_next_link(planner, world):
    page = text(planner.get(url(world.team, "?uge=2027-11-22")))
    assert "Uge 47" in page and "Næste uge" not in page and "Forrige uge" in page


def test_htmx_navigation_gets_the_fragment(planner, world):
    response = planner.get(url(world.team, "?uge=2026-11-26"), headers=HTMX)
    page = text(response)
    assert response.status_code == 200 and "<html" not in page
    assert 'id="vagtplan-uge"' in page and "Uge 48" in page
    assert "HX-Request" in response.headers.get("Vary", "")


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ("i-morgen", "Datoen er ugyldig"),
        ("2026-02-30", "Datoen er ugyldig"),
        ("9999-12-31", "højst et år frem"),
        ("0001-01-01", "højst et år frem"),
        ("2028-01-01", "højst et år frem"),
    ],
)
def test_a_bad_week_is_a_danish_400_showing_this_week(planner, world, asked, message):
    response = planner.get(url(world.team, f"?uge={asked}"))
    page = text(response)
    assert response.status_code == 400
    assert message in page and "Uge 47" in page


# --- Add, remove, copy ----------------------------------------------------------------------


def test_add_redirects_back_to_the_week(planner, db, world):
    response = add(planner, world.team, world.nurse_b, NEXT_MONDAY, "aften")
    assert response.status_code == 303
    assert response.headers["Location"] == url(world.team, "?uge=2026-11-23")
    assert shifts(db, world.team) == {(NEXT_MONDAY, "aften", world.nurse_b.id)}
    page = text(planner.get(response.headers["Location"]))
    assert "Bent Sygeplejerske er sat på aftenvagten mandag 23.11." in page
    assert "Fjern Bent Sygeplejerske fra aftenvagten mandag 23.11." in page


def test_add_with_htmx_returns_the_updated_week(planner, db, world):
    response = add(planner, world.team, world.nurse_a, headers=HTMX)
    page = text(response)
    assert response.status_code == 200 and "<html" not in page
    assert 'id="vagtplan-uge"' in page
    assert "Anna Sygeplejerske er sat på dagvagten søndag 22.11." in page
    current = page[page.index('id="roster-now-heading"') : page.index('class="roster-nav"')]
    assert "Anna Sygeplejerske" in current
    assert shifts(db, world.team) == {(SUNDAY, "dag", world.nurse_a.id)}


def test_adding_twice_stores_one_row(planner, db, world):
    assert add(planner, world.team, world.nurse_a).status_code == 303
    response = add(planner, world.team, world.nurse_a)
    assert response.status_code == 303
    assert "Anna Sygeplejerske stod allerede på dagvagten" in text(
        planner.get(response.headers["Location"])
    )
    assert shifts(db, world.team) == {(SUNDAY, "dag", world.nurse_a.id)}


def test_two_people_on_one_shift(planner, db, world):
    add(planner, world.team, world.nurse_a)
    add(planner, world.team, world.therapist)
    assert shifts(db, world.team) == {
        (SUNDAY, "dag", world.nurse_a.id),
        (SUNDAY, "dag", world.therapist.id),
    }


def test_remove_takes_the_person_off_and_a_second_remove_is_harmless(planner, db, world):
    put(db, world.team, world.nurse_a, SUNDAY, "dag")
    put(db, world.team, world.nurse_b, SUNDAY, "dag")
    data = {"day": SUNDAY.isoformat(), "shift": "dag", "staff_id": str(world.nurse_a.id)}
    response = post(planner, world.team, "/fjern", **data)
    assert response.status_code == 303
    assert response.headers["Location"] == url(world.team, "?uge=2026-11-16")
    assert shifts(db, world.team) == {(SUNDAY, "dag", world.nurse_b.id)}
    page = text(planner.get(response.headers["Location"]))
    assert "Anna Sygeplejerske er taget af dagvagten søndag 22.11." in page
    again = post(planner, world.team, "/fjern", headers=HTMX, **data)
    assert again.status_code == 200 and "stod ikke på dagvagten" in text(again)
    assert shifts(db, world.team) == {(SUNDAY, "dag", world.nurse_b.id)}


def test_remove_works_for_someone_who_has_left(planner, db, world):
    put(db, world.team, world.gone, SUNDAY, "aften")
    data = {"day": SUNDAY.isoformat(), "shift": "aften", "staff_id": str(world.gone.id)}
    response = post(planner, world.team, "/fjern", headers=HTMX, **data)
    assert response.status_code == 200 and "Gitte Gået er taget af aftenvagten" in text(response)
    assert shifts(db, world.team) == set()


def test_copy_fills_the_week_from_the_week_before_without_deleting(planner, db, world):
    last_week = NEXT_MONDAY - timedelta(days=7)
    put(db, world.team, world.nurse_a, last_week, "dag")
    put(db, world.team, world.nurse_b, last_week + timedelta(days=1), "aften")
    put(db, world.team, world.gone, last_week + timedelta(days=2), "dag")  # has left
    put(db, world.team, world.therapist, NEXT_MONDAY, "dag")  # already planned: kept
    put(db, world.team, world.nurse_a, NEXT_MONDAY, "dag")  # already there: not doubled
    put(db, world.team, world.outsider, last_week, "nat")  # not attached here: skipped
    response = post(
        planner, world.team, "/kopier", uge=(NEXT_MONDAY + timedelta(days=3)).isoformat()
    )
    assert response.status_code == 303
    assert response.headers["Location"] == url(world.team, "?uge=2026-11-23")
    this_week = {row for row in shifts(db, world.team) if row[0] >= NEXT_MONDAY}
    assert this_week == {
        (NEXT_MONDAY, "dag", world.therapist.id),
        (NEXT_MONDAY, "dag", world.nurse_a.id),
        (NEXT_MONDAY + timedelta(days=1), "aften", world.nurse_b.id),
    }
    assert "1 vagt er kopieret fra forrige uge." in text(planner.get(response.headers["Location"]))
    again = post(planner, world.team, "/kopier", headers=HTMX, uge=NEXT_MONDAY.isoformat())
    assert again.status_code == 200 and "Der var intet at kopiere" in text(again)
    assert 'id="vagtplan-uge"' in text(again) and "<html" not in text(again)


# --- Bad input: a Danish 400, never a 500 -----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"shift": "morgen"}, "Ukendt vagt. Vælg dag, aften eller nat."),
        ({"shift": ""}, "Ukendt vagt"),
        ({"day": "22-11-2026"}, "Datoen er ugyldig"),
        ({"day": ""}, "Datoen er ugyldig"),
        ({"day": "2027-11-23"}, "højst et år frem"),
        ({"day": "2025-11-21"}, "højst et år frem"),
        ({"day": "9999-12-31"}, "højst et år frem"),
        ({"staff_id": ""}, "Vælg en medarbejder."),
        ({"staff_id": "abc"}, "Vælg en medarbejder."),
        ({"staff_id": "99999999999"}, "Vælg en medarbejder."),
        ({"staff_id": "999999"}, "Medarbejderen er ikke tilknyttet basisteamet."),
    ],
)
def test_bad_input_to_add_is_a_danish_400(planner, db, world, data, message):
    form = {"day": SUNDAY.isoformat(), "shift": "dag", "staff_id": str(world.nurse_a.id)} | data
    response = post(planner, world.team, "/tilfoej", **form)
    assert response.status_code == 400
    page = text(response)
    assert message in page and 'role="alert"' in page and 'id="vagtplan-uge"' in page
    assert shifts(db, world.team) == set()


def test_staff_of_another_basisteam_is_refused(planner, db, world):
    response = add(planner, world.team, world.outsider)
    assert response.status_code == 400
    assert "Olga Udefra er ikke tilknyttet basisteamet den søndag 22.11.<" in text(response)
    response = add(planner, world.team, world.gone)
    assert response.status_code == 400 and "Gitte Gået er ikke tilknyttet" in text(response)
    assert shifts(db, world.team) == set()


def test_staff_attached_later_can_be_planned_from_their_first_day(planner, db, world):
    newcomer = make_staff(db, {Role.NURSE}, full_name="Nina Ny")
    make_membership(
        db, newcomer, team=world.team, kind=MembershipKind.BASISTEAM, valid_from=NEXT_MONDAY
    )
    db.commit()
    assert add(planner, world.team, newcomer, SUNDAY).status_code == 400
    assert add(planner, world.team, newcomer, NEXT_MONDAY).status_code == 303


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("/fjern", {"shift": "tidlig"}, "Ukendt vagt"),
        ("/fjern", {"day": "i-går"}, "Datoen er ugyldig"),
        ("/fjern", {"staff_id": "-1"}, "Vælg en medarbejder."),
        ("/kopier", {"uge": "uge-48"}, "Datoen er ugyldig"),
        ("/kopier", {"uge": "3000-01-01"}, "højst et år frem"),
    ],
)
def test_bad_input_to_remove_and_copy_is_a_danish_400(planner, db, world, path, data, message):
    put(db, world.team, world.nurse_a, SUNDAY, "dag")
    form = {"day": SUNDAY.isoformat(), "shift": "dag", "staff_id": str(world.nurse_a.id)} | data
    response = post(planner, world.team, path, **form)
    assert response.status_code == 400 and message in text(response)
    assert shifts(db, world.team) == {(SUNDAY, "dag", world.nurse_a.id)}


def test_bad_input_with_htmx_reloads_the_week_with_the_message(planner, db, world):
    response = add(planner, world.team, world.outsider, NEXT_MONDAY, headers=HTMX)
    assert response.status_code == 400
    # htmx 2 does not swap a 400: the browser is sent to the week, where the message waits.
    assert response.headers["HX-Redirect"] == url(world.team, "?uge=2026-11-23")
    assert "<html" not in text(response) and "Olga Udefra er ikke tilknyttet" in text(response)
    page = text(planner.get(response.headers["HX-Redirect"]))
    assert "Olga Udefra er ikke tilknyttet basisteamet" in page
