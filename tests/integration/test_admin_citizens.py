"""Citizens in administration: create with the referral that starts the pathway, edit the
record and the named people, move from a date with history, cancel a planned move; audited,
access-logged, admin only. And the borgerkonsulent's new citizen and new referral."""

from datetime import timedelta

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
from webapp.domain.citizens import PathwayType
from webapp.domain.roles import Role
from webapp.models import (
    AccessLog,
    AuditLog,
    Citizen,
    CitizenPlacement,
    FollowUp,
    MembershipKind,
    Pathway,
)

TODAY = START.date()


@pytest.fixture
def org(db):
    area = make_area(db, "Vest")
    unit = make_health_unit(db, area)
    nord = make_team(db, area, "Team Nord")
    syd = make_team(db, area, "Team Syd")
    k1 = make_kontaktteam(db, nord, "KT 1")
    ks = make_kontaktteam(db, syd, "KT Syd")
    admin = make_staff(db, {Role.ADMIN}, username="admin")
    make_membership(db, admin, team=nord)
    helper = make_staff(db, {Role.HELPER}, username="h1", full_name="Hanne Hjælper")
    make_membership(db, helper, team=nord, kontaktteam=k1)
    south = make_staff(db, {Role.HELPER}, username="hs", full_name="Sara Syd")
    make_membership(db, south, team=syd, kontaktteam=ks)
    nurse = make_staff(db, {Role.NURSE}, username="sp", full_name="Sofie Sygeplejerske")
    make_membership(db, nurse, health_unit=unit)
    make_membership(db, nurse, team=nord, kind=MembershipKind.BASISTEAM)
    other_nurse = make_staff(db, {Role.NURSE}, username="sp2", full_name="Sune Andetsteds")
    make_membership(db, other_nurse, health_unit=unit)
    consultant = make_staff(db, {Role.CITIZEN_CONSULTANT}, username="bk", full_name="Bo Konsulent")
    make_membership(db, consultant, team=nord)
    known = make_citizen(
        db,
        nord,
        helper,
        kontaktteam=k1,
        forloebsansvarlig=nurse,
        pathway=PathwayType.SIMPLE,
        full_name="Kaj Kendt",
    )
    db.commit()
    return {
        "nord": nord,
        "syd": syd,
        "k1": k1,
        "ks": ks,
        "helper": helper,
        "south": south,
        "nurse": nurse,
        "other_nurse": other_nurse,
        "known": known,
    }


def signed_in(app, username):
    c = app.test_client()
    assert login(c, username, PASSWORD).status_code == 302
    return c


def new_citizen(org, **extra):
    data = {
        "team": str(org["nord"].id),
        "kontaktteam": str(org["k1"].id),
        "navn": "Ellen  Ny",
        "foedselsdato": "03.04.1938",
        "adresse": "Havnegade 4",
        "postnr": "8000",
        "by": "Aarhus C",
        "telefon": "86 12 34 56",
        "noter": "KOL | Demens",
        "tobs": "ja",
        "puls": "72",
        "kontaktperson": str(org["helper"].id),
        "forloebsansvarlig": str(org["nurse"].id),
        "henvendelse": TODAY.isoformat(),
        "klokken": "09.30",
        "forloebstype": "enkelt",
    }
    data.update(extra)
    return data


def post(c, path, data):
    return c.post(path, data={"csrf_token": csrf_token(c), **data})


def one(db, name):
    db.expire_all()
    return db.exec(select(Citizen).where(Citizen.full_name == name)).one()


