"""The conference screens: Sæt på konference (anyone in scope, borgerkonsulenter too), the
list, and the leader's order, carry-over and suggestions."""

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from tests.conftest import START, csrf_token, login
from tests.factories import (
    PASSWORD,
    make_area,
    make_citizen,
    make_kontaktteam,
    make_membership,
    make_staff,
    make_team,
    make_triage_change,
)
from tests.factories_obs import make_observation, make_tobs
from webapp.domain.citizens import TriageColour
from webapp.domain.roles import Role
from webapp.models import Conference, ConferenceItem


@pytest.fixture
def world(db: Session):
    area = make_area(db)
    team = make_team(db, area, name="Team Hasle")
    other = make_team(db, area)
    kt = make_kontaktteam(db, team)
    helper = make_staff(db, {Role.HELPER}, username="hj")
    make_membership(db, helper, team=team, kontaktteam=kt)
    bk = make_staff(db, {Role.CITIZEN_CONSULTANT}, username="bk", full_name="Bente Konsulent")
    make_membership(db, bk, team=team)
    leader = make_staff(db, {Role.LEADER}, username="leder")
    make_membership(db, leader, team=team)
    citizens = [make_citizen(db, team, helper, full_name=f"Borger {n}") for n in range(8)]
    outside = make_citizen(db, other, helper, full_name="Udenfor")
    db.commit()
    return {"team": team, "citizens": citizens, "outside": outside, "leader": leader}


def signed_in(app, username):
    c = app.test_client()
    assert login(c, username, PASSWORD).status_code == 302
    return c


def put(c, citizen_id, reason="Svær overgang fra hospital"):
    return c.post(
        f"/borgere/{citizen_id}/konference", data={"csrf_token": csrf_token(c), "reason": reason}
    )


def test_a_borgerkonsulent_puts_a_citizen_on_the_next_conference(app, world, db):
    c = signed_in(app, "bk")
    form = c.get(f"/borgere/{world['citizens'][0].id}/konference").get_data(as_text=True)
    # Sunday 10:00: the cut-off for Tuesday is Monday 15:00.
    assert "tirsdag 24.11." in form and "Frist: 23.11. kl. 15.00" in form
    response = put(c, world["citizens"][0].id)
    assert response.status_code == 303
    page = c.get(response.headers["Location"]).get_data(as_text=True)
    assert "Borger 0" in page and "Svær overgang fra hospital" in page
    assert "Sat på af Bente Konsulent" in page and "1 af 6 pladser" in page


def test_after_the_cutoff_the_form_says_it_goes_to_the_following(app, world, clock):
    clock.advance(days=1, hours=6)  # Monday 16:00
    c = signed_in(app, "hj")
    form = c.get(f"/borgere/{world['citizens'][0].id}/konference").get_data(as_text=True)
    assert "torsdag 26.11." in form and "kommer på den næste" in form


@pytest.mark.parametrize(("reason", "message"), [("", "Skriv kort"), ("ø" * 281, "højst")])
def test_bad_reasons_are_a_danish_400(app, world, db, reason, message):
    response = put(signed_in(app, "hj"), world["citizens"][0].id, reason)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.exec(select(ConferenceItem)).all() == []


def test_twice_on_one_list_is_a_400(app, world):
    c = signed_in(app, "hj")
    put(c, world["citizens"][0].id)
    response = put(c, world["citizens"][0].id, "Igen")
    assert response.status_code == 400 and "står allerede på listen" in response.get_data(
        as_text=True
    )


def test_outside_scope_is_a_404(app, world):
    c = signed_in(app, "hj")
    assert c.get(f"/borgere/{world['outside'].id}/konference").status_code == 404
    assert put(c, world["outside"].id).status_code == 404


def _conference(db) -> Conference:
    db.expire_all()
    return db.exec(select(Conference).order_by(Conference.day)).first()


def test_the_leader_orders_and_moves_the_rest(app, world, db):
    helper = signed_in(app, "hj")
    for citizen in world["citizens"]:
        put(helper, citizen.id)
    conference = _conference(db)
    leader = signed_in(app, "leder")
    page = leader.get(f"/konference/{conference.id}").get_data(as_text=True)
    assert "8 af 6 pladser" in page and "2 for mange" in page
    items = db.exec(select(ConferenceItem).order_by(ConferenceItem.position)).all()
    last = items[-1]
    for _ in range(7):
        leader.post(
            f"/konference/{conference.id}/raekkefoelge",
            data={"csrf_token": csrf_token(leader), "item": last.id, "retning": "op"},
        )
    db.expire_all()
    assert db.get(ConferenceItem, last.id).position == 1
    response = leader.post(
        f"/konference/{conference.id}/flyt-resten", data={"csrf_token": csrf_token(leader)}
    )
    assert response.status_code == 303
    db.expire_all()
    moved = db.exec(select(ConferenceItem).where(ConferenceItem.status == "flyttet")).all()
    assert sorted(m.citizen_id for m in moved) == [world["citizens"][5].id, world["citizens"][6].id]
    page = leader.get(f"/konference/{conference.id}").get_data(as_text=True)
    assert "6 af 6 pladser" in page


