# ruff: noqa: F811  (the `world` fixture is shared with test_escalations)
"""Working without coverage, the server half: the phone's copy (/offline/data) and storing
queued items exactly once (/offline/sync), with Danish refusals that tell the person what to do."""

import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from tests.conftest import START, csrf_token
from tests.factories import make_citizen
from tests.factories_obs import item_ids, make_tobs
from tests.integration.test_escalations import signed_in, world  # noqa: F401 (fixture)
from webapp.models import (
    AccessLog,
    AccessLogCitizen,
    Escalation,
    Kontaktteam,
    Observation,
    TobsMeasurement,
)

LOCAL_OFFSET = "+01:00"


def item(kind: str, citizen_id: int, fields: dict, at=None, client_id=None) -> dict:
    made = (at or START - timedelta(minutes=20)).isoformat()
    return {
        "id": client_id or str(uuid.uuid4()),
        "kind": kind,
        "citizen_id": citizen_id,
        "at": made,
        "fields": fields,
    }


def post(client, payload, token: str | None = None):
    headers = {"X-CSRFToken": token if token is not None else csrf_token(client)}
    return client.post("/offline/sync", json=payload, headers=headers)


def count(db: Session, model) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(model)).one()


TOBS_FIELDS = {
    "puls": "112",
    "respiration": "22",
    "temperatur": "38,4",
    "maalemetode": "rektal",
    "systolisk": "105",
    "bevidsthed": "habituel",
}


# --- Exactly once ---------------------------------------------------------------------------


def test_an_observation_is_stored_once_however_often_it_is_sent(app, world, db):
    c = signed_in(app, "hj")
    ids = item_ids(db, ["spiser_mindre"])
    payload = item("observation", world.citizen.id, {"punkt": [str(ids[0])], "note": "Hoster"})
    first = post(c, payload)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["status"] == "stored"
    for _ in range(3):
        again = post(c, payload)
        assert again.status_code == 200
        assert again.get_json()["status"] == "duplicate"
        assert again.get_json()["url"] == first.get_json()["url"]
    assert count(db, Observation) == 1
    stored = db.exec(select(Observation)).one()
    assert stored.client_id == payload["id"] and stored.note == "Hoster"
    # The phone's time, not the time it arrived.
    assert stored.at.replace(tzinfo=None) == (START - timedelta(minutes=20)).replace(tzinfo=None)


def test_a_tobs_is_scored_by_the_server_and_stored_once(app, world, db):
    c = signed_in(app, "hj")
    payload = item("tobs", world.citizen.id, TOBS_FIELDS)
    first = post(c, payload)
    assert first.status_code == 201
    body = first.get_json()
    assert body["summary"] == "TOBS 5 er gemt."
    assert body["url"].startswith(f"/borgere/{world.citizen.id}/tobs/")
    assert post(c, payload).status_code == 200
    measurement = db.exec(select(TobsMeasurement)).one()
    assert (measurement.total, measurement.complete, measurement.client_id) == (
        5,
        True,
        payload["id"],
    )


def test_the_id_is_the_same_however_the_phone_writes_it(app, world, db):
    c = signed_in(app, "hj")
    payload = item("tobs", world.citizen.id, TOBS_FIELDS)
    assert post(c, payload).status_code == 201
    shouting = {**payload, "id": payload["id"].upper().replace("-", "")}
    assert post(c, shouting).status_code == 200
    assert count(db, TobsMeasurement) == 1


