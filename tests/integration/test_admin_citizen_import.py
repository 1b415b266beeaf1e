# ruff: noqa: E501  (CSV lines are data, kept whole)
"""Importing citizens from CSV: the dry run writes nothing, refused rows stop everything, a
good file creates citizens with placements, pathways and milestones, a re-import updates
(a team move from `fra`, a forløbsskift) instead of duplicating; admin only."""

import io
import re
from datetime import timedelta

import pytest
from sqlmodel import func, select

from tests.conftest import START, csrf_token, login
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
from webapp.models import AuditLog, Citizen, CitizenPlacement, FollowUp, MembershipKind, Pathway

TODAY = START.date()
HEADER = "borgernr;navn;foedselsdato;adresse;postnr;by;team;kontaktteam;kontaktperson;forloebsansvarlig;forloebstype;henvendelse;noter;fra\n"


@pytest.fixture
def org(db):
    area = make_area(db, "Vest")
    unit = make_health_unit(db, area)
    nord = make_team(db, area, "Team Nord")
    syd = make_team(db, area, "Team Syd")
    make_kontaktteam(db, nord, "KT 1")
    make_kontaktteam(db, syd, "KT Syd")
    admin = make_staff(db, {Role.ADMIN}, username="admin")
    make_membership(db, admin, team=nord)
    h1 = make_staff(db, {Role.HELPER}, username="h1", external_id="M1")
    make_membership(db, h1, team=nord)
    h2 = make_staff(db, {Role.HELPER}, username="h2", external_id="M2")
    make_membership(db, h2, team=syd)
    make_membership(db, h2, team=nord)
    nurse = make_staff(db, {Role.NURSE}, username="sp", external_id="S1")
    make_membership(db, nurse, health_unit=unit)
    make_membership(db, nurse, team=nord, kind=MembershipKind.BASISTEAM)
    make_membership(db, nurse, team=syd, kind=MembershipKind.BASISTEAM)
    db.commit()
    return {"nord": nord, "syd": syd}


def signed_in(app, username="admin"):
    c = app.test_client()
    assert login(c, username, PASSWORD).status_code == 302
    return c


def upload(c, text: str):
    data = {"csrf_token": csrf_token(c), "handling": "proev"}
    data["fil"] = (io.BytesIO(text.encode("utf-8")), "borgere.csv")
    return c.post("/admin/import/borgere", data=data, content_type="multipart/form-data")


def save(c, text: str, page: str):
    digest = re.search(r'name="digest" value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf_token(c), "handling": "gem", "digest": digest, "tekst": text}
    return c.post("/admin/import/borgere", data=data)


def count(db, model) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(model)).one()


GOOD = HEADER + (
    f"B1;Anna Andersen;01.02.1935;Skovvej 1;8000;Aarhus C;Team Nord;KT 1;M1;S1;enkelt;{TODAY:%d.%m.%Y};KOL|Demens;\n"
    f"B2;Bent Berg;1940-03-04;Åvej 2;8200;Aarhus N;Team Nord;;M1;;varigt moderat;{(TODAY - timedelta(days=20)):%d.%m.%Y};;\n"
)