def test_admin_creates_a_citizen_and_the_pathway_starts_its_milestones(app, db, org):
    c = signed_in(app, "admin")
    response = post(c, "/admin/borgere/ny", new_citizen(org))
    assert response.status_code == 303
    citizen = one(db, "Ellen Ny")
    assert (citizen.team_id, citizen.kontaktteam_id) == (org["nord"].id, org["k1"].id)
    assert citizen.key_notes == "KOL; Demens" and citizen.habitual_pulse == 72
    pathway = db.exec(select(Pathway).where(Pathway.citizen_id == citizen.id)).one()
    assert (pathway.type, pathway.referral_date) == ("enkelt", TODAY)
    kinds = sorted(
        f.kind for f in db.exec(select(FollowUp).where(FollowUp.citizen_id == citizen.id))
    )
    assert kinds == ["m1", "m2", "m3"]
    owners = {
        f.owner_id for f in db.exec(select(FollowUp).where(FollowUp.citizen_id == citizen.id))
    }
    assert owners == {org["nurse"].id}
    placement = db.exec(
        select(CitizenPlacement).where(CitizenPlacement.citizen_id == citizen.id)
    ).one()
    assert (placement.valid_from, placement.valid_to) == (TODAY, None)
    entities = {a.entity for a in db.exec(select(AuditLog)).all()}
    assert {"borger", "forloeb"} <= entities
    # The helper in the team sees the new citizen at once.
    assert signed_in(app, "h1").get(f"/borgere/{citizen.id}").status_code == 200


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"navn": ""}, "navn", "Skriv borgerens navn."),
        ({"foedselsdato": "31.02.1940"}, "foedselsdato", "er ikke en dato"),
        ({"foedselsdato": "01.01.2030"}, "foedselsdato", "mellem 1900 og i dag"),
        ({"postnr": "80"}, "postnr", "4 cifre"),
        ({"puls": "900"}, "puls", "mellem 20 og 250"),
        ({"tobs": "nej"}, "tobs_undtagelse", "hvorfor TOBS ikke bruges"),
        ({"henvendelse": (TODAY + timedelta(days=1)).isoformat()}, "henvendelse", "fremtiden"),
        ({"henvendelse": "2020-01-01"}, "henvendelse", "30 dage tilbage"),
        ({"forloebstype": "kort"}, "forloebstype", "Vælg forløbstype"),
        ({"klokken": "25.00"}, "klokken", "09.30"),
        ({"kontaktperson": ""}, "kontaktperson", "Vælg en kontaktperson"),
        ({"forloebsansvarlig": ""}, "forloebsansvarlig", "navngiven forløbsansvarlig"),
        ({"forloebstype": "varigt_moderat"}, "forloebsansvarlig", "ingen forløbsansvarlig"),
    ],
)
def test_bad_input_is_a_400_in_danish_and_nothing_is_written(app, db, org, extra, field, message):
    c = signed_in(app, "admin")
    before = db.exec(select(func.count()).select_from(Citizen)).one()
    response = post(c, "/admin/borgere/ny", new_citizen(org, **extra))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-fejl"' in page
    db.expire_all()
    assert db.exec(select(func.count()).select_from(Citizen)).one() == before


