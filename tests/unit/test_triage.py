"""Triage colours: who sets, who suggests, moving toward grøn, and when a TOBS is asked for."""

from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest

from webapp.domain.citizens import TriageColour
from webapp.domain.roles import Role
from webapp.domain.triage import (
    SETTER_ROLES,
    ChangeKind,
    asks_for_tobs,
    colour_change_kind,
    may_set,
    toward_green,
)

GREEN, YELLOW, RED = TriageColour.GREEN, TriageColour.YELLOW, TriageColour.RED
SET, SUGGESTED = ChangeKind.SET, ChangeKind.SUGGESTED
CHANGES = list(permutations(TriageColour, 2))

#: What each role's change is, whatever the colours (DOMAIN §6).
EXPECTED = {
    Role.HELPER: SUGGESTED,
    Role.ASSISTANT: SET,
    Role.NURSE: SET,
    Role.THERAPIST: SUGGESTED,
    Role.LEADER: SUGGESTED,
    Role.PLANNER: SUGGESTED,
    Role.CITIZEN_CONSULTANT: SUGGESTED,
}


def test_every_role_is_covered():
    assert set(EXPECTED) | {Role.ADMIN} == set(Role)
    assert frozenset({Role.ASSISTANT, Role.NURSE}) == SETTER_ROLES


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize(("current", "new"), CHANGES)
def test_each_role_and_every_change(role, current, new):
    assert colour_change_kind(frozenset({role}), current, new) is EXPECTED[role]


@pytest.mark.parametrize(("current", "new"), CHANGES)
def test_admin_only_sees_no_citizens(current, new):
    with pytest.raises(ValueError):
        colour_change_kind(frozenset({Role.ADMIN}), current, new)
    with pytest.raises(ValueError):
        colour_change_kind(frozenset(), current, new)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("colour", list(TriageColour))
def test_the_same_colour_is_no_change(role, colour):
    with pytest.raises(ValueError):
        colour_change_kind(frozenset({role}), colour, colour)


@pytest.mark.parametrize(("current", "new"), [(RED, YELLOW), (RED, GREEN)])
def test_red_toward_green_needs_an_ssa_or_nurse(current, new):
    assert toward_green(current, new)
    for role in Role:
        assert may_set(frozenset({role}), current, new) is (role in SETTER_ROLES)
    helper_and_admin = frozenset({Role.HELPER, Role.ADMIN})
    assert colour_change_kind(helper_and_admin, current, new) is SUGGESTED
    assert colour_change_kind(frozenset({Role.LEADER, Role.NURSE}), current, new) is SET


@pytest.mark.parametrize(
    ("current", "new", "expected"),
    [
        (RED, YELLOW, True),
        (RED, GREEN, True),
        (YELLOW, GREEN, True),
        (GREEN, YELLOW, False),
        (GREEN, RED, False),
        (YELLOW, RED, False),
        (GREEN, GREEN, False),
    ],
)
def test_toward_green(current, new, expected):
    assert toward_green(current, new) is expected


NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("last_tobs_at", "expected"),
    [
        (None, True),
        (NOW - timedelta(hours=1), False),
        (NOW - timedelta(hours=24), False),  # exactly 24 h is still recent
        (NOW - timedelta(hours=24, minutes=1), True),
        (NOW - timedelta(days=3), True),
    ],
)
def test_a_colour_change_asks_for_a_tobs(last_tobs_at, expected):
    assert asks_for_tobs(last_tobs_at, NOW) is expected


def test_asks_for_tobs_with_another_grace():
    assert asks_for_tobs(NOW - timedelta(hours=13), NOW, grace=timedelta(hours=12))


def test_change_kind_labels():
    assert [k.label for k in ChangeKind] == ["Sat", "Foreslået"]
