"""Reorganisation by date: a kontaktteam moves to another team, or a team is split. Its
staff and citizens follow from the day; before it, history and scope stay as they were."""

from datetime import date, timedelta

import pytest
from sqlmodel import func, select

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
from webapp.domain.roles import Role
from webapp.models import (
    AuditLog,
    Citizen,
    CitizenPlacement,
    Kontaktteam,
    Membership,
    MembershipKind,
    Team,
)

TODAY = START.date()
DAY = TODAY + timedelta(days=7)
LONG_AGO = date(2025, 1, 1)


def place(db, citizen: Citizen, on: date = LONG_AGO) -> CitizenPlacement:
    row = CitizenPlacement(
        citizen_id=citizen.id,
        team_id=citizen.team_id,
        kontaktteam_id=citizen.kontaktteam_id,
        valid_from=on,
    )
    db.add(row)
    db.flush()
    return row


@pytest.fixture
def org(db):
    area = make_area(db, "Vest")
    unit = make_health_unit(db, area)
    nord = make_team(db, area, "Team Nord")
    syd = make_team(db, area, "Team Syd")
    k1 = make_kontaktteam(db, nord, "KT 1")
    k2 = make_kontaktteam(db, nord, "KT 2")
    ks = make_kontaktteam(db, syd, "KT Syd")
    admin = make_staff(db, {Role.ADMIN}, username="admin")
    h1 = make_staff(db, {Role.HELPER}, username="h1", full_name="Hanne Et")
    h2 = make_staff(db, {Role.HELPER}, username="h2", full_name="Hans To")
    hs = make_staff(db, {Role.HELPER}, username="hs", full_name="Sara Syd")
    leader = make_staff(db, {Role.LEADER}, username="leder", full_name="Lene Leder")
    nurse = make_staff(db, {Role.NURSE}, username="sp", full_name="Sofie Sygeplejerske")
    make_membership(db, admin, team=nord)
    make_membership(db, h1, team=nord, kontaktteam=k1)
    make_membership(db, h2, team=nord, kontaktteam=k2)
    make_membership(db, hs, team=syd, kontaktteam=ks)
    make_membership(db, leader, team=nord)
    make_membership(db, nurse, health_unit=unit)
    make_membership(db, nurse, team=nord, kind=MembershipKind.BASISTEAM)
    c1 = make_citizen(db, nord, h1, kontaktteam=k1, full_name="Inger Første")
    c2 = make_citizen(db, nord, h2, kontaktteam=k2, full_name="Karl Anden")
    place(db, c1)
    place(db, c2)
    db.commit()
    return {
        "nord": nord,
        "syd": syd,
        "k1": k1,
        "k2": k2,
        "c1": c1,
        "c2": c2,
        "h1": h1,
        "h2": h2,
        "nurse": nurse,
    }


def signed_in(app, username):
    c = app.test_client()
    assert login(c, username, PASSWORD).status_code == 302
    return c


def sees(app, username, citizen) -> bool:
    response = signed_in(app, username).get(f"/borgere/{citizen.id}")
    assert response.status_code in (200, 404)
    return response.status_code == 200


def move(c, kt, team, on=DAY, handling="gem"):
    return c.post(
        "/admin/organisation/omorganisering/flyt",
        data={
            "csrf_token": csrf_token(c),
            "kontaktteam": str(kt.id),
            "team": str(team.id),
            "dato": on.isoformat(),
            "handling": handling,
        },
    )


def split(c, team, kts, name="Team Nordvest", on=DAY, handling="gem"):
    return c.post(
        "/admin/organisation/omorganisering/del",
        data={
            "csrf_token": csrf_token(c),
            "team_del": str(team.id),
            "kontaktteams": [str(k.id) for k in kts],
            "navn": name,
            "dato": on.isoformat(),
            "handling": handling,
        },
    )


def counts(db) -> tuple[int, ...]:
    db.expire_all()
    return tuple(
        db.exec(select(func.count()).select_from(m)).one()
        for m in (Membership, CitizenPlacement, Kontaktteam, Team, AuditLog)
    )


