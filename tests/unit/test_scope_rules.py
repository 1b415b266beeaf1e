"""Which teams' citizens a person may see (DOMAIN §10), as a table."""

from datetime import date

import pytest

from webapp.domain.roles import Role
from webapp.domain.scope import (
    AttachmentFact,
    HealthUnitMembershipFact,
    Scope,
    TeamMembershipFact,
    has_valid_membership,
    scope_for,
)

TODAY = date(2026, 11, 22)
PAST = date(2020, 1, 1)
YESTERDAY = date(2026, 11, 21)
TOMORROW = date(2026, 11, 23)

TEAM_A = TeamMembershipFact(team_id=1, kontaktteam_id=11, valid_from=PAST, valid_to=None)
TEAM_B_ENDED = TeamMembershipFact(team_id=2, kontaktteam_id=21, valid_from=PAST, valid_to=YESTERDAY)
TEAM_C_FUTURE = TeamMembershipFact(
    team_id=3, kontaktteam_id=None, valid_from=TOMORROW, valid_to=None
)
TEAM_D_NO_KT = TeamMembershipFact(team_id=4, kontaktteam_id=None, valid_from=PAST, valid_to=None)
TEMP_LAST_DAY = TeamMembershipFact(team_id=5, kontaktteam_id=51, valid_from=PAST, valid_to=TODAY)
ATTACHED_A = AttachmentFact(team_id=1, valid_from=PAST, valid_to=None)
ATTACHED_E = AttachmentFact(team_id=6, valid_from=PAST, valid_to=None)
ATTACHED_ENDED = AttachmentFact(team_id=7, valid_from=PAST, valid_to=YESTERDAY)
UNIT = HealthUnitMembershipFact(
    health_unit_id=9, area_team_ids=frozenset({1, 6, 8}), valid_from=PAST, valid_to=None
)


@pytest.mark.parametrize(
    ("case", "roles", "teams", "attachments", "units", "expected"),
    [
        (
            "helper sees own team",
            {Role.HELPER},
            [TEAM_A],
            [],
            [],
            Scope(frozenset({1}), frozenset({11})),
        ),
        ("ended membership gives nothing", {Role.HELPER}, [TEAM_B_ENDED], [], [], Scope()),
        ("future membership gives nothing yet", {Role.ASSISTANT}, [TEAM_C_FUTURE], [], [], Scope()),
        (
            "temp on the last day still sees",
            {Role.HELPER},
            [TEMP_LAST_DAY],
            [],
            [],
            Scope(frozenset({5}), frozenset({51})),
        ),
        (
            "two teams, one ended",
            {Role.HELPER},
            [TEAM_A, TEAM_B_ENDED],
            [],
            [],
            Scope(frozenset({1}), frozenset({11})),
        ),
        ("team without kontaktteam", {Role.PLANNER}, [TEAM_D_NO_KT], [], [], Scope(frozenset({4}))),
        ("leader sees the unit", {Role.LEADER}, [TEAM_D_NO_KT], [], [], Scope(frozenset({4}))),
        (
            "nurse sees basisteams",
            {Role.NURSE},
            [],
            [ATTACHED_A, ATTACHED_E],
            [UNIT],
            Scope(frozenset({1, 6})),
        ),
        ("ended attachment gives nothing", {Role.THERAPIST}, [], [ATTACHED_ENDED], [UNIT], Scope()),
        ("health-unit member without leader role: no area", {Role.NURSE}, [], [], [UNIT], Scope()),
        (
            "health-unit leader sees the area's teams",
            {Role.LEADER},
            [],
            [],
            [UNIT],
            Scope(frozenset({1, 6, 8})),
        ),
        ("admin sees no citizens", {Role.ADMIN}, [TEAM_A], [ATTACHED_E], [UNIT], Scope()),
        (
            "admin who is also a helper sees the team",
            {Role.ADMIN, Role.HELPER},
            [TEAM_A],
            [],
            [],
            Scope(frozenset({1}), frozenset({11})),
        ),
        ("no memberships", {Role.HELPER}, [], [], [], Scope()),
    ],
)
def test_scope_for(case, roles, teams, attachments, units, expected):
    assert scope_for(frozenset(roles), TODAY, teams, attachments, units) == expected, case


@pytest.mark.parametrize(
    ("teams", "attachments", "units", "expected"),
    [
        ([TEAM_A], [], [], True),
        ([TEAM_B_ENDED], [], [], False),
        ([TEAM_C_FUTURE], [], [], False),
        ([TEMP_LAST_DAY], [], [], True),
        ([], [ATTACHED_ENDED], [], False),
        ([], [], [UNIT], True),
        ([TEAM_B_ENDED], [ATTACHED_E], [], True),
        ([], [], [], False),
    ],
)
def test_has_valid_membership(teams, attachments, units, expected):
    assert has_valid_membership(TODAY, teams, attachments, units) is expected


def test_empty_scope_is_empty():
    assert Scope().is_empty
    assert not Scope(frozenset({1})).is_empty
