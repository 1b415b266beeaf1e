"""Which units' citizens a person may see: the pure half of the scoping rule.

The database half (webapp/access/scope.py) turns a `Scope` into one SQL condition;
every query for citizen data goes through that.
"""

from dataclasses import dataclass, field
from datetime import date

from webapp.domain.dates import is_valid_on
from webapp.domain.roles import Role, sees_citizens


@dataclass(frozen=True)
class TeamMembershipFact:
    team_id: int
    kontaktteam_id: int | None
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class AttachmentFact:
    """A health-unit professional attached to a home-care team (the basisteam)."""

    team_id: int
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class HealthUnitMembershipFact:
    health_unit_id: int
    area_team_ids: frozenset[int]
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class Scope:
    """Team ids whose citizens are visible, and the kontaktteams listed first."""

    team_ids: frozenset[int] = field(default_factory=frozenset)
    own_kontaktteam_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not self.team_ids


def has_valid_membership(
    day: date,
    teams: list[TeamMembershipFact],
    attachments: list[AttachmentFact],
    health_units: list[HealthUnitMembershipFact],
) -> bool:
    """Sign-in needs at least one membership valid today."""
    rows = [*teams, *attachments, *health_units]
    return any(is_valid_on(r.valid_from, r.valid_to, day) for r in rows)


def scope_for(
    roles: frozenset[Role],
    day: date,
    teams: list[TeamMembershipFact],
    attachments: list[AttachmentFact],
    health_units: list[HealthUnitMembershipFact],
) -> Scope:
    """DOMAIN §10: home-care staff their team, attached health-unit staff their basisteam(s),
    leaders their unit, admin no citizens at all."""
    if not sees_citizens(roles):
        return Scope()
    valid_teams = [m for m in teams if is_valid_on(m.valid_from, m.valid_to, day)]
    team_ids = {m.team_id for m in valid_teams}
    team_ids |= {a.team_id for a in attachments if is_valid_on(a.valid_from, a.valid_to, day)}
    if Role.LEADER in roles:
        for unit in health_units:
            if is_valid_on(unit.valid_from, unit.valid_to, day):
                team_ids |= unit.area_team_ids
    own = {m.kontaktteam_id for m in valid_teams if m.kontaktteam_id is not None}
    return Scope(team_ids=frozenset(team_ids), own_kontaktteam_ids=frozenset(own))
