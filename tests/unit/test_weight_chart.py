"""The weight curve: the window, the kg axis, the geometry inside the viewBox, the Danish
summary with the change over 1 and 3 months, and parsing a typed weight."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from webapp.followups import weight
from webapp.followups.weight import Weight, build_weight_chart, format_percent, parse_kg

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = date(2026, 11, 22)
NBSP, MINUS = "\u00a0", "\u2212"


def w(day: date, kg: str, hour: int = 10) -> Weight:
    return Weight(datetime(day.year, day.month, day.day, hour, tzinfo=CPH), Decimal(kg))


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def test_summary_gives_the_latest_weight_and_the_change_over_one_and_three_months():
    chart = build_weight_chart(
        TODAY,
        [
            w(date(2026, 8, 20), "71.3"),
            w(date(2026, 10, 21), "69.9"),
            w(date(2026, 11, 12), "68.4"),
        ],
    )
    assert [(m, c) for m, c in chart.changes] == [(1, Decimal("-2.1")), (3, Decimal("-4.1"))]
    assert plain(chart.summary) == (
        "Vægt 68,4 kg (12.11.). Ændring: −2,1 % på 1 måned, −4,1 % på 3 måneder."
    )


def test_a_change_without_a_baseline_is_said_so_never_shown_as_zero():
    one_only = build_weight_chart(TODAY, [w(date(2026, 10, 20), "70"), w(TODAY, "70.7")])
    assert plain(one_only.summary) == (
        "Vægt 70,7 kg (22.11.). Ændring: +1,0 % på 1 måned."
        " Ingen vejning at sammenligne med for 3 måneder."
    )
    single = build_weight_chart(TODAY, [w(TODAY, "70")])
    assert plain(single.summary) == (
        "Vægt 70,0 kg (22.11.). Ingen vejning at sammenligne med for 1 og 3 måneder."
    )
    assert build_weight_chart(TODAY, []).summary == "Ingen vejninger endnu."


def test_a_latest_weighing_older_than_the_window_carries_its_year_and_draws_nothing():
    chart = build_weight_chart(TODAY, [w(date(2026, 3, 3), "66.2")])
    assert plain(chart.summary).startswith("Vægt 66,2 kg (03.03.2026).")
    assert chart.markers == () and chart.line == "" and chart.guides == ()


@pytest.mark.parametrize(
    ("change", "text"),
    [
        (Decimal("-2.1"), f"{MINUS}2,1{NBSP}%"),
        (Decimal("0.8"), f"+0,8{NBSP}%"),
        (Decimal("0.0"), f"0,0{NBSP}%"),
        (Decimal("-12"), f"{MINUS}12,0{NBSP}%"),
    ],
)
def test_percent_has_a_real_minus_a_comma_and_a_space_that_does_not_break(change, text):
    assert format_percent(change) == text


def test_window_is_six_months_and_later_or_earlier_weighings_are_not_drawn():
    chart = build_weight_chart(
        TODAY,
        [w(date(2026, 5, 21), "80"), w(date(2026, 5, 22), "72"), w(date(2026, 11, 23), "60")],
    )
    assert (chart.start, chart.end) == (date(2026, 5, 22), TODAY)
    assert [m.kg for m in chart.markers] == [Decimal("72")]
    assert chart.latest is not None and chart.latest.kg == Decimal("72")  # not the future one


def test_markers_are_oldest_first_joined_by_a_line_and_labelled_in_danish():
    chart = build_weight_chart(
        TODAY, [w(TODAY, "68.4", 9), w(date(2026, 10, 1), "70.0"), w(date(2026, 9, 1), "71.2")]
    )
    assert [m.kg_text for m in chart.markers] == ["71,2", "70,0", "68,4"]
    xs = [m.x for m in chart.markers]
    assert xs == sorted(xs)
    assert chart.line == " ".join(f"{m.x},{m.y}" for m in chart.markers)
    assert chart.markers[-1].label == "22.11. kl. 09.00: 68,4 kg"
    assert chart.last_marker == chart.markers[-1]
    heavier, _, lighter = chart.markers
    assert heavier.y < lighter.y  # more kg is higher up


def test_one_weighing_draws_a_point_but_no_line():
    chart = build_weight_chart(TODAY, [w(TODAY, "70")])
    assert len(chart.markers) == 1 and chart.line == ""


@pytest.mark.parametrize(
    ("values", "axis"),
    [
        (["70.0"], (68, 72, 2)),  # one value: at least MIN_SPAN_KG around it
        (["68.4", "68.6"], (66, 72, 2)),
        (["60", "72"], (55, 75, 5)),
        (["45", "90"], (40, 100, 10)),
    ],
)
def test_kg_axis_has_room_on_both_sides_and_a_round_grid(values, axis):
    low, high, step = weight.kg_axis([Decimal(v) for v in values])
    assert (low, high, step) == axis
    assert high - low >= weight.MIN_SPAN_KG
    assert all(low + 1 <= Decimal(v) <= high - 1 for v in values)


def test_guides_run_from_the_bottom_to_the_top_of_the_plot():
    chart = build_weight_chart(TODAY, [w(TODAY, "70")])
    assert [g.label for g in chart.guides] == ["68", "70", "72"]
    assert chart.guides[0].y == weight.PLOT_BOTTOM and chart.guides[-1].y == weight.PLOT_TOP


def test_month_ticks_are_the_first_of_each_month_with_the_year_at_january():
    assert [label for _, label in weight.month_ticks(date(2026, 10, 15), date(2027, 2, 1))] == [
        "nov.",
        "dec.",
        "jan. 27",
        "feb.",
    ]
    chart = build_weight_chart(TODAY, [])
    assert [t.label for t in chart.ticks] == ["jun.", "jul.", "aug.", "sep.", "okt.", "nov."]


def test_every_coordinate_stays_inside_the_view_box():
    weights = [w(date(2026, m, d), str(50 + m * 3 + d / 10)) for m in range(5, 12) for d in (1, 22)]
    chart = build_weight_chart(TODAY, weights)
    for m in chart.markers:
        assert weight.PLOT_LEFT <= m.x <= weight.PLOT_RIGHT
        assert weight.PLOT_TOP <= m.y <= weight.PLOT_BOTTOM
        assert m.y - 8 >= 0  # room for the latest value's label above it
    for t in chart.ticks:
        assert weight.PLOT_LEFT <= t.x <= weight.PLOT_RIGHT
    assert chart.view_box == f"0 0 {weight.WIDTH} {weight.HEIGHT}"


@pytest.mark.parametrize(
    ("text", "kg"),
    [("72,5", "72.5"), ("72.5", "72.5"), (" 72 ", "72.0"), ("72,54", "72.5"), ("68,4 kg", "68.4")],
)
def test_a_typed_weight_is_read_with_comma_or_point(text, kg):
    assert parse_kg(text) == Decimal(kg)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Skriv vægten i kg, for eksempel 72,5."),
        ("tung", "Skriv vægten i kg, for eksempel 72,5."),
        ("NaN", "Skriv vægten i kg, for eksempel 72,5."),
        ("Infinity", "Skriv vægten i kg, for eksempel 72,5."),
        ("1e999999", "Skriv vægten i kg, for eksempel 72,5."),
        ("19,9", "Vægten skal være mellem 20 og 300 kg."),
        ("300,1", "Vægten skal være mellem 20 og 300 kg."),
    ],
)
def test_a_weight_that_is_not_a_weight_is_a_danish_message(text, message):
    with pytest.raises(ValueError, match=message):
        parse_kg(text)
