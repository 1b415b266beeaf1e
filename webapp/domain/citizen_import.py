"""Importing citizens (borgere) from a CSV file an administrator uploads: a plan, row by row, of
what would be created, changed, left unchanged or refused, with Danish reasons. Pure: no Flask,
no database. The caller describes what exists (`CitizenDirectory`) and applies the plan;
nothing is written while any row is refused (`CitizenImportPlan.ok`).

The file is read as the staff import reads it (`webapp.domain.csv_table`: UTF-8, `;` or `,`,
at most 2 MB and 5,000 rows, forgiving header names, so `fødselsdato`, `Forløbstype` and
`TOBS-undtagelse` are understood). One citizen a row, keyed by `borgernr`, the municipality's
own id (never CPR): a re-import updates instead of duplicating.

Required columns: borgernr, navn, foedselsdato, adresse, postnr, by, team, kontaktperson (a
medarbejdernr). Optional: telefon, kontaktteam, forloebsansvarlig, forloebstype, henvendelse,
noter, tobs, tobs_undtagelse, habituel_puls, habituel_blodtryk, habituel_respiration,
habituel_mobilitet, habituel_appetit, habituel_kognition, fra.

An optional column that is not in the file leaves that detail as it is on a known citizen (a
new one gets the default); an empty cell means none (or the default: TOBS ja). Choices where
the rules were silent:

- No `kontaktteam` column keeps the kontaktteam while the team stays; a new team has none.
- No `forloebsansvarlig` column keeps the current one, which is then checked like a named one:
  moving to "varigt moderat" needs the column with an empty cell.
- An empty `forloebstype` on a known citizen keeps the current pathway (an import never ends a
  pathway); a new citizen needs both a forløbstype and a henvendelse.
- `henvendelse` starts a pathway; a citizen who already has one ignores it, with a note, also
  on a forløbsskift (which starts on `fra`).
- `fra` is checked against its window (30 days back, 365 ahead) only where it is used: a new
  citizen, a move (team or kontaktteam) or a forløbsskift. An old file whose `fra` cells have
  passed can be re-imported when nothing moves.
- A move needs a `fra` after the start of the current placement, and no planned move.
- Every row is checked as a whole, also when nothing changes: the kontaktperson and the
  forløbsansvarlig (named or kept) must be active, fit the pathway type (`responsible_errors`)
  and belong to the row's team on the placement day (`fra` for a new or moved citizen, else
  today). A citizen without a pathway needs no forløbsansvarlig; a named one must still be a
  health professional.
- `tobs` is ja/j or nej/n. `tobs_undtagelse` is required when TOBS is nej, refused when it is
  ja, and cleared when TOBS becomes ja.
- `noter`: separated by `;` or `|`, stored as "KOL; demens" (at most 1,000 characters); notes
  that differ only in spacing are unchanged.
- Habitual pulse 20-250, systolic blood pressure 50-300, respiration 4-60 (whole numbers);
  habitual texts at most 200 characters, address 160, city 80.
- A new row whose name (compared as team names are) and birth date equal a citizen who exists
  under no or another borgernr is refused, and so are two such rows in one file.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, timedelta

from webapp.domain.citizens import PathwayType, ResponsibleCheck, responsible_errors
from webapp.domain.csv_table import (
    NONE,
    Action,
    Change,
    Record,
    Table,
    TeamNames,
    and_list,
    date_or_reason,
    external_id,
    format_date,
    full_name,
    name_key,
    phone,
    read_table,
    refuse_repeats,
    row_values,
)
from webapp.domain.dates import is_valid_on
from webapp.domain.roles import Role
from webapp.domain.staff_import import (
    BASISTEAM,
    TEAM,
    ExistingMembership,
    KontaktteamRef,
    TeamRef,
)

REQUIRED_COLUMNS = (
    "borgernr",
    "navn",
    "foedselsdato",
    "adresse",
    "postnr",
    "by",
    "team",
    "kontaktperson",
)
OPTIONAL_COLUMNS = (
    "telefon",
    "kontaktteam",
    "forloebsansvarlig",
    "forloebstype",
    "henvendelse",
    "noter",
    "tobs",
    "tobs_undtagelse",
    "habituel_puls",
    "habituel_blodtryk",
    "habituel_respiration",
    "habituel_mobilitet",
    "habituel_appetit",
    "habituel_kognition",
    "fra",
)

MAX_ADDRESS, MAX_CITY, MAX_TEXT, MAX_NOTES = 160, 80, 200, 1000
EARLIEST_BIRTH = date(1900, 1, 1)
#: How far `fra` may lie from today when it is used.
DAYS_AHEAD, DAYS_BACK = 365, 30

#: (column, WantedCitizen field, label, lowest, highest)
NUMBERS = (
    ("habituel_puls", "habitual_pulse", "Habituel puls", 20, 250),
    ("habituel_blodtryk", "habitual_systolic_bp", "Habituelt blodtryk", 50, 300),
    ("habituel_respiration", "habitual_respiration", "Habituel respiration", 4, 60),
)
#: (column, WantedCitizen field, label)
TEXTS = (
    ("habituel_mobilitet", "habitual_mobility", "Habituel mobilitet"),
    ("habituel_appetit", "habitual_appetite", "Habituel appetit"),
    ("habituel_kognition", "habitual_cognition", "Habituel kognition"),
)

HEADER_ONLY = "Filen har kun overskrifter og ingen borgere."
TOO_MANY_ROWS = "Filen har mere end 5.000 borgere. Del den op i flere filer."
NEW_NEEDS_TYPE = "En ny borger skal have en forløbstype (kolonnen forloebstype)."
NEW_NEEDS_REFERRAL = "En ny borger skal have en henvendelsesdato (kolonnen henvendelse)."
NO_PATHWAY_NEEDS_REFERRAL = (
    "Borgeren har intet forløb: angiv henvendelsesdatoen (kolonnen henvendelse) for at starte det."
)
TOBS_NEEDS_REASON = "TOBS er nej: skriv begrundelsen i kolonnen tobs_undtagelse."
TOBS_REASON_WITHOUT_NO = "TOBS-undtagelse kan kun udfyldes, når TOBS er nej."
PATHWAY_TYPES_TEXT = "enkelt, sammensat, varigt moderat eller varigt betydelig"

POSTCODE = re.compile(r"[0-9]{4}")
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,6}")
NOTE_SEPARATORS = re.compile(r"[;|]")


# --- What exists (given by the caller) ----------------------------------------------------


@dataclass(frozen=True)
class StaffRef:
    """A member of staff who may be named kontaktperson or forløbsansvarlig (give inactive
    ones too: a citizen's current people are shown by name)."""

    id: int
    external_id: str | None
    full_name: str
    roles: frozenset[Role]
    active: bool
    memberships: list[ExistingMembership]

    @property
    def label(self) -> str:
        """ "Mette Holm (M1234)"."""
        return f"{self.full_name} ({self.external_id})" if self.external_id else self.full_name


@dataclass(frozen=True, kw_only=True)
class ExistingCitizen:
    id: int
    external_id: str | None
    full_name: str
    birth_date: date
    street: str
    postcode: str
    city: str
    phone: str | None = None
    key_notes: str = ""
    tobs_applies: bool = True
    tobs_exemption_reason: str | None = None
    habitual_pulse: int | None = None
    habitual_systolic_bp: int | None = None
    habitual_respiration: int | None = None
    habitual_mobility: str | None = None
    habitual_appetite: str | None = None
    habitual_cognition: str | None = None
    #: The placement in force today, and the day it began.
    team_id: int
    kontaktteam_id: int | None = None
    placement_from: date
    kontaktperson_id: int
    forloebsansvarlig_id: int | None = None
    #: The current pathway (`PathwayType` value) and its start; None when there is none.
    pathway_type: str | None = None
    pathway_started_on: date | None = None
    #: The first day of a planned (future) move, if any.
    planned_move_on: date | None = None


@dataclass(frozen=True)
class CitizenDirectory:
    teams: list[TeamRef]
    kontaktteams: list[KontaktteamRef]
    staff: list[StaffRef]
    citizens: list[ExistingCitizen]


# --- The plan -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class WantedCitizen:
    """Every detail of the citizen as the row wants it after the import (on an update: the
    existing value for a column the file does not have). `team_id` and `kontaktteam_id` are
    the placement wanted; when the row plans a `placement`, it takes effect on its
    `valid_from`."""

    external_id: str
    full_name: str
    birth_date: date
    street: str
    postcode: str
    city: str
    phone: str | None = None
    key_notes: str = ""
    tobs_applies: bool = True
    tobs_exemption_reason: str | None = None
    habitual_pulse: int | None = None
    habitual_systolic_bp: int | None = None
    habitual_respiration: int | None = None
    habitual_mobility: str | None = None
    habitual_appetite: str | None = None
    habitual_cognition: str | None = None
    team_id: int
    kontaktteam_id: int | None = None
    kontaktperson_id: int
    forloebsansvarlig_id: int | None = None


CITIZEN_FIELDS = tuple(f.name for f in fields(WantedCitizen))
#: The plain details (all but the people and the placement), labelled as changes show them.
LABELS = {
    "full_name": "Navn",
    "birth_date": "Fødselsdato",
    "street": "Adresse",
    "postcode": "Postnr",
    "city": "By",
    "phone": "Telefon",
    "key_notes": "Noter",
    "tobs_applies": "TOBS",
    "tobs_exemption_reason": "TOBS-undtagelse",
    "habitual_pulse": "Habituel puls",
    "habitual_systolic_bp": "Habituelt blodtryk",
    "habitual_respiration": "Habituel respiration",
    "habitual_mobility": "Habituel mobilitet",
    "habitual_appetite": "Habituel appetit",
    "habitual_cognition": "Habituel kognition",
}
PLAIN_FIELDS = tuple(LABELS)
DEFAULTS: dict[str, object] = {
    f.name: f.default for f in fields(WantedCitizen) if f.default is not MISSING
}


@dataclass(frozen=True)
class WantedPlacement:
    """A new placement from `valid_from` (the one before it ends the day before)."""

    team_id: int
    kontaktteam_id: int | None
    valid_from: date


@dataclass(frozen=True)
class WantedPathway:
    """A pathway to start (new citizen, or one without a pathway); the caller generates the
    milestones from the referral date."""

    type: PathwayType
    referral_date: date


@dataclass(frozen=True)
class WantedPathwayChange:
    """A forløbsskift of the current pathway to `type` on `on`."""

    type: PathwayType
    on: date


@dataclass(frozen=True)
class CitizenRowPlan:
    line: int
    external_id: str
    action: Action
    reasons: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    citizen: WantedCitizen | None = None
    placement: WantedPlacement | None = None
    pathway: WantedPathway | None = None
    pathway_change: WantedPathwayChange | None = None
    existing_id: int | None = None


@dataclass(frozen=True)
class CitizenImportPlan:
    file_errors: list[str]
    rows: list[CitizenRowPlan]

    @property
    def ok(self) -> bool:
        return not self.file_errors and all(r.action != Action.REFUSED for r in self.rows)

    @property
    def counts(self) -> dict[Action, int]:
        return {action: sum(r.action == action for r in self.rows) for action in Action}


# --- Reading one row ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    table: Table
    names: TeamNames
    staff: dict[str, StaffRef]  # by medarbejdernr
    staff_by_id: dict[int, StaffRef]
    today: date


@dataclass
class _Row:
    line: int
    external_id: str
    reasons: list[str]
    #: WantedCitizen fields the file sets (not those whose column is absent).
    given: dict[str, object]
    team_id: int | None = None
    has_kontaktteam: bool = False
    kontaktteam_id: int | None = None
    kontaktperson: StaffRef | None = None
    has_forloebsansvarlig: bool = False
    forloebsansvarlig: StaffRef | None = None
    #: A forløbsansvarlig was named but is not known.
    unknown_forloebsansvarlig: bool = False
    #: The `forloebstype` cell, and its type when it was understood.
    type_text: str = ""
    pathway_type: PathwayType | None = None
    referral: date | None = None
    fra: date = date.min  # `fra`, or today
    #: (name_key(navn), fødselsdato) when both were read: who the row is.
    person: tuple[str, date] | None = None


def _parse_row(record: Record, ctx: _Context) -> _Row:
    values, reasons = row_values(record, ctx.table.columns)
    cell = values.get
    row = _Row(record.line, cell("borgernr", ""), reasons, {})
    external_id(row.external_id, "Borgernr", reasons)
    given = row.given
    given["full_name"] = full_name(cell("navn", ""), reasons)
    given["birth_date"] = _birth_date(cell("foedselsdato", ""), ctx.today, reasons)
    given["street"] = _text(cell("adresse", ""), "Adresse", MAX_ADDRESS, reasons, required=True)
    given["postcode"] = _postcode(cell("postnr", ""), reasons)
    given["city"] = _text(cell("by", ""), "By", MAX_CITY, reasons, required=True)
    if ctx.table.has("telefon"):
        given["phone"] = phone(cell("telefon", ""), reasons)
    if ctx.table.has("noter"):
        given["key_notes"] = _notes(cell("noter", ""), reasons)
    if ctx.table.has("tobs"):
        given["tobs_applies"] = _yes_no(cell("tobs", ""), reasons)
    if ctx.table.has("tobs_undtagelse"):
        reason = _text(cell("tobs_undtagelse", ""), "TOBS-undtagelse", MAX_TEXT, reasons)
        given["tobs_exemption_reason"] = reason
    for column, name, label, low, high in NUMBERS:
        if ctx.table.has(column):
            given[name] = _number(cell(column, ""), label, low, high, reasons)
    for column, name, label in TEXTS:
        if ctx.table.has(column):
            given[name] = _text(cell(column, ""), label, MAX_TEXT, reasons)
    if full := given["full_name"]:
        row.person = (name_key(full), given["birth_date"]) if given["birth_date"] else None
    _read_placement(row, values, ctx)
    _read_people(row, values, ctx)
    _read_pathway(row, values, ctx.today)
    return row


def _text(
    text: str, label: str, limit: int, reasons: list[str], required: bool = False
) -> str | None:
    text = " ".join(text.split())
    if required and not text:
        reasons.append(f"{label} mangler.")
    elif len(text) > limit:
        reasons.append(f"{label} må højst have {limit} tegn.")
    return text or None


def _birth_date(text: str, today: date, reasons: list[str]) -> date | None:
    if not text:
        reasons.append("Fødselsdato mangler.")
        return None
    born = date_or_reason(text, "Fødselsdatoen", reasons)
    if born and born > today:
        reasons.append(f"Fødselsdatoen {format_date(born)} ligger i fremtiden.")
    elif born and born < EARLIEST_BIRTH:
        reasons.append(f"Fødselsdatoen {format_date(born)} ligger før 1900.")
    return born


def _postcode(text: str, reasons: list[str]) -> str:
    if not text:
        reasons.append("Postnr mangler.")
    elif not POSTCODE.fullmatch(text):
        reasons.append(f"Postnr {text} skal være fire cifre.")
    return text


def _notes(text: str, reasons: list[str]) -> str:
    """ "KOL;demens | ilt" is stored "KOL; demens; ilt"."""
    notes = "; ".join(n for n in (" ".join(p.split()) for p in NOTE_SEPARATORS.split(text)) if n)
    if len(notes) > MAX_NOTES:
        reasons.append(f"Noter må højst have {MAX_NOTES} tegn.")
    return notes


YES_NO = {"ja": True, "j": True, "nej": False, "n": False}


def _yes_no(text: str, reasons: list[str]) -> bool | None:
    if not text:
        return True
    if (value := YES_NO.get(name_key(text))) is None:
        reasons.append(f"TOBS skal være ja eller nej, ikke {text}.")
    return value


def _number(text: str, label: str, low: int, high: int, reasons: list[str]) -> int | None:
    if not text:
        return None
    if not WHOLE_NUMBER.fullmatch(text):
        reasons.append(f"{label} skal være et helt tal, ikke {text}.")
        return None
    number = int(text)
    if not low <= number <= high:
        reasons.append(f"{label} skal være mellem {low} og {high}, ikke {number}.")
    return number


def _read_placement(row: _Row, values: dict[str, str], ctx: _Context) -> None:
    team = values.get("team", "")
    if not team:
        row.reasons.append("Team mangler.")
    else:
        row.team_id = ctx.names.team(team, row.reasons)
    row.has_kontaktteam = ctx.table.has("kontaktteam")
    kontaktteam = values.get("kontaktteam", "")
    if kontaktteam and row.team_id is not None:
        row.kontaktteam_id = ctx.names.kontaktteam(row.team_id, kontaktteam, row.reasons)


def _read_people(row: _Row, values: dict[str, str], ctx: _Context) -> None:
    number = values.get("kontaktperson", "")
    if not number:
        row.reasons.append("Kontaktperson mangler.")
    else:
        row.kontaktperson = _staff(number, "kontaktperson", "Kontaktpersonen", ctx, row.reasons)
    row.has_forloebsansvarlig = ctx.table.has("forloebsansvarlig")
    if number := values.get("forloebsansvarlig", ""):
        row.forloebsansvarlig = _staff(
            number, "forløbsansvarlig", "Den forløbsansvarlige", ctx, row.reasons
        )
        row.unknown_forloebsansvarlig = row.forloebsansvarlig is None


def _staff(
    number: str, role: str, subject: str, ctx: _Context, reasons: list[str]
) -> StaffRef | None:
    """The medarbejdernr's person (also when inactive, with a reason), or None."""
    person = ctx.staff.get(number)
    if person is None:
        reasons.append(f"Ukendt {role}: ingen medarbejder har medarbejdernr {number}.")
    elif not person.active:
        reasons.append(f"{subject} {person.label} er ikke aktiv.")
    return person


def _pathway_words(text: str) -> str:
    return " ".join(name_key(text).replace("_", " ").replace("-", " ").split())


PATHWAY_WORDS: dict[str, PathwayType] = {
    _pathway_words(text): kind for kind in PathwayType for text in (kind.value, kind.label)
}


def _read_pathway(row: _Row, values: dict[str, str], today: date) -> None:
    row.type_text = values.get("forloebstype", "")
    if row.type_text:
        row.pathway_type = PATHWAY_WORDS.get(_pathway_words(row.type_text))
        if row.pathway_type is None:
            row.reasons.append(f"Ukendt forløbstype: {row.type_text}. Brug {PATHWAY_TYPES_TEXT}.")
    row.referral = date_or_reason(values.get("henvendelse", ""), "Henvendelsesdatoen", row.reasons)
    if row.referral and row.referral > today:
        row.reasons.append(f"Henvendelsesdatoen {format_date(row.referral)} ligger i fremtiden.")
    row.fra = date_or_reason(values.get("fra", ""), "Fra-datoen", row.reasons) or today


# --- Whole-file checks ----------------------------------------------------------------------


def _refuse_same_person(rows: list[_Row]) -> None:
    """Two rows with another borgernr but the same name and birth date are refused both."""
    groups: dict[tuple[str, date], list[_Row]] = defaultdict(list)
    for row in rows:
        if row.person:
            groups[row.person].append(row)
    for group in groups.values():
        for row in group:
            others = [str(o.line) for o in group if o.external_id != row.external_id]
            if others:
                row.reasons.append(
                    "En anden borger med samme navn og fødselsdato står i linje "
                    f"{and_list(others)}."
                )


# --- Planning -------------------------------------------------------------------------------


def plan_citizen_import(
    text: str, directory: CitizenDirectory | Callable[[], CitizenDirectory], today: date
) -> CitizenImportPlan:
    """The plan. `directory` may be a function that reads it: it is called only when the file
    itself is readable (a file that is too long is refused without reading the database)."""
    table, errors = read_table(
        text,
        REQUIRED_COLUMNS,
        OPTIONAL_COLUMNS,
        header_only=HEADER_ONLY,
        too_many_rows=TOO_MANY_ROWS,
    )
    if table is None:
        return CitizenImportPlan(errors, [])
    if callable(directory):
        directory = directory()
    ctx = _Context(
        table,
        TeamNames(directory.teams, directory.kontaktteams),
        {s.external_id: s for s in directory.staff if s.external_id},
        {s.id: s for s in directory.staff},
        today,
    )
    rows = [_parse_row(record, ctx) for record in table.records]
    refuse_repeats(rows, "external_id", "Borgernr {value} står også i linje {lines}.")
    _refuse_same_person(rows)
    known = {c.external_id: c for c in directory.citizens if c.external_id}
    people: dict[tuple[str, date], list[ExistingCitizen]] = defaultdict(list)
    for citizen in directory.citizens:
        people[(name_key(citizen.full_name), citizen.birth_date)].append(citizen)
    plans = []
    for row in rows:
        existing = known.get(row.external_id)
        if existing is None and row.person and row.external_id:
            _refuse_known_person(row, people.get(row.person, []))
        plans.append(_Planner(row, existing, ctx).plan())
    return CitizenImportPlan([], plans)


def _refuse_known_person(row: _Row, same: list[ExistingCitizen]) -> None:
    for citizen in same:
        who = f"{citizen.full_name}, født {format_date(citizen.birth_date)}"
        if citizen.external_id is None:
            row.reasons.append(
                f"Der findes allerede en borger med samme navn og fødselsdato ({who}) uden "
                f"borgernr. Er det samme borger, skal den borger have borgernr "
                f"{row.external_id}, før filen indlæses."
            )
        else:
            row.reasons.append(
                f"Der findes allerede en borger med samme navn og fødselsdato ({who}) med "
                f"borgernr {citizen.external_id}. Er det samme borger, så brug det borgernr "
                "i filen."
            )


class _Planner:
    """One row against the citizen it updates (None: a new citizen)."""

    def __init__(self, row: _Row, existing: ExistingCitizen | None, ctx: _Context):
        self.row, self.existing, self.ctx = row, existing, ctx
        self.reasons, self.notes = row.reasons, []
        self.current = (
            PathwayType(existing.pathway_type) if existing and existing.pathway_type else None
        )

    def plan(self) -> CitizenRowPlan:
        row, existing = self.row, self.existing
        values = self._values()
        kontaktteam_id = self._kontaktteam_id()
        # A move: a new citizen's first placement, or another team or kontaktteam.
        moves = existing is None or (
            row.team_id is not None
            and (row.team_id, kontaktteam_id) != (existing.team_id, existing.kontaktteam_id)
        )
        if moves and existing is not None:
            self._check_move()
        pathway, change = self._pathway()
        if moves or change is not None:
            self._check_fra()
        forloebsansvarlig, unknown = self._forloebsansvarlig()
        self._check_people(forloebsansvarlig, unknown, row.fra if moves else self.ctx.today)
        self._check_tobs(values)
        if self.reasons:
            return CitizenRowPlan(row.line, row.external_id, Action.REFUSED, reasons=self.reasons)
        citizen = WantedCitizen(
            **values,
            external_id=row.external_id,
            team_id=row.team_id,
            kontaktteam_id=kontaktteam_id,
            kontaktperson_id=row.kontaktperson.id,
            forloebsansvarlig_id=forloebsansvarlig.id if forloebsansvarlig else None,
        )
        placement = WantedPlacement(row.team_id, kontaktteam_id, row.fra) if moves else None
        if existing is None:
            action, changes = Action.CREATE, []
        else:
            changes = self._changes(citizen, placement, pathway, change)
            action = Action.UPDATE if changes else Action.UNCHANGED
        return CitizenRowPlan(
            row.line,
            row.external_id,
            action,
            changes=changes,
            notes=self.notes,
            citizen=citizen,
            placement=placement,
            pathway=pathway,
            pathway_change=change,
            existing_id=existing.id if existing else None,
        )

    # --- Details ----------------------------------------------------------------------------

    def _values(self) -> dict[str, object]:
        """The plain details: the existing ones (or the defaults), then the file's."""
        existing = self.existing
        if existing is None:
            return {f: DEFAULTS[f] for f in PLAIN_FIELDS if f in DEFAULTS} | self.row.given
        values = {f: getattr(existing, f) for f in PLAIN_FIELDS} | self.row.given
        if _notes(existing.key_notes, []) == values["key_notes"]:
            values["key_notes"] = existing.key_notes  # only the spacing differs
        return values

    def _kontaktteam_id(self) -> int | None:
        if self.row.has_kontaktteam:
            return self.row.kontaktteam_id
        existing = self.existing
        return (
            existing.kontaktteam_id if existing and existing.team_id == self.row.team_id else None
        )

    def _forloebsansvarlig(self) -> tuple[StaffRef | None, bool]:
        """The forløbsansvarlig named in the file or kept, and whether one is named but not
        known."""
        row, existing = self.row, self.existing
        if row.has_forloebsansvarlig or existing is None:
            return row.forloebsansvarlig, row.unknown_forloebsansvarlig
        kept = existing.forloebsansvarlig_id
        person = self.ctx.staff_by_id.get(kept) if kept is not None else None
        if kept is not None and person is None:
            self.reasons.append(
                f"Borgerens forløbsansvarlige (medarbejder {kept}) findes ikke; angiv en ny i "
                "kolonnen forloebsansvarlig."
            )
        elif person is not None and not person.active:
            self.reasons.append(f"Den forløbsansvarlige {person.label} er ikke aktiv.")
        return person, kept is not None and person is None

    def _check_tobs(self, values: dict[str, object]) -> None:
        applies = values["tobs_applies"]
        if applies is None:  # unreadable: already refused
            return
        if applies:
            if self.row.given.get("tobs_exemption_reason"):
                self.reasons.append(TOBS_REASON_WITHOUT_NO)
            values["tobs_exemption_reason"] = None
        elif not values["tobs_exemption_reason"]:
            self.reasons.append(TOBS_NEEDS_REASON)

    # --- Placement and pathway ----------------------------------------------------------------

    def _check_move(self) -> None:
        existing, fra = self.existing, self.row.fra
        if existing.planned_move_on is not None:
            self.reasons.append(
                "Borgeren har allerede en planlagt flytning den "
                f"{format_date(existing.planned_move_on)}. Annullér den først på borgerens side."
            )
        if fra <= existing.placement_from:
            place = self._place(existing.team_id, existing.kontaktteam_id)
            self.reasons.append(
                f"Den nuværende placering ({place}) begynder "
                f"{format_date(existing.placement_from)}; flytningen skal have en fra-dato "
                f"efter den dag, ikke {format_date(fra)}."
            )

    def _check_fra(self) -> None:
        fra, today = self.row.fra, self.ctx.today
        if fra > today + timedelta(days=DAYS_AHEAD):
            self.reasons.append(
                f"Fra-datoen {format_date(fra)} ligger mere end et år frem (senest "
                f"{format_date(today + timedelta(days=DAYS_AHEAD))})."
            )
        elif fra < today - timedelta(days=DAYS_BACK):
            self.reasons.append(
                f"Fra-datoen {format_date(fra)} ligger mere end {DAYS_BACK} dage tilbage "
                f"(tidligst {format_date(today - timedelta(days=DAYS_BACK))})."
            )

    def _pathway(self) -> tuple[WantedPathway | None, WantedPathwayChange | None]:
        row, existing, wanted = self.row, self.existing, self.row.pathway_type
        if existing is None:
            if not row.type_text:
                self.reasons.append(NEW_NEEDS_TYPE)
            if row.referral is None:
                self.reasons.append(NEW_NEEDS_REFERRAL)
            return self._start(wanted)
        if self.current is None:
            if wanted is not None and row.referral is None:
                self.reasons.append(NO_PATHWAY_NEEDS_REFERRAL)
            return self._start(wanted)
        if row.referral is not None:
            self.notes.append(
                f"Henvendelsesdatoen {format_date(row.referral)} ignoreres: den bruges kun, når "
                "et forløb begynder, og borgeren har allerede et."
            )
        if wanted is None or wanted == self.current:
            return None, None
        started = existing.pathway_started_on
        if started is not None and row.fra < started:
            self.reasons.append(
                f"Forløbsskiftet den {format_date(row.fra)} ligger før det nuværende forløb "
                f"begyndte ({format_date(started)})."
            )
        return None, WantedPathwayChange(wanted, row.fra)

    def _start(self, wanted: PathwayType | None) -> tuple[WantedPathway | None, None]:
        if wanted is None or self.row.referral is None:
            return None, None
        return WantedPathway(wanted, self.row.referral), None

    # --- People -------------------------------------------------------------------------------

    def _check_people(self, forloebsansvarlig: StaffRef | None, unknown: bool, day: date) -> None:
        row = self.row
        kontaktperson = row.kontaktperson
        type_unread = bool(row.type_text) and row.pathway_type is None
        pathway = row.pathway_type or self.current
        if kontaktperson is not None and not unknown and not type_unread:
            self.reasons += responsible_errors(
                ResponsibleCheck(
                    _check_type(pathway, forloebsansvarlig),
                    kontaktperson.roles,
                    forloebsansvarlig.roles if forloebsansvarlig else None,
                )
            )
        if row.team_id is None:
            return
        team, when = self.ctx.names.team_name[row.team_id], format_date(day)
        if kontaktperson is not None and not _member(kontaktperson, row.team_id, day, {TEAM}):
            self.reasons.append(
                f"Kontaktpersonen {kontaktperson.label} er ikke medlem af {team} den {when}."
            )
        if (
            forloebsansvarlig is not None
            and pathway is not PathwayType.PERMANENT_MODERATE
            and not _member(forloebsansvarlig, row.team_id, day, {TEAM, BASISTEAM})
        ):
            self.reasons.append(
                f"Den forløbsansvarlige {forloebsansvarlig.label} er hverken medlem af {team} "
                f"eller knyttet til det som basisteam den {when}."
            )

    # --- Changes ------------------------------------------------------------------------------

    def _changes(
        self,
        citizen: WantedCitizen,
        placement: WantedPlacement | None,
        pathway: WantedPathway | None,
        change: WantedPathwayChange | None,
    ) -> list[Change]:
        existing, changes = self.existing, []
        for name, label in LABELS.items():
            before, after = getattr(existing, name), getattr(citizen, name)
            if before != after:
                changes.append(Change(label, _show(before), _show(after)))
        if placement is not None:
            since = f" (fra {format_date(placement.valid_from)})"
            names = self.ctx.names
            if placement.team_id != existing.team_id:
                before = names.team_name.get(existing.team_id, f"team {existing.team_id}")
                changes.append(Change("Team", before, names.team_name[placement.team_id] + since))
            if placement.kontaktteam_id != existing.kontaktteam_id:
                before, after = existing.kontaktteam_id, placement.kontaktteam_id
                changes.append(
                    Change(
                        "Kontaktteam", self._kontaktteam(before), self._kontaktteam(after) + since
                    )
                )
        for label, before, after in (
            ("Kontaktperson", existing.kontaktperson_id, citizen.kontaktperson_id),
            ("Forløbsansvarlig", existing.forloebsansvarlig_id, citizen.forloebsansvarlig_id),
        ):
            if before != after:
                changes.append(Change(label, self._person(before), self._person(after)))
        if pathway is not None:
            after = f"{pathway.type.label} (henvendelse {format_date(pathway.referral_date)})"
            changes.append(Change("Forløbstype", NONE, after))
        if change is not None:
            after = f"{change.type.label} (fra {format_date(change.on)})"
            changes.append(Change("Forløbstype", self.current.label, after))
        return changes

    def _place(self, team_id: int, kontaktteam_id: int | None) -> str:
        text = self.ctx.names.team_name.get(team_id, f"team {team_id}")
        return f"{text} / {self._kontaktteam(kontaktteam_id)}" if kontaktteam_id else text

    def _kontaktteam(self, kontaktteam_id: int | None) -> str:
        if kontaktteam_id is None:
            return NONE
        return self.ctx.names.kontaktteam_name.get(kontaktteam_id, f"kontaktteam {kontaktteam_id}")

    def _person(self, staff_id: int | None) -> str:
        if staff_id is None:
            return NONE
        person = self.ctx.staff_by_id.get(staff_id)
        return person.label if person else f"medarbejder {staff_id}"


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, date):
        return format_date(value)
    return NONE if value is None or value == "" else str(value)


def _check_type(pathway: PathwayType | None, forloebsansvarlig: StaffRef | None) -> PathwayType:
    """The type the responsible people are checked for. Without a pathway no forløbsansvarlig
    is needed (checked as varigt moderat), but one who is named must still be a health
    professional (checked as sammensat)."""
    if pathway is not None:
        return pathway
    return PathwayType.COMPOSITE if forloebsansvarlig else PathwayType.PERMANENT_MODERATE


def _member(person: StaffRef, team_id: int, day: date, kinds: set[str]) -> bool:
    return any(
        m.kind in kinds and m.team_id == team_id and is_valid_on(m.valid_from, m.valid_to, day)
        for m in person.memberships
    )