def test_people_must_belong_to_the_team(app, db, org):
    c = signed_in(app, "admin")
    response = post(
        c,
        "/admin/borgere/ny",
        new_citizen(
            org, kontaktperson=str(org["south"].id), forloebsansvarlig=str(org["other_nurse"].id)
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Sara Syd er ikke SOSU-hjælper eller -assistent i teamet" in page
    assert "Sune Andetsteds er hverken i teamet eller tilknyttet dets basisteam" in page


def test_a_kontaktteam_of_another_team_is_refused(app, org):
    response = post(
        signed_in(app, "admin"),
        "/admin/borgere/ny",
        new_citizen(org, kontaktteam=str(org["ks"].id)),
    )
    assert response.status_code == 400
    assert "Kontaktteamet hører ikke til det valgte team." in response.get_data(as_text=True)


def test_a_duplicate_needs_confirming(app, db, org):
    c = signed_in(app, "admin")
    data = new_citizen(org, navn="Kaj Kendt", foedselsdato="17.05.1940")
    response = post(c, "/admin/borgere/ny", data)
    assert response.status_code == 409
    assert "samme navn og fødselsdato (Team Nord)" in response.get_data(as_text=True)
    assert post(c, "/admin/borgere/ny", {**data, "anden_borger": "ja"}).status_code == 303


def test_a_taken_borgernr_is_refused(app, db, org):
    org["known"].external_id = "B-1"
    db.add(org["known"])
    db.commit()
    response = post(signed_in(app, "admin"), "/admin/borgere/ny", new_citizen(org, borgernr="B-1"))
    assert response.status_code == 400
    assert "Borgernummeret B-1 hører allerede til en anden borger." in response.get_data(
        as_text=True
    )


def test_the_list_and_the_page_are_access_logged(app, db, org):
    c = signed_in(app, "admin")
    page = c.get("/admin/borgere/?q=kaj").get_data(as_text=True)
    assert "Kaj Kendt" in page
    page = c.get(f"/admin/borgere/{org['known'].id}").get_data(as_text=True)
    assert "Enkelt forløb" in page and "Hanne Hjælper" in page
    db.expire_all()
    actions = [a.action for a in db.exec(select(AccessLog)).all()]
    assert "admin_borgere" in actions and "admin_borger" in actions


def test_edit_is_audited_with_before_and_after(app, db, org):
    c = signed_in(app, "admin")
    from webapp.admin.citizen_views import form_values

    data = {k: str(v) for k, v in form_values(org["known"]).items()}
    data.update({"adresse": "Ny Vej 1", "tobs": "nej", "tobs_undtagelse": "Terminal"})
    assert post(c, f"/admin/borgere/{org['known'].id}", data).status_code == 303
    citizen = one(db, "Kaj Kendt")
    assert (citizen.street, citizen.tobs_applies) == ("Ny Vej 1", False)
    entry = db.exec(select(AuditLog).where(AuditLog.entity == "borger")).one()
    assert "Testvej" in entry.before and "Ny Vej 1" in entry.after
    assert "street" in entry.summary
    # Saving the same again changes nothing and logs nothing.
    assert post(c, f"/admin/borgere/{org['known'].id}", data).status_code == 303
    db.expire_all()
    assert (
        db.exec(select(func.count()).select_from(AuditLog).where(AuditLog.entity == "borger")).one()
        == 1
    )


def test_a_new_forloebsansvarlig_takes_over_the_open_milestones(app, db, org):
    from webapp.admin.citizen_views import form_values
    from webapp.followups.operations import generate_milestones

    citizen = org["known"]
    pathway = db.exec(select(Pathway).where(Pathway.citizen_id == citizen.id)).one()
    generate_milestones(
        db,
        citizen,
        pathway,
        app.config["TIMEZONE_INFO"]
        if "TIMEZONE_INFO" in app.config
        else __import__("zoneinfo").ZoneInfo("Europe/Copenhagen"),
        START,
    )
    other = make_staff(db, {Role.NURSE}, username="sp3", full_name="Signe Ny")
    make_membership(db, other, team=org["nord"], kind=MembershipKind.BASISTEAM)
    db.commit()
    data = {k: str(v) for k, v in form_values(citizen).items()}
    data["forloebsansvarlig"] = str(other.id)
    assert post(signed_in(app, "admin"), f"/admin/borgere/{citizen.id}", data).status_code == 303
    db.expire_all()
    owners = {
        f.owner_id for f in db.exec(select(FollowUp).where(FollowUp.citizen_id == citizen.id))
    }
    assert owners == {other.id}


def test_move_from_a_date_keeps_history_and_can_be_cancelled(app, db, org, clock):
    c = signed_in(app, "admin")
    citizen = org["known"]
    on = TODAY + timedelta(days=5)
    response = post(
        c,
        f"/admin/borgere/{citizen.id}/flyt",
        {"placering": f"{org['syd'].id}-{org['ks'].id}", "dato": on.isoformat()},
    )
    assert response.status_code == 303
    page = c.get(f"/admin/borgere/{citizen.id}").get_data(as_text=True)
    assert "Planlagt" in page and "Kontaktpersonen er ikke i det nye team" in page
    assert signed_in(app, "h1").get(f"/borgere/{citizen.id}").status_code == 200
    # A second planned move is refused until the first is cancelled.
    again = post(
        c,
        f"/admin/borgere/{citizen.id}/flyt",
        {"placering": f"{org['syd'].id}", "dato": on.isoformat()},
    )
    assert again.status_code == 409 and "allerede planlagt" in again.get_data(as_text=True)
    planned = db.exec(
        select(CitizenPlacement).where(
            CitizenPlacement.citizen_id == citizen.id, CitizenPlacement.valid_from == on
        )
    ).one()
    assert post(c, f"/admin/borgere/{citizen.id}/flyt/{planned.id}/fortryd", {}).status_code == 303
    db.expire_all()
    rows = db.exec(select(CitizenPlacement).where(CitizenPlacement.citizen_id == citizen.id)).all()
    assert [(r.team_id, r.valid_to) for r in rows] == [(org["nord"].id, None)]
    # Moved again, and the day comes: Team Syd sees the citizen, Team Nord no longer does.
    assert (
        post(
            c,
            f"/admin/borgere/{citizen.id}/flyt",
            {"placering": f"{org['syd'].id}-{org['ks'].id}", "dato": on.isoformat()},
        ).status_code
        == 303
    )
    clock.advance(days=5)
    assert signed_in(app, "hs").get(f"/borgere/{citizen.id}").status_code == 200
    assert signed_in(app, "h1").get(f"/borgere/{citizen.id}").status_code == 404
    cancel_late = db.exec(
        select(CitizenPlacement).where(
            CitizenPlacement.citizen_id == citizen.id, CitizenPlacement.valid_from == on
        )
    ).one()
    c = signed_in(app, "admin")  # five days on: the old session has timed out
    late = post(c, f"/admin/borgere/{citizen.id}/flyt/{cancel_late.id}/fortryd", {})
    assert late.status_code == 409 and "ikke er trådt i kraft" in late.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"placering": "", "dato": TODAY.isoformat()}, 400),
        ({"placering": "x-y", "dato": TODAY.isoformat()}, 400),
        ({"placering": "99999999999", "dato": TODAY.isoformat()}, 400),
        ({"placering": "1", "dato": "31.02.2026"}, 400),
        ({"placering": "1", "dato": "2020-01-01"}, 400),
    ],
)
def test_bad_moves_are_4xx(app, org, data, status):
    response = post(signed_in(app, "admin"), f"/admin/borgere/{org['known'].id}/flyt", data)
    assert response.status_code == status


