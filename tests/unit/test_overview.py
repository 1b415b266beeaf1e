"""Overblik's pure shaping: the period, the units a person may choose, the held share, the
table, the bar geometry, the zone offsets bound for SQLite and the CSV's names."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from webapp.domain.followups import Bucket, FollowUpKind
from webapp.followups.overview import (
    BAR_WIDTH,
    Count,
    Level,
    Period,
    PeriodError,
    TeamInfo,
    Unit,
    breakable,
    csv_filename,
    default_period,
    find_unit,
    held_share,
    offset_segments,
    parse_period,
    slug,
    table,
    team_bar,
    units_for,
)

TODAY = date(2026, 11, 22)
CPH = ZoneInfo("Europe/Copenhagen")
ON, LATE, DUE, OVER, MISS = Bucket.ON_TIME, Bucket.LATE, Bucket.DUE, Bucket.OVERDUE, Bucket.MISSING


def buckets(on=0, late=0, due=0, over=0, miss=0) -> dict[Bucket, int]:
    return {ON: on, LATE: late, DUE: due, OVER: over, MISS: miss}


# --- period ----------------------------------------------------------------------------------


def test_default_period_is_90_days_back_and_14_ahead():
    assert default_period(TODAY) == Period(date(2026, 8, 24), date(2026, 12, 6))
    assert parse_period(None, None, TODAY) == default_period(TODAY)
    assert parse_period("", "  ", TODAY) == default_period(TODAY)


@pytest.mark.parametrize(
    ("fra", "til", "period"),
    [
        ("2026-01-01", "2026-01-01", Period(date(2026, 1, 1), date(2026, 1, 1))),
        ("2026-11-01", None, Period(date(2026, 11, 1), date(2026, 12, 6))),
        (None, "2026-09-01", Period(date(2026, 8, 24), date(2026, 9, 1))),
        ("2025-01-01", "2026-12-31", Period(date(2025, 1, 1), date(2026, 12, 31))),  # 730 days
        ("2024-02-29", "2026-02-28", Period(date(2024, 2, 29), date(2026, 2, 28))),  # 731 days
    ],
)
def test_parse_period(fra, til, period):
    assert parse_period(fra, til, TODAY) == period


@pytest.mark.parametrize(
    ("fra", "til", "message"),
    [
        ("2026-02-30", None, "Fra-datoen «2026-02-30» er ikke en dato"),
        ("26-11-22", None, "ÅÅÅÅ-MM-DD"),
        ("2026-W47-1", None, "ikke en dato"),  # ISO week dates are not accepted
        ("20261122", None, "ikke en dato"),
        (None, "i morgen", "Til-datoen «i morgen» er ikke en dato"),
        ("2026-12-01", "2026-11-30", "Fra-datoen skal ligge før eller på til-datoen."),
        ("2024-02-28", "2026-02-28", "højst være 2 år"),  # 732 days
        ("1999-12-31", None, "mellem år 2000 og 2099"),
        (None, "2100-01-01", "mellem år 2000 og 2099"),
        ("x" * 500, None, "«" + "x" * 20 + "»"),  # the echo is cut short
    ],
)
def test_bad_period(fra, til, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(fra, til, TODAY)


def test_period_label_and_args():
    period = Period(date(2026, 8, 24), date(2026, 12, 6))
    assert period.label == "24.08.2026–06.12.2026"
    assert period.args == {"fra": "2026-08-24", "til": "2026-12-06"}


# --- units -----------------------------------------------------------------------------------

A = TeamInfo(1, "Team A", 10, "Område Nord")
B = TeamInfo(2, "Team B", 10, "Område Nord")
C = TeamInfo(3, "Team C", 20, "Område Syd")
TEAMS = [A, B, C]


def keys(units: list[Unit]) -> list[str]:
    return [u.key for u in units]


def test_admin_may_choose_every_unit_but_drill_into_none():
    units = units_for(TEAMS, is_admin=True, visible=frozenset())
    assert keys(units) == ["alle", "omraade-10", "omraade-20", "team-1", "team-2", "team-3"]
    assert not any(u.drill for u in units)
    assert units[0].name == "Hele kommunen" and units[0].team_ids == (1, 2, 3)
    assert units[1].name == "Område Nord" and units[1].level is Level.AREA


@pytest.mark.parametrize(
    ("visible", "expected"),
    [
        ({1}, ["team-1"]),  # a helper, a team leader
        # a nurse attached to two basisteams, one of them Område Syd's only team
        ({2, 3}, ["omraade-20", "team-2", "team-3"]),
        ({1, 2}, ["omraade-10", "team-1", "team-2"]),  # a health-unit leader
        ({1, 2, 3}, ["alle", "omraade-10", "omraade-20", "team-1", "team-2", "team-3"]),
        (set(), []),
    ],
)
def test_others_may_choose_the_units_whose_teams_are_all_in_scope(visible, expected):
    units = units_for(TEAMS, is_admin=False, visible=frozenset(visible))
    assert keys(units) == expected
    assert all(u.drill for u in units)


def test_admin_with_a_citizen_role_drills_only_inside_their_scope():
    units = units_for(TEAMS, is_admin=True, visible=frozenset({3}))
    assert {u.key for u in units if u.drill} == {"omraade-20", "team-3"}


def test_find_unit():
    units = units_for(TEAMS, is_admin=False, visible=frozenset({1}))
    assert find_unit(units, "team-1") is units[0]
    assert find_unit(units, "team-2") is None and find_unit(units, "") is None


# --- shaping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "share"),
    [
        (buckets(), None),
        (buckets(due=4), None),  # nothing was due yet
        (buckets(on=1), 100),
        (buckets(on=1, late=1, due=9), 100),  # coming ones are not in the denominator
        (buckets(on=1, over=1), 50),
        (buckets(on=1, miss=2), 33),
        (buckets(on=2, miss=1), 67),
        (buckets(on=1, late=0, over=0, miss=7), 13),  # 12.5 rounds half up
        (buckets(over=3, miss=1), 0),
    ],
)
def test_held_share(counts, share):
    assert held_share(counts) == share


def test_table_sums_per_kind_in_kind_order_with_the_total():
    rows = [
        Count(1, "vejning", ON, 2),
        Count(1, "m2", MISS, 1),
        Count(2, "m2", MISS, 3),
        Count(2, "ukendt", DUE, 1),
        Count(1, "m1", LATE, 4),
    ]
    shaped = table(rows)
    assert [line.kind for line in shaped.lines] == ["m1", "m2", "vejning", "ukendt"]
    assert [line.label for line in shaped.lines][:2] == [
        FollowUpKind.M1.label,
        FollowUpKind.M2.label,
    ]
    assert shaped.lines[-1].label == "ukendt"  # an unknown kind keeps its value as label
    assert shaped.lines[1].buckets == buckets(miss=4)
    assert shaped.total.buckets == buckets(on=2, late=4, due=1, miss=4)
    assert shaped.total.total == 11 and shaped.total.share == 60
    team_two = table(rows, [2])
    assert [line.kind for line in team_two.lines] == ["m2", "ukendt"]
    assert team_two.total.share_text == "0 %"
    assert table([]).lines == () and table([]).total.share_text == "–"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("M2: Planlægningssamtale", "M2: Planlægnings\u00adsamtale"),
        ("M1: Første sundhedsfaglige kontakt", "M1: Første sundheds\u00adfaglige kontakt"),
        ("Opfølgning på overdraget sygepleje", "Opfølgning på overdraget syge\u00adpleje"),
        ("Sygeplejerske vurderer rød borger", "Syge\u00adplejerske vurderer rød borger"),
        ("Samtale", "Samtale"),  # never before a word's first letter
        ("Vejning", "Vejning"),
    ],
)
def test_breakable_labels_get_soft_hyphens_at_compound_joints(label, expected):
    assert breakable(label) == expected
    assert breakable(label).replace("\u00ad", "") == label


def test_team_bar_segments_fill_the_width_in_bucket_order():
    bar = team_bar(A, buckets(on=1, late=1, due=0, over=1, miss=0))
    assert [s.bucket for s in bar.segments] == [ON, LATE, OVER]
    assert [(s.x, s.width) for s in bar.segments] == [(0.0, 106.7), (106.7, 106.6), (213.3, 106.7)]
    assert bar.segments[-1].x + bar.segments[-1].width == BAR_WIDTH
    assert [f.bucket for f in bar.figures] == list(Bucket)
    assert [f.x for f in bar.figures] == [1.0, 65.0, 129.0, 193.0, 257.0]
    assert [f.word for f in bar.figures] == [
        "til tiden",
        "for sent",
        "kommende",
        "overskredet",
        "mangler",
    ]
    assert bar.stats == "3 i alt · 67 % holdt"
    assert bar.summary == (
        "Team A: 3 opfølgninger: 1 holdt til tiden, 1 holdt for sent, 0 kommende,"
        " 1 overskredet, 0 mangler. 67 % holdt."
    )


def test_team_bar_without_follow_ups():
    bar = team_bar(A, buckets())
    assert bar.segments == () and bar.total == 0
    assert bar.stats == "0 i alt" and bar.summary == "Team A: ingen opfølgninger i perioden."
    assert team_bar(A, buckets(due=2)).stats == "2 i alt"  # none due yet: no share


def test_a_tiny_segment_still_gets_its_slice():
    bar = team_bar(A, buckets(on=998, miss=1, due=1))
    assert [s.bucket for s in bar.segments] == [ON, DUE, MISS]
    assert all(s.width > 0 for s in bar.segments)
    assert round(sum(s.width for s in bar.segments), 1) == BAR_WIDTH


# --- zone offsets (bound into the SQLite query) ----------------------------------------------


def test_offsets_through_both_danish_clock_changes_in_2026():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    end = datetime(2027, 1, 1, tzinfo=UTC)
    assert offset_segments(CPH, start, end) == (
        (start, 60),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), 120),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 60),
    )


def test_offsets_without_a_change_and_in_summer():
    start = datetime(2026, 5, 1, tzinfo=UTC)
    assert offset_segments(CPH, start, start + timedelta(days=30)) == ((start, 120),)
    utc = ZoneInfo("UTC")
    assert offset_segments(utc, start, start + timedelta(days=700)) == ((start, 0),)


def test_offsets_starting_on_the_change_hour():
    start = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert offset_segments(CPH, start, start + timedelta(days=2)) == ((start, 120),)
    before = start - timedelta(seconds=1)
    assert offset_segments(CPH, before, start + timedelta(hours=1)) == (
        (before, 60),
        (start, 120),
    )


# --- CSV names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Team Åby", "team-aaby"),
        ("Område Nordvest", "omraade-nordvest"),
        ("Hele kommunen", "hele-kommunen"),
        ("Hjørring/Skæve 2", "hjoerring-skaeve-2"),
        ("???", "enhed"),
    ],
)
def test_slug(name, expected):
    assert slug(name) == expected


def test_csv_filename_names_the_unit_and_the_period():
    unit = Unit("team-1", "Team Mårslet", Level.TEAM, (A,), drill=True)
    period = Period(date(2026, 8, 24), date(2026, 12, 6))
    assert csv_filename(unit, period) == "overblik-team-maarslet-2026-08-24-til-2026-12-06.csv"
