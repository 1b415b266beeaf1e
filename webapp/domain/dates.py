"""Date-effective validity and ages."""

from datetime import date


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
