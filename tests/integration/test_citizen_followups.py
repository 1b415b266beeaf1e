"""Opfølgninger on and from the citizen's page, through HTTP: the open list and the closed
ones, a manual follow-up, handing over nursing, the weight curve and recording a weight, and
forløbsskift with its receipt and the pathway history."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

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
from webapp.domain.citizens import PathwayType
from webapp.domain.followups import Due, FollowUpKind, Source, Status, add_months
from webapp.domain.roles import Role
from webapp.followups import operations
from webapp.models import AccessLogCitizen, Citizen, FollowUp, MembershipKind, Pathway, Weighing

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = date(2026, 11, 22)  # START is 10:00 local on this Sunday
NBSP = "\u00a0"


@pytest.fixture
def world(db):
    area = make_area(db)
    team, other_team = make_team(db, area, "Team A"), make_team(db, area, "Team B")
    kt = make_kontaktteam(db, team, "A1")
    people = {}
    for key, roles, name, target in [
        ("helper", {Role.HELPER}, "Hanne Hjælper", team),
        ("assistant", {Role.ASSISTANT}, "Asta Assistent", team),
        ("leader", {Role.LEADER}, "Lene Leder", team),
        ("planner", {Role.PLANNER}, "Per Planlægger", team),
        ("outsider", {Role.HELPER}, "Otto Udenfor", other_team),
        ("outside_nurse", {Role.NURSE}, "Nina Andetsteds", other_team),
    ]:
        people[key] = make_staff(db, roles, key, full_name=name)
        make_membership(db, people[key], team=target, kontaktteam=kt if target is team else None)
    nurse = make_staff(db, {Role.NURSE}, "nurse", full_name="Rikke Sygeplejerske")
    make_membership(db, nurse, team=team, kind=MembershipKind.BASISTEAM)
    left = make_staff(db, {Role.ASSISTANT}, "left", full_name="Gitte Gået")
    make_membership(db, left, team=team, valid_to=TODAY - timedelta(days=1))
    admin = make_staff(db, {Role.ADMIN}, "admin", full_name="Ada Admin")
    make_membership(db, admin, team=team)
    citizen = make_citizen(
        db,
        team,
        people["helper"],
        kontaktteam=kt,
        forloebsansvarlig=people["assistant"],
        pathway=PathwayType.COMPOSITE,
        full_name="Karen Borger",
    )
    db.commit()
    return {**people, "nurse": nurse, "left": left, "admin": admin, "citizen": citizen}


def post(client, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf_token(client), **data})


def page(client, citizen) -> str:
    response = client.get(f"/borgere/{citizen.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def text(html: str) -> str:
    """The page's words: tags out, whitespace (and non-breaking spaces) as single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace(NBSP, " ").split())


def add(db, citizen, owner, kind=FollowUpKind.MANUAL, due_date=TODAY, title="Ring til lægen"):
    return operations.add(
        db,
        citizen,
        Due(kind, due_date, None, None, title),
        source=Source.MANUAL,
        owner_id=owner.id,
        now=START,
    )


def follow_ups(db, **where) -> list[FollowUp]:
    db.expire_all()
    stmt = select(FollowUp).order_by(FollowUp.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(FollowUp, key) == value)
    return list(db.exec(stmt).all())


def weigh(db, citizen, staff, day: date, kg: str) -> Weighing:
    row = Weighing(
        citizen_id=citizen.id,
        staff_id=staff.id,
        at=datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
        kg=Decimal(kg),
    )
    db.add(row)
    db.flush()
    return row


# --- The Opfølgninger section -------------------------------------------------------------------


