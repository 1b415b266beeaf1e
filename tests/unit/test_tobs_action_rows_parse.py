"""Reading an edited TOBS action table from the form (webapp/domain/tobs_actions.parse_rows)."""

import pytest

from webapp.domain.tobs_actions import DEFAULT_ACTION_ROWS, Urgency, parse_rows, validate_rows


def as_fields(rows):
    return [
        {
            "min": "" if r.min_score is None else str(r.min_score),
            "max": "" if r.max_score is None else str(r.max_score),
            "tre": "1" if r.any_parameter_three else "",
            "hast": r.urgency.value,
            "eskaler": "1" if r.escalate else "",
            "tekst": r.text,
        }
        for r in rows
    ]


def test_the_default_table_round_trips():
    rows, errors = parse_rows(as_fields(DEFAULT_ACTION_ROWS))
    assert errors == [] and tuple(rows) == DEFAULT_ACTION_ROWS
    assert validate_rows(rows) == []


def test_empty_spare_rows_are_left_out():
    fields = as_fields(DEFAULT_ACTION_ROWS) + [
        {"min": "", "max": "", "hast": "ingen", "tekst": " "}
    ]
    rows, errors = parse_rows(fields)
    assert len(rows) == len(DEFAULT_ACTION_ROWS) and errors == []


def test_text_is_tidied():
    rows, _ = parse_rows([{"min": "0", "max": "0", "hast": "ingen", "tekst": "  Mål   igen \n"}])
    assert rows[0].text == "Mål igen" and rows[0].urgency is Urgency.NONE


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"min": "x", "max": "1", "hast": "ingen", "tekst": "t"},
            "Række 1: Fra-score skal være et helt tal.",
        ),
        (
            {"min": "0", "max": "-1", "hast": "ingen", "tekst": "t"},
            "Række 1: Til-score skal være et helt tal.",
        ),
        (
            {"min": "0", "max": "1000", "hast": "ingen", "tekst": "t"},
            "Række 1: Til-score skal være et helt tal.",
        ),
        (
            {"min": "0", "max": "1", "hast": "nu", "tekst": "t"},
            "Række 1: Vælg hvor meget det haster.",
        ),
        (
            {"min": "0", "max": "1", "hast": "ingen", "tekst": "x" * 601},
            "Række 1: Teksten må højst være 600 tegn.",
        ),
    ],
)
def test_unreadable_rows_get_a_danish_message(row, message):
    _, errors = parse_rows([row])
    assert message in errors


def test_no_rows_at_all():
    assert parse_rows([]) == ([], ["Tabellen har ingen rækker."])


def test_at_most_twelve_rows_are_read():
    fields = [{"min": "0", "max": "0", "hast": "ingen", "tekst": f"r{i}"} for i in range(20)]
    rows, _ = parse_rows(fields)
    assert len(rows) == 12
