"""Importing staff from a CSV file an administrator uploads: a plan, row by row, of what would
be created, changed, left unchanged or refused, with Danish reasons. Pure: no Flask, no
database. The caller describes what exists (`Directory`) and applies the plan; nothing is
written while any row is refused (`ImportPlan.ok`).

The file: UTF-8, `;` or `,` between fields (sniffed from the header line; `;` wins), one
person a row, keyed by `medarbejdernr` (the municipality's own id). Memberships are
date-effective (DOMAIN §2): a changed team starts on `fra`, and the membership it replaces ends
the day before; nothing is ever deleted.

Optional detail columns that are not in the file at all leave that detail as it is: no
`telefon` column keeps each person's phone, no `kontaktteam` column keeps the kontaktteam
within the same team, no `basisteams` column leaves basisteam attachments alone. An empty
cell in a column that is there means "none".

Reading the file, and what the citizen import shares with this one: `webapp.domain.csv_table`.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

# Names imported `as` themselves are re-exported: the admin views and tests use them.
from webapp.domain.csv_table import DAY_MONTH_YEAR as DAY_MONTH_YEAR
from webapp.domain.csv_table import EMPTY_FILE as EMPTY_FILE
from webapp.domain.csv_table import EXTERNAL_ID as EXTERNAL_ID
from webapp.domain.csv_table import ISO_DATE as ISO_DATE
from webapp.domain.csv_table import MAX_BYTES as MAX_BYTES
from webapp.domain.csv_table import MAX_ROWS as MAX_ROWS
from webapp.domain.csv_table import (
    NONE,
    Action,
    Change,
    Record,
    Table,
    TeamNames,
    format_date,
    read_table,
    refuse_repeats,
    row_values,
)
from webapp.domain.csv_table import PHONE as PHONE
from webapp.domain.csv_table import STRAY_CELLS as STRAY_CELLS
from webapp.domain.csv_table import TOO_BIG as TOO_BIG
from webapp.domain.csv_table import by_key as _by_key
from webapp.domain.csv_table import date_or_reason as _date
from webapp.domain.csv_table import external_id as _external_id
from webapp.domain.csv_table import full_name as _full_name
from webapp.domain.csv_table import name_key as _key
from webapp.domain.csv_table import parse_date as parse_date
from webapp.domain.csv_table import phone as _phone
from webapp.domain.csv_table import pick as _pick
from webapp.domain.dates import is_valid_on
from webapp.domain.roles import Role

#: Temps and students get an end date by default (DOMAIN §1): this many days after `fra`.
DEFAULT_TEMP_DAYS = 90

#: Membership kinds: the same strings as `webapp.models.MembershipKind`.
TEAM, BASISTEAM, HEALTH_UNIT = "team", "basisteam", "sundhedsenhed"

REQUIRED_COLUMNS = ("medarbejdernr", "navn", "brugernavn", "roller")
OPTIONAL_COLUMNS = (
    "telefon",
    "team",
    "kontaktteam",
    "sundhedsenhed",
    "basisteams",
    "fra",
    "til",
    "ansaettelse",
)

HEADER_ONLY = "Filen har kun overskrifter og ingen medarbejdere."
TOO_MANY_ROWS = "Filen har mere end 5.000 medarbejdere. Del den op i flere filer."
NEEDS_PLACE = "Angiv team eller sundhedsenhed."
KONTAKTTEAM_NEEDS_TEAM = "Kontaktteam kræver et team."
BASISTEAMS_NEED_UNIT = "Basisteams kræver en sundhedsenhed."

USERNAME = re.compile(r"[a-z0-9._-]{3,80}")


class Employment(StrEnum):
    PERMANENT = "fast"
    TEMP = "vikar"
    STUDENT = "elev"


# --- What exists (given by the caller) ----------------------------------------------------


@dataclass(frozen=True)
class TeamRef:
    id: int
    name: str


@dataclass(frozen=True)
class KontaktteamRef:
    id: int
    team_id: int
    name: str


@dataclass(frozen=True)
class UnitRef:
    id: int
    name: str


@dataclass(frozen=True)
class ExistingMembership:
    kind: str
    team_id: int | None
    kontaktteam_id: int | None
    health_unit_id: int | None
    valid_from: date
    valid_to: date | None
    #: The database row's id, if the caller wants it back in `EndMembership.membership`.
    id: int | None = None


@dataclass(frozen=True)
class ExistingStaff:
    id: int
    external_id: str | None
    username: str
    full_name: str
    phone: str | None
    roles: frozenset[Role]
    active: bool
    memberships: list[ExistingMembership]


@dataclass(frozen=True)
class Directory:
    teams: list[TeamRef]
    kontaktteams: list[KontaktteamRef]
    health_units: list[UnitRef]
    staff: list[ExistingStaff]


# --- The plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WantedStaff:
    external_id: str
    full_name: str
    username: str
    phone: str | None
    roles: frozenset[Role]
    active: bool = True

    def __repr__(self) -> str:
        # Sorted roles: the same plan has the same repr in every process (hash seeds differ).
        roles = sorted(role.value for role in self.roles)
        return (
            f"WantedStaff(external_id={self.external_id!r}, full_name={self.full_name!r}, "
            f"username={self.username!r}, phone={self.phone!r}, roles={roles!r}, "
            f"active={self.active!r})"
        )


@dataclass(frozen=True)
class WantedMembership:
    kind: str
    team_id: int | None
    kontaktteam_id: int | None
    health_unit_id: int | None
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class EndMembership:
    """An existing membership whose `valid_to` becomes `new_valid_to`: the day before `fra`
    when it is replaced or no longer wanted, or the file's `til` when it is kept."""

    index: int  # into ExistingStaff.memberships
    membership: ExistingMembership
    new_valid_to: date | None


