"""The response table (handlingsanvisning): defaults, choosing a row, validating an edited table."""

from dataclasses import replace

import pytest

from webapp.domain.tobs import Parameter, TobsResult
from webapp.domain.tobs_actions import (
    DEFAULT_ACTION_ROWS,
    ActionRow,
    Urgency,
    choose_action,
    validate_rows,
)

NONE, REPEAT, TODAY, NOW = Urgency.NONE, Urgency.REPEAT, Urgency.TODAY, Urgency.NOW


def result(total: int, any_three: bool = False, complete: bool = True) -> TobsResult:
    """A result with only the fields choose_action reads made meaningful."""
    missing = () if complete else (Parameter.PULSE,)
    points = {p: (None if p in missing else 0) for p in Parameter}
    return TobsResult(points, total, complete, any_three, None, missing)


@pytest.mark.parametrize(
    ("total", "any_three", "urgency", "escalate"),
    [
        (0, False, NONE, False),
        (1, False, REPEAT, False),
        (2, False, TODAY, True),
        (3, False, TODAY, True),
        (4, False, TODAY, True),
        (5, False, NOW, True),
        (9, False, NOW, True),
        (15, False, NOW, True),
        (3, True, NOW, True),  # a single parameter scoring 3 is urgent at any total
        (4, True, NOW, True),
        (6, True, NOW, True),
    ],
)
def test_default_table(total, any_three, urgency, escalate):
    row = choose_action(result(total, any_three), DEFAULT_ACTION_ROWS)
    assert row is not None
    assert (row.urgency, row.escalate) == (urgency, escalate)
    assert row.text.endswith(".")


def test_the_any_parameter_three_row_is_chosen_for_a_three():
    row = choose_action(result(3, any_three=True), DEFAULT_ACTION_ROWS)
    assert row is not None and row.any_parameter_three


def test_a_partial_result_gets_the_row_for_its_partial_total():
    row = choose_action(result(2, complete=False), DEFAULT_ACTION_ROWS)
    assert row is not None and row.urgency is TODAY


def test_no_matching_row_is_none():
    rows = [ActionRow(0, 4, False, NONE, "Intet.", escalate=False)]
    assert choose_action(result(7), rows) is None
    assert choose_action(result(7), []) is None


def test_the_most_urgent_of_several_matches_wins():
    rows = [
        ActionRow(0, 5, False, TODAY, "I dag.", escalate=True),
        ActionRow(3, 8, False, NOW, "Nu.", escalate=True),
        ActionRow(None, None, True, TODAY, "En 3'er.", escalate=True),
    ]
    assert choose_action(result(4), rows).text == "Nu."
    assert choose_action(result(2), rows).text == "I dag."
    # an any-3 row less urgent than the score row does not lower the urgency
    assert choose_action(result(4, any_three=True), rows).text == "Nu."
    # on equal urgency the any-3 row wins
    assert choose_action(result(2, any_three=True), rows).text == "En 3'er."


def test_urgency_labels_are_danish():
    assert [u.label for u in Urgency] == ["Ingen handling", "Gentag målingen", "I dag", "Haster"]


def test_the_default_table_is_valid():
    assert validate_rows(DEFAULT_ACTION_ROWS) == []


def _without(index: int) -> list[ActionRow]:
    return [row for i, row in enumerate(DEFAULT_ACTION_ROWS) if i != index]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (_without(2), "Ingen række dækker score 2–4."),
        (_without(0), "Ingen række dækker score 0."),
        (_without(3), "Ingen række dækker score 5–15."),
        (
            [*DEFAULT_ACTION_ROWS, ActionRow(4, 6, False, NOW, "Nu.", escalate=True)],
            "Flere rækker dækker score 4–6.",
        ),
        (_without(4), "Der mangler en række for, når en enkelt måling giver 3 point."),
        (
            [*_without(1), ActionRow(2, 1, False, REPEAT, "Gentag.", escalate=False)],
            "Række 5: Fra-score er større end til-score.",
        ),
        (
            [replace(row, text=" ") if row.min_score == 0 else row for row in DEFAULT_ACTION_ROWS],
            "Række 1: Skriv hvad man skal gøre.",
        ),
        (
            [
                replace(row, max_score=20) if row.min_score == 5 else row
                for row in DEFAULT_ACTION_ROWS
            ],
            "Række 4: En score skal være mellem 0 og 15.",
        ),
    ],
)
def test_validate_rows_finds_problems(rows, message):
    assert message in validate_rows(rows)


def test_validate_rows_groups_gaps_into_ranges():
    rows = [
        ActionRow(0, 1, False, NONE, "A.", escalate=False),
        ActionRow(4, 4, False, TODAY, "B.", escalate=True),
        ActionRow(7, None, False, NOW, "C.", escalate=True),
        ActionRow(None, None, True, NOW, "D.", escalate=True),
    ]
    assert validate_rows(rows) == ["Ingen række dækker score 2–3, 5–6."]
