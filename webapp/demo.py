"""Deterministic, fictitious organisation data: the demo (one area) and the Aarhus-scale
benchmark database (seven areas) come from the same generator with different sizes.

Besides the organisation and the citizens, the generator writes the month before `today`:
hverdagsobservationer, TOBS measurements, colour changes (set and suggested) and a few nurses'
dismissals of the observation->TOBS nudge, so every screen has a realistic history to show.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel import Session, select

from webapp.auth.passwords import hash_password
from webapp.domain.citizens import PathwayType, ResponsibleCheck, TriageColour, responsible_errors
from webapp.domain.nudge import DEFAULT_RULE, ObservationFact, triggering
from webapp.domain.roles import Role, format_roles
from webapp.domain.tobs import Consciousness, TempMethod, TobsInput, score
from webapp.domain.triage import ChangeKind
from webapp.models import (
    Area,
    Citizen,
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
)

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
        rows = [{"citizen_id": citizen.id, **row} for citizen, row in self.pathways]
        bulk_insert(self.s, Pathway, rows)
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
        Month(self).write()
        self.s.flush()
        return self.built

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
        self.pathways.append(
            (citizen, {"type": kind.value, "referral_date": referral, "started_on": started})
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
                citizen.forloebsansvarlig_id = nurse.id


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


def has_data(session: Session) -> bool:
    return session.exec(select(Staff.id).limit(1)).first() is not None


def load(
    session: Session, today: date, size: Size = DEMO, demo_logins: bool = True, seed: int = 2026
) -> Built:
    return Generator(session, size, today, seed).build(demo_logins)
