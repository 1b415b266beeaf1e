"""Kontakt sygeplejerske through the app: send in two taps, the inbox, one-tap answers,
the closed loop, re-routing on a missed deadline, the race, access through the escalation."""

import re
import threading
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from tests.conftest import START, csrf_token, login
from tests.factories import (
    PASSWORD,
    make_area,
    make_citizen,
    make_health_unit,
    make_kontaktteam,
    make_membership,
    make_staff,
    make_team,
)
from tests.factories_obs import make_observation, make_tobs
from webapp.db import make_engine
from webapp.domain.followups import FollowUpKind, Source
from webapp.domain.roles import Role
from webapp.models import (
    AccessLog,
    AccessLogCitizen,
    DutyShift,
    Escalation,
    EscalationRoute,
    FollowUp,
    MembershipKind,
)

SUNDAY = date(2026, 11, 22)  # START is Sunday 10:00 local: the day shift


@dataclass
class World:
    team: object
    helper: object
    nurse_a: object
    nurse_b: object
    akut: object
    leader: object
    citizen: object
    other_citizen: object
    unit: object


@pytest.fixture
def world(db: Session) -> World:
    area = make_area(db)
    unit = make_health_unit(db, area)
    team = make_team(db, area)
    other_team = make_team(db, area)
    kt = make_kontaktteam(db, team)
    helper = make_staff(db, {Role.HELPER}, username="hj", full_name="Hanne Hjælper")
    make_membership(db, helper, team=team, kontaktteam=kt)
    nurse_a = make_staff(db, {Role.NURSE}, username="spa", full_name="Anna Andersen")
    nurse_b = make_staff(db, {Role.NURSE}, username="spb", full_name="Birgit Berg")
    for nurse in (nurse_a, nurse_b):
        make_membership(db, nurse, health_unit=unit)
        make_membership(db, nurse, team=team, kind=MembershipKind.BASISTEAM)
    akut = make_staff(db, {Role.NURSE}, username="akut", full_name="Akutteam (vagttelefon)")
    make_membership(db, akut, health_unit=unit)
    unit.fallback_staff_id = akut.id
    db.add(unit)
    leader = make_staff(db, {Role.LEADER}, username="leder")
    make_membership(db, leader, team=team)
    citizen = make_citizen(db, team, helper, kontaktteam=kt, full_name="Karen Borger")
    other_helper = make_staff(db, {Role.HELPER})
    make_membership(db, other_helper, team=other_team)
    other_citizen = make_citizen(db, other_team, other_helper, full_name="Anden Borger")
    db.add(DutyShift(team_id=team.id, day=SUNDAY, shift="dag", staff_id=nurse_a.id))
    db.add(DutyShift(team_id=team.id, day=SUNDAY, shift="dag", staff_id=nurse_b.id))
    db.commit()
    return World(team, helper, nurse_a, nurse_b, akut, leader, citizen, other_citizen, unit)


def _key(page: str) -> str:
    return re.search(r'name="client_key" value="([^"]+)"', page).group(1)


def send(client, citizen_id: int, hast: str = "haster", note: str = "", **extra):
    page = client.get(f"/borgere/{citizen_id}/kontakt").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(client),
        "client_key": _key(page),
        "hast": hast,
        "note": note,
        **extra,
    }
    return client.post(f"/borgere/{citizen_id}/kontakt", data=data)


def answer(client, escalation_id: int, kind: str, value: str = "", note: str = ""):
    data = {"csrf_token": csrf_token(client), "kind": kind, "value": value, "note": note}
    return client.post(f"/henvendelser/{escalation_id}/svar", data=data)


def signed_in(app, username: str):
    c = app.test_client()
    assert login(c, username, PASSWORD).status_code == 302
    return c


def only(db: Session) -> Escalation:
    db.expire_all()
    return db.exec(select(Escalation)).one()


def test_the_form_names_the_recipient_with_a_phone_before_sending(app, world):
    c = signed_in(app, "hj")
    page = c.get(f"/borgere/{world.citizen.id}/kontakt").get_data(as_text=True)
    assert "Sendes til" in page and "Anna Andersen" in page
    assert f'href="tel:{world.nurse_a.phone.replace(" ", "")}"' in page
    assert "Send til Anna Andersen" in page
    assert "går den videre til Birgit Berg" in page
    for heading in ("Identifikation", "Situation", "Baggrund", "Analyse", "Rekommandation"):
        assert heading in page
    assert "Karen Borger" in page and "Ved livstruende tilstand: ring 112" in page


