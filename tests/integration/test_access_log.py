"""The access log: leaders read and export it per citizen; nobody can change it."""

import csv
import io

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from tests.conftest import login
from tests.factories import (
    PASSWORD,
    make_citizen,
    make_kontaktteam,
    make_membership,
    make_staff,
    make_team,
)
from webapp.domain.roles import Role
from webapp.models import AccessLog


@pytest.fixture
def setup(db):
    team = make_team(db)
    kt = make_kontaktteam(db, team)
    helper = make_staff(db, {Role.HELPER}, "helper", full_name="=Hanne Hjælper")
    make_membership(db, helper, team=team, kontaktteam=kt)
    leader = make_staff(db, {Role.LEADER}, "leader", full_name="Lise Leder")
    make_membership(db, leader, team=team)
    citizen = make_citizen(db, team, helper, kontaktteam=kt, full_name="Gerda Grøn")
    other = make_citizen(db, team, helper, kontaktteam=kt, full_name="Otto Anden")
    db.commit()
    return citizen, other


def test_leader_sees_who_looked_at_a_citizen(app, setup):
    citizen, other = setup
    helper_client, leader_client = app.test_client(), app.test_client()
    login(helper_client, "helper", PASSWORD)
    helper_client.get("/")
    helper_client.get(f"/borgere/{citizen.id}")
    helper_client.get(f"/borgere/{other.id}")
    login(leader_client, "leader", PASSWORD)
    html = leader_client.get(f"/borgere/{citizen.id}/adgangslog").get_data(as_text=True)
    assert "Hvem har set Gerda Grøn?" in html
    assert html.count("=Hanne Hjælper") == 2  # the list and the citizen page, not Otto's page
    assert "Så listen Mine borgere" in html and "Åbnede borgerens side" in html


def test_citizen_page_links_to_the_log_for_leaders_only(app, setup):
    citizen, _ = setup
    for username, expected in (("leader", True), ("helper", False)):
        client = app.test_client()
        login(client, username, PASSWORD)
        html = client.get(f"/borgere/{citizen.id}").get_data(as_text=True)
        assert ("adgangslog" in html) is expected


def test_csv_export(app, db, setup):
    citizen, _ = setup
    helper_client, leader_client = app.test_client(), app.test_client()
    login(helper_client, "helper", PASSWORD)
    helper_client.get(f"/borgere/{citizen.id}")
    login(leader_client, "leader", PASSWORD)
    response = leader_client.get(f"/borgere/{citizen.id}/adgangslog.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][:2] == ["tidspunkt", "medarbejder"]
    assert rows[1][1] == "'=Hanne Hjælper"  # a formula-looking name is defused
    assert rows[1][4] == "Åbnede borgerens side"
    # Reading and exporting the log are reads too.
    actions = [e.action for e in db.exec(select(AccessLog).order_by(AccessLog.id))]
    assert actions == ["borger", "adgangslog_csv"]


def test_non_leaders_get_403_and_out_of_scope_404(app, db, setup):
    citizen, _ = setup
    client = app.test_client()
    login(client, "helper", PASSWORD)
    assert client.get(f"/borgere/{citizen.id}/adgangslog").status_code == 403
    assert client.get(f"/borgere/{citizen.id}/adgangslog.csv").status_code == 403
    leader = app.test_client()
    login(leader, "leader", PASSWORD)
    assert leader.get("/borgere/999999/adgangslog").status_code == 404


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE access_log SET action = 'x'",
        "DELETE FROM access_log",
        "UPDATE access_log_citizen SET citizen_id = citizen_id",
        "DELETE FROM access_log_citizen",
    ],
)
def test_the_log_is_append_only_in_the_database(app, db, setup, statement):
    citizen, _ = setup
    client = app.test_client()
    login(client, "helper", PASSWORD)
    client.get(f"/borgere/{citizen.id}")
    with pytest.raises(DBAPIError, match="kun udvides"):
        db.exec(text(statement))
    db.rollback()
    assert len(db.exec(select(AccessLog)).all()) == 1
