"""Staff administration (/admin/medarbejdere/): create with a one-time password, edit roles,
date-effective memberships (added and ended, never deleted), deactivate and reactivate, a new
one-time password; every change audited; admin only; bad input a Danish 4xx, never a 500."""

import json
import re
from datetime import date

import pytest
from sqlmodel import Session, func, select

from tests.conftest import csrf_token, login
from tests.factories import (
    PASSWORD,
    make_area,
    make_health_unit,
    make_kontaktteam,
    make_membership,
    make_staff,
    make_team,
)
from webapp.admin import staff as services
from webapp.domain.roles import Role
from webapp.models import AuditLog, Membership, Staff

TODAY = date(2026, 11, 22)  # tests/conftest.py START, in Copenhagen
BASE = "/admin/medarbejdere"


@pytest.fixture
def org(db: Session):
    area = make_area(db, "Vest")
    unit = make_health_unit(db, area)
    unit.name = "Sundhed Vest"
    db.add(unit)
    team = make_team(db, area, "Team Nord")
    other = make_team(db, area, "Team Syd")
    kt = make_kontaktteam(db, team, "KT 1")
    admin = make_staff(db, {Role.ADMIN}, username="admin", full_name="Ada Admin")
    make_membership(db, admin, team=team)
    helper = make_staff(
        db, {Role.HELPER}, username="hjaelper", full_name="Hanne Hjælper", external_id="M1"
    )
    make_membership(db, helper, team=team, kontaktteam=kt)
    db.commit()
    return {
        "team": team,
        "other": other,
        "kt": kt,
        "unit": unit,
        "admin": admin,
        "helper": helper,
    }


def signed_in(app, username, password=PASSWORD):
    c = app.test_client()
    assert login(c, username, password).status_code == 302
    return c


def count(db, model) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(model)).one()


def audit_rows(db, entity: str | None = None) -> list[AuditLog]:
    db.expire_all()
    query = select(AuditLog).order_by(AuditLog.id)
    if entity:
        query = query.where(AuditLog.entity == entity)
    return list(db.exec(query).all())


def post(c, path: str, data: dict | list | None = None):
    fields = list(data.items()) if isinstance(data, dict) else list(data or [])
    fields.append(("csrf_token", csrf_token(c)))
    from werkzeug.datastructures import MultiDict

    return c.post(path, data=MultiDict(fields))


def new_person(org, **over) -> list[tuple[str, str]]:
    data = {
        "navn": "Lise Larsen",
        "brugernavn": "lise.larsen",
        "medarbejdernr": "M100",
        "telefon": "20 11 22 33",
        "placering": f"kontaktteam-{org['kt'].id}",
        "fra": "",
        "til": "",
        "ansaettelse": "fast",
    } | over
    roles = data.pop("roller", ["hjaelper"])
    return list(data.items()) + [("roller", r) for r in roles]


CODE = re.compile(r'<code class="one-time" id="engangskode">([^<]+)</code>')


def staff_by_username(db, username) -> Staff:
    db.expire_all()
    return db.exec(select(Staff).where(Staff.username == username)).one()


def version_of(c, staff_id) -> str:
    page = c.get(f"{BASE}/{staff_id}").get_data(as_text=True)
    return re.search(r'name="version" value="([^"]+)"', page).group(1)


# --- Create --------------------------------------------------------------------------------------


def test_the_form_offers_teams_kontaktteams_and_health_units(app, org):
    page = signed_in(app, "admin").get(f"{BASE}/ny").get_data(as_text=True)
    assert "Team Nord / KT 1" in page and "Sundhed Vest" in page and "Team Syd" in page
    assert f'value="{TODAY.isoformat()}"' in page  # fra: today by default


