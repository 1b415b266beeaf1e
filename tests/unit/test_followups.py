"""Follow-ups: hverdage and Danish holidays, month arithmetic, milestones, recurrence, triage and
TOBS follow-ups, the overview buckets, list sections, forløbsskift and weight change."""

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from webapp.domain.citizens import PathwayType, TriageColour
from webapp.domain.followups import (
    DANISH_HOLIDAYS,
    DEFAULT_DEADLINES,
    Bucket,
    DanishHolidays,
    Deadlines,
    Due,
    FollowUpKind,
    OwnerRule,
    PathwayChange,
    Section,
    Source,
    Status,
    add_months,
    add_weekdays,
    classify,
    is_weekday,
    list_section,
    milestones,
    next_occurrence,
    overview_counts,
    pathway_change_errors,
    planner_horizon_end,
    tobs_repeats,
    triage_follow_up,
    weight_change,
)
from webapp.domain.roles import Role

CPH = ZoneInfo("Europe/Copenhagen")
D = date
H = timedelta(hours=1)
SIMPLE = PathwayType.SIMPLE
COMPOSITE = PathwayType.COMPOSITE
MODERATE = PathwayType.PERMANENT_MODERATE
CONSIDERABLE = PathwayType.PERMANENT_CONSIDERABLE
GREEN, YELLOW, RED = TriageColour.GREEN, TriageColour.YELLOW, TriageColour.RED
K = FollowUpKind
CLOSING_DAYS = DanishHolidays(include_closing_days=True)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CPH)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- vocabulary ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "label", "milestone", "needs_value", "recurs"),
    [
        (K.M1, "m1", "M1: Første sundhedsfaglige kontakt", True, False, False),
        (K.M2, "m2", "M2: Planlægningssamtale", True, False, False),
        (K.M3, "m3", "M3: Afslutningssamtale", True, False, False),
        (K.M4, "m4", "M4: Opfølgningssamtale", True, False, True),
        (K.HANDED_OVER, "overdraget", "Opfølgning på overdraget sygepleje", False, False, False),
        (K.TRIAGE_SPARRING, "sparring", "Sparring om gul borger", False, False, False),
        (
            K.TRIAGE_NURSE,
            "sygeplejefaglig_vurdering",
            "Sygeplejerske vurderer rød borger",
            False,
            False,
            False,
        ),
        (K.TOBS_REPEAT, "tobs_gentag", "Gentag TOBS", False, False, False),
        (K.WEIGHING, "vejning", "Vejning", False, True, True),
        (K.MANUAL, "manuel", "Opfølgning", False, False, False),
    ],
)
def test_kinds(kind, value, label, milestone, needs_value, recurs):
    assert kind == value
    assert kind.label == label
    assert kind.is_milestone is milestone
    assert kind.needs_value is needs_value
    assert kind.recurs is recurs


def test_every_kind_is_in_the_table():
    assert len(FollowUpKind) == 10


@pytest.mark.parametrize(
    ("member", "value", "label"),
    [
        (Source.MILESTONE, "milepael", "Milepæl i forløbsmodellen"),
        (Source.HANDED_OVER, "overdraget_sygepleje", "Overdraget sygepleje"),
        (Source.TRIAGE, "triage", "Triage"),
        (Source.TOBS, "tobs", "TOBS"),
        (Source.ESCALATION, "eskalering", "Eskalering"),
        (Source.CONFERENCE, "konference", "Forløbskonference"),
        (Source.MANUAL, "manuel", "Oprettet manuelt"),
        (Status.OPEN, "aaben", "Åben"),
        (Status.DONE, "udfoert", "Udført"),
        (Status.CANCELLED, "aflyst", "Aflyst"),
        (OwnerRule.KONTAKTPERSON, "kontaktperson", "Kontaktperson"),
        (OwnerRule.FORLOEBSANSVARLIG, "forloebsansvarlig", "Forløbsansvarlig"),
        (Bucket.ON_TIME, "til_tiden", "Holdt til tiden"),
        (Bucket.LATE, "for_sent", "Holdt for sent"),
        (Bucket.DUE, "kommende", "Kommende"),
        (Bucket.OVERDUE, "overskredet", "Overskredet"),
        (Bucket.MISSING, "mangler", "Mangler"),
        (Section.OVERDUE, "overskredet", "Overskredet"),
        (Section.TODAY, "i_dag", "I dag"),
        (Section.NEXT_14_DAYS, "naeste_14_dage", "De næste 14 dage"),
    ],
)
def test_values_and_danish_labels(member, value, label):
    assert member == value
    assert member.label == label