@pytest.mark.parametrize("username", ["h1", "sp", "bk"])
def test_only_admin_reaches_administration(app, org, username):
    c = signed_in(app, username)
    assert c.get("/admin/borgere/").status_code == 404
    assert c.get(f"/admin/borgere/{org['known'].id}").status_code == 404
    assert post(c, "/admin/borgere/ny", new_citizen(org)).status_code == 404


# --- The borgerkonsulent ---------------------------------------------------------------------


def test_the_consultant_registers_a_new_citizen_in_their_team(app, db, org):
    c = signed_in(app, "bk")
    page = c.get("/visitation/").get_data(as_text=True)
    assert "Ny borger i Team Nord" in page and "Team Syd" not in page
    form = c.get(f"/visitation/ny?team={org['nord'].id}").get_data(as_text=True)
    assert "Hanne Hjælper" in form and "Sara Syd" not in form
    response = post(c, "/visitation/ny", new_citizen(org, udskrivelse="ja"))
    assert response.status_code == 303
    citizen = one(db, "Ellen Ny")
    assert response.headers["Location"].endswith(f"/borgere/{citizen.id}")
    m1 = db.exec(
        select(FollowUp).where(FollowUp.citizen_id == citizen.id, FollowUp.kind == "m1")
    ).one()
    assert m1.due_date == TODAY + timedelta(days=1)  # 24 hours after a discharge