def test_creating_a_person_shows_a_one_time_code_once_and_logs_it(app, org, db):
    c = signed_in(app, "admin")
    response = post(c, f"{BASE}/ny", new_person(org, roller=["hjaelper", "assistent"]))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    code = CODE.search(page).group(1)
    assert "Lise Larsen er oprettet" in page
    lise = staff_by_username(db, "lise.larsen")
    assert lise.must_change_password and lise.active
    assert lise.roles == "assistent,hjaelper" and lise.external_id == "M100"
    assert lise.phone == "20 11 22 33"
    m = db.exec(select(Membership).where(Membership.staff_id == lise.id)).one()
    assert (m.kind, m.team_id, m.kontaktteam_id) == ("team", org["team"].id, org["kt"].id)
    assert (m.valid_from, m.valid_to) == (TODAY, None)
    rows = audit_rows(db)
    assert [(r.entity, r.action) for r in rows] == [
        ("medarbejder", "opret"),
        ("medlemskab", "opret"),
    ]
    assert all(r.staff_id == org["admin"].id for r in rows)
    assert code not in "".join(r.before + r.after + r.summary for r in rows)
    assert code not in c.get(f"{BASE}/{lise.id}").get_data(as_text=True)  # shown once only

    # The new person signs in with the code and must choose a password first.
    new = app.test_client()
    response = login(new, "lise.larsen", code)
    assert response.status_code == 302 and response.headers["Location"] == "/adgangskode"


def test_a_health_unit_person_can_be_created(app, org, db):
    c = signed_in(app, "admin")
    data = new_person(
        org,
        navn="Sara Syg",
        brugernavn="sara",
        medarbejdernr="",
        roller=["sygeplejerske"],
        placering=f"sundhedsenhed-{org['unit'].id}",
    )
    assert post(c, f"{BASE}/ny", data).status_code == 200
    sara = staff_by_username(db, "sara")
    m = db.exec(select(Membership).where(Membership.staff_id == sara.id)).one()
    assert (m.kind, m.health_unit_id, m.team_id) == ("sundhedsenhed", org["unit"].id, None)
    assert sara.external_id is None


@pytest.mark.parametrize("employment", ["vikar", "elev"])
def test_temps_and_students_get_an_end_date_by_default(app, org, db, employment):
    c = signed_in(app, "admin")
    data = new_person(org, fra="2026-12-01", ansaettelse=employment)
    page = post(c, f"{BASE}/ny", data).get_data(as_text=True)
    assert "Slutdato sat til 01.03.2027" in page
    lise = staff_by_username(db, "lise.larsen")
    m = db.exec(select(Membership).where(Membership.staff_id == lise.id)).one()
    assert (m.valid_from, m.valid_to) == (date(2026, 12, 1), date(2027, 3, 1))


def test_a_temp_with_an_end_date_keeps_it_and_a_permanent_has_none(app, org, db):
    c = signed_in(app, "admin")
    post(c, f"{BASE}/ny", new_person(org, til="2027-01-15", ansaettelse="vikar"))
    lise = staff_by_username(db, "lise.larsen")
    assert db.exec(select(Membership.valid_to).where(Membership.staff_id == lise.id)).one() == (
        date(2027, 1, 15)
    )


def test_a_taken_username_is_refused_in_danish_and_nothing_is_lost(app, org, db):
    c = signed_in(app, "admin")
    before = count(db, Staff), count(db, Membership), count(db, AuditLog)
    response = post(c, f"{BASE}/ny", new_person(org, brugernavn="HJAELPER", medarbejdernr=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Brugernavnet hjaelper er allerede i brug" in page
    assert 'value="Lise Larsen"' in page  # what was typed is still there
    assert (count(db, Staff), count(db, Membership), count(db, AuditLog)) == before


def test_a_taken_medarbejdernr_is_refused(app, org, db):
    c = signed_in(app, "admin")
    response = post(c, f"{BASE}/ny", new_person(org, medarbejdernr="M1"))
    assert response.status_code == 409
    assert "Medarbejdernr M1 er allerede brugt af Hanne Hjælper" in response.get_data(as_text=True)
    assert count(db, Staff) == 2


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"navn": "  "}, "Skriv navnet."),
        ({"brugernavn": "lø"}, "Brugernavnet skal have 3-80 tegn"),
        ({"brugernavn": "lise larsen"}, "Brugernavnet skal have 3-80 tegn"),
        ({"brugernavn": "x" * 81}, "Brugernavnet skal have 3-80 tegn"),
        ({"medarbejdernr": "M 1"}, "Medarbejdernr må kun"),
        ({"telefon": "ring mig"}, "Telefonnummeret må kun"),
        ({"roller": []}, "Vælg mindst én rolle."),
        ({"roller": ["kok"]}, "Ukendt rolle: kok."),
        ({"placering": ""}, "Vælg et team, et kontaktteam eller en sundhedsenhed."),
        ({"placering": "team-999999"}, "fra listen"),
        ({"placering": "basisteam-1"}, "fra listen"),  # not on the create form
        ({"fra": "31.02.2026"}, "Fra-datoen 31.02.2026 findes ikke."),
        ({"fra": "i morgen"}, "Fra-datoen skal skrives som"),
        ({"til": "9999-12-31"}, "Til-datoen skal ligge mellem"),
        ({"fra": "2026-12-01", "til": "2026-11-30"}, "Slutdatoen 30.11.2026 ligger før"),
        ({"ansaettelse": "freelance"}, "Vælg fast, vikar eller elev."),
    ],
)
def test_bad_input_is_a_400_with_a_danish_message(app, org, db, over, message):
    c = signed_in(app, "admin")
    response = post(c, f"{BASE}/ny", new_person(org, **over))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(db, Staff) == 2 and count(db, AuditLog) == 0


