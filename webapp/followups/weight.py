"""The weight curve on a citizen's page: weighings as SVG geometry, and the Danish summary
with the change in percent over 1 and 3 months (webapp.domain.followups.weight_change).

Pure: local times in, coordinates and text out. No Flask, no database, no clock. Drawn like
the 30-day trend (webapp/citizens/trend.py): a fixed viewBox that scales with the page.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation

from webapp.citizens.trend import short_date, short_time
from webapp.domain.followups import add_months, weight_change

#: How far back the curve reaches.
WINDOW_MONTHS = 6
#: The months the summary compares with (DOMAIN §8: "the change in percent over 1 and 3 months").
CHANGE_MONTHS = (1, 3)

#: The viewBox, in its own units (about one unit per CSS pixel on a 360 px phone).
WIDTH = 320
HEIGHT = 168
PLOT_LEFT = 30.0  # room for the kg labels
PLOT_RIGHT = 304.0
PLOT_TOP = 24.0  # room for the "kg" caption above the top label
PLOT_BOTTOM = 136.0
AXIS_LABEL_Y = 156.0
#: The kg axis never spans less than this, so 0,3 kg does not look like a fall.
MIN_SPAN_KG = 4

#: Accepted when a weight is entered (the same bounds as webapp.followups.operations).
MIN_KG, MAX_KG = Decimal("20.0"), Decimal("300.0")

MONTHS = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.",
          "nov.", "dec.")  # fmt: skip

MINUS = "\u2212"
NBSP = "\u00a0"


@dataclass(frozen=True)
class Weight:
    """One weighing, with its time in local time."""

    at: datetime
    kg: Decimal


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    kg: Decimal
    label: str

    @property
    def kg_text(self) -> str:
        return format_kg(self.kg)


@dataclass(frozen=True)
class Guide:
    y: float
    label: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class WeightChart:
    start: date
    end: date
    markers: tuple[Marker, ...]
    #: SVG polyline points, oldest first ("" when fewer than two weighings in the window).
    line: str
    guides: tuple[Guide, ...]
    ticks: tuple[Tick, ...]
    latest: Weight | None
    changes: tuple[tuple[int, Decimal | None], ...]
    summary: str
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: float = PLOT_LEFT
    plot_right: float = PLOT_RIGHT
    plot_top: float = PLOT_TOP
    plot_bottom: float = PLOT_BOTTOM
    axis_label_y: float = AXIS_LABEL_Y

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def last_marker(self) -> Marker | None:
        return self.markers[-1] if self.markers else None


# --- Words and numbers ----------------------------------------------------------------------


def format_kg(kg: Decimal) -> str:
    """68,4"""
    return f"{kg.quantize(Decimal('0.1'))}".replace(".", ",")


def format_percent(change: Decimal) -> str:
    """−2,1 % / +0,8 % / 0,0 % (a real minus sign, a non-breaking space before %)."""
    number = f"{abs(change).quantize(Decimal('0.1'))}".replace(".", ",")
    sign = MINUS if change < 0 else "+" if change > 0 else ""
    return f"{sign}{number}{NBSP}%"


def _months(n: int) -> str:
    return f"{n}{NBSP}{'måned' if n == 1 else 'måneder'}"


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


def summary(
    latest: Weight | None, changes: Sequence[tuple[int, Decimal | None]], window_start: date
) -> str:
    """E.g. "Vægt 68,4 kg (12.11.). Ændring: −2,1 % på 1 måned, −4,0 % på 3 måneder."

    A change that cannot be worked out (no weighing to compare with) is said so, never
    shown as 0. A latest weighing older than the curve's window carries its year.
    """
    if latest is None:
        return "Ingen vejninger endnu."
    day = latest.at.date()
    when = short_date(day) if day >= window_start else day.strftime("%d.%m.%Y")
    text = f"Vægt {format_kg(latest.kg)}{NBSP}kg ({when})."
    known = [f"{format_percent(c)} på {_months(m)}" for m, c in changes if c is not None]
    unknown = [str(m) for m, c in changes if c is None]
    if known:
        text += f" Ændring: {', '.join(known)}."
    if unknown:
        label = "måned" if unknown == ["1"] else "måneder"
        text += f" Ingen vejning at sammenligne med for {_and(unknown)}{NBSP}{label}."
    return text


def parse_kg(text: str) -> Decimal:
    """A weight as typed ("72,5", "72.5", "72"): one decimal, 20–300 kg. ValueError with a
    Danish message otherwise."""
    cleaned = text.strip().lower().replace(",", ".").removesuffix("kg").strip()
    if not cleaned:
        raise ValueError("Skriv vægten i kg, for eksempel 72,5.")
    try:
        kg = Decimal(cleaned)
        if not kg.is_finite():
            raise InvalidOperation
        kg = kg.quantize(Decimal("0.1"))
    except ArithmeticError:
        raise ValueError("Skriv vægten i kg, for eksempel 72,5.") from None
    if not MIN_KG <= kg <= MAX_KG:
        raise ValueError("Vægten skal være mellem 20 og 300 kg.")
    return kg


# --- Geometry -------------------------------------------------------------------------------


def kg_axis(values: Sequence[Decimal]) -> tuple[int, int, int]:
    """(low, high, step) in whole kg: the values with at least 1 kg to spare on each side,
    never less than MIN_SPAN_KG, on a 2, 5 or 10 kg grid."""
    low, high = min(values) - 1, max(values) + 1
    if high - low < MIN_SPAN_KG:
        middle = (low + high) / 2
        half = Decimal(MIN_SPAN_KG) / 2
        low, high = middle - half, middle + half
    span = high - low
    step = 2 if span <= 8 else 5 if span <= 20 else 10
    grid = Decimal(step)
    snapped_low = int((low / grid).to_integral_value(ROUND_FLOOR)) * step
    snapped_high = int((high / grid).to_integral_value(ROUND_CEILING)) * step
    return snapped_low, snapped_high, step


def _x(at: datetime, start: date, days: int) -> float:
    position = (at.date() - start).days + (at.hour * 60 + at.minute) / (24 * 60)
    return round(PLOT_LEFT + position * (PLOT_RIGHT - PLOT_LEFT) / days, 1)


def _y(kg: Decimal, low: int, high: int) -> float:
    share = (kg - low) / (high - low)
    return round(PLOT_BOTTOM - float(share) * (PLOT_BOTTOM - PLOT_TOP), 1)


def month_ticks(start: date, end: date) -> list[tuple[date, str]]:
    """The first of each month after ``start`` up to ``end``: "dec.", and "jan. 27" at a new
    year."""
    ticks = []
    first = add_months(start.replace(day=1), 1)
    while first <= end:
        label = MONTHS[first.month - 1]
        if first.month == 1:
            label += f" {first.year % 100:02d}"
        ticks.append((first, label))
        first = add_months(first, 1)
    return ticks


def build_weight_chart(
    today: date, weights: Sequence[Weight], months: int = WINDOW_MONTHS
) -> WeightChart:
    """The curve for the ``months`` before ``today`` (inclusive), and the summary.

    ``weights`` are all the citizen's weighings in any order, in local time (older ones still
    count as the baseline of a change). Weighings after ``today`` are left out.
    """
    start = add_months(today, -months)
    days = (today - start).days + 1
    known = sorted((w for w in weights if w.at.date() <= today), key=lambda w: w.at)
    latest = known[-1] if known else None
    pairs = [(w.at.date(), w.kg) for w in known]
    changes = tuple((m, weight_change(pairs, today, m)) for m in CHANGE_MONTHS)
    shown = [w for w in known if w.at.date() >= start]
    markers: tuple[Marker, ...] = ()
    guides: tuple[Guide, ...] = ()
    if shown:
        low, high, step = kg_axis([w.kg for w in shown])
        markers = tuple(
            Marker(
                x=_x(w.at, start, days),
                y=_y(w.kg, low, high),
                kg=w.kg,
                label=f"{short_time(w.at)}: {format_kg(w.kg)} kg",
            )
            for w in shown
        )
        guides = tuple(
            Guide(y=_y(Decimal(kg), low, high), label=str(kg)) for kg in range(low, high + 1, step)
        )
    line = " ".join(f"{m.x},{m.y}" for m in markers) if len(markers) > 1 else ""
    ticks = tuple(
        Tick(x=_x(datetime.combine(day, time()), start, days), label=label)
        for day, label in month_ticks(start, today)
    )
    return WeightChart(
        start=start,
        end=today,
        markers=markers,
        line=line,
        guides=guides,
        ticks=ticks,
        latest=latest,
        changes=changes,
        summary=summary(latest, changes, start),
    )