@pytest.mark.parametrize("kind", ["observation", "tobs", "kontakt"])
def test_two_replays_at_the_same_moment_store_one_row(app, world, db, kind):
    """Two connections, two threads: the unique index settles it and the loser answers
    "already here" (200), not a 500."""
    fields = {
        "observation": {"ingen_aendringer": "1"},
        "tobs": TOBS_FIELDS,
        "kontakt": {"hast": "haster", "note": ""},
    }[kind]
    payload = item(kind, world.citizen.id, fields)
    clients = [signed_in(app, "hj") for _ in range(4)]
    tokens = [csrf_token(c) for c in clients]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def run(c, token):
        barrier.wait()
        statuses.append(post(c, payload, token).status_code)

    pairs = zip(clients, tokens, strict=True)
    threads = [threading.Thread(target=run, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 200, 200, 201]
    model = {"observation": Observation, "tobs": TobsMeasurement, "kontakt": Escalation}[kind]
    assert count(db, model) == 1


def test_a_request_to_a_nurse_that_waited_says_so_and_is_sent_once(app, world, db):
    c = signed_in(app, "hj")
    payload = item("kontakt", world.citizen.id, {"hast": "haster", "note": "Ring tilbage"})
    response = post(c, payload)
    assert response.status_code == 201
    assert response.get_json()["summary"] == "Henvendelsen er sendt."
    assert post(c, payload).status_code == 200
    escalation = db.exec(select(Escalation)).one()
    assert escalation.client_key == payload["id"]
    assert escalation.recipient_id == world.nurse_a.id
    assert escalation.note == "Ring tilbage"
    # Sent now (the nurse's deadline starts when it arrives), written 20 minutes ago.
    assert escalation.sent_at.replace(tzinfo=None) == START.replace(tzinfo=None)
    assert "Skrevet uden forbindelse kl. 09.40 og sendt kl. 10.00" in escalation.isbar_s


def test_a_request_sent_at_once_has_no_waiting_note(app, world, db):
    c = signed_in(app, "hj")
    payload = item("kontakt", world.citizen.id, {"hast": "i_dag"}, at=START)
    assert post(c, payload).status_code == 201
    assert "uden forbindelse" not in db.exec(select(Escalation)).one().isbar_s


def test_a_phone_clock_running_ahead_gets_the_server_time(app, world, db):
    c = signed_in(app, "hj")
    payload = item("observation", world.citizen.id, {"ingen_aendringer": "1"})
    payload["at"] = (START + timedelta(hours=3)).isoformat()
    assert post(c, payload).status_code == 201
    stored = db.exec(select(Observation)).one()
    assert stored.at.replace(tzinfo=None) == START.replace(tzinfo=None)


# --- Refused, with what to do ---------------------------------------------------------------


def test_a_citizen_out_of_scope_is_refused_with_what_to_do(app, world, db):
    c = signed_in(app, "hj")
    response = post(c, item("tobs", world.other_citizen.id, TOBS_FIELDS))
    assert response.status_code == 404
    body = response.get_json()
    assert body["status"] == "refused"
    assert "ikke længere blandt dine borgere" in body["message"]
    assert "slet det her" in body["message"]
    assert count(db, TobsMeasurement) == 0


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("observation", {}, "Vælg mindst én ting"),
        ("observation", {"punkt": ["999999"]}, "findes ikke længere"),
        ("observation", {"ingen_aendringer": "1", "note": "x" * 281}, "højst være 280"),
        ("tobs", {"puls": "400"}, "Puls skal være et helt tal"),
        ("tobs", {"temperatur": "38"}, "Vælg målemetode"),
        ("tobs", {"iltmaetning": "95"}, "ingen målinger"),
        ("kontakt", {"hast": "straks"}, "Vælg hvor meget det haster"),
        ("kontakt", {"hast": "haster", "note": "x" * 400}, "280"),
    ],
)
def test_what_can_never_be_stored_is_refused_in_danish(app, world, db, kind, fields, message):
    c = signed_in(app, "hj")
    response = post(c, item(kind, world.citizen.id, fields))
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["status"] == "refused" and message in body["message"]
    assert count(db, Observation) + count(db, TobsMeasurement) + count(db, Escalation) == 0


def test_a_tobs_for_a_citizen_without_tobs_is_refused(app, world, db):
    world.citizen.tobs_applies = False
    world.citizen.tobs_exemption_reason = "Palliativ"
    db.add(world.citizen)
    db.commit()
    c = signed_in(app, "hj")
    response = post(c, item("tobs", world.citizen.id, TOBS_FIELDS))
    assert response.status_code == 409
    assert "TOBS bruges ikke længere" in response.get_json()["message"]


def test_an_item_older_than_30_days_is_refused(app, world, db):
    c = signed_in(app, "hj")
    old = item("observation", world.citizen.id, {"ingen_aendringer": "1"})
    old["at"] = (START - timedelta(days=31)).isoformat()
    response = post(c, old)
    assert response.status_code == 422
    assert "mere end 30 dage" in response.get_json()["message"]


