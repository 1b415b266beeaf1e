"""Staff roles and what each may do, as plain data."""

from enum import StrEnum


class Role(StrEnum):
    """A staff role. The value is the Danish screen word used in URLs and usernames."""

    HELPER = "hjaelper"
    ASSISTANT = "assistent"
    NURSE = "sygeplejerske"
    THERAPIST = "terapeut"
    LEADER = "leder"
    PLANNER = "planlaegger"
    CITIZEN_CONSULTANT = "borgerkonsulent"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.HELPER: "SOSU-hjælper",
    Role.ASSISTANT: "SOSU-assistent",
    Role.NURSE: "Sygeplejerske",
    Role.THERAPIST: "Terapeut",
    Role.LEADER: "Leder",
    Role.PLANNER: "Planlægger",
    Role.CITIZEN_CONSULTANT: "Borgerkonsulent",
    Role.ADMIN: "Administrator",
}

#: Roles that see citizen data at all. Admin-only staff see administration, never citizens.
CITIZEN_ROLES = frozenset(Role) - {Role.ADMIN}

#: Roles that may be a citizen's kontaktperson (DOMAIN §1, §3).
KONTAKTPERSON_ROLES = frozenset({Role.HELPER, Role.ASSISTANT})

#: Health professionals who may be forløbsansvarlig (DOMAIN §1, §3).
FORLOEBSANSVARLIG_ROLES = frozenset({Role.ASSISTANT, Role.NURSE, Role.THERAPIST})


def parse_roles(text: str) -> frozenset[Role]:
    """Parse a comma-separated role list as stored; unknown words are an error."""
    return frozenset(Role(word.strip()) for word in text.split(",") if word.strip())


def format_roles(roles: frozenset[Role] | set[Role]) -> str:
    return ",".join(sorted(role.value for role in roles))


def sees_citizens(roles: frozenset[Role]) -> bool:
    return bool(roles & CITIZEN_ROLES)
