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
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from webapp.domain.dates import is_valid_on
from webapp.domain.roles import Role

MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
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

NONE = "(ingen)"
EMPTY_FILE = "Filen er tom."
HEADER_ONLY = "Filen har kun overskrifter og ingen medarbejdere."
TOO_BIG = "Filen er større end 2 MB. Del den op i flere filer."
TOO_MANY_ROWS = "Filen har mere end 5.000 medarbejdere. Del den op i flere filer."
NEEDS_PLACE = "Angiv team eller sundhedsenhed."
KONTAKTTEAM_NEEDS_TEAM = "Kontaktteam kræver et team."
BASISTEAMS_NEED_UNIT = "Basisteams kræver en sundhedsenhed."
STRAY_CELLS = "Linjen har flere udfyldte felter, end overskriften har kolonner."

EXTERNAL_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")
USERNAME = re.compile(r"[a-z0-9._-]{3,80}")
PHONE = re.compile(r"[0-9 +]{1,32}")
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class Action(StrEnum):
    CREATE = "opret"
    UPDATE = "ret"
    UNCHANGED = "uaendret"
    REFUSED = "afvist"

    @property
    def label(self) -> str:
        return {"opret": "Opret", "ret": "Ret", "uaendret": "Uændret", "afvist": "Afvist"}[
            self.value
        ]


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
class Change:
    field: str  # Danish label: "Navn", "Team", "Slutdato", ...
    before: str
    after: str


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


def _key(text: str) -> str:
    """How names are compared: trimmed, case-insensitive, æ/ø/å spelled out or not."""
    folded = " ".join(text.split()).casefold()
    return folded.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")


def format_date(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else NONE


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} og {items[-1]}"


def _role_text(roles: frozenset[Role]) -> str:
    return ", ".join(sorted(role.label for role in roles)) or NONE


def parse_date(text: str, label: str) -> date | None:
    """`dd.mm.yyyy`, `d.m.yyyy` or `yyyy-mm-dd`; None when empty. A ValueError carries a
    Danish message starting with `label` (e.g. "Fra-datoen")."""
    text = text.strip()
    if not text:
        return None
    if match := DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError(f"{label} skal skrives som 01.03.2026 eller 2026-03-01, ikke {text}.")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{label} {text} findes ikke.") from None


# --- Names of teams, kontaktteams and health units ----------------------------------------


class _Names:
    def __init__(self, directory: Directory):
        self.teams = _by_key(directory.teams)
        self.units = _by_key(directory.health_units)
        self.kontaktteams: dict[tuple[int, str], list[int]] = defaultdict(list)
        for kt in directory.kontaktteams:
            self.kontaktteams[(kt.team_id, _key(kt.name))].append(kt.id)
        self.team_name = {t.id: t.name for t in directory.teams}
        self.unit_name = {u.id: u.name for u in directory.health_units}
        self.kontaktteam_name = {kt.id: kt.name for kt in directory.kontaktteams}

    def team(self, name: str, reasons: list[str], unknown: str = "team") -> int | None:
        return _pick(self.teams[_key(name)], reasons, f"Ukendt {unknown}: {name}.", name)

    def unit(self, name: str, reasons: list[str]) -> int | None:
        found = self.units[_key(name)]
        if len(found) > 1:
            reasons.append(f"Flere sundhedsenheder hedder {name}.")
            return None
        return _pick(found, reasons, f"Ukendt sundhedsenhed: {name}.", name)

    def kontaktteam(self, team_id: int, name: str, reasons: list[str]) -> int | None:
        found, team = self.kontaktteams[(team_id, _key(name))], self.team_name[team_id]
        if len(found) > 1:
            reasons.append(f"Flere kontaktteams i {team} hedder {name}.")
            return None
        return _pick(found, reasons, f"Ukendt kontaktteam: {name} (i {team}).", name)

    def describe(self, m: ExistingMembership | WantedMembership) -> str:
        if m.kind == HEALTH_UNIT:
            return self.unit_name.get(m.health_unit_id, f"sundhedsenhed {m.health_unit_id}")
        text = self.team_name.get(m.team_id, f"team {m.team_id}")
        if m.kontaktteam_id is not None:
            text += " / " + self.kontaktteam_name.get(m.kontaktteam_id, str(m.kontaktteam_id))
        return text

    def describe_all(self, memberships: list) -> str:
        return ", ".join(sorted(self.describe(m) for m in memberships)) or NONE


def _by_key(refs: list) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for ref in refs:
        index[_key(ref.name)].append(ref.id)
    return index


def _pick(found: list[int], reasons: list[str], unknown: str, name: str) -> int | None:
    if len(found) == 1:
        return found[0]
    reasons.append(f"Flere teams hedder {name}." if found else unknown)
    return None


def describe_membership(m: ExistingMembership | WantedMembership, directory: Directory) -> str:
    """ "Team Nord / KT 1", "Sundhedsenhed Nord": for showing a plan."""
    return _Names(directory).describe(m)


# --- Reading the file -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Record:
    line: int
    cells: list[str]