@dataclass(frozen=True)
class RowPlan:
    line: int
    external_id: str
    action: Action
    reasons: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    staff: WantedStaff | None = None
    #: Memberships to insert (for a new person: all of them).
    memberships: list[WantedMembership] = field(default_factory=list)
    ends: list[EndMembership] = field(default_factory=list)
    existing_id: int | None = None


@dataclass(frozen=True)
class ImportPlan:
    file_errors: list[str]
    rows: list[RowPlan]

    @property
    def ok(self) -> bool:
        return not self.file_errors and all(r.action != Action.REFUSED for r in self.rows)

    @property
    def counts(self) -> dict[Action, int]:
        return {action: sum(r.action == action for r in self.rows) for action in Action}


# --- Small text helpers ---------------------------------------------------------------------


def _role_text(roles: frozenset[Role]) -> str:
    return ", ".join(sorted(role.label for role in roles)) or NONE


# --- Names of teams, kontaktteams and health units ----------------------------------------


class _Names(TeamNames):
    def __init__(self, directory: Directory):
        super().__init__(directory.teams, directory.kontaktteams)
        self.units = _by_key(directory.health_units)
        self.unit_name = {u.id: u.name for u in directory.health_units}

    def unit(self, name: str, reasons: list[str]) -> int | None:
        found = self.units[_key(name)]
        if len(found) > 1:
            reasons.append(f"Flere sundhedsenheder hedder {name}.")
            return None
        return _pick(found, reasons, f"Ukendt sundhedsenhed: {name}.", name)

    def describe(self, m: ExistingMembership | WantedMembership) -> str:
        if m.kind == HEALTH_UNIT:
            return self.unit_name.get(m.health_unit_id, f"sundhedsenhed {m.health_unit_id}")
        text = self.team_name.get(m.team_id, f"team {m.team_id}")
        if m.kontaktteam_id is not None:
            text += " / " + self.kontaktteam_name.get(m.kontaktteam_id, str(m.kontaktteam_id))
        return text

    def describe_all(self, memberships: list) -> str:
        return ", ".join(sorted(self.describe(m) for m in memberships)) or NONE


def describe_membership(m: ExistingMembership | WantedMembership, directory: Directory) -> str:
    """ "Team Nord / KT 1", "Sundhedsenhed Nord": for showing a plan."""
    return _Names(directory).describe(m)