def test_someone_elses_id_is_refused(app, world, db):
    payload = item("observation", world.citizen.id, {"ingen_aendringer": "1"})
    assert post(signed_in(app, "hj"), payload).status_code == 201
    # The leader has the citizen in scope too, but did not make this.
    response = post(signed_in(app, "leder"), payload)
    assert response.status_code == 409
    assert "anden bruger" in response.get_json()["message"]


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        "tekst",
        {},
        {"id": "abc", "kind": "tobs", "citizen_id": 1, "at": "2026-11-22T10:00:00+01:00"},
        {"id": str(uuid.uuid4()), "kind": "bad", "citizen_id": 1, "at": "2026-11-22T10:00+01:00"},
        {"id": str(uuid.uuid4()), "kind": "tobs", "citizen_id": "1", "at": "2026-11-22T10:00Z"},
        {"id": str(uuid.uuid4()), "kind": "tobs", "citizen_id": True, "at": "2026-11-22T10:00Z"},
        {"id": str(uuid.uuid4()), "kind": "tobs", "citizen_id": 2**40, "at": "2026-11-22T10:00Z"},
        {"id": str(uuid.uuid4()), "kind": "tobs", "citizen_id": 1, "at": "i går"},
        {"id": str(uuid.uuid4()), "kind": "tobs", "citizen_id": 1, "at": "2026-11-22T10:00"},
        {"id": str(uuid.uuid4()), "kind": "tobs", "citizen_id": 1, "at": 5},
        {
            "id": str(uuid.uuid4()),
            "kind": "tobs",
            "citizen_id": 1,
            "at": "2026-11-22T10:00Z",
            "fields": {"puls": {"a": 1}},
        },
        {
            "id": str(uuid.uuid4()),
            "kind": "tobs",
            "citizen_id": 1,
            "at": "2026-11-22T10:00Z",
            "fields": ["puls"],
        },
    ],
)
def test_garbage_is_a_400_in_danish_never_a_500(app, world, db, payload):
    c = signed_in(app, "hj")
    response = post(c, payload)
    assert response.status_code == 400
    assert response.get_json()["status"] == "refused"
    assert "kunne ikke læses" in response.get_json()["message"]


def test_signed_out_is_a_401_the_phone_understands(app, world, db):
    """Without a session the CSRF check answers first (400 csrf); the phone then asks for a
    token and hears that it must sign in again. Nothing is stored, nothing is lost."""
    c = app.test_client()
    response = c.post("/offline/sync", json=item("tobs", world.citizen.id, TOBS_FIELDS))
    assert response.status_code == 400 and response.get_json()["status"] == "csrf"
    token = c.get("/offline/token")
    assert token.status_code == 401
    assert token.get_json()["status"] == "signed_out"
    assert "Log ind igen" in token.get_json()["message"]
    assert c.get("/offline/data").status_code == 401
    assert count(db, TobsMeasurement) == 0


def test_an_old_csrf_token_is_a_400_the_phone_can_recover_from(app, world, db):
    c = signed_in(app, "hj")
    payload = item("tobs", world.citizen.id, TOBS_FIELDS)
    response = post(c, payload, token="gammel")
    assert response.status_code == 400
    assert response.get_json()["status"] == "csrf"
    fresh = c.get("/offline/token").get_json()["csrf_token"]
    assert post(c, payload, token=fresh).status_code == 201
    assert count(db, TobsMeasurement) == 1


# --- The online forms: a double tap is one row ---------------------------------------------


def _hidden(page: str, name: str) -> str:
    import re

    return re.search(rf'name="{name}" value="([^"]+)"', page).group(1)


def test_a_double_tap_on_the_observation_form_stores_one(app, world, db):
    c = signed_in(app, "hj")
    page = c.get(f"/borgere/{world.citizen.id}/observation").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(c),
        "client_id": _hidden(page, "client_id"),
        "ingen_aendringer": "1",
    }
    first = c.post(f"/borgere/{world.citizen.id}/observation", data=data)
    second = c.post(f"/borgere/{world.citizen.id}/observation", data=data)
    assert first.status_code in (302, 303) and second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db, Observation) == 1


def test_a_double_tap_on_the_tobs_form_stores_one(app, world, db):
    c = signed_in(app, "hj")
    page = c.get(f"/borgere/{world.citizen.id}/tobs").get_data(as_text=True)
    data = {"csrf_token": csrf_token(c), "client_id": _hidden(page, "client_id"), **TOBS_FIELDS}
    first = c.post(f"/borgere/{world.citizen.id}/tobs", data=data)
    second = c.post(f"/borgere/{world.citizen.id}/tobs", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db, TobsMeasurement) == 1


def test_an_online_form_sent_again_offline_is_the_same_row(app, world, db):
    """The form reached the server but its answer was lost; the service worker queued it with
    the form's own id and sends it again: still one row."""
    c = signed_in(app, "hj")
    page = c.get(f"/borgere/{world.citizen.id}/tobs").get_data(as_text=True)
    key = _hidden(page, "client_id")
    c.post(
        f"/borgere/{world.citizen.id}/tobs",
        data={"csrf_token": csrf_token(c), "client_id": key, **TOBS_FIELDS},
    )
    response = post(c, item("tobs", world.citizen.id, TOBS_FIELDS, client_id=key))
    assert response.status_code == 200 and response.get_json()["status"] == "duplicate"
    assert count(db, TobsMeasurement) == 1


# --- The phone's copy -----------------------------------------------------------------------