def test_default_deadlines_follow_the_domain():
    d = DEFAULT_DEADLINES
    assert (d.m1_hours, d.m1_after_discharge_hours, d.m2_weekdays) == (48, 24, 7)
    assert dict(d.m3_weeks) == {SIMPLE: 8, COMPOSITE: 12}
    assert dict(d.m4_months) == {MODERATE: 12, CONSIDERABLE: 6}
    assert (d.planner_horizon_weeks, d.weighing_months) == (8, 1)
    assert (d.triage_yellow_hours, d.triage_red_hours) == (48, 24)
    assert (d.tobs_repeat_count, d.tobs_repeat_window_hours) == (3, 24)


def test_deadlines_are_immutable_and_hashable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_DEADLINES.m1_hours = 24  # type: ignore[misc]
    with pytest.raises(TypeError):
        DEFAULT_DEADLINES.m3_weeks[SIMPLE] = 4  # type: ignore[index]
    assert hash(Deadlines()) == hash(DEFAULT_DEADLINES)
    assert Deadlines() == DEFAULT_DEADLINES
    assert Deadlines(m3_weeks={SIMPLE: 6, COMPOSITE: 12}) != DEFAULT_DEADLINES


def test_planner_horizon_is_eight_weeks():
    assert planner_horizon_end(D(2026, 1, 1)) == D(2026, 2, 26)
    assert planner_horizon_end(D(2026, 1, 1), Deadlines(planner_horizon_weeks=10)) == D(2026, 3, 12)


# --- hverdage and holidays -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "weekday", "why"),
    [
        (D(2026, 1, 12), True, "an ordinary Monday"),
        (D(2026, 1, 16), True, "an ordinary Friday"),
        (D(2026, 1, 10), False, "Saturday"),
        (D(2026, 1, 11), False, "Sunday"),
        (D(2026, 1, 1), False, "nytårsdag"),
        (D(2026, 4, 2), False, "skærtorsdag"),
        (D(2026, 4, 3), False, "langfredag"),
        (D(2026, 4, 6), False, "2. påskedag"),
        (D(2026, 4, 7), True, "the Tuesday after Easter"),
        (D(2026, 5, 14), False, "Kristi himmelfartsdag"),
        (D(2026, 5, 15), True, "the Friday after Kristi himmelfart is not a holiday"),
        (D(2026, 5, 25), False, "2. pinsedag"),
        (D(2026, 12, 25), False, "juledag"),
        (D(2027, 12, 27), True, "Monday after a weekend Christmas: no substitute day"),
        (D(2026, 12, 24), True, "juleaftensdag is not a helligdag"),
        (D(2026, 12, 31), True, "nytårsaftensdag is not a helligdag"),
        (D(2026, 6, 5), True, "grundlovsdag is not a helligdag"),
        (D(2026, 5, 1), True, "1. maj is not a helligdag"),
        (D(2023, 5, 5), False, "store bededag 2023, the last one"),
        (D(2024, 4, 26), True, "store bededag is abolished from 2024"),
        (D(2025, 5, 16), True, "store bededag is abolished from 2024"),
        (D(2026, 5, 1), True, "store bededag is abolished from 2024"),
    ],
)
def test_is_weekday(day, weekday, why):
    assert is_weekday(day) is weekday, why


@pytest.mark.parametrize(
    ("day", "closed"),
    [
        (D(2026, 12, 24), True),
        (D(2026, 12, 31), True),
        (D(2026, 6, 5), True),
        (D(2026, 5, 1), True),
        (D(2026, 4, 3), True),
        (D(2026, 6, 4), False),
    ],
)
def test_closing_days_calendar_adds_the_days_off_that_are_not_helligdage(day, closed):
    assert (day in CLOSING_DAYS) is closed
    assert is_weekday(day, CLOSING_DAYS) is not closed


