"""TOBS: every band edge, temperature correction, parsing, partial scores, the data contract."""

import json
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain.tobs import (
    BANDS,
    MAX_TOTAL,
    PLAUSIBLE,
    STEP,
    Consciousness,
    Parameter,
    TempMethod,
    TobsInput,
    bands_as_data,
    corrected_temperature,
    deviation,
    format_decimal,
    format_deviation,
    parse_tobs,
    points_for,
    score,
)

P, R, T, S = Parameter.PULSE, Parameter.RESPIRATION, Parameter.TEMPERATURE, Parameter.SYSTOLIC
NUMERIC = (P, R, T, S)
RECTAL, ORAL, AXILLARY = TempMethod.RECTAL, TempMethod.ORAL, TempMethod.AXILLARY


def d(text: str) -> Decimal:
    return Decimal(text)


@pytest.mark.parametrize(
    ("parameter", "value", "points"),
    [
        # Puls: ≤39 2 | 40–49 1 | 50–89 0 | 90–109 1 | 110–129 2 | ≥130 3
        (P, 20, 2),
        (P, 39, 2),  # published gap, closed toward the more severe band
        (P, 40, 1),
        (P, 49, 1),
        (P, 50, 0),
        (P, 89, 0),
        (P, 90, 1),
        (P, 109, 1),
        (P, 110, 2),
        (P, 129, 2),
        (P, 130, 3),  # published gap
        (P, 250, 3),
        # Respiration: ≤8 3 | 9–11 1 | 12–20 0 | 21–24 2 | ≥25 3
        (R, 4, 3),
        (R, 8, 3),  # published gap
        (R, 9, 1),
        (R, 11, 1),
        (R, 12, 0),
        (R, 20, 0),
        (R, 21, 2),
        (R, 24, 2),
        (R, 25, 3),  # published gap
        (R, 60, 3),
        # Temperatur (rectal): ≤33.9 3 | 34.0–35.9 2 | 36.0–37.9 0 | 38.0–38.9 1 | 39.0–39.9 2
        # | ≥40.0 3
        (T, d("25.0"), 3),
        (T, d("33.9"), 3),  # published gap
        (T, d("34.0"), 2),
        (T, d("35.9"), 2),
        (T, d("36.0"), 0),
        (T, d("37.9"), 0),
        (T, d("38.0"), 1),
        (T, d("38.9"), 1),
        (T, d("39.0"), 2),
        (T, d("39.9"), 2),
        (T, d("40.0"), 3),  # published gap
        (T, d("46.0"), 3),  # 45.0 measured axillary
        # Systolisk: ≤69 3 | 70–79 2 | 80–99 1 | 100–199 0 | ≥200 2
        (S, 40, 3),
        (S, 69, 3),  # published gap
        (S, 70, 2),
        (S, 79, 2),
        (S, 80, 1),
        (S, 99, 1),
        (S, 100, 0),
        (S, 199, 0),
        (S, 200, 2),  # published gap
        (S, 300, 2),
    ],
)
def test_every_band_edge(parameter, value, points):
    assert points_for(parameter, value) == points


@pytest.mark.parametrize(
    ("parameter", "value", "points"),
    [
        (T, d("37.95"), 1),  # between 0 and 1: the more severe
        (T, d("35.95"), 2),  # between 2 and 0
        (T, d("33.95"), 3),  # between 3 and 2
        (T, d("39.99"), 3),
        (P, d("39.5"), 2),
        (P, d("49.5"), 1),
        (P, d("89.5"), 1),
        (P, d("129.5"), 3),
        (R, d("8.5"), 3),
        (R, d("20.5"), 2),
        (S, d("99.5"), 1),
        (S, d("199.5"), 2),
    ],
)
def test_a_value_between_bands_takes_the_more_severe(parameter, value, points):
    assert points_for(parameter, value) == points


@pytest.mark.parametrize("parameter", NUMERIC)
def test_bands_cover_the_line_without_gaps_or_overlaps(parameter):
    bands = BANDS[parameter]
    assert bands[0].low is None and bands[-1].high is None
    for band in bands:
        assert band.low is None or band.high is None or band.low <= band.high
    for lower, upper in pairwise(bands):
        assert upper.low - lower.high == STEP[parameter]
    assert [b.points for b in bands].count(0) == 1


def test_points_for_refuses_floats_and_consciousness():
    with pytest.raises(TypeError):
        points_for(T, 37.5)
    with pytest.raises(ValueError):
        points_for(Parameter.CONSCIOUSNESS, 1)