# --- One row --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    table: Table
    names: _Names
    today: date

    def has(self, column: str) -> bool:
        return self.table.has(column)


@dataclass
class _Row:
    line: int
    external_id: str
    username: str
    reasons: list[str]
    staff: WantedStaff | None = None
    memberships: list[WantedMembership] = field(default_factory=list)
    fra: date | None = None
    til: date | None = None
    default_til_note: str | None = None


def _parse_row(record: Record, ctx: _Context) -> _Row:
    values, reasons = row_values(record, ctx.table.columns)
    external_id = _external_id(values.get("medarbejdernr", ""), "Medarbejdernr", reasons)
    full_name = _full_name(values.get("navn", ""), reasons)
    username = _username(values.get("brugernavn", ""), reasons)
    phone = _phone(values.get("telefon", ""), reasons)
    roles = _roles(values.get("roller", ""), ctx.table.delimiter, reasons)
    fra, til, note = _period(values, ctx.today, reasons)
    memberships = _memberships(values, ctx.names, fra, til, reasons)
    row = _Row(record.line, values.get("medarbejdernr", ""), username, reasons)
    if not reasons:
        row.staff = WantedStaff(external_id, full_name, username, phone, roles)
        row.memberships, row.fra, row.til, row.default_til_note = memberships, fra, til, note
    return row


def _username(text: str, reasons: list[str]) -> str:
    username = text.lower()
    if not username:
        reasons.append("Brugernavn mangler.")
    elif not USERNAME.fullmatch(username):
        reasons.append(
            f"Brugernavnet {text} skal have 3-80 tegn: a-z, tal, punktum, bindestreg eller "
            "understreg."
        )
    return username


ROLE_WORDS: dict[str, Role] = (
    {_key(role.value): role for role in Role}
    | {_key(role.label): role for role in Role}
    | {"ssh": Role.HELPER, "ssa": Role.ASSISTANT}
)


def _roles(text: str, delimiter: str, reasons: list[str]) -> frozenset[Role]:
    separators = r"[/|+,]" if delimiter == ";" else r"[/|+]"
    words = [word.strip() for word in re.split(separators, text) if word.strip()]
    if not words:
        reasons.append("Roller mangler.")
    unknown = [word for word in words if _key(word) not in ROLE_WORDS]
    for word in unknown:
        labels = ", ".join(role.label for role in Role)
        reasons.append(f"Ukendt rolle: {word}. Brug en af: {labels}.")
    return frozenset(ROLE_WORDS[_key(w)] for w in words if w not in unknown)


def _period(
    values: dict[str, str], today: date, reasons: list[str]
) -> tuple[date, date | None, str | None]:
    """`fra` (default today), `til` (default `fra` + 90 days for temps and students), and the
    note that says a default end date was used."""
    fra = _date(values.get("fra", ""), "Fra-datoen", reasons)
    til = _date(values.get("til", ""), "Til-datoen", reasons)
    employment = _employment(values.get("ansaettelse", ""), reasons)
    fra = fra or today
    if til and til < fra:
        reasons.append(f"Til-datoen {format_date(til)} ligger før fra-datoen {format_date(fra)}.")
    if til is not None or employment in (None, Employment.PERMANENT):
        return fra, til, None
    til = fra + timedelta(days=DEFAULT_TEMP_DAYS)
    return fra, til, f"Slutdato sat til {format_date(til)} ({employment})."


def _employment(text: str, reasons: list[str]) -> Employment | None:
    if not text:
        return Employment.PERMANENT
    try:
        return Employment(_key(text))
    except ValueError:
        reasons.append(f"Ansættelse skal være fast, vikar eller elev, ikke {text}.")
        return None