def test_citizen_page_lists_open_follow_ups_with_owner_overdue_mark_and_actions(client, db, world):
    c = world["citizen"]
    late = add(db, c, world["nurse"], due_date=TODAY - timedelta(days=2), title="Tjek sår")
    timed = operations.add(
        db,
        c,
        Due(
            FollowUpKind.MANUAL,
            TODAY + timedelta(days=1),
            datetime(2026, 11, 23, 13, 30, tzinfo=UTC),
            None,
            "Ring til datter",
        ),
        source=Source.MANUAL,
        owner_id=world["helper"].id,
        now=START,
    )
    add(db, c, world["helper"], due_date=TODAY + timedelta(days=15), title="Bestil fodterapeut")
    db.commit()
    login(client, "helper", PASSWORD)
    html = page(client, c)
    section = html[html.index('id="opfoelgninger"') : html.index('id="trend-h"')]
    words = text(section)
    assert "Opfølgninger (3 åbne, 1 overskredet)" in words
    later = text(section[section.index('class="cf-closed cf-later"') :])
    assert "> Senere (1) Bestil fodterapeut 07.12.2026" in later  # folded: beyond 14 days
    assert "Tjek sår" not in later
    assert "Tjek sår" in words and "Rikke Sygeplejerske" in words
    assert "Overskredet 20.11.2026" in words
    assert "Ring til datter" in words and "23.11.2026 kl. 14.30" in words  # local time
    back = f'name="tilbage" value="/borgere/{c.id}"'
    assert section.count(back) == 3
    assert f'action="/opfoelgninger/{late.id}/udfoert"' in section
    assert f'href="/opfoelgninger/{timed.id}/udsaet?tilbage=/borgere/{c.id}"' in section
    assert f'href="/borgere/{c.id}/opfoelgninger/ny"' in section
    assert "Overdrag sygepleje" not in section  # not a nurse


def test_done_from_the_citizen_page_goes_back_to_it_and_shows_in_the_closed_list(client, db, world):
    c = world["citizen"]
    first = add(db, c, world["helper"], title="Hent hjælpemiddel")
    gone = add(db, c, world["helper"], title="Aflyst besøg")
    operations.cancel(db, gone, "Borgeren er på ferie")
    db.commit()
    login(client, "helper", PASSWORD)
    response = post(client, f"/opfoelgninger/{first.id}/udfoert", {"tilbage": f"/borgere/{c.id}"})
    assert response.status_code == 303 and response.headers["Location"] == f"/borgere/{c.id}"
    html = page(client, c)
    closed = text(html[html.index('class="cf-closed"') : html.index("</details>")])
    assert "Seneste afsluttede (2)" in closed
    assert "Hent hjælpemiddel" in closed and "Udført 22.11.2026 af Hanne Hjælper" in closed
    assert "Aflyst besøg" in closed and "Aflyst Borgeren er på ferie" in closed
    assert "Ingen åbne opfølgninger." in text(html)


def test_a_nurse_sees_the_hand_over_link(client, world):
    login(client, "nurse", PASSWORD)
    html = page(client, world["citizen"])
    assert f'href="/borgere/{world["citizen"].id}/overdrag"' in html


# --- Ny opfølgning ------------------------------------------------------------------------------


def test_manual_form_offers_the_people_who_see_the_citizen_and_defaults_to_the_adder(client, world):
    login(client, "helper", PASSWORD)
    html = client.get(f"/borgere/{world['citizen'].id}/opfoelgninger/ny").get_data(as_text=True)
    options = dict(re.findall(r'<option value="(\d+)"[^>]*>([^<(]+)', html))
    names = {name.strip() for name in options.values()}
    assert {"Hanne Hjælper", "Asta Assistent", "Rikke Sygeplejerske", "Lene Leder"} <= names
    assert not names & {"Otto Udenfor", "Nina Andetsteds", "Gitte Gået", "Ada Admin"}
    assert f'<option value="{world["helper"].id}" selected>' in html