def test_two_taps_from_the_card_send_it_prefilled(app, world, db):
    c = signed_in(app, "hj")
    cards = c.get("/").get_data(as_text=True)
    assert f'href="/borgere/{world.citizen.id}/kontakt"' in cards  # tap 1
    response = send(c, world.citizen.id, hast="i_dag")  # tap 2: the pre-fill as it is
    assert response.status_code == 303
    e = only(db)
    assert e.recipient_id == world.nurse_a.id and e.rule == "vagt"
    assert e.priority == "i_dag" and e.status == "sendt"
    assert "Karen Borger" in e.isbar_i and "Hanne Hjælper" in e.isbar_i
    assert e.deadline_at.replace(tzinfo=None) == (START + timedelta(hours=4)).replace(tzinfo=None)
    routes = db.exec(select(EscalationRoute)).all()
    assert [(r.recipient_id, r.reason) for r in routes] == [(world.nurse_a.id, "sendt")]
    status = c.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sendt, ikke set" in status and "Anna Andersen" in status


def test_a_double_tap_stores_one_request(app, world, db):
    c = signed_in(app, "hj")
    page = c.get(f"/borgere/{world.citizen.id}/kontakt").get_data(as_text=True)
    data = {"csrf_token": csrf_token(c), "client_key": _key(page), "hast": "haster", "note": ""}
    first = c.post(f"/borgere/{world.citizen.id}/kontakt", data=data)
    second = c.post(f"/borgere/{world.citizen.id}/kontakt", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert db.exec(select(func.count()).select_from(Escalation)).one() == 1


def test_tobs_guidance_sets_the_hast(app, world, db):
    make_tobs(db, world.citizen, world.helper, START - timedelta(minutes=5), pulse=135)
    db.commit()
    c = signed_in(app, "hj")
    page = c.get(f"/borgere/{world.citizen.id}/kontakt").get_data(as_text=True)
    assert re.search(r'value="haster" checked', page)
    assert "TOBS" in page and "puls" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"hast": "snart"}, "Vælg hvor hurtigt"),
        ({"hast": ""}, "Vælg hvor hurtigt"),
        ({"hast": "haster", "note": "x" * 281}, "højst 280 tegn"),
    ],
)
def test_bad_input_is_a_danish_400_and_nothing_is_sent(app, world, db, data, message):
    c = signed_in(app, "hj")
    response = c.post(
        f"/borgere/{world.citizen.id}/kontakt",
        data={"csrf_token": csrf_token(c), "client_key": "k", "note": "", **data},
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.exec(select(func.count()).select_from(Escalation)).one() == 0


def test_only_citizens_in_the_senders_scope(app, world):
    c = signed_in(app, "hj")
    assert c.get(f"/borgere/{world.other_citizen.id}/kontakt").status_code == 404
    response = c.post(
        f"/borgere/{world.other_citizen.id}/kontakt",
        data={"csrf_token": csrf_token(c), "hast": "haster"},
    )
    assert response.status_code == 404


def test_nobody_to_send_to_is_a_409_that_says_what_to_do(app, world, db):
    for row in db.exec(select(DutyShift)).all():
        db.delete(row)
    world.unit.fallback_staff_id = None
    db.add(world.unit)
    for m in db.exec(select(func.count()).select_from(DutyShift)).all():
        assert m == 0
    from webapp.models import Membership

    for m in db.exec(select(Membership).where(Membership.kind == "basisteam")).all():
        m.valid_to = date(2026, 1, 1)
        db.add(m)
    db.commit()
    c = signed_in(app, "hj")
    page = c.get(f"/borgere/{world.citizen.id}/kontakt").get_data(as_text=True)
    assert "Ingen at sende til" in page
    response = send(c, world.citizen.id)
    assert response.status_code == 409
    assert "ring 112" in response.get_data(as_text=True)


def test_the_inbox_count_and_seen_and_one_tap_answer_close_the_loop(app, world, db, clock):
    helper = signed_in(app, "hj")
    location = send(helper, world.citizen.id, note="Hun er mere forvirret").headers["Location"]
    e = only(db)
    nurse = signed_in(app, "spa")
    count = nurse.get("/henvendelser/antal", headers={"HX-Request": "true"})
    assert '<span class="count-badge">1</span>' in count.get_data(as_text=True)
    inbox = nurse.get("/henvendelser/?vis=til-mig").get_data(as_text=True)
    assert "Karen Borger" in inbox and "Haster" in inbox
    clock.advance(minutes=3)
    page = nurse.get(location).get_data(as_text=True)
    assert "Hun er mere forvirret" in page and "Svar med ét tryk" in page
    assert only(db).status == "set"
    clock.advance(minutes=2)
    response = answer(nurse, e.id, "kommer", "30")
    assert response.status_code == 303
    e = only(db)
    assert e.status == "besvaret" and e.answered_by_id == world.nurse_a.id
    assert e.answer_text == "Set – jeg kommer kl. 10.35"
    # The sender sees the answer, on the card and in Mine henvendelser, and closes.
    assert "Svar fra sygeplejerske" in helper.get("/").get_data(as_text=True)
    mine = helper.get("/henvendelser/?vis=sendt").get_data(as_text=True)
    assert "Set – jeg kommer kl. 10.35" in mine
    assert '<span class="count-badge">1</span>' in helper.get(
        "/henvendelser/antal", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    closed = helper.post(
        f"/henvendelser/{e.id}/luk", data={"csrf_token": csrf_token(helper), "reply": "Tak"}
    )
    assert closed.status_code == 303
    e = only(db)
    assert e.status == "lukket" and e.reply == "Tak" and e.closed_at is not None
    assert "count-badge" not in helper.get(
        "/henvendelser/antal", headers={"HX-Request": "true"}
    ).get_data(as_text=True)


def test_tobs_again_creates_a_follow_up_for_the_sender(app, world, db):
    helper = signed_in(app, "hj")
    send(helper, world.citizen.id)
    e = only(db)
    nurse = signed_in(app, "spa")
    assert answer(nurse, e.id, "tobs_igen", "2").status_code == 303
    e = only(db)
    assert e.answer_text == "Mål TOBS igen om 2 timer"
    follow_up = db.get(FollowUp, e.follow_up_id)
    assert follow_up.owner_id == world.helper.id
    assert follow_up.kind == FollowUpKind.TOBS_REPEAT.value
    assert follow_up.source == Source.ESCALATION.value
    assert follow_up.due_at.replace(tzinfo=None) == (START + timedelta(hours=2)).replace(
        tzinfo=None
    )
    assert "Mål TOBS igen" in helper.get("/opfoelgninger/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("kind", "value", "note", "message"),
    [
        ("", "", "", "Vælg et svar"),
        ("kommer", "25:99", "", "tt:mm"),
        ("kommer", "9999", "", "inden for de næste 12 timer"),
        ("tobs_igen", "0", "", "1–24"),
        ("tobs_igen", "abc", "", "1–24"),
        ("note", "", "   ", "Skriv en kort besked"),
        ("note", "", "x" * 281, "højst 280 tegn"),
    ],
)
def test_bad_answers_are_a_danish_400(app, world, db, kind, value, note, message):
    send(signed_in(app, "hj"), world.citizen.id)
    e = only(db)
    response = answer(signed_in(app, "spa"), e.id, kind, value, note)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert only(db).status in ("sendt", "set")


def test_someone_it_never_went_to_cannot_answer(app, world, db):
    send(signed_in(app, "hj"), world.citizen.id)
    e = only(db)
    assert answer(signed_in(app, "spb"), e.id, "ring").status_code in (403, 404)
    assert only(db).status == "sendt"


def test_a_missed_deadline_moves_it_to_the_next_in_line_and_both_see_it(app, world, db, clock):
    send(signed_in(app, "hj"), world.citizen.id, hast="haster")
    e = only(db)
    nurse_a, nurse_b = signed_in(app, "spa"), signed_in(app, "spb")
    clock.advance(minutes=29)
    nurse_b.get("/henvendelser/antal")
    assert only(db).recipient_id == world.nurse_a.id
    clock.advance(minutes=1)
    count = nurse_b.get("/henvendelser/antal", headers={"HX-Request": "true"})
    assert '<span class="count-badge">1</span>' in count.get_data(as_text=True)
    e = only(db)
    assert e.recipient_id == world.nurse_b.id and e.moves == 1 and e.overdue_since is not None
    assert e.deadline_at.replace(tzinfo=None) == (START + timedelta(minutes=60)).replace(
        tzinfo=None
    )
    moved = nurse_a.get("/henvendelser/?vis=til-mig").get_data(as_text=True)
    assert "Flyttet til Birgit Berg" in moved
    status = nurse_b.get(f"/henvendelser/{e.id}").get_data(as_text=True)
    assert "flyttet til" in status and "Anna Andersen" in status
    # On the leader's overdue list.
    leader = signed_in(app, "leder")
    overdue = leader.get("/henvendelser/forsinkede").get_data(as_text=True)
    assert "Karen Borger" in overdue
    # Next miss: the akutteam; after that nobody is left and it stays, still overdue.
    clock.advance(minutes=30)
    nurse_b.get("/henvendelser/antal")
    assert only(db).recipient_id == world.akut.id
    clock.advance(minutes=30)
    nurse_b.get("/henvendelser/antal")
    e = only(db)
    assert e.recipient_id == world.akut.id and e.moves == 2
    leader = signed_in(app, "leder")  # the first session idled out meanwhile
    assert "Karen Borger" in leader.get("/henvendelser/forsinkede").get_data(as_text=True)


def test_the_first_answer_wins_and_the_second_sees_who_answered(app, world, db, clock):
    send(signed_in(app, "hj"), world.citizen.id, hast="haster")
    e = only(db)
    clock.advance(minutes=31)
    nurse_a, nurse_b = signed_in(app, "spa"), signed_in(app, "spb")
    nurse_b.get("/henvendelser/antal")  # moves it to nurse B; A may still answer
    assert answer(nurse_b, e.id, "laege").status_code == 303
    late = answer(nurse_a, e.id, "ring")
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "Birgit Berg svarede først" in page and "Jeg kontakter lægen" in page
    e = only(db)
    assert e.answered_by_id == world.nurse_b.id and e.answer_kind == "laege"


def test_two_answers_at_the_same_moment_store_one(app, world, db, clock):
    """Two threads, two connections, one request each: exactly one answer wins."""
    send(signed_in(app, "hj"), world.citizen.id, hast="haster")
    e = only(db)
    clock.advance(minutes=31)
    nurse_a, nurse_b = signed_in(app, "spa"), signed_in(app, "spb")
    nurse_b.get("/henvendelser/antal")
    tokens = {id(c): csrf_token(c) for c in (nurse_a, nurse_b)}
    barrier = threading.Barrier(2)
    codes = []

    def go(c, kind):
        barrier.wait()
        data = {"csrf_token": tokens[id(c)], "kind": kind, "value": "", "note": ""}
        codes.append(c.post(f"/henvendelser/{e.id}/svar", data=data).status_code)

    threads = [threading.Thread(target=go, args=a) for a in ((nurse_a, "ring"), (nurse_b, "laege"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [303, 409]
    engine = make_engine(app.config["DATABASE_URL"])
    with Session(engine) as fresh:
        stored = fresh.get(Escalation, e.id)
        assert stored.status == "besvaret" and stored.answer_kind in ("ring", "laege")
    engine.dispose()


def test_the_recipient_reads_the_citizen_through_the_escalation_and_it_is_logged(app, world, db):
    # The akutteam is outside the team: it reads the citizen only through the request.
    for row in db.exec(select(DutyShift)).all():
        db.delete(row)
    db.commit()
    akut = signed_in(app, "akut")
    assert akut.get(f"/borgere/{world.citizen.id}").status_code == 404
    send(signed_in(app, "hj"), world.citizen.id)
    e = only(db)
    assert e.recipient_id == world.akut.id and e.rule == "akutteam"
    assert akut.get(f"/henvendelser/{e.id}").status_code == 200
    page = akut.get(f"/borgere/{world.citizen.id}")
    assert page.status_code == 200
    assert "gennem en henvendelse" in page.get_data(as_text=True) or "henvendelse om borgeren" in (
        page.get_data(as_text=True)
    )
    actions = db.exec(
        select(AccessLog.action)
        .join(AccessLogCitizen, AccessLogCitizen.access_log_id == AccessLog.id)
        .where(AccessLog.staff_id == world.akut.id, AccessLogCitizen.citizen_id == world.citizen.id)
    ).all()
    assert "henvendelse_via" in actions and "borger_via_henvendelse" in actions
    # Someone it never went to still gets a 404.
    assert signed_in(app, "spa").get(f"/henvendelser/{e.id}").status_code in (200, 404)
    assert akut.get(f"/borgere/{world.other_citizen.id}").status_code == 404


POLL = {"HX-Request": "true", "HX-Current-URL": "http://localhost/henvendelser/"}


def _version(page: str, path: str) -> str:
    return re.search(re.escape(path) + r"[^\"]*v=([0-9a-f]+)", page).group(1)


def test_polling_gets_an_empty_204_while_nothing_changed(app, world, db):
    nurse = signed_in(app, "spa")
    first = nurse.get("/henvendelser/antal?v=", headers=POLL)
    assert first.status_code == 200
    version = _version(first.get_data(as_text=True), "/henvendelser/antal")
    again = nurse.get(f"/henvendelser/antal?v={version}", headers=POLL)
    assert again.status_code == 204 and again.get_data() == b""
    assert "Set-Cookie" not in again.headers  # a poll does not re-send the session
    assert again.headers["Cache-Control"] == "no-store"
    send(signed_in(app, "hj"), world.citizen.id)
    changed = nurse.get(f"/henvendelser/antal?v={version}", headers=POLL)
    assert changed.status_code == 200 and "count-badge" in changed.get_data(as_text=True)


def test_the_inbox_list_polls_with_the_version_of_the_full_page(app, world, db):
    nurse = signed_in(app, "spa")
    page = nurse.get("/henvendelser/?vis=til-mig").get_data(as_text=True)
    version = _version(page, "/henvendelser/?vis=til-mig")
    poll = nurse.get(f"/henvendelser/?vis=til-mig&v={version}", headers=POLL)
    assert poll.status_code == 204  # the first poll after loading the page is already free
    send(signed_in(app, "hj"), world.citizen.id)
    poll = nurse.get(f"/henvendelser/?vis=til-mig&v={version}", headers=POLL)
    assert poll.status_code == 200 and "Karen Borger" in poll.get_data(as_text=True)


def test_polls_do_not_keep_a_shared_phone_signed_in(app, world, clock):
    nurse = signed_in(app, "spa")
    for _ in range(4):  # 40 minutes of nothing but the badge polling
        clock.advance(minutes=10)
        nurse.get("/henvendelser/antal?v=x", headers=POLL)
    response = nurse.get("/henvendelser/antal?v=x", headers=POLL)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/login?next=/henvendelser/")
    assert nurse.get("/").status_code == 302  # signed out


def test_an_expired_session_sends_a_poll_to_the_sign_in_page(app, world):
    anonymous = app.test_client()
    response = anonymous.get("/henvendelser/antal?v=x", headers=POLL)
    assert response.status_code == 204 and response.headers["HX-Redirect"].startswith("/login")
    assert anonymous.get("/henvendelser/").status_code == 302  # a normal request: a redirect


def test_the_count_and_the_inbox_render_as_full_pages(app, world):
    nurse = signed_in(app, "spa")
    for url in ("/henvendelser/antal", "/henvendelser/", "/henvendelser/?vis=sendt"):
        page = nurse.get(url).get_data(as_text=True)
        assert "<html" in page and "Henvendelser" in page


def test_the_overdue_list_is_for_leaders_only(app, world):
    assert signed_in(app, "hj").get("/henvendelser/forsinkede").status_code == 404
    assert signed_in(app, "leder").get("/henvendelser/forsinkede").status_code == 200


def test_an_observation_shows_in_the_situation(app, world, db):
    make_observation(
        db, world.citizen, world.helper, START - timedelta(hours=2), ["mere_traet"], note="Faldet"
    )
    db.commit()
    page = signed_in(app, "hj").get(f"/borgere/{world.citizen.id}/kontakt").get_data(as_text=True)
    assert "Faldet" in page and "Mere træt eller sløv" in page


def test_the_timer_command_moves_overdue_escalations(app, world, db, clock):
    send(signed_in(app, "hj"), world.citizen.id, hast="haster")
    clock.advance(minutes=31)
    result = app.test_cli_runner().invoke(args=["reroute-escalations"])
    assert result.exit_code == 0 and "Flyttet til den næste i rækken: 1." in result.output
    assert only(db).recipient_id == world.nurse_b.id
    result = app.test_cli_runner().invoke(args=["reroute-escalations"])
    assert "Flyttet til den næste i rækken: 0." in result.output


def test_a_tobs_that_calls_for_escalation_offers_it_with_its_hast(app, world, db):
    tobs = make_tobs(db, world.citizen, world.helper, START, pulse=135)
    db.commit()
    page = signed_in(app, "hj").get(f"/borgere/{world.citizen.id}/tobs/{tobs.id}")
    text = page.get_data(as_text=True)
    assert f"/borgere/{world.citizen.id}/kontakt?hast=haster" in text
    assert "Kontakt sygeplejerske (haster)" in text


def test_the_card_and_the_citizen_page_show_the_open_request(app, world, db):
    helper = signed_in(app, "hj")
    send(helper, world.citizen.id)
    assert "Sendt til Anna Andersen, ikke set endnu" in helper.get("/").get_data(as_text=True)
    page = helper.get(f"/borgere/{world.citizen.id}").get_data(as_text=True)
    assert "Henvendelser til sygeplejerske" in page and "Til Anna Andersen" in page
