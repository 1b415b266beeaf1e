"""Date-effective validity and ages."""

from datetime import date, datetime


def is_valid_on(valid_from: date, valid_to: date | None, day: date) -> bool:
    """A date-effective row is valid from `valid_from` up to and including `valid_to`.

    `valid_to` is the last day (temps and students expire at the end of that day);
    None means open-ended.
    """
    return valid_from <= day and (valid_to is None or day <= valid_to)


def age_on(birth_date: date, day: date) -> int:
    """Whole years, as a Dane counts them (a 29 February birthday turns over on 1 March)."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def time_ago(then: datetime, now: datetime) -> str:
    """Plain Danish for how long ago: "lige nu", "for 20 min. siden", "for 3 timer siden",
    "for 1 dag siden", "for 12 dage siden"."""
    seconds = max(0, int((now - then).total_seconds()))
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if minutes < 1:
        return "lige nu"
    if hours < 1:
        return f"for {minutes} min. siden"
    if days < 1:
        return f"for {hours} {'time' if hours == 1 else 'timer'} siden"
    return f"for {days} {'dag' if days == 1 else 'dage'} siden"


def format_date(day: date | None) -> str:
    """A date as Danes write it: 01.12.2026 (empty for none)."""
    return day.strftime("%d.%m.%Y") if day else ""