def test_leader_actions_are_for_leaders(app, world, db):
    helper = signed_in(app, "hj")
    put(helper, world["citizens"][0].id)
    conference = _conference(db)
    for path in ("flyt-resten", "raekkefoelge", "forslag"):
        response = helper.post(
            f"/konference/{conference.id}/{path}", data={"csrf_token": csrf_token(helper)}
        )
        assert response.status_code == 404


def test_the_leader_accepts_a_suggested_new_red(app, world, db):
    nurse = make_staff(db, {Role.NURSE})
    make_triage_change(
        db, world["citizens"][3], nurse, TriageColour.RED, START - timedelta(hours=2), "Faldet"
    )
    db.commit()
    leader = signed_in(app, "leder")
    page = leader.get("/konference/").headers["Location"]
    text = leader.get(page).get_data(as_text=True)
    assert "Forslag" in text and "Ny rød" in text and "Borger 3" in text
    conference_id = int(re.search(r"/konference/(\d+)", page).group(1))
    response = leader.post(
        f"/konference/{conference_id}/forslag",
        data={
            "csrf_token": csrf_token(leader),
            "citizen_id": world["citizens"][3].id,
            "kind": "ny_roed",
            "text": "Faldet",
            "escalation_id": "",
        },
    )
    assert response.status_code == 303
    item = db.exec(select(ConferenceItem)).one()
    assert item.suggestion == "ny_roed" and item.reason == "Ny rød: Faldet"


def test_a_bad_suggestion_is_a_400(app, world):
    leader = signed_in(app, "leder")
    conference_id = int(
        re.search(r"/konference/(\d+)", leader.get("/konference/").headers["Location"]).group(1)
    )
    response = leader.post(
        f"/konference/{conference_id}/forslag",
        data={"csrf_token": csrf_token(leader), "citizen_id": "x", "kind": "hvad"},
    )
    assert response.status_code == 400


def _meeting(app, world, db):
    helper = signed_in(app, "hj")
    put(helper, world["citizens"][0].id)
    put(helper, world["citizens"][1].id)
    conference = _conference(db)
    leader = signed_in(app, "leder")
    started = leader.post(
        f"/konference/{conference.id}/start", data={"csrf_token": csrf_token(leader)}
    )
    assert started.status_code == 303
    return leader, conference


def test_meeting_mode_shows_the_timer_and_one_citizen(app, world, db, clock):
    make_tobs(db, world["citizens"][0], world["leader"], START - timedelta(hours=3), pulse=118)
    make_observation(
        db, world["citizens"][0], world["leader"], START - timedelta(hours=2), ["mere_traet"]
    )
    db.commit()
    leader, conference = _meeting(app, world, db)
    clock.advance(minutes=5)
    page = leader.get(f"/konference/{conference.id}/moede").get_data(as_text=True)
    assert 'role="timer"' in page and ">25:00<" in page
    assert "Borger 0" in page and "Beslutning" in page and "Forløbsskift" in page
    assert "TOBS 2" in page and "Mere træt eller sløv" in page


def test_a_decision_with_a_follow_up_reaches_the_owner(app, world, db):
    leader, conference = _meeting(app, world, db)
    item = db.exec(select(ConferenceItem).order_by(ConferenceItem.position)).first()
    response = leader.post(
        f"/konference/punkt/{item.id}/beslutning",
        data={
            "csrf_token": csrf_token(leader),
            "decision": "Sygeplejerske vurderer væskeindtag",
            "owner": world["leader"].id,
            "follow_up_on": "2026-11-27",
            "colour": "gul",
        },
    )
    assert response.status_code == 303 and "punkt=" in response.headers["Location"]
    db.expire_all()
    item = db.get(ConferenceItem, item.id)
    assert item.status == "behandlet" and item.follow_up_id and item.colour == "gul"
    mine = leader.get("/opfoelgninger/").get_data(as_text=True)
    assert "Fra konferencen: Sygeplejerske vurderer væskeindtag" in mine


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "", "owner": ""}, "Skriv beslutningen."),
        ({"decision": "X", "owner": ""}, "Vælg hvem der er ansvarlig"),
        ({"decision": "X", "owner": "LEADER", "follow_up_on": "2026-13-45"}, "gyldig dato"),
        ({"decision": "X", "owner": "LEADER", "follow_up_on": "2026-11-01"}, "før i dag"),
        (
            {
                "decision": "X",
                "owner": "LEADER",
                "pathway": "sammensat",
                "pathway_from": "2026-12-01",
            },
            "kræver navnet på den nye forløbsansvarlige",
        ),
    ],
)
def test_incomplete_decisions_are_a_danish_400(app, world, db, data, message):
    leader, conference = _meeting(app, world, db)
    item = db.exec(select(ConferenceItem).order_by(ConferenceItem.position)).first()
    data = {k: (str(world["leader"].id) if v == "LEADER" else v) for k, v in data.items()}
    response = leader.post(
        f"/konference/punkt/{item.id}/beslutning", data={"csrf_token": csrf_token(leader), **data}
    )
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(ConferenceItem, item.id).status == "paa_listen"


