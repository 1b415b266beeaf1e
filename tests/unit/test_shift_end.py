"""When the shift covering a local moment ends (webapp/domain/duty.py: shift_end)."""

from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from webapp.domain.duty import (
    DEFAULT_SHIFT_STARTS,
    Shift,
    parse_shift_starts,
    shift_at,
    shift_end,
    shift_starts_from,
)

CPH = ZoneInfo("Europe/Copenhagen")
CET = timedelta(hours=1)
CEST = timedelta(hours=2)
EARLY = "06:00,14:00,22:00"
MIDNIGHT = "00:00,08:00,16:00"


def local(*args, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=CPH, fold=fold)


# --- the default starts: 07:00, 15:00, 23:00 -------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "end"),
    [
        # day shift: ends 15:00 the same day
        ((2026, 11, 24, 7, 0), (2026, 11, 24, 15, 0)),  # exactly at its start
        ((2026, 11, 24, 7, 0, 0, 1), (2026, 11, 24, 15, 0)),
        ((2026, 11, 24, 10, 30), (2026, 11, 24, 15, 0)),
        ((2026, 11, 24, 14, 59, 59, 999999), (2026, 11, 24, 15, 0)),
        # evening shift: ends 23:00 the same day
        ((2026, 11, 24, 15, 0), (2026, 11, 24, 23, 0)),  # exactly at its start
        ((2026, 11, 24, 18, 45), (2026, 11, 24, 23, 0)),
        ((2026, 11, 24, 22, 59, 59), (2026, 11, 24, 23, 0)),
        # night before midnight: ends 07:00 the next day
        ((2026, 11, 24, 23, 0), (2026, 11, 25, 7, 0)),  # exactly at its start
        ((2026, 11, 24, 23, 30), (2026, 11, 25, 7, 0)),
        ((2026, 11, 24, 23, 59, 59, 999999), (2026, 11, 25, 7, 0)),
        # night after midnight: ends 07:00 the same calendar day
        ((2026, 11, 25, 0, 0), (2026, 11, 25, 7, 0)),
        ((2026, 11, 25, 3, 0), (2026, 11, 25, 7, 0)),
        ((2026, 11, 25, 6, 59, 59, 999999), (2026, 11, 25, 7, 0)),
        # month and year ends, leap day
        ((2026, 11, 30, 23, 15), (2026, 12, 1, 7, 0)),
        ((2026, 12, 31, 23, 30), (2027, 1, 1, 7, 0)),
        ((2027, 1, 1, 0, 30), (2027, 1, 1, 7, 0)),
        ((2027, 1, 1, 7, 0), (2027, 1, 1, 15, 0)),
        ((2028, 2, 28, 23, 0), (2028, 2, 29, 7, 0)),
        ((2028, 2, 29, 23, 0), (2028, 3, 1, 7, 0)),
        ((2027, 2, 28, 23, 0), (2027, 3, 1, 7, 0)),
    ],
)
def test_default_shift_end(moment, end):
    result = shift_end(local(*moment))
    assert result == local(*end)
    assert (result.year, result.month, result.day, result.hour, result.minute) == end[:5]
    assert (result.second, result.microsecond) == (0, 0)
    assert result.tzinfo is CPH


@pytest.mark.parametrize(
    "moment",
    [(2026, 11, 24, 7, 0), (2026, 11, 24, 15, 0), (2026, 11, 24, 23, 0), (2026, 11, 25, 3, 0)],
)
def test_end_is_after_the_moment(moment):
    start = local(*moment)
    assert shift_end(start) > start


def test_default_starts_are_explicit():
    at = local(2026, 11, 24, 10, 0)
    assert shift_end(at) == shift_end(at, DEFAULT_SHIFT_STARTS)
    assert shift_end(at, shift_starts_from(None)) == shift_end(at)
    assert shift_end(at, shift_starts_from("")) == shift_end(at)


def test_the_end_starts_the_next_shift():
    """From the end of one shift, the next shift in the roster begins."""
    at = local(2026, 11, 24, 6, 0)
    seen = []
    for _ in range(6):
        seen.append(shift_at(at))
        at = shift_end(at)
    assert seen == [
        (datetime(2026, 11, 23).date(), Shift.NIGHT),
        (datetime(2026, 11, 24).date(), Shift.DAY),
        (datetime(2026, 11, 24).date(), Shift.EVENING),
        (datetime(2026, 11, 24).date(), Shift.NIGHT),
        (datetime(2026, 11, 25).date(), Shift.DAY),
        (datetime(2026, 11, 25).date(), Shift.EVENING),
    ]
    assert at == local(2026, 11, 25, 23, 0)


# --- other zones ----------------------------------------------------------------------------


def test_fixed_offset_zone_is_kept():
    zone = timezone(timedelta(hours=1))
    result = shift_end(datetime(2026, 11, 24, 23, 30, tzinfo=zone))
    assert result == datetime(2026, 11, 25, 7, 0, tzinfo=zone)
    assert result.tzinfo is zone


