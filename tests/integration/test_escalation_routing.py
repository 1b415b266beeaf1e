"""Who receives, read from the database: the roster by day, evening and night, weekends,
nobody on duty, expired memberships, with and without a nurse as forløbsansvarlig."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from tests.factories import (
    make_area,
    make_citizen,
    make_health_unit,
    make_kontaktteam,
    make_membership,
    make_staff,
    make_team,
)
from webapp.domain.escalation import Priority
from webapp.domain.roles import Role
from webapp.escalations.routing import line_for
from webapp.models import DutyShift, MembershipKind

CPH = ZoneInfo("Europe/Copenhagen")
WEDNESDAY = date(2026, 11, 25)
SATURDAY = date(2026, 11, 28)


@pytest.fixture
def org(db: Session) -> dict:
    area = make_area(db)
    unit = make_health_unit(db, area)
    team = make_team(db, area)
    kt = make_kontaktteam(db, team)
    helper = make_staff(db, {Role.HELPER})
    make_membership(db, helper, team=team, kontaktteam=kt)
    people = {"helper": helper}
    for key, name in (
        ("day", "Dorte Dag"),
        ("evening", "Eva Aften"),
        ("weekend", "Wenche Weekend"),
        ("expired", "Xenia Udløbet"),
        ("responsible", "Rikke Ansvarlig"),
    ):
        nurse = make_staff(db, {Role.NURSE}, full_name=name)
        make_membership(db, nurse, health_unit=unit)
        make_membership(
            db,
            nurse,
            team=team,
            kind=MembershipKind.BASISTEAM,
            valid_to=date(2026, 10, 31) if key == "expired" else None,
        )
        people[key] = nurse
    therapist = make_staff(db, {Role.THERAPIST}, full_name="Tove Terapeut")
    make_membership(db, therapist, team=team, kind=MembershipKind.BASISTEAM)
    people["therapist"] = therapist
    akut = make_staff(db, {Role.NURSE}, full_name="Akutteam Test (vagttelefon)")
    make_membership(db, akut, health_unit=unit)
    unit.fallback_staff_id = akut.id
    db.add(unit)
    people["akut"] = akut
    roster = [
        (WEDNESDAY, "dag", "day"),
        (WEDNESDAY, "dag", "responsible"),
        (WEDNESDAY, "dag", "therapist"),
        (WEDNESDAY, "aften", "evening"),
        (WEDNESDAY, "aften", "expired"),  # still on the roster, but her attachment ended
        (SATURDAY, "dag", "weekend"),
    ]
    for day, shift, key in roster:
        db.add(DutyShift(team_id=team.id, day=day, shift=shift, staff_id=people[key].id))
    plain = make_citizen(db, team, helper, kontaktteam=kt)
    with_nurse = make_citizen(db, team, helper, forloebsansvarlig=people["responsible"])
    with_therapist = make_citizen(db, team, helper, forloebsansvarlig=therapist)
    with_expired = make_citizen(db, team, helper, forloebsansvarlig=people["expired"])
    db.commit()
    return {
        "people": people,
        "unit": unit,
        "citizens": {
            "plain": plain,
            "nurse": with_nurse,
            "therapist": with_therapist,
            "expired": with_expired,
        },
    }


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CPH)


@pytest.mark.parametrize(
    ("case", "citizen", "moment", "priority", "expected"),
    [
        ("weekday day", "plain", at(WEDNESDAY, 10), Priority.NOW, ["day", "responsible", "akut"]),
        (
            "weekday day, nurse forløbsansvarlig on duty",
            "nurse",
            at(WEDNESDAY, 10),
            Priority.NOW,
            ["responsible", "day", "akut"],
        ),
        (
            "weekday day, therapist forløbsansvarlig on duty",
            "therapist",
            at(WEDNESDAY, 10),
            Priority.TODAY,
            ["therapist", "day", "responsible", "akut"],
        ),
        ("weekday evening", "plain", at(WEDNESDAY, 18), Priority.NOW, ["evening", "akut"]),
        (
            "weekday evening, forløbsansvarlig off duty",
            "nurse",
            at(WEDNESDAY, 18),
            Priority.NOW,
            ["evening", "akut"],
        ),
        (
            "weekday evening, til konference reaches the forløbsansvarlig",
            "nurse",
            at(WEDNESDAY, 18),
            Priority.CONFERENCE,
            ["responsible", "evening", "akut"],
        ),
        (
            "night: nobody on duty, the akutteam",
            "plain",
            at(WEDNESDAY, 23, 30),
            Priority.NOW,
            ["akut"],
        ),
        (
            "early morning is the previous day's night",
            "plain",
            at(date(2026, 11, 26), 6, 30),
            Priority.NOW,
            ["akut"],
        ),
        ("saturday day", "plain", at(SATURDAY, 9), Priority.NOW, ["weekend", "akut"]),
        ("saturday evening: nobody", "plain", at(SATURDAY, 16), Priority.TODAY, ["akut"]),
        (
            "expired forløbsansvarlig is skipped",
            "expired",
            at(WEDNESDAY, 18),
            Priority.NOW,
            ["evening", "akut"],
        ),
    ],
)
def test_who_receives(db, org, case, citizen, moment, priority, expected):
    line = line_for(db, org["citizens"][citizen], priority, moment, CPH)
    names = {s.id: key for key, s in org["people"].items()}
    assert [names[r.staff.id] for r in line.people] == expected, case


def test_without_an_akutteam_the_basisteam_nurses_by_name(db, org):
    org["unit"].fallback_staff_id = None
    db.add(org["unit"])
    db.commit()
    line = line_for(db, org["citizens"]["plain"], Priority.NOW, at(SATURDAY, 23, 30), CPH)
    names = [r.staff.full_name for r in line.people]
    assert names == ["Dorte Dag", "Eva Aften", "Rikke Ansvarlig", "Wenche Weekend"]
    assert {r.choice.rule.value for r in line.people} == {"basisteam"}


def test_an_inactive_account_never_receives(db, org):
    org["people"]["day"].active = False
    db.add(org["people"]["day"])
    db.commit()
    line = line_for(db, org["citizens"]["plain"], Priority.NOW, at(WEDNESDAY, 10), CPH)
    assert [r.staff.full_name for r in line.people][0] == "Rikke Ansvarlig"


def test_the_sender_is_told_when_the_forloebsansvarlig_is_off_duty(db, org):
    line = line_for(db, org["citizens"]["nurse"], Priority.NOW, at(WEDNESDAY, 18), CPH)
    assert line.responsible_off_duty is not None
    assert line.responsible_off_duty.full_name == "Rikke Ansvarlig"
    on = line_for(db, org["citizens"]["nurse"], Priority.NOW, at(WEDNESDAY, 10), CPH)
    assert on.responsible_off_duty is None
