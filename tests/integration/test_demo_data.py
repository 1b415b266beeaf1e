"""The demo data: the size the README promises, the domain rules kept, logins that work."""

from collections import Counter
from datetime import date

import pytest
from sqlmodel import Session, select

from tests.conftest import login
from webapp import demo
from webapp.db import make_engine
from webapp.domain.citizens import PathwayType, ResponsibleCheck, responsible_errors
from webapp.domain.roles import Role
from webapp.models import Area, Citizen, HealthUnit, Kontaktteam, Pathway, Staff, Team

TODAY = date(2026, 11, 22)


@pytest.fixture
def demo_db(app):
    engine = make_engine(app.config["DATABASE_URL"])
    with Session(engine) as session:
        demo.load(session, TODAY)
        session.commit()
        yield session
    engine.dispose()


def test_shape(demo_db):
    s = demo_db
    assert len(s.exec(select(Area)).all()) == 1
    assert len(s.exec(select(HealthUnit)).all()) == 1
    teams = s.exec(select(Team)).all()
    assert len(teams) == 3
    per_team = Counter(kt.team_id for kt in s.exec(select(Kontaktteam)))
    assert all(3 <= per_team[t.id] <= 4 for t in teams)
    citizens = s.exec(select(Citizen)).all()
    assert 140 <= len(citizens) <= 160
    assert {c.triage_colour for c in citizens} == {"groen", "gul", "roed"}
    types = Counter(p.type for p in s.exec(select(Pathway)))
    assert set(types) == {t.value for t in PathwayType}
    roles = Counter(r for st in s.exec(select(Staff)) for r in st.role_set)
    assert all(roles[r] >= 1 for r in Role)


def test_responsible_people_follow_the_rules(demo_db):
    s = demo_db
    staff = {st.id: st for st in s.exec(select(Staff))}
    pathways = {p.citizen_id: p for p in s.exec(select(Pathway))}
    for c in s.exec(select(Citizen)):
        check = ResponsibleCheck(
            PathwayType(pathways[c.id].type),
            staff[c.kontaktperson_id].role_set,
            staff[c.forloebsansvarlig_id].role_set if c.forloebsansvarlig_id else None,
        )
        assert responsible_errors(check) == [], c.full_name


def test_deterministic(app, tmp_path):
    from tests.database import fresh_database, prepare_template

    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("compares two SQLite copies")
    template = prepare_template(tmp_path)
    names = []
    for n in range(2):
        engine = make_engine(fresh_database(template, tmp_path, f"d{n}"))
        with Session(engine) as session:
            demo.load(session, TODAY)
            session.commit()
            names.append([c.full_name for c in session.exec(select(Citizen).order_by(Citizen.id))])
        engine.dispose()
    assert names[0] == names[1]


@pytest.mark.parametrize("role", list(Role))
def test_every_demo_login_works(client, demo_db, role):
    response = login(client, role.value, demo.DEMO_PASSWORD)
    assert response.status_code == 302
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert page.status_code == 200


def test_demo_helper_has_citizens_in_own_kontaktteam(client, demo_db):
    login(client, "hjaelper", demo.DEMO_PASSWORD)
    html = client.get("/").get_data(as_text=True)
    assert "Mit kontaktteam" in html and "Resten af teamet" in html


def test_cli_loads_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data"])
    assert first.exit_code == 0, first.output
    assert "borgere" in first.output
    again = runner.invoke(args=["demo-data", "--if-empty"])
    assert again.exit_code == 0 and "springes over" in again.output
    refused = runner.invoke(args=["demo-data"])
    assert refused.exit_code != 0
