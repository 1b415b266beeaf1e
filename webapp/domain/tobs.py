"""The TOBS score (DOMAIN §5): bands as data, temperature correction, parsing and scoring.

The band table is one data structure (``BANDS``). ``bands_as_data`` hands the very same table to
an offline client, so the server and the client can never disagree about a score.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import pairwise
from typing import TypeVar


class Parameter(StrEnum):
    """A scored TOBS parameter. The value is the form field name."""

    PULSE = "puls"
    RESPIRATION = "respiration"
    TEMPERATURE = "temperatur"
    SYSTOLIC = "systolisk"
    CONSCIOUSNESS = "bevidsthed"

    @property
    def label(self) -> str:
        return {
            "puls": "Puls",
            "respiration": "Respiration",
            "temperatur": "Temperatur",
            "systolisk": "Systolisk blodtryk",
            "bevidsthed": "Bevidsthed",
        }[self.value]

    @property
    def unit(self) -> str:
        return {
            "puls": "/min",
            "respiration": "/min",
            "temperatur": "°C",
            "systolisk": "mmHg",
            "bevidsthed": "",
        }[self.value]


class Consciousness(StrEnum):
    HABITUAL = "habituel"
    AGITATED = "agiteret"
    VOICE = "tiltale"
    PAIN = "smerte"
    UNRESPONSIVE = "ingen_reaktion"

    @property
    def label(self) -> str:
        return {
            "habituel": "Habituel",
            "agiteret": "Agiteret",
            "tiltale": "Reagerer kun på tiltale",
            "smerte": "Reagerer kun på smerte",
            "ingen_reaktion": "Ingen reaktion",
        }[self.value]

    @property
    def points(self) -> int:
        return CONSCIOUSNESS_POINTS[self]


CONSCIOUSNESS_POINTS: dict[Consciousness, int] = {
    Consciousness.HABITUAL: 0,
    Consciousness.AGITATED: 1,
    Consciousness.VOICE: 1,
    Consciousness.PAIN: 2,
    Consciousness.UNRESPONSIVE: 3,
}


class TempMethod(StrEnum):
    """How the temperature was measured. TOBS scores the rectal value."""

    RECTAL = "rektal"
    ORAL = "oral"
    AXILLARY = "aksillaer"

    @property
    def label(self) -> str:
        return {"rektal": "Rektal", "oral": "Oral", "aksillaer": "Aksillær"}[self.value]

    @property
    def correction(self) -> Decimal:
        return TEMP_CORRECTIONS[self]


TEMP_CORRECTIONS: dict[TempMethod, Decimal] = {
    TempMethod.RECTAL: Decimal("0.0"),
    TempMethod.ORAL: Decimal("0.5"),
    TempMethod.AXILLARY: Decimal("1.0"),
}

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Band:
    """Values from ``low`` to ``high``, both inclusive; ``None`` is open-ended."""

    low: Decimal | None
    high: Decimal | None
    points: int

    def contains(self, value: Decimal) -> bool:
        above_low = self.low is None or self.low <= value
        below_high = self.high is None or value <= self.high
        return above_low and below_high


def _band(low: str | None, high: str | None, points: int) -> Band:
    return Band(
        Decimal(low) if low is not None else None,
        Decimal(high) if high is not None else None,
        points,
    )


#: DOMAIN §5, lowest values first. The published gaps (pulse 130 and 39, respiration 25 and 8,
#: temperature 40.0 and 33.9, BP 200 and 69) are closed toward the more severe band.
BANDS: dict[Parameter, tuple[Band, ...]] = {
    Parameter.PULSE: (
        _band(None, "39", 2),
        _band("40", "49", 1),
        _band("50", "89", 0),
        _band("90", "109", 1),
        _band("110", "129", 2),
        _band("130", None, 3),
    ),
    Parameter.RESPIRATION: (
        _band(None, "8", 3),
        _band("9", "11", 1),
        _band("12", "20", 0),
        _band("21", "24", 2),
        _band("25", None, 3),
    ),
    Parameter.TEMPERATURE: (
        _band(None, "33.9", 3),
        _band("34.0", "35.9", 2),
        _band("36.0", "37.9", 0),
        _band("38.0", "38.9", 1),
        _band("39.0", "39.9", 2),
        _band("40.0", None, 3),
    ),
    Parameter.SYSTOLIC: (
        _band(None, "69", 3),
        _band("70", "79", 2),
        _band("80", "99", 1),
        _band("100", "199", 0),
        _band("200", None, 2),
    ),
}

#: The resolution a value is recorded in; adjacent bands are exactly one step apart.
STEP: dict[Parameter, Decimal] = {
    Parameter.PULSE: Decimal("1"),
    Parameter.RESPIRATION: Decimal("1"),
    Parameter.TEMPERATURE: TENTH,
    Parameter.SYSTOLIC: Decimal("1"),
}

#: Inclusive plausible ranges. For temperature it is the MEASURED value, before correction.
PLAUSIBLE: dict[Parameter, tuple[Decimal, Decimal]] = {
    Parameter.PULSE: (Decimal("20"), Decimal("250")),
    Parameter.RESPIRATION: (Decimal("4"), Decimal("60")),
    Parameter.TEMPERATURE: (Decimal("25.0"), Decimal("45.0")),
    Parameter.SYSTOLIC: (Decimal("40"), Decimal("300")),
}

#: SpO2 (iltmætning) may be recorded but is never scored: TOBS is not NEWS2.
SPO2_FIELD = "iltmaetning"
SPO2_LABEL = "Iltmætning"
SPO2_UNIT = "%"
SPO2_PLAUSIBLE = (50, 100)

METHOD_FIELD = "maalemetode"

MAX_TOTAL = sum(max(b.points for b in bands) for bands in BANDS.values()) + max(
    CONSCIOUSNESS_POINTS.values()
)


def format_decimal(value: Decimal) -> str:
    """A decimal as Danish text: 37.5 -> "37,5"."""
    return str(value).replace(".", ",")


def format_deviation(difference: int) -> str:
    """A signed difference for the screen: "+12", "−8" (minus sign), "±0"."""
    if difference == 0:
        return "±0"
    return f"+{difference}" if difference > 0 else f"−{-difference}"


def deviation(value: int | None, habitual: int | None) -> int | None:
    """How far a value is from the citizen's habitual value; None when either is missing."""
    if value is None or habitual is None:
        return None
    return value - habitual


