"""Deterministic, fictitious organisation data: the demo (one area) and the Aarhus-scale
benchmark database (seven areas) come from the same generator with different sizes.

Besides the organisation and the citizens, the generator writes the month before `today`:
hverdagsobservationer, TOBS measurements, colour changes (set and suggested) and a few nurses'
dismissals of the observation->TOBS nudge, so every screen has a realistic history to show;
and the year before `today` of follow-ups (*opfølgninger*: milestones, weighings, handed-over
nursing, triage, TOBS repeats, manual ones) with the weighings, plus what is open ahead
(see `Year`).
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, update
from sqlmodel import Session, select

from webapp.auth.passwords import hash_password
from webapp.domain.citizens import PathwayType, ResponsibleCheck, TriageColour, responsible_errors
from webapp.domain.followups import (
    Due,
    FollowUpKind,
    OwnerRule,
    Source,
    Status,
    add_months,
    milestones,
    next_occurrence,
    tobs_repeats,
    triage_follow_up,
)
from webapp.domain.nudge import DEFAULT_RULE, ObservationFact, triggering
from webapp.domain.roles import Role, format_roles, parse_roles
from webapp.domain.tobs import Consciousness, TempMethod, TobsInput, score
from webapp.domain.triage import ChangeKind
from webapp.escalations.demo import write_demo_escalations
from webapp.models import (
    Area,
    Citizen,
    CitizenPlacement,
    FollowUp,
    HealthUnit,
    Kontaktteam,
    Membership,
    MembershipKind,
    Observation,
    ObservationEntry,
    ObservationItem,
    Pathway,
    Staff,
    Team,
    TobsActionVersion,
    TobsDismissal,
    TobsMeasurement,
    TriageChange,
    Weighing,
)
from webapp.roster.demo import write_demo_roster

DEMO_PASSWORD = "demo"
LOCAL = ZoneInfo("Europe/Copenhagen")

FIRST_NAMES = [
    "Anne",
    "Mette",
    "Hanne",
    "Lone",
    "Susanne",
    "Pia",
    "Karen",
    "Lene",
    "Birgitte",
    "Tina",
    "Camilla",
    "Louise",
    "Maria",
    "Sofie",
    "Fatima",
    "Aisha",
    "Leyla",
    "Mina",
    "Sara",
    "Ida",
    "Emma",
    "Julie",
    "Marianne",
    "Jette",
    "Gitte",
    "Helle",
    "Bente",
    "Dorthe",
    "Lars",
    "Jens",
    "Peter",
    "Michael",
    "Søren",
    "Henrik",
    "Thomas",
    "Mads",
    "Ahmad",
    "Ali",
    "Omar",
    "Kasper",
    "Mikkel",
    "Rasmus",
    "Jonas",
    "Frederik",
    "Niels",
    "Poul",
    "Ole",
    "Hans",
    "Erik",
]
ELDER_FIRST_NAMES = [
    "Inger",
    "Kirsten",
    "Ellen",
    "Else",
    "Grethe",
    "Karen",
    "Ruth",
    "Erna",
    "Gudrun",
    "Edith",
    "Ingrid",
    "Ester",
    "Agnes",
    "Aase",
    "Birthe",
    "Hanne",
    "Lis",
    "Vibeke",
    "Jytte",
    "Tove",
    "Oda",
    "Minna",
    "Alma",
    "Dagmar",
    "Anna",
    "Olga",
    "Karla",
    "Knud",
    "Svend",
    "Arne",
    "Børge",
    "Erling",
    "Poul",
    "Kaj",
    "Aage",
    "Leif",
    "Preben",
    "Bent",
    "Finn",
    "Jørgen",
    "Egon",
    "Holger",
    "Verner",
    "Gunnar",
    "Ove",
    "Henning",
    "Flemming",
    "Mogens",
    "Orla",
    "Viggo",
    "Kurt",
]
SURNAMES = [
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Østergaard",
    "Lund",
    "Holm",
    "Bak",
    "Kjær",
    "Dam",
    "Vestergaard",
    "Mikkelsen",
    "Frandsen",
    "Søndergaard",
    "Yilmaz",
    "Hussein",
    "Ahmadi",
    "Nowak",
    "Kowalski",
]
STREETS = [
    "Søndervang",
    "Hasle",
    "Ringvej",
    "Møllevangs",
    "Allé",
    "Tousgårdsvej",
    "Bispehavevej",
    "Edwin",
    "Rahrs",
    "Vej",
    "Herredsvej",
    "Grøfthøjparken",
    "Bjødstrupvej",
    "Silkeborgvej",
    "Gudrunsvej",
    "Sønderalle",
    "Vejlby",
    "Vænge",
    "Viborgvej",
    "Bymarken",
    "Hjortensgade",
    "Stavtrupvej",
    "Fenrisvej",
    "Jernaldervej",
    "Lyseng",
    "Allé",
]
CITIES = (("8210", "Aarhus V"), ("8220", "Brabrand"), ("8260", "Viby J"), ("8381", "Tilst"))
KEY_NOTES = (
    "KOL",
    "Demens",
    "Diabetes type 2",
    "Hjertesvigt",
    "Faldtendens",
    "Bor alene",
    "Nedsat hørelse",
    "Ingen genoplivning",
    "Tidligere apopleksi",
    "Kateter",
    "Tryksår i opheling",
)
YELLOW_REASONS = (
    "Spiser mindre end vanligt i tre dage",
    "Mere træt og sløv, pårørende bekymret",
    "Ny hoste, ingen feber",
    "Nyt sår på underben",
    "Mere forvirret om aftenen",
)
RED_REASONS = (
    "Faldet i går, smerter i hoften",
    "TOBS 5 i morges, lav saturation",
    "Drikker næsten intet, mørk urin",
    "Akut forvirring og feber",
)
MOBILITY = ("Går med rollator", "Går selv indendørs", "Kørestol", "Går med stok")
APPETITE = ("Spiser godt", "Spiser lidt, kræsen", "Får ernæringsdrik", "Normal appetit")
COGNITION = ("Klar og orienteret", "Let glemsom", "Demens, genkender personalet", "Klar")
TEAM_NAMES = [
    "Hasle",
    "Brabrand",
    "Gellerup",
    "Viby",
    "Tilst",
    "Hasselager",
    "Risskov",
    "Lystrup",
    "Skejby",
    "Åby",
    "Tranbjerg",
    "Harlev",
    "Hjortshøj",
    "Egå",
    "Sabro",
    "Trige",
    "Malling",
    "Beder",
    "Mårslet",
    "Solbjerg",
    "Kolt",
    "Tåstrup",
    "Lisbjerg",
    "Vejlby",
    "Gåsevang",
    "Frederiksbjerg",
    "Trøjborg",
    "Møllevang",
    "Langenæs",
    "Skåde",
    "Holme",
    "Stavtrup",
    "Hornslet",
    "Hinnerup",
    "Elev",
    "Todbjerg",
    "Jelling",
    "Kasted",
    "Fuglebakken",
    "Højbjerg",
]
AREA_NAMES = ("Vest", "Syd", "Nord", "Midt", "Øst", "Sydvest", "Nordvest")
KONTAKTTEAM_SUFFIXES = ("Nord", "Syd", "Øst", "Vest", "Midt")
ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u"})


@dataclass(frozen=True)
class Size:
    areas: int
    teams: int
    kontaktteams_per_team: tuple[int, int]
    helpers_per_kontaktteam: tuple[int, int]
    assistants_per_kontaktteam: tuple[int, int]
    citizens_per_team: tuple[int, int]
    nurses_per_unit: int
    therapists_per_unit: int


DEMO = Size(1, 3, (3, 4), (3, 4), (2, 2), (48, 52), 9, 4)
#: Aarhus 2019: 7 areas, 38 teams of 40–45 staff, ~170 citizens each, ~490 health-unit staff.
AARHUS = Size(7, 38, (4, 5), (5, 6), (3, 3), (165, 177), 49, 20)


@dataclass
class Built:
    staff: int = 0
    citizens: int = 0
    teams: int = 0
    observations: int = 0
    tobs: int = 0
    colour_changes: int = 0
    dismissals: int = 0
    follow_ups: int = 0
    weighings: int = 0
    duty_shifts: int = 0
    escalations: int = 0


@dataclass
class CitizenPlan:
    """A citizen and the current colour drawn for it; the month generator writes the history."""

    citizen: Citizen
    colour: TriageColour
    reason: str | None = None
    setter: Staff | None = None
    #: Drawn 2–144; Month.current_set_at turns it into when the colour was set.
    hours: int = 0


class Generator:
    def __init__(self, session: Session, size: Size, today: date, seed: int = 2026):
        self.s = session
        self.size = size
        self.today = today
        self.rng = random.Random(seed)
        # The year of follow-ups draws from its own stream, so adding it left every earlier
        # draw (organisation, citizens, the month of observations) exactly as it was.
        self.frng = random.Random(f"{seed}:opfoelgninger")
        self.password_hash = hash_password(DEMO_PASSWORD)
        self.usernames: set[str] = set()
        self.built = Built()
        self.long_ago = today - timedelta(days=3 * 365)
        # Written in bulk once the ids are known (one flush instead of one per row).
        self.memberships: list[tuple[Staff, dict]] = []
        self.pathways: list[tuple[Citizen, dict]] = []
        self.plans: list[CitizenPlan] = []

    # --- people ---------------------------------------------------------------------------

    def staff(self, roles: set[Role], username: str | None = None) -> Staff:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(SURNAMES)
        if username is None:
            base = f"{first}.{last}".lower().translate(ASCII)
            username, n = base, 1
            while username in self.usernames:
                n += 1
                username = f"{base}{n}"
        self.usernames.add(username)
        person = Staff(
            username=username,
            full_name=f"{first} {last}",
            phone=self.phone(),
            password_hash=self.password_hash,
            roles=format_roles(roles),
            # The municipality's own number, so the demo's people can be named in an import.
            external_id=f"M{10001 + self.built.staff}",
        )
        self.s.add(person)
        self.built.staff += 1
        return person

    def phone(self) -> str:
        digits = f"{self.rng.randint(20, 99)}{self.rng.randint(0, 999999):06d}"
        return " ".join(digits[i : i + 2] for i in range(0, 8, 2))

    def member(self, person: Staff, kind: str, **target) -> None:
        row = {
            "kind": kind,
            "team_id": None,
            "kontaktteam_id": None,
            "health_unit_id": None,
            "valid_from": self.long_ago,
            "valid_to": None,
        }
        row.update(target)
        self.memberships.append((person, row))

    def write_pending(self) -> None:
        """Memberships and pathways, in the order they were made, now that ids exist."""
        self.s.flush()
        rows = [{"staff_id": person.id, **row} for person, row in self.memberships]
        bulk_insert(self.s, Membership, rows)
        rows = [
            {"citizen_id": citizen.id, "forloebsansvarlig_id": citizen.forloebsansvarlig_id, **row}
            for citizen, row in self.pathways
        ]
        bulk_insert(self.s, Pathway, rows)
        rows = [
            {
                "citizen_id": citizen.id,
                "team_id": citizen.team_id,
                "kontaktteam_id": citizen.kontaktteam_id,
                "valid_from": row["started_on"],
                "valid_to": None,
            }
            for citizen, row in self.pathways
        ]
        bulk_insert(self.s, CitizenPlacement, rows)
        self.memberships, self.pathways = [], []

    # --- organisation -----------------------------------------------------------------------

    def build(self, demo_logins: bool) -> Built:
        team_names = iter(TEAM_NAMES)
        per_area = _split(self.size.teams, self.size.areas)
        for a in range(self.size.areas):
            area = Area(name=f"Område {AREA_NAMES[a]}")
            self.s.add(area)
            self.s.flush()
            unit = HealthUnit(area_id=area.id, name=f"Sundhedsenhed {AREA_NAMES[a]}")
            self.s.add(unit)
            self.s.flush()
            nurses, therapists = self.health_unit(unit, first=(a == 0 and demo_logins))
            for t in range(per_area[a]):
                self.team(area, next(team_names), nurses, therapists, t, per_area[a])
                self.built.teams += 1
        self.write_pending()
        if demo_logins:
            self.demo_logins()
        self.write_pending()
        month = Month(self)
        month.write()
        Year(self, month).write()
        self.s.flush()
        self.built.duty_shifts = write_demo_roster(self.s, self.today)
        self.built.escalations = write_demo_escalations(self.s, self.now(), LOCAL)
        self.s.flush()
        return self.built

    def now(self) -> datetime:
        """The real time when the demo is loaded for today; else 10:00 on `today`."""
        real = datetime.now(UTC)
        if real.astimezone(LOCAL).date() == self.today:
            return real
        return datetime.combine(self.today, time(10, 0), LOCAL).astimezone(UTC)

    def health_unit(self, unit: HealthUnit, first: bool) -> tuple[list[Staff], list[Staff]]:
        nurses = [self.staff({Role.NURSE}) for _ in range(self.size.nurses_per_unit)]
        therapists = [self.staff({Role.THERAPIST}) for _ in range(self.size.therapists_per_unit)]
        leader = self.staff({Role.LEADER})
        for person in [*nurses, *therapists, leader]:
            self.member(person, MembershipKind.HEALTH_UNIT, health_unit_id=unit.id)
        return nurses, therapists

    def team(self, area, name, nurses, therapists, index, teams_in_area) -> None:
        team = Team(area_id=area.id, name=f"Team {name}")
        self.s.add(team)
        self.s.flush()
        # Basisteam: each team gets its own slice of the area's named nurses and therapists.
        attached = _slice(nurses, index, teams_in_area) + _slice(therapists, index, teams_in_area)
        for person in attached:
            self.member(person, MembershipKind.BASISTEAM, team_id=team.id)
        for roles in ({Role.LEADER}, {Role.PLANNER}, {Role.CITIZEN_CONSULTANT}):
            self.member(self.staff(roles), MembershipKind.TEAM, team_id=team.id)
        n_kt = self.rng.randint(*self.size.kontaktteams_per_team)
        suffixes = KONTAKTTEAM_SUFFIXES[:n_kt]
        kontaktteams = []
        for suffix in suffixes:
            kt = Kontaktteam(team_id=team.id, name=f"{name} {suffix}")
            self.s.add(kt)
            self.s.flush()
            helpers = [
                self.staff({Role.HELPER})
                for _ in range(self.rng.randint(*self.size.helpers_per_kontaktteam))
            ]
            assistants = [
                self.staff({Role.ASSISTANT})
                for _ in range(self.rng.randint(*self.size.assistants_per_kontaktteam))
            ]
            for person in [*helpers, *assistants]:
                self.member(person, MembershipKind.TEAM, team_id=team.id, kontaktteam_id=kt.id)
            kontaktteams.append((kt, helpers, assistants))
        self.temps(team, kontaktteams[0][0])
        self.s.flush()
        team_nurses = _slice(nurses, index, teams_in_area)
        team_therapists = _slice(therapists, index, teams_in_area)
        for _ in range(self.rng.randint(*self.size.citizens_per_team)):
            kt, helpers, assistants = self.rng.choice(kontaktteams)
            self.citizen(team, kt, helpers, assistants, team_nurses, team_therapists)

    def temps(self, team: Team, kt: Kontaktteam) -> None:
        """An afløser whose access ends next month and an elev whose access has ended."""
        soon = self.today + timedelta(days=30)
        self.member(
            self.staff({Role.HELPER}),
            MembershipKind.TEAM,
            team_id=team.id,
            kontaktteam_id=kt.id,
            valid_from=self.today - timedelta(days=20),
            valid_to=soon,
        )
        ended = self.today - timedelta(days=10)
        self.member(
            self.staff({Role.ASSISTANT}),
            MembershipKind.TEAM,
            team_id=team.id,
            kontaktteam_id=kt.id,
            valid_from=ended - timedelta(days=60),
            valid_to=ended,
        )

    # --- citizens ---------------------------------------------------------------------------

    def citizen(self, team, kt, helpers, assistants, nurses, therapists) -> None:
        rng = self.rng
        pathway = rng.choices(list(PathwayType), weights=(20, 18, 37, 25))[0]
        kontaktperson = rng.choice(helpers + assistants)
        forloebsansvarlig = self.forloebsansvarlig(pathway, assistants, nurses, therapists)
        errors = responsible_errors(
            ResponsibleCheck(
                pathway,
                kontaktperson.role_set,
                forloebsansvarlig.role_set if forloebsansvarlig else None,
            )
        )
        assert not errors, errors
        first = rng.choice(ELDER_FIRST_NAMES)
        postcode, city = rng.choice(CITIES)
        terminal = rng.random() < 0.03
        notes = rng.sample(KEY_NOTES, rng.randint(0, 3))
        if terminal:
            notes.append("Terminal")
        citizen = Citizen(
            external_id=f"B{100001 + self.built.citizens}",  # the municipality's own number
            full_name=f"{first} {rng.choice(SURNAMES)}",
            birth_date=date(rng.randint(1926, 1958), rng.randint(1, 12), rng.randint(1, 28)),
            street=f"{rng.choice(STREETS)} {rng.randint(1, 140)}",
            postcode=postcode,
            city=city,
            phone=self.phone(),
            key_notes="; ".join(notes),
            tobs_applies=not terminal,
            tobs_exemption_reason="Terminal borger, TOBS ikke ordineret af læge"
            if terminal
            else None,
            team_id=team.id,
            kontaktteam_id=kt.id,
            kontaktperson_id=kontaktperson.id,
            forloebsansvarlig_id=forloebsansvarlig.id if forloebsansvarlig else None,
            habitual_pulse=rng.randint(58, 92),
            habitual_systolic_bp=rng.randint(105, 155),
            habitual_respiration=rng.randint(12, 18),
            habitual_mobility=rng.choice(MOBILITY),
            habitual_appetite=rng.choice(APPETITE),
            habitual_cognition=rng.choice(COGNITION),
        )
        self.s.add(citizen)
        self.built.citizens += 1
        self.pathway(citizen, pathway)
        self.triage(citizen, assistants + nurses)

    def forloebsansvarlig(self, pathway, assistants, nurses, therapists) -> Staff | None:
        if pathway is PathwayType.PERMANENT_MODERATE:
            return None
        if pathway is PathwayType.PERMANENT_CONSIDERABLE:
            return self.rng.choice(assistants)
        pool = therapists if self.rng.random() < 0.35 and therapists else nurses
        return self.rng.choice(pool)

    def pathway(self, citizen: Citizen, kind: PathwayType) -> None:
        if kind in (PathwayType.SIMPLE, PathwayType.COMPOSITE):
            started = self.today - timedelta(days=self.rng.randint(1, 70))
        else:
            started = self.today - timedelta(days=self.rng.randint(60, 1500))
        referral = started - timedelta(days=self.rng.randint(0, 2))
        # When the referral came (a daytime hour) and whether it followed a discharge: from
        # the follow-ups' own stream (see __init__).
        minutes = self.frng.randint(8 * 60, 15 * 60 + 30)
        referred_at = datetime.combine(referral, time(minutes // 60, minutes % 60), LOCAL)
        time_limited = kind in (PathwayType.SIMPLE, PathwayType.COMPOSITE)
        self.pathways.append(
            (
                citizen,
                {
                    "type": kind.value,
                    "referral_date": referral,
                    "started_on": started,
                    "referred_at": referred_at.astimezone(UTC),
                    "after_discharge": time_limited and self.frng.random() < 0.25,
                },
            )
        )

    def triage(self, citizen: Citizen, professionals: list[Staff]) -> None:
        """Draw the current colour, its reason and who set it; Month writes the history.

        The draws are the ones this generator always made, so names and colours stay as
        they were before the month of history existed."""
        plan = CitizenPlan(citizen, self.rng.choices(list(TriageColour), weights=(68, 21, 11))[0])
        if plan.colour is not TriageColour.GREEN:
            reasons = YELLOW_REASONS if plan.colour is TriageColour.YELLOW else RED_REASONS
            plan.hours = self.rng.randint(2, 24 * 6)
            plan.reason = self.rng.choice(reasons)
            plan.setter = self.rng.choice(professionals)
        citizen.triage_colour = plan.colour.value
        self.plans.append(plan)

    # --- demo logins --------------------------------------------------------------------------

    def demo_logins(self) -> None:
        """One login per role, username = the role word, each in the first team."""
        team = self.s.exec(select(Team).order_by(Team.id)).first()
        kt = self.s.exec(
            select(Kontaktteam).where(Kontaktteam.team_id == team.id).order_by(Kontaktteam.id)
        ).first()
        unit = self.s.exec(select(HealthUnit).where(HealthUnit.area_id == team.area_id)).first()
        logins = {
            Role.HELPER: [(MembershipKind.TEAM, {"team_id": team.id, "kontaktteam_id": kt.id})],
            Role.ASSISTANT: [(MembershipKind.TEAM, {"team_id": team.id, "kontaktteam_id": kt.id})],
            Role.NURSE: [
                (MembershipKind.HEALTH_UNIT, {"health_unit_id": unit.id}),
                (MembershipKind.BASISTEAM, {"team_id": team.id}),
            ],
            Role.THERAPIST: [
                (MembershipKind.HEALTH_UNIT, {"health_unit_id": unit.id}),
                (MembershipKind.BASISTEAM, {"team_id": team.id}),
            ],
            Role.LEADER: [(MembershipKind.TEAM, {"team_id": team.id})],
            Role.PLANNER: [(MembershipKind.TEAM, {"team_id": team.id})],
            Role.CITIZEN_CONSULTANT: [(MembershipKind.TEAM, {"team_id": team.id})],
            Role.ADMIN: [(MembershipKind.TEAM, {"team_id": team.id})],
        }
        for role, memberships in logins.items():
            person = self.staff({role}, username=role.value)
            for kind, target in memberships:
                self.member(person, kind, **target)
        self.s.flush()
        # The demo helper and nurse are named on real citizens of their kontaktteam/basisteam.
        helper = self.s.exec(select(Staff).where(Staff.username == Role.HELPER.value)).one()
        nurse = self.s.exec(select(Staff).where(Staff.username == Role.NURSE.value)).one()
        citizens = self.s.exec(
            select(Citizen).where(Citizen.kontaktteam_id == kt.id).order_by(Citizen.id)
        ).all()
        for citizen in citizens[::3]:
            citizen.kontaktperson_id = helper.id
        for citizen in citizens[1::4]:
            pathway = self.s.exec(select(Pathway).where(Pathway.citizen_id == citizen.id)).one()
            if pathway.type in (PathwayType.SIMPLE.value, PathwayType.COMPOSITE.value):
                citizen.forloebsansvarlig_id = pathway.forloebsansvarlig_id = nurse.id


def bulk_insert(session: Session, model: type, rows: list[dict]) -> None:
    """One ORM bulk INSERT; NULLs are rendered so rows with and without a value share a batch."""
    if rows:
        session.exec(insert(model).execution_options(render_nulls=True), params=rows)


def date_range(first: date, end: date) -> list[date]:
    """The days from `first` up to, not including, `end`."""
    return [first + timedelta(days=n) for n in range((end - first).days)]


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _slice(people: list, index: int, parts: int) -> list:
    size = max(1, len(people) // parts)
    chunk = people[index * size : (index + 1) * size]
    return chunk or people[-size:]


# --- the month before today: observations, TOBS, colour changes ------------------------------
#
# Every citizen gets a history over the 30 days before `today` (visits end yesterday evening,
# so nothing lies in the future whenever the data is looked at during `today`). The colour the
# organisation part drew for the citizen is the end of that history; the observations, TOBS and
# colour changes leading up to it are told as one story per citizen (a Theme).


@dataclass(frozen=True)
class Theme:
    """What a change of state looks like: the checklist items ticked, the notes written, where
    the TOBS points tend to come from, and what is said when the citizen is back to grøn."""

    main: tuple[str, ...]
    extra: tuple[str, ...]
    notes: tuple[str, ...]
    back: str
    suggestion: str
    #: How likely a TOBS point comes from pulse, respiration, temperature, BP, consciousness.
    weights: tuple[float, float, float, float, float]
    #: Days before the colour is set on which the main items were already seen.
    lead_days: int = 0
    #: Rød only: the reason of the gul that came first, if it did.
    lead_in: str | None = None
    low_spo2: bool = False
    #: A TOBS with this total in the morning of the day the colour is set ("TOBS 5 i morges").
    morning_total: int | None = None


DIZZY = "Svimmel og usikker på benene"
THEMES: dict[str, Theme] = {
    YELLOW_REASONS[0]: Theme(
        main=("spiser_mindre",),
        extra=("drikker_mindre", "vaegt_aendret", "mere_traet"),
        notes=(
            "Spiste kun lidt af morgenmaden.",
            "Har kun spist en halv portion til middag.",
            "Ville ikke have ernæringsdrik i dag.",
            "Køleskabet er næsten urørt siden i går.",
        ),
        back="Spiser igen som vanligt",
        suggestion="Spiser meget lidt i flere dage. Foreslår gul.",
        weights=(3, 1, 1, 2, 0.5),
        lead_days=3,
    ),
    YELLOW_REASONS[1]: Theme(
        main=("mere_traet", "noget_er_galt"),
        extra=("sover_anderledes", "brug_for_mere_hjaelp"),
        notes=(
            "Datteren ringede. Hun synes, at mor er mere træt.",
            "Lå stadig i sengen kl. 10 og orkede ikke at stå op.",
            "Orkede ikke at gå ud i køkkenet i dag.",
            "Faldt i søvn i stolen under besøget.",
        ),
        back="Mere frisk igen, pårørende er beroliget",
        suggestion="Meget træt, og pårørende er bekymrede. Foreslår gul.",
        weights=(2, 1, 2, 1, 1),
        lead_days=1,
    ),
    YELLOW_REASONS[2]: Theme(
        main=("aendret_vejrtraekning",),
        extra=("mere_traet", "sover_anderledes"),
        notes=(
            "Hoster meget om morgenen.",
            "Lidt åndenød, når hun går ud på badeværelset.",
            "Hoster slim op. Ingen feber ved måling.",
        ),
        back="Hosten er væk, vejrtrækning som vanligt",
        suggestion="Ny hoste og lidt åndenød. Foreslår gul.",
        weights=(2, 3, 0, 1, 0),
        lead_days=1,
    ),
    YELLOW_REASONS[3]: Theme(
        main=("huden_aendret",),
        extra=("nye_smerter",),
        notes=(
            "Rødme omkring såret på venstre underben.",
            "Forbinding skiftet. Lidt væske fra såret.",
            "Såret er på størrelse med en tikrone.",
        ),
        back="Såret heler fint, følges ved forbindingsskift",
        suggestion="Nyt sår på underbenet. Foreslår gul.",
        weights=(1, 0.5, 2, 0.5, 0),
    ),
    YELLOW_REASONS[4]: Theme(
        main=("mere_forvirret",),
        extra=("sover_anderledes", "aendret_adfaerd", "ikke_taget_medicin"),
        notes=(
            "Vidste ikke, hvilken dag det var.",
            "Var urolig om aftenen og ledte efter sin mand.",
            "Medicinen lå urørt i doseringsæsken.",
        ),
        back="Klar og orienteret som vanligt igen",
        suggestion="Mere forvirret om aftenen end vanligt. Foreslår gul.",
        weights=(1, 1, 2, 0.5, 2),
        lead_days=2,
    ),
    DIZZY: Theme(
        main=("svimmel",),
        extra=("brug_for_mere_hjaelp", "drikker_mindre"),
        notes=(
            "Svimmel, da hun rejste sig fra sengen.",
            "Holder fast i møblerne, når hun går.",
        ),
        back="Ikke længere svimmel",
        suggestion="Svimmel og går usikkert. Foreslår gul.",
        weights=(2, 0.5, 0.5, 3, 0.5),
        lead_days=1,
    ),
    RED_REASONS[0]: Theme(
        main=("faldet", "nye_smerter"),
        extra=("svimmel", "brug_for_mere_hjaelp"),
        notes=(
            "Fundet på gulvet ved sengen. Kunne ikke selv rejse sig.",
            "Ondt i højre hofte og går meget dårligt.",
            "Kan ikke støtte på højre ben.",
        ),
        back="Smerterne er aftaget, går igen med rollator",
        suggestion="Faldet og har ondt i hoften. Foreslår rød.",
        weights=(3, 1, 0.5, 2, 1),
        lead_days=1,
        lead_in=DIZZY,
    ),
    RED_REASONS[1]: Theme(
        main=("aendret_vejrtraekning", "mere_traet"),
        extra=("drikker_mindre", "spiser_mindre"),
        notes=(
            "Hurtig vejrtrækning og meget træt.",
            "Hoster meget og er bleg.",
            "Iltmætning lav ved måling.",
        ),
        back="Vejrtrækning som vanligt igen",
        suggestion="Svært ved at få vejret. Foreslår rød.",
        weights=(3, 3, 2, 1, 0.5),
        lead_in=YELLOW_REASONS[2],
        low_spo2=True,
        morning_total=5,
    ),
    RED_REASONS[2]: Theme(
        main=("drikker_mindre", "aendret_vandladning"),
        extra=("spiser_mindre", "mere_traet", "svimmel"),
        notes=(
            "Har næsten ikke drukket noget siden i går.",
            "Mørk urin og meget lidt i bleen.",
            "Tør i munden og træt.",
        ),
        back="Drikker igen som vanligt",
        suggestion="Drikker næsten intet. Foreslår rød.",
        weights=(3, 1, 1, 3, 1),
        lead_days=1,
        lead_in=YELLOW_REASONS[0],
    ),
    RED_REASONS[3]: Theme(
        main=("mere_forvirret", "aendret_adfaerd"),
        extra=("aendret_vandladning", "drikker_mindre"),
        notes=(
            "Meget forvirret og varm at røre ved.",
            "Kender ikke personalet i dag.",
            "Urolig og vil ikke have hjælp.",
        ),
        back="Klar igen og feberfri",
        suggestion="Pludselig meget forvirret og varm. Foreslår rød.",
        weights=(2, 1, 3, 0.5, 2),
        lead_in=YELLOW_REASONS[4],
    ),
}

#: Single items a green citizen now and then has, with how often and what is written.
MINOR_ITEMS: dict[str, tuple[int, tuple[str, ...]]] = {
    "sover_anderledes": (3, ("Sov dårligt i nat.", "Har sovet det meste af formiddagen.")),
    "nye_smerter": (3, ("Ondt i ryggen. Fik panodil kl. 8.", "Ondt i knæet, når hun går.")),
    "aendret_afforing": (2, ("Ikke haft afføring i tre dage.",)),
    "huden_aendret": (2, ("Rød hud på hælen. Ny pude lagt under.",)),
    "ikke_taget_medicin": (2, ("Glemte aftenmedicinen. Givet nu.",)),
    "brug_for_mere_hjaelp": (2, ("Kunne ikke selv tage strømper på i dag.",)),
    "spiser_mindre": (2, ("Spiste kun lidt til frokost.",)),
    "drikker_mindre": (2, ("Har kun drukket et glas vand i dag.",)),
    "svimmel": (1, ("Lidt svimmel, da hun rejste sig.",)),
    "aendret_vandladning": (1, ("Skal ofte på toilettet i dag.",)),
    "vaegt_aendret": (1, ("Bukserne sidder løsere end før.",)),
    "mere_traet": (1, ("Mere træt end vanligt i dag.",)),
}
CALM_NOTES = (
    "Glad og snakkesalig i dag.",
    "Gik en tur med rollatoren til postkassen.",
    "Datteren var på besøg.",
    "Spiste godt og fik en kop kaffe bagefter.",
    "Hørte radio og var i godt humør.",
)
#: The "Ændret adfærd eller humør" observation that leaves a citizen waiting for a TOBS.
CHANGED_NOTES = (
    "Vred og afvisende i dag. Ikke som vanligt.",
    "Græd og ville ikke have hjælp til bad.",
    "Sad stille og svarede næsten ikke.",
    "Meget urolig og gik frem og tilbage i stuen.",
)
DISMISSAL_REASONS = (
    "Kendt reaktion efter besøg af familien. Ingen tegn på sygdom.",
    "Set af sygeplejerske samme dag. Vanlig tilstand, TOBS ikke nødvendig.",
    "Borgeren afviser måling. Egen læge er orienteret.",
    "Drøftet med egen læge, som ikke ønsker TOBS nu.",
)
FIRST_GREEN_REASON = "Borgeren er i sin vanlige tilstand"

#: TOBS totals drawn per level of illness (0 usual, 1 gul-like, 2 rød-like), with weights.
TOTALS = {
    0: ((0, 1), (70, 30)),
    1: ((0, 1, 2, 3), (10, 35, 35, 20)),
    2: ((3, 4, 5, 6, 7), (15, 25, 25, 20, 15)),
}
#: The points each parameter may get from the generator (respiration 1 is a slow breath,
#: rarely the sign of a new illness, so it is skipped), and the most per level.
STEPS = ((0, 1, 2, 3), (0, 2, 3), (0, 1, 2, 3), (0, 1, 2), (0, 1, 2))
CAPS = {0: (1, 0, 1, 0, 0), 1: (2, 2, 2, 1, 1), 2: (3, 3, 3, 2, 2)}
DEFAULT_WEIGHTS = (2.0, 1.0, 2.0, 1.0, 0.3)
OBSERVATION_CHANCE = (0.13, 0.45, 0.8)  # per day, per level
#: How long a visit lasts: a TOBS this soon after an observation was taken at the same visit.
VISIT = timedelta(hours=1)
NO_THEME = Theme((), (), (), "", "", DEFAULT_WEIGHTS)


@dataclass
class Visit:
    at: datetime  # local time
    staff_id: int
    items: frozenset[str] = frozenset()
    note: str = ""


@dataclass
class Measure:
    at: datetime  # local time
    staff_id: int
    level: int
    theme: Theme
    total: int | None = None  # a total the story needs, e.g. "TOBS 5 i morges"


@dataclass
class Story:
    """One citizen's month, before it becomes rows."""

    plan: CitizenPlan
    visits: list[Visit] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    dismissals: list[dict] = field(default_factory=list)
    #: (from, to, level, theme): how ill the citizen is over time; otherwise usual (level 0).
    phases: list[tuple[datetime, datetime, int, Theme]] = field(default_factory=list)

    def state(self, at: datetime) -> tuple[int, Theme]:
        level, theme = 0, NO_THEME
        for start, end, lvl, th in self.phases:
            if start <= at <= end and lvl >= level:
                level, theme = lvl, th
        return level, theme


