"""All tables, in one module (SQLModel's advice: relationships without import cycles).

Conventions: singular class names; timestamps are aware and stored as UTC; enum-like
columns are short strings holding the value of a StrEnum from webapp.domain, so adding a
value needs no database type migration.
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from webapp.domain.citizens import PathwayType, TriageColour
from webapp.domain.roles import Role, parse_roles

# --- Organisation (DOMAIN §2): data, never constants ------------------------------------


class Area(SQLModel, table=True):
    """Område."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)


class Team(SQLModel, table=True):
    """Hjemmeplejeteam."""

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    name: str = Field(max_length=120)


class Kontaktteam(SQLModel, table=True):
    """A small group inside one team who know the same citizens."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    name: str = Field(max_length=120)


class HealthUnit(SQLModel, table=True):
    """Sundhedsenhed: one per area; its nurses and therapists are attached to teams."""

    __tablename__ = "health_unit"

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    name: str = Field(max_length=120)


class Staff(SQLModel, table=True):
    """Medarbejder. `roles` holds one or more Role values, comma-separated."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True)
    full_name: str = Field(max_length=160)
    phone: str | None = Field(default=None, max_length=32)
    password_hash: str = Field(max_length=255)
    roles: str = Field(max_length=200)
    active: bool = Field(default=True)

    @property
    def role_set(self) -> frozenset[Role]:
        return parse_roles(self.roles)

    @property
    def role_labels(self) -> str:
        return ", ".join(r.label for r in sorted(self.role_set, key=lambda r: r.label))


class MembershipKind:
    TEAM = (
        "team"  # home-care staff, leaders, planners, borgerkonsulenter: a team, maybe a kontaktteam
    )
    BASISTEAM = "basisteam"  # a health-unit professional attached by name to a team
    HEALTH_UNIT = "sundhedsenhed"  # employed in a health unit
    ALL = (TEAM, BASISTEAM, HEALTH_UNIT)


class Membership(SQLModel, table=True):
    """Date-effective: valid from `valid_from` through `valid_to` (inclusive; None = open)."""

    __table_args__ = (
        CheckConstraint(
            "(kind = 'team' AND team_id IS NOT NULL AND health_unit_id IS NULL)"
            " OR (kind = 'basisteam' AND team_id IS NOT NULL AND kontaktteam_id IS NULL"
            " AND health_unit_id IS NULL)"
            " OR (kind = 'sundhedsenhed' AND health_unit_id IS NOT NULL AND team_id IS NULL"
            " AND kontaktteam_id IS NULL)",
            name="membership_kind_targets",
        ),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="membership_dates"),
    )

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    kind: str = Field(max_length=20)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    kontaktteam_id: int | None = Field(default=None, foreign_key="kontaktteam.id")
    health_unit_id: int | None = Field(default=None, foreign_key="health_unit.id")
    valid_from: date
    valid_to: date | None = None


# --- Citizens (DOMAIN §3) ----------------------------------------------------------------


class Citizen(SQLModel, table=True):
    """Borger. CPR is deliberately absent: the product does not need it."""

    __table_args__ = (
        CheckConstraint("triage_colour IN ('groen', 'gul', 'roed')", name="citizen_colour"),
    )

    id: int | None = Field(default=None, primary_key=True)
    full_name: str = Field(max_length=160)
    birth_date: date
    street: str = Field(max_length=160)
    postcode: str = Field(max_length=8)
    city: str = Field(max_length=80)
    phone: str | None = Field(default=None, max_length=32)
    key_notes: str = Field(default="", sa_type=Text)
    tobs_applies: bool = Field(default=True)
    tobs_exemption_reason: str | None = Field(default=None, max_length=200)
    team_id: int = Field(foreign_key="team.id", index=True)
    kontaktteam_id: int | None = Field(default=None, foreign_key="kontaktteam.id", index=True)
    kontaktperson_id: int = Field(foreign_key="staff.id")
    forloebsansvarlig_id: int | None = Field(default=None, foreign_key="staff.id")
    triage_colour: str = Field(default=TriageColour.GREEN.value, max_length=8)
    # Habitualtilstand: the citizen's own usual state.
    habitual_pulse: int | None = None
    habitual_systolic_bp: int | None = None
    habitual_respiration: int | None = None
    habitual_mobility: str | None = Field(default=None, max_length=200)
    habitual_appetite: str | None = Field(default=None, max_length=200)
    habitual_cognition: str | None = Field(default=None, max_length=200)

    @property
    def colour(self) -> TriageColour:
        return TriageColour(self.triage_colour)

    @property
    def short_address(self) -> str:
        return f"{self.street}, {self.city}"

    @property
    def key_note_list(self) -> list[str]:
        return [n.strip() for n in self.key_notes.split(";") if n.strip()]


class Pathway(SQLModel, table=True):
    """Forløb: the type, its start and the referral (henvendelse) date; history kept.

    The current pathway is the one with `ended_on` None (one per citizen).
    """

    __table_args__ = (
        Index(
            "pathway_one_current",
            "citizen_id",
            unique=True,
            sqlite_where=Column("ended_on").is_(None),
            postgresql_where=Column("ended_on").is_(None),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    type: str = Field(max_length=20)
    referral_date: date
    started_on: date
    ended_on: date | None = None

    @property
    def pathway_type(self) -> PathwayType:
        return PathwayType(self.type)


class TriageChange(SQLModel, table=True):
    """Every colour a citizen has had, with who set it, when and why."""

    __tablename__ = "triage_change"

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    colour: str = Field(max_length=8)
    reason: str = Field(max_length=280)
    set_by_id: int = Field(foreign_key="staff.id")
    set_at: datetime

    @property
    def triage_colour(self) -> TriageColour:
        return TriageColour(self.colour)


# --- Access log (DOMAIN §10): append-only; triggers in the migration refuse edits ---------


class AccessLog(SQLModel, table=True):
    __tablename__ = "access_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    roles: str = Field(max_length=200)
    action: str = Field(max_length=40)
    path: str = Field(max_length=400)
    client_addr: str = Field(max_length=64)


class AccessLogCitizen(SQLModel, table=True):
    """Which citizens one access-log row showed (one row per citizen, so a citizen's log is
    one indexed lookup)."""

    __tablename__ = "access_log_citizen"

    access_log_id: int = Field(
        sa_column=Column(Integer, ForeignKey("access_log.id"), primary_key=True)
    )
    citizen_id: int = Field(
        sa_column=Column(Integer, ForeignKey("citizen.id"), primary_key=True, index=True)
    )


class LoginAttempt(SQLModel, table=True):
    """Sign-in attempts, for rate limiting per account and per address across app servers."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("login_attempt_username_at", "username", "at"),
        Index("login_attempt_addr_at", "client_addr", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    username: str = Field(sa_column=Column(String(80), nullable=False))
    client_addr: str = Field(max_length=64)
    succeeded: bool