# --- List and search -----------------------------------------------------------------------------


def test_the_list_searches_name_username_and_medarbejdernr(app, org, db):
    gone = make_staff(db, {Role.HELPER}, username="gammel", full_name="Gitte Gammel", active=False)
    make_membership(db, gone, team=org["team"])
    db.commit()
    c = signed_in(app, "admin")
    page = c.get(f"{BASE}/").get_data(as_text=True)
    assert "3 medarbejdere" in page
    assert "Hanne Hjælper" in page and "Gitte Gammel" in page and "Deaktiveret" in page
    assert "Team Nord / KT 1" in page  # where they are today
    for query in ("hanne", "HJAELPER", "m1"):
        page = c.get(f"{BASE}/", query_string={"q": query}).get_data(as_text=True)
        assert "Hanne Hjælper" in page and "Gitte Gammel" not in page, query
    page = c.get(f"{BASE}/", query_string={"status": "inaktive"}).get_data(as_text=True)
    assert "Gitte Gammel" in page and "Hanne Hjælper" not in page
    page = c.get(f"{BASE}/", query_string={"q": "%_"}).get_data(as_text=True)
    assert "Ingen medarbejdere matcher" in page


def test_the_list_is_paged(app, org, db):
    for n in range(services.PAGE_SIZE + 5):
        make_staff(db, {Role.HELPER}, username=f"p{n:03d}", full_name=f"Person {n:03d}")
    db.commit()
    c = signed_in(app, "admin")
    first = c.get(f"{BASE}/").get_data(as_text=True)
    assert f"{services.PAGE_SIZE + 7} medarbejdere" in first and "side 1 af 2" in first
    assert first.count('<th scope="row">') == services.PAGE_SIZE
    second = c.get(f"{BASE}/?side=2").get_data(as_text=True)
    assert second.count('<th scope="row">') == 7


# --- Edit ----------------------------------------------------------------------------------------


def test_editing_roles_is_logged_with_before_and_after(app, org, db):
    c = signed_in(app, "admin")
    helper = org["helper"]
    data = [
        ("navn", "Hanne Hjælper"),
        ("medarbejdernr", "M1"),
        ("telefon", "30 30 30 30"),
        ("roller", "hjaelper"),
        ("roller", "assistent"),
        ("version", version_of(c, helper.id)),
    ]
    response = post(c, f"{BASE}/{helper.id}/ret", data)
    assert response.status_code == 303
    db.expire_all()
    helper = db.get(Staff, helper.id)
    assert helper.roles == "assistent,hjaelper" and helper.phone == "30 30 30 30"
    (row,) = audit_rows(db, "medarbejder")
    assert row.action == "ret" and row.entity_id == str(helper.id)
    before, after = json.loads(row.before), json.loads(row.after)
    assert before["roller"] == "hjaelper" and after["roller"] == "assistent,hjaelper"
    assert after["telefon"] == "30 30 30 30"
    assert "Ændringerne er gemt" in c.get(f"{BASE}/{helper.id}").get_data(as_text=True)

    # The same form again changes nothing and logs nothing.
    data[-1] = ("version", version_of(c, helper.id))
    assert post(c, f"{BASE}/{helper.id}/ret", data).status_code == 303
    assert len(audit_rows(db, "medarbejder")) == 1


