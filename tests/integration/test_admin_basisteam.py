"""Basisteam attachments per hjemmeplejeteam (/admin/organisation/team/<id>/basisteam/): the
named nurses and therapists attached to a team, attached from a date and ended on a date
through the audited staff services; admin only; bad input a Danish 4xx, never a 500; and the
attachment is what lets the nurse see the team's citizens."""

import json
import re
from datetime import date, timedelta

import pytest
from sqlmodel import Session, func, select

from tests.conftest import csrf_token, login
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
from webapp.models import AuditLog, Membership, MembershipKind, Team

TODAY = date(2026, 11, 22)  # tests/conftest.py START, in Copenhagen


@pytest.fixture
def org(db: Session):
    vest, oest = make_area(db, "Vest"), make_area(db, "Øst")
    unit = make_health_unit(db, vest)
    unit.name = "Sundhed Vest"
    far_unit = make_health_unit(db, oest)
    far_unit.name = "Sundhed Øst"
    db.add_all([unit, far_unit])
    team, other = make_team(db, vest, "Team Nord"), make_team(db, vest, "Team Syd")
    kt = make_kontaktteam(db, team, "KT 1")
    admin = make_staff(db, {Role.ADMIN}, username="admin", full_name="Ada Admin")
    make_membership(db, admin, team=team)
    helper = make_staff(db, {Role.HELPER}, username="hjaelper", full_name="Hanne Hjælper")
    make_membership(db, helper, team=team, kontaktteam=kt)
    leader = make_staff(db, {Role.LEADER}, username="leder", full_name="Lone Leder")
    make_membership(db, leader, team=team)
    nurse = make_staff(
        db, {Role.NURSE}, username="nurse", full_name="Rikke Sygeplejerske", phone="30 40 50 60"
    )
    make_membership(db, nurse, health_unit=unit)
    therapist = make_staff(db, {Role.THERAPIST}, username="terapeut", full_name="Tove Terapeut")
    make_membership(db, therapist, health_unit=far_unit)
    loose = make_staff(db, {Role.NURSE}, username="loose", full_name="Lars Løsgænger")
    gone = make_staff(db, {Role.NURSE}, username="gone", full_name="Gitte Gået", active=False)
    make_membership(db, gone, health_unit=unit)
    citizen = make_citizen(db, team, helper, kontaktteam=kt, full_name="Gerda Grøn")
    db.commit()
    return {
        "team": team,
        "other": other,
        "unit": unit,
        "admin": admin,
        "helper": helper,
        "leader": leader,
        "nurse": nurse,
        "therapist": therapist,
        "loose": loose,
        "gone": gone,
        "citizen": citizen,
    }


def signed_in(app, username):
    c = app.test_client()
    assert login(c, username, PASSWORD).status_code == 302
    return c


def page_of(org) -> str:
    return f"/admin/organisation/team/{org['team'].id}/basisteam/"


def post(c, path: str, **data):
    return c.post(path, data={"csrf_token": csrf_token(c), **data})


def attach(c, org, **data):
    fields = {"person": str(org["nurse"].id), "fra": TODAY.isoformat(), "til": ""} | data
    return post(c, page_of(org) + "tilknyt", **fields)


def count(db, model, *where) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(model).where(*where)).one()


def attachments(db, org) -> list[Membership]:
    db.expire_all()
    return list(
        db.exec(
            select(Membership).where(
                Membership.kind == MembershipKind.BASISTEAM, Membership.team_id == org["team"].id
            )
        ).all()
    )