def test_the_default_calendar_is_the_danish_public_holidays():
    assert D(2026, 4, 3) in DANISH_HOLIDAYS
    assert D(2026, 4, 7) not in DANISH_HOLIDAYS
    assert "2026-04-03" not in DANISH_HOLIDAYS


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        (D(2026, 1, 12), 0, D(2026, 1, 12), "n=0 is the start"),
        (D(2026, 1, 10), 0, D(2026, 1, 10), "n=0 is the start, even on a Saturday"),
        (D(2026, 1, 12), 1, D(2026, 1, 13), "Monday + 1"),
        (D(2026, 1, 9), 1, D(2026, 1, 12), "Friday + 1 skips the weekend"),
        (D(2026, 1, 10), 1, D(2026, 1, 12), "Saturday + 1"),
        (D(2026, 1, 11), 1, D(2026, 1, 12), "Sunday + 1"),
        (D(2026, 1, 12), 5, D(2026, 1, 19), "a whole week"),
        (D(2026, 1, 12), 7, D(2026, 1, 21), "M2 from a Monday"),
        (D(2026, 1, 9), 7, D(2026, 1, 20), "M2 from a Friday"),
        (D(2026, 4, 1), 1, D(2026, 4, 7), "Easter: skærtorsdag to 2. påskedag skipped"),
        (D(2026, 3, 31), 7, D(2026, 4, 14), "seven hverdage over Easter"),
        (D(2026, 5, 13), 1, D(2026, 5, 15), "Kristi himmelfartsdag skipped"),
        (D(2026, 5, 22), 1, D(2026, 5, 26), "2. pinsedag skipped"),
        (D(2026, 12, 23), 1, D(2026, 12, 24), "juleaftensdag counts"),
        (D(2026, 12, 23), 2, D(2026, 12, 28), "juledag skipped (2. juledag is a Saturday)"),
        (D(2026, 12, 31), 1, D(2027, 1, 4), "nytårsdag skipped, over the year end"),
        (D(2026, 6, 4), 1, D(2026, 6, 5), "grundlovsdag counts"),
        (D(2023, 5, 4), 1, D(2023, 5, 8), "store bededag 2023 skipped"),
        (D(2024, 4, 25), 1, D(2024, 4, 26), "no store bededag in 2024"),
    ],
)
def test_add_weekdays(start, n, expected, why):
    assert add_weekdays(start, n) == expected, why


@pytest.mark.parametrize(
    ("start", "n", "calendar", "expected"),
    [
        (D(2026, 4, 1), 1, set(), D(2026, 4, 2)),  # no holidays at all: only weekends
        (D(2026, 1, 12), 1, {D(2026, 1, 13)}, D(2026, 1, 14)),  # any Container[date]
        (D(2026, 12, 23), 1, CLOSING_DAYS, D(2026, 12, 28)),
        (D(2026, 6, 4), 1, CLOSING_DAYS, D(2026, 6, 8)),
    ],
)
def test_add_weekdays_with_another_calendar(start, n, calendar, expected):
    assert add_weekdays(start, n, calendar) == expected


def test_add_weekdays_refuses_a_negative_count():
    with pytest.raises(ValueError):
        add_weekdays(D(2026, 1, 12), -1)


# --- months ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 15), 0, D(2026, 1, 15)),
        (D(2026, 1, 15), 1, D(2026, 2, 15)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2026, 1, 31), 2, D(2026, 3, 31)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2028, 2, 29), 48, D(2032, 2, 29)),
        (D(2028, 2, 29), 1, D(2028, 3, 29)),
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 8, 31), 12, D(2027, 8, 31)),
        (D(2026, 11, 15), 2, D(2027, 1, 15)),  # over the year end
        (D(2026, 12, 31), 1, D(2027, 1, 31)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 5, 31), -3, D(2026, 2, 28)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


# --- milestones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("referral_at", "after_discharge", "due_at", "due_date", "local_time"),
    [
        # an ordinary 48 h / 24 h
        (local(2026, 1, 12, 10, 0), False, utc(2026, 1, 14, 9, 0), D(2026, 1, 14), "10:00"),
        (local(2026, 1, 12, 10, 0), True, utc(2026, 1, 13, 9, 0), D(2026, 1, 13), "10:00"),
        # late in the evening: still counted in elapsed hours
        (local(2026, 1, 12, 23, 30), True, utc(2026, 1, 13, 22, 30), D(2026, 1, 13), "23:30"),
        # just after local midnight, still the day before in UTC: the local date counts
        (local(2026, 1, 12, 0, 30), True, utc(2026, 1, 12, 23, 30), D(2026, 1, 13), "00:30"),
        (local(2026, 1, 12, 0, 30), False, utc(2026, 1, 13, 23, 30), D(2026, 1, 14), "00:30"),
        # DST starts Sunday 29 March 2026: 24 elapsed hours end at 00:30 on the 30th
        (local(2026, 3, 28, 23, 30), True, utc(2026, 3, 29, 22, 30), D(2026, 3, 30), "00:30"),
        (local(2026, 3, 28, 23, 30), False, utc(2026, 3, 30, 22, 30), D(2026, 3, 31), "00:30"),
        (local(2026, 3, 28, 10, 0), False, utc(2026, 3, 30, 9, 0), D(2026, 3, 30), "11:00"),
        # DST ends Sunday 25 October 2026: 24 elapsed hours end at 23:30 the same day
        (local(2026, 10, 25, 0, 30), True, utc(2026, 10, 25, 22, 30), D(2026, 10, 25), "23:30"),
        (local(2026, 10, 24, 10, 0), False, utc(2026, 10, 26, 8, 0), D(2026, 10, 26), "09:00"),
    ],
)
def test_m1_is_48_or_24_elapsed_hours_after_the_referral(
    referral_at, after_discharge, due_at, due_date, local_time
):
    m1 = milestones(SIMPLE, referral_at, referral_at.date(), after_discharge, CPH)[0]
    assert m1.kind is K.M1
    assert m1.due_at == due_at
    assert m1.due_at.tzinfo is UTC
    assert m1.due_date == due_date
    assert m1.due_at.astimezone(CPH).strftime("%H:%M") == local_time