def corrected_temperature(measured: Decimal, method: TempMethod) -> Decimal:
    """The rectal-equivalent temperature, rounded half up to one decimal (37.45 oral -> 38.0)."""
    return (measured + method.correction).quantize(TENTH, rounding=ROUND_HALF_UP)


def band_for(parameter: Parameter, value: Decimal | int) -> Band:
    """The band a value falls in. Every real number lands in exactly one band.

    A value inside a band's inclusive edges takes that band. A value strictly between two
    adjacent bands (only possible finer than the recorded resolution, e.g. 37.95 °C) takes the
    more severe of the two, the same rule DOMAIN §5 uses for the published gaps.
    """
    if parameter is Parameter.CONSCIOUSNESS:
        raise ValueError("Bevidsthed har ingen talbånd.")
    number = _as_decimal(value)
    bands = BANDS[parameter]
    for band in bands:
        if band.contains(number):
            return band
    for lower, upper in pairwise(bands):
        if lower.high is not None and upper.low is not None and lower.high < number < upper.low:
            return max(lower, upper, key=lambda band: band.points)
    raise AssertionError(f"no band for {parameter} {value}")  # the bands cover the whole line


def points_for(parameter: Parameter, value: Decimal | int) -> int:
    """Points for a numeric parameter. A temperature must already be corrected."""
    return band_for(parameter, value).points


