"""Opfølgninger through HTTP: the lists, done in one tap, weighing, postponing, booking, and
the follow-ups that triage colours and TOBS create."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
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
from webapp.domain.followups import FollowUpKind, Source, Status
from webapp.domain.roles import Role
from webapp.models import FollowUp, MembershipKind, Pathway, Weighing

TODAY = date(2026, 11, 22)  # START in Copenhagen


def make_follow_up(db, citizen, owner, due: date, kind=FollowUpKind.MANUAL, **extra) -> FollowUp:
    follow_up = FollowUp(
        citizen_id=citizen.id,
        kind=kind.value,
        source=extra.pop("source", Source.MANUAL.value),
        title=extra.pop("title", kind.label),
        due_date=due,
        owner_id=owner.id,
        created_at=START,
        **extra,
    )
    db.add(follow_up)
    db.flush()
    return follow_up


@pytest.fixture
def world(db):
    area = make_area(db)
    team, other = make_team(db, area, "Team A"), make_team(db, area, "Team B")
    kt = make_kontaktteam(db, team, "A1")
    helper = make_staff(db, {Role.HELPER}, "helper", full_name="Hanne Hjælper")
    make_membership(db, helper, team=team, kontaktteam=kt)
    assistant = make_staff(db, {Role.ASSISTANT}, "assistant", full_name="Asta Assistent")
    make_membership(db, assistant, team=team, kontaktteam=kt)
    nurse = make_staff(db, {Role.NURSE}, "nurse", full_name="Rikke Sygeplejerske")
    make_membership(db, nurse, team=team, kind=MembershipKind.BASISTEAM)
    planner = make_staff(db, {Role.PLANNER}, "planner", full_name="Palle Planlægger")
    make_membership(db, planner, team=team)
    outsider = make_staff(db, {Role.HELPER}, "outsider")
    make_membership(db, outsider, team=other)
    citizen = make_citizen(db, team, helper, kontaktteam=kt, full_name="Karen Borger")
    stranger = make_citizen(db, other, outsider, full_name="Anden Borger")
    db.commit()
    return {
        "citizen": citizen,
        "stranger": stranger,
        "helper": helper,
        "assistant": assistant,
        "nurse": nurse,
        "outsider": outsider,
    }


def post(client, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf_token(client), **data})


def test_mine_shows_overdue_today_and_14_days_of_my_own(client, db, world):
    c, helper = world["citizen"], world["helper"]
    make_follow_up(db, c, helper, TODAY - timedelta(days=2), title="Gammel samtale")
    make_follow_up(db, c, helper, TODAY, title="Samtale i dag")
    make_follow_up(db, c, helper, TODAY + timedelta(days=14), title="Om fjorten dage")
    make_follow_up(db, c, helper, TODAY + timedelta(days=15), title="Om femten dage")
    make_follow_up(db, c, world["assistant"], TODAY, title="Astas opgave")
    make_follow_up(db, world["stranger"], helper, TODAY, title="Uden for scope")
    db.commit()
    login(client, "helper", PASSWORD)
    html = client.get("/opfoelgninger/").get_data(as_text=True)
    for title in ("Gammel samtale", "Samtale i dag", "Om fjorten dage"):
        assert title in html
    for title in ("Om femten dage", "Astas opgave", "Uden for scope"):
        assert title not in html
    assert html.index("Overskredet") < html.index("I dag") < html.index("De næste 14 dage")
    team = client.get("/opfoelgninger/team").get_data(as_text=True)
    assert "Astas opgave" in team and "Asta Assistent" in team


def test_done_in_one_tap(client, db, world):
    follow_up = make_follow_up(db, world["citizen"], world["helper"], TODAY)
    db.commit()
    login(client, "helper", PASSWORD)
    response = post(client, f"/opfoelgninger/{follow_up.id}/udfoert", {})
    assert response.status_code == 303 and response.headers["Location"] == "/opfoelgninger/"
    db.expire_all()
    done = db.get(FollowUp, follow_up.id)
    assert done.status == Status.DONE.value and done.done_by_id == world["helper"].id
    again = post(client, f"/opfoelgninger/{follow_up.id}/udfoert", {})
    assert again.status_code == 400 and "allerede afsluttet" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Skriv vægten i kg"),
        ("tung", "Skriv vægten i kg"),
        ("NaN", "Skriv vægten i kg"),
        ("7", "mellem 20 og 300 kg"),
    ],
)
def test_a_weighing_needs_a_plausible_weight(client, db, world, value, message):
    follow_up = make_follow_up(db, world["citizen"], world["helper"], TODAY, FollowUpKind.WEIGHING)
    db.commit()
    login(client, "helper", PASSWORD)
    response = post(client, f"/opfoelgninger/{follow_up.id}/udfoert", {"value": value})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(FollowUp, follow_up.id).status == Status.OPEN.value


def test_a_weighing_stores_the_weight_and_books_next_month(client, db, world):
    c = world["citizen"]
    follow_up = make_follow_up(db, c, world["helper"], TODAY, FollowUpKind.WEIGHING)
    db.commit()
    login(client, "helper", PASSWORD)
    response = post(client, f"/opfoelgninger/{follow_up.id}/udfoert", {"value": "71,4"})
    assert response.status_code == 303
    (weighing,) = db.exec(select(Weighing)).all()
    assert weighing.kg == Decimal("71.4") and weighing.follow_up_id == follow_up.id
    following = db.exec(select(FollowUp).where(FollowUp.status == Status.OPEN.value)).one()
    assert following.kind == "vejning" and following.due_date == date(2026, 12, 22)
    assert following.owner_id == world["helper"].id


def test_m4_done_creates_the_next_talk(client, db, world):
    c = world["citizen"]
    pathway = db.exec(select(Pathway).where(Pathway.citizen_id == c.id)).one()
    follow_up = make_follow_up(
        db, c, world["helper"], TODAY, FollowUpKind.M4, pathway_id=pathway.id
    )
    db.commit()
    login(client, "helper", PASSWORD)
    post(client, f"/opfoelgninger/{follow_up.id}/udfoert", {})
    following = db.exec(select(FollowUp).where(FollowUp.status == Status.OPEN.value)).one()
    assert following.kind == "m4" and following.due_date == date(2027, 11, 22)  # varigt moderat


def test_postpone_keeps_the_old_one_with_its_reason(client, db, world):
    follow_up = make_follow_up(db, world["citizen"], world["helper"], TODAY, title="Samtale")
    db.commit()
    login(client, "helper", PASSWORD)
    url = f"/opfoelgninger/{follow_up.id}/udsaet"
    assert "Udsæt opfølgning" in client.get(url).get_data(as_text=True)
    bad = post(client, url, {"new_date": "2026-11-20", "reason": "Syg"})
    assert bad.status_code == 400 and "efter den gamle" in bad.get_data(as_text=True)
    assert post(client, url, {"new_date": "nej", "reason": "Syg"}).status_code == 400
    assert post(client, url, {"new_date": "2026-11-25", "reason": ""}).status_code == 400
    ok = post(client, url, {"new_date": "2026-11-25", "reason": "Borger på sygehus"})
    assert ok.status_code == 303
    db.expire_all()
    old, new = db.exec(select(FollowUp).order_by(FollowUp.id)).all()
    assert old.status == "aflyst" and old.cancel_reason == "Udsat: Borger på sygehus"
    assert new.replaces_id == old.id and new.due_date == date(2026, 11, 25)


def test_booking_is_for_planners(client, db, world):
    follow_up = make_follow_up(
        db, world["citizen"], world["helper"], TODAY + timedelta(days=20), FollowUpKind.M2
    )
    db.commit()
    login(client, "helper", PASSWORD)
    assert client.get("/opfoelgninger/booking").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login(client, "planner", PASSWORD)
    page = client.get("/opfoelgninger/booking").get_data(as_text=True)
    assert "Møder at booke" in page and "Karen Borger" in page
    url = f"/opfoelgninger/{follow_up.id}/booking"
    assert post(client, url, {"booked_date": "2026-12-01", "booked_time": ""}).status_code == 400
    ok = post(client, url, {"booked_date": "2026-12-01", "booked_time": "10:30"})
    assert ok.status_code == 303
    db.expire_all()
    assert db.get(FollowUp, follow_up.id).booked_at is not None
    assert "booket 01.12.2026 kl. 10.30" in client.get("/opfoelgninger/booking").get_data(
        as_text=True
    )


def test_out_of_scope_follow_up_is_404(client, db, world):
    follow_up = make_follow_up(db, world["stranger"], world["outsider"], TODAY)
    db.commit()
    login(client, "helper", PASSWORD)
    assert post(client, f"/opfoelgninger/{follow_up.id}/udfoert", {}).status_code == 404
    assert client.get(f"/opfoelgninger/{follow_up.id}/udsaet").status_code == 404


def test_mine_borgere_shows_the_next_follow_up_and_overdue_mark(client, db, world):
    c, helper = world["citizen"], world["helper"]
    make_follow_up(db, c, helper, TODAY - timedelta(days=1), title="Glemt samtale")
    make_follow_up(db, c, helper, TODAY + timedelta(days=3), title="Senere samtale")
    db.commit()
    login(client, "helper", PASSWORD)
    html = client.get("/").get_data(as_text=True)
    assert "1 overskredet" in html and "Næste: Glemt samtale, 21.11." in html


# --- Where follow-ups come from -----------------------------------------------------------------


def test_a_new_gul_creates_sparring_within_48_hours(client, db, world):
    login(client, "assistant", PASSWORD)
    post(client, f"/borgere/{world['citizen'].id}/triagefarve", {"farve": "gul", "reason": "Træt"})
    (follow_up,) = db.exec(select(FollowUp)).all()
    assert follow_up.kind == FollowUpKind.TRIAGE_SPARRING.value
    assert follow_up.source == "triage" and follow_up.owner_id == world["assistant"].id
    assert follow_up.due_date == date(2026, 11, 24)


def test_a_new_rod_creates_a_nurse_assessment_within_24_hours(client, db, world):
    login(client, "assistant", PASSWORD)
    post(
        client, f"/borgere/{world['citizen'].id}/triagefarve", {"farve": "roed", "reason": "Faldet"}
    )
    (follow_up,) = db.exec(select(FollowUp)).all()
    assert follow_up.kind == FollowUpKind.TRIAGE_NURSE.value
    assert follow_up.owner_id == world["nurse"].id  # the basisteam's nurse, by name
    assert follow_up.due_date == date(2026, 11, 23)


def test_a_suggestion_creates_nothing(client, db, world):
    login(client, "helper", PASSWORD)
    post(client, f"/borgere/{world['citizen'].id}/triagefarve", {"farve": "roed", "reason": "x"})
    assert db.exec(select(FollowUp)).all() == []


def test_tobs_score_1_asks_for_three_repeats_and_each_tobs_does_one(client, db, world):
    c = world["citizen"]
    login(client, "helper", PASSWORD)
    score_one = {
        "puls": "95",  # 1 point
        "respiration": "16",
        "temperatur": "37,0",
        "maalemetode": "rektal",
        "systolisk": "120",
        "bevidsthed": "habituel",
    }
    post(client, f"/borgere/{c.id}/tobs", score_one)
    repeats = db.exec(select(FollowUp).order_by(FollowUp.due_at)).all()
    assert [f.kind for f in repeats] == ["tobs_gentag"] * 3
    assert all(f.owner_id == world["helper"].id for f in repeats)
    post(client, f"/borgere/{c.id}/tobs", score_one)
    db.expire_all()
    statuses = [f.status for f in db.exec(select(FollowUp).order_by(FollowUp.due_at)).all()]
    assert statuses == ["udfoert", "aaben", "aaben"]
