"""All tables, in one module (SQLModel's advice: relationships without import cycles).

Conventions: singular class names; timestamps are aware and stored as UTC; enum-like
columns are short strings holding the value of a StrEnum from webapp.domain, so adding a
value needs no database type migration.
"""

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlmodel import Field, SQLModel

from webapp.domain.citizens import PathwayType, TriageColour
from webapp.domain.dates import is_valid_on
from webapp.domain.roles import Role, parse_roles

# --- Organisation (DOMAIN §2): data, never constants ------------------------------------


class Area(SQLModel, table=True):
    """Område."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    #: Closed from this day on (the last day it existed is the day before); None = open.
    closed_on: date | None = None


class Team(SQLModel, table=True):
    """Hjemmeplejeteam."""

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    name: str = Field(max_length=120)
    closed_on: date | None = None


class Kontaktteam(SQLModel, table=True):
    """A small group inside one team who know the same citizens."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    name: str = Field(max_length=120)
    closed_on: date | None = None


class HealthUnit(SQLModel, table=True):
    """Sundhedsenhed: one per area; its nurses and therapists are attached to teams."""

    __tablename__ = "health_unit"

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    name: str = Field(max_length=120)
    closed_on: date | None = None
    # Who gets an escalation when nobody in the citizen's basisteam is on duty: the area's
    # akutteam (its duty phone account). None = the basisteam's nurses (DOMAIN §7).
    fallback_staff_id: int | None = Field(default=None, foreign_key="staff.id")