@pytest.mark.parametrize(
    ("referral_at", "m2"),
    [
        (local(2026, 1, 12, 10, 0), D(2026, 1, 21)),
        (local(2026, 3, 31, 10, 0), D(2026, 4, 14)),  # over Easter
        (local(2026, 3, 28, 10, 0), D(2026, 4, 10)),  # a Saturday referral, over Easter
        (local(2026, 5, 13, 10, 0), D(2026, 5, 26)),  # over Kristi himmelfart
        (local(2026, 12, 22, 10, 0), D(2027, 1, 4)),  # over Christmas and New Year
        # Monday 00:30 local is Sunday in UTC: the local date is counted from
        (local(2026, 1, 12, 0, 30), D(2026, 1, 21)),
    ],
)
def test_m2_is_seven_hverdage_after_the_local_referral_date(referral_at, m2):
    found = {d.kind: d for d in milestones(SIMPLE, referral_at, D(2026, 1, 12), False, CPH)}
    assert found[K.M2].due_date == m2
    assert found[K.M2].due_at is None


@pytest.mark.parametrize(
    ("pathway", "started_on", "kinds", "last_due", "owner"),
    [
        (SIMPLE, D(2026, 3, 2), [K.M1, K.M2, K.M3], D(2026, 4, 27), OwnerRule.FORLOEBSANSVARLIG),
        # 12 weeks lands on 2. pinsedag: M3 is not moved, the planner books a time anyway
        (
            COMPOSITE,
            D(2026, 3, 2),
            [K.M1, K.M2, K.M3],
            D(2026, 5, 25),
            OwnerRule.FORLOEBSANSVARLIG,
        ),
        (MODERATE, D(2026, 1, 31), [K.M1, K.M2, K.M4], D(2027, 1, 31), OwnerRule.KONTAKTPERSON),
        (
            CONSIDERABLE,
            D(2026, 1, 31),
            [K.M1, K.M2, K.M4],
            D(2026, 7, 31),
            OwnerRule.FORLOEBSANSVARLIG,
        ),
        (
            CONSIDERABLE,
            D(2026, 8, 31),
            [K.M1, K.M2, K.M4],
            D(2027, 2, 28),
            OwnerRule.FORLOEBSANSVARLIG,
        ),
        (MODERATE, D(2028, 2, 29), [K.M1, K.M2, K.M4], D(2029, 2, 28), OwnerRule.KONTAKTPERSON),
    ],
)
def test_milestones_per_pathway(pathway, started_on, kinds, last_due, owner):
    referral_at = local(started_on.year, started_on.month, started_on.day, 9, 0)
    found = milestones(pathway, referral_at, started_on, False, CPH)
    assert [d.kind for d in found] == kinds
    assert found[-1].due_date == last_due
    assert found[-1].due_at is None
    assert {d.owner for d in found} == {owner}
    assert [d.title for d in found] == [k.label for k in kinds]
    assert all(isinstance(d, Due) for d in found)


def test_milestones_use_configured_deadlines():
    deadlines = Deadlines(
        m1_hours=72,
        m2_weekdays=5,
        m3_weeks={SIMPLE: 6, COMPOSITE: 10},
        m4_months={MODERATE: 24, CONSIDERABLE: 3},
    )
    start = D(2026, 1, 12)
    referral = local(2026, 1, 12, 10, 0)
    simple = milestones(SIMPLE, referral, start, False, CPH, deadlines)
    assert [d.due_date for d in simple] == [D(2026, 1, 15), D(2026, 1, 19), D(2026, 2, 23)]
    moderate = milestones(MODERATE, referral, start, False, CPH, deadlines)
    assert moderate[-1].due_date == D(2028, 1, 12)