def _as_decimal(value: Decimal | int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError("Use an int or a Decimal, never a float.")
    return Decimal(value)


def is_plausible(parameter: Parameter, value: Decimal | int) -> bool:
    low, high = PLAUSIBLE[parameter]
    return low <= _as_decimal(value) <= high


@dataclass(frozen=True)
class TobsInput:
    """One set of measurements as entered. None means not measured."""

    pulse: int | None
    respiration: int | None
    temperature: Decimal | None
    method: TempMethod | None
    systolic: int | None
    consciousness: Consciousness | None
    spo2: int | None = None

    @property
    def is_empty(self) -> bool:
        """Nothing at all was measured (SpO2 alone does not make a TOBS)."""
        values = (self.pulse, self.respiration, self.temperature, self.systolic)
        return all(v is None for v in values) and self.consciousness is None


_E = TypeVar("_E", bound=StrEnum)

_INTEGER = re.compile(r"[0-9]{1,6}")
_DECIMAL = re.compile(r"([0-9]{1,6})(?:[.,]([0-9]+))?")

#: Whole-number fields: field name -> (label, lowest, highest), from the plausible ranges.
_INTEGER_FIELDS: dict[str, tuple[str, int, int]] = {
    **{
        p.value: (p.label, int(PLAUSIBLE[p][0]), int(PLAUSIBLE[p][1]))
        for p in (Parameter.PULSE, Parameter.RESPIRATION, Parameter.SYSTOLIC)
    },
    SPO2_FIELD: (SPO2_LABEL, *SPO2_PLAUSIBLE),
}
_TEMP_LOW, _TEMP_HIGH = (format_decimal(v) for v in PLAUSIBLE[Parameter.TEMPERATURE])

TEMPERATURE_FORMAT_ERROR = "Temperatur skal være et tal, for eksempel 37,5."
TEMPERATURE_DECIMALS_ERROR = "Skriv temperaturen med højst 2 decimaler, for eksempel 37,5."
TEMPERATURE_RANGE_ERROR = f"Temperatur skal være mellem {_TEMP_LOW} og {_TEMP_HIGH} °C."
METHOD_MISSING_ERROR = "Vælg målemetode for temperaturen."
METHOD_UNKNOWN_ERROR = "Vælg en målemetode fra listen."
CONSCIOUSNESS_UNKNOWN_ERROR = "Vælg bevidsthed fra listen."


def _integer_error(field: str) -> str:
    label, low, high = _INTEGER_FIELDS[field]
    return f"{label} skal være et helt tal mellem {low} og {high}."


def _parse_integer(field: str, text: str) -> tuple[int | None, str | None]:
    if not text:
        return None, None
    _, low, high = _INTEGER_FIELDS[field]
    if not _INTEGER.fullmatch(text) or not low <= int(text) <= high:
        return None, _integer_error(field)
    return int(text), None


def _parse_temperature(text: str) -> tuple[Decimal | None, str | None]:
    if not text:
        return None, None
    match = _DECIMAL.fullmatch(text)
    if match is None:
        return None, TEMPERATURE_FORMAT_ERROR
    if match.group(2) is not None and len(match.group(2)) > 2:
        return None, TEMPERATURE_DECIMALS_ERROR
    value = Decimal(text.replace(",", "."))
    if not is_plausible(Parameter.TEMPERATURE, value):
        return None, TEMPERATURE_RANGE_ERROR
    return value, None


def _parse_choice(kind: type[_E], text: str) -> tuple[_E | None, bool]:
    """(member, ok): empty text is (None, True); an unknown word is (None, False)."""
    if not text:
        return None, True
    try:
        return kind(text), True
    except ValueError:
        return None, False


def parse_tobs(form: Mapping[str, str]) -> tuple[TobsInput, dict[str, str]]:
    """Read the TOBS form. Empty fields are missing; bad fields become None with a message.

    Errors are keyed by form field name. A temperature needs a method (the message is on
    ``maalemetode`` and the temperature is then left out too, so the input is always scoreable);
    a method without a temperature is ignored.
    """
    text = {key: (form.get(key) or "").strip() for key in (*_INTEGER_FIELDS, "temperatur")}
    errors: dict[str, str] = {}
    numbers: dict[str, int | None] = {}
    for field in _INTEGER_FIELDS:
        numbers[field], error = _parse_integer(field, text[field])
        if error:
            errors[field] = error
    temperature, error = _parse_temperature(text["temperatur"])
    if error:
        errors["temperatur"] = error
    method = None
    if temperature is not None:
        method, ok = _parse_choice(TempMethod, (form.get(METHOD_FIELD) or "").strip())
        if method is None:
            errors[METHOD_FIELD] = METHOD_MISSING_ERROR if ok else METHOD_UNKNOWN_ERROR
            temperature = None
    field = Parameter.CONSCIOUSNESS.value
    consciousness, ok = _parse_choice(Consciousness, (form.get(field) or "").strip())
    if not ok:
        errors[field] = CONSCIOUSNESS_UNKNOWN_ERROR
    inp = TobsInput(
        pulse=numbers[Parameter.PULSE.value],
        respiration=numbers[Parameter.RESPIRATION.value],
        temperature=temperature,
        method=method,
        systolic=numbers[Parameter.SYSTOLIC.value],
        consciousness=consciousness,
        spo2=numbers[SPO2_FIELD],
    )
    return inp, errors


@dataclass(frozen=True)
class TobsResult:
    points: dict[Parameter, int | None]
    total: int
    complete: bool
    any_three: bool
    corrected_temperature: Decimal | None
    missing: tuple[Parameter, ...]

    @property
    def text(self) -> str:
        """Never lets a partial score pass for a complete one."""
        suffix = "" if self.complete else " (ufuldstændig)"
        return f"TOBS-score {self.total}{suffix}"


def _check_plausible(inp: TobsInput) -> None:
    measured = {
        Parameter.PULSE: inp.pulse,
        Parameter.RESPIRATION: inp.respiration,
        Parameter.TEMPERATURE: inp.temperature,
        Parameter.SYSTOLIC: inp.systolic,
    }
    for parameter, value in measured.items():
        if value is not None and not is_plausible(parameter, value):
            raise ValueError(f"{parameter.label} {value} is outside the plausible range.")
    if inp.temperature is not None and inp.method is None:
        raise ValueError("A temperature needs a method.")
    if inp.spo2 is not None and not SPO2_PLAUSIBLE[0] <= inp.spo2 <= SPO2_PLAUSIBLE[1]:
        raise ValueError(f"SpO2 {inp.spo2} is outside the plausible range.")


def score(inp: TobsInput) -> TobsResult:
    """Score a set of measurements. Implausible values raise ValueError: never a score.

    SpO2 is never part of the score.
    """
    _check_plausible(inp)
    corrected = None
    if inp.temperature is not None and inp.method is not None:
        corrected = corrected_temperature(inp.temperature, inp.method)
    numeric = {
        Parameter.PULSE: inp.pulse,
        Parameter.RESPIRATION: inp.respiration,
        Parameter.TEMPERATURE: corrected,
        Parameter.SYSTOLIC: inp.systolic,
    }
    points: dict[Parameter, int | None] = {
        parameter: None if value is None else points_for(parameter, value)
        for parameter, value in numeric.items()
    }
    points[Parameter.CONSCIOUSNESS] = inp.consciousness.points if inp.consciousness else None
    present = [p for p in points.values() if p is not None]
    missing = tuple(parameter for parameter, p in points.items() if p is None)
    return TobsResult(
        points=points,
        total=sum(present),
        complete=not missing,
        any_three=3 in present,
        corrected_temperature=corrected,
        missing=missing,
    )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def bands_as_data() -> dict:
    """The whole scoring table as JSON-ready data for an offline client.

    Numbers that may have decimals (band edges, plausible ranges, corrections, steps) are
    STRINGS with "." as separator, e.g. "37.9", so nothing is lost to binary floats; points are
    integers. A client should compare temperatures in whole tenths (37.9 -> 379), add the
    correction, and round half up to one decimal before banding, exactly as described under
    ``rules``.

    ``messages`` holds the Danish parse messages, so a client shows exactly the server's words:
    ``integer`` per whole-number field name, and one message per temperature, method and
    consciousness problem.
    """
    numeric = {
        parameter.value: {
            "label": parameter.label,
            "unit": parameter.unit,
            "step": str(STEP[parameter]),
            "plausible": [str(PLAUSIBLE[parameter][0]), str(PLAUSIBLE[parameter][1])],
            "bands": [
                {"low": _text(b.low), "high": _text(b.high), "points": b.points}
                for b in BANDS[parameter]
            ],
        }
        for parameter in BANDS
    }
    return {
        "version": 1,
        "rules": {
            "edges": "low and high are inclusive; null means open-ended; bands are in order.",
            "between": "A value between two adjacent bands takes the band with more points.",
            "temperature": "Score measured + correction, rounded half up to one decimal. "
            "The plausible range applies to the measured value.",
            "missing": "A missing parameter scores nothing and makes the score incomplete.",
        },
        "max_total": MAX_TOTAL,
        "parameters": numeric,
        "consciousness": {
            "label": Parameter.CONSCIOUSNESS.label,
            "levels": [
                {"value": c.value, "label": c.label, "points": c.points} for c in Consciousness
            ],
        },
        "temperature_methods": [
            {"value": m.value, "label": m.label, "correction": str(m.correction)}
            for m in TempMethod
        ],
        "temperature_rounding": {"decimals": 1, "mode": "half_up"},
        "unscored": {
            SPO2_FIELD: {
                "label": SPO2_LABEL,
                "unit": SPO2_UNIT,
                "step": "1",
                "plausible": [str(SPO2_PLAUSIBLE[0]), str(SPO2_PLAUSIBLE[1])],
            }
        },
        "messages": {
            "integer": {field: _integer_error(field) for field in _INTEGER_FIELDS},
            "temperature_format": TEMPERATURE_FORMAT_ERROR,
            "temperature_decimals": TEMPERATURE_DECIMALS_ERROR,
            "temperature_range": TEMPERATURE_RANGE_ERROR,
            "method_missing": METHOD_MISSING_ERROR,
            "method_unknown": METHOD_UNKNOWN_ERROR,
            "consciousness_unknown": CONSCIOUSNESS_UNKNOWN_ERROR,
        },
    }
