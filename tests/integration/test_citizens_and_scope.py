"""Mine borgere, the citizen page, scope (404 outside it) and the access log rows."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from tests.conftest import login
from tests.factories import (
    PASSWORD,
    make_area,
    make_citizen,
    make_health_unit,
    make_kontaktteam,
    make_membership,
    make_staff,
    make_team,
    make_triage_change,
)
from webapp.domain.citizens import PathwayType, TriageColour
from webapp.domain.roles import Role
from webapp.models import AccessLog, AccessLogCitizen, MembershipKind


@pytest.fixture
def world(db):
    """Two teams in one area; a helper in team A's kontaktteam A1; a nurse attached to A."""
    area = make_area(db)
    team_a, team_b = make_team(db, area, "Team A"), make_team(db, area, "Team B")
    kt_a1, kt_a2 = make_kontaktteam(db, team_a, "A1"), make_kontaktteam(db, team_a, "A2")
    kt_b = make_kontaktteam(db, team_b, "B1")
    unit = make_health_unit(db, area)
    helper = make_staff(db, {Role.HELPER}, "helper", full_name="Hanne Hjælper", phone="20 11 22 33")
    make_membership(db, helper, team=team_a, kontaktteam=kt_a1)
    assistant = make_staff(db, {Role.ASSISTANT}, "assistant", full_name="Asta Assistent")
    make_membership(db, assistant, team=team_a, kontaktteam=kt_a2)
    nurse = make_staff(
        db, {Role.NURSE}, "nurse", full_name="Rikke Sygeplejerske", phone="30 40 50 60"
    )
    make_membership(db, nurse, health_unit=unit)
    make_membership(db, nurse, team=team_a, kind=MembershipKind.BASISTEAM)
    leader = make_staff(db, {Role.LEADER}, "leader", full_name="Lise Leder")
    make_membership(db, leader, team=team_a)
    admin = make_staff(db, {Role.ADMIN}, "admin")
    make_membership(db, admin, team=team_a)
    other = make_staff(db, {Role.HELPER}, "other")
    make_membership(db, other, team=team_b, kontaktteam=kt_b)
    c = {
        "green_a1": make_citizen(
            db,
            team_a,
            helper,
            kontaktteam=kt_a1,
            full_name="Gerda Grøn",
            birth_date=date(1940, 11, 23),
        ),
        "red_a2": make_citizen(
            db,
            team_a,
            assistant,
            kontaktteam=kt_a2,
            full_name="Rasmus Rød",
            colour=TriageColour.RED,
            forloebsansvarlig=nurse,
            pathway=PathwayType.SIMPLE,
            street="Hasle Torv 3",
        ),
        "yellow_a1": make_citizen(
            db,
            team_a,
            helper,
            kontaktteam=kt_a1,
            full_name="Yrsa Gul",
            colour=TriageColour.YELLOW,
            forloebsansvarlig=assistant,
            pathway=PathwayType.PERMANENT_CONSIDERABLE,
        ),
        "red_a1": make_citizen(
            db, team_a, helper, kontaktteam=kt_a1, full_name="Rolf Rød", colour=TriageColour.RED
        ),
        "b": make_citizen(db, team_b, other, kontaktteam=kt_b, full_name="Bodil Andetteam"),
    }
    make_triage_change(
        db,
        c["red_a2"],
        nurse,
        TriageColour.RED,
        datetime(2026, 11, 21, 7, 30, tzinfo=UTC),
        reason="Faldet i nat",
    )
    db.commit()
    return {"citizens": c, "helper": helper, "nurse": nurse, "team_a": team_a}


def names_in_order(html: str, names: list[str]) -> list[str]:
    return sorted((n for n in names if n in html), key=html.index)


def log_rows(db):
    return db.exec(select(AccessLog).order_by(AccessLog.id)).all()


def logged_citizens(db, entry) -> set[int]:
    rows = db.exec(select(AccessLogCitizen).where(AccessLogCitizen.access_log_id == entry.id))
    return {r.citizen_id for r in rows}


def test_mine_borgere_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_helper_sees_own_kontaktteam_first_sorted_red_yellow_green(client, world):
    login(client, "helper", PASSWORD)
    html = client.get("/?alle=1").get_data(as_text=True)
    assert "Mit kontaktteam" in html and "Resten af teamet" in html
    order = names_in_order(html, ["Gerda Grøn", "Rasmus Rød", "Yrsa Gul", "Rolf Rød"])
    assert order == ["Rolf Rød", "Yrsa Gul", "Gerda Grøn", "Rasmus Rød"]
    assert "Bodil Andetteam" not in html