def test_an_edit_made_from_an_old_page_is_refused(app, org, db):
    c = signed_in(app, "admin")
    helper = org["helper"]
    old = version_of(c, helper.id)
    data = {"navn": "Nyt Navn", "roller": "hjaelper", "version": old}
    assert post(c, f"{BASE}/{helper.id}/ret", data).status_code == 303
    data = {"navn": "Andet Navn", "roller": "hjaelper", "version": old}
    response = post(c, f"{BASE}/{helper.id}/ret", data)
    assert response.status_code == 409
    assert "ændret, siden du åbnede siden" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Staff, helper.id).full_name == "Nyt Navn"


def test_an_admin_cannot_remove_their_own_admin_role(app, org, db):
    c = signed_in(app, "admin")
    admin = org["admin"]
    data = {"navn": "Ada Admin", "roller": "leder", "version": version_of(c, admin.id)}
    response = post(c, f"{BASE}/{admin.id}/ret", data)
    assert response.status_code == 400
    assert "din egen administratorrolle" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Staff, admin.id).roles == "admin"


def test_a_bad_edit_keeps_what_was_typed(app, org, db):
    c = signed_in(app, "admin")
    helper = org["helper"]
    data = {"navn": "Hanne H", "telefon": "ring", "version": version_of(c, helper.id)}
    response = post(c, f"{BASE}/{helper.id}/ret", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Telefonnummeret må kun" in page and "Vælg mindst én rolle." in page
    assert 'value="Hanne H"' in page and 'value="ring"' in page
    assert count(db, AuditLog) == 0


# --- Memberships ---------------------------------------------------------------------------------


def test_adding_and_ending_a_membership(app, org, db):
    c = signed_in(app, "admin")
    helper = org["helper"]
    data = {"placering": f"team-{org['other'].id}", "fra": "2026-12-01", "til": ""}
    response = post(c, f"{BASE}/{helper.id}/medlemskaber", data)
    assert response.status_code == 303
    new = db.exec(
        select(Membership).where(
            Membership.staff_id == helper.id, Membership.team_id == org["other"].id
        )
    ).one()
    assert (new.valid_from, new.valid_to, new.kind) == (date(2026, 12, 1), None, "team")
    page = c.get(f"{BASE}/{helper.id}").get_data(as_text=True)
    assert "Team Syd" in page and "Kommende" in page and "01.12.2026" in page

    # Ending it before it starts is refused, with the dates in Danish.
    end = f"{BASE}/{helper.id}/medlemskaber/{new.id}/slut"
    response = post(c, end, {"til": "2026-11-30"})
    assert response.status_code == 400
    assert "Slutdatoen 30.11.2026 ligger før startdatoen 01.12.2026" in response.get_data(
        as_text=True
    )
    for garbage in ("", "31.13.2026", "x" * 500):
        assert post(c, end, {"til": garbage}).status_code == 400

    # On its first day is fine (a one-day membership), and is logged with before and after.
    assert post(c, end, {"til": "01.12.2026"}).status_code == 303
    db.expire_all()
    assert db.get(Membership, new.id).valid_to == date(2026, 12, 1)
    rows = audit_rows(db, "medlemskab")
    assert [r.action for r in rows] == ["opret", "afslut"]
    assert json.loads(rows[1].before)["til"] is None
    assert json.loads(rows[1].after)["til"] == "2026-12-01"
    assert count(db, Membership) == 3  # nothing deleted


def test_ending_the_current_team_today_keeps_the_history(app, org, db):
    c = signed_in(app, "admin")
    helper = org["helper"]
    m = db.exec(select(Membership).where(Membership.staff_id == helper.id)).one()
    assert (
        post(c, f"{BASE}/{helper.id}/medlemskaber/{m.id}/slut", {"til": "2026-11-21"}).status_code
        == 303
    )
    page = c.get(f"{BASE}/{helper.id}").get_data(as_text=True)
    assert "Afsluttet" in page and "21.11.2026" in page
    assert "intet medlemskab, der gælder i dag" in page
    # Without a membership valid today the person cannot sign in.
    assert login(app.test_client(), "hjaelper", PASSWORD).status_code == 403


def test_a_basisteam_attachment_and_an_overlap(app, org, db):
    nurse = make_staff(db, {Role.NURSE}, username="sygpl", full_name="Sofie Sygeplejerske")
    make_membership(db, nurse, health_unit=org["unit"])
    db.commit()
    c = signed_in(app, "admin")
    data = {"placering": f"basisteam-{org['team'].id}", "fra": "", "ansaettelse": "vikar"}
    assert post(c, f"{BASE}/{nurse.id}/medlemskaber", data).status_code == 303
    m = db.exec(
        select(Membership).where(Membership.staff_id == nurse.id, Membership.kind == "basisteam")
    ).one()
    assert (m.team_id, m.valid_from, m.valid_to) == (org["team"].id, TODAY, date(2027, 2, 20))
    # The same team again, overlapping: refused, nothing written.
    response = post(
        c, f"{BASE}/{nurse.id}/medlemskaber", {"placering": f"basisteam-{org['team'].id}"}
    )
    assert response.status_code == 409
    assert "allerede medlem af Basisteam Team Nord" in response.get_data(as_text=True)
    assert count(db, Membership) == 4


def test_another_persons_membership_is_a_404(app, org, db):
    c = signed_in(app, "admin")
    other_m = db.exec(select(Membership).where(Membership.staff_id == org["admin"].id)).one()
    path = f"{BASE}/{org['helper'].id}/medlemskaber/{other_m.id}/slut"
    assert post(c, path, {"til": "2026-12-01"}).status_code == 404


# --- Access: deactivate, one-time password -------------------------------------------------------


def test_a_deactivated_person_cannot_sign_in_and_is_signed_out(app, org, db):
    helper_phone = signed_in(app, "hjaelper")
    c = signed_in(app, "admin")
    helper = org["helper"]
    assert post(c, f"{BASE}/{helper.id}/aktiv", {"aktiv": "nej"}).status_code == 303
    db.expire_all()
    assert db.get(Staff, helper.id).active is False
    assert login(app.test_client(), "hjaelper", PASSWORD).status_code == 401
    assert helper_phone.get("/").status_code == 302  # signed out on the next request
    (row,) = audit_rows(db, "medarbejder")
    assert json.loads(row.before)["aktiv"] is True and json.loads(row.after)["aktiv"] is False

    assert post(c, f"{BASE}/{helper.id}/aktiv", {"aktiv": "ja"}).status_code == 303
    assert signed_in(app, "hjaelper")  # can sign in again
    assert len(audit_rows(db, "medarbejder")) == 2


def test_an_admin_cannot_deactivate_themself(app, org, db):
    c = signed_in(app, "admin")
    response = post(c, f"{BASE}/{org['admin'].id}/aktiv", {"aktiv": "nej"})
    assert response.status_code == 400
    assert "Du kan ikke deaktivere dig selv" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Staff, org["admin"].id).active


