"""The 30-day trend: scaling to the viewBox, daily counts, the window, and the summary text;
and the Tidslinje's window parsing and time format."""

from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from webapp.citizens import timeline, trend
from webapp.citizens.trend import TobsPoint, build_trend, summary_text
from webapp.models import TobsMeasurement

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = date(2026, 11, 22)
START = TODAY - timedelta(days=29)


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CPH)


def test_window_is_thirty_local_days_ending_today():
    t = build_trend(TODAY, [], [])
    assert (t.start, t.end, t.days) == (date(2026, 10, 24), TODAY, 30)


def test_scores_scale_from_the_bottom_of_the_score_area_to_the_top():
    assert trend.y_for_score(0) == trend.SCORE_BOTTOM
    assert trend.y_for_score(15) == trend.SCORE_TOP
    assert trend.y_for_score(5) < trend.y_for_score(2) < trend.y_for_score(0)
    assert trend.y_for_score(20) == trend.SCORE_TOP  # clamped, never drawn outside


def test_x_runs_from_the_first_day_at_midnight_to_the_end_of_today():
    assert trend.x_for(at(START, 0), START, 30) == trend.PLOT_LEFT
    end_of_today = trend.x_for(at(TODAY, 23, 59), START, 30)
    assert trend.PLOT_RIGHT - 0.5 < end_of_today <= trend.PLOT_RIGHT
    assert trend.x_for(at(TODAY, 6), START, 30) < trend.x_for(at(TODAY, 18), START, 30)


def test_markers_are_oldest_first_and_the_line_joins_only_complete_scores():
    points = [
        TobsPoint(at(TODAY, 9), 3, True),
        TobsPoint(at(TODAY - timedelta(days=5)), 1, True),
        TobsPoint(at(TODAY - timedelta(days=2)), 4, False),
    ]
    t = build_trend(TODAY, points, [])
    assert [m.total for m in t.markers] == [1, 4, 3]
    assert [m.complete for m in t.markers] == [True, False, True]
    first, _, last = t.markers
    assert t.line == f"{first.x},{first.y} {last.x},{last.y}"
    assert t.latest == last
    assert t.markers[1].label == "20.11. kl. 12.00: TOBS-score 4 (ufuldstændig)"


def test_a_single_complete_score_draws_no_line():
    t = build_trend(TODAY, [TobsPoint(at(TODAY), 2, True)], [])
    assert t.line == "" and len(t.markers) == 1


def test_measurements_and_observations_outside_the_window_are_left_out():
    before = at(START - timedelta(days=1), 23, 59)
    after = at(TODAY + timedelta(days=1), 0, 1)
    inside = at(START, 0, 0)
    t = build_trend(
        TODAY,
        [TobsPoint(before, 9, True), TobsPoint(after, 9, True), TobsPoint(inside, 1, True)],
        [before, after, inside],
    )
    assert [m.total for m in t.markers] == [1]
    assert t.tobs_count == 1 and t.observation_count == 1


def test_observations_are_counted_per_local_day_as_bars():
    obs = [at(TODAY, 8), at(TODAY, 20), at(TODAY - timedelta(days=3)), at(TODAY, 23, 59)]
    t = build_trend(TODAY, [], obs)
    assert [(b.count, b.label) for b in t.bars] == [
        (1, "19.11.: 1 observation"),
        (3, "22.11.: 3 observationer"),
    ]
    assert (t.observation_count, t.observation_days) == (4, 2)
    small, big = t.bars
    assert big.y + big.height == trend.BARS_BOTTOM == small.y + small.height
    assert big.height > small.height
    assert big.x + big.width <= trend.PLOT_RIGHT
    assert small.x < big.x


def test_bar_scale_never_makes_one_observation_a_full_height_bar():
    (bar,) = build_trend(TODAY, [], [at(TODAY)]).bars
    assert bar.height == pytest.approx((trend.BARS_BOTTOM - trend.BARS_TOP) / trend.MIN_BAR_SCALE)
    many = build_trend(TODAY, [], [at(TODAY)] * 9)
    assert many.bar_scale == 9 and many.bars[0].y == trend.BARS_TOP


def test_ticks_are_weekly_back_from_today_oldest_first():
    t = build_trend(TODAY, [], [])
    assert [tick.label for tick in t.ticks] == ["25.10.", "01.11.", "08.11.", "15.11.", "22.11."]
    xs = [tick.x for tick in t.ticks]
    assert xs == sorted(xs) and xs[0] > trend.PLOT_LEFT and xs[-1] < trend.PLOT_RIGHT


def test_guides_mark_the_axis_ends_and_the_thresholds_two_and_five():
    t = build_trend(TODAY, [], [])
    assert [(g.score, g.major) for g in t.guides] == [
        (0, True),
        (2, False),
        (5, False),
        (15, True),
    ]