def test_the_copy_holds_the_own_kontaktteam_and_nothing_outside_scope(app, world, db):
    c = signed_in(app, "hj")
    response = c.get("/offline/data")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    names = {row["name"] for row in body["citizens"]}
    assert "Karen Borger" in names and "Anden Borger" not in names
    karen = next(row for row in body["citizens"] if row["name"] == "Karen Borger")
    assert karen["own"] is True
    assert karen["kontaktperson"]["name"] == "Hanne Hjælper"
    assert karen["colour"] in ("groen", "gul", "roed")
    assert body["user"]["name"] == "Hanne Hjælper"
    assert body["generated_at"].startswith("2026-11-22T10:00")
    assert body["tobs"]["bands"]["parameters"]["puls"]["bands"]
    assert body["tobs"]["actions"]["rows"]
    assert body["observation_items"]


def test_the_copy_says_whom_to_call_now_and_in_the_next_shift(app, world, db):
    c = signed_in(app, "hj")
    karen = next(
        r for r in c.get("/offline/data").get_json()["citizens"] if r["id"] == world.citizen.id
    )
    now, later = karen["call"]
    assert now["name"] == "Anna Andersen" and now["phone"] == world.nurse_a.phone
    assert now["until"].startswith("2026-11-22T15:00")
    # Nobody on the evening roster: the akutteam's duty phone.
    assert later["name"] == "Akutteam (vagttelefon)"
    assert later["from"] == now["until"]


def test_recently_opened_citizens_come_with_their_details(app, world, db):
    make_tobs(db, world.citizen, world.helper, at=START - timedelta(hours=2))
    db.commit()
    c = signed_in(app, "hj")
    first = c.get("/offline/data").get_json()
    assert first["recent"] == []
    assert c.get(f"/borgere/{world.citizen.id}").status_code == 200
    body = c.get("/offline/data").get_json()
    assert body["recent"] == [world.citizen.id]
    karen = next(r for r in body["citizens"] if r["id"] == world.citizen.id)
    assert karen["recent"] is True and karen["tobs"]
    assert karen["observations"] is not None and karen["follow_ups"] is not None


def test_a_citizen_opened_through_another_team_is_in_the_copy_only_while_in_scope(app, world, db):
    """A leader opened a citizen of the team: it is there. The copy never holds a citizen
    the person cannot see online."""
    extra = make_citizen(db, world.team, world.helper, full_name="Ekstra Borger")
    db.commit()
    c = signed_in(app, "leder")
    c.get(f"/borgere/{extra.id}")
    names = {r["name"] for r in c.get("/offline/data").get_json()["citizens"]}
    assert "Ekstra Borger" in names and "Anden Borger" not in names


def test_fetching_the_copy_is_in_the_access_log(app, world, db):
    c = signed_in(app, "hj")
    c.get("/offline/data")
    db.expire_all()
    entry = db.exec(select(AccessLog).where(AccessLog.action == "offline_kopi")).one()
    shown = db.exec(
        select(AccessLogCitizen.citizen_id).where(AccessLogCitizen.access_log_id == entry.id)
    ).all()
    assert world.citizen.id in shown


def test_the_queue_page_is_the_app_shell_and_holds_no_data(app, world):
    c = app.test_client()
    page = c.get("/koe").get_data(as_text=True)
    assert c.get("/koe").status_code == 200
    assert "Karen" not in page
    assert c.get(f"/koe/{uuid.uuid4()}").status_code == 200


def test_the_copy_for_40_citizens_takes_a_fixed_number_of_queries(app, world, db):
    """Cards, colours, TOBS, the nudge and whom to call: not one query per citizen."""
    kt = db.get(Kontaktteam, world.citizen.kontaktteam_id)
    for n in range(39):
        make_citizen(db, world.team, world.helper, kontaktteam=kt, full_name=f"B {n}")
    db.commit()
    c = signed_in(app, "hj")
    engine = app.extensions["engine"]
    statements: list[str] = []
    from sqlalchemy import event

    def count_it(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count_it)
    try:
        body = c.get("/offline/data").get_json()
    finally:
        event.remove(engine, "before_cursor_execute", count_it)
    assert len(body["citizens"]) == 40
    assert len(statements) <= 20, len(statements)


def test_a_nul_character_is_refused_never_a_500(app, world, db):
    """PostgreSQL cannot store NUL in text: refused at the door, in JSON, forms and searches."""
    c = signed_in(app, "hj")
    payload = item("observation", world.citizen.id, {"ingen_aendringer": "1", "note": "a\x00b"})
    response = post(c, payload)
    assert response.status_code == 400 and response.get_json()["status"] == "refused"
    assert c.get("/?q=%00").status_code == 400
    token = csrf_token(c)
    response = c.post(
        f"/borgere/{world.citizen.id}/observation",
        data={"csrf_token": token, "ingen_aendringer": "1", "note": "a\x00b"},
    )
    assert response.status_code == 400
    assert "ugyldigt tegn" in response.get_data(as_text=True)
    assert count(db, Observation) == 0
