"""Who may be kontaktperson and forløbsansvarlig, colours and list order."""

import pytest

from webapp.domain.citizens import (
    PathwayType,
    ResponsibleCheck,
    TriageColour,
    list_sort_key,
    responsible_errors,
)
from webapp.domain.roles import Role, format_roles, parse_roles, sees_citizens

H, A, N, T, L = Role.HELPER, Role.ASSISTANT, Role.NURSE, Role.THERAPIST, Role.LEADER
MODERATE = PathwayType.PERMANENT_MODERATE
CONSIDERABLE = PathwayType.PERMANENT_CONSIDERABLE


@pytest.mark.parametrize(
    ("pathway", "kontaktperson", "forloebsansvarlig", "errors"),
    [
        (MODERATE, {H}, None, 0),
        (MODERATE, {A}, {N}, 1),  # varigt moderat has none
        (CONSIDERABLE, {H}, {A}, 0),  # SSA is the default forløbsansvarlig
        (CONSIDERABLE, {H}, None, 1),
        (PathwayType.SIMPLE, {H}, {N}, 0),
        (PathwayType.SIMPLE, {H}, {T}, 0),
        (PathwayType.COMPOSITE, {A}, {H}, 1),  # a helper cannot be forløbsansvarlig
        (PathwayType.COMPOSITE, {N}, {N}, 1),  # a nurse is not a kontaktperson
        (PathwayType.COMPOSITE, {L}, {L}, 2),
    ],
)
def test_responsible_errors(pathway, kontaktperson, forloebsansvarlig, errors):
    check = ResponsibleCheck(
        pathway,
        frozenset(kontaktperson),
        frozenset(forloebsansvarlig) if forloebsansvarlig is not None else None,
    )
    found = responsible_errors(check)
    assert len(found) == errors, found
    assert all(message.endswith(".") for message in found)


def test_colours_always_have_word_and_symbol():
    for colour in TriageColour:
        assert colour.label and colour.symbol
    assert len({c.symbol for c in TriageColour}) == 3


def test_list_order_own_kontaktteam_first_then_red_needs_tobs_yellow_green_then_name():
    rows = [
        (False, TriageColour.RED, False, "Åse"),
        (True, TriageColour.GREEN, False, "Bent"),
        (True, TriageColour.RED, False, "Ove"),
        (True, TriageColour.YELLOW, False, "Arne"),
        (True, TriageColour.RED, True, "aage"),
        (False, TriageColour.GREEN, False, "Anna"),
        (True, TriageColour.GREEN, True, "Gunnar"),
        (True, TriageColour.YELLOW, True, "Yvonne"),
    ]
    ordered = sorted(rows, key=lambda r: list_sort_key(*r))
    assert [r[3] for r in ordered] == [
        "aage",
        "Ove",
        "Gunnar",
        "Yvonne",
        "Arne",
        "Bent",
        "Åse",
        "Anna",
    ]


def test_roles_round_trip_and_reject_unknown_words():
    roles = frozenset({Role.NURSE, Role.LEADER})
    assert parse_roles(format_roles(roles)) == roles
    with pytest.raises(ValueError):
        parse_roles("sygeplejerske,chef")
    assert not sees_citizens(frozenset({Role.ADMIN}))
    assert sees_citizens(frozenset({Role.ADMIN, Role.PLANNER}))