def test_milestones_refuse_a_naive_referral_time():
    with pytest.raises(ValueError):
        milestones(SIMPLE, datetime(2026, 1, 12, 10, 0), D(2026, 1, 12), False, CPH)


# --- recurrence ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "pathway", "due_date", "done_on", "expected"),
    [
        # M4 every 12 months (varigt moderat), counted from the due date: no drift
        (K.M4, MODERATE, D(2027, 1, 31), D(2027, 1, 20), D(2028, 1, 31)),
        (K.M4, MODERATE, D(2027, 1, 31), D(2027, 1, 31), D(2028, 1, 31)),
        (K.M4, MODERATE, D(2027, 1, 31), D(2027, 3, 15), D(2028, 1, 31)),
        (K.M4, MODERATE, D(2028, 2, 29), D(2028, 2, 29), D(2029, 2, 28)),
        # M4 every 6 months (varigt betydelig)
        (K.M4, CONSIDERABLE, D(2026, 7, 31), D(2026, 8, 10), D(2027, 1, 31)),
        (K.M4, CONSIDERABLE, D(2026, 8, 31), D(2026, 8, 31), D(2027, 2, 28)),
        (K.M4, CONSIDERABLE, D(2026, 1, 15), D(2026, 7, 14), D(2026, 7, 15)),
        # held a whole period late: the rhythm restarts from the day it was held
        (K.M4, CONSIDERABLE, D(2026, 1, 15), D(2026, 7, 15), D(2027, 1, 15)),
        (K.M4, CONSIDERABLE, D(2026, 1, 15), D(2026, 8, 1), D(2027, 2, 1)),
        (K.M4, MODERATE, D(2026, 1, 15), D(2027, 2, 1), D(2028, 2, 1)),
        # no longer a permanent pathway: no next M4
        (K.M4, SIMPLE, D(2026, 1, 15), D(2026, 1, 15), None),
        (K.M4, COMPOSITE, D(2026, 1, 15), D(2026, 1, 15), None),
        (K.M4, None, D(2026, 1, 15), D(2026, 1, 15), None),
        # monthly weighing, whatever the pathway
        (K.WEIGHING, None, D(2026, 1, 15), D(2026, 1, 15), D(2026, 2, 15)),
        (K.WEIGHING, SIMPLE, D(2026, 1, 31), D(2026, 2, 2), D(2026, 2, 28)),
        (K.WEIGHING, MODERATE, D(2026, 3, 10), D(2026, 4, 20), D(2026, 5, 20)),
        (K.WEIGHING, None, D(2026, 12, 15), D(2026, 12, 1), D(2027, 1, 15)),
    ],
)
def test_next_occurrence(kind, pathway, due_date, done_on, expected):
    assert next_occurrence(kind, pathway, done_on, due_date) == expected


@pytest.mark.parametrize("kind", [k for k in FollowUpKind if not k.recurs])
@pytest.mark.parametrize("pathway", [None, *PathwayType])
def test_other_kinds_do_not_recur(kind, pathway):
    assert next_occurrence(kind, pathway, D(2026, 1, 15), D(2026, 1, 15)) is None


def test_next_occurrence_uses_configured_deadlines():
    deadlines = Deadlines(m4_months={MODERATE: 24, CONSIDERABLE: 3}, weighing_months=2)
    assert next_occurrence(K.M4, CONSIDERABLE, D(2026, 1, 1), D(2026, 1, 1), deadlines) == D(
        2026, 4, 1
    )
    assert next_occurrence(K.M4, MODERATE, D(2026, 1, 1), D(2026, 1, 1), deadlines) == D(2028, 1, 1)
    assert next_occurrence(K.WEIGHING, None, D(2026, 1, 1), D(2026, 1, 1), deadlines) == D(
        2026, 3, 1
    )


# --- triage and TOBS -------------------------------------------------------------------------

AT = local(2026, 1, 12, 10, 0)