def _memberships(
    values: dict[str, str], names: _Names, fra: date, til: date | None, reasons: list[str]
) -> list[WantedMembership]:
    team, kontaktteam = values.get("team", ""), values.get("kontaktteam", "")
    unit, basisteams = values.get("sundhedsenhed", ""), values.get("basisteams", "")
    if not team and not unit:
        reasons.append(NEEDS_PLACE)
    if kontaktteam and not team:
        reasons.append(KONTAKTTEAM_NEEDS_TEAM)
    if basisteams and not unit:
        reasons.append(BASISTEAMS_NEED_UNIT)
    wanted = []
    if team and (team_id := names.team(team, reasons)) is not None:
        kt_id = names.kontaktteam(team_id, kontaktteam, reasons) if kontaktteam else None
        wanted.append(WantedMembership(TEAM, team_id, kt_id, None, fra, til))
    if unit and (unit_id := names.unit(unit, reasons)) is not None:
        wanted.append(WantedMembership(HEALTH_UNIT, None, None, unit_id, fra, til))
    for name in dict.fromkeys(n.strip() for n in re.split(r"[/|]", basisteams) if n.strip()):
        if (team_id := names.team(name, reasons, unknown="basisteam")) is not None:
            wanted.append(WantedMembership(BASISTEAM, team_id, None, None, fra, til))
    return wanted


# --- Whole-file checks ----------------------------------------------------------------------


def _refuse_taken_usernames(rows: list[_Row], staff: list[ExistingStaff]) -> None:
    owners = {person.username.lower(): person for person in staff}
    for row in rows:
        owner = owners.get(row.username)
        if owner and (owner.external_id is None or owner.external_id != row.external_id):
            row.reasons.append(f"Brugernavnet {row.username} bruges allerede af en anden.")


# --- Planning -------------------------------------------------------------------------------


def plan_staff_import(text: str, directory: Directory, today: date) -> ImportPlan:
    table, errors = read_table(
        text,
        REQUIRED_COLUMNS,
        OPTIONAL_COLUMNS,
        header_only=HEADER_ONLY,
        too_many_rows=TOO_MANY_ROWS,
    )
    if table is None:
        return ImportPlan(errors, [])
    ctx = _Context(table, _Names(directory), today)
    rows = [_parse_row(record, ctx) for record in table.records]
    refuse_repeats(rows, "external_id", "Medarbejdernr {value} står også i linje {lines}.")
    refuse_repeats(rows, "username", "Brugernavnet {value} står også i linje {lines}.")
    _refuse_taken_usernames(rows, directory.staff)
    existing = {p.external_id: p for p in directory.staff if p.external_id is not None}
    return ImportPlan([], [_plan_row(row, existing.get(row.external_id), ctx) for row in rows])


def _plan_row(row: _Row, existing: ExistingStaff | None, ctx: _Context) -> RowPlan:
    if row.reasons or row.staff is None:
        return RowPlan(row.line, row.external_id, Action.REFUSED, reasons=row.reasons)
    if existing is None:
        notes = [row.default_til_note] if row.default_til_note else []
        return RowPlan(
            row.line,
            row.external_id,
            Action.CREATE,
            notes=notes,
            staff=row.staff,
            memberships=row.memberships,
        )
    return _plan_update(row, existing, ctx)


def _plan_update(row: _Row, existing: ExistingStaff, ctx: _Context) -> RowPlan:
    staff = row.staff if ctx.has("telefon") else replace(row.staff, phone=existing.phone)
    diff = _MembershipDiff(row, existing, ctx)
    if diff.reasons:
        return RowPlan(row.line, row.external_id, Action.REFUSED, reasons=diff.reasons)
    changes = _staff_changes(existing, staff) + diff.changes
    note = row.default_til_note
    return RowPlan(
        row.line,
        row.external_id,
        Action.UPDATE if changes else Action.UNCHANGED,
        changes=changes,
        notes=[note] if note and diff.sets(row.til) else [],
        staff=staff,
        memberships=diff.new,
        ends=diff.ends,
        existing_id=existing.id,
    )