def test_a_new_one_time_password_sends_the_person_to_choose_their_own(app, org, db):
    c = signed_in(app, "admin")
    helper = org["helper"]
    response = post(c, f"{BASE}/{helper.id}/engangsadgangskode")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    code = CODE.search(response.get_data(as_text=True)).group(1)
    assert login(app.test_client(), "hjaelper", PASSWORD).status_code == 401  # the old one
    person = app.test_client()
    response = login(person, "hjaelper", code)
    assert response.status_code == 302 and response.headers["Location"] == "/adgangskode"
    assert person.get("/").headers["Location"] == "/adgangskode"
    (row,) = audit_rows(db, "medarbejder")
    assert json.loads(row.before)["skal_skifte_adgangskode"] is False
    assert json.loads(row.after)["skal_skifte_adgangskode"] is True
    assert code not in row.before + row.after + row.summary


# --- Admin only; never a 500 ---------------------------------------------------------------------


def _routes(org, db):
    helper = org["helper"]
    m = db.exec(select(Membership).where(Membership.staff_id == helper.id)).one()
    return [
        ("get", f"{BASE}/"),
        ("get", f"{BASE}/ny"),
        ("post", f"{BASE}/ny"),
        ("get", f"{BASE}/{helper.id}"),
        ("post", f"{BASE}/{helper.id}/ret"),
        ("post", f"{BASE}/{helper.id}/medlemskaber"),
        ("post", f"{BASE}/{helper.id}/medlemskaber/{m.id}/slut"),
        ("post", f"{BASE}/{helper.id}/aktiv"),
        ("post", f"{BASE}/{helper.id}/engangsadgangskode"),
    ]


