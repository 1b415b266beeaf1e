"""Observations, TOBS, the nudge, Observationer uden TOBS and triage colours, through HTTP."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from tests.conftest import START, csrf_token, login
from tests.factories import (
    PASSWORD,
    make_area,
    make_citizen,
    make_kontaktteam,
    make_membership,
    make_staff,
    make_team,
)
from tests.factories_obs import item_ids, make_observation, make_tobs
from webapp.domain.citizens import TriageColour
from webapp.domain.roles import Role
from webapp.models import Citizen, Observation, ObservationEntry, TobsMeasurement, TriageChange


@pytest.fixture
def world(db):
    area = make_area(db)
    team, other_team = make_team(db, area, "Team A"), make_team(db, area, "Team B")
    kt = make_kontaktteam(db, team, "A1")
    helper = make_staff(db, {Role.HELPER}, "helper", full_name="Hanne Hjælper")
    make_membership(db, helper, team=team, kontaktteam=kt)
    assistant = make_staff(db, {Role.ASSISTANT}, "assistant", full_name="Asta Assistent")
    make_membership(db, assistant, team=team, kontaktteam=kt)
    nurse = make_staff(db, {Role.NURSE}, "nurse", full_name="Rikke Sygeplejerske")
    make_membership(db, nurse, team=team)
    outsider = make_staff(db, {Role.HELPER}, "outsider")
    make_membership(db, outsider, team=other_team)
    citizen = make_citizen(
        db, team, helper, kontaktteam=kt, full_name="Karen Borger", habitual_pulse=80
    )
    exempt = make_citizen(
        db,
        team,
        helper,
        kontaktteam=kt,
        full_name="Terminal Borger",
        tobs_applies=False,
        tobs_exemption_reason="Terminal, ingen lægeordination",
    )
    db.commit()
    return {"citizen": citizen, "exempt": exempt, "helper": helper, "nurse": nurse}


def post(client, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf_token(client), **data})


def test_observation_in_three_taps_offers_tobs_for_a_trigger_item(client, db, world):
    login(client, "helper", PASSWORD)
    c = world["citizen"]
    home = client.get("/").get_data(as_text=True)
    form_url = f"/borgere/{c.id}/observation"
    assert f'href="{form_url}"' in home  # tap 1: from the card
    form = client.get(form_url).get_data(as_text=True)
    assert "Ændret adfærd eller humør" in form and "Ingen ændringer i dag" in form
    (behaviour,) = item_ids(db, ["aendret_adfaerd"])  # tap 2: tick; tap 3: save
    response = post(client, form_url, {"punkt": str(behaviour), "note": "Vred og urolig"})
    assert response.status_code == 302
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Observation gemt" in receipt and "Mål TOBS nu" in receipt
    assert f'href="/borgere/{c.id}/tobs"' in receipt
    saved = db.exec(select(Observation)).one()
    assert saved.note == "Vred og urolig" and saved.staff_id == world["helper"].id
    assert not saved.no_change


def test_no_change_is_one_tap_and_asks_for_nothing(client, db, world):
    login(client, "helper", PASSWORD)
    c = world["citizen"]
    response = post(client, f"/borgere/{c.id}/observation", {"ingen_aendringer": "1"})
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ingen ændringer i dag" in receipt and "Mål TOBS nu" not in receipt
    assert db.exec(select(Observation)).one().no_change


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Vælg mindst én ting"),
        ({"punkt": "999999"}, "findes ikke længere"),
        ({"punkt": "1", "note": "x" * 281}, "Noten må højst være 280 tegn."),
    ],
)
def test_bad_observation_is_a_400_that_keeps_what_was_typed(client, db, world, data, message):
    login(client, "helper", PASSWORD)
    response = post(client, f"/borgere/{world['citizen'].id}/observation", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    if "note" in data:
        assert "x" * 281 in html
    assert db.exec(select(Observation)).all() == []


def test_correction_is_a_new_row_and_the_old_one_stays(client, db, world):
    c, helper = world["citizen"], world["helper"]
    old = make_observation(db, c, helper, START - timedelta(hours=1), ["svimmel"])
    db.commit()
    login(client, "helper", PASSWORD)
    form = client.get(f"/borgere/{c.id}/observation?retter={old.id}").get_data(as_text=True)
    assert "Ret observation" in form and re.search(r'value="\d+" checked', form)
    (tired,) = item_ids(db, ["mere_traet"])
    response = post(client, f"/borgere/{c.id}/observation", {"punkt": tired, "retter": old.id})
    assert response.status_code == 302
    rows = db.exec(select(Observation).order_by(Observation.id)).all()
    assert [r.corrects_id for r in rows] == [None, old.id]
    entries = db.exec(select(ObservationEntry.item_id).order_by(ObservationEntry.item_id)).all()
    assert len(entries) == 2  # the old entry is kept as it was
    again = post(client, f"/borgere/{c.id}/observation", {"punkt": tired, "retter": old.id})
    assert again.status_code == 400 and "allerede rettet" in again.get_data(as_text=True)


def test_out_of_scope_citizen_is_404_for_every_form(client, world):
    login(client, "outsider", PASSWORD)
    c = world["citizen"]
    for url in (f"/borgere/{c.id}/observation", f"/borgere/{c.id}/tobs"):
        assert client.get(url).status_code == 404
        assert post(client, url, {"punkt": "1", "puls": "80"}).status_code == 404
    assert client.get(f"/borgere/{c.id}/triagefarve").status_code == 404


# --- TOBS ------------------------------------------------------------------------------------

FULL = {
    "puls": "112",
    "respiration": "22",
    "temperatur": "38,2",
    "maalemetode": "oral",
    "systolisk": "105",
    "bevidsthed": "habituel",
}


def test_live_score_fragment_and_the_same_url_as_a_full_page(client, world):
    login(client, "helper", PASSWORD)
    url = f"/borgere/{world['citizen'].id}/tobs"
    fragment = client.get(url, query_string=FULL, headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    # puls 112 → 2, resp 22 → 2, 38.2 oral = 38.7 → 1, BT 105 → 0, habituel → 0
    assert "<html" not in html and "TOBS-score 5" in html and "ufuldstændig" not in html
    assert "38,7 °C rektalt" in html and "+32 fra habituel (80)" in html
    assert "Kontakt sygeplejersken nu" in html
    page = client.get(url, query_string=FULL).get_data(as_text=True)
    assert (
        "<html" in page and "TOBS-score 5" in page and "Ved livstruende tilstand: ring 112" in page
    )
    assert fragment.headers["Vary"].count("HX-Request") == 1


def test_a_missing_parameter_is_never_shown_as_complete(client, world):
    login(client, "helper", PASSWORD)
    partial = {**FULL, "systolisk": ""}
    html = client.get(
        f"/borgere/{world['citizen'].id}/tobs", query_string=partial, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "TOBS-score 5 (ufuldstændig)" in html and "Mangler: systolisk blodtryk" in html


def test_saving_a_tobs_records_values_score_and_action_table_version(client, db, world):
    login(client, "helper", PASSWORD)
    c = world["citizen"]
    response = post(client, f"/borgere/{c.id}/tobs", {**FULL, "iltmaetning": "94"})
    assert response.status_code == 302
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "TOBS-score 5" in result and "Ved livstruende tilstand: ring 112" in result
    assert "standard – skal godkendes lokalt" in result and "Iltmætning: 94 %" in result
    saved = db.exec(select(TobsMeasurement)).one()
    assert (saved.total, saved.complete, saved.any_three) == (5, True, False)
    assert str(saved.corrected_temperature) == "38.7" and saved.action_version_id == 1
    assert saved.spo2 == 94 and saved.temperature_method == "oral"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("puls", "300", "Puls skal være et helt tal mellem 20 og 250."),
        ("puls", "abc", "Puls skal være et helt tal mellem 20 og 250."),
        ("temperatur", "50", "Temperatur skal være mellem"),
        ("maalemetode", "", "Vælg målemetode for temperaturen."),
        ("systolisk", "20", "Systolisk blodtryk skal være et helt tal mellem 40 og 300."),
    ],
)
def test_implausible_values_are_a_400_with_a_danish_message(
    client, db, world, field, value, message
):
    login(client, "helper", PASSWORD)
    response = post(client, f"/borgere/{world['citizen'].id}/tobs", {**FULL, field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert f'value="{FULL["respiration"]}"' in html  # nothing typed is lost
    assert db.exec(select(TobsMeasurement)).all() == []


def test_an_empty_tobs_is_refused(client, db, world):
    login(client, "helper", PASSWORD)
    response = post(client, f"/borgere/{world['citizen'].id}/tobs", {})
    assert response.status_code == 400 and "mindst én måling" in response.get_data(as_text=True)


def test_tobs_not_used_says_why_and_refuses_to_score(client, db, world):
    login(client, "helper", PASSWORD)
    url = f"/borgere/{world['exempt'].id}/tobs"
    html = client.get(url).get_data(as_text=True)
    assert "TOBS bruges ikke" in html and "Terminal, ingen lægeordination" in html
    assert "TOBS-score" not in html and 'name="puls"' not in html
    assert post(client, url, FULL).status_code == 409
    assert db.exec(select(TobsMeasurement)).all() == []


# --- The nudge and Observationer uden TOBS ----------------------------------------------------


def test_nudge_shows_on_the_card_and_the_nurses_list_until_a_tobs(client, db, world, clock):
    c, helper = world["citizen"], world["helper"]
    make_observation(db, c, helper, START - timedelta(hours=2), ["mere_forvirret"])
    db.commit()
    login(client, "helper", PASSWORD)
    card = client.get("/").get_data(as_text=True)
    assert "badge-nudge" in card and "1 observation på 7 dage" in card
    assert client.get("/observationer-uden-tobs").status_code == 404  # helpers have no list
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login(client, "nurse", PASSWORD)
    assert "Karen Borger" in client.get("/observationer-uden-tobs").get_data(as_text=True)
    make_tobs(db, c, world["nurse"], START - timedelta(minutes=5))
    db.commit()
    html = client.get("/observationer-uden-tobs").get_data(as_text=True)
    assert "Karen Borger" not in html and "Ingen borgere venter" in html


def test_a_nurse_dismisses_with_a_reason_and_an_assistant_cannot(client, db, world):
    c = world["citizen"]
    make_observation(db, c, world["helper"], START - timedelta(hours=2), ["aendret_adfaerd"])
    db.commit()
    login(client, "nurse", PASSWORD)
    empty = post(client, f"/borgere/{c.id}/tobs-afvisning", {"reason": " "})
    assert empty.status_code == 400 and "begrundelse" in empty.get_data(as_text=True)
    done = post(client, f"/borgere/{c.id}/tobs-afvisning", {"reason": "Kendt uro, ses i morgen"})
    assert done.status_code == 303
    after = client.get("/observationer-uden-tobs").get_data(as_text=True)
    assert "Karen Borger er taget af listen" in after and "Ingen borgere venter" in after
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login(client, "assistant", PASSWORD)
    assert client.get("/observationer-uden-tobs").status_code == 200
    assert post(client, f"/borgere/{c.id}/tobs-afvisning", {"reason": "x"}).status_code == 404


def test_mine_borgere_queries_stay_constant_as_observations_grow(app, client, db, world):
    c, helper = world["citizen"], world["helper"]
    login(client, "helper", PASSWORD)
    statements: list[str] = []
    event.listen(
        app.extensions["engine"], "before_cursor_execute", lambda *a: statements.append(a[2])
    )
    counts = []
    for round_ in range(3):
        for n in range(5):
            at = START - timedelta(hours=round_ * 10 + n + 1)
            make_observation(db, c, helper, at, ["svimmel"])
            make_tobs(db, c, helper, at - timedelta(minutes=30))
        db.commit()
        statements.clear()
        assert client.get("/").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] == counts[2] <= 5, counts


# --- Triage colours ---------------------------------------------------------------------------


def test_a_helper_suggests_and_an_assistant_sets(client, db, world):
    c = world["citizen"]
    login(client, "helper", PASSWORD)
    url = f"/borgere/{c.id}/triagefarve"
    assert "Foreslå triagefarve" in client.get(url).get_data(as_text=True)
    response = post(client, url, {"farve": "gul", "reason": "Spiser mindre"})
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Forslaget er sendt" in receipt and "Mål TOBS nu" in receipt
    assert db.get(Citizen, c.id).triage_colour == "groen"
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login(client, "assistant", PASSWORD)
    form = client.get(url).get_data(as_text=True)
    assert "Forslag, der venter" in form and "Spiser mindre" in form
    post(client, url, {"farve": "gul", "reason": "Spiser mindre"})
    db.expire_all()
    assert db.get(Citizen, c.id).triage_colour == "gul"
    kinds = db.exec(select(TriageChange.kind).order_by(TriageChange.id)).all()
    assert kinds == ["foreslaaet", "sat"]
    assert "Forslag, der venter" not in client.get(url).get_data(as_text=True)


def test_red_toward_green_by_a_helper_is_only_a_suggestion(client, db, world):
    c = world["citizen"]
    c.triage_colour = TriageColour.RED.value
    db.add(c)
    make_tobs(db, c, world["nurse"], START - timedelta(hours=1))
    db.commit()
    login(client, "helper", PASSWORD)
    response = post(client, f"/borgere/{c.id}/triagefarve", {"farve": "groen", "reason": "Bedre"})
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mål TOBS nu" not in receipt  # a TOBS was taken an hour ago
    db.expire_all()
    assert db.get(Citizen, c.id).triage_colour == "roed"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"farve": "gul", "reason": ""}, "hvorfor farven skal ændres"),
        ({"farve": "groen", "reason": "x"}, "allerede den farve"),
        ({"farve": "lilla", "reason": "x"}, "Vælg grøn, gul eller rød"),
        ({"farve": "gul", "reason": "x" * 281}, "højst være 280 tegn"),
    ],
)
def test_bad_colour_change_is_a_400(client, db, world, data, message):
    login(client, "assistant", PASSWORD)
    response = post(client, f"/borgere/{world['citizen'].id}/triagefarve", data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.exec(select(TriageChange)).all() == []


def test_ids_too_large_for_the_database_are_404_not_500(client, world):
    login(client, "helper", PASSWORD)
    huge = "99999999999999999999"
    assert client.get(f"/borgere/{huge}").status_code == 404
    assert (
        client.get(f"/borgere/{world['citizen'].id}/observation?retter={huge}").status_code == 404
    )
    response = post(client, f"/borgere/{world['citizen'].id}/observation", {"punkt": huge})
    assert response.status_code == 400 and "Vælg mindst én ting" in response.get_data(as_text=True)