def test_the_preview_names_who_follows_and_writes_nothing(app, db, org):
    c = signed_in(app, "admin")
    before = counts(db)
    response = move(c, org["k1"], org["syd"], handling="proev")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Prøve – intet er gemt endnu" in page
    assert "Hanne Et" in page and "Inger Første" in page
    assert "Hans To" not in page and "Karl Anden" not in page
    assert counts(db) == before
    db.expire_all()
    assert db.get(Kontaktteam, org["k1"].id).closed_on is None


def test_moving_a_kontaktteam_keeps_scope_until_the_day(app, db, org, clock):
    c = signed_in(app, "admin")
    assert move(c, org["k1"], org["syd"]).status_code == 303
    # Before the day: exactly as it was.
    assert sees(app, "h1", org["c1"]) and sees(app, "h2", org["c1"])
    assert not sees(app, "hs", org["c1"])
    assert sees(app, "leder", org["c1"])
    db.expire_all()
    assert db.get(Citizen, org["c1"].id).team_id == org["nord"].id
    # From the day: the kontaktteam, its staff and citizens are in Team Syd.
    clock.advance(days=7)
    assert sees(app, "h1", org["c1"]) and sees(app, "hs", org["c1"])
    assert not sees(app, "h2", org["c1"]) and not sees(app, "leder", org["c1"])
    assert sees(app, "h2", org["c2"]) and not sees(app, "h1", org["c2"])
    db.expire_all()
    citizen = db.get(Citizen, org["c1"].id)
    new_kt = db.get(Kontaktteam, citizen.kontaktteam_id)
    assert citizen.team_id == org["syd"].id
    assert (new_kt.name, new_kt.team_id) == ("KT 1", org["syd"].id)
    # The day before, again: time back, scope back (the history is date-effective).
    clock.advance(days=-1)
    app2 = app  # same app, new day: the placement in force is the old one again
    assert sees(app2, "h2", org["c1"]) and not sees(app2, "hs", org["c1"])


def test_the_history_is_kept_row_by_row(app, db, org):
    c = signed_in(app, "admin")
    assert move(c, org["k1"], org["syd"]).status_code == 303
    db.expire_all()
    placements = db.exec(
        select(CitizenPlacement)
        .where(CitizenPlacement.citizen_id == org["c1"].id)
        .order_by(CitizenPlacement.valid_from)
    ).all()
    assert [(p.team_id, p.valid_from, p.valid_to) for p in placements] == [
        (org["nord"].id, LONG_AGO, DAY - timedelta(days=1)),
        (org["syd"].id, DAY, None),
    ]
    memberships = db.exec(
        select(Membership)
        .where(Membership.staff_id == org["h1"].id)
        .order_by(Membership.valid_from)
    ).all()
    assert [(m.team_id, m.kontaktteam_id == org["k1"].id, m.valid_to) for m in memberships] == [
        (org["nord"].id, True, DAY - timedelta(days=1)),
        (org["syd"].id, False, None),
    ]
    assert db.get(Kontaktteam, org["k1"].id).closed_on == DAY
    summaries = [a.summary for a in db.exec(select(AuditLog)).all()]
    assert any("Kontaktteam KT 1 oprettet i Team Syd" in s for s in summaries)
    assert any("Inger Første følger kontaktteamet" in s for s in summaries)
    assert any("Medlemskab for Hanne Et" in s for s in summaries)
    assert any("lukker fra" in s for s in summaries)


def test_a_move_from_today_takes_effect_at_once(app, db, org):
    c = signed_in(app, "admin")
    assert move(c, org["k1"], org["syd"], on=TODAY).status_code == 303
    assert sees(app, "hs", org["c1"]) and not sees(app, "h2", org["c1"])
    assert sees(app, "h1", org["c1"])


def test_a_membership_that_starts_after_the_day_points_at_the_new_team(app, db, org):
    late = make_staff(db, {Role.HELPER}, username="ny")
    make_membership(
        db, late, team=org["nord"], kontaktteam=org["k1"], valid_from=DAY + timedelta(days=3)
    )
    db.commit()
    assert move(signed_in(app, "admin"), org["k1"], org["syd"]).status_code == 303
    db.expire_all()
    rows = db.exec(select(Membership).where(Membership.staff_id == late.id)).all()
    assert [(m.team_id, m.valid_from) for m in rows] == [(org["syd"].id, DAY + timedelta(days=3))]