@pytest.mark.parametrize(
    ("level", "points"),
    [
        (Consciousness.HABITUAL, 0),
        (Consciousness.AGITATED, 1),
        (Consciousness.VOICE, 1),
        (Consciousness.PAIN, 2),
        (Consciousness.UNRESPONSIVE, 3),
    ],
)
def test_each_consciousness_level(level, points):
    assert level.points == points
    assert level.label
    result = score(TobsInput(70, 16, d("37.0"), RECTAL, 130, level))
    assert result.points[Parameter.CONSCIOUSNESS] == points
    assert result.total == points
    assert result.any_three is (points == 3)


@pytest.mark.parametrize(
    ("measured", "method", "corrected", "points"),
    [
        ("37.0", RECTAL, "37.0", 0),
        ("37.0", ORAL, "37.5", 0),
        ("37.0", AXILLARY, "38.0", 1),
        ("37.45", ORAL, "38.0", 1),  # 37.95 rounds half up
        ("35.45", ORAL, "36.0", 0),  # 35.95 rounds half up
        ("35.44", ORAL, "35.9", 2),  # 35.94 rounds down
        ("37.94", ORAL, "38.4", 1),  # 38.44 rounds down
        ("36.95", AXILLARY, "38.0", 1),
        ("38.95", RECTAL, "39.0", 2),
        ("39.45", ORAL, "40.0", 3),
        ("32.9", AXILLARY, "33.9", 3),
        ("45.0", AXILLARY, "46.0", 3),
    ],
)
def test_temperature_correction_rounds_half_up(measured, method, corrected, points):
    assert corrected_temperature(d(measured), method) == d(corrected)
    result = score(TobsInput(70, 16, d(measured), method, 130, Consciousness.HABITUAL))
    assert result.corrected_temperature == d(corrected)
    assert result.points[T] == points


def test_method_corrections_and_labels():
    assert [m.correction for m in TempMethod] == [d("0.0"), d("0.5"), d("1.0")]
    assert [m.label for m in TempMethod] == ["Rektal", "Oral", "Aksillær"]
    assert [p.label for p in Parameter] == [
        "Puls",
        "Respiration",
        "Temperatur",
        "Systolisk blodtryk",
        "Bevidsthed",
    ]
    assert [p.unit for p in Parameter] == ["/min", "/min", "°C", "mmHg", ""]


FULL_FORM = {
    "puls": "72",
    "respiration": "16",
    "temperatur": "37,2",
    "maalemetode": "oral",
    "systolisk": "130",
    "bevidsthed": "habituel",
    "iltmaetning": "",
}


def parse_one(**changes):
    return parse_tobs({**FULL_FORM, **changes})


def test_a_full_form_parses_and_scores_complete():
    inp, errors = parse_tobs(FULL_FORM)
    assert errors == {}
    assert inp == TobsInput(72, 16, d("37.2"), ORAL, 130, Consciousness.HABITUAL, None)
    result = score(inp)
    assert result.complete and result.missing == ()
    assert result.text == "TOBS-score 0"


@pytest.mark.parametrize(
    ("field", "text", "ok"),
    [
        ("puls", "19", False),
        ("puls", "20", True),
        ("puls", "250", True),
        ("puls", "251", False),
        ("respiration", "3", False),
        ("respiration", "4", True),
        ("respiration", "60", True),
        ("respiration", "61", False),
        ("systolisk", "39", False),
        ("systolisk", "40", True),
        ("systolisk", "300", True),
        ("systolisk", "301", False),
        ("temperatur", "24,9", False),
        ("temperatur", "24,99", False),
        ("temperatur", "25,0", True),
        ("temperatur", "25", True),
        ("temperatur", "45,0", True),
        ("temperatur", "45,01", False),
        ("iltmaetning", "49", False),
        ("iltmaetning", "50", True),
        ("iltmaetning", "100", True),
        ("iltmaetning", "101", False),
    ],
)
def test_plausible_range_edges(field, text, ok):
    inp, errors = parse_one(**{field: text})
    assert (field not in errors) is ok
    if not ok:
        assert errors[field].endswith(".")


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("puls", "abc", "Puls skal være et helt tal mellem 20 og 250."),
        ("puls", "7O", "Puls skal være et helt tal mellem 20 og 250."),
        ("puls", "72.5", "Puls skal være et helt tal mellem 20 og 250."),
        ("puls", "-72", "Puls skal være et helt tal mellem 20 og 250."),
        ("puls", "٧٢", "Puls skal være et helt tal mellem 20 og 250."),  # not ASCII digits
        ("respiration", "x", "Respiration skal være et helt tal mellem 4 og 60."),
        ("systolisk", "120/80", "Systolisk blodtryk skal være et helt tal mellem 40 og 300."),
        ("temperatur", "abc", "Temperatur skal være et tal, for eksempel 37,5."),
        ("temperatur", "37,", "Temperatur skal være et tal, for eksempel 37,5."),
        ("temperatur", "37,5,1", "Temperatur skal være et tal, for eksempel 37,5."),
        ("temperatur", "37,555", "Skriv temperaturen med højst 2 decimaler, for eksempel 37,5."),
        ("temperatur", "50", "Temperatur skal være mellem 25,0 og 45,0 °C."),
        ("maalemetode", "", "Vælg målemetode for temperaturen."),
        ("maalemetode", "pande", "Vælg en målemetode fra listen."),
        ("bevidsthed", "sover", "Vælg bevidsthed fra listen."),
        ("iltmaetning", "97%", "Iltmætning skal være et helt tal mellem 50 og 100."),
    ],
)
def test_parse_errors_are_plain_danish(field, text, message):
    inp, errors = parse_one(**{field: text})
    assert errors == {field: message}
    score(inp)  # whatever was rejected is left out, so the rest is still scoreable