def test_the_consultant_cannot_register_in_another_team(app, db, org):
    response = post(
        signed_in(app, "bk"), "/visitation/ny", new_citizen(org, team=str(org["syd"].id))
    )
    assert response.status_code == 400
    assert "Vælg et af dine teams." in response.get_data(as_text=True)


def test_a_new_referral_ends_the_pathway_and_starts_the_milestones(app, db, org):
    from zoneinfo import ZoneInfo

    from webapp.followups.operations import generate_milestones

    citizen = org["known"]
    old = db.exec(select(Pathway).where(Pathway.citizen_id == citizen.id)).one()
    generate_milestones(db, citizen, old, ZoneInfo("Europe/Copenhagen"), START)
    db.commit()
    c = signed_in(app, "bk")
    found = c.get("/visitation/?q=kaj").get_data(as_text=True)
    assert "Kaj Kendt" in found
    assert "Ny henvendelse" in c.get(f"/borgere/{citizen.id}").get_data(as_text=True)
    assert c.get(f"/visitation/borgere/{citizen.id}/henvendelse").status_code == 200
    response = post(
        c,
        f"/visitation/borgere/{citizen.id}/henvendelse",
        {
            "henvendelse": TODAY.isoformat(),
            "forloebstype": "sammensat",
            "forloebsansvarlig": str(org["nurse"].id),
        },
    )
    assert response.status_code == 303
    db.expire_all()
    pathways = db.exec(
        select(Pathway).where(Pathway.citizen_id == citizen.id).order_by(Pathway.id)
    ).all()
    assert [(p.type, p.ended_on) for p in pathways] == [("enkelt", TODAY), ("sammensat", None)]
    follow_ups = db.exec(select(FollowUp).where(FollowUp.citizen_id == citizen.id)).all()
    assert {f.status for f in follow_ups if f.pathway_id == old.id} == {"aflyst"}
    assert sorted(f.kind for f in follow_ups if f.pathway_id == pathways[1].id) == [
        "m1",
        "m2",
        "m3",
    ]


def test_a_new_referral_outside_scope_is_404_and_bad_input_400(app, db, org):
    south_citizen = make_citizen(db, org["syd"], org["south"], full_name="Sten Syd")
    db.commit()
    c = signed_in(app, "bk")
    assert c.get(f"/visitation/borgere/{south_citizen.id}/henvendelse").status_code == 404
    response = post(
        c,
        f"/visitation/borgere/{org['known'].id}/henvendelse",
        {
            "henvendelse": "2020-13-01",
            "forloebstype": "enkelt",
            "forloebsansvarlig": str(org["nurse"].id),
        },
    )
    assert response.status_code == 400 and "er ikke en dato" in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["h1", "sp", "admin"])
def test_only_the_consultant_reaches_visitation(app, org, username):
    c = signed_in(app, username)
    assert c.get("/visitation/").status_code == 404
    assert c.get(f"/visitation/borgere/{org['known'].id}/henvendelse").status_code == 404


@pytest.mark.parametrize(
    "junk",
    ["\x00", "x" * 5000, "1" * 30, "-1", "2026-02-30", "<script>", "١٢"],
)
def test_garbage_never_gives_a_500(app, org, junk):
    admin, bk = signed_in(app, "admin"), signed_in(app, "bk")
    fields = list(new_citizen(org))
    for field in fields:
        for c, path in ((admin, "/admin/borgere/ny"), (bk, "/visitation/ny")):
            assert post(c, path, new_citizen(org, **{field: junk})).status_code < 500
    assert (
        post(admin, f"/admin/borgere/{org['known'].id}", new_citizen(org, navn=junk)).status_code
        < 500
    )
    assert (
        post(
            bk,
            f"/visitation/borgere/{org['known'].id}/henvendelse",
            {"henvendelse": junk, "klokken": junk, "forloebstype": junk, "forloebsansvarlig": junk},
        ).status_code
        < 500
    )


