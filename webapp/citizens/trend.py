"""The 30-day trend on a citizen's page: TOBS scores and observations per day, as SVG geometry.

Pure: local times in, coordinates and Danish text out. No Flask, no database, no clock. The
template only draws what is computed here, in a fixed viewBox that scales with the page.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from webapp.domain.tobs import MAX_TOTAL

TREND_DAYS = 30

#: The viewBox, in its own units. 320 wide is about one unit per CSS pixel on a 360 px phone.
WIDTH = 320
HEIGHT = 214
PLOT_LEFT = 24.0
PLOT_RIGHT = 298.0  # room for today's date label under the last slot
SCORE_TOP = 12.0
SCORE_BOTTOM = 122.0
BARS_TOP = 152.0
BARS_BOTTOM = 190.0
AXIS_LABEL_Y = 206.0
#: The bars' scale never shrinks below this many observations a day, so one is not a tower.
MIN_BAR_SCALE = 4
#: TOBS guide lines: 2–4 means contact today, 5 and up means contact now (DOMAIN §5).
GUIDE_SCORES = (2, 5)


@dataclass(frozen=True)
class TobsPoint:
    """One TOBS measurement, with its time in local time."""

    at: datetime
    total: int
    complete: bool


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    total: int
    complete: bool
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Guide:
    y: float
    score: int
    major: bool  # the axis ends (0, 15) rather than a guide line (2, 5)


@dataclass(frozen=True)
class Trend:
    days: int
    start: date
    end: date
    ticks: tuple[Tick, ...]
    guides: tuple[Guide, ...]
    markers: tuple[Marker, ...]
    #: SVG polyline points through the complete measurements, oldest first ("" when < 2).
    line: str
    bars: tuple[Bar, ...]
    bar_scale: int
    tobs_count: int
    observation_count: int
    observation_days: int
    summary_lines: tuple[str, ...]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: float = PLOT_LEFT
    plot_right: float = PLOT_RIGHT
    score_top: float = SCORE_TOP
    score_bottom: float = SCORE_BOTTOM
    bars_top: float = BARS_TOP
    bars_bottom: float = BARS_BOTTOM
    axis_label_y: float = AXIS_LABEL_Y

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def summary(self) -> str:
        """The text summary for screen readers (and everyone): TOBS, then observations."""
        return " ".join(self.summary_lines)

    @property
    def latest(self) -> Marker | None:
        return self.markers[-1] if self.markers else None


def short_date(day: date) -> str:
    """24.11."""
    return f"{day.day:02d}.{day.month:02d}."


def short_time(at: datetime) -> str:
    """24.11. kl. 14.05"""
    return f"{short_date(at.date())} kl. {at.hour:02d}.{at.minute:02d}"


def _day_width(days: int) -> float:
    return (PLOT_RIGHT - PLOT_LEFT) / days


def x_for(at: datetime, start: date, days: int) -> float:
    """The x of a moment: its day's slot, and the time of day within the slot."""
    minutes = at.hour * 60 + at.minute
    position = (at.date() - start).days + minutes / (24 * 60)
    return round(PLOT_LEFT + position * _day_width(days), 1)


def y_for_score(total: int) -> float:
    total = max(0, min(total, MAX_TOTAL))
    return round(SCORE_BOTTOM - total * (SCORE_BOTTOM - SCORE_TOP) / MAX_TOTAL, 1)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _score_text(point: TobsPoint) -> str:
    return f"{point.total} (ufuldstændig)" if not point.complete else str(point.total)


