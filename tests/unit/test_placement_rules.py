"""A citizen's date-effective placement: moves, corrections, planned moves, cancelling."""

from datetime import date, timedelta

import pytest

from webapp.domain import placement as rules
from webapp.domain.placement import Placement

TODAY = date(2026, 11, 25)
A, B = 1, 2  # teams
K1, K2 = 11, 21  # kontaktteams (K1 in A, K2 in B)


def p(team, kt, start, end=None, id=None):
    return Placement(team, kt, start, end, id)


HISTORY = [p(A, K1, date(2025, 1, 1), id=1)]


def test_in_force_is_the_row_holding_that_day():
    rows = [p(A, K1, date(2025, 1, 1), date(2026, 11, 30), 1), p(B, K2, date(2026, 12, 1), id=2)]
    assert rules.in_force(rows, date(2026, 11, 30)).id == 1
    assert rules.in_force(rows, date(2026, 12, 1)).id == 2
    assert rules.in_force(rows, date(2024, 12, 31)) is None


def test_in_force_latest_start_wins_if_rows_ever_overlap():
    rows = [p(A, K1, date(2025, 1, 1), id=1), p(B, K2, date(2026, 1, 1), id=2)]
    assert rules.in_force(rows, date(2026, 6, 1)).id == 2


def test_planned_is_the_first_row_starting_after_today():
    rows = [p(A, K1, date(2025, 1, 1), TODAY, 1), p(B, K2, TODAY + timedelta(days=1), id=2)]
    assert rules.planned(rows, TODAY).id == 2
    assert rules.planned(rows, TODAY + timedelta(days=1)) is None
    assert rules.planned(HISTORY, TODAY) is None


@pytest.mark.parametrize(
    ("on", "problem"),
    [
        (None, rules.NO_DATE),
        (TODAY - timedelta(days=31), rules.TOO_EARLY),
        (TODAY + timedelta(days=366), rules.TOO_LATE),
    ],
)
def test_date_limits(on, problem):
    assert rules.date_problems(on, TODAY) == [problem]
    move, problems = rules.plan_move(HISTORY, B, K2, on, TODAY)
    assert move is None and problems == [problem]


@pytest.mark.parametrize("days", [-30, -1, 0, 1, 365])
def test_dates_inside_the_limits(days):
    assert rules.date_problems(TODAY + timedelta(days=days), TODAY) == []


def test_a_move_ends_the_placement_the_day_before():
    on = date(2026, 12, 1)
    move, problems = rules.plan_move(HISTORY, B, K2, on, TODAY)
    assert problems == []
    assert move == rules.Move(B, K2, on, ends=HISTORY[0], valid_to=None)


def test_a_move_today_and_a_backdated_move():
    for on in (TODAY, TODAY - timedelta(days=30)):
        move, _ = rules.plan_move(HISTORY, B, None, on, TODAY)
        assert move.ends == HISTORY[0] and move.on == on and move.kontaktteam_id is None


def test_a_move_within_the_team_to_another_kontaktteam():
    move, problems = rules.plan_move(HISTORY, A, 12, TODAY, TODAY)
    assert problems == [] and move.team_id == A and move.kontaktteam_id == 12


def test_leaving_the_kontaktteam_is_a_move():
    move, problems = rules.plan_move(HISTORY, A, None, TODAY, TODAY)
    assert problems == [] and move.kontaktteam_id is None


def test_the_same_place_is_refused():
    move, problems = rules.plan_move(HISTORY, A, K1, TODAY, TODAY)
    assert move is None and problems == [rules.SAME_PLACE]


def test_a_move_on_the_placements_first_day_corrects_it():
    rows = [p(A, K1, TODAY, id=7)]
    move, problems = rules.plan_move(rows, B, K2, TODAY, TODAY)
    assert problems == [] and move.corrects == rows[0] and move.ends is None


def test_a_second_planned_move_is_refused_until_the_first_is_cancelled():
    rows = [p(A, K1, date(2025, 1, 1), date(2026, 12, 9), 1), p(B, K2, date(2026, 12, 10), id=2)]
    for on in (TODAY, date(2026, 12, 20), date(2026, 12, 5)):
        move, problems = rules.plan_move(rows, A, 12, on, TODAY)
        assert move is None
        assert problems == [rules.ALREADY_PLANNED.format("10.12.2026")]


def test_a_backdated_move_before_the_current_placement_is_refused():
    rows = [
        p(A, K1, date(2025, 1, 1), TODAY - timedelta(days=6), 1),
        p(B, K2, TODAY - timedelta(days=5), id=2),
    ]
    move, problems = rules.plan_move(rows, A, 12, TODAY - timedelta(days=10), TODAY)
    assert move is None
    assert problems == [
        rules.BEFORE_CURRENT.format((TODAY - timedelta(days=5)).strftime("%d.%m.%Y"))
    ]


def test_a_move_on_the_current_placements_start_day_corrects_it_even_if_backdated():
    start = TODAY - timedelta(days=5)
    rows = [p(A, K1, date(2025, 1, 1), start - timedelta(days=1), 1), p(B, K2, start, id=2)]
    move, problems = rules.plan_move(rows, B, 22, start, TODAY)
    assert problems == [] and move.corrects == rows[1]


def test_no_history_gives_a_first_placement():
    move, problems = rules.plan_move([], A, K1, TODAY, TODAY)
    assert problems == [] and move == rules.Move(A, K1, TODAY)


def test_a_move_keeps_a_closing_end_date():
    rows = [p(A, K1, date(2025, 1, 1), date(2027, 3, 1), 1)]
    move, _ = rules.plan_move(rows, B, K2, date(2026, 12, 1), TODAY)
    assert move.valid_to == date(2027, 3, 1)


def test_cancel_a_planned_move_reopens_the_one_before():
    rows = [p(A, K1, date(2025, 1, 1), date(2026, 12, 9), 1), p(B, K2, date(2026, 12, 10), id=2)]
    previous, problems = rules.plan_cancel(rows, rows[1], TODAY)
    assert problems == [] and previous == rows[0]


@pytest.mark.parametrize("start", [TODAY, TODAY - timedelta(days=1)])
def test_a_move_in_force_cannot_be_cancelled(start):
    rows = [p(A, K1, date(2025, 1, 1), start - timedelta(days=1), 1), p(B, K2, start, id=2)]
    previous, problems = rules.plan_cancel(rows, rows[1], TODAY)
    assert previous is None and problems == [rules.NOT_PLANNED]


def test_cancel_a_planned_first_placement_has_nothing_before():
    rows = [p(A, K1, TODAY + timedelta(days=3), id=1)]
    previous, problems = rules.plan_cancel(rows, rows[0], TODAY)
    assert previous is None and problems == []


def test_holds_on_is_inclusive():
    row = p(A, K1, date(2026, 1, 1), date(2026, 1, 31))
    assert row.holds_on(date(2026, 1, 1)) and row.holds_on(date(2026, 1, 31))
    assert not row.holds_on(date(2025, 12, 31)) and not row.holds_on(date(2026, 2, 1))