def _staff_changes(existing: ExistingStaff, staff: WantedStaff) -> list[Change]:
    pairs = [
        ("Navn", existing.full_name, staff.full_name),
        ("Brugernavn", existing.username, staff.username),
        ("Telefon", existing.phone or NONE, staff.phone or NONE),
        ("Roller", _role_text(existing.roles), _role_text(staff.roles)),
        ("Aktiv", "ja" if existing.active else "nej", "ja"),
    ]
    return [Change(label, before, after) for label, before, after in pairs if before != after]


KIND_LABELS = {TEAM: "Team", HEALTH_UNIT: "Sundhedsenhed", BASISTEAM: "Basisteams"}


class _MembershipDiff:
    """The wanted memberships against the existing ones that are valid on or after `fra`.

    A wanted membership whose kind and target match one valid on `fra` keeps it (only its end
    date may change); any other is new from `fra`. Existing ones not kept end on `fra` - 1.
    """

    def __init__(self, row: _Row, existing: ExistingStaff, ctx: _Context):
        self.fra, self.names = row.fra, ctx.names
        self.match_kontaktteam = ctx.has("kontaktteam")
        self.keep_set_end = row.default_til_note is not None
        kinds = {TEAM, HEALTH_UNIT} | ({BASISTEAM} if ctx.has("basisteams") else set())
        self.current = {
            index: m
            for index, m in enumerate(existing.memberships)
            if m.kind in kinds and (m.valid_to is None or m.valid_to >= self.fra)
        }
        self.new: list[WantedMembership] = []
        self.ends: list[EndMembership] = []
        self.reasons: list[str] = []
        self.kept: dict[int, WantedMembership] = {}
        self.end_changes: list[Change] = []
        for wanted in row.memberships:
            self._place(wanted)
        self._end_unwanted()
        self.changes = self._kind_changes() + list(dict.fromkeys(self.end_changes))

    def sets(self, valid_to: date | None) -> bool:
        """Whether any membership gets this end date from the plan."""
        return bool(self.new) or any(end.new_valid_to == valid_to for end in self.ends)

    def _place(self, wanted: WantedMembership) -> None:
        index = self._match(wanted)
        if index is None:
            self.new.append(wanted)
            return
        kept = self.current[index]
        self.kept[index] = replace(wanted, kontaktteam_id=kept.kontaktteam_id)
        # A default end date for temps never moves an end date already set.
        valid_to = kept.valid_to if self.keep_set_end and kept.valid_to else wanted.valid_to
        if valid_to != kept.valid_to:
            self.ends.append(EndMembership(index, kept, valid_to))
            change = Change("Slutdato", format_date(kept.valid_to), format_date(valid_to))
            self.end_changes.append(change)

    def _match(self, wanted: WantedMembership) -> int | None:
        for index, m in self.current.items():
            same_kontaktteam = m.kontaktteam_id == wanted.kontaktteam_id
            if (
                index not in self.kept
                and m.kind == wanted.kind
                and (m.team_id, m.health_unit_id) == (wanted.team_id, wanted.health_unit_id)
                and (same_kontaktteam or not self.match_kontaktteam)
                and is_valid_on(m.valid_from, m.valid_to, self.fra)
            ):
                return index
        return None

    def _end_unwanted(self) -> None:
        day_before = self.fra - timedelta(days=1)
        for index, m in self.current.items():
            if index in self.kept:
                continue
            if m.valid_from > day_before:
                self.reasons.append(
                    f"Medlemskabet {self.names.describe(m)} begynder "
                    f"{format_date(m.valid_from)} og kan ikke slutte før; vælg en fra-dato "
                    f"efter {format_date(m.valid_from)}."
                )
            else:
                self.ends.append(EndMembership(index, m, day_before))

    def _kind_changes(self) -> list[Change]:
        describe, changes = self.names.describe_all, []
        for kind, label in KIND_LABELS.items():
            before = [m for m in self.current.values() if m.kind == kind]
            after = [m for m in [*self.kept.values(), *self.new] if m.kind == kind]
            ended = [i for i, m in self.current.items() if m.kind == kind and i not in self.kept]
            if ended or any(m.kind == kind for m in self.new):
                changes.append(Change(label, describe(before), describe(after)))
        return changes