@pytest.mark.parametrize(
    ("old", "new", "kind", "hours"),
    [
        (GREEN, GREEN, None, None),
        (GREEN, YELLOW, K.TRIAGE_SPARRING, 48),
        (GREEN, RED, K.TRIAGE_NURSE, 24),
        (YELLOW, GREEN, None, None),
        (YELLOW, YELLOW, None, None),
        (YELLOW, RED, K.TRIAGE_NURSE, 24),
        (RED, GREEN, None, None),
        (RED, YELLOW, None, None),  # toward grøn: not a new gul
        (RED, RED, None, None),
        # the first colour ever set counts as a change from grøn
        (None, GREEN, None, None),
        (None, YELLOW, K.TRIAGE_SPARRING, 48),
        (None, RED, K.TRIAGE_NURSE, 24),
    ],
)
def test_triage_follow_up_for_every_colour_pair(old, new, kind, hours):
    due = triage_follow_up(old, new, AT, CPH)
    if kind is None:
        assert due is None
        return
    assert due.kind is kind
    assert due.due_at == AT.astimezone(UTC) + hours * H
    assert due.due_date == (AT + hours * H).date()
    assert due.owner is None
    assert due.title == kind.label


def test_triage_follow_up_over_the_dst_change():
    # 12:00 CEST on Saturday 24 October + 48 elapsed hours = 11:00 CET on Monday 26 October
    due = triage_follow_up(GREEN, YELLOW, local(2026, 10, 24, 12, 0), CPH)
    assert due.due_at == utc(2026, 10, 26, 10, 0)
    assert due.due_at.astimezone(CPH).hour == 11
    assert due.due_date == D(2026, 10, 26)


def test_triage_follow_up_uses_configured_hours():
    deadlines = Deadlines(triage_yellow_hours=72, triage_red_hours=4)
    assert triage_follow_up(GREEN, YELLOW, AT, CPH, deadlines).due_at == AT + 72 * H
    assert triage_follow_up(YELLOW, RED, AT, CPH, deadlines).due_at == AT + 4 * H


@pytest.mark.parametrize(
    ("total", "complete", "count"),
    [
        (0, True, 0),
        (1, True, 3),
        (2, True, 0),
        (5, True, 0),
        (1, False, 0),  # a partial sum of 1 is not a score of 1: measure the rest
        (0, False, 0),
        (2, False, 0),
    ],
)
def test_tobs_repeats_only_for_a_complete_score_of_one(total, complete, count):
    assert len(tobs_repeats(total, complete, AT, CPH)) == count


def test_tobs_repeats_are_spread_over_the_next_24_hours():
    at = local(2026, 1, 12, 18, 0)
    repeats = tobs_repeats(1, True, at, CPH)
    assert [r.due_at for r in repeats] == [
        utc(2026, 1, 13, 1, 0),
        utc(2026, 1, 13, 9, 0),
        utc(2026, 1, 13, 17, 0),
    ]
    assert [r.due_date for r in repeats] == [D(2026, 1, 13)] * 3
    assert [r.title for r in repeats] == [
        "Gentag TOBS (1 af 3)",
        "Gentag TOBS (2 af 3)",
        "Gentag TOBS (3 af 3)",
    ]
    assert {r.kind for r in repeats} == {K.TOBS_REPEAT}
    assert {r.owner for r in repeats} == {None}


def test_tobs_repeats_use_configured_count_and_window():
    deadlines = Deadlines(tobs_repeat_count=4, tobs_repeat_window_hours=12)
    repeats = tobs_repeats(1, True, AT, CPH, deadlines)
    assert [r.due_at - AT for r in repeats] == [3 * H, 6 * H, 9 * H, 12 * H]
    assert repeats[-1].title == "Gentag TOBS (4 af 4)"


def test_timed_follow_ups_refuse_a_naive_time():
    with pytest.raises(ValueError):
        tobs_repeats(1, True, datetime(2026, 1, 12, 10, 0), CPH)
    with pytest.raises(ValueError):
        triage_follow_up(GREEN, RED, datetime(2026, 1, 12, 10, 0), CPH)


# --- overview buckets and list sections ------------------------------------------------------

TODAY = D(2026, 6, 10)
YESTERDAY, TOMORROW = D(2026, 6, 9), D(2026, 6, 11)
DONE, OPEN, CANCELLED = Status.DONE, Status.OPEN, Status.CANCELLED