def test_dry_run_writes_nothing_then_save_creates(app, db, org):
    c = signed_in(app)
    response = upload(c, GOOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 opret" in page and "Anna Andersen" in page
    assert count(db, Citizen) == 0 and count(db, AuditLog) == 0
    assert save(c, GOOD, page).status_code == 200
    assert count(db, Citizen) == 2
    anna = db.exec(select(Citizen).where(Citizen.external_id == "B1")).one()
    assert anna.key_notes == "KOL; Demens"
    assert db.exec(select(CitizenPlacement).where(CitizenPlacement.citizen_id == anna.id)).one()
    kinds = sorted(f.kind for f in db.exec(select(FollowUp).where(FollowUp.citizen_id == anna.id)))
    assert kinds == ["m1", "m2", "m3"]
    bent = db.exec(select(Citizen).where(Citizen.external_id == "B2")).one()
    # 20 days ago: M1 and M2 have passed and are not created; M4 lies ahead.
    kinds = sorted(f.kind for f in db.exec(select(FollowUp).where(FollowUp.citizen_id == bent.id)))
    assert kinds == ["m4"]
    assert {a.entity for a in db.exec(select(AuditLog)).all()} >= {"borger", "forloeb"}
    # Team Nord's helper sees both.
    h1 = signed_in(app, "h1")
    assert h1.get(f"/borgere/{anna.id}").status_code == 200


def test_reimport_is_unchanged_then_a_move_and_a_pathway_change(app, db, org, clock):
    c = signed_in(app)
    assert save(c, GOOD, upload(c, GOOD).get_data(as_text=True)).status_code == 200
    again = upload(c, GOOD).get_data(as_text=True)
    assert "2 uændret" in again
    on = TODAY + timedelta(days=3)
    changed = HEADER + (
        f"B1;Anna Andersen;01.02.1935;Skovvej 1;8000;Aarhus C;Team Syd;KT Syd;M2;S1;sammensat;;KOL|Demens;{on:%d.%m.%Y}\n"
        f"B2;Bent Berg;1940-03-04;Åvej 2;8200;Aarhus N;Team Nord;;M1;;varigt moderat;;;\n"
    )
    page = upload(c, changed).get_data(as_text=True)
    assert "1 ret" in page and "Team Syd" in page and "Forløbsskift" in page
    assert save(c, changed, page).status_code == 200
    assert count(db, Citizen) == 2
    anna = db.exec(select(Citizen).where(Citizen.external_id == "B1")).one()
    assert anna.team_id == org["nord"].id  # until the day
    pathways = db.exec(
        select(Pathway).where(Pathway.citizen_id == anna.id).order_by(Pathway.id)
    ).all()
    assert [p.type for p in pathways] == ["enkelt", "sammensat"]
    clock.advance(days=3)
    assert signed_in(app, "h2").get(f"/borgere/{anna.id}").status_code == 200
    db.expire_all()
    assert db.get(Citizen, anna.id).team_id == org["syd"].id


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("B9;;01.01.1940;Vej 1;8000;By;Team Nord;;M1;;varigt moderat;01.11.2026;;", "Navn mangler"),
        ("B9;Ny;01.01.1940;Vej 1;8000;By;Team Øst;;M1;;varigt moderat;01.11.2026;;", "Team Øst"),
        ("B9;Ny;31.02.1940;Vej 1;8000;By;Team Nord;;M1;;varigt moderat;01.11.2026;;", "31.02.1940"),
        ("B9;Ny;01.01.1940;Vej 1;8000;By;Team Nord;;M9;;varigt moderat;01.11.2026;;", "M9"),
        ("B9;Ny;01.01.1940;Vej 1;8000;By;Team Nord;;M1;;;;;", "forløbstype"),
    ],
)
def test_a_refused_row_stops_everything(app, db, org, line, reason):
    c = signed_in(app)
    text = GOOD + line + "\n"
    response = upload(c, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Afvist" in page and reason in page
    assert "Gem importen" not in page
    assert count(db, Citizen) == 0


def test_a_duplicate_id_in_the_file_is_refused(app, db, org):
    text = GOOD + GOOD.splitlines()[1] + "\n"
    assert upload(signed_in(app), text).status_code == 422


def test_a_changed_database_between_dry_run_and_save_is_a_409(app, db, org):
    c = signed_in(app)
    page = upload(c, GOOD).get_data(as_text=True)
    first = HEADER + GOOD.splitlines()[1] + "\n"
    assert save(c, first, upload(c, first).get_data(as_text=True)).status_code == 200
    response = save(c, GOOD, page)
    assert response.status_code == 409
    assert count(db, Citizen) == 1


@pytest.mark.parametrize("username", ["h1", "sp"])
def test_only_admin(app, org, username):
    c = signed_in(app, username)
    assert c.get("/admin/import/borgere").status_code == 404
    assert upload(c, GOOD).status_code == 404


@pytest.mark.parametrize(
    "raw",
    [b"", b"\xff\xfe\x00", b"borgernr\n\x00", b"x;y\n1;2\n", ("a" * 2_000_000).encode()],
)
def test_garbage_files_are_4xx(app, org, raw):
    c = signed_in(app)
    data = {"csrf_token": csrf_token(c), "handling": "proev"}
    data["fil"] = (io.BytesIO(raw), "x.csv")
    response = c.post("/admin/import/borgere", data=data, content_type="multipart/form-data")
    assert 400 <= response.status_code < 500