@pytest.mark.parametrize(
    ("text", "value"),
    [("37,5", "37.5"), ("37.5", "37.5"), (" 37,55 ", "37.55"), ("38", "38")],
)
def test_temperature_accepts_comma_or_point(text, value):
    inp, errors = parse_one(temperatur=text)
    assert errors == {}
    assert inp.temperature == d(value)


def test_bad_fields_become_none():
    inp, errors = parse_one(puls="abc", bevidsthed="sover")
    assert set(errors) == {"puls", "bevidsthed"}
    assert inp.pulse is None and inp.consciousness is None
    assert inp.respiration == 16


def test_a_missing_method_leaves_the_temperature_out():
    inp, errors = parse_one(maalemetode="")
    assert errors == {"maalemetode": "Vælg målemetode for temperaturen."}
    assert inp.temperature is None and inp.method is None


def test_a_method_without_temperature_is_ignored():
    inp, errors = parse_one(temperatur="", maalemetode="nonsens")
    assert errors == {}
    assert inp.temperature is None and inp.method is None


def test_empty_fields_are_missing_not_errors():
    inp, errors = parse_tobs({})
    assert errors == {}
    assert inp.is_empty
    result = score(inp)
    assert result.total == 0 and not result.complete
    assert result.missing == (P, R, T, S, Parameter.CONSCIOUSNESS)
    assert result.text == "TOBS-score 0 (ufuldstændig)"


def test_a_partial_score_never_presents_itself_as_complete():
    inp, errors = parse_one(puls="", respiration="30")
    assert errors == {}
    result = score(inp)
    assert not result.complete
    assert result.missing == (P,)
    assert result.points[P] is None
    assert result.total == 3 and result.any_three
    assert result.text == "TOBS-score 3 (ufuldstændig)"


def test_spo2_is_recorded_but_never_scored():
    base = TobsInput(72, 16, d("37.2"), ORAL, 130, Consciousness.HABITUAL)
    inp, _ = parse_one(iltmaetning="88")
    assert inp.spo2 == 88
    for spo2 in (None, 50, 80, 100):
        result = score(replace(base, spo2=spo2))
        assert result == score(base)
        assert len(result.points) == 5


@pytest.mark.parametrize(
    "inp",
    [
        TobsInput(19, None, None, None, None, None),
        TobsInput(None, 61, None, None, None, None),
        TobsInput(None, None, d("45.1"), RECTAL, None, None),
        TobsInput(None, None, None, None, 39, None),
        TobsInput(None, None, d("37.0"), None, None, None),  # a temperature needs a method
        TobsInput(None, None, None, None, None, None, spo2=101),
    ],
)
def test_implausible_input_is_never_scored(inp):
    with pytest.raises(ValueError):
        score(inp)


@pytest.mark.parametrize(
    ("value", "habitual", "expected", "text"),
    [(84, 72, 12, "+12"), (64, 72, -8, "−8"), (72, 72, 0, "±0"), (None, 72, None, None)],
)
def test_deviation_from_habitual(value, habitual, expected, text):
    assert deviation(value, habitual) == expected
    assert deviation(value, None) is None
    if expected is not None:
        assert format_deviation(expected) == text


def test_format_decimal_uses_a_comma():
    assert format_decimal(d("37.5")) == "37,5"


# --- property tests ---------------------------------------------------------------------------

temperatures = st.decimals(min_value=25, max_value=45, places=2)
inputs = st.builds(
    TobsInput,
    pulse=st.none() | st.integers(20, 250),
    respiration=st.none() | st.integers(4, 60),
    temperature=st.none() | temperatures,
    method=st.sampled_from(TempMethod),
    systolic=st.none() | st.integers(40, 300),
    consciousness=st.none() | st.sampled_from(Consciousness),
    spo2=st.none() | st.integers(50, 100),
)


