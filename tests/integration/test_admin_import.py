"""Administration: importing staff from CSV (dry run, refusals, re-import), the audit log, and
that only admin reaches any of it."""

import io

import pytest
from sqlalchemy.exc import DBAPIError
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
from webapp.domain.roles import Role
from webapp.models import AuditLog, Membership, Staff


@pytest.fixture
def org(db: Session):
    area = make_area(db, "Vest")
    unit = make_health_unit(db, area)
    unit.name = "Sundhed Vest"
    team = make_team(db, area, "Team Nord")
    other = make_team(db, area, "Team Syd")
    kt = make_kontaktteam(db, team, "KT 1")
    kt2 = make_kontaktteam(db, other, "KT 2")
    admin = make_staff(db, {Role.ADMIN}, username="admin")
    make_membership(db, admin, team=team)
    helper = make_staff(db, {Role.HELPER}, username="hjaelper")
    make_membership(db, helper, team=team, kontaktteam=kt)
    db.add(unit)
    db.commit()
    return {"team": team, "other": other, "kt": kt, "kt2": kt2, "unit": unit}


def signed_in(app, username):
    c = app.test_client()
    assert login(c, username, PASSWORD).status_code == 302
    return c


GOOD = (
    "medarbejdernr;navn;brugernavn;telefon;roller;team;kontaktteam;fra;ansaettelse\n"
    "M100;Lise Larsen;lise.larsen;20 11 22 33;hjaelper;Team Nord;KT 1;;fast\n"
    "M101;Per Hansen;per.hansen;;assistent;Team Nord;;;vikar\n"
)


def upload(c, text: str, **extra):
    data = {"csrf_token": csrf_token(c), "handling": "proev", **extra}
    data["fil"] = (io.BytesIO(text.encode("utf-8")), "medarbejdere.csv")
    return c.post("/admin/import/medarbejdere", data=data, content_type="multipart/form-data")


def save(c, text: str, page: str):
    import re

    digest = re.search(r'name="digest" value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf_token(c), "handling": "gem", "digest": digest, "tekst": text}
    return c.post("/admin/import/medarbejdere", data=data)


def count(db, model) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(model)).one()