def test_utc_is_kept():
    result = shift_end(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    assert result == datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    assert result.tzinfo is UTC


# --- the DST nights in Copenhagen -----------------------------------------------------------


@pytest.mark.parametrize(
    ("moment_utc", "end", "offset"),
    [
        # 29 March 2026: 02:00 CET becomes 03:00 CEST
        (datetime(2026, 3, 28, 13, 0, tzinfo=UTC), (2026, 3, 28, 15, 0), CET),  # day, 14:00
        (datetime(2026, 3, 28, 15, 0, tzinfo=UTC), (2026, 3, 28, 23, 0), CET),  # evening
        (datetime(2026, 3, 28, 22, 0, tzinfo=UTC), (2026, 3, 29, 7, 0), CEST),  # 23:00 CET
        (datetime(2026, 3, 28, 22, 30, tzinfo=UTC), (2026, 3, 29, 7, 0), CEST),  # 23:30 CET
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), (2026, 3, 29, 7, 0), CEST),  # 01:30 CET
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), (2026, 3, 29, 7, 0), CEST),  # 01:59 CET
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), (2026, 3, 29, 7, 0), CEST),  # 03:00 CEST
        (datetime(2026, 3, 29, 3, 0, tzinfo=UTC), (2026, 3, 29, 7, 0), CEST),  # 05:00 CEST
        (datetime(2026, 3, 29, 5, 0, tzinfo=UTC), (2026, 3, 29, 15, 0), CEST),  # 07:00 CEST
        (datetime(2026, 3, 29, 21, 30, tzinfo=UTC), (2026, 3, 30, 7, 0), CEST),  # 23:30 CEST
        # 25 October 2026: 03:00 CEST becomes 02:00 CET
        (datetime(2026, 10, 24, 12, 0, tzinfo=UTC), (2026, 10, 24, 15, 0), CEST),  # day
        (datetime(2026, 10, 24, 21, 0, tzinfo=UTC), (2026, 10, 25, 7, 0), CET),  # 23:00 CEST
        (datetime(2026, 10, 24, 21, 30, tzinfo=UTC), (2026, 10, 25, 7, 0), CET),  # 23:30 CEST
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), (2026, 10, 25, 7, 0), CET),  # 02:30 CEST
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), (2026, 10, 25, 7, 0), CET),  # 02:30 CET
        (datetime(2026, 10, 25, 4, 0, tzinfo=UTC), (2026, 10, 25, 7, 0), CET),  # 05:00 CET
        (datetime(2026, 10, 25, 6, 0, tzinfo=UTC), (2026, 10, 25, 15, 0), CET),  # 07:00 CET
        (datetime(2026, 10, 25, 22, 30, tzinfo=UTC), (2026, 10, 26, 7, 0), CET),  # 23:30 CET
    ],
)
def test_shift_end_on_dst_days(moment_utc, end, offset):
    result = shift_end(moment_utc.astimezone(CPH))
    assert (result.year, result.month, result.day, result.hour, result.minute) == end
    assert result.utcoffset() == offset
    assert result.tzinfo is CPH
    assert result == datetime(*end, tzinfo=timezone(offset))


def test_spring_night_is_seven_hours_long():
    start = datetime(2026, 3, 28, 22, 0, tzinfo=UTC).astimezone(CPH)  # 23:00 CET
    end = shift_end(start)
    assert end.astimezone(UTC) == datetime(2026, 3, 29, 5, 0, tzinfo=UTC)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=7)


def test_autumn_night_is_nine_hours_long():
    start = datetime(2026, 10, 24, 21, 0, tzinfo=UTC).astimezone(CPH)  # 23:00 CEST
    end = shift_end(start)
    assert end.astimezone(UTC) == datetime(2026, 10, 25, 6, 0, tzinfo=UTC)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=9)


@pytest.mark.parametrize("fold", [0, 1])
def test_ambiguous_autumn_hour_either_fold(fold):
    result = shift_end(local(2026, 10, 25, 2, 30, fold=fold))
    assert result == datetime(2026, 10, 25, 6, 0, tzinfo=UTC)
    assert result.utcoffset() == CET


