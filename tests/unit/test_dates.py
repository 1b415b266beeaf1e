"""Date-effective validity (memberships, temps) and ages."""

from datetime import date

import pytest

from webapp.domain.dates import age_on, is_valid_on

D = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "day", "expected"),
    [
        (date(2026, 1, 1), None, D, True),  # open-ended
        (D, None, D, True),  # starts today
        (date(2026, 11, 23), None, D, False),  # starts tomorrow
        (date(2026, 1, 1), D, D, True),  # the last day is still valid
        (date(2026, 1, 1), date(2026, 11, 21), D, False),  # ended yesterday
        (D, D, D, True),  # a one-day temp
        (date(2026, 12, 1), date(2026, 12, 31), D, False),  # a future temp
    ],
)
def test_is_valid_on(valid_from, valid_to, day, expected):
    assert is_valid_on(valid_from, valid_to, day) is expected


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (date(1940, 11, 22), D, 86),  # birthday today
        (date(1940, 11, 23), D, 85),  # birthday tomorrow
        (date(1940, 1, 1), D, 86),
        (date(1944, 2, 29), date(2026, 2, 28), 81),  # leap-day birthday, not yet
        (date(1944, 2, 29), date(2026, 3, 1), 82),
    ],
)
def test_age_on(birth, day, age):
    assert age_on(birth, day) == age