class Staff(SQLModel, table=True):
    """Medarbejder. `roles` holds one or more Role values, comma-separated."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True)
    full_name: str = Field(max_length=160)
    phone: str | None = Field(default=None, max_length=32)
    password_hash: str = Field(max_length=255)
    roles: str = Field(max_length=200)
    active: bool = Field(default=True)
    #: The municipality's own id for the person (medarbejdernummer): what an import is keyed by.
    external_id: str | None = Field(default=None, max_length=40, unique=True)
    #: A one-time password set by an administrator: the person chooses their own at sign-in.
    must_change_password: bool = Field(default=False)

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
    #: The municipality's own id for the citizen (not CPR): what a citizen import is keyed by.
    external_id: str | None = Field(default=None, max_length=40, unique=True)
    full_name: str = Field(max_length=160)
    birth_date: date
    street: str = Field(max_length=160)
    postcode: str = Field(max_length=8)
    city: str = Field(max_length=80)
    phone: str | None = Field(default=None, max_length=32)
    key_notes: str = Field(default="", sa_type=Text)
    tobs_applies: bool = Field(default=True)
    tobs_exemption_reason: str | None = Field(default=None, max_length=200)
    # The placement in force today (CitizenPlacement holds the date-effective history; a
    # planned move changes these on its first day, see webapp/placement/services.py).
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


class CitizenPlacement(SQLModel, table=True):
    """Which team and kontaktteam a citizen belongs to, date-effective (DOMAIN §2): from
    `valid_from` through `valid_to` (inclusive; None = open). A move ends one row the day
    before the next starts; rows are never deleted once in force."""

    __tablename__ = "citizen_placement"
    __table_args__ = (
        CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name="citizen_placement_dates"
        ),
        Index("citizen_placement_from", "citizen_id", "valid_from", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id")
    team_id: int = Field(foreign_key="team.id", index=True)
    kontaktteam_id: int | None = Field(default=None, foreign_key="kontaktteam.id")
    valid_from: date
    valid_to: date | None = None
    created_at: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")

    def holds_on(self, day: date) -> bool:
        return is_valid_on(self.valid_from, self.valid_to, day)


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
    # When the referral (henvendelse) came, and whether it follows a hospital discharge
    # (M1 is then due 24 h after it rather than 48 h).
    referred_at: datetime | None = None
    after_discharge: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Who was forløbsansvarlig in this pathway: the history keeps the old one on a change.
    forloebsansvarlig_id: int | None = Field(default=None, foreign_key="staff.id")

    @property
    def pathway_type(self) -> PathwayType:
        return PathwayType(self.type)


class TriageChange(SQLModel, table=True):
    """Every colour a citizen has had, with who set it, when and why (`kind` = sat); and every
    colour someone suggested (`kind` = foreslaaet), which changes nothing by itself and is
    open until an SSA or a nurse next sets a colour for the citizen."""

    __tablename__ = "triage_change"
    __table_args__ = (Index("triage_change_citizen_at", "citizen_id", "set_at"),)

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id")
    colour: str = Field(max_length=8)
    reason: str = Field(max_length=280)
    set_by_id: int = Field(foreign_key="staff.id")
    set_at: datetime
    kind: str = Field(default="sat", max_length=12, sa_column_kwargs={"server_default": "sat"})

    @property
    def triage_colour(self) -> TriageColour:
        return TriageColour(self.colour)


# --- Hverdagsobservationer and TOBS (DOMAIN §4, §5) ----------------------------------------


class ObservationItem(SQLModel, table=True):
    """One line of the observation checklist; configurable, never deleted (old observations
    keep pointing at it), only retired."""

    __tablename__ = "observation_item"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=40, unique=True)
    label: str = Field(max_length=120)
    position: int = Field(default=0)
    active: bool = Field(default=True)
    triggers_tobs: bool = Field(default=False)


class Observation(SQLModel, table=True):
    """One visit's observation: the ticked items, or `no_change` ("Ingen ændringer i dag").

    Never edited: a correction is a new row whose `corrects_id` points at the one it
    corrects, and the corrected row is no longer counted."""

    __table_args__ = (
        Index("observation_citizen_at", "citizen_id", "at"),
        Index("observation_client_id", "client_id", unique=True),
        CheckConstraint("length(note) <= 280", name="observation_note_length"),
    )

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id")
    staff_id: int = Field(foreign_key="staff.id")
    at: datetime
    no_change: bool = Field(default=False)
    note: str = Field(default="", max_length=280)
    corrects_id: int | None = Field(
        default=None, foreign_key="observation.id", unique=True, nullable=True
    )
    #: The id the phone gave it (a form's hidden key, or an item queued offline): one row per id.
    client_id: str | None = Field(default=None, max_length=36)


class ObservationEntry(SQLModel, table=True):
    """Which checklist items one observation ticked."""

    __tablename__ = "observation_entry"

    observation_id: int = Field(
        sa_column=Column(Integer, ForeignKey("observation.id"), primary_key=True)
    )
    item_id: int = Field(
        sa_column=Column(Integer, ForeignKey("observation_item.id"), primary_key=True)
    )


class TobsActionVersion(SQLModel, table=True):
    """A municipality's response table (handlingsanvisning), versioned. A version is never
    changed once a TOBS was judged by it; a new one takes effect on its date."""

    __tablename__ = "tobs_action_version"
    __table_args__ = (UniqueConstraint("municipality", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    municipality: str = Field(max_length=120)
    version: int
    approver: str | None = Field(default=None, max_length=160)
    locally_approved: bool = Field(default=False)
    effective_from: date
    note: str = Field(default="", max_length=400)


class TobsActionRow(SQLModel, table=True):
    __tablename__ = "tobs_action_row"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="tobs_action_version.id", index=True)
    min_score: int | None = None
    max_score: int | None = None
    any_parameter_three: bool = Field(default=False)
    urgency: str = Field(max_length=12)
    escalate: bool = Field(default=False)
    text: str = Field(max_length=600)


class TobsMeasurement(SQLModel, table=True):
    """A saved TOBS: what was measured, the score it got and the action-table version it was
    judged by. Missing parameters are NULL and the score is then `complete` False."""

    __tablename__ = "tobs_measurement"
    __table_args__ = (
        Index("tobs_citizen_at", "citizen_id", "at"),
        Index("tobs_client_id", "client_id", unique=True),
        CheckConstraint("total BETWEEN 0 AND 15", name="tobs_total_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id")
    staff_id: int = Field(foreign_key="staff.id")
    at: datetime
    pulse: int | None = None
    respiration: int | None = None
    temperature: Decimal | None = Field(default=None, sa_type=Numeric(4, 2))
    temperature_method: str | None = Field(default=None, max_length=12)
    corrected_temperature: Decimal | None = Field(default=None, sa_type=Numeric(4, 1))
    systolic: int | None = None
    consciousness: str | None = Field(default=None, max_length=20)
    spo2: int | None = None
    total: int
    complete: bool
    any_three: bool
    action_version_id: int = Field(foreign_key="tobs_action_version.id")
    #: The id the phone gave it (a form's hidden key, or an item queued offline): one row per id.
    client_id: str | None = Field(default=None, max_length=36)


class TobsDismissal(SQLModel, table=True):
    """A nurse took a citizen off "Observationer uden TOBS" with a reason."""

    __tablename__ = "tobs_dismissal"
    __table_args__ = (Index("tobs_dismissal_citizen_at", "citizen_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id")
    staff_id: int = Field(foreign_key="staff.id")
    at: datetime
    reason: str = Field(max_length=280)


# --- Opfølgninger (DOMAIN §8) ---------------------------------------------------------------


class FollowUp(SQLModel, table=True):
    """Something due for a citizen on a date (or at a time), with a named owner.

    `kind` and `source` hold webapp.domain.followups values; `status` is aaben, udfoert or
    aflyst (with `cancel_reason`). A postponed follow-up is cancelled and replaced by a new
    one whose `replaces_id` points at it, so nothing is edited away."""

    __tablename__ = "follow_up"
    __table_args__ = (
        Index("follow_up_owner_status_due", "owner_id", "status", "due_date"),
        Index("follow_up_citizen_status_due", "citizen_id", "status", "due_date"),
        Index("follow_up_due", "due_date"),
        # A pathway's milestones: a forløbsskift, a new referral and the import read them.
        Index(
            "follow_up_pathway",
            "pathway_id",
            sqlite_where=Column("pathway_id").isnot(None),
            postgresql_where=Column("pathway_id").isnot(None),
        ),
        Index(
            "follow_up_replaces",
            "replaces_id",
            sqlite_where=Column("replaces_id").isnot(None),
            postgresql_where=Column("replaces_id").isnot(None),
        ),
        CheckConstraint("status IN ('aaben', 'udfoert', 'aflyst')", name="follow_up_status"),
        CheckConstraint(
            "status <> 'aflyst' OR cancel_reason IS NOT NULL", name="follow_up_cancel_reason"
        ),
        CheckConstraint(
            "status <> 'udfoert' OR (done_at IS NOT NULL AND done_by_id IS NOT NULL)",
            name="follow_up_done",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id")
    kind: str = Field(max_length=30)
    source: str = Field(max_length=30)
    title: str = Field(max_length=160)
    due_date: date
    due_at: datetime | None = None
    owner_id: int = Field(foreign_key="staff.id")
    status: str = Field(default="aaben", max_length=10)
    created_at: datetime
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")
    pathway_id: int | None = Field(default=None, foreign_key="pathway.id")
    replaces_id: int | None = Field(default=None, foreign_key="follow_up.id")
    booked_at: datetime | None = None
    done_at: datetime | None = None
    done_by_id: int | None = Field(default=None, foreign_key="staff.id")
    value: Decimal | None = Field(default=None, sa_type=Numeric(6, 1))
    note: str = Field(default="", max_length=280)
    cancel_reason: str | None = Field(default=None, max_length=280)


class Weighing(SQLModel, table=True):
    """A citizen's weight, entered when a weighing follow-up is done (or on its own)."""

    __table_args__ = (Index("weighing_citizen_at", "citizen_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id")
    staff_id: int = Field(foreign_key="staff.id")
    at: datetime
    kg: Decimal = Field(sa_type=Numeric(5, 1))
    follow_up_id: int | None = Field(default=None, foreign_key="follow_up.id")


# --- Kontakt sygeplejerske (DOMAIN §7) -------------------------------------------------------


class DutyShift(SQLModel, table=True):
    """Vagtplan: a nurse or therapist of a basisteam on duty for one shift of one day."""

    __tablename__ = "duty_shift"
    __table_args__ = (
        UniqueConstraint("team_id", "day", "shift", "staff_id", name="duty_shift_once"),
        CheckConstraint("shift IN ('dag', 'aften', 'nat')", name="duty_shift_shift"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    day: date
    shift: str = Field(max_length=8)
    staff_id: int = Field(foreign_key="staff.id", index=True)


class Escalation(SQLModel, table=True):
    """One request to a named nurse, its one answer and the sender's one optional reply.

    The ISBAR text is a snapshot of what the sender saw when sending. `recipient_id` and
    `deadline_at` are the current ones; every recipient it had is an EscalationRoute row."""

    __table_args__ = (
        Index("escalation_recipient_status", "recipient_id", "status"),
        Index("escalation_sender_status", "sender_id", "status"),
        Index("escalation_citizen_sent", "citizen_id", "sent_at"),
        Index("escalation_status_deadline", "status", "deadline_at"),
        CheckConstraint(
            "status IN ('sendt', 'set', 'besvaret', 'lukket')", name="escalation_status"
        ),
        CheckConstraint(
            "priority IN ('haster', 'i_dag', 'konference')", name="escalation_priority"
        ),
        CheckConstraint("length(note) <= 280", name="escalation_note_length"),
        CheckConstraint("length(reply) <= 280", name="escalation_reply_length"),
        CheckConstraint(
            "status IN ('sendt', 'set')"
            " OR (answered_at IS NOT NULL AND answered_by_id IS NOT NULL)",
            name="escalation_answered",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    #: Generated when the form is shown, so a double tap on Send stores one request.
    client_key: str | None = Field(default=None, max_length=40, unique=True)
    citizen_id: int = Field(foreign_key="citizen.id")
    sender_id: int = Field(foreign_key="staff.id")
    sent_at: datetime
    priority: str = Field(max_length=12)
    note: str = Field(default="", max_length=280)
    isbar_i: str = Field(sa_type=Text)
    isbar_s: str = Field(sa_type=Text)
    isbar_b: str = Field(sa_type=Text)
    isbar_a: str = Field(sa_type=Text)
    isbar_r: str = Field(sa_type=Text)
    tobs_id: int | None = Field(default=None, foreign_key="tobs_measurement.id")
    recipient_id: int = Field(foreign_key="staff.id")
    rule: str = Field(max_length=20)
    deadline_at: datetime
    moves: int = Field(default=0)
    #: When it first passed a deadline unanswered (it then shows on the leader's list).
    overdue_since: datetime | None = None
    status: str = Field(default="sendt", max_length=10)
    seen_at: datetime | None = None
    answered_at: datetime | None = None
    answered_by_id: int | None = Field(default=None, foreign_key="staff.id")
    answer_kind: str | None = Field(default=None, max_length=12)
    answer_text: str | None = Field(default=None, max_length=300)
    answer_note: str = Field(default="", max_length=280)
    follow_up_id: int | None = Field(default=None, foreign_key="follow_up.id")
    reply: str = Field(default="", max_length=280)
    closed_at: datetime | None = None


class EscalationRoute(SQLModel, table=True):
    """Each person an escalation went to: first at sending, then on a missed deadline."""

    __tablename__ = "escalation_route"
    __table_args__ = (Index("escalation_route_escalation", "escalation_id", "routed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    escalation_id: int = Field(foreign_key="escalation.id")
    recipient_id: int = Field(foreign_key="staff.id", index=True)
    rule: str = Field(max_length=20)
    routed_at: datetime
    deadline_at: datetime
    #: "sendt" for the first recipient, "frist" when the previous one missed the deadline.
    reason: str = Field(max_length=10)
    seen_at: datetime | None = None


# --- Tavle and forløbskonference (DOMAIN §6, §9) -------------------------------------------------


class BoardReview(SQLModel, table=True):
    """*Gennemgået*: the board of a team (or one kontaktteam) was reviewed at shift start;
    "changed since the last review" counts from the newest one."""

    __tablename__ = "board_review"
    __table_args__ = (Index("board_review_team_at", "team_id", "reviewed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    kontaktteam_id: int | None = Field(default=None, foreign_key="kontaktteam.id")
    reviewed_at: datetime
    reviewed_by_id: int = Field(foreign_key="staff.id")


class ConferenceSchedule(SQLModel, table=True):
    """A basisteam's conference schedule; a team without a row has the default
    (webapp/domain/conference.py: Tuesday and Thursday 12.00, 30 min, 6 citizens)."""

    __tablename__ = "conference_schedule"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", unique=True)
    weekdays: str = Field(max_length=20)  # "1,3": Monday is 0
    start: time
    minutes: int
    capacity: int
    cutoff_days_before: int
    cutoff_time: time


class Conference(SQLModel, table=True):
    """One meeting of a basisteam's forløbskonference."""

    __table_args__ = (UniqueConstraint("team_id", "day", name="conference_team_day"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    day: date
    starts_at: datetime
    minutes: int
    capacity: int
    leader_id: int | None = Field(default=None, foreign_key="staff.id")
    started_at: datetime | None = None
    ended_at: datetime | None = None


class ConferenceItem(SQLModel, table=True):
    """A citizen on a conference's list, with the reason and who raised it, its place in
    the leader's order, and the decision. Moved to the next conference, it gets a new row
    there (`moved_from_id`) and this one says `flyttet`."""

    __tablename__ = "conference_item"
    __table_args__ = (
        UniqueConstraint("conference_id", "citizen_id", name="conference_item_once"),
        Index("conference_item_citizen", "citizen_id"),
        CheckConstraint(
            "status IN ('paa_listen', 'flyttet', 'behandlet', 'fjernet')",
            name="conference_item_status",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id")
    citizen_id: int = Field(foreign_key="citizen.id")
    reason: str = Field(max_length=280)
    raised_by_id: int = Field(foreign_key="staff.id")
    raised_at: datetime
    #: Accepted from a suggestion (webapp.domain.conference.Suggestion), or None.
    suggestion: str | None = Field(default=None, max_length=20)
    escalation_id: int | None = Field(default=None, foreign_key="escalation.id")
    position: int = Field(default=0)
    status: str = Field(default="paa_listen", max_length=12)
    moved_from_id: int | None = Field(default=None, foreign_key="conference_item.id")
    decision: str | None = Field(default=None, sa_type=Text)
    decision_owner_id: int | None = Field(default=None, foreign_key="staff.id")
    follow_up_id: int | None = Field(default=None, foreign_key="follow_up.id")
    colour: str | None = Field(default=None, max_length=8)
    pathway_id: int | None = Field(default=None, foreign_key="pathway.id")
    decided_at: datetime | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="staff.id")


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


class AuditLog(SQLModel, table=True):
    """Every administrative change: who, when, what, and the values before and after (JSON).
    Append-only: triggers in the migration refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("audit_log_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    staff_id: int = Field(foreign_key="staff.id")
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: str = Field(max_length=40)
    summary: str = Field(default="", max_length=400)
    before: str = Field(default="", sa_type=Text)
    after: str = Field(default="", sa_type=Text)


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
