"""The forløbskonference's rules: schedule, cut-off, capacity and carry-over, the timer,
and a decision (with the forløbsskift rule)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from webapp.domain.citizens import PathwayType
from webapp.domain.conference import (
    DEFAULT_SCHEDULE,
    Decision,
    Schedule,
    conference_for_entry,
    cutoff,
    decision_errors,
    following,
    meeting_days,
    next_conference,
    remaining_seconds,
    reorder,
    split_at_capacity,
    timer_text,
)
from webapp.domain.roles import Role

CPH = ZoneInfo("Europe/Copenhagen")
TUE, THU = date(2026, 11, 24), date(2026, 11, 26)
NEXT_TUE = date(2026, 12, 1)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=CPH)


def test_default_schedule_is_tuesday_and_thursday_at_noon():
    assert meeting_days(DEFAULT_SCHEDULE, date(2026, 11, 23), 4) == [
        TUE,
        THU,
        NEXT_TUE,
        date(2026, 12, 3),
    ]
    assert DEFAULT_SCHEDULE.text == "Tirsdag og torsdag kl. 12.00, 30 min., højst 6"


def test_cutoff_is_the_day_before_at_three():
    assert cutoff(DEFAULT_SCHEDULE, TUE, CPH) == at(date(2026, 11, 23), 15)


@pytest.mark.parametrize(
    ("entered", "conference"),
    [
        (at(date(2026, 11, 23), 9), TUE),  # Monday morning: tomorrow's
        (at(date(2026, 11, 23), 15, 0), TUE),  # exactly at the cut-off still counts
        (at(date(2026, 11, 23), 15, 1), THU),  # a minute late: the following one
        (at(TUE, 8), THU),  # the day itself is too late
        (at(date(2026, 11, 25), 14, 59), THU),
        (at(date(2026, 11, 25), 16), NEXT_TUE),
        (at(date(2026, 11, 28), 10), NEXT_TUE),  # a Saturday
        (at(date(2026, 11, 30), 15, 30), date(2026, 12, 3)),  # Monday after the cut-off
    ],
)
def test_entries_after_the_cutoff_go_to_the_following_conference(entered, conference):
    assert conference_for_entry(DEFAULT_SCHEDULE, entered, CPH) == conference


def test_a_same_day_cutoff_is_never_after_the_start():
    schedule = Schedule(cutoff_days_before=0, cutoff_time=time(16, 0))
    assert cutoff(schedule, TUE, CPH) == at(TUE, 12)
    assert conference_for_entry(schedule, at(TUE, 11, 59), CPH) == TUE
    assert conference_for_entry(schedule, at(TUE, 12, 1), CPH) == THU


def test_next_conference_until_it_is_over():
    assert next_conference(DEFAULT_SCHEDULE, at(TUE, 11), CPH) == TUE
    assert next_conference(DEFAULT_SCHEDULE, at(TUE, 12, 29), CPH) == TUE
    assert next_conference(DEFAULT_SCHEDULE, at(TUE, 12, 30), CPH) == THU
    assert following(DEFAULT_SCHEDULE, TUE) == THU
    assert following(DEFAULT_SCHEDULE, THU) == NEXT_TUE


def test_a_configured_schedule():
    schedule = Schedule(weekdays=(0,), start=time(9, 30), minutes=45, capacity=4)
    assert meeting_days(schedule, TUE, 2) == [date(2026, 11, 30), date(2026, 12, 7)]
    assert conference_for_entry(schedule, at(date(2026, 11, 29), 15, 1), CPH) == date(2026, 12, 7)
    assert schedule.text == "Mandag kl. 09.30, 45 min., højst 4"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"weekdays": ()},
        {"weekdays": (7,)},
        {"minutes": 0},
        {"capacity": 0},
        {"capacity": 41},
        {"cutoff_days_before": 8},
    ],
)
def test_impossible_schedules_are_refused(kwargs):
    with pytest.raises(ValueError):
        Schedule(**kwargs)


def test_capacity_keeps_the_leaders_first_and_moves_the_rest():
    split = split_at_capacity([5, 3, 9, 1, 7, 2, 8, 4], 6)
    assert split.kept == [5, 3, 9, 1, 7, 2] and split.moved == [8, 4]
    assert split_at_capacity([1, 2], 6).moved == []
    assert split_at_capacity([], 6).kept == []


def test_reorder_never_loses_an_item():
    assert reorder([1, 2, 3, 4], [3, 1]) == [3, 1, 2, 4]
    assert reorder([1, 2, 3], [3, 3, 99, 2, 1]) == [3, 2, 1]
    assert reorder([1, 2, 3], []) == [1, 2, 3]


def test_timer():
    start = at(TUE, 12)
    assert remaining_seconds(start, start, 30) == 1800
    assert timer_text(remaining_seconds(start, start + timedelta(minutes=29, seconds=1), 30)) == (
        "00:59"
    )
    assert timer_text(remaining_seconds(start, start + timedelta(minutes=31), 30)) == "-01:00"
    assert timer_text(1800) == "30:00"


NURSE = frozenset({Role.NURSE})
HELPER = frozenset({Role.HELPER})
TODAY = date(2026, 11, 24)


def decision(**kw) -> Decision:
    base = {"text": "Sygeplejerske vurderer i morgen", "owner_roles": NURSE, "follow_up_on": None}
    base.update(kw)
    return Decision(**base)


def test_a_complete_decision():
    assert decision_errors(decision(follow_up_on=TODAY), TODAY) == []


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"text": "  "}, "Skriv beslutningen."),
        ({"text": "x" * 1001}, "højst være 1000 tegn"),
        ({"owner_roles": None}, "Vælg hvem der er ansvarlig"),
        ({"follow_up_on": TODAY - timedelta(days=1)}, "før i dag"),
        ({"pathway": PathwayType.SIMPLE, "pathway_from": None}, "hvornår forløbsskiftet"),
        (
            {"pathway": PathwayType.COMPOSITE, "pathway_from": TODAY},
            "kræver navnet på den nye forløbsansvarlige",
        ),
        (
            {
                "pathway": PathwayType.COMPOSITE,
                "pathway_from": TODAY,
                "new_forloebsansvarlig_roles": HELPER,
            },
            "skal være SOSU-assistent, sygeplejerske eller terapeut",
        ),
        (
            {
                "pathway": PathwayType.PERMANENT_MODERATE,
                "pathway_from": TODAY,
                "new_forloebsansvarlig_roles": NURSE,
            },
            "kontaktpersonen overtager",
        ),
        (
            {
                "pathway": PathwayType.SIMPLE,
                "pathway_from": date(2026, 1, 1),
                "new_forloebsansvarlig_roles": NURSE,
                "current_pathway_start": date(2026, 6, 1),
            },
            "før det nuværende forløbs start",
        ),
    ],
)
def test_incomplete_decisions(kw, message):
    errors = decision_errors(decision(**kw), TODAY)
    assert any(message in e for e in errors), errors


def test_a_forloebsskift_to_a_named_person_is_fine():
    d = decision(
        pathway=PathwayType.PERMANENT_CONSIDERABLE,
        pathway_from=TODAY + timedelta(days=7),
        new_forloebsansvarlig_roles=NURSE,
        current_pathway_start=date(2026, 9, 1),
    )
    assert decision_errors(d, TODAY) == []
