"""Rules about a citizen: triage colours, pathway types and who may be responsible."""

from dataclasses import dataclass
from enum import StrEnum

from webapp.domain.roles import FORLOEBSANSVARLIG_ROLES, KONTAKTPERSON_ROLES, Role


class TriageColour(StrEnum):
    GREEN = "groen"
    YELLOW = "gul"
    RED = "roed"

    @property
    def label(self) -> str:
        return {"groen": "Grøn", "gul": "Gul", "roed": "Rød"}[self.value]

    @property
    def symbol(self) -> str:
        """A shape as well as a colour, never colour alone (WCAG 1.4.1)."""
        return {"groen": "●", "gul": "▲", "roed": "■"}[self.value]

    @property
    def urgency(self) -> int:
        """Sort key: rød first, then gul, then grøn."""
        return {"roed": 0, "gul": 1, "groen": 2}[self.value]


class PathwayType(StrEnum):
    SIMPLE = "enkelt"
    COMPOSITE = "sammensat"
    PERMANENT_MODERATE = "varigt_moderat"
    PERMANENT_CONSIDERABLE = "varigt_betydelig"

    @property
    def label(self) -> str:
        return {
            "enkelt": "Enkelt forløb (op til 8 uger)",
            "sammensat": "Sammensat forløb (op til 12 uger)",
            "varigt_moderat": "Varigt forløb, moderat",
            "varigt_betydelig": "Varigt forløb, betydelig",
        }[self.value]


@dataclass(frozen=True)
class ResponsibleCheck:
    """The roles of the proposed kontaktperson and forløbsansvarlig for a pathway."""

    pathway: PathwayType
    kontaktperson_roles: frozenset[Role]
    forloebsansvarlig_roles: frozenset[Role] | None


def responsible_errors(check: ResponsibleCheck) -> list[str]:
    """Danish messages for every way the proposed people break DOMAIN §3; empty when fine."""
    errors: list[str] = []
    if not check.kontaktperson_roles & KONTAKTPERSON_ROLES:
        errors.append("Kontaktpersonen skal være SOSU-hjælper eller SOSU-assistent.")
    roles = check.forloebsansvarlig_roles
    if check.pathway is PathwayType.PERMANENT_MODERATE:
        if roles is not None:
            errors.append("Et varigt moderat forløb har ingen forløbsansvarlig.")
        return errors
    if roles is None:
        errors.append("Forløbet skal have en navngiven forløbsansvarlig.")
    elif not roles & FORLOEBSANSVARLIG_ROLES:
        errors.append("Forløbsansvarlig skal være SOSU-assistent, sygeplejerske eller terapeut.")
    return errors


def is_nurse_or_therapist(roles: frozenset[Role]) -> bool:
    return bool(roles & {Role.NURSE, Role.THERAPIST})


def list_sort_key(
    in_own_kontaktteam: bool, colour: TriageColour, needs_tobs: bool, name: str
) -> tuple:
    """Mine borgere: own kontaktteam first; within each, most urgent first: rød, then anyone
    who needs a TOBS, then gul, then grøn; then by name."""
    if colour is TriageColour.RED:
        rank = 0
    elif needs_tobs:
        rank = 1
    else:
        rank = 1 + colour.urgency
    return (0 if in_own_kontaktteam else 1, rank, name.casefold())