def test_every_coordinate_stays_inside_the_view_box():
    points = [
        TobsPoint(at(START + timedelta(days=d), d % 24), d % 16, d % 3 != 0) for d in range(30)
    ]
    obs = [at(START + timedelta(days=d), 10) for d in range(30) for _ in range(d % 5)]
    t = build_trend(TODAY, points, obs)
    for m in t.markers:
        assert trend.PLOT_LEFT <= m.x <= trend.PLOT_RIGHT
        assert trend.SCORE_TOP <= m.y <= trend.SCORE_BOTTOM
    for b in t.bars:
        assert b.x >= trend.PLOT_LEFT and b.x + b.width <= trend.PLOT_RIGHT + 0.1
        assert trend.BARS_TOP <= b.y <= trend.BARS_BOTTOM
    assert t.view_box == f"0 0 {trend.WIDTH} {trend.HEIGHT}"


def test_summary_names_count_latest_and_highest():
    points = [
        TobsPoint(at(TODAY - timedelta(days=4)), 6, True),
        TobsPoint(at(TODAY - timedelta(days=3)), 2, True),
        TobsPoint(at(TODAY - timedelta(days=2)), 3, True),
    ]
    obs = [at(TODAY - timedelta(days=d)) for d in (0, 0, 1, 5)]
    assert build_trend(TODAY, points, obs).summary == (
        "Seneste 30 dage: 3 TOBS-målinger, seneste score 3 (20.11.), højeste 6."
        " 4 observationer med ændringer på 3 dage."
    )


def test_summary_says_when_a_score_is_incomplete():
    points = [
        TobsPoint(at(TODAY - timedelta(days=1)), 7, False),
        TobsPoint(at(TODAY), 4, False),
    ]
    assert build_trend(TODAY, points, []).summary == (
        "Seneste 30 dage: 2 TOBS-målinger, seneste score 4 (ufuldstændig, 22.11.),"
        " højeste 7 (ufuldstændig). Ingen observationer med ændringer."
    )


def test_summary_prefers_a_complete_score_for_the_highest_on_a_tie():
    points = [TobsPoint(at(TODAY, 8), 5, True), TobsPoint(at(TODAY, 9), 5, False)]
    assert "højeste 5." in summary_text(30, points, Counter())


def test_summary_singular_and_empty():
    one = summary_text(30, [TobsPoint(at(TODAY), 0, True)], Counter({TODAY: 1}))
    assert (
        one
        == "Seneste 30 dage: 1 TOBS-måling, score 0 (22.11.). 1 observation med ændringer på 1 dag."
    )
    assert build_trend(TODAY, [], []).summary == (
        "Seneste 30 dage: ingen TOBS-målinger. Ingen observationer med ændringer."
    )


def test_a_trend_needs_a_day():
    with pytest.raises(ValueError):
        build_trend(TODAY, [], [], days=0)


# --- The Tidslinje's pure parts -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        (None, 30),
        ("", 30),
        ("90", 90),
        ("180", 180),
        ("100000000000", 180),
        ("9999", 180),
        ("7", 30),
        ("-5", 30),
        ("abc", 30),
        ("90.5", 30),
        ("٩٠", 30),  # Arabic-Indic digits are digits to str.isdigit, not to us
    ],
)
def test_parse_days_clamps_to_the_windows(text, days):
    assert timeline.parse_days(text) == days


def test_older_window_steps_up_and_stops_at_the_cap():
    assert [timeline.older_window(d) for d in (30, 60, 90, 180)] == [90, 90, 180, None]


def test_when_is_local_day_and_time_with_the_year_only_when_another():
    now = at(TODAY)
    assert timeline.format_when(at(date(2026, 11, 24), 14, 5), now) == "24.11. kl. 14.05"
    assert timeline.format_when(at(date(2025, 12, 31), 7, 0), now) == "31.12.2025 kl. 07.00"


def test_window_starts_at_local_midnight():
    now = datetime(2026, 11, 22, 9, 0, tzinfo=ZoneInfo("UTC"))
    assert timeline.window_start(now, CPH, 30) == datetime(2026, 10, 24, tzinfo=CPH)


def test_tobs_values_in_short_form_keep_the_measured_decimals():
    m = TobsMeasurement(
        citizen_id=1,
        staff_id=1,
        at=at(TODAY),
        pulse=88,
        temperature=Decimal("37.45"),
        temperature_method="oral",
        corrected_temperature=Decimal("38.0"),
        consciousness="smerte",
        total=3,
        complete=False,
        any_three=False,
        action_version_id=1,
    )
    assert timeline.tobs_values(m) == (
        "Puls 88",
        "Temp. 37,45 °C (oral, svarer til 38,0 rektalt)",
        "Bevidsthed: Reagerer kun på smerte",
    )
    assert timeline.tobs_missing(m) == ("Respiration", "Systolisk blodtryk")
