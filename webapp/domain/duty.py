"""The duty roster (vagtplan): which shift a moment falls in.

A day has three shifts (dag, aften, nat). The night shift belongs to the day it starts on,
so 03:00 on a Wednesday is Tuesday's night. Shift start times are configurable
(`SHIFT_STARTS`); the defaults are the usual Danish home-care shifts.
"""

from datetime import date, datetime, time, timedelta
from enum import StrEnum


class Shift(StrEnum):
    DAY = "dag"
    EVENING = "aften"
    NIGHT = "nat"

    @property
    def label(self) -> str:
        return {"dag": "Dag", "aften": "Aften", "nat": "Nat"}[self.value]


#: Local start time of each shift, in the order of the day.
DEFAULT_SHIFT_STARTS: dict[Shift, time] = {
    Shift.DAY: time(7, 0),
    Shift.EVENING: time(15, 0),
    Shift.NIGHT: time(23, 0),
}

WEEKDAY_NAMES = ("Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag")


def shift_at(
    local: datetime, starts: dict[Shift, time] = DEFAULT_SHIFT_STARTS
) -> tuple[date, Shift]:
    """The roster day and shift that cover a local moment."""
    clock = local.time().replace(tzinfo=None)
    day_start, evening_start, night_start = (
        starts[Shift.DAY],
        starts[Shift.EVENING],
        starts[Shift.NIGHT],
    )
    if clock < day_start:
        return local.date() - timedelta(days=1), Shift.NIGHT
    if clock < evening_start:
        return local.date(), Shift.DAY
    if clock < night_start:
        return local.date(), Shift.EVENING
    return local.date(), Shift.NIGHT


def shift_span(
    day: date, shift: Shift, starts: dict[Shift, time] = DEFAULT_SHIFT_STARTS
) -> tuple[time, time]:
    """The shift's local start and end clock times (the night ends the next morning)."""
    order = list(Shift)
    following = order[(order.index(shift) + 1) % len(order)]
    return starts[shift], starts[following]


def shift_end(local: datetime, starts: dict[Shift, time] = DEFAULT_SHIFT_STARTS) -> datetime:
    """The local moment the shift covering `local` ends (a night ends the next morning).

    `local` must be aware; the end is in the same zone, with that day's offset (DST)."""
    day, shift = shift_at(local, starts)
    begins, ends = shift_span(day, shift, starts)
    end_day = day + timedelta(days=1) if ends <= begins else day
    naive = datetime.combine(end_day, ends)
    return naive.replace(tzinfo=local.tzinfo)


def parse_shift_starts(text: str) -> dict[Shift, time]:
    """Read "07:00,15:00,23:00" (dag, aften, nat); raises ValueError unless strictly rising."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 3:
        raise ValueError("Angiv tre tidspunkter: dag, aften og nat.")
    times = [time.fromisoformat(p) for p in parts]
    if not times[0] < times[1] < times[2]:
        raise ValueError("Vagterne skal starte i rækkefølgen dag, aften, nat.")
    return dict(zip(Shift, times, strict=True))


def shift_starts_from(configured: str | None) -> dict[Shift, time]:
    """The configured starts (SHIFT_STARTS, "07:00,15:00,23:00"), else the defaults."""
    return parse_shift_starts(configured) if configured else dict(DEFAULT_SHIFT_STARTS)


def week_days(any_day: date) -> list[date]:
    """Monday to Sunday of the ISO week that holds `any_day`."""
    monday = any_day - timedelta(days=any_day.weekday())
    return [monday + timedelta(days=n) for n in range(7)]


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5
