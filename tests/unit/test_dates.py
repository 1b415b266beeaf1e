"""Date-effective validity (memberships, temps) and ages."""

from datetime import UTC, date, datetime, timedelta

import pytest

from webapp.domain.dates import age_on, is_valid_on, time_ago

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


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=0), "lige nu"),
        (timedelta(seconds=59), "lige nu"),
        (timedelta(minutes=1), "for 1 min. siden"),
        (timedelta(minutes=59, seconds=59), "for 59 min. siden"),
        (timedelta(hours=1), "for 1 time siden"),
        (timedelta(hours=23, minutes=59), "for 23 timer siden"),
        (timedelta(days=1), "for 1 dag siden"),
        (timedelta(days=12, hours=5), "for 12 dage siden"),
        (timedelta(seconds=-30), "lige nu"),  # a clock a little ahead is not "in the future"
    ],
)
def test_time_ago(delta, text):
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert time_ago(now - delta, now) == text