def test_a_forloebsskift_passes_the_baton_to_a_named_nurse(app, world, db):
    nurse = make_staff(db, {Role.NURSE}, full_name="Rikke Sygeplejerske")
    make_membership(db, nurse, team=world["team"], kind="basisteam")
    db.commit()
    leader, conference = _meeting(app, world, db)
    item = db.exec(select(ConferenceItem).order_by(ConferenceItem.position)).first()
    response = leader.post(
        f"/konference/punkt/{item.id}/beslutning",
        data={
            "csrf_token": csrf_token(leader),
            "decision": "Skifter til varigt betydeligt forløb",
            "owner": nurse.id,
            "pathway": "varigt_betydelig",
            "pathway_from": "2026-11-22",
            "new_forloebsansvarlig": nurse.id,
        },
    )
    assert response.status_code == 303
    db.expire_all()
    item = db.get(ConferenceItem, item.id)
    citizen = world["citizens"][0]
    db.refresh(citizen)
    assert item.pathway_id is not None and citizen.forloebsansvarlig_id == nurse.id


def _pdf_text(body: bytes, tmp_path) -> str:
    import subprocess

    path = tmp_path / "out.pdf"
    path.write_bytes(body)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_both_pdfs_download_with_the_list_and_the_decisions(app, world, db, tmp_path):
    leader, conference = _meeting(app, world, db)
    item = db.exec(select(ConferenceItem).order_by(ConferenceItem.position)).first()
    leader.post(
        f"/konference/punkt/{item.id}/beslutning",
        data={
            "csrf_token": csrf_token(leader),
            "decision": "Ergoterapeut vurderer hjælpemidler",
            "owner": world["leader"].id,
            "follow_up_on": "2026-11-27",
        },
    )
    listing = leader.get(f"/konference/{conference.id}/konferenceliste.pdf")
    assert listing.status_code == 200 and listing.mimetype == "application/pdf"
    assert (
        'filename="konferenceliste-2026-11-24-team-hasle.pdf"'
        in listing.headers["Content-Disposition"]
    )
    text = _pdf_text(listing.data, tmp_path)
    assert "Borger 0" in text and "Borger 1" in text and "Svær overgang fra hospital" in text
    assert "Fortroligt – indeholder helbredsoplysninger" in text
    minutes = leader.get(f"/konference/{conference.id}/referat.pdf")
    text = _pdf_text(minutes.data, tmp_path)
    assert "Ergoterapeut vurderer hjælpemidler" in text
    # A helper in scope may download the list too; outside scope it is a 404.
    assert (
        signed_in(app, "hj").get(f"/konference/{conference.id}/konferenceliste.pdf").status_code
        == 200
    )


def test_a_leader_sets_the_schedule(app, world, db):
    leader = signed_in(app, "leder")
    team_id = world["team"].id
    form = {
        "csrf_token": csrf_token(leader),
        "weekday": ["0", "3"],
        "start": "13:30",
        "minutes": "45",
        "capacity": "5",
        "cutoff_days_before": "1",
        "cutoff_time": "12:00",
    }
    response = leader.post(f"/konference/plan/{team_id}", data=form)
    assert response.status_code == 303
    page = leader.get(f"/konference/plan/{team_id}").get_data(as_text=True)
    assert "Mandag og torsdag kl. 13.30, 45 min., højst 5" in page
    bad = leader.post(f"/konference/plan/{team_id}", data={**form, "weekday": [], "minutes": "x"})
    assert bad.status_code == 400 and "Vælg mindst én ugedag" in bad.get_data(as_text=True)
    assert signed_in(app, "hj").get(f"/konference/plan/{team_id}").status_code == 404