def basisteam(db, org, person, valid_from=TODAY, valid_to=None, team=None) -> Membership:
    m = make_membership(
        db,
        person,
        team=team or org["team"],
        kind=MembershipKind.BASISTEAM,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    db.commit()
    return m


def row_of(page: str, membership_id: int) -> str:
    match = re.search(rf'<tr [^>]*id="tilknytning-{membership_id}">(.*?)</tr>', page, re.S)
    assert match, f"a row for membership {membership_id}"
    return match.group(1)


# --- The page ----------------------------------------------------------------------------------


def test_admin_sees_the_team_an_empty_state_and_who_can_be_attached(app, org):
    response = signed_in(app, "admin").get(page_of(org))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Basisteam Team Nord" in page and "Hjemmeplejeteam i Vest" in page and "Åben" in page
    assert "Ingen sygeplejersker eller terapeuter er tilknyttet Team Nord nu" in page
    assert 'name="csrf_token"' in page and f'value="{TODAY.isoformat()}"' in page
    select_box = re.search(r'<select id="t-person".*?</select>', page, re.S).group(0)
    # Nurses and therapists, by health unit, the team's own area first; no one else.
    assert "Rikke Sygeplejerske" in select_box and "Tove Terapeut" in select_box
    assert "Lars Løsgænger" in select_box  # no health unit today: last
    assert "Hanne Hjælper" not in select_box and "Gitte Gået" not in select_box
    vest, oest = select_box.index("Sundhed Vest"), select_box.index("Sundhed Øst")
    assert vest < oest < select_box.index("Uden sundhedsenhed i dag")
    assert select_box.index("Rikke Sygeplejerske") < select_box.index("Tove Terapeut")


def test_the_units_page_links_each_team_to_its_basisteam(app, org):
    page = signed_in(app, "admin").get("/admin/organisation/").get_data(as_text=True)
    assert f'href="{page_of(org)}"' in page
    assert f'href="/admin/organisation/team/{org["other"].id}/basisteam/"' in page


def test_the_page_lists_each_attached_person_with_unit_phone_dates_and_status(app, org, db):
    now = basisteam(db, org, org["nurse"], valid_from=date(2026, 1, 1))
    planned = basisteam(db, org, org["therapist"], valid_from=TODAY + timedelta(days=7))
    ended = basisteam(db, org, org["loose"], date(2025, 1, 1), date(2025, 12, 31))
    page = signed_in(app, "admin").get(page_of(org)).get_data(as_text=True)
    nurse_row = row_of(page, now.id)
    assert "Rikke Sygeplejerske" in nurse_row and "Sygeplejerske" in nurse_row
    assert 'href="tel:30405060"' in nurse_row and "Sundhed Vest" in nurse_row
    assert "01.01.2026" in nurse_row and "Ingen slutdato" in nurse_row and ">Nu<" in nurse_row
    planned_row = row_of(page, planned.id)
    assert ">Planlagt<" in planned_row and "Sundhed Øst" in planned_row
    assert "29.11.2026" in planned_row
    assert page.index(f"tilknytning-{now.id}") < page.index(f"tilknytning-{planned.id}")
    # Ended ones are kept, folded away, without an end form.
    ended_part = r'<details class="[^"]*basisteam-ended">(.*?)</details>'
    details = re.search(ended_part, page, re.S).group(1)
    assert "Afsluttede tilknytninger (1)" in details
    assert "Lars Løsgænger" in details and ">Afsluttet<" in details and "Ingen i dag" in details
    assert f"/{ended.id}/slut" not in page
    assert 'Tilknyttet nu og planlagt <span class="count">(2)</span>' in page


@pytest.mark.parametrize("username", ["hjaelper", "leder", "nurse"])
def test_only_admin_reaches_it(app, org, db, username):
    m = basisteam(db, org, org["therapist"])
    c = signed_in(app, username)
    assert c.get(page_of(org)).status_code == 404
    assert attach(c, org).status_code == 404
    assert post(c, f"{page_of(org)}{m.id}/slut", til=TODAY.isoformat()).status_code == 404
    assert len(attachments(db, org)) == 1
    assert count(db, AuditLog) == 0


def test_signed_out_goes_to_login(app, org):
    response = app.test_client().get(page_of(org))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_teams_and_attachments_are_404(app, org, db):
    other = basisteam(db, org, org["therapist"], team=org["other"])
    own_unit = db.exec(select(Membership).where(Membership.staff_id == org["nurse"].id)).one()
    c = signed_in(app, "admin")
    assert c.get("/admin/organisation/team/999999/basisteam/").status_code == 404
    assert c.get("/admin/organisation/team/99999999999999999999/basisteam/").status_code == 404
    assert c.get("/admin/organisation/team/abc/basisteam/").status_code == 404
    for membership_id in (other.id, own_unit.id, 999999, 99999999999999999999):
        path = f"{page_of(org)}{membership_id}/slut"
        assert post(c, path, til=TODAY.isoformat()).status_code == 404
    assert count(db, AuditLog) == 0


# --- Attaching ---------------------------------------------------------------------------------


def test_attaching_a_nurse_is_saved_and_audited(app, org, db):
    c = signed_in(app, "admin")
    response = attach(c, org)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(page_of(org) + "#tilknyttede")
    [m] = attachments(db, org)
    assert (m.staff_id, m.valid_from, m.valid_to) == (org["nurse"].id, TODAY, None)
    assert m.kontaktteam_id is None and m.health_unit_id is None
    [entry] = db.exec(select(AuditLog)).all()
    assert (entry.entity, entry.action, entry.entity_id) == ("medlemskab", "opret", str(m.id))
    assert entry.staff_id == org["admin"].id
    assert "Rikke Sygeplejerske" in entry.summary and "Basisteam Team Nord" in entry.summary
    page = c.get(page_of(org)).get_data(as_text=True)
    assert "Rikke Sygeplejerske er tilknyttet Team Nord fra 22.11.2026." in page
    assert ">Nu<" in row_of(page, m.id)


def test_a_therapist_with_an_end_date_can_be_attached(app, org, db):
    c = signed_in(app, "admin")
    til = (TODAY + timedelta(days=30)).isoformat()
    response = attach(c, org, person=str(org["therapist"].id), fra="", til=til)
    assert response.status_code == 303
    [m] = attachments(db, org)
    assert (m.valid_from, m.valid_to) == (TODAY, TODAY + timedelta(days=30))  # fra: today


def test_a_nurse_attached_from_a_future_date_shows_as_planned(app, org, db):
    c = signed_in(app, "admin")
    later = TODAY + timedelta(days=14)
    assert attach(c, org, fra=later.strftime("%d.%m.%Y")).status_code == 303
    [m] = attachments(db, org)
    assert m.valid_from == later
    row = row_of(c.get(page_of(org)).get_data(as_text=True), m.id)
    assert ">Planlagt<" in row and "06.12.2026" in row
    assert f'min="{later.isoformat()}"' in row and f'value="{later.isoformat()}"' in row


def test_an_overlapping_attachment_is_refused_with_409(app, org, db):
    c = signed_in(app, "admin")
    assert attach(c, org, til=(TODAY + timedelta(days=10)).isoformat()).status_code == 303
    audit_before = count(db, AuditLog)
    response = attach(c, org, fra=(TODAY + timedelta(days=5)).isoformat())
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Rikke Sygeplejerske er allerede medlem af Basisteam Team Nord" in page
    assert 'id="t-person-fejl"' in page  # beside the person field
    assert len(attachments(db, org)) == 1 and count(db, AuditLog) == audit_before
    # After the first one ends, a new one is fine.
    assert attach(c, org, fra=(TODAY + timedelta(days=11)).isoformat()).status_code == 303


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"person": ""}, "Vælg en sygeplejerske eller terapeut."),
        ({"person": "abc"}, "fra listen"),
        ({"person": "-1"}, "fra listen"),
        ({"person": "999999"}, "fra listen"),
        ({"person": "2147483648"}, "fra listen"),
        ({"person": "9" * 300}, "fra listen"),
        ({"person": "helper"}, "er hverken sygeplejerske eller terapeut"),
        ({"person": "admin"}, "er hverken sygeplejerske eller terapeut"),
        ({"person": "gone"}, "fra listen"),
        ({"fra": "x"}, "Fra-datoen skal skrives som"),
        ({"fra": "31.02.2027"}, "Fra-datoen 31.02.2027 findes ikke"),
        ({"fra": "1800-01-01"}, "Fra-datoen skal ligge mellem"),
        ({"til": "2026-13-01"}, "Til-datoen 2026-13-01 findes ikke"),
        ({"til": "9999-12-31"}, "Til-datoen skal ligge mellem"),
        ({"fra": "2026-12-01", "til": "2026-11-30"}, "Slutdatoen 30.11.2026 ligger før"),
    ],
)
def test_bad_input_is_refused_in_danish_and_writes_nothing(app, org, db, fields, message):
    named = {"helper", "admin", "gone"}
    if fields.get("person") in named:
        fields = {**fields, "person": str(org[fields["person"]].id)}
    c = signed_in(app, "admin")
    before = count(db, Membership), count(db, AuditLog)
    response = attach(c, org, **fields)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "Ret dette, og gem igen" in page
    assert (count(db, Membership), count(db, AuditLog)) == before


