"""Rules for the organisation's units (webapp/domain/organisation.py)."""

from datetime import date, timedelta

import pytest

from webapp.domain.organisation import (
    MAX_NAME,
    Kind,
    StillInUse,
    close_problems,
    is_open_on,
    name_problems,
    reorganisation_problems,
    tidy_name,
)

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("closed_on", "day", "open_"),
    [
        (None, TODAY, True),
        (date(2026, 12, 1), date(2026, 11, 30), True),
        (date(2026, 12, 1), date(2026, 12, 1), False),
        (date(2026, 12, 1), date(2027, 1, 1), False),
    ],
)
def test_a_unit_is_gone_from_its_closing_date(closed_on, day, open_):
    assert is_open_on(closed_on, day) is open_


def test_kinds_have_labels_and_parents():
    assert [k.parent for k in Kind] == [None, Kind.AREA, Kind.TEAM, Kind.AREA]
    assert {k.label for k in Kind} == {"Område", "Hjemmeplejeteam", "Kontaktteam", "Sundhedsenhed"}


def test_names_are_tidied():
    assert tidy_name("  Team   Nord \n") == "Team Nord"


@pytest.mark.parametrize(
    ("name", "siblings", "problem"),
    [
        ("", [], "Skriv et navn."),
        ("x" * (MAX_NAME + 1), [], f"Navnet må højst være {MAX_NAME} tegn."),
        (
            "team nord",
            ["Team Nord"],
            "Hjemmeplejeteam team nord findes allerede her. Vælg et andet navn.",
        ),
        (
            "TEAM NØRD",
            ["team nørd"],
            "Hjemmeplejeteam TEAM NØRD findes allerede her. Vælg et andet navn.",
        ),
    ],
)
def test_name_problems(name, siblings, problem):
    assert name_problems(name, siblings, Kind.TEAM) == [problem]


def test_a_good_name_and_max_length_pass():
    assert name_problems("Team Syd", ["Team Nord"], Kind.TEAM) == []
    assert name_problems("x" * MAX_NAME, [], Kind.TEAM) == []


def test_closing_needs_a_date_not_in_the_past():
    assert close_problems(None, TODAY, StillInUse(), Kind.TEAM) == [
        "Skriv datoen, enheden lukker fra, for eksempel 01.01.2027."
    ]
    assert close_problems(date(2026, 11, 24), TODAY, StillInUse(), Kind.TEAM) == [
        "En enhed kan tidligst lukke fra i dag."
    ]
    assert close_problems(TODAY, TODAY, StillInUse(), Kind.TEAM) == []


@pytest.mark.parametrize(
    ("use", "kind", "expected"),
    [
        (
            StillInUse(open_children=2),
            Kind.TEAM,
            ["Luk eller flyt først 2 kontaktteams, der hører til."],
        ),
        (
            StillInUse(open_children=3),
            Kind.AREA,
            ["Luk eller flyt først 3 teams og sundhedsenheder, der hører til."],
        ),
        (
            StillInUse(memberships=4),
            Kind.KONTAKTTEAM,
            [
                "4 medlemskaber gælder stadig fra 01.12.2026: "
                "giv dem en slutdato dagen før, eller flyt medarbejderne."
            ],
        ),
        (StillInUse(citizens=7), Kind.TEAM, ["Flyt først 7 borgere til et andet team."]),
    ],
)
def test_what_still_belongs_there_blocks_closing(use, kind, expected):
    assert close_problems(date(2026, 12, 1), TODAY, use, kind) == expected


def test_every_reason_is_given_at_once():
    problems = close_problems(date(2026, 12, 1), TODAY, StillInUse(1, 2, 3), Kind.TEAM)
    assert len(problems) == 3


IN_THE_PAST = ["En omorganisering kan tidligst gælde fra i dag."]
TOO_FAR_AHEAD = ["En omorganisering kan højst planlægges et år frem."]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (None, ["Skriv datoen, ændringen gælder fra, for eksempel 01.01.2027."]),
        (TODAY - timedelta(days=1), IN_THE_PAST),
        (date(2020, 1, 1), IN_THE_PAST),
        (TODAY, []),
        (TODAY + timedelta(days=1), []),
        (TODAY + timedelta(days=365), []),
        (TODAY + timedelta(days=366), TOO_FAR_AHEAD),
        (date(2030, 1, 1), TOO_FAR_AHEAD),
    ],
)
def test_reorganisation_problems(on, expected):
    assert reorganisation_problems(on, TODAY) == expected


@pytest.mark.parametrize(
    ("today", "on", "expected"),
    [
        (date(2027, 3, 1), date(2028, 2, 29), []),
        (date(2027, 3, 1), date(2028, 3, 1), TOO_FAR_AHEAD),
        (date(2028, 2, 29), date(2029, 2, 28), []),
        (date(2028, 2, 29), date(2029, 3, 1), TOO_FAR_AHEAD),
    ],
)
def test_a_year_ahead_is_365_days_across_a_leap_day(today, on, expected):
    assert reorganisation_problems(on, today) == expected
