"""The shared TOBS vectors through the Python implementation, and the data handed to clients.

tests/vectors/tobs_vectors.json is a reviewed fixture: the browser test runs the very same
cases through static/js/tobs.js, so server and phone agree case by case.
"""

import json
from pathlib import Path

import pytest

from webapp.domain import tobs
from webapp.domain.tobs import bands_as_data, parse_tobs, score
from webapp.domain.tobs_actions import (
    DEFAULT_ACTION_ROWS,
    EMERGENCY_TEXT,
    ActionRow,
    Urgency,
    actions_as_data,
    choose_action,
)

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "tobs_vectors.json"
CASES = json.loads(VECTORS.read_text(encoding="utf-8"))["cases"]
RESULT_KEYS = (
    "total",
    "complete",
    "any_three",
    "points",
    "corrected_temperature",
    "missing",
    "text",
    "urgency",
    "escalate",
)


def evaluate(fields: dict[str, str]) -> dict:
    """What the server makes of one vector's form, in the vector file's shape."""
    inp, errors = parse_tobs(fields)
    actual: dict = {"errors": errors, "empty": inp.is_empty}
    if inp.is_empty:
        return {**actual, **dict.fromkeys(RESULT_KEYS)}
    result = score(inp)
    action = choose_action(result, DEFAULT_ACTION_ROWS)
    corrected = result.corrected_temperature
    return {
        **actual,
        "total": result.total,
        "complete": result.complete,
        "any_three": result.any_three,
        "points": {parameter.value: points for parameter, points in result.points.items()},
        "corrected_temperature": None if corrected is None else str(corrected),
        "missing": [parameter.value for parameter in result.missing],
        "text": result.text,
        "urgency": None if action is None else action.urgency.value,
        "escalate": None if action is None else action.escalate,
    }


def test_the_vector_file_is_big_enough_and_well_formed():
    names = [case["name"] for case in CASES]
    assert len(names) >= 80
    assert len(set(names)) == len(names)
    for case in CASES:
        assert set(case["expect"]) == {"errors", "empty", *RESULT_KEYS}, case["name"]
        assert all(isinstance(value, str) for value in case["fields"].values()), case["name"]


def test_the_vectors_cover_every_band_edge_on_both_sides():
    """Each band's low and high (so both sides of every edge), temperatures measured rectally."""
    for field, parameter in bands_as_data()["parameters"].items():
        values = {
            case["fields"].get(field, "").replace(",", ".")
            for case in CASES
            if field != "temperatur" or case["fields"].get("maalemetode") == "rektal"
        }
        for band in parameter["bands"]:
            for edge in (band["low"], band["high"]):
                assert edge is None or edge in values, (field, edge)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_vector(case):
    assert evaluate(case["fields"]) == case["expect"]


# --- The data a client gets -----------------------------------------------------------------


def test_messages_are_the_python_constants():
    messages = bands_as_data()["messages"]
    assert messages == {
        "integer": {
            "puls": tobs._integer_error("puls"),
            "respiration": tobs._integer_error("respiration"),
            "systolisk": tobs._integer_error("systolisk"),
            "iltmaetning": tobs._integer_error("iltmaetning"),
        },
        "temperature_format": tobs.TEMPERATURE_FORMAT_ERROR,
        "temperature_decimals": tobs.TEMPERATURE_DECIMALS_ERROR,
        "temperature_range": tobs.TEMPERATURE_RANGE_ERROR,
        "method_missing": tobs.METHOD_MISSING_ERROR,
        "method_unknown": tobs.METHOD_UNKNOWN_ERROR,
        "consciousness_unknown": tobs.CONSCIOUSNESS_UNKNOWN_ERROR,
    }
    assert messages["integer"]["puls"] == "Puls skal være et helt tal mellem 20 og 250."
    assert messages["temperature_range"] == "Temperatur skal være mellem 25,0 og 45,0 °C."


def test_messages_are_the_ones_parse_tobs_gives():
    messages = bands_as_data()["messages"]
    bad = {
        "puls": "x",
        "respiration": "x",
        "systolisk": "x",
        "iltmaetning": "x",
        "temperatur": "37,5",
        "maalemetode": "x",
        "bevidsthed": "x",
    }
    _, errors = parse_tobs(bad)
    assert errors == {
        **messages["integer"],
        "maalemetode": messages["method_unknown"],
        "bevidsthed": messages["consciousness_unknown"],
    }
    for text, key in (("x", "temperature_format"), ("1,234", "temperature_decimals")):
        assert parse_tobs({"temperatur": text})[1] == {"temperatur": messages[key]}
    assert parse_tobs({"temperatur": "50"})[1] == {"temperatur": messages["temperature_range"]}
    assert parse_tobs({"temperatur": "37"})[1] == {"maalemetode": messages["method_missing"]}


def test_bands_as_data_keeps_its_keys_and_round_trips_through_json():
    data = bands_as_data()
    assert json.loads(json.dumps(data)) == data
    assert set(data) >= {
        "version",
        "rules",
        "max_total",
        "parameters",
        "consciousness",
        "temperature_methods",
        "temperature_rounding",
        "unscored",
        "messages",
    }


def test_actions_as_data_is_the_table_in_order():
    data = actions_as_data(DEFAULT_ACTION_ROWS, "standard – skal godkendes lokalt")
    assert json.loads(json.dumps(data)) == data
    assert data["label"] == "standard – skal godkendes lokalt"
    assert data["emergency"] == EMERGENCY_TEXT == "Ved livstruende tilstand: ring 112"
    assert len(data["rows"]) == len(DEFAULT_ACTION_ROWS)
    for row, original in zip(data["rows"], DEFAULT_ACTION_ROWS, strict=True):
        assert row == {
            "min_score": original.min_score,
            "max_score": original.max_score,
            "any_parameter_three": original.any_parameter_three,
            "urgency": original.urgency.value,
            "urgency_label": original.urgency.label,
            "urgency_rank": original.urgency.rank,
            "escalate": original.escalate,
            "text": original.text,
        }
    assert data["rows"][3] == {
        "min_score": 5,
        "max_score": None,
        "any_parameter_three": False,
        "urgency": "haster",
        "urgency_label": "Haster",
        "urgency_rank": 3,
        "escalate": True,
        "text": "Kontakt sygeplejersken nu. Det haster.",
    }


def test_actions_as_data_keeps_an_edited_table_as_it_is():
    rows = (
        ActionRow(None, 3, False, Urgency.TODAY, "Ring i dag.", escalate=False),
        ActionRow(4, None, False, Urgency.NOW, "Ring nu.", escalate=True),
    )
    data = actions_as_data(rows, "Aarhus v2")
    assert data["label"] == "Aarhus v2"
    assert [(r["min_score"], r["max_score"], r["urgency"]) for r in data["rows"]] == [
        (None, 3, "i_dag"),
        (4, None, "haster"),
    ]
    assert actions_as_data((), "tom")["rows"] == []
