"""Who sets or suggests a triage colour; when a colour change asks for a TOBS (DOMAIN §6)."""

from datetime import datetime, timedelta
from enum import StrEnum

from webapp.domain.citizens import TriageColour
from webapp.domain.roles import Role, sees_citizens

#: SSA and nurses set a colour; everyone else who sees citizens may only suggest one.
SETTER_ROLES = frozenset({Role.ASSISTANT, Role.NURSE})

TOBS_GRACE = timedelta(hours=24)


class ChangeKind(StrEnum):
    SET = "sat"
    SUGGESTED = "foreslaaet"

    @property
    def label(self) -> str:
        return {"sat": "Sat", "foreslaaet": "Foreslået"}[self.value]


def toward_green(current: TriageColour, new: TriageColour) -> bool:
    """rød -> gul, rød -> grøn and gul -> grøn move toward grøn."""
    return new.urgency > current.urgency


def may_set(roles: frozenset[Role], current: TriageColour, new: TriageColour) -> bool:
    """Whether these roles set the colour rather than suggest it."""
    is_setter = bool(roles & SETTER_ROLES)
    if current is TriageColour.RED and toward_green(current, new):
        return is_setter  # "Moving from rød toward grøn needs an SSA or nurse."
    return is_setter


def colour_change_kind(
    roles: frozenset[Role], current: TriageColour, new: TriageColour
) -> ChangeKind:
    """Whether a change of colour by someone with these roles is set or only suggested.

    Raises ValueError when the colour does not change or the roles do not see citizens.
    """
    if new == current:
        raise ValueError("The colour does not change.")
    if not sees_citizens(roles):
        raise ValueError("These roles do not see citizens.")
    return ChangeKind.SET if may_set(roles, current, new) else ChangeKind.SUGGESTED


def asks_for_tobs(
    last_tobs_at: datetime | None, now: datetime, grace: timedelta = TOBS_GRACE
) -> bool:
    """A colour change asks for a TOBS unless one was taken within ``grace`` (inclusive)."""
    return last_tobs_at is None or now - last_tobs_at > grace