@pytest.mark.parametrize(
    ("status", "due_date", "done_on", "bucket"),
    [
        (DONE, TODAY, YESTERDAY, Bucket.ON_TIME),
        (DONE, TODAY, TODAY, Bucket.ON_TIME),  # done on the due day is on time
        (DONE, TODAY, TOMORROW, Bucket.LATE),  # a day late
        (DONE, YESTERDAY, TODAY, Bucket.LATE),
        (DONE, D(2026, 7, 1), TODAY, Bucket.ON_TIME),  # done early, due in the future
        (DONE, D(2026, 1, 1), D(2026, 1, 2), Bucket.LATE),  # long ago
        (OPEN, TODAY, None, Bucket.DUE),  # due today is not yet overdue
        (OPEN, TOMORROW, None, Bucket.DUE),
        (OPEN, D(2027, 1, 1), None, Bucket.DUE),
        (OPEN, YESTERDAY, None, Bucket.OVERDUE),
        (OPEN, D(2025, 1, 1), None, Bucket.OVERDUE),
        (CANCELLED, YESTERDAY, None, Bucket.MISSING),
        (CANCELLED, TOMORROW, None, Bucket.MISSING),
        (CANCELLED, TODAY, TODAY, Bucket.MISSING),  # never counted as held
    ],
)
def test_classify(status, due_date, done_on, bucket):
    assert classify(status, due_date, done_on, TODAY) is bucket


def test_a_done_follow_up_needs_its_done_day():
    with pytest.raises(ValueError):
        classify(DONE, TODAY, None, TODAY)


def test_overview_counts_per_kind_with_every_bucket():
    rows = [
        (K.M1, Bucket.ON_TIME),
        (K.M2, Bucket.OVERDUE),
        (K.M1, Bucket.ON_TIME),
        (K.M1, Bucket.MISSING),
        (K.M2, Bucket.DUE),
    ]
    counts = overview_counts(rows)
    assert list(counts) == [K.M1, K.M2]
    assert list(counts[K.M1]) == list(Bucket)
    assert counts[K.M1] == {
        Bucket.ON_TIME: 2,
        Bucket.LATE: 0,
        Bucket.DUE: 0,
        Bucket.OVERDUE: 0,
        Bucket.MISSING: 1,
    }
    assert counts[K.M2][Bucket.OVERDUE] == counts[K.M2][Bucket.DUE] == 1
    assert sum(counts[K.M2].values()) == 2
    assert overview_counts([]) == {}


@pytest.mark.parametrize(
    ("due_date", "horizon", "section"),
    [
        (D(2025, 12, 1), 14, Section.OVERDUE),
        (YESTERDAY, 14, Section.OVERDUE),
        (TODAY, 14, Section.TODAY),
        (TOMORROW, 14, Section.NEXT_14_DAYS),
        (TODAY + timedelta(days=14), 14, Section.NEXT_14_DAYS),
        (TODAY + timedelta(days=15), 14, None),
        (D(2027, 1, 1), 14, None),
        (TODAY + timedelta(days=7), 7, Section.NEXT_14_DAYS),
        (TODAY + timedelta(days=8), 7, None),
    ],
)
def test_list_section(due_date, horizon, section):
    assert list_section(due_date, TODAY, horizon) == section


def test_list_section_values_are_the_plain_strings():
    assert list_section(YESTERDAY, TODAY) == "overskredet"
    assert list_section(TODAY, TODAY) == "i_dag"
    assert list_section(TOMORROW, TODAY) == "naeste_14_dage"


# --- forløbsskift ----------------------------------------------------------------------------

HE, A, N, T, L = Role.HELPER, Role.ASSISTANT, Role.NURSE, Role.THERAPIST, Role.LEADER
START = D(2026, 3, 1)
LATER = D(2026, 4, 15)
BEFORE = D(2026, 2, 28)
NO_NAME = "kræver navnet"
WRONG_ROLE = "SOSU-assistent, sygeplejerske eller terapeut"
MODERATE_NONE = "ingen forløbsansvarlig"
TOO_EARLY = "før det nuværende forløbs start (01.03.2026)"


@pytest.mark.parametrize(
    ("new_type", "roles", "change_date", "expected"),
    [
        (SIMPLE, {N}, LATER, []),
        (COMPOSITE, {A}, LATER, []),
        (CONSIDERABLE, {T}, LATER, []),
        (CONSIDERABLE, {HE, N}, LATER, []),  # any one qualifying role is enough
        (SIMPLE, {N}, START, []),  # the day the current pathway started
        (SIMPLE, None, LATER, [NO_NAME]),
        (CONSIDERABLE, None, LATER, [NO_NAME]),
        (COMPOSITE, {HE}, LATER, [WRONG_ROLE]),  # a helper cannot be forløbsansvarlig
        (COMPOSITE, {L}, LATER, [WRONG_ROLE]),
        (COMPOSITE, frozenset(), LATER, [WRONG_ROLE]),
        (MODERATE, None, LATER, []),  # the kontaktperson takes over
        (MODERATE, {N}, LATER, [MODERATE_NONE]),
        (SIMPLE, {N}, BEFORE, [TOO_EARLY]),
        (SIMPLE, None, BEFORE, [NO_NAME, TOO_EARLY]),
        (MODERATE, {A}, BEFORE, [MODERATE_NONE, TOO_EARLY]),
        (MODERATE, None, BEFORE, [TOO_EARLY]),
    ],
)
def test_pathway_change_errors(new_type, roles, change_date, expected):
    roles = None if roles is None else frozenset(roles)
    errors = pathway_change_errors(new_type, roles, change_date, START)
    assert len(errors) == len(expected), errors
    for message, fragment in zip(errors, expected, strict=True):
        assert fragment in message
    assert PathwayChange(new_type, roles, change_date, START).errors() == errors