def test_a_closed_team_takes_nobody(app, org, db):
    team = db.get(Team, org["team"].id)
    team.closed_on = TODAY
    db.add(team)
    db.commit()
    c = signed_in(app, "admin")
    page = c.get(page_of(org)).get_data(as_text=True)
    assert "Lukket fra 22.11.2026" in page and 'id="t-person"' not in page
    response = attach(c, org, fra=(TODAY + timedelta(days=3)).isoformat())
    assert response.status_code == 409
    assert "Team Nord er lukket fra 22.11.2026" in response.get_data(as_text=True)
    assert count(db, Membership, Membership.kind == MembershipKind.BASISTEAM) == 0
    assert count(db, AuditLog) == 0


def test_a_closing_team_takes_people_only_up_to_the_day_before(app, org, db):
    closes = TODAY + timedelta(days=10)
    team = db.get(Team, org["team"].id)
    team.closed_on = closes
    db.add(team)
    db.commit()
    c = signed_in(app, "admin")
    assert "Lukker fra 02.12.2026" in c.get(page_of(org)).get_data(as_text=True)
    for til in ("", closes.isoformat()):
        response = attach(c, org, til=til)
        assert response.status_code == 409
        assert "Sæt til-datoen til senest 01.12.2026" in response.get_data(as_text=True)
    assert attach(c, org, fra=closes.isoformat()).status_code == 409
    assert count(db, AuditLog) == 0
    assert attach(c, org, til=(closes - timedelta(days=1)).isoformat()).status_code == 303
    [m] = attachments(db, org)
    # Its end cannot then be moved past the closing day either.
    response = post(c, f"{page_of(org)}{m.id}/slut", til=closes.isoformat())
    assert response.status_code == 409
    assert "Slutdatoen kan højst være 01.12.2026" in response.get_data(as_text=True)