# --- custom starts via parse_shift_starts ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "moment", "end"),
    [
        # 06:30, 14:30, 22:00
        ("06:30,14:30,22:00", (2026, 11, 24, 6, 29), (2026, 11, 24, 6, 30)),
        ("06:30,14:30,22:00", (2026, 11, 24, 6, 30), (2026, 11, 24, 14, 30)),
        ("06:30,14:30,22:00", (2026, 11, 24, 14, 30), (2026, 11, 24, 22, 0)),
        ("06:30,14:30,22:00", (2026, 11, 24, 21, 59), (2026, 11, 24, 22, 0)),
        ("06:30,14:30,22:00", (2026, 11, 24, 22, 0), (2026, 11, 25, 6, 30)),
        ("06:30,14:30,22:00", (2026, 11, 24, 23, 0), (2026, 11, 25, 6, 30)),
        ("06:30,14:30,22:00", (2026, 12, 31, 22, 0), (2027, 1, 1, 6, 30)),
        # spaces around the times are allowed
        (" 08:00 , 16:00 , 23:30 ", (2026, 11, 24, 7, 0), (2026, 11, 24, 8, 0)),
        (" 08:00 , 16:00 , 23:30 ", (2026, 11, 24, 12, 0), (2026, 11, 24, 16, 0)),
        (" 08:00 , 16:00 , 23:30 ", (2026, 11, 24, 23, 0), (2026, 11, 24, 23, 30)),
        (" 08:00 , 16:00 , 23:30 ", (2026, 11, 24, 23, 45), (2026, 11, 25, 8, 0)),
        # a day shift from midnight: the night ends at midnight
        ("00:00,08:00,16:00", (2026, 11, 24, 0, 0), (2026, 11, 24, 8, 0)),
        ("00:00,08:00,16:00", (2026, 11, 24, 3, 0), (2026, 11, 24, 8, 0)),
        ("00:00,08:00,16:00", (2026, 11, 24, 8, 0), (2026, 11, 24, 16, 0)),
        ("00:00,08:00,16:00", (2026, 11, 24, 16, 0), (2026, 11, 25, 0, 0)),
        ("00:00,08:00,16:00", (2026, 11, 24, 23, 59), (2026, 11, 25, 0, 0)),
        ("00:00,08:00,16:00", (2026, 12, 31, 20, 0), (2027, 1, 1, 0, 0)),
        # seconds in the configured times
        ("07:00:30,15:00,23:00", (2026, 11, 24, 7, 0), (2026, 11, 24, 7, 0, 30)),
        ("07:00:30,15:00,23:00", (2026, 11, 24, 7, 0, 30), (2026, 11, 24, 15, 0)),
        # short day and evening, long night
        ("09:00,12:00,18:00", (2026, 11, 24, 11, 0), (2026, 11, 24, 12, 0)),
        ("09:00,12:00,18:00", (2026, 11, 24, 18, 0), (2026, 11, 25, 9, 0)),
        ("09:00,12:00,18:00", (2026, 11, 25, 8, 59), (2026, 11, 25, 9, 0)),
    ],
)
def test_custom_shift_end(text, moment, end):
    starts = parse_shift_starts(text)
    assert shift_end(local(*moment), starts) == local(*end)
    assert shift_end(local(*moment), shift_starts_from(text)) == local(*end)


@pytest.mark.parametrize(
    ("text", "moment_utc", "end", "offset"),
    [
        # custom morning on the DST nights
        (EARLY, datetime(2026, 3, 28, 21, 30, tzinfo=UTC), (2026, 3, 29, 6, 0), CEST),
        (EARLY, datetime(2026, 3, 29, 0, 30, tzinfo=UTC), (2026, 3, 29, 6, 0), CEST),
        (EARLY, datetime(2026, 10, 24, 20, 30, tzinfo=UTC), (2026, 10, 25, 6, 0), CET),
        (EARLY, datetime(2026, 10, 25, 1, 30, tzinfo=UTC), (2026, 10, 25, 6, 0), CET),
        # a night ending at midnight before the spring change keeps CET
        (MIDNIGHT, datetime(2026, 3, 28, 20, 0, tzinfo=UTC), (2026, 3, 29, 0, 0), CET),
        # midnight before the autumn change is still CEST
        (MIDNIGHT, datetime(2026, 10, 24, 20, 0, tzinfo=UTC), (2026, 10, 25, 0, 0), CEST),
    ],
)
def test_custom_shift_end_on_dst_days(text, moment_utc, end, offset):
    result = shift_end(moment_utc.astimezone(CPH), parse_shift_starts(text))
    assert (result.year, result.month, result.day, result.hour, result.minute) == end
    assert result.utcoffset() == offset


def test_parse_shift_starts_reads_three_times():
    assert parse_shift_starts("06:30,14:30,22:00") == {
        Shift.DAY: time(6, 30),
        Shift.EVENING: time(14, 30),
        Shift.NIGHT: time(22, 0),
    }
    assert parse_shift_starts("07:00,15:00,23:00") == DEFAULT_SHIFT_STARTS


@pytest.mark.parametrize(
    "text",
    [
        "",
        "07:00",
        "07:00,15:00",
        "07:00,15:00,23:00,03:00",
        "07:00,15:00,",
        "15:00,07:00,23:00",  # not rising
        "07:00,07:00,23:00",  # equal
        "07:00,15:00,15:00",
        "23:00,07:00,15:00",  # night first
        "7,15,23",
        "kl 7,15:00,23:00",
        "07:00;15:00;23:00",
        "25:00,15:00,23:00",
    ],
)
def test_parse_shift_starts_refuses(text):
    with pytest.raises(ValueError):
        parse_shift_starts(text)