def summary_lines(days: int, tobs: Sequence[TobsPoint], counts: Counter[date]) -> tuple[str, str]:
    """E.g. ("Seneste 30 dage: 5 TOBS-målinger, seneste score 3 (24.11.), højeste 6.",
    "12 observationer med ændringer på 8 dage."). ``tobs`` must be oldest first."""
    parts = [f"Seneste {days} dage:"]
    if not tobs:
        parts.append("ingen TOBS-målinger.")
    else:
        latest = tobs[-1]
        when = short_date(latest.at.date())
        if latest.complete:
            latest_text = f"{latest.total} ({when})"
        else:
            latest_text = f"{latest.total} (ufuldstændig, {when})"
        if len(tobs) == 1:
            parts.append(f"1 TOBS-måling, score {latest_text}.")
        else:
            # The highest; a complete one wins a tie, so a partial sum is never the headline.
            highest = max(tobs, key=lambda p: (p.total, p.complete))
            parts.append(
                f"{len(tobs)} TOBS-målinger, seneste score {latest_text},"
                f" højeste {_score_text(highest)}."
            )
    total = sum(counts.values())
    if total == 0:
        observations = "Ingen observationer med ændringer."
    else:
        observed = _plural(total, "observation", "observationer")
        observations = f"{observed} med ændringer på {_plural(len(counts), 'dag', 'dage')}."
    return " ".join(parts), observations


def summary_text(days: int, tobs: Sequence[TobsPoint], counts: Counter[date]) -> str:
    """The summary as one text: both lines of ``summary_lines``."""
    return " ".join(summary_lines(days, tobs, counts))


def build_trend(
    today: date,
    tobs: Sequence[TobsPoint],
    observations: Sequence[datetime],
    days: int = TREND_DAYS,
) -> Trend:
    """The trend for the ``days`` local days ending ``today`` (inclusive).

    ``tobs`` are TOBS measurements and ``observations`` the times of the observations that
    count (with ticked items, not corrected), all in local time and in any order; those
    outside the window are left out. The line joins complete measurements only: an
    incomplete one is a partial sum, drawn as a hollow marker off the line.
    """
    if days < 1:
        raise ValueError("A trend needs at least one day.")
    start = today - timedelta(days=days - 1)

    def inside(at: datetime) -> bool:
        return start <= at.date() <= today

    points = sorted((p for p in tobs if inside(p.at)), key=lambda p: p.at)
    markers = tuple(
        Marker(
            x=x_for(p.at, start, days),
            y=y_for_score(p.total),
            total=p.total,
            complete=p.complete,
            label=f"{short_time(p.at)}: TOBS-score {_score_text(p)}",
        )
        for p in points
    )
    complete = [m for m in markers if m.complete]
    line = " ".join(f"{m.x},{m.y}" for m in complete) if len(complete) > 1 else ""

    counts = Counter(at.date() for at in observations if inside(at))
    scale = max(MIN_BAR_SCALE, *counts.values()) if counts else MIN_BAR_SCALE
    width = _day_width(days)
    gap = min(1.5, width / 4)
    bars = []
    for day, count in sorted(counts.items()):
        height = round(count * (BARS_BOTTOM - BARS_TOP) / scale, 1)
        bars.append(
            Bar(
                x=round(PLOT_LEFT + (day - start).days * width + gap, 1),
                y=round(BARS_BOTTOM - height, 1),
                width=round(width - 2 * gap, 1),
                height=height,
                count=count,
                label=f"{short_date(day)}: {_plural(count, 'observation', 'observationer')}",
            )
        )

    # A tick at the middle of today's slot and every week back from it.
    ticks = tuple(
        Tick(
            x=round(PLOT_LEFT + (index + 0.5) * width, 1),
            label=short_date(start + timedelta(index)),
        )
        for index in range(days - 1, -1, -7)
    )[::-1]
    guides = tuple(
        Guide(y=y_for_score(s), score=s, major=s in (0, MAX_TOTAL))
        for s in (0, *GUIDE_SCORES, MAX_TOTAL)
    )
    return Trend(
        days=days,
        start=start,
        end=today,
        ticks=ticks,
        guides=guides,
        markers=markers,
        line=line,
        bars=tuple(bars),
        bar_scale=scale,
        tobs_count=len(points),
        observation_count=sum(counts.values()),
        observation_days=len(counts),
        summary_lines=summary_lines(days, points, counts),
    )