# --- Ending ------------------------------------------------------------------------------------


def test_ending_an_attachment_is_saved_and_audited(app, org, db):
    m = basisteam(db, org, org["nurse"], valid_from=date(2026, 1, 1))
    c = signed_in(app, "admin")
    response = post(c, f"{page_of(org)}{m.id}/slut", til="")
    assert response.status_code == 400  # a date is required
    assert "Skriv slutdatoen." in response.get_data(as_text=True)
    response = post(c, f"{page_of(org)}{m.id}/slut", til=TODAY.isoformat())
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Membership, m.id).valid_to == TODAY
    [entry] = db.exec(select(AuditLog)).all()
    assert (entry.entity, entry.action, entry.entity_id) == ("medlemskab", "afslut", str(m.id))
    assert json.loads(entry.before)["til"] is None
    assert json.loads(entry.after)["til"] == "2026-11-22"
    page = c.get(page_of(org)).get_data(as_text=True)
    assert "slutter 22.11.2026 (sidste dag)" in page
    assert ">Nu<" in row_of(page, m.id)  # today is still its last day
    # The same date again changes nothing and logs nothing.
    assert post(c, f"{page_of(org)}{m.id}/slut", til=TODAY.isoformat()).status_code == 303
    assert count(db, AuditLog) == 1


def test_an_attachment_cannot_end_before_it_starts(app, org, db):
    start = TODAY + timedelta(days=5)
    m = basisteam(db, org, org["nurse"], valid_from=start)
    c = signed_in(app, "admin")
    response = post(c, f"{page_of(org)}{m.id}/slut", til=TODAY.isoformat())
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Slutdatoen 22.11.2026 ligger før startdatoen 27.11.2026." in page
    assert f'id="slut-{m.id}-til-fejl"' in page and 'aria-invalid="true"' in page
    db.expire_all()
    assert db.get(Membership, m.id).valid_to is None
    assert count(db, AuditLog) == 0
    # Its own start day is allowed.
    assert post(c, f"{page_of(org)}{m.id}/slut", til=start.isoformat()).status_code == 303


# --- What the attachment does: the nurse sees the team's citizens -----------------------------


def test_the_attached_nurse_sees_the_teams_citizens_until_the_attachment_ends(app, org, clock):
    admin = signed_in(app, "admin")
    nurse = signed_in(app, "nurse")
    assert "Gerda Grøn" not in nurse.get("/").get_data(as_text=True)
    assert attach(admin, org).status_code == 303
    assert "Gerda Grøn" in nurse.get("/").get_data(as_text=True)
    assert nurse.get(f"/borgere/{org['citizen'].id}").status_code == 200
    m_id = re.search(r'id="tilknytning-(\d+)"', admin.get(page_of(org)).get_data(as_text=True))
    end = post(admin, f"{page_of(org)}{m_id.group(1)}/slut", til=TODAY.isoformat())
    assert end.status_code == 303
    assert "Gerda Grøn" in nurse.get("/").get_data(as_text=True)  # today is the last day
    clock.advance(days=1)
    nurse = signed_in(app, "nurse")  # still signed in by the health unit; a fresh session
    assert "Gerda Grøn" not in nurse.get("/").get_data(as_text=True)
    assert nurse.get(f"/borgere/{org['citizen'].id}").status_code == 404


# --- Garbage -----------------------------------------------------------------------------------

GARBAGE = [
    "",
    " ",
    "0",
    "-0",
    "1e9",
    "0x10",
    "١٢",  # Arabic-Indic digits
    "²",
    "9" * 5000,
    "2026-11-22\x00",
    "\x00",
    "<script>alert(1)</script>",
    "'; DROP TABLE membership; --",
    "31.12.99999",
    "2026-02-30",
    "00.00.0000",
    "æøå" * 200,
    "\ud7ff\ufffd",
]


@pytest.mark.parametrize("value", GARBAGE)
def test_garbage_never_gives_a_500(app, org, db, value):
    m = basisteam(db, org, org["nurse"], valid_from=date(2026, 1, 1))
    c = signed_in(app, "admin")
    for field in ("person", "fra", "til"):
        response = attach(c, org, **{field: value})
        assert response.status_code in (303, 400, 409), (field, response.status_code)
        assert "Der skete en fejl" not in response.get_data(as_text=True)
    response = post(c, f"{page_of(org)}{m.id}/slut", til=value)
    assert response.status_code in (303, 400, 409)
    assert c.get(page_of(org) + "?x=" + value[:50].replace("\x00", "%00")).status_code in (
        200,
        400,
    )