@pytest.mark.parametrize("roles", [{Role.HELPER}, {Role.LEADER}, {Role.NURSE, Role.PLANNER}])
def test_only_admin_reaches_any_route(app, org, db, roles):
    other = make_staff(db, roles, username="ikke.admin")
    make_membership(db, other, team=org["team"])
    db.commit()
    c = signed_in(app, "ikke.admin")
    anonymous = app.test_client()
    for method, path in _routes(org, db):
        if method == "get":
            assert c.get(path).status_code == 404, path
            assert anonymous.get(path).status_code == 302, path
        else:
            assert post(c, path, {"aktiv": "nej", "til": "2026-12-01"}).status_code == 404, path
    assert count(db, AuditLog) == 0
    db.expire_all()
    assert db.get(Staff, org["helper"].id).active


GARBAGE = [
    {},
    {"navn": "\x00", "brugernavn": "\x00", "roller": "\x00", "placering": "\x00"},
    {"placering": "team-", "fra": "0000-00-00", "til": "2026-02-30"},
    {"placering": "team-99999999999999999999", "fra": "99.99.9999"},
    {"placering": "kontaktteam--1", "fra": "1.1.1", "ansaettelse": "\u00e6\u00f8\u00e5"},
    {"placering": "sundhedsenhed-١٢", "fra": "٢٠٢٦-٠١-٠١"},
    {"navn": "x" * 100_000, "roller": "admin" * 1000, "version": "x" * 1000},
    {"aktiv": "måske", "til": "9999-12-31"},
    {"aktiv": "ja", "til": "0001-01-01"},
]


@pytest.mark.parametrize("data", GARBAGE)
def test_garbage_is_never_a_500(app, org, db, data):
    c = signed_in(app, "admin")
    for method, path in _routes(org, db):
        if method == "post" and not path.endswith("engangsadgangskode"):
            response = post(c, path, data)
            assert response.status_code < 500, (path, response.status_code)
    for query in ({"q": "' OR 1=1 --"}, {"side": "-1"}, {"side": "9" * 40}, {"status": "x"}):
        assert c.get(f"{BASE}/", query_string=query).status_code == 200
    # A NUL (which PostgreSQL cannot hold) is refused at the door with a Danish 400.
    assert c.get(f"{BASE}/", query_string={"q": "\x00"}).status_code == 400
    assert c.get(f"{BASE}/99999999999").status_code == 404
    assert c.get(f"{BASE}/2147483647").status_code == 404
    assert c.get(f"{BASE}/abc").status_code == 404


# --- The pure form readers -----------------------------------------------------------------------


def test_read_period_defaults():
    assert services.read_period({}, TODAY)[0] == services.Period(TODAY, None)
    period, _ = services.read_period({"fra": "01.12.2026", "ansaettelse": "elev"}, TODAY)
    assert period == services.Period(date(2026, 12, 1), date(2027, 3, 1), default_end=True)
    _, errors = services.read_period({"fra": "2026-12-01", "til": "2026-11-01"}, TODAY)
    assert errors == {"til": "Slutdatoen 01.11.2026 ligger før startdatoen 01.12.2026."}


def test_read_person_lowercases_the_username_and_collapses_spaces():
    person, errors = services.read_person(
        {"navn": "  Lise   Larsen ", "brugernavn": " Lise.Larsen "},
        ["hjaelper"],
        with_username=True,
    )
    assert errors == {}
    assert person.full_name == "Lise Larsen" and person.username == "lise.larsen"
    assert person.external_id is None and person.phone is None