def test_admin_changes_the_pathway_type(app, db, org):
    c = signed_in(app, "admin")
    citizen = org["known"]
    path = f"/admin/borgere/{citizen.id}/forloeb"
    future = post(
        c,
        path,
        {
            "forloebstype": "sammensat",
            "skiftedato": (TODAY + timedelta(days=1)).isoformat(),
            "forloebsansvarlig": str(org["nurse"].id),
        },
    )
    assert future.status_code == 400 and "frem i tiden" in future.get_data(as_text=True)
    moderate = post(
        c,
        path,
        {
            "forloebstype": "varigt_moderat",
            "skiftedato": TODAY.isoformat(),
            "forloebsansvarlig": str(org["nurse"].id),
        },
    )
    assert moderate.status_code == 400 and "ingen forløbsansvarlig" in moderate.get_data(
        as_text=True
    )
    missing = post(c, path, {"skiftedato": TODAY.isoformat()})
    assert missing.status_code == 400 and "Vælg forløbstype." in missing.get_data(as_text=True)
    done = post(
        c,
        path,
        {
            "forloebstype": "varigt_moderat",
            "skiftedato": TODAY.isoformat(),
            "forloebsansvarlig": "",
        },
    )
    assert done.status_code == 303
    db.expire_all()
    pathways = db.exec(
        select(Pathway).where(Pathway.citizen_id == citizen.id).order_by(Pathway.id)
    ).all()
    assert [(p.type, p.ended_on) for p in pathways] == [("enkelt", TODAY), ("varigt_moderat", None)]
    assert db.get(Citizen, citizen.id).forloebsansvarlig_id is None
    entry = db.exec(select(AuditLog).where(AuditLog.entity == "forloeb")).one()
    assert "forløbsskift til varigt forløb, moderat" in entry.summary


def test_the_placements_command_brings_a_planned_move_into_force(app, db, org, clock):
    citizen = org["known"]
    on = TODAY + timedelta(days=2)
    c = signed_in(app, "admin")
    data = {"placering": f"{org['syd'].id}", "dato": on.isoformat()}
    assert post(c, f"/admin/borgere/{citizen.id}/flyt", data).status_code == 303
    clock.advance(days=2)
    result = app.test_cli_runner().invoke(args=["placements"])
    assert "Borgere flyttet i dag: 1." in result.output
    db.expire_all()
    assert db.get(Citizen, citizen.id).team_id == org["syd"].id
    again = app.test_cli_runner().invoke(args=["placements"])
    assert "Borgere flyttet i dag: 0." in again.output


def test_a_refused_move_of_a_citizen_without_history_writes_nothing(app, db, org):
    citizen = org["known"]  # made by the factory: no placement rows yet
    c = signed_in(app, "admin")
    same = {"placering": f"{org['nord'].id}-{org['k1'].id}", "dato": TODAY.isoformat()}
    response = post(c, f"/admin/borgere/{citizen.id}/flyt", same)
    assert response.status_code == 400
    assert "hører allerede til dette team" in response.get_data(as_text=True)
    db.expire_all()
    assert db.exec(select(func.count()).select_from(CitizenPlacement)).one() == 0
    moved = {"placering": f"{org['syd'].id}", "dato": TODAY.isoformat()}
    assert post(c, f"/admin/borgere/{citizen.id}/flyt", moved).status_code == 303
    db.expire_all()
    rows = db.exec(
        select(CitizenPlacement)
        .where(CitizenPlacement.citizen_id == citizen.id)
        .order_by(CitizenPlacement.valid_from)
    ).all()
    assert [(r.team_id, r.valid_to) for r in rows] == [
        (org["nord"].id, TODAY - timedelta(days=1)),
        (org["syd"].id, None),
    ]
