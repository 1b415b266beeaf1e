"""Deterministic, fictitious organisation data: the demo (one area) and the Aarhus-scale
benchmark database (seven areas) come from the same generator with different sizes."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from webapp.auth.passwords import hash_password
from webapp.domain.citizens import PathwayType, ResponsibleCheck, TriageColour, responsible_errors
from webapp.domain.roles import Role, format_roles
from webapp.models import (
    Area,
    Citizen,
    HealthUnit,
    Kontaktteam,
    Membership,
    MembershipKind,
    Pathway,
    Staff,
    Team,
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
        self.s.flush()
        valid_to = target.pop("valid_to", None)
        valid_from = target.pop("valid_from", self.long_ago)
        self.s.add(
            Membership(
                staff_id=person.id,
                kind=kind,
                valid_from=valid_from,
                valid_to=valid_to,
                **target,
            )
        )

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
        if demo_logins:
            self.demo_logins()
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
        self.s.flush()
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
        self.s.flush()
        self.built.citizens += 1
        self.pathway(citizen, pathway)
        self.triage(citizen, kontaktperson, assistants + nurses)

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
        self.s.add(
            Pathway(
                citizen_id=citizen.id, type=kind.value, referral_date=referral, started_on=started
            )
        )

    def triage(self, citizen: Citizen, kontaktperson: Staff, professionals: list[Staff]) -> None:
        start = datetime.combine(self.today - timedelta(days=120), time(9, 0), LOCAL)
        self.s.add(
            TriageChange(
                citizen_id=citizen.id,
                colour=TriageColour.GREEN.value,
                reason="Borgeren er i sin vanlige tilstand",
                set_by_id=kontaktperson.id,
                set_at=start,
            )
        )
        colour = self.rng.choices(list(TriageColour), weights=(68, 21, 11))[0]
        if colour is not TriageColour.GREEN:
            reasons = YELLOW_REASONS if colour is TriageColour.YELLOW else RED_REASONS
            hours = self.rng.randint(2, 24 * 6)
            set_at = datetime.combine(self.today, time(8, 0), LOCAL) - timedelta(hours=hours)
            self.s.add(
                TriageChange(
                    citizen_id=citizen.id,
                    colour=colour.value,
                    reason=self.rng.choice(reasons),
                    set_by_id=self.rng.choice(professionals).id,
                    set_at=set_at,
                )
            )
        citizen.triage_colour = colour.value

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


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _slice(people: list, index: int, parts: int) -> list:
    size = max(1, len(people) // parts)
    chunk = people[index * size : (index + 1) * size]
    return chunk or people[-size:]


def has_data(session: Session) -> bool:
    return session.exec(select(Staff.id).limit(1)).first() is not None


def load(
    session: Session, today: date, size: Size = DEMO, demo_logins: bool = True, seed: int = 2026
) -> Built:
    return Generator(session, size, today, seed).build(demo_logins)