def test_a_dry_run_shows_each_row_and_writes_nothing(app, org, db):
    c = signed_in(app, "admin")
    before = count(db, Staff), count(db, Membership), count(db, AuditLog)
    response = upload(c, GOOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Prøve – intet er gemt endnu" in page
    assert "Lise Larsen" in page and "Per Hansen" in page
    assert "2 opret" in page
    assert "Slutdato sat til" in page  # the temp gets an end date by default
    assert (count(db, Staff), count(db, Membership), count(db, AuditLog)) == before


def test_saving_creates_people_with_one_time_passwords_and_logs_it(app, org, db):
    c = signed_in(app, "admin")
    page = upload(c, GOOD).get_data(as_text=True)
    done = save(c, GOOD, page)
    assert done.status_code == 200
    body = done.get_data(as_text=True)
    assert "Engangsadgangskoder" in body and "lise.larsen" in body
    db.expire_all()
    lise = db.exec(select(Staff).where(Staff.external_id == "M100")).one()
    assert lise.must_change_password and lise.roles == "hjaelper"
    membership = db.exec(select(Membership).where(Membership.staff_id == lise.id)).one()
    assert membership.kontaktteam_id == org["kt"].id
    per = db.exec(select(Staff).where(Staff.external_id == "M101")).one()
    per_m = db.exec(select(Membership).where(Membership.staff_id == per.id)).one()
    assert per_m.valid_to is not None  # vikar: an end date by default
    entries = db.exec(select(AuditLog)).all()
    assert {e.entity for e in entries} == {"medarbejder", "medlemskab"}
    assert len(entries) == 4  # two people, two memberships
    assert all(
        e.staff_id == db.exec(select(Staff.id).where(Staff.username == "admin")).one()
        for e in entries
    )


def test_the_new_person_signs_in_with_the_code_and_must_choose_a_password(app, org, db):
    import re

    c = signed_in(app, "admin")
    body = save(c, GOOD, upload(c, GOOD).get_data(as_text=True)).get_data(as_text=True)
    code = re.search(r"lise\.larsen</td><td><code class=\"one-time\">([^<]+)<", body).group(1)
    new = app.test_client()
    response = login(new, "lise.larsen", code)
    assert response.status_code == 302
    assert new.get("/").status_code == 303  # to /adgangskode first


def test_reimporting_the_same_file_changes_nothing(app, org, db):
    c = signed_in(app, "admin")
    save(c, GOOD, upload(c, GOOD).get_data(as_text=True))
    logged = count(db, AuditLog)
    page = upload(c, GOOD).get_data(as_text=True)
    assert "2 uændret" in page
    save(c, GOOD, page)
    assert count(db, Staff) == 4 and count(db, AuditLog) == logged


def test_reimport_moves_a_person_to_another_team_from_a_date(app, org, db):
    c = signed_in(app, "admin")
    save(c, GOOD, upload(c, GOOD).get_data(as_text=True))
    moved = GOOD.replace(
        "M100;Lise Larsen;lise.larsen;20 11 22 33;hjaelper;Team Nord;KT 1;;fast",
        "M100;Lise Larsen;lise.larsen;20 11 22 33;hjaelper;Team Syd;KT 2;01.01.2027;fast",
    )
    page = upload(c, moved).get_data(as_text=True)
    assert "1 ret" in page and "Team Syd" in page
    assert save(c, moved, page).status_code == 200
    db.expire_all()
    lise = db.exec(select(Staff).where(Staff.external_id == "M100")).one()
    rows = db.exec(
        select(Membership).where(Membership.staff_id == lise.id).order_by(Membership.valid_from)
    ).all()
    assert [(m.team_id, str(m.valid_to)) for m in rows] == [
        (org["team"].id, "2026-12-31"),
        (org["other"].id, "None"),
    ]
    assert count(db, Staff) == 4  # updated, not duplicated


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (";Uden Nummer;uden.nr;;hjaelper;Team Nord;;;", "Medarbejdernr mangler"),
        ("M200;;tom.navn;;hjaelper;Team Nord;;;", "Navn mangler"),
        ("M201;Ukendt Team;ukendt.team;;hjaelper;Team Øst;;;", "Team Øst"),
        ("M202;Dårlig Dato;daarlig.dato;;hjaelper;Team Nord;;31.02.2026;", "31.02.2026"),
        ("M100;Dobbelt Nummer;dobbelt.nr;;hjaelper;Team Nord;;;", "M100"),
        ("M203;Ukendt Rolle;ukendt.rolle;;kok;Team Nord;;;", "kok"),
    ],
)
def test_a_bad_row_refuses_the_whole_file_with_a_danish_reason(app, org, db, row, reason):
    c = signed_in(app, "admin")
    text = GOOD + row + "\n"
    response = upload(c, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Afvist" in page and reason in page
    assert "Gem importen" not in page
    # Even a forged save writes nothing.
    forged = c.post(
        "/admin/import/medarbejdere",
        data={"csrf_token": csrf_token(c), "handling": "gem", "digest": "x", "tekst": text},
    )
    assert forged.status_code == 422
    assert count(db, Staff) == 2


def test_a_save_after_something_changed_shows_a_new_dry_run(app, org, db):
    c = signed_in(app, "admin")
    page = upload(c, GOOD).get_data(as_text=True)
    make_staff(db, {Role.HELPER}, username="lise.larsen")  # someone took the username meanwhile
    db.commit()
    response = save(c, GOOD, page)
    assert response.status_code == 422
    assert count(db, Staff) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "Vælg en CSV-fil"), (b"\xff\xfe\x00M", "UTF-8"), (b"x" * (901 * 1024), "for stor")],
)
def test_a_bad_file_is_a_400_in_danish(app, org, content, message):
    c = signed_in(app, "admin")
    data = {"csrf_token": csrf_token(c), "handling": "proev", "fil": (io.BytesIO(content), "f.csv")}
    response = c.post("/admin/import/medarbejdere", data=data, content_type="multipart/form-data")
    assert response.status_code in (400, 413)
    if response.status_code == 400:
        assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/admin/import/medarbejdere", "/admin/revision", "/admin/revision.csv"]
)
def test_only_admin_reaches_administration(app, org, path):
    assert signed_in(app, "hjaelper").get(path).status_code == 404
    assert app.test_client().get(path).status_code == 302  # to the sign-in
    assert signed_in(app, "admin").get(path).status_code == 200


def test_the_audit_log_is_readable_exportable_and_append_only(app, org, db):
    c = signed_in(app, "admin")
    save(c, GOOD, upload(c, GOOD).get_data(as_text=True))
    page = c.get("/admin/revision").get_data(as_text=True)
    assert "Lise Larsen (lise.larsen) oprettet ved import" in page
    export = c.get("/admin/revision.csv")
    assert export.headers["Content-Disposition"].startswith("attachment")
    text = export.get_data(as_text=True)
    assert text.startswith("\ufefftidspunkt;af;handling")
    assert "lise.larsen" in text
    entry = db.exec(select(AuditLog)).first()
    entry.summary = "rettet"
    db.add(entry)
    with pytest.raises(DBAPIError):
        db.commit()
    db.rollback()
