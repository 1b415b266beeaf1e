"""Kontakt sygeplejerske, the pure rules: shifts, routing (table-driven), deadlines,
next in line, and the one-tap answers."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from webapp.domain.duty import (
    DEFAULT_SHIFT_STARTS,
    Shift,
    is_weekend,
    parse_shift_starts,
    shift_at,
    week_days,
)
from webapp.domain.escalation import (
    DEFAULT_ANSWER_WITHIN,
    AnswerError,
    AnswerKind,
    Candidate,
    Choice,
    Priority,
    RoutingFacts,
    Rule,
    Status,
    coming_choices,
    deadline,
    is_overdue,
    next_in_line,
    parse_answer,
    parse_note,
    priority_for_tobs,
    recipient_line,
    within_text,
)
from webapp.domain.roles import Role
from webapp.domain.tobs_actions import Urgency

CPH = ZoneInfo("Europe/Copenhagen")


def local(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=CPH)


# --- Shifts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "day", "shift"),
    [
        (local(2026, 11, 25, 7, 0), date(2026, 11, 25), Shift.DAY),  # Wednesday
        (local(2026, 11, 25, 6, 59), date(2026, 11, 24), Shift.NIGHT),  # Tuesday's night
        (local(2026, 11, 25, 0, 0), date(2026, 11, 24), Shift.NIGHT),
        (local(2026, 11, 25, 14, 59), date(2026, 11, 25), Shift.DAY),
        (local(2026, 11, 25, 15, 0), date(2026, 11, 25), Shift.EVENING),
        (local(2026, 11, 25, 22, 59), date(2026, 11, 25), Shift.EVENING),
        (local(2026, 11, 25, 23, 0), date(2026, 11, 25), Shift.NIGHT),
        (local(2026, 11, 28, 10, 0), date(2026, 11, 28), Shift.DAY),  # Saturday
        (local(2026, 11, 30, 3, 0), date(2026, 11, 29), Shift.NIGHT),  # Sunday's night
        (local(2027, 1, 1, 2, 0), date(2026, 12, 31), Shift.NIGHT),  # across the year
        (local(2026, 3, 29, 3, 30), date(2026, 3, 28), Shift.NIGHT),  # DST night
    ],
)
def test_shift_at(at, day, shift):
    assert shift_at(at) == (day, shift)


def test_shift_at_with_other_starts():
    starts = parse_shift_starts("06:30,14:30,22:30")
    assert shift_at(local(2026, 11, 25, 6, 45), starts) == (date(2026, 11, 25), Shift.DAY)
    assert shift_at(local(2026, 11, 25, 6, 15), starts) == (date(2026, 11, 24), Shift.NIGHT)
    assert shift_at(local(2026, 11, 25, 22, 45), starts) == (date(2026, 11, 25), Shift.NIGHT)


@pytest.mark.parametrize("text", ["07:00,15:00", "15:00,07:00,23:00", "07:00,07:00,23:00", "a,b,c"])
def test_bad_shift_starts_are_refused(text):
    with pytest.raises(ValueError):
        parse_shift_starts(text)


def test_default_starts_parse_back():
    assert parse_shift_starts("07:00,15:00,23:00") == DEFAULT_SHIFT_STARTS
    assert DEFAULT_SHIFT_STARTS[Shift.NIGHT] == time(23, 0)


def test_week_days_and_weekends():
    days = week_days(date(2026, 11, 25))
    assert days[0] == date(2026, 11, 23) and days[-1] == date(2026, 11, 29)
    assert [is_weekend(d) for d in days] == [False] * 5 + [True] * 2


# --- Routing, table-driven -------------------------------------------------------------------

NURSE, THERAPIST, ASSISTANT = (
    frozenset({Role.NURSE}),
    frozenset({Role.THERAPIST}),
    frozenset({Role.ASSISTANT}),
)
FA_NURSE = Candidate(1, NURSE, on_duty=True)
FA_NURSE_OFF = Candidate(1, NURSE, on_duty=False)
FA_THERAPIST = Candidate(1, THERAPIST, on_duty=True)
FA_ASSISTANT = Candidate(1, ASSISTANT, on_duty=True)
FA_EXPIRED = Candidate(1, NURSE, available=False, on_duty=True)
ON_A = Candidate(10, NURSE, on_duty=True)
ON_B = Candidate(11, NURSE, on_duty=True)
OFF_C = Candidate(12, NURSE, on_duty=False)
THERAPIST_ON = Candidate(13, THERAPIST, on_duty=True)
AKUT = Candidate(99, NURSE)
AKUT_INACTIVE = Candidate(99, NURSE, available=False)

F, V, A, G = Rule.FORLOEBSANSVARLIG, Rule.ON_DUTY, Rule.FALLBACK, Rule.NURSE_GROUP


@pytest.mark.parametrize(
    ("name", "facts", "priority", "expected"),
    [
        (
            "forløbsansvarlig nurse on duty comes first",
            RoutingFacts(FA_NURSE, [ON_A, ON_B], AKUT),
            Priority.NOW,
            [(1, F), (10, V), (11, V), (99, A)],
        ),
        (
            "forløbsansvarlig therapist on duty",
            RoutingFacts(FA_THERAPIST, [ON_A], AKUT),
            Priority.TODAY,
            [(1, F), (10, V), (99, A)],
        ),
        (
            "forløbsansvarlig SSA is not a recipient",
            RoutingFacts(FA_ASSISTANT, [ON_A], AKUT),
            Priority.NOW,
            [(10, V), (99, A)],
        ),
        (
            "forløbsansvarlig off duty: the nurse on duty",
            RoutingFacts(FA_NURSE_OFF, [ON_A, OFF_C], AKUT),
            Priority.NOW,
            [(10, V), (99, A)],
        ),
        (
            "til konference goes to the forløbsansvarlig off duty too",
            RoutingFacts(FA_NURSE_OFF, [ON_A], AKUT),
            Priority.CONFERENCE,
            [(1, F), (10, V), (99, A)],
        ),
        (
            "forløbsansvarlig whose membership expired is skipped",
            RoutingFacts(FA_EXPIRED, [ON_A], AKUT),
            Priority.NOW,
            [(10, V), (99, A)],
        ),
        (
            "no forløbsansvarlig (varigt moderat)",
            RoutingFacts(None, [OFF_C, ON_B], AKUT),
            Priority.TODAY,
            [(11, V), (99, A)],
        ),
        (
            "a therapist on duty is not 'the nurse on duty'",
            RoutingFacts(None, [THERAPIST_ON, ON_A], AKUT),
            Priority.NOW,
            [(10, V), (99, A)],
        ),
        (
            "nobody on duty (night): the akutteam",
            RoutingFacts(None, [OFF_C], AKUT),
            Priority.NOW,
            [(99, A)],
        ),
        (
            "nobody on duty and no akutteam: the basisteam's nurses",
            RoutingFacts(None, [OFF_C, THERAPIST_ON], None),
            Priority.NOW,
            [(12, G)],
        ),
        (
            "inactive akutteam account counts as none",
            RoutingFacts(None, [OFF_C], AKUT_INACTIVE),
            Priority.NOW,
            [(12, G)],
        ),
        (
            "nobody at all",
            RoutingFacts(None, [], None),
            Priority.NOW,
            [],
        ),
        (
            "the forløbsansvarlig is also on the basisteam roster: listed once",
            RoutingFacts(Candidate(10, NURSE, on_duty=True), [ON_A, ON_B], AKUT),
            Priority.NOW,
            [(10, F), (11, V), (99, A)],
        ),
        (
            "the akutteam is also the forløbsansvarlig: listed once",
            RoutingFacts(Candidate(99, NURSE, on_duty=True), [], AKUT),
            Priority.NOW,
            [(99, F)],
        ),
    ],
)
def test_recipient_line(name, facts, priority, expected):
    line = recipient_line(facts, priority)
    assert [(c.staff_id, c.rule) for c in line] == expected, name


def test_next_in_line_skips_everyone_tried():
    line = [Choice(1, F), Choice(10, V), Choice(99, A)]
    assert next_in_line(line, {1}) == Choice(10, V)
    assert next_in_line(line, {1, 10}) == Choice(99, A)
    assert next_in_line(line, {1, 10, 99}) is None
    assert next_in_line([], set()) is None


# --- Deadlines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("priority", "after"),
    [
        (Priority.NOW, timedelta(minutes=30)),
        (Priority.TODAY, timedelta(hours=4)),
        (Priority.CONFERENCE, timedelta(days=4)),
    ],
)
def test_deadlines(priority, after):
    at = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    assert deadline(at, priority, DEFAULT_ANSWER_WITHIN) == at + after


def test_deadline_is_elapsed_time_across_dst():
    at = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 summer time, clocks go back at 03
    due = deadline(at, Priority.TODAY, DEFAULT_ANSWER_WITHIN)
    assert due - at == timedelta(hours=4)


def test_overdue_only_while_waiting():
    due = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    assert is_overdue(Status.SENT, due, due)
    assert is_overdue(Status.SEEN, due, due + timedelta(seconds=1))
    assert not is_overdue(Status.SENT, due, due - timedelta(seconds=1))
    assert not is_overdue(Status.ANSWERED, due, due + timedelta(hours=1))
    assert not is_overdue(Status.CLOSED, due, due + timedelta(hours=1))


def test_within_text():
    assert within_text(timedelta(minutes=30)) == "svar inden 30 min."
    assert within_text(timedelta(hours=1)) == "svar inden 1 time"
    assert within_text(timedelta(hours=4)) == "svar inden 4 timer"
    assert within_text(timedelta(days=1)) == "svar inden 1 dag"
    assert within_text(timedelta(days=4)) == "svar inden 4 dage"


@pytest.mark.parametrize(
    ("urgency", "escalate", "expected"),
    [
        (Urgency.NOW, True, Priority.NOW),
        (Urgency.TODAY, True, Priority.TODAY),
        (Urgency.TODAY, False, None),
        (Urgency.REPEAT, True, None),
        (Urgency.NONE, False, None),
        (None, True, None),
    ],
)
def test_priority_for_tobs(urgency, escalate, expected):
    assert priority_for_tobs(urgency, escalate) is expected


# --- Answers --------------------------------------------------------------------------------

NOW = local(2026, 11, 22, 10, 2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30", local(2026, 11, 22, 10, 35)),  # rounded up to 5 minutes
        ("15", local(2026, 11, 22, 10, 20)),
        ("11:30", local(2026, 11, 22, 11, 30)),
        ("11.30", local(2026, 11, 22, 11, 30)),
        ("9:59", local(2026, 11, 22, 9, 59)),  # a few minutes ago: now
    ],
)
def test_coming_at(value, expected):
    answer = parse_answer("kommer", value, "", NOW)
    assert answer.coming_at == expected
    assert answer.text() == f"Set – jeg kommer kl. {expected:%H.%M}"


def test_a_time_earlier_than_now_late_in_the_evening_is_tomorrow():
    evening = local(2026, 11, 22, 22, 30)
    assert parse_answer("kommer", "00:15", "", evening).coming_at == local(2026, 11, 23, 0, 15)


@pytest.mark.parametrize(
    ("kind", "value", "note", "message"),
    [
        ("", "", "", "Vælg et svar"),
        ("kommer", "7:00", "", "12 timer"),  # tomorrow morning is too far ahead
        ("svar", "", "", "Vælg et svar"),
        ("kommer", "", "", "tt:mm"),
        ("kommer", "24:00", "", "tt:mm"),
        ("kommer", "12:60", "", "tt:mm"),
        ("kommer", "0", "", "12 timer"),
        ("kommer", "721", "", "12 timer"),
        ("kommer", "23:30", "", "12 timer"),
        ("tobs_igen", "", "", "1–24"),
        ("tobs_igen", "0", "", "1–24"),
        ("tobs_igen", "25", "", "1–24"),
        ("tobs_igen", "-1", "", "1–24"),
        ("tobs_igen", "٣", "", "1–24"),
        ("note", "", "", "Skriv en kort besked"),
        ("note", "", "x" * 281, "280"),
        ("ring", "", "x" * 281, "280"),
    ],
)
def test_bad_answers(kind, value, note, message):
    with pytest.raises(AnswerError, match=message):
        parse_answer(kind, value, note, NOW)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("ring", "Ring til mig"),
        ("laege", "Jeg kontakter lægen"),
        ("konference", "Tag den på konferencen"),
    ],
)
def test_one_tap_answers(kind, text):
    assert parse_answer(kind, "", "", NOW).text() == text


def test_tobs_again_and_note():
    assert parse_answer("tobs_igen", "1", "", NOW).text() == "Mål TOBS igen om 1 time"
    assert parse_answer("tobs_igen", "4", "", NOW).text() == "Mål TOBS igen om 4 timer"
    answer = parse_answer("note", "", "  Giv hende noget at drikke  ", NOW)
    assert answer.kind is AnswerKind.NOTE and answer.text() == "Giv hende noget at drikke"


def test_coming_choices_are_rounded_clock_times():
    choices = coming_choices(NOW)
    assert [m for m, _ in choices] == [15, 30, 60, 120]
    assert [at.strftime("%H:%M") for _, at in choices] == ["10:20", "10:35", "11:05", "12:05"]


def test_parse_note():
    assert parse_note("  hej ") == "hej"
    assert parse_note("") == ""
    with pytest.raises(AnswerError):
        parse_note("", required=True)
    with pytest.raises(AnswerError):
        parse_note("ø" * 281)
    assert parse_note("ø" * 280) == "ø" * 280


def test_shift_starts_from_configuration():
    from webapp.domain.duty import shift_starts_from

    assert shift_starts_from(None) == DEFAULT_SHIFT_STARTS
    assert shift_starts_from("")[Shift.DAY] == time(7, 0)
    assert shift_starts_from("06:30,14:30,22:30")[Shift.NIGHT] == time(22, 30)