def test_a_citizen_without_placement_history_follows_too(app, db, org, clock):
    old = make_citizen(db, org["nord"], org["h1"], kontaktteam=org["k1"], full_name="Ole Uden")
    db.commit()
    assert move(signed_in(app, "admin"), org["k1"], org["syd"]).status_code == 303
    assert sees(app, "h2", old)
    clock.advance(days=7)
    assert sees(app, "hs", old) and not sees(app, "h2", old)


def test_splitting_a_team(app, db, org, clock):
    c = signed_in(app, "admin")
    preview = split(c, org["nord"], [org["k2"]], handling="proev")
    assert preview.status_code == 200
    assert "Karl Anden" in preview.get_data(as_text=True)
    assert split(c, org["nord"], [org["k2"]]).status_code == 303
    db.expire_all()
    new_team = db.exec(select(Team).where(Team.name == "Team Nordvest")).one()
    assert new_team.area_id == org["nord"].area_id
    # The basisteam nurse is attached to the new team from the day.
    attached = db.exec(
        select(Membership).where(
            Membership.staff_id == org["nurse"].id, Membership.team_id == new_team.id
        )
    ).one()
    assert (attached.kind, attached.valid_from) == (MembershipKind.BASISTEAM, DAY)
    assert sees(app, "h1", org["c2"]) and sees(app, "h2", org["c2"])
    clock.advance(days=7)
    assert sees(app, "h2", org["c2"]) and not sees(app, "h1", org["c2"])
    assert sees(app, "sp", org["c2"]) and sees(app, "sp", org["c1"])
    assert not sees(app, "leder", org["c2"]) and sees(app, "leder", org["c1"])


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (TODAY - timedelta(days=1), "tidligst gælde fra i dag"),
        (TODAY + timedelta(days=400), "højst planlægges et år frem"),
    ],
)
def test_dates_outside_the_limits_are_refused(app, db, org, on, message):
    before = counts(db)
    response = move(signed_in(app, "admin"), org["k1"], org["syd"], on=on)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts(db) == before


def test_refusals(app, db, org):
    c = signed_in(app, "admin")
    before = counts(db)
    same = move(c, org["k1"], org["nord"])
    assert same.status_code == 400 and "hører allerede til Team Nord" in same.get_data(as_text=True)
    clash = make_kontaktteam(db, org["syd"], "KT 1")
    db.commit()
    taken = move(c, org["k1"], org["syd"])
    assert taken.status_code == 400 and "findes allerede" in taken.get_data(as_text=True)
    db.delete(clash)
    db.commit()
    none = split(c, org["nord"], [])
    assert none.status_code == 400 and "Vælg de kontaktteams" in none.get_data(as_text=True)
    name = split(c, org["nord"], [org["k2"]], name="team syd")
    assert name.status_code == 400 and "findes allerede" in name.get_data(as_text=True)
    assert counts(db) == before


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kontaktteam": "abc", "team": "1", "dato": "2026-12-01"},
        {"kontaktteam": "99999999999", "team": "1", "dato": "2026-12-01"},
        {"kontaktteam": "1", "team": "x", "dato": "31.02.2027"},
        {"kontaktteam": "1", "team": "1", "dato": "i morgen"},
        {"team_del": "1", "kontaktteams": ["a", "99999999999"], "navn": "\x00", "dato": ""},
    ],
)
def test_garbage_is_a_400_never_a_500(app, org, data):
    c = signed_in(app, "admin")
    for path in ("flyt", "del"):
        response = c.post(
            f"/admin/organisation/omorganisering/{path}", data={"csrf_token": csrf_token(c), **data}
        )
        assert 400 <= response.status_code < 500


@pytest.mark.parametrize("username", ["h1", "leder", "sp"])
def test_only_admin(app, org, username):
    c = signed_in(app, username)
    assert c.get("/admin/organisation/omorganisering/").status_code == 404
    assert move(c, org["k1"], org["syd"]).status_code == 404


def test_the_page_renders(app, org):
    c = signed_in(app, "admin")
    page = c.get("/admin/organisation/omorganisering/").get_data(as_text=True)
    assert "Flyt et kontaktteam" in page and "Del et team" in page
    page = c.get(f"/admin/organisation/omorganisering/?team={org['nord'].id}").get_data(
        as_text=True
    )
    assert "Kontaktteams i Team Nord" in page and "KT 2" in page