# --- weight change ---------------------------------------------------------------------------

W_TODAY = D(2026, 6, 15)  # 1 month back: 15 May; 3 months back: 15 March


def w(*pairs: tuple[date, str]) -> list[tuple[date, Decimal]]:
    return [(day, Decimal(kg)) for day, kg in pairs]


@pytest.mark.parametrize(
    ("weights", "months", "expected"),
    [
        (w(), 1, None),
        (w((D(2026, 6, 15), "80")), 1, None),
        # exactly a month apart
        (w((D(2026, 5, 15), "80"), (D(2026, 6, 15), "76")), 1, "-5.0"),
        (w((D(2026, 5, 15), "80"), (D(2026, 6, 15), "88")), 1, "10.0"),
        # the nearest earlier weighing is the baseline, not a later one
        (w((D(2026, 5, 1), "80"), (D(2026, 5, 20), "90"), (D(2026, 6, 15), "84")), 1, "5.0"),
        # unsorted input
        (w((D(2026, 6, 15), "84"), (D(2026, 5, 1), "80")), 1, "5.0"),
        # the latest weighing need not be today
        (w((D(2026, 5, 10), "80"), (D(2026, 6, 1), "79")), 1, "-1.3"),
        # gaps: a baseline up to 45 days before the day a month ago
        (w((D(2026, 3, 31), "80"), (D(2026, 6, 15), "88")), 1, "10.0"),
        (w((D(2026, 3, 30), "80"), (D(2026, 6, 15), "88")), 1, None),
        # only weighings after the day a month ago: no baseline
        (w((D(2026, 5, 16), "80"), (D(2026, 6, 15), "88")), 1, None),
        # the only weighing in reach is itself the latest
        (w((D(2026, 3, 1), "80"), (D(2026, 5, 10), "82")), 1, None),
        # three months, up to 120 days before 15 March
        (w((D(2026, 3, 15), "100"), (D(2026, 6, 15), "93")), 3, "-7.0"),
        (w((D(2025, 11, 15), "100"), (D(2026, 6, 15), "93")), 3, "-7.0"),
        (w((D(2025, 11, 14), "100"), (D(2026, 6, 15), "93")), 3, None),
        (w((D(2026, 5, 15), "80"), (D(2026, 6, 15), "76")), 3, None),
        # weighings after today are ignored
        (w((D(2026, 5, 15), "80"), (D(2026, 6, 15), "76"), (D(2026, 6, 20), "70")), 1, "-5.0"),
        # two on one day: the later one in the input counts
        (w((D(2026, 5, 15), "80"), (D(2026, 6, 15), "70"), (D(2026, 6, 15), "76")), 1, "-5.0"),
        # one decimal, half away from zero
        (w((D(2026, 5, 15), "80"), (D(2026, 6, 15), "80.04")), 1, "0.1"),
        (w((D(2026, 5, 15), "80"), (D(2026, 6, 15), "79.96")), 1, "-0.1"),
        (w((D(2026, 5, 15), "80"), (D(2026, 6, 15), "80.03")), 1, "0.0"),
        (w((D(2026, 5, 15), "80"), (D(2026, 6, 15), "80")), 1, "0.0"),
    ],
)
def test_weight_change(weights, months, expected):
    found = weight_change(weights, W_TODAY, months)
    assert found == (None if expected is None else Decimal(expected))
    if expected is not None:
        assert str(found) == expected


def test_weight_change_at_a_month_end_and_with_a_window():
    weights = w((D(2026, 2, 28), "80"), (D(2026, 3, 31), "84"))
    assert weight_change(weights, D(2026, 3, 31), 1) == Decimal("5.0")
    early = w((D(2026, 2, 1), "80"), (D(2026, 3, 31), "84"))
    assert weight_change(early, D(2026, 3, 31), 1, window_days=20) is None
    assert weight_change(early, D(2026, 3, 31), 1, window_days=30) == Decimal("5.0")
