# ruff: noqa: F811  (the `org` fixture is shared with test_admin_import)
"""The organisation's units: create, rename, close from a date (refused while people or
citizens still belong there), reopen; every change audited; admin only."""

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.conftest import START, csrf_token
from tests.factories import make_citizen, make_staff
from tests.integration.test_admin_import import org, signed_in  # noqa: F401 (fixture)
from webapp.domain.roles import Role
from webapp.models import AuditLog, Kontaktteam, Team

TODAY = START.date()


def post(c, path, **data):
    return c.post(path, data={"csrf_token": csrf_token(c), **data})


def test_create_each_kind_under_its_parent(app, org, db):
    c = signed_in(app, "admin")
    area_id = org["team"].area_id
    assert (
        post(
            c, "/admin/organisation/ny", type="team", navn="Team Vest", hoerer_til=str(area_id)
        ).status_code
        == 303
    )
    team = db.exec(select(Team).where(Team.name == "Team Vest")).one()
    assert (
        post(
            c, "/admin/organisation/ny", type="kontaktteam", navn="KT 9", hoerer_til=str(team.id)
        ).status_code
        == 303
    )
    assert post(c, "/admin/organisation/ny", type="omraade", navn="Øst").status_code == 303
    assert (
        post(
            c,
            "/admin/organisation/ny",
            type="sundhedsenhed",
            navn="Sundhed Øst",
            hoerer_til=str(area_id),
        ).status_code
        == 303
    )
    page = c.get("/admin/organisation/").get_data(as_text=True)
    for name in ("Team Vest", "KT 9", "Øst", "Sundhed Øst"):
        assert name in page
    db.expire_all()
    assert len(db.exec(select(AuditLog).where(AuditLog.entity == "organisation")).all()) == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "team", "navn": "", "hoerer_til": "1"}, "Skriv et navn."),
        ({"type": "team", "navn": "team nord", "hoerer_til": "1"}, "findes allerede"),
        ({"type": "team", "navn": "Ny", "hoerer_til": ""}, "Vælg det område"),
        ({"type": "kontaktteam", "navn": "Ny", "hoerer_til": "99999"}, "Vælg det hjemmeplejeteam"),
        ({"type": "team", "navn": "x" * 121, "hoerer_til": "1"}, "højst være 120 tegn"),
    ],
)
def test_bad_input_is_a_400_in_danish(app, org, data, message):
    c = signed_in(app, "admin")
    if data.get("hoerer_til") == "1":
        data = {**data, "hoerer_til": str(org["team"].area_id)}
    response = post(c, "/admin/organisation/ny", **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_rename_is_logged_with_before_and_after(app, org, db):
    c = signed_in(app, "admin")
    assert (
        post(c, f"/admin/organisation/kontaktteam/{org['kt'].id}/navn", navn="KT Nord").status_code
        == 303
    )
    db.expire_all()
    assert db.get(Kontaktteam, org["kt"].id).name == "KT Nord"
    entry = db.exec(select(AuditLog).where(AuditLog.entity == "organisation")).one()
    assert '"navn": "KT 1"' in entry.before and '"navn": "KT Nord"' in entry.after


def test_a_unit_in_use_cannot_close_and_says_what_to_move(app, org, db):
    c = signed_in(app, "admin")
    later = (TODAY + timedelta(days=30)).isoformat()
    response = post(c, f"/admin/organisation/team/{org['team'].id}/luk", dato=later)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "kontaktteams" in page and "medlemskaber gælder stadig" in page
    db.expire_all()
    assert db.get(Team, org["team"].id).closed_on is None


def test_an_empty_unit_closes_from_a_date_and_reopens(app, org, db):
    c = signed_in(app, "admin")
    kt2 = org["kt2"]
    later = TODAY + timedelta(days=7)
    assert (
        post(c, f"/admin/organisation/kontaktteam/{kt2.id}/luk", dato=later.isoformat()).status_code
        == 303
    )
    db.expire_all()
    assert db.get(Kontaktteam, kt2.id).closed_on == later
    assert "Lukker fra" in c.get("/admin/organisation/").get_data(as_text=True)
    assert post(c, f"/admin/organisation/kontaktteam/{kt2.id}/aabn").status_code == 303
    db.expire_all()
    assert db.get(Kontaktteam, kt2.id).closed_on is None


def test_a_team_with_citizens_cannot_close(app, org, db):
    helper = make_staff(db, {Role.HELPER})
    make_citizen(db, org["other"], helper)
    db.commit()
    c = signed_in(app, "admin")
    post(c, f"/admin/organisation/kontaktteam/{org['kt2'].id}/luk", dato=TODAY.isoformat())
    response = post(c, f"/admin/organisation/team/{org['other'].id}/luk", dato=TODAY.isoformat())
    assert response.status_code == 409
    assert "Flyt først 1 borgere" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("dato", "message"),
    [
        ("", "Skriv datoen"),
        ("2026-11-01", "tidligst lukke fra i dag"),
        ("31.02.2027", "findes ikke"),
        ("x", "skal skrives som"),
    ],
)
def test_bad_closing_dates(app, org, dato, message):
    c = signed_in(app, "admin")
    response = post(c, f"/admin/organisation/kontaktteam/{org['kt2'].id}/luk", dato=dato)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_unknown_units_and_kinds_are_404(app, org):
    c = signed_in(app, "admin")
    assert post(c, "/admin/organisation/team/999999/navn", navn="x").status_code == 404
    assert post(c, "/admin/organisation/planet/1/navn", navn="x").status_code == 404
    assert post(c, "/admin/organisation/ny", type="planet", navn="x").status_code == 404


@pytest.mark.parametrize("path", ["/admin/organisation/"])
def test_only_admin(app, org, path):
    assert signed_in(app, "hjaelper").get(path).status_code == 404
    c = signed_in(app, "hjaelper")
    assert post(c, "/admin/organisation/ny", type="omraade", navn="X").status_code == 404
    assert signed_in(app, "admin").get(path).status_code == 200


def test_a_closed_team_takes_no_new_people_by_import(app, org, db):
    from tests.integration.test_admin_import import upload

    c = signed_in(app, "admin")
    post(c, f"/admin/organisation/kontaktteam/{org['kt2'].id}/luk", dato=TODAY.isoformat())
    assert (
        post(
            c, f"/admin/organisation/team/{org['other'].id}/luk", dato=TODAY.isoformat()
        ).status_code
        == 303
    )
    text = "medarbejdernr;navn;brugernavn;roller;team\nM9;Ny Person;ny.person;hjaelper;Team Syd\n"
    page = upload(c, text)
    assert page.status_code == 422 and "Team Syd" in page.get_data(as_text=True)
