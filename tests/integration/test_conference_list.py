"""The conference list in the database: the cut-off, one citizen once, the leader's order,
carry-over of what is over capacity, and the suggestions."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from tests.factories import (
    make_area,
    make_citizen,
    make_kontaktteam,
    make_membership,
    make_staff,
    make_team,
    make_triage_change,
)
from webapp.conference import services
from webapp.domain.citizens import TriageColour
from webapp.domain.conference import Suggestion
from webapp.domain.roles import Role
from webapp.models import (
    Conference,
    ConferenceItem,
    ConferenceSchedule,
    Escalation,
    FollowUp,
)

CPH = ZoneInfo("Europe/Copenhagen")
MONDAY = date(2026, 11, 23)
TUE, THU = date(2026, 11, 24), date(2026, 11, 26)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=CPH).astimezone(UTC)


@pytest.fixture
def team(db: Session):
    team = make_team(db, make_area(db))
    kt = make_kontaktteam(db, team)
    helper = make_staff(db, {Role.HELPER})
    make_membership(db, helper, team=team, kontaktteam=kt)
    citizens = [make_citizen(db, team, helper, kontaktteam=kt) for _ in range(9)]
    db.commit()
    return team, helper, citizens


def put(db, citizen, by, when, reason="Svær overgang"):
    return services.put_on_list(db, citizen, by=by.id, reason=reason, now=when, zone=CPH)


def test_before_the_cutoff_the_next_conference(db, team):
    _, helper, citizens = team
    placed = put(db, citizens[0], helper, at(MONDAY, 14, 59))
    assert placed.conference.day == TUE and not placed.after_cutoff
    assert placed.conference.starts_at == at(TUE, 12)
    assert placed.item.position == 1 and placed.item.status == "paa_listen"


def test_after_the_cutoff_the_following_conference(db, team):
    _, helper, citizens = team
    placed = put(db, citizens[0], helper, at(MONDAY, 15, 1))
    assert placed.conference.day == THU and placed.after_cutoff


def test_a_team_schedule_is_used(db, team):
    t, helper, citizens = team
    db.add(
        ConferenceSchedule(
            team_id=t.id,
            weekdays="0",
            start=time(9, 0),
            minutes=45,
            capacity=4,
            cutoff_days_before=2,
            cutoff_time=time(12, 0),
        )
    )
    db.commit()
    placed = put(db, citizens[0], helper, at(date(2026, 11, 28), 11, 0))  # Saturday
    assert placed.conference.day == date(2026, 11, 30)
    assert placed.conference.capacity == 4 and placed.conference.minutes == 45
    later = put(db, citizens[1], helper, at(date(2026, 11, 28), 12, 1))
    assert later.conference.day == date(2026, 12, 7)


@pytest.mark.parametrize(("reason", "message"), [("  ", "Skriv kort"), ("x" * 281, "højst")])
def test_a_reason_is_required(db, team, reason, message):
    _, helper, citizens = team
    with pytest.raises(services.ConferenceError, match=message):
        put(db, citizens[0], helper, at(MONDAY, 9), reason)


def test_a_citizen_is_on_a_list_once(db, team):
    _, helper, citizens = team
    put(db, citizens[0], helper, at(MONDAY, 9))
    with pytest.raises(services.ConferenceError, match="står allerede på listen"):
        put(db, citizens[0], helper, at(MONDAY, 10), "Igen")
    assert len(db.exec(select(Conference)).all()) == 1


def test_over_capacity_the_leader_orders_and_moves_the_rest(db, team):
    _, helper, citizens = team
    placed = [put(db, c, helper, at(MONDAY, 9, i)) for i, c in enumerate(citizens[:8])]
    conference = placed[0].conference
    ids = [p.item.id for p in placed]
    wanted = [ids[7], ids[6]]  # the leader puts the two last first
    order = services.reorder(db, conference, wanted)
    assert [i.id for i in order] == [ids[7], ids[6], *ids[:6]]
    moved = services.move_overflow(db, conference, CPH)
    assert [m.moved_from_id for m in moved] == [ids[4], ids[5]]
    kept = services.items(db, conference.id)
    assert [i.id for i in kept] == [ids[7], ids[6], *ids[:4]]
    thursday = db.get(Conference, moved[0].conference_id)
    assert thursday.day == THU
    assert [i.position for i in services.items(db, thursday.id)] == [1, 2]
    # Moving again changes nothing: the list is within capacity now.
    assert services.move_overflow(db, conference, CPH) == []


def test_moving_a_citizen_already_on_the_next_list_keeps_one(db, team):
    _, helper, citizens = team
    first = put(db, citizens[0], helper, at(MONDAY, 9))
    put(db, citizens[0], helper, at(MONDAY, 16))  # after the cut-off: Thursday's list
    kept = services.move(db, first.item, CPH)
    assert db.exec(
        select(ConferenceItem).where(ConferenceItem.conference_id == kept.conference_id)
    ).all() == [kept]
    assert first.item.status == "flyttet"


def test_suggestions(db, team, clock):
    t, helper, citizens = team
    nurse = make_staff(db, {Role.NURSE})
    make_triage_change(db, citizens[0], nurse, TriageColour.RED, at(MONDAY, 8), "Faldet")
    db.add(
        Escalation(
            citizen_id=citizens[1].id,
            sender_id=helper.id,
            sent_at=at(MONDAY, 8),
            priority="konference",
            isbar_i="",
            isbar_s="",
            isbar_b="",
            isbar_a="",
            isbar_r="",
            recipient_id=nurse.id,
            rule="vagt",
            deadline_at=at(MONDAY, 8) + timedelta(days=4),
        )
    )
    for citizen, kind, due in (
        (citizens[2], "m3", MONDAY + timedelta(days=10)),
        (citizens[3], "m2", MONDAY - timedelta(days=2)),
        (citizens[4], "m3", MONDAY + timedelta(days=40)),  # too far ahead
    ):
        db.add(
            FollowUp(
                citizen_id=citizen.id,
                kind=kind,
                source="milepael",
                title=kind.upper(),
                due_date=due,
                owner_id=helper.id,
                created_at=at(MONDAY, 8),
            )
        )
    db.commit()
    now = at(MONDAY, 10)
    conference = services.conference_on(db, t.id, TUE, services.schedule_for(db, t.id), CPH)
    found = services.suggestions(db, t.id, conference, now, MONDAY)
    assert [(c.citizen_id, c.kind) for c in found] == [
        (citizens[0].id, Suggestion.NEW_RED),
        (citizens[1].id, Suggestion.ESCALATION),
        (citizens[2].id, Suggestion.PATHWAY_CHANGE),
        (citizens[3].id, Suggestion.OVERDUE_MILESTONE),
    ]
    services.put_on_list(db, citizens[0], by=helper.id, reason="Ny rød", now=now, zone=CPH)
    after = services.suggestions(db, t.id, conference, now, MONDAY)
    assert citizens[0].id not in [c.citizen_id for c in after]