def test_rest_of_the_team_is_shown_on_request_and_logged_only_then(client, db, world):
    login(client, "helper", PASSWORD)
    html = client.get("/").get_data(as_text=True)
    assert "Rolf Rød" in html and "Rasmus Rød" not in html
    assert "Vis resten af teamet (1)" in html and 'href="/?alle=1"' in html
    fragment = client.get("/?alle=1", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment
    assert "Rasmus Rød" in fragment and "Rolf Rød" not in fragment
    first, second = log_rows(db)
    c = world["citizens"]
    assert logged_citizens(db, first) == {c[k].id for k in ("green_a1", "yellow_a1", "red_a1")}
    assert logged_citizens(db, second) == {c["red_a2"].id}


def test_without_an_own_kontaktteam_the_whole_team_is_shown(client, world):
    login(client, "nurse", PASSWORD)
    html = client.get("/").get_data(as_text=True)
    assert 'Teamets borgere <span class="count">(4)</span>' in html
    assert "Vis resten" not in html


def test_card_shows_age_address_colour_word_and_tap_to_call(client, world):
    login(client, "helper", PASSWORD)
    html = client.get("/?alle=1").get_data(as_text=True)
    assert "85 år" in html  # Gerda turns 86 tomorrow
    assert "Hasle Torv 3, Aarhus C" in html
    assert "Rød" in html and "■" in html and "Gul" in html and "▲" in html
    assert 'href="tel:30405060"' in html  # the forløbsansvarlig nurse
    assert "Ingen (varigt moderat)" in html


def test_list_read_is_one_log_row_naming_every_citizen_shown(client, db, world):
    login(client, "helper", PASSWORD)
    client.get("/?alle=1")
    (entry,) = log_rows(db)
    assert entry.action == "mine_borgere" and entry.staff_id == world["helper"].id
    assert entry.roles == "hjaelper" and entry.client_addr == "127.0.0.1"
    c = world["citizens"]
    assert logged_citizens(db, entry) == {
        c[k].id for k in ("green_a1", "red_a2", "yellow_a1", "red_a1")
    }


def test_search_filters_and_htmx_gets_only_the_list(client, db, world):
    login(client, "helper", PASSWORD)
    response = client.get("/?q=rød", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Rolf Rød" in html and "Rasmus Rød" in html
    assert "Gerda Grøn" not in html
    assert response.headers["Vary"].count("HX-Request") == 1
    entry = log_rows(db)[-1]
    assert entry.action == "soegning"
    assert logged_citizens(db, entry) == {
        world["citizens"]["red_a1"].id,
        world["citizens"]["red_a2"].id,
    }


def test_search_opened_directly_is_a_full_page(client, world):
    login(client, "helper", PASSWORD)
    html = client.get("/?q=hasle").get_data(as_text=True)
    assert "<html" in html and "Rasmus Rød" in html and "Gerda Grøn" not in html


def test_boosted_and_history_restore_requests_get_the_full_page(client, world):
    login(client, "helper", PASSWORD)
    for extra in ({"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}):
        html = client.get("/", headers={"HX-Request": "true", **extra}).get_data(as_text=True)
        assert "<html" in html


def test_search_with_no_match_says_so(client, world):
    login(client, "helper", PASSWORD)
    html = client.get("/?q=zzzz", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Ingen borgere passer på" in html


def test_overlong_or_odd_search_is_harmless(client, world):
    login(client, "helper", PASSWORD)
    assert client.get("/?q=" + "%25_'\"" * 100).status_code == 200


def test_citizen_page_and_its_log_row(client, db, world):
    login(client, "helper", PASSWORD)
    red = world["citizens"]["red_a2"]
    response = client.get(f"/borgere/{red.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rasmus Rød" in html and "Faldet i nat" in html and "Rikke Sygeplejerske" in html
    assert "Enkelt forløb" in html and "Habitualtilstand" in html
    assert "21.11.2026 kl. 08.30" in html  # local time
    (entry,) = log_rows(db)
    assert entry.action == "borger" and entry.path == f"/borgere/{red.id}"
    assert logged_citizens(db, entry) == {red.id}


def test_citizen_of_another_team_is_404_and_not_logged(client, db, world):
    login(client, "helper", PASSWORD)
    response = client.get(f"/borgere/{world['citizens']['b'].id}")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.get_data(as_text=True)
    assert log_rows(db) == []


def test_unknown_citizen_is_the_same_404(client, db, world):
    login(client, "helper", PASSWORD)
    assert client.get("/borgere/999999").status_code == 404
    assert log_rows(db) == []


def test_nurse_sees_the_basisteam_team(client, world):
    login(client, "nurse", PASSWORD)
    html = client.get("/").get_data(as_text=True)
    assert "Teamets borgere" in html and "Rasmus Rød" in html and "Bodil Andetteam" not in html


def test_leader_sees_the_team(client, world):
    login(client, "leader", PASSWORD)
    assert client.get(f"/borgere/{world['citizens']['green_a1'].id}").status_code == 200
    assert client.get(f"/borgere/{world['citizens']['b'].id}").status_code == 404


def test_admin_sees_no_citizens(client, db, world):
    login(client, "admin", PASSWORD)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/organisation/"
    assert client.get(f"/borgere/{world['citizens']['green_a1'].id}").status_code == 404
    html = client.get("/organisation/").get_data(as_text=True)
    assert "Team A" in html and "Gerda" not in html
    assert log_rows(db) == []


def test_organisation_is_404_for_others(client, world):
    login(client, "helper", PASSWORD)
    assert client.get("/organisation/").status_code == 404


def test_membership_expiring_moves_scope_the_next_day(client, db, world, clock):
    """A temp whose membership ends today sees the team today and nothing tomorrow."""
    temp = make_staff(db, {Role.HELPER}, "temp")
    make_membership(
        db, temp, team=world["team_a"], valid_from=date(2026, 11, 1), valid_to=date(2026, 11, 22)
    )
    db.commit()
    clock.at = datetime(2026, 11, 22, 22, 50, tzinfo=UTC)  # 23:50 in Copenhagen
    login(client, "temp", PASSWORD)
    green = world["citizens"]["green_a1"].id
    assert client.get(f"/borgere/{green}").status_code == 200
    clock.advance(minutes=15)  # 00:05 local time on 23 November
    assert client.get(f"/borgere/{green}").status_code == 404