@dataclass(frozen=True)
class _Table:
    delimiter: str
    columns: list[str]  # normalised header names, "" for an empty header cell
    records: list[_Record]


def _read_table(text: str) -> tuple[_Table | None, list[str]]:
    text = text.removeprefix("\ufeff")
    if len(text.encode("utf-8")) > MAX_BYTES:
        return None, [TOO_BIG]
    delimiter = _sniff(text)
    try:
        records = _records(text, delimiter)
    except ValueError as error:
        return None, [str(error)]
    if not records:
        return None, [EMPTY_FILE]
    header, data = records[0], records[1:]
    errors = _header_errors([cell.strip() for cell in header.cells])
    if not data:
        errors.append(HEADER_ONLY)
    if len(data) > MAX_ROWS:
        errors.append(TOO_MANY_ROWS)
    columns = [_key(cell) for cell in header.cells]
    return (None if errors else _Table(delimiter, columns, data)), errors


def _sniff(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    return "," if "," in header and ";" not in header else ";"


def _records(text: str, delimiter: str) -> list[_Record]:
    """The non-blank records, each with the file line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, line = [], 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append(_Record(line, cells))
            line = reader.line_num + 1
    except csv.Error:
        raise ValueError(f"Filen kunne ikke læses som CSV (linje {line}).") from None
    return records


def _header_errors(names: list[str]) -> list[str]:
    keys = [_key(name) for name in names if name]
    errors = [f"Kolonnen {k} står flere gange." for k in dict.fromkeys(keys) if keys.count(k) > 1]
    errors += [f"Kolonnen {c} mangler." for c in REQUIRED_COLUMNS if c not in keys]
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    unknown = list(dict.fromkeys(name for name in names if name and _key(name) not in known))
    if unknown:
        errors.append(
            f"Ukendte kolonner: {', '.join(unknown)}. Tilladte kolonner: {', '.join(known)}."
        )
    return errors


# --- One row --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    table: _Table
    names: _Names
    today: date

    def has(self, column: str) -> bool:
        return column in self.table.columns


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


def _parse_row(record: _Record, ctx: _Context) -> _Row:
    values, reasons = _values(record, ctx.table.columns)
    external_id = _external_id(values.get("medarbejdernr", ""), reasons)
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


def _values(record: _Record, columns: list[str]) -> tuple[dict[str, str], list[str]]:
    values: dict[str, str] = {}
    stray = False
    for index, cell in enumerate(record.cells):
        column = columns[index] if index < len(columns) else ""
        if column:
            values[column] = cell.strip()
        elif cell.strip():
            stray = True
    return values, [STRAY_CELLS] if stray else []


def _external_id(text: str, reasons: list[str]) -> str:
    if not text:
        reasons.append("Medarbejdernr mangler.")
    elif not EXTERNAL_ID.fullmatch(text):
        reasons.append(
            f"Medarbejdernr {text} må kun have bogstaver a-z, tal, punktum, bindestreg og "
            "understreg (højst 40 tegn)."
        )
    return text


def _full_name(text: str, reasons: list[str]) -> str:
    name = " ".join(text.split())
    if not name:
        reasons.append("Navn mangler.")
    elif len(name) > 160:
        reasons.append("Navnet er for langt (højst 160 tegn).")
    return name


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


def _phone(text: str, reasons: list[str]) -> str | None:
    phone = " ".join(text.split())
    if phone and not (PHONE.fullmatch(phone) and any(c.isdigit() for c in phone)):
        reasons.append(f"Telefonnummeret {text} må kun have tal, mellemrum og + (højst 32 tegn).")
    return phone or None


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


def _date(text: str, label: str, reasons: list[str]) -> date | None:
    try:
        return parse_date(text, label)
    except ValueError as error:
        reasons.append(str(error))
        return None


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


def _refuse_repeats(rows: list[_Row], key: str, message: str) -> None:
    lines: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if value := getattr(row, key):
            lines[value].append(row.line)
    for row in rows:
        value = getattr(row, key)
        others = [str(line) for line in lines.get(value, []) if line != row.line]
        if value and others:
            row.reasons.append(message.format(value=value, lines=_and_list(others)))


def _refuse_taken_usernames(rows: list[_Row], staff: list[ExistingStaff]) -> None:
    owners = {person.username.lower(): person for person in staff}
    for row in rows:
        owner = owners.get(row.username)
        if owner and (owner.external_id is None or owner.external_id != row.external_id):
            row.reasons.append(f"Brugernavnet {row.username} bruges allerede af en anden.")


# --- Planning -------------------------------------------------------------------------------


def plan_staff_import(text: str, directory: Directory, today: date) -> ImportPlan:
    table, errors = _read_table(text)
    if table is None:
        return ImportPlan(errors, [])
    ctx = _Context(table, _Names(directory), today)
    rows = [_parse_row(record, ctx) for record in table.records]
    _refuse_repeats(rows, "external_id", "Medarbejdernr {value} står også i linje {lines}.")
    _refuse_repeats(rows, "username", "Brugernavnet {value} står også i linje {lines}.")
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