def test_manual_follow_up_is_saved_with_its_named_owner_and_local_time(client, db, world):
    c, nurse = world["citizen"], world["nurse"]
    login(client, "helper", PASSWORD)
    response = post(
        client,
        f"/borgere/{c.id}/opfoelgninger/ny",
        {
            "title": "  Følg op på ny medicin ",
            "due_date": "2026-11-25",
            "due_time": "14:30",
            "owner": str(nurse.id),
        },
    )
    assert response.status_code == 303 and response.headers["Location"] == f"/borgere/{c.id}"
    (saved,) = follow_ups(db)
    assert (saved.kind, saved.source) == (FollowUpKind.MANUAL.value, Source.MANUAL.value)
    assert (saved.title, saved.owner_id) == ("Følg op på ny medicin", nurse.id)
    assert saved.due_date == date(2026, 11, 25)
    assert saved.due_at.replace(tzinfo=UTC) == datetime(2026, 11, 25, 13, 30, tzinfo=UTC)
    assert saved.created_by_id == world["helper"].id and saved.status == Status.OPEN.value
    flashed = text(client.get(f"/borgere/{c.id}").get_data(as_text=True))
    assert "Opfølgning oprettet: Følg op på ny medicin, 25.11.2026, ansvarlig Rikke" in flashed


@pytest.mark.parametrize("who", ["outsider", "outside_nurse", "left", "admin"])
def test_manual_owner_must_be_someone_who_sees_the_citizen(client, db, world, who):
    c = world["citizen"]
    login(client, "helper", PASSWORD)
    data = {"title": "Ring til lægen", "due_date": "2026-11-24", "owner": str(world[who].id)}
    response = post(client, f"/borgere/{c.id}/opfoelgninger/ny", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Vælg en ansvarlig, der kan se borgeren." in html
    assert 'value="Ring til lægen"' in html and 'value="2026-11-24"' in html
    assert follow_ups(db) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": " "}, "Skriv, hvad opfølgningen handler om."),
        ({"title": "x" * 161}, "Teksten må højst være 160 tegn."),
        ({"due_date": ""}, "Vælg en gyldig dato."),
        ({"due_date": "2026-13-01"}, "Vælg en gyldig dato."),
        ({"due_date": "2026-11-21"}, "Datoen kan ikke ligge før i dag."),
        ({"due_time": "25:00"}, "Skriv klokkeslættet som tt:mm, for eksempel 14:30."),
        ({"due_date": "2026-11-22", "due_time": "09:59"}, "Klokkeslættet er allerede passeret."),
        ({"owner": ""}, "Vælg en ansvarlig, der kan se borgeren."),
        ({"owner": "abc"}, "Vælg en ansvarlig, der kan se borgeren."),
    ],
)
def test_bad_manual_input_is_400_with_the_values_kept(client, db, world, data, message):
    c = world["citizen"]
    login(client, "helper", PASSWORD)
    form = {"title": "Ring til lægen", "due_date": "2026-11-24", "owner": str(world["helper"].id)}
    response = post(client, f"/borgere/{c.id}/opfoelgninger/ny", {**form, **data})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'role="alert"' in html
    if "title" not in data:
        assert 'value="Ring til lægen"' in html
    assert follow_ups(db) == []


def test_today_at_a_later_hour_is_fine(client, db, world):
    login(client, "helper", PASSWORD)
    data = {"title": "Aftensbesøg", "due_date": "2026-11-22", "due_time": "18:00"}
    data["owner"] = str(world["helper"].id)
    assert post(client, f"/borgere/{world['citizen'].id}/opfoelgninger/ny", data).status_code == 303
    (saved,) = follow_ups(db)
    assert saved.due_at.replace(tzinfo=UTC) == datetime(2026, 11, 22, 17, 0, tzinfo=UTC)


# --- Overdrag sygepleje -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["helper", "assistant", "leader", "planner"])
def test_hand_over_is_a_404_for_everyone_but_nurses(client, db, world, who):
    url = f"/borgere/{world['citizen'].id}/overdrag"
    login(client, who, PASSWORD)
    assert client.get(url).status_code == 404
    data = {"task": "Sårpleje", "due_date": "2026-11-25"}
    assert post(client, url, data).status_code == 404
    assert follow_ups(db) == []