class Month:
    """Writes the month before `today` for every citizen the generator made, in bulk."""

    def __init__(self, gen: Generator):
        self.gen = gen
        self.s = gen.s
        self.rng = gen.rng
        self.today = gen.today
        self.yesterday = gen.today - timedelta(days=1)
        self.first_day = gen.today - timedelta(days=30)
        self.end = datetime.combine(gen.today, time(0, 0), LOCAL)
        self.days = [(d, self.local(d, 12 * 60)) for d in date_range(self.first_day, self.today)]
        self.item_ids = dict(self.s.exec(select(ObservationItem.key, ObservationItem.id)).all())
        self.version_id = self.s.exec(
            select(TobsActionVersion.id).order_by(TobsActionVersion.id)
        ).first()
        self.pools()

    def pools(self) -> None:
        """Who works with whom for the whole month: kontaktteam helpers and assistants, and the
        nurses attached to each team (temps with a shorter membership are left out)."""
        roles = {i: r for i, r in self.s.exec(select(Staff.id, Staff.roles)).all()}
        rows = self.s.exec(
            select(
                Membership.staff_id,
                Membership.kind,
                Membership.team_id,
                Membership.kontaktteam_id,
                Membership.valid_from,
                Membership.valid_to,
            ).order_by(Membership.staff_id)
        ).all()
        self.helpers: dict[int, list[int]] = {}
        self.assistants: dict[int, list[int]] = {}
        self.nurses: dict[int, list[int]] = {}
        for staff_id, kind, team_id, kt_id, valid_from, valid_to in rows:
            if valid_from > self.first_day or (valid_to is not None and valid_to < self.today):
                continue
            role = roles[staff_id]
            if kind == MembershipKind.TEAM and kt_id is not None:
                if role == Role.HELPER.value:
                    self.helpers.setdefault(kt_id, []).append(staff_id)
                elif role == Role.ASSISTANT.value:
                    self.assistants.setdefault(kt_id, []).append(staff_id)
            elif kind == MembershipKind.BASISTEAM and role == Role.NURSE.value:
                self.nurses.setdefault(team_id, []).append(staff_id)
        self.nurse_ids = {i for i, r in roles.items() if r == Role.NURSE.value}
        self.helper_ids = {i for i, r in roles.items() if r == Role.HELPER.value}

    # --- writing ------------------------------------------------------------------------------

    def write(self) -> None:
        specials = self.specials()
        stories = [self.story(plan, specials.get(plan.citizen.id)) for plan in self.gen.plans]
        changes, visits, measures, dismissals = [], [], [], []
        for story in stories:
            cid = story.plan.citizen.id
            changes += [{"citizen_id": cid, **c} for c in story.changes]
            visits += [(cid, v) for v in sorted(story.visits, key=lambda v: v.at)]
            for m in sorted(story.measures, key=lambda m: m.at):
                measures.append({"citizen_id": cid, **self.vitals(story.plan.citizen, m)})
            dismissals += [{"citizen_id": cid, **d} for d in story.dismissals]
        changes.sort(key=lambda c: (c["set_at"], c["citizen_id"]))
        measures.sort(key=lambda m: (m["at"], m["citizen_id"]))
        visits.sort(key=lambda cv: (cv[1].at, cv[0]))
        self.s.flush()
        bulk_insert(self.s, TriageChange, changes)
        rows = [
            {
                "citizen_id": cid,
                "staff_id": v.staff_id,
                "at": v.at.astimezone(UTC),
                "no_change": not v.items,
                "note": v.note,
            }
            for cid, v in visits
        ]
        ids = (
            self.s.exec(
                insert(Observation)
                .execution_options(render_nulls=True)
                .returning(Observation.id, sort_by_parameter_order=True),
                params=rows,
            )
            .scalars()
            .all()
        )
        entries = [
            {"observation_id": oid, "item_id": self.item_ids[key]}
            for oid, (_, v) in zip(ids, visits, strict=True)
            for key in sorted(v.items)
        ]
        bulk_insert(self.s, ObservationEntry, entries)
        bulk_insert(self.s, TobsMeasurement, measures)
        bulk_insert(self.s, TobsDismissal, dismissals)
        built = self.gen.built
        built.observations, built.tobs = len(rows), len(measures)
        built.colour_changes, built.dismissals = len(changes), len(dismissals)
        # The year of follow-ups reads the month's colour changes and TOBS (triage, repeats).
        self.changes, self.measures = changes, measures

    def specials(self) -> dict[int, str]:
        """Citizens who are waiting for a TOBS today ("open") or whose nudge a nurse dismissed.

        The first kontaktteam (the demo logins' own) always has four waiting and one
        dismissed; elsewhere a few in a hundred."""
        plans = [p for p in self.gen.plans if p.citizen.tobs_applies]
        green = [p for p in plans if p.colour is TriageColour.GREEN]
        first_kt = min(p.citizen.kontaktteam_id for p in self.gen.plans)
        own = [p.citizen.id for p in green if p.citizen.kontaktteam_id == first_kt]
        chosen = self.rng.sample(own, min(5, len(own)))
        specials = dict.fromkeys(chosen[:4], "open")
        specials.update(dict.fromkeys(chosen[4:], "dismissed"))
        for p in green:
            if p.citizen.kontaktteam_id == first_kt:
                continue
            r = self.rng.random()
            if r < 0.03:
                specials[p.citizen.id] = "open"
            elif r < 0.04:
                specials[p.citizen.id] = "dismissed"
        return specials

    # --- one citizen --------------------------------------------------------------------------

    def story(self, plan: CitizenPlan, special: str | None) -> Story:
        """One citizen's month: the colour history and the visits around it, the everyday
        visits, then a TOBS wherever an observation asked for one."""
        rng, c = self.rng, plan.citizen
        st = Story(plan)
        self.st = st
        kt = c.kontaktteam_id
        self.kt_helpers = self.helpers.get(kt, [])
        self.kt_assistants = self.assistants.get(kt, [])
        self.team_nurses = self.nurses.get(c.team_id, []) or sorted(self.nurse_ids)[:1]
        first = c.kontaktperson_id
        if first not in self.kt_assistants and self.kt_assistants:
            first = rng.choice(self.kt_assistants)
        st.changes.append(
            self.change(
                TriageColour.GREEN,
                FIRST_GREEN_REASON,
                first,
                datetime.combine(self.today - timedelta(days=120), time(9, 0), LOCAL),
            )
        )
        if plan.colour is TriageColour.GREEN:
            r = rng.random()
            if r < 0.14:
                self.past_episode(latest_back=self.today - timedelta(days=5))
            elif r < 0.17 and special is None:
                self.open_suggestion()
        elif plan.colour is TriageColour.YELLOW:
            set_at = self.current_set_at(plan.hours)
            if rng.random() < 0.2:
                self.past_episode(latest_back=set_at.date() - timedelta(days=6))
            theme = THEMES[plan.reason]
            self.episode(TriageColour.YELLOW, plan.reason, set_at, plan.setter.id, 0.35)
            st.phases.append((set_at - timedelta(days=theme.lead_days + 1), self.end, 1, theme))
            self.every_few_days(set_at.date() + timedelta(days=2), self.yesterday, 1, theme)
        else:
            self.red(plan)
        for day, noon in self.days:
            self.day(day, noon)
        skip_from = self.end
        if special:
            skip_from = self.special(special)
        if c.tobs_applies:
            self.cover(skip_from)
        else:
            st.measures.clear()
        return st

    def red(self, plan: CitizenPlan) -> None:
        rng, st = self.rng, self.st
        set_at = self.current_set_at(plan.hours)
        reason = plan.reason
        if not plan.citizen.tobs_applies and THEMES[reason].morning_total:
            reason = rng.choice([r for r in RED_REASONS if not THEMES[r].morning_total])
        theme = THEMES[reason]
        nurse = plan.setter.id if plan.setter.id in self.nurse_ids else self.nurse()
        before = set_at - timedelta(days=1)
        if theme.lead_in and rng.random() < 0.6:
            lead = THEMES[theme.lead_in]
            gul_day = set_at.date() - timedelta(days=rng.randint(2, 5))
            gul_at = self.local(gul_day, rng.randint(8 * 60, 15 * 60))
            self.episode(TriageColour.YELLOW, theme.lead_in, gul_at, self.setter(), 0.3)
            st.phases.append((gul_at - timedelta(days=lead.lead_days + 1), before, 1, lead))
            self.every_few_days(gul_day + timedelta(days=2), before.date(), 1, lead)
        else:
            st.phases.append((set_at - timedelta(days=theme.lead_days + 1), before, 1, theme))
        self.episode(TriageColour.RED, reason, set_at, nurse, 0.3)
        st.phases.append((before, self.end, 2, theme))
        day = set_at.date() + timedelta(days=1)
        while day <= self.yesterday:
            at = self.local(day, rng.randint(8 * 60, 15 * 60))
            st.measures.append(Measure(at, self.nurse(), 2, theme))
            day += timedelta(days=1)

    def past_episode(self, latest_back: date) -> None:
        """Grøn -> gul -> grøn some weeks ago."""
        rng, st = self.rng, self.st
        reason = rng.choice(YELLOW_REASONS)
        theme = THEMES[reason]
        length = rng.randint(4, 9)
        set_day = self.today - timedelta(days=rng.randint(12, 26))
        back_day = min(set_day + timedelta(days=length), latest_back)
        if back_day - set_day < timedelta(days=3):
            return
        set_at = self.local(set_day, rng.randint(8 * 60, 15 * 60))
        self.episode(TriageColour.YELLOW, reason, set_at, self.setter(), 0.4)
        back_at = self.local(back_day, rng.randint(9 * 60, 15 * 60))
        st.phases.append((set_at - timedelta(days=theme.lead_days + 1), back_at, 1, theme))
        self.every_few_days(set_day + timedelta(days=2), back_day - timedelta(days=1), 1, theme)
        setter = self.setter()
        measured = back_at - timedelta(minutes=rng.randint(10, 40))
        st.measures.append(Measure(measured, setter, 0, theme))
        st.changes.append(self.change(TriageColour.GREEN, theme.back, setter, back_at))

    def open_suggestion(self) -> None:
        """A helper suggested gul yesterday; no SSA or nurse has set a colour since."""
        rng, st = self.rng, self.st
        theme = THEMES[rng.choice(YELLOW_REASONS)]
        helper = self.helper()
        at = self.local(self.yesterday, rng.randint(8 * 60, 14 * 60))
        st.visits.append(Visit(at, helper, frozenset(theme.main), rng.choice(theme.notes)))
        suggested = at + timedelta(minutes=rng.randint(2, 10))
        st.changes.append(
            self.change(
                TriageColour.YELLOW, theme.suggestion, helper, suggested, ChangeKind.SUGGESTED
            )
        )
        st.measures.append(Measure(at + timedelta(minutes=rng.randint(5, 20)), helper, 1, theme))
        st.phases.append((at, self.end, 1, theme))

    def episode(
        self, colour: TriageColour, reason: str, set_at: datetime, setter: int, suggest: float
    ) -> None:
        """The observations that led to a colour, maybe a helper's suggestion, the TOBS the
        change asks for, and the change itself."""
        rng, st = self.rng, self.st
        theme = THEMES[reason]
        day = set_at.date()
        for n in range(theme.lead_days, 0, -1):
            items = self.theme_items(theme, 0.3, at_least_one=True)
            note = rng.choice(theme.notes) if rng.random() < 0.5 else ""
            st.visits.append(
                Visit(self.visit_time(day - timedelta(days=n)), self.author(), items, note)
            )
        suggested = rng.random() < suggest
        author = self.helper() if suggested else self.author()
        if theme.morning_total and colour is TriageColour.RED:
            measured = self.local(day, 7 * 60 + rng.randint(5, 50))
            key_at = measured - timedelta(minutes=5)
            st.measures.append(Measure(measured, author, 2, theme, theme.morning_total))
        else:
            earliest = self.local(day, 7 * 60)
            key_at = max(set_at - timedelta(minutes=rng.randint(30, 180)), earliest)
        items = frozenset(theme.main) | self.theme_items(theme, 0.4)
        st.visits.append(Visit(key_at, author, items, rng.choice(theme.notes)))
        if suggested:
            at = key_at + timedelta(minutes=rng.randint(2, 10))
            st.changes.append(
                self.change(colour, theme.suggestion, author, at, ChangeKind.SUGGESTED)
            )
        if colour is TriageColour.RED:
            at = set_at - timedelta(minutes=rng.randint(5, 20))
            st.measures.append(Measure(at, setter, 2, theme))
        else:
            at = key_at + timedelta(minutes=rng.randint(5, 20))
            st.measures.append(Measure(at, author, 1, theme))
        st.changes.append(self.change(colour, reason, setter, set_at))

    def every_few_days(self, first: date, last: date, level: int, theme: Theme) -> None:
        day = first
        while day <= last:
            at = self.local(day, self.rng.randint(8 * 60, 16 * 60))
            self.st.measures.append(Measure(at, self.author(), level, theme))
            day += timedelta(days=self.rng.randint(2, 3))

    def day(self, day: date, noon: datetime) -> None:
        """The visits of one day that recorded an observation (most visits do not)."""
        rng, st = self.rng, self.st
        level, theme = st.state(noon)
        if rng.random() >= OBSERVATION_CHANCE[level]:
            return
        times = [self.visit_time(day)]
        if level == 2 and rng.random() < 0.3:
            times = [
                self.local(day, rng.randint(7 * 60, 10 * 60)),
                self.local(day, rng.randint(18 * 60, 21 * 60)),
            ]
        for at in times:
            if any(abs(v.at - at) < timedelta(hours=2) for v in st.visits):
                continue  # the story has an observation at about that time already
            level, theme = st.state(at)
            items, note = frozenset(), ""
            if level == 0:
                if rng.random() < 0.1:
                    keys = list(MINOR_ITEMS)
                    key = rng.choices(keys, weights=[MINOR_ITEMS[k][0] for k in keys])[0]
                    items = frozenset({key})
                    if rng.random() < 0.3:
                        note = rng.choice(MINOR_ITEMS[key][1])
                elif rng.random() < 0.04:
                    note = rng.choice(CALM_NOTES)
            elif rng.random() < (0.65 if level == 1 else 0.9):
                items = self.theme_items(theme, 0.3 if level == 1 else 0.5, at_least_one=True)
                if rng.random() < (0.4 if level == 1 else 0.5):
                    note = rng.choice(theme.notes)
            st.visits.append(Visit(at, self.author(), items, note))

    def special(self, kind: str) -> datetime:
        """An observation of a trigger item with no TOBS since: open, or dismissed by a nurse.
        Returns the time from which the nudge is left alone."""
        rng, st = self.rng, self.st
        if kind == "open":
            at = self.local(self.yesterday, rng.randint(8 * 60, 14 * 60))
            items = {"aendret_adfaerd"}
        else:
            day = self.today - timedelta(days=rng.randint(1, 3))
            at = self.local(day, rng.randint(8 * 60, 13 * 60))
            items = {rng.choice(sorted(DEFAULT_RULE.trigger_items))}
        if rng.random() < 0.3:
            items.add("sover_anderledes")
        note = rng.choice(CHANGED_NOTES) if "aendret_adfaerd" in items else ""
        for v in st.visits:
            if v.at > at:
                v.items, v.note = frozenset(), ""
        st.visits.append(Visit(at, st.plan.citizen.kontaktperson_id, frozenset(items), note))
        quiet_from = at - DEFAULT_RULE.tobs_grace
        st.measures = [m for m in st.measures if m.at < quiet_from]
        if kind == "dismissed":
            st.dismissals.append(
                {
                    "staff_id": self.nurse(),
                    "at": (at + timedelta(minutes=rng.randint(120, 360))).astimezone(UTC),
                    "reason": rng.choice(DISMISSAL_REASONS),
                }
            )
        return quiet_from - timedelta(hours=2)

    def cover(self, skip_from: datetime) -> None:
        """Every observation that asks for a TOBS (the nudge rule, DOMAIN §5) gets one at that
        visit unless one was taken in the 24 hours before; now and then it waited for the next
        planned one. Observations from `skip_from` on are left waiting (see `special`)."""
        st = self.st
        visits = sorted(st.visits, key=lambda v: v.at)
        facts = [(ObservationFact(v.at, v.items), v.staff_id) for v in visits]
        facts_only = [f for f, _ in facts]
        taken = [m.at for m in st.measures]
        dismissed = [d["at"] for d in st.dismissals]
        grace = DEFAULT_RULE.tobs_grace
        for fact, staff_id in facts:
            if fact.at >= skip_from or not triggering(fact, facts_only, DEFAULT_RULE):
                continue
            if any(fact.at - grace <= t <= fact.at + VISIT for t in taken):
                continue
            if any(d >= fact.at for d in dismissed):
                continue
            # Meanwhile the citizen was on the nurse's list "Observationer uden TOBS".
            later = any(fact.at < t <= fact.at + timedelta(hours=30) for t in taken)
            if later and self.rng.random() < 0.3:
                continue
            level, theme = st.state(fact.at)
            who = self.nurse() if level == 2 else staff_id
            at = fact.at + timedelta(minutes=self.rng.randint(3, 25))
            st.measures.append(Measure(at, who, level, theme))
            taken.append(at)

    # --- TOBS values ----------------------------------------------------------------------------

    def vitals(self, c: Citizen, m: Measure) -> dict:
        """Plausible values giving about the total the story needs; the score is computed."""
        rng = self.rng
        if m.total is not None:
            total = m.total
        else:
            totals, weights = TOTALS[m.level]
            total = rng.choices(totals, weights=weights)[0]
        weights = m.theme.weights
        caps = CAPS[m.level]
        points = [0, 0, 0, 0, 0]
        left = total
        while left:
            options = []
            for i, steps in enumerate(STEPS):
                higher = [p for p in steps if points[i] < p <= min(caps[i], points[i] + left)]
                if higher and weights[i]:
                    options.append((i, higher[0], weights[i]))
            if not options:
                break
            i, p, _ = rng.choices(options, weights=[o[2] for o in options])[0]
            left -= p - points[i]
            points[i] = p
        pulse = {
            0: min(88, max(52, (c.habitual_pulse or 72) + rng.randint(-6, 8))),
            1: rng.randint(90, 108),
            2: rng.randint(110, 128),
            3: rng.randint(130, 142),
        }[points[0]]
        respiration = {
            0: min(20, max(12, (c.habitual_respiration or 15) + rng.randint(-1, 3))),
            2: rng.randint(21, 24),
            3: rng.randint(25, 30),
        }[points[1]]
        tenths = {
            0: rng.randint(362, 376),
            1: rng.randint(380, 389),
            2: rng.randint(390, 397),
            3: rng.randint(400, 404),
        }[points[2]]
        method = rng.choices(list(TempMethod), weights=(35, 40, 25))[0]
        temperature = Decimal(tenths).scaleb(-1) - method.correction
        systolic = {
            0: min(190, max(102, (c.habitual_systolic_bp or 130) + rng.randint(-15, 12))),
            1: rng.randint(82, 99),
            2: rng.randint(72, 79),
        }[points[3]]
        consciousness = {
            0: Consciousness.HABITUAL,
            1: rng.choice((Consciousness.AGITATED, Consciousness.VOICE)),
            2: Consciousness.PAIN,
        }[points[4]]
        spo2 = None
        low = m.theme.low_spo2 and m.level >= 1
        if (low and m.total is not None) or rng.random() < (0.5 if m.level == 2 or low else 0.2):
            if low:
                spo2 = rng.randint(86, 91)
            else:
                spo2 = rng.randint(90, 96) if m.level == 2 else rng.randint(93, 99)
        values = {
            "pulse": pulse,
            "respiration": respiration,
            "temperature": temperature,
            "method": method,
            "systolic": systolic,
            "consciousness": consciousness,
        }
        if m.total is None and rng.random() < 0.04:
            missing = rng.choices(
                ("temperature", "systolic", "respiration", "pulse"), (4, 4, 1, 1)
            )[0]
            values[missing] = None
            if missing == "temperature":
                values["method"] = None
        result = score(TobsInput(spo2=spo2, **values))
        if m.total is not None and result.total != m.total:
            raise AssertionError(f"TOBS {result.total}, not {m.total}")
        return {
            "staff_id": m.staff_id,
            "at": m.at.astimezone(UTC),
            "pulse": values["pulse"],
            "respiration": values["respiration"],
            "temperature": values["temperature"],
            "temperature_method": values["method"].value if values["method"] else None,
            "corrected_temperature": result.corrected_temperature,
            "systolic": values["systolic"],
            "consciousness": values["consciousness"].value if values["consciousness"] else None,
            "spo2": spo2,
            "total": result.total,
            "complete": result.complete,
            "any_three": result.any_three,
            "action_version_id": self.version_id,
        }

    # --- small helpers --------------------------------------------------------------------------

    def local(self, day: date, minutes: int) -> datetime:
        return datetime.combine(day, time(minutes // 60, minutes % 60), LOCAL)

    def visit_time(self, day: date) -> datetime:
        """Morning visits are the most frequent; the last ones are in the evening."""
        slot = self.rng.choices(((7, 10), (11, 13), (14, 17), (18, 21)), (50, 20, 15, 15))[0]
        return self.local(day, self.rng.randint(slot[0] * 60, slot[1] * 60 + 30))

    def current_set_at(self, hours: int) -> datetime:
        """The current gul or rød was set 1–4 days ago in the daytime (from the drawn hours)."""
        day = self.today - timedelta(days=1 + hours // 48)
        return self.local(day, 8 * 60 + (hours % 24) * 25)

    def theme_items(self, theme: Theme, extra: float, at_least_one: bool = False) -> frozenset[str]:
        rng = self.rng
        items = set()
        if at_least_one:
            items.update(rng.sample(theme.main, rng.randint(1, len(theme.main))))
        if theme.extra and rng.random() < extra:
            items.add(rng.choice(theme.extra))
        return frozenset(items)

    def change(
        self,
        colour: TriageColour,
        reason: str,
        staff_id: int,
        at: datetime,
        kind: ChangeKind = ChangeKind.SET,
    ) -> dict:
        return {
            "colour": colour.value,
            "reason": reason,
            "set_by_id": staff_id,
            "set_at": at.astimezone(UTC),
            "kind": kind.value,
        }

    def author(self) -> int:
        """Who ticked the observation (or took a routine TOBS): often the kontaktperson, else
        a helper or an assistant of the kontaktteam."""
        kontaktperson = self.st.plan.citizen.kontaktperson_id
        pool = self.kt_helpers + self.kt_assistants
        if not pool or self.rng.random() < 0.45:
            return kontaktperson
        return self.rng.choice(pool)

    def helper(self) -> int:
        kontaktperson = self.st.plan.citizen.kontaktperson_id
        if kontaktperson in self.helper_ids or not self.kt_helpers:
            return kontaktperson
        return self.rng.choice(self.kt_helpers)

    def setter(self) -> int:
        """An SSA of the kontaktteam, now and then a nurse: who sets a colour."""
        if self.kt_assistants and self.rng.random() < 0.8:
            return self.rng.choice(self.kt_assistants)
        return self.nurse()

    def nurse(self) -> int:
        return self.rng.choice(self.team_nurses)


# --- the year of follow-ups (opfølgninger) and weighings ---------------------------------------
#
# Over the 365 days before `today`, and what is open ahead, per citizen: the pathway model's
# milestones (M1–M3 of a pathway that started in the year, the M4 series of a permanent one), a
# monthly weighing for most citizens, now and then a nursing task handed over by a nurse, the
# manual follow-ups staff add; and from the month's history, the triage follow-ups of every new
# gul or rød and the repeats of every complete TOBS 1. Nothing is done from `today` on (the
# month's visits end yesterday too), so what is due today is open. Where a rule of
# webapp.domain.followups or webapp.followups.operations says when, who and what comes next,
# the generator calls it or does the same.

M4_CANCEL_REASONS = ("Borger ønskede ikke samtale", "Indlagt")
WEIGHING_POSTPONE_REASONS = (
    "Udsat: Borgeren var ikke hjemme",
    "Udsat: Borgeren var indlagt",
    "Udsat: Borgeren var for træt til at blive vejet",
)
WEIGHING_CANCEL_REASON = "Borgeren ønskede ikke at blive vejet denne gang"
TOBS_NOT_REPEATED = "Ikke gentaget inden for døgnet"
MANUAL_CANCEL_REASON = "Ikke længere aktuelt"
HANDED_OVER_TASKS = (
    "Øjendråber morgen og aften",
    "Kompressionsstrømper på og af",
    "Insulin efter fast skema",
    "Sårpleje, venstre underben",
    "Medicin fra doseringsæske",
    "Kateterpleje",
    "Inhalationsmedicin morgen og aften",
    "Blodsukkermåling før morgenmad",
    "Stomipleje",
    "Smertesalve på knæ",
    "Væske- og vægtskema",
)
HANDED_OVER_NOTES = (
    "Opgaven løses godt af hjemmeplejen.",
    "Gennemgået med kontaktpersonen; fortsætter uændret.",
    "Instrueret igen i teknikken.",
    "Borgeren er tryg ved ordningen.",
)
MEETING_NOTES = (
    "Samtale holdt med borgeren.",
    "Samtale holdt med borgeren og datteren.",
    "Mål og indsatser gennemgået; uændret plan.",
    "Borgeren ønsker mere hjælp til bad; sendt videre til visitationen.",
)
MANUAL_TITLES = (
    "Ring til datteren om hjælpemidler",
    "Tjek at rollatoren er repareret",
    "Følg op på besøg hos fodterapeut",
    "Bestil nye kompressionsstrømper",
    "Tjek blodtryk efter ny medicin",
    "Følg op på høreapparat",
    "Kontakt egen læge om smertestillende",
    "Se til huden på hælene",
    "Følg op på madordning",
    "Tjek at nødkaldet virker",
    "Aftal tandlægebesøg med sønnen",
    "Følg op på afføring efter ny medicin",
    "Hjælp med at bestille briller",
    "Tjek at der er ernæringsdrikke i køleskabet",
    "Følg op på søvn efter ny seng",
)
#: Shares of citizens with a monthly weighing and with a handed-over nursing task.
WEIGHING_SHARE = 0.6
HANDED_OVER_SHARE = 0.1
#: Citizens who eat or drink little are the likely ones to lose weight.
EATING_REASONS = frozenset({YELLOW_REASONS[0], RED_REASONS[2]})
LOW_APPETITE = frozenset({"Spiser lidt, kræsen", "Får ernæringsdrik"})
#: Manual follow-ups per citizen over the year (low, high), by the current colour.
MANUAL_PER_YEAR = {
    TriageColour.GREEN: (0, 6),
    TriageColour.YELLOW: (2, 8),
    TriageColour.RED: (3, 9),
}
OPEN, DONE, CANCELLED = Status.OPEN.value, Status.DONE.value, Status.CANCELLED.value
#: A loser's weight falls evenly from 105 days before today for 85 days, so the change over
#: 3 months (the latest weighing against one about 3 months earlier) is about the whole loss.
LOSS_STARTS_DAYS_AGO, LOSS_DAYS = 105, 85

#: A TOBS repeat no later TOBS did is still open within this time of its TOBS, else cancelled.
TOBS_REPEAT_OPEN = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Person:
    """What the year reads of a citizen, copied once (ORM attribute reads are slow in bulk)."""

    id: int
    team_id: int
    kontaktperson_id: int
    forloebsansvarlig_id: int | None
    habitual_appetite: str | None
    colour: TriageColour
    reason: str | None
    #: The helpers and assistants of the citizen's kontaktteam.
    pool: tuple[int, ...]


class Year:
    """Writes the year of follow-ups and their weighings, in bulk, from the generator's own
    follow-up stream (`Generator.frng`).

    Owners are the ones the app names: milestones the forløbsansvarlig, else (and in varigt
    moderat) the kontaktperson, as operations.generate_milestones; weighings the kontaktperson;
    handed-over nursing the nurse of the basisteam who handed it over; a new gul's sparring the
    forløbsansvarlig or who set it and a new rød's assessment the assessing nurse, as
    operations.on_colour_set; TOBS repeats who took the TOBS, done by the next TOBS saved,
    as operations.on_tobs_saved. Everyone named sees the citizen today.

    Source of a weighing: Source.MANUAL. Weighing is its own kind, not a milestone of the
    pathway model (Source.MILESTONE means M1–M4); it is an offer someone agreed with the
    citizen and put in place, and every next month's inherits the source as operations.complete
    does.
    """

    def __init__(self, gen: Generator, month: Month):
        self.gen, self.s, self.month = gen, gen.s, month
        self.rng = gen.frng
        self.today = gen.today
        self.first_day = gen.today - timedelta(days=365)
        self.now = datetime.combine(gen.today, time(0, 0), LOCAL)
        self.latest = self.now - timedelta(minutes=1)
        self.rows: list[dict] = []
        #: Row index -> the index of the (cancelled) row it replaces: a postponement.
        self.replaces: dict[int, int] = {}
        self.weighings: list[tuple[int, dict]] = []
        staff = self.s.exec(select(Staff.id, Staff.roles, Staff.full_name, Staff.username)).all()
        self.roles = {i: parse_roles(r) for i, r, _, _ in staff}
        self.names = {i: n for i, _, n, _ in staff}
        logins = {r.value for r in Role}
        self.login = {u: i for i, _, _, u in staff if u in logins}
        columns = (
            Pathway.id,
            Pathway.citizen_id,
            Pathway.type,
            Pathway.started_on,
            Pathway.referred_at,
            Pathway.after_discharge,
        )
        self.people = [self.person(plan) for plan in gen.plans]
        self.pathways = {
            row.citizen_id: row
            for row in self.s.exec(select(*columns).where(Pathway.ended_on.is_(None))).all()  # type: ignore[union-attr]
        }

    # --- writing ------------------------------------------------------------------------------

    def person(self, plan: CitizenPlan) -> Person:
        c = plan.citizen
        kt = c.kontaktteam_id
        pool = self.month.helpers.get(kt, []) + self.month.assistants.get(kt, [])
        return Person(
            id=c.id,  # type: ignore[arg-type]
            team_id=c.team_id,
            kontaktperson_id=c.kontaktperson_id,
            forloebsansvarlig_id=c.forloebsansvarlig_id,
            habitual_appetite=c.habitual_appetite,
            colour=plan.colour,
            reason=plan.reason,
            pool=tuple(pool),
        )

    def write(self) -> None:
        weigh_on, hand_over = self.demo_choices()
        for c in self.people:
            self.pathway_milestones(c)
            self.weighing(c, weigh_on.get(c.id))
            self.handed_over(c, hand_over.get(c.id))
            self.manual(c)
        self.triage()
        self.tobs()
        self.demo_manual()
        self.insert()

    def insert(self) -> None:
        """The follow-ups in the order they were created (ids grow with time, as in use), then
        the weighings, and the postponed weighings' links to their replacements.

        Plain bulk INSERTs: RETURNING in parameter order would be one statement per row on
        SQLite. The ids the links need are read back instead, by the key that is unique among
        a citizen's weighing follow-ups: the due date."""
        before = self.s.exec(select(func.max(FollowUp.id))).one() or 0
        order = sorted(range(len(self.rows)), key=lambda i: (self.rows[i]["created_at"], i))
        bulk_insert(self.s, FollowUp, [self.rows[i] for i in order])
        ids = self.weighing_ids(before)
        weighings = [{**w, "follow_up_id": ids[self.weighing_key(i)]} for i, w in self.weighings]
        weighings.sort(key=lambda w: (w["at"], w["citizen_id"]))
        bulk_insert(self.s, Weighing, weighings)
        links = [
            {"id": ids[self.weighing_key(new)], "replaces_id": ids[self.weighing_key(old)]}
            for new, old in sorted(self.replaces.items())
        ]
        if links:
            self.s.exec(update(FollowUp), params=links)
        self.gen.built.follow_ups, self.gen.built.weighings = len(self.rows), len(weighings)

    def weighing_key(self, i: int) -> tuple[int, date]:
        row = self.rows[i]
        assert row["kind"] == FollowUpKind.WEIGHING.value
        return row["citizen_id"], row["due_date"]

    def weighing_ids(self, after: int) -> dict[tuple[int, date], int]:
        found = self.s.exec(
            select(FollowUp.citizen_id, FollowUp.due_date, FollowUp.id).where(
                FollowUp.id > after, FollowUp.kind == FollowUpKind.WEIGHING.value
            )
        ).all()
        ids = {(cid, due): i for cid, due, i in found}
        assert len(ids) == len(found), "two weighings of a citizen on one day"
        return ids

    def add(
        self,
        citizen_id: int,
        kind: FollowUpKind,
        source: Source,
        title: str,
        due_date: date,
        owner: int,
        created_at: datetime,
        *,
        due_at: datetime | None = None,
        pathway_id: int | None = None,
        created_by: int | None = None,
    ) -> int:
        self.rows.append(
            {
                "citizen_id": citizen_id,
                "kind": kind.value,
                "source": source.value,
                "title": title,
                "due_date": due_date,
                "due_at": due_at.astimezone(UTC) if due_at else None,
                "owner_id": owner,
                "status": OPEN,
                "created_at": min(created_at, self.latest).astimezone(UTC),
                "created_by_id": created_by,
                "pathway_id": pathway_id,
                "replaces_id": None,
                "booked_at": None,
                "done_at": None,
                "done_by_id": None,
                "value": None,
                "note": "",
                "cancel_reason": None,
            }
        )
        return len(self.rows) - 1

    def done(self, i: int, at: datetime, by: int, note: str = "") -> None:
        assert at < self.now, (self.rows[i], at)
        self.rows[i].update(status=DONE, done_at=at.astimezone(UTC), done_by_id=by)
        if note:
            self.rows[i]["note"] = note

    def cancel(self, i: int, reason: str) -> None:
        self.rows[i].update(status=CANCELLED, cancel_reason=reason)

    def done_at(self, i: int) -> datetime:
        return self.rows[i]["done_at"].astimezone(LOCAL)

    # --- how a due follow-up went ---------------------------------------------------------------

    def resolve_dated(
        self,
        i: int,
        due: date,
        by: int,
        earliest: date,
        *,
        late: float,
        overdue: float,
        cancelled: float = 0.0,
        reasons: tuple[str, ...] = (),
        early: int = 3,
        max_late: int = 14,
        recent: int = 21,
        meeting: bool = False,
        notes: tuple[str, ...] = (),
    ) -> tuple[Status, date]:
        """Something due on a day before today: left open (overdue, only when due in the last
        `recent` days), cancelled, done late, or done on time (on the day or up to `early`
        days before, not before `earliest`). Returns the status and the day it was done (the
        due day when it was not)."""
        rng = self.rng
        age = (self.today - due).days
        if age <= recent and rng.random() < overdue:
            return Status.OPEN, due
        r = rng.random()
        if r < cancelled:
            self.cancel(i, rng.choice(reasons))
            return Status.CANCELLED, due
        if r < cancelled + late and age > 1:
            day = due + timedelta(days=rng.randint(1, min(max_late, age - 1)))
        else:
            day = max(due - timedelta(days=rng.randint(0, early)), min(earliest, due))
        at = self.meeting_time(day) if meeting else self.daytime(day)
        note = rng.choice(notes) if notes and rng.random() < 0.35 else ""
        self.done(i, at, by, note)
        if meeting and rng.random() < 0.9:
            self.rows[i]["booked_at"] = self.rows[i]["done_at"]  # the time it was booked for
        return Status.DONE, day

    def resolve_timed(
        self, i: int, start: datetime, due_at: datetime, by: int, *, late: float, overdue: float
    ) -> None:
        """Something due at a time (M1, triage): open while that time is ahead; else done within
        the time, now and then some hours late, or (a few, in the last week) still open."""
        rng = self.rng
        if due_at >= self.now:
            return
        if self.now - due_at <= timedelta(days=7) and rng.random() < overdue:
            return
        at = None
        if rng.random() < late:
            at = due_at + timedelta(minutes=rng.randint(90, 30 * 60))
        if at is None or at >= self.now:
            at = start + (due_at - start) * rng.uniform(0.15, 0.95)
        self.done(i, at, by)

    def book(self, i: int, due: date) -> None:
        """The planner books most meetings of the next two weeks, about half of those within
        the 8 weeks citizens are summoned ahead, and a few further out."""
        days = (due - self.today).days
        chance = 0.85 if days <= 14 else 0.5 if days <= 56 else 0.1
        if self.rng.random() < chance:
            day = max(due - timedelta(days=self.rng.randint(0, 3)), self.today)
            self.rows[i]["booked_at"] = self.meeting_time(day).astimezone(UTC)

    # --- milestones -----------------------------------------------------------------------------

    def pathway_milestones(self, c: Person) -> None:
        p = self.pathways[c.id]
        kind = PathwayType(p.type)
        referred = p.referred_at.astimezone(LOCAL)
        for due in milestones(kind, referred, p.started_on, p.after_discharge, LOCAL):
            owner = c.kontaktperson_id
            if due.owner is OwnerRule.FORLOEBSANSVARLIG and c.forloebsansvarlig_id:
                owner = c.forloebsansvarlig_id
            if due.kind is FollowUpKind.M4:
                self.m4_series(c, p, kind, due, owner)
            elif due.due_date >= self.first_day:
                self.milestone(c, p, due, owner, referred)

    def milestone(self, c: Person, p, due: Due, owner: int, referred: datetime) -> None:
        """M1–M3: created when the referral was registered."""
        created = referred + timedelta(minutes=self.rng.randint(5, 90))
        i = self.add(
            c.id,
            due.kind,
            Source.MILESTONE,
            due.title,
            due.due_date,
            owner,
            created,
            due_at=due.due_at,
            pathway_id=p.id,
        )
        if due.kind is FollowUpKind.M1:
            assert due.due_at is not None
            self.resolve_timed(i, created, due.due_at, owner, late=0.12, overdue=0.06)
        elif due.due_date >= self.today:
            self.book(i, due.due_date)
        else:
            if due.kind is FollowUpKind.M2:
                earliest = referred.date() + timedelta(days=1)
            else:
                earliest = due.due_date - timedelta(days=7)
            self.resolve_dated(
                i,
                due.due_date,
                owner,
                earliest,
                late=0.14,
                overdue=0.07,
                early=3,
                meeting=True,
                notes=MEETING_NOTES,
            )

    def m4_series(self, c: Person, p, kind: PathwayType, first: Due, owner: int) -> None:
        """The follow-up talks: those due in the year (most on time, some late, a few
        cancelled), then the next one, open; each next from next_occurrence."""
        rng = self.rng
        due = first.due_date
        created = p.referred_at.astimezone(LOCAL)
        while True:
            if due >= self.first_day:
                i = self.add(
                    c.id,
                    first.kind,
                    Source.MILESTONE,
                    first.title,
                    due,
                    owner,
                    created,
                    pathway_id=p.id,
                )
                if due >= self.today:
                    self.book(i, due)
                    return
                status, day = self.resolve_dated(
                    i,
                    due,
                    owner,
                    due - timedelta(days=14),
                    late=0.13,
                    overdue=0.05,
                    cancelled=0.05,
                    reasons=M4_CANCEL_REASONS,
                    early=10,
                    max_late=30,
                    recent=30,
                    meeting=True,
                    notes=MEETING_NOTES,
                )
                if status is Status.OPEN:
                    return  # overdue: the next comes when it is held
                created = self.done_at(i) if status is Status.DONE else self.daytime(day)
            else:
                day = due
                created = self.daytime(due)
            following = next_occurrence(FollowUpKind.M4, kind, day, due)
            assert following is not None
            due = following
            created += timedelta(minutes=rng.randint(0, 30))

    # --- weighing -------------------------------------------------------------------------------

    def weighing(self, c: Person, forced: date | None) -> None:
        """A monthly weighing: a slowly drifting weight, for some a loss of 3–8 % over the last
        three months; the next one open in the coming month (or, for a few, overdue).
        `forced`: the demo's weighing, open on that day."""
        rng = self.rng
        if forced is None and rng.random() >= WEIGHING_SHARE:
            return
        base = min(125.0, max(45.0, rng.gauss(71, 13)))
        likely = c.reason in EATING_REASONS or c.habitual_appetite in LOW_APPETITE
        loss = rng.uniform(0.035, 0.075) if rng.random() < (0.25 if likely else 0.04) else 0.0
        # Everyone else drifts by at most 0.4 % a month (under 3 % in three months with the
        # scale's noise), so only the losers show the warning sign.
        drift = 0.0 if loss else base * max(-0.004, min(0.004, rng.gauss(0, 0.0025)))

        losing_from = self.today - timedelta(days=LOSS_STARTS_DAYS_AGO)

        def kg(day: date) -> Decimal:
            w = base + drift * (day - self.first_day).days / 30.4 + rng.gauss(0, 0.2)
            if day > losing_from:
                w -= base * loss * min(1.0, (day - losing_from).days / LOSS_DAYS)
            return Decimal(f"{w:.1f}")

        def weigh(i: int, due: date, earliest: date, late: float) -> date:
            by = c.kontaktperson_id if rng.random() < 0.55 else self.kt_person(c)
            status, day = self.resolve_dated(
                i, due, by, earliest, late=late, overdue=0.0, early=2, max_late=6
            )
            assert status is Status.DONE
            morning = self.local(day, rng.randint(7 * 60 + 30, 11 * 60))  # at the morning visit
            self.rows[i]["done_at"] = morning.astimezone(UTC)
            self.rows[i]["value"] = value = kg(day)
            row = {"citizen_id": c.id, "staff_id": by, "at": self.rows[i]["done_at"], "kg": value}
            self.weighings.append((i, row))
            return day

        owner, title = c.kontaktperson_id, FollowUpKind.WEIGHING.label
        kind, source = FollowUpKind.WEIGHING, Source.MANUAL
        if forced is not None:
            k = 12
            while add_months(forced, -k) < self.first_day:
                k -= 1
            due = add_months(forced, -k)
        else:
            due = self.first_day + timedelta(days=rng.randint(0, 30))
        created, created_by = self.daytime(due - timedelta(days=rng.randint(20, 40))), owner
        while True:
            if forced is not None and due >= forced:
                due = forced
            i = self.add(c.id, kind, source, title, due, owner, created, created_by=created_by)
            created_by = None
            if due >= self.today or due == forced:
                return
            age = (self.today - due).days
            if forced is None and age <= 10 and rng.random() < 0.06:
                return  # overdue: the next comes when this one is done
            r = rng.random() if forced is None else 1.0
            earliest = due - timedelta(days=2)
            if r < 0.03:
                # Postponed a few days (cancelled with the reason, a new one replaces it).
                self.cancel(i, rng.choice(WEIGHING_POSTPONE_REASONS))
                due += timedelta(days=rng.randint(2, 6))
                j = self.add(
                    c.id, kind, source, title, due, owner, self.daytime(self.rows[i]["due_date"])
                )
                self.rows[j]["created_by_id"] = owner
                self.replaces[j] = i
                if due >= self.today:
                    return
                i, earliest = j, due
            elif r < 0.045:
                self.cancel(i, WEIGHING_CANCEL_REASON)
                created, created_by = self.daytime(due + timedelta(days=1)), owner
                due = add_months(due, 1)
                continue
            day = weigh(i, due, earliest, late=0.1)
            following = next_occurrence(kind, None, day, due)
            assert following is not None
            due = add_months(due, 1) if forced is not None else following
            created = self.done_at(i)

    def kt_person(self, c: Person) -> int:
        """A helper or assistant of the citizen's kontaktteam (else the kontaktperson)."""
        return self.rng.choice(c.pool) if c.pool else c.kontaktperson_id

    # --- handed-over nursing --------------------------------------------------------------------

    def handed_over(self, c: Person, forced: tuple[int, int] | None) -> None:
        """A nursing task a nurse of the basisteam handed over, followed up every 4–8 weeks
        since; the last follow-up due in the next two weeks, or done in the last two (a few
        overdue). `forced`: the demo nurse and the day of the last one (days from today)."""
        rng = self.rng
        nurses = self.month.nurses.get(c.team_id, [])
        if forced is None:
            if not nurses or rng.random() >= HANDED_OVER_SHARE:
                return
            nurse = rng.choice(nurses)
            offset = rng.randint(0, 14) if rng.random() < 0.6 else -rng.randint(1, 14)
        else:
            nurse, offset = forced
        task = rng.choice(HANDED_OVER_TASKS)
        dues = [self.today + timedelta(days=offset)]
        for _ in range(rng.randint(0, 6)):
            earlier = dues[-1] - timedelta(days=rng.randint(28, 56))
            if earlier - timedelta(days=28) < self.first_day:
                break
            dues.append(earlier)
        dues.reverse()
        created = self.daytime(dues[0] - timedelta(days=rng.randint(14, 42)))
        title = f"Overdraget: {task}"
        for n, due in enumerate(dues):
            i = self.add(
                c.id,
                FollowUpKind.HANDED_OVER,
                Source.HANDED_OVER,
                title,
                due,
                nurse,
                created,
                created_by=nurse,
            )
            if due >= self.today:
                return
            last = n == len(dues) - 1
            status, _ = self.resolve_dated(
                i,
                due,
                nurse,
                due,
                late=0.12 if forced is None else 0.0,
                overdue=0.1 if last and forced is None else 0.0,
                early=2,
                max_late=7,
                notes=HANDED_OVER_NOTES,
            )
            if status is Status.DONE:
                created = self.done_at(i) + timedelta(minutes=rng.randint(1, 5))

    # --- manual ---------------------------------------------------------------------------------

    def manual(self, c: Person) -> None:
        """What staff add by hand for a citizen: a few a year, more for gul and rød."""
        rng = self.rng
        low, high = MANUAL_PER_YEAR[c.colour]
        span = (self.today + timedelta(days=30) - self.first_day).days
        dues = sorted(
            self.first_day + timedelta(days=rng.randint(0, span))
            for _ in range(rng.randint(low, high))
        )
        for due in dues:
            owner = c.kontaktperson_id if rng.random() < 0.5 else self.kt_person(c)
            creator = owner if rng.random() < 0.6 else self.kt_person(c)
            created = self.daytime(min(due, self.today) - timedelta(days=rng.randint(1, 20)))
            i = self.add(
                c.id,
                FollowUpKind.MANUAL,
                Source.MANUAL,
                rng.choice(MANUAL_TITLES),
                due,
                owner,
                created,
                created_by=creator,
            )
            if due < self.today:
                self.resolve_dated(
                    i,
                    due,
                    owner,
                    created.date() + timedelta(days=1),
                    late=0.12,
                    overdue=0.06,
                    cancelled=0.03,
                    reasons=(MANUAL_CANCEL_REASON,),
                    early=2,
                    max_late=10,
                    recent=14,
                )

    # --- from the month: triage and TOBS ----------------------------------------------------------

    def triage(self) -> None:
        """A new gul: sparring within 48 h; a new rød: a nurse's assessment within 24 h (only
        colours set, not suggested; the first colour counts as from grøn)."""
        changes: dict[int, list[dict]] = {}
        for change in self.month.changes:  # in time order
            if change["kind"] == ChangeKind.SET.value:
                changes.setdefault(change["citizen_id"], []).append(change)
        for c in self.people:
            old = None
            for change in changes.get(c.id, []):
                new = TriageColour(change["colour"])
                due = triage_follow_up(old, new, change["set_at"], LOCAL)
                old = new
                if due is None:
                    continue
                setter = change["set_by_id"]
                if due.kind is FollowUpKind.TRIAGE_NURSE:
                    owner = self.assessing_nurse(c, setter)
                else:
                    owner = c.forloebsansvarlig_id or setter
                set_at = change["set_at"]
                i = self.add(
                    c.id,
                    due.kind,
                    Source.TRIAGE,
                    due.title,
                    due.due_date,
                    owner,
                    set_at,
                    due_at=due.due_at,
                )
                assert due.due_at is not None
                self.resolve_timed(i, set_at, due.due_at, owner, late=0.1, overdue=0.08)

    def assessing_nurse(self, c: Person, setter: int) -> int:
        """As triage.services: the forløbsansvarlig if a nurse, else the nurse who set it, else
        the first nurse of the basisteam by name."""
        if c.forloebsansvarlig_id and Role.NURSE in self.roles[c.forloebsansvarlig_id]:
            return c.forloebsansvarlig_id
        if Role.NURSE in self.roles[setter]:
            return setter
        nurses = self.month.nurses.get(c.team_id, [])
        return min(nurses, key=lambda n: self.names[n]) if nurses else setter

    def tobs(self) -> None:
        """Each complete TOBS 1 asks for three repeats, owned by who took it; every later TOBS
        does the oldest open one (and then starts no series of its own). Repeats no later TOBS
        did are open if their TOBS was in the last 24 hours, else cancelled: never measured."""
        measures: dict[int, list[dict]] = {}
        for m in self.month.measures:  # in time order
            measures.setdefault(m["citizen_id"], []).append(m)
        for c in self.people:
            cid = c.id
            waiting: list[int] = []
            for m in measures.get(cid, []):
                if waiting:
                    self.done(waiting.pop(0), m["at"], m["staff_id"])
                    continue
                for due in tobs_repeats(m["total"], m["complete"], m["at"], LOCAL):
                    waiting.append(
                        self.add(
                            cid,
                            due.kind,
                            Source.TOBS,
                            due.title,
                            due.due_date,
                            m["staff_id"],
                            m["at"],
                            due_at=due.due_at,
                        )
                    )
            for i in waiting:
                if self.rows[i]["created_at"] < self.now - TOBS_REPEAT_OPEN:
                    self.cancel(i, TOBS_NOT_REPEATED)

    # --- the demo logins ------------------------------------------------------------------------

    def demo_choices(self) -> tuple[dict[int, date], dict[int, tuple[int, int]]]:
        """`hjaelper`'s weighings: one due today, one overdue; `sygeplejerske`'s handed-over
        nursing in the first team: due today, in five days, done six days ago."""
        helper, nurse = self.login.get(Role.HELPER.value), self.login.get(Role.NURSE.value)
        weigh_on: dict[int, date] = {}
        hand_over: dict[int, tuple[int, int]] = {}
        if helper is not None:
            own = [c.id for c in self.people if c.kontaktperson_id == helper]
            for cid, days in zip(own, (0, -4), strict=False):
                weigh_on[cid] = self.today + timedelta(days=days)
        if nurse is not None:
            first_team = min(c.team_id for c in self.people)
            team = [c.id for c in self.people if c.team_id == first_team]
            for cid, days in zip(team[2::7], (0, 5, -6), strict=False):
                hand_over[cid] = (nurse, days)
        return weigh_on, hand_over

    def demo_manual(self) -> None:
        """`hjaelper`'s own list: one overdue, several in the next two weeks."""
        helper = self.login.get(Role.HELPER.value)
        if helper is None:
            return
        own = [c for c in self.people if c.kontaktperson_id == helper]
        for n, (days, title) in enumerate(
            (
                (-2, "Ring til datteren om nye kompressionsstrømper"),
                (2, "Tjek at rollatoren er repareret"),
                (6, "Følg op på besøg hos fodterapeut"),
                (11, "Tjek at nødkaldet virker"),
            )
        ):
            c = own[n % len(own)]
            created = self.daytime(self.today - timedelta(days=5 + n))
            self.add(
                c.id,
                FollowUpKind.MANUAL,
                Source.MANUAL,
                title,
                self.today + timedelta(days=days),
                helper,
                created,
                created_by=self.kt_person(c),
            )

    # --- small helpers --------------------------------------------------------------------------

    def local(self, day: date, minutes: int) -> datetime:
        return datetime.combine(day, time(minutes // 60, minutes % 60), LOCAL)

    def daytime(self, day: date) -> datetime:
        return self.local(day, self.rng.randint(8 * 60, 15 * 60 + 30))

    def meeting_time(self, day: date) -> datetime:
        """Meetings are booked on the half hour between 9 and 14.30."""
        return self.local(day, 9 * 60 + 30 * self.rng.randint(0, 11))


def has_data(session: Session) -> bool:
    return session.exec(select(Staff.id).limit(1)).first() is not None


def load(
    session: Session, today: date, size: Size = DEMO, demo_logins: bool = True, seed: int = 2026
) -> Built:
    return Generator(session, size, today, seed).build(demo_logins)