@given(inputs)
def test_total_is_the_sum_of_the_points_and_stays_in_range(inp):
    result = score(inp)
    present = [p for p in result.points.values() if p is not None]
    assert result.total == sum(present)
    assert 0 <= result.total <= 15 == MAX_TOTAL
    assert result.complete is (len(present) == 5)
    assert result.any_three is (3 in present)
    assert set(result.missing) == {k for k, v in result.points.items() if v is None}
    assert result.text.endswith("(ufuldstændig)") is not result.complete


def _normal_band(parameter):
    return next(b for b in BANDS[parameter] if b.points == 0)


@given(
    st.sampled_from(NUMERIC),
    st.decimals(min_value=-100, max_value=400, places=2),
    st.decimals(min_value=-100, max_value=400, places=2),
)
def test_points_never_decrease_away_from_normal(parameter, a, b):
    a, b = sorted((a, b))
    normal = _normal_band(parameter)
    if normal.low <= a:  # walking upward from the normal band
        assert points_for(parameter, a) <= points_for(parameter, b)
    if b <= normal.high:  # walking downward from the normal band
        assert points_for(parameter, a) >= points_for(parameter, b)


@pytest.mark.parametrize("parameter", NUMERIC)
def test_walking_outward_over_the_plausible_range_never_lowers_points(parameter):
    normal, step = _normal_band(parameter), STEP[parameter]
    low, high = PLAUSIBLE[parameter]
    for start, stop, direction in ((normal.low, high + 1, step), (normal.high, low - 1, -step)):
        previous, value = 0, start
        while value != stop:
            current = points_for(parameter, value)
            assert current >= previous, (parameter, value)
            previous, value = current, value + direction


# --- the contract with the offline client ----------------------------------------------------


def _client_points(data: dict, field: str, value: Decimal) -> int:
    """What a client does, reading nothing but the data."""
    bands = data["parameters"][field]["bands"]

    def low(b):
        return None if b["low"] is None else Decimal(b["low"])

    def high(b):
        return None if b["high"] is None else Decimal(b["high"])

    for b in bands:
        if (low(b) is None or low(b) <= value) and (high(b) is None or value <= high(b)):
            return b["points"]
    for lower, upper in pairwise(bands):
        if high(lower) < value < low(upper):
            return max(lower["points"], upper["points"])
    raise AssertionError(value)


def _client_corrected(data: dict, measured: Decimal, method: str) -> Decimal:
    correction = next(m["correction"] for m in data["temperature_methods"] if m["value"] == method)
    assert data["temperature_rounding"] == {"decimals": 1, "mode": "half_up"}
    return (measured + Decimal(correction)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _range(low: Decimal, high: Decimal, step: Decimal):
    value = low
    while value <= high:
        yield value
        value += step


def test_bands_as_data_round_trips_through_json():
    data = bands_as_data()
    assert json.loads(json.dumps(data)) == data
    assert set(data["parameters"]) == {"puls", "respiration", "temperatur", "systolisk"}
    assert data["max_total"] == 15
    assert "iltmaetning" in data["unscored"]


@pytest.mark.parametrize("parameter", (P, R, S))
def test_the_client_scores_every_integer_like_the_server(parameter):
    data = json.loads(json.dumps(bands_as_data()))
    low, high = (Decimal(x) for x in data["parameters"][parameter.value]["plausible"])
    assert (low, high) == PLAUSIBLE[parameter]
    for value in range(int(low) - 5, int(high) + 6):
        assert _client_points(data, parameter.value, Decimal(value)) == points_for(parameter, value)
    for value in _range(low, high, Decimal("0.5")):  # also off the recorded resolution
        assert _client_points(data, parameter.value, value) == points_for(parameter, value)


def test_the_client_scores_every_temperature_like_the_server():
    data = json.loads(json.dumps(bands_as_data()))
    low, high = (Decimal(x) for x in data["parameters"]["temperatur"]["plausible"])
    for measured in _range(low, high, Decimal("0.01")):
        for method in TempMethod:
            corrected = _client_corrected(data, measured, method.value)
            assert corrected == corrected_temperature(measured, method)
            assert _client_points(data, "temperatur", corrected) == points_for(T, corrected)
            assert _client_points(data, "temperatur", measured) == points_for(T, measured)


def test_the_client_scores_consciousness_like_the_server():
    data = json.loads(json.dumps(bands_as_data()))
    levels = {row["value"]: row["points"] for row in data["consciousness"]["levels"]}
    assert levels == {c.value: c.points for c in Consciousness}