def test_nurse_hands_over_and_the_follow_up_comes_back_to_her_on_the_date(client, db, world, clock):
    c, nurse = world["citizen"], world["nurse"]
    login(client, "nurse", PASSWORD)
    assert client.get(f"/borgere/{c.id}/overdrag").status_code == 200
    data = {"task": "Sårpleje venstre underben", "due_date": "2026-11-25"}
    response = post(client, f"/borgere/{c.id}/overdrag", data)
    assert response.status_code == 303 and response.headers["Location"] == f"/borgere/{c.id}"
    (saved,) = follow_ups(db)
    assert saved.kind == FollowUpKind.HANDED_OVER.value
    assert saved.source == Source.HANDED_OVER.value
    assert (saved.owner_id, saved.created_by_id) == (nurse.id, nurse.id)
    assert (saved.title, saved.due_date) == (
        "Overdraget: Sårpleje venstre underben",
        date(2026, 11, 25),
    )
    clock.advance(days=3)
    login(client, "nurse", PASSWORD)  # signed out by the idle timeout meanwhile
    mine = text(client.get("/opfoelgninger/").get_data(as_text=True))
    assert "I dag (1)" in mine and "Overdraget: Sårpleje venstre underben" in mine


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"task": ""}, "Skriv, hvilken opgave der overdrages."),
        ({"task": "x" * 149}, "Opgaven må højst være 148 tegn."),
        ({"due_date": "i morgen"}, "Vælg en gyldig opfølgningsdato."),
        ({"due_date": "2026-11-01"}, "Datoen kan ikke ligge før i dag."),
    ],
)
def test_bad_hand_over_is_400_with_the_values_kept(client, db, world, data, message):
    login(client, "nurse", PASSWORD)
    form = {"task": "Sårpleje", "due_date": "2026-11-25", **data}
    response = post(client, f"/borgere/{world['citizen'].id}/overdrag", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert f'value="{form["due_date"]}"' in html
    assert follow_ups(db) == []


# --- Vægt ---------------------------------------------------------------------------------------


def test_a_weight_on_its_own_is_saved_and_summarised(client, db, world):
    c = world["citizen"]
    login(client, "helper", PASSWORD)
    response = post(client, f"/borgere/{c.id}/vaegt", {"kg": "68,4"})
    assert response.status_code == 303 and response.headers["Location"] == f"/borgere/{c.id}"
    (saved,) = db.exec(select(Weighing)).all()
    assert (saved.kg, saved.staff_id, saved.follow_up_id) == (
        Decimal("68.4"),
        world["helper"].id,
        None,
    )
    words = text(page(client, c))
    assert "Vægt 68,4 kg gemt." in words
    assert "Vægt 68,4 kg (22.11.). Ingen vejning at sammenligne med for 1 og 3 måneder." in words


def test_the_weight_curve_shows_the_change_over_one_and_three_months(client, db, world):
    c = world["citizen"]
    weigh(db, c, world["helper"], date(2026, 8, 20), "71.3")
    weigh(db, c, world["helper"], date(2026, 10, 21), "69.9")
    db.commit()
    login(client, "helper", PASSWORD)
    post(client, f"/borgere/{c.id}/vaegt", {"kg": "68.4"})
    html = page(client, c)
    section = html[html.index('id="vaegt"') : html.index('id="people-h"')]
    summary = "Vægt 68,4 kg (22.11.). Ændring: −2,1 % på 1 måned, −4,1 % på 3 måneder."
    assert summary in text(section)
    assert 'role="img"' in section and 'aria-labelledby="weight-title"' in section
    assert 'aria-describedby="weight-summary"' in section and 'id="weight-summary"' in section
    assert section.count("<circle") == 3 and "<polyline" in section
    assert "style=" not in html and "<style" not in html


def test_a_weight_does_the_open_weighing_and_puts_next_months_in_place(client, db, world):
    c = world["citizen"]
    due = add(db, c, world["helper"], FollowUpKind.WEIGHING, date(2026, 11, 20), "Vejning")
    db.commit()
    login(client, "assistant", PASSWORD)
    before = page(client, c)
    assert "Gemmer også vejningen" in before
    assert f'id="kg-{due.id}" name="value"' in before  # the row's own kg field, too
    response = post(client, f"/borgere/{c.id}/vaegt", {"kg": "70,2"})
    assert response.status_code == 303
    done, following = follow_ups(db, kind=FollowUpKind.WEIGHING.value)
    assert done.id == due.id and done.status == Status.DONE.value
    assert (done.value, done.done_by_id) == (Decimal("70.2"), world["assistant"].id)
    assert following.status == Status.OPEN.value and following.due_date == date(2026, 12, 20)
    assert following.owner_id == world["helper"].id
    (saved,) = db.exec(select(Weighing)).all()
    assert saved.follow_up_id == done.id and saved.kg == Decimal("70.2")
    words = text(page(client, c))
    assert "Vægt 70,2 kg gemt. Vejningen er udført. Næste vejning: 20.12.2026." in words


@pytest.mark.parametrize(
    ("kg", "message"),
    [
        ("tung", "Skriv vægten i kg, for eksempel 72,5."),
        ("", "Skriv vægten i kg, for eksempel 72,5."),
        ("NaN", "Skriv vægten i kg, for eksempel 72,5."),
        ("700", "Vægten skal være mellem 20 og 300 kg."),
    ],
)
def test_a_bad_weight_is_400_with_what_was_typed(client, db, world, kg, message):
    c = world["citizen"]
    add(db, c, world["helper"], FollowUpKind.WEIGHING, date(2026, 11, 20), "Vejning")
    db.commit()
    login(client, "helper", PASSWORD)
    response = post(client, f"/borgere/{c.id}/vaegt", {"kg": kg})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and f'value="{kg}"' in html and 'aria-invalid="true"' in html
    assert db.exec(select(Weighing)).all() == []
    assert [f.status for f in follow_ups(db)] == [Status.OPEN.value]


# --- Forløbsskift -------------------------------------------------------------------------------


@pytest.fixture
def milestones(db, world):
    """The current (sammensat) pathway's milestones M1–M3, all still open."""
    c = world["citizen"]
    pathway = db.exec(select(Pathway).where(Pathway.citizen_id == c.id)).one()
    made = operations.generate_milestones(db, c, pathway, CPH, START)
    db.commit()
    return made


@pytest.mark.parametrize("who", ["helper", "planner"])
def test_forloebsskift_is_a_404_for_other_roles(client, db, world, who):
    c = world["citizen"]
    login(client, who, PASSWORD)
    assert client.get(f"/borgere/{c.id}/forloebsskift").status_code == 404
    data = {"type": "varigt_moderat", "change_date": "2026-11-22"}
    assert post(client, f"/borgere/{c.id}/forloebsskift", data).status_code == 404
    assert "Forløbsskift</a>" not in page(client, c)


@pytest.mark.parametrize("who", ["assistant", "nurse", "leader"])
def test_forloebsskift_form_for_ssa_nurse_and_leader(client, world, who):
    c = world["citizen"]
    login(client, who, PASSWORD)
    assert f'href="/borgere/{c.id}/forloebsskift"' in page(client, c)
    html = client.get(f"/borgere/{c.id}/forloebsskift").get_data(as_text=True)
    for pathway_type in PathwayType:
        assert f'value="{pathway_type.value}"' in html and pathway_type.label in html
    assert 'value="2026-11-22"' in html
    assert f'<option value="{world["assistant"].id}" selected>' in html  # the current one
    names = set(re.findall(r'<option value="\d+"[^>]*>([^<(]+)', html))
    assert {n.strip() for n in names} == {"Asta Assistent", "Rikke Sygeplejerske"}


def test_forloebsskift_is_refused_without_a_forloebsansvarlig(client, db, world, milestones):
    c = world["citizen"]
    login(client, "assistant", PASSWORD)
    data = {"type": "varigt_betydelig", "change_date": "2026-11-22", "forloebsansvarlig": ""}
    response = post(client, f"/borgere/{c.id}/forloebsskift", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Forløbsskiftet kræver navnet på den nye forløbsansvarlige." in html
    assert 'value="varigt_betydelig" required checked' in html
    db.expire_all()
    (pathway,) = db.exec(select(Pathway).where(Pathway.citizen_id == c.id)).all()
    assert pathway.ended_on is None and pathway.type == PathwayType.COMPOSITE.value
    assert all(f.status == Status.OPEN.value for f in follow_ups(db))


def test_forloebsskift_keeps_the_old_pathway_regenerates_milestones_and_the_kontaktperson(
    client, db, world, milestones
):
    c, nurse, helper = world["citizen"], world["nurse"], world["helper"]
    login(client, "leader", PASSWORD)
    data = {"type": "varigt_betydelig", "change_date": "2026-11-22", "forloebsansvarlig": nurse.id}
    response = post(client, f"/borgere/{c.id}/forloebsskift", data)
    assert response.status_code == 303
    db.expire_all()
    old, new = db.exec(select(Pathway).where(Pathway.citizen_id == c.id).order_by(Pathway.id)).all()
    assert response.headers["Location"] == f"/borgere/{c.id}/forloebsskift/{new.id}"
    assert (old.type, old.ended_on) == (PathwayType.COMPOSITE.value, TODAY)
    assert (new.type, new.started_on, new.ended_on) == ("varigt_betydelig", TODAY, None)
    assert new.forloebsansvarlig_id == nurse.id
    citizen = db.get(Citizen, c.id)
    assert citizen.forloebsansvarlig_id == nurse.id and citizen.kontaktperson_id == helper.id
    cancelled = follow_ups(db, pathway_id=old.id)
    assert [f.status for f in cancelled] == [Status.CANCELLED.value] * 3
    (m4,) = follow_ups(db, pathway_id=new.id)
    assert m4.kind == FollowUpKind.M4.value and m4.owner_id == nurse.id
    assert m4.due_date == add_months(TODAY, 6)

    receipt = text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Sammensat forløb (op til 12 uger) → blev til Varigt forløb, betydelig" in receipt
    assert "Forløbsansvarlig Rikke Sygeplejerske (Sygeplejerske)" in receipt
    assert "Kontaktperson Hanne Hjælper (uændret)" in receipt
    assert "Milepæle aflyst 3 åbne i det gamle forløb" in receipt
    assert "Milepæle oprettet 1" in receipt and "M4: Opfølgningssamtale" in receipt
    assert "22.05.2027" in receipt

    history = text(page(client, c).split('id="pathways-h"')[1].split("</section>")[0])
    assert "Varigt forløb, betydelig Nuværende 22.11.2026 – nu" in history
    assert "Forløbsansvarlig: Rikke Sygeplejerske" in history
    assert "Sammensat forløb (op til 12 uger) 03.01.2026 – 22.11.2026" in history


def test_forloebsskift_to_varigt_moderat_needs_no_one_and_the_kontaktperson_takes_over(
    client, db, world, milestones
):
    c, helper = world["citizen"], world["helper"]
    login(client, "nurse", PASSWORD)
    data = {"type": "varigt_moderat", "change_date": "2026-11-20", "forloebsansvarlig": ""}
    response = post(client, f"/borgere/{c.id}/forloebsskift", data)
    assert response.status_code == 303
    db.expire_all()
    citizen = db.get(Citizen, c.id)
    assert citizen.forloebsansvarlig_id is None and citizen.kontaktperson_id == helper.id
    new = db.exec(select(Pathway).where(Pathway.ended_on.is_(None))).one()
    (m4,) = follow_ups(db, pathway_id=new.id)
    assert m4.owner_id == helper.id and m4.due_date == date(2027, 11, 20)
    receipt = text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Forløbsansvarlig Ingen. Kontaktpersonen overtager milepælene." in receipt


def test_varigt_moderat_refuses_a_named_forloebsansvarlig(client, db, world, milestones):
    login(client, "assistant", PASSWORD)
    data = {
        "type": "varigt_moderat",
        "change_date": "2026-11-22",
        "forloebsansvarlig": world["assistant"].id,
    }
    response = post(client, f"/borgere/{world['citizen'].id}/forloebsskift", data)
    assert response.status_code == 400
    assert "Et varigt moderat forløb har ingen forløbsansvarlig" in response.get_data(as_text=True)
    db.expire_all()
    assert len(db.exec(select(Pathway)).all()) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": ""}, "Vælg den nye forløbstype."),
        ({"type": "langt"}, "Vælg den nye forløbstype."),
        ({"change_date": "22.11.2026"}, "Vælg datoen for forløbsskiftet."),
        ({"change_date": "2026-11-23"}, "Forløbsskiftet kan ikke dateres frem i tiden."),
        ({"change_date": "2026-01-02"}, "Forløbsskiftet kan ikke ligge før det nuværende forløbs"),
        ({"forloebsansvarlig": "outside_nurse"}, "Vælg en forløbsansvarlig, der kan se borgeren."),
        ({"forloebsansvarlig": "helper"}, "Vælg en forløbsansvarlig, der kan se borgeren."),
        ({"forloebsansvarlig": "x"}, "Vælg en forløbsansvarlig, der kan se borgeren."),
    ],
)
def test_bad_forloebsskift_input_is_400_and_changes_nothing(client, db, world, data, message):
    c = world["citizen"]
    form = {"type": "enkelt", "change_date": "2026-11-22", "forloebsansvarlig": "nurse", **data}
    if form["forloebsansvarlig"] in world:
        form["forloebsansvarlig"] = str(world[form["forloebsansvarlig"]].id)
    login(client, "assistant", PASSWORD)
    response = post(client, f"/borgere/{c.id}/forloebsskift", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and f'value="{form["change_date"]}"' in html
    db.expire_all()
    assert len(db.exec(select(Pathway)).all()) == 1


def test_the_first_pathway_has_no_receipt(client, db, world):
    c = world["citizen"]
    pathway = db.exec(select(Pathway).where(Pathway.citizen_id == c.id)).one()
    login(client, "assistant", PASSWORD)
    assert client.get(f"/borgere/{c.id}/forloebsskift/{pathway.id}").status_code == 404
    assert client.get(f"/borgere/{c.id}/forloebsskift/99999").status_code == 404


# --- Scope and the access log ---------------------------------------------------------------------


ROUTES = [
    ("get", "/borgere/{id}/opfoelgninger/ny"),
    ("post", "/borgere/{id}/opfoelgninger/ny"),
    ("get", "/borgere/{id}/overdrag"),
    ("post", "/borgere/{id}/overdrag"),
    ("get", "/borgere/{id}/vaegt"),
    ("post", "/borgere/{id}/vaegt"),
    ("get", "/borgere/{id}/forloebsskift"),
    ("post", "/borgere/{id}/forloebsskift"),
]


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_a_citizen_outside_scope_is_a_404_everywhere(client, db, world, method, url):
    login(client, "outside_nurse", PASSWORD)  # a nurse, so only the scope can refuse
    target = url.format(id=world["citizen"].id)
    if method == "get":
        response = client.get(target)
    else:
        data = {"title": "x", "due_date": "2026-11-25", "task": "x", "kg": "70"}
        response = post(client, target, {**data, "type": "enkelt", "change_date": "2026-11-22"})
    assert response.status_code == 404
    assert follow_ups(db) == [] and db.exec(select(Weighing)).all() == []


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("helper", "/borgere/{id}/opfoelgninger/ny"),
        ("nurse", "/borgere/{id}/overdrag"),
        ("helper", "/borgere/{id}/vaegt"),
        ("assistant", "/borgere/{id}/forloebsskift"),
    ],
)
def test_every_form_page_is_logged_as_a_read_of_the_citizen(client, db, world, who, url):
    login(client, who, PASSWORD)
    assert client.get(url.format(id=world["citizen"].id)).status_code == 200
    db.expire_all()
    assert db.exec(select(AccessLogCitizen.citizen_id)).all() == [world["citizen"].id]
