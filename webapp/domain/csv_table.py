"""What the CSV imports an administrator uploads (staff, citizens) share: reading the file into
records, the plan's actions and changes, dates, names and the Danish messages for them. Pure:
no Flask, no database.

The file: UTF-8 (a byte order mark is fine), `;` or `,` between fields (sniffed from the header
line; `;` wins), quoted fields as Excel writes them, blank lines skipped. Header names are
compared trimmed, case-insensitive, with æ/ø/å spelled out or not, and with a space or `-`
read as `_` ("TOBS-undtagelse" is `tobs_undtagelse`).
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024

NONE = "(ingen)"
EMPTY_FILE = "Filen er tom."
TOO_BIG = "Filen er større end 2 MB. Del den op i flere filer."
STRAY_CELLS = "Linjen har flere udfyldte felter, end overskriften har kolonner."

EXTERNAL_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")
PHONE = re.compile(r"[0-9 +]{1,32}")
DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
MAX_NAME = 160


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


@dataclass(frozen=True)
class Change:
    field: str  # Danish label: "Navn", "Team", "Slutdato", ...
    before: str
    after: str


# --- Small text helpers ---------------------------------------------------------------------


def name_key(text: str) -> str:
    """How names are compared: trimmed, case-insensitive, æ/ø/å spelled out or not."""
    folded = " ".join(text.split()).casefold()
    return folded.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")


def column_key(text: str) -> str:
    """How header names are compared: as names, with a space or `-` read as `_`."""
    return re.sub(r"[ -]+", "_", name_key(text))


def format_date(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else NONE


def and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} og {items[-1]}"


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


def date_or_reason(text: str, label: str, reasons: list[str]) -> date | None:
    """`parse_date`, with its message added to `reasons` instead of raised."""
    try:
        return parse_date(text, label)
    except ValueError as error:
        reasons.append(str(error))
        return None


def by_key(refs: list) -> dict[str, list[int]]:
    """Ids by `name_key(ref.name)`: several when a name is ambiguous."""
    index: dict[str, list[int]] = defaultdict(list)
    for ref in refs:
        index[name_key(ref.name)].append(ref.id)
    return index


def pick(found: list[int], reasons: list[str], unknown: str, name: str) -> int | None:
    """The one team id found by name; otherwise a reason (unknown or ambiguous)."""
    if len(found) == 1:
        return found[0]
    reasons.append(f"Flere teams hedder {name}." if found else unknown)
    return None


class TeamNames:
    """Teams by name, and kontaktteams by name within their team (`TeamRef`s and
    `KontaktteamRef`s of `webapp.domain.staff_import`)."""

    def __init__(self, teams: list, kontaktteams: list):
        self.teams = by_key(teams)
        self.kontaktteams: dict[tuple[int, str], list[int]] = defaultdict(list)
        for kt in kontaktteams:
            self.kontaktteams[(kt.team_id, name_key(kt.name))].append(kt.id)
        self.team_name = {t.id: t.name for t in teams}
        self.kontaktteam_name = {kt.id: kt.name for kt in kontaktteams}

    def team(self, name: str, reasons: list[str], unknown: str = "team") -> int | None:
        return pick(self.teams[name_key(name)], reasons, f"Ukendt {unknown}: {name}.", name)

    def kontaktteam(self, team_id: int, name: str, reasons: list[str]) -> int | None:
        found, team = self.kontaktteams[(team_id, name_key(name))], self.team_name[team_id]
        if len(found) > 1:
            reasons.append(f"Flere kontaktteams i {team} hedder {name}.")
            return None
        return pick(found, reasons, f"Ukendt kontaktteam: {name} (i {team}).", name)


# --- Cells every import has ------------------------------------------------------------------


def external_id(text: str, label: str, reasons: list[str]) -> str:
    """The municipality's own id (`label`: "Medarbejdernr", "Borgernr")."""
    if not text:
        reasons.append(f"{label} mangler.")
    elif not EXTERNAL_ID.fullmatch(text):
        reasons.append(
            f"{label} {text} må kun have bogstaver a-z, tal, punktum, bindestreg og "
            "understreg (højst 40 tegn)."
        )
    return text


def full_name(text: str, reasons: list[str]) -> str:
    name = " ".join(text.split())
    if not name:
        reasons.append("Navn mangler.")
    elif len(name) > MAX_NAME:
        reasons.append(f"Navnet er for langt (højst {MAX_NAME} tegn).")
    return name


def phone(text: str, reasons: list[str]) -> str | None:
    number = " ".join(text.split())
    if number and not (PHONE.fullmatch(number) and any(c.isdigit() for c in number)):
        reasons.append(f"Telefonnummeret {text} må kun have tal, mellemrum og + (højst 32 tegn).")
    return number or None


# --- Reading the file -----------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    line: int
    cells: list[str]


@dataclass(frozen=True)
class Table:
    delimiter: str
    columns: list[str]  # `column_key` of each header cell, "" for an empty header cell
    records: list[Record]

    def has(self, column: str) -> bool:
        return column in self.columns


def read_table(
    text: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    *,
    header_only: str,
    too_many_rows: str,
) -> tuple[Table | None, list[str]]:
    """The table, or None and the file's errors (Danish). `header_only` and `too_many_rows`
    are the messages that name what the rows are ("medarbejdere", "borgere")."""
    text = text.removeprefix("\ufeff")
    if len(text.encode("utf-8")) > MAX_BYTES:
        return None, [TOO_BIG]
    delimiter = sniff(text)
    try:
        records = read_records(text, delimiter)
    except ValueError as error:
        return None, [str(error)]
    if not records:
        return None, [EMPTY_FILE]
    header, data = records[0], records[1:]
    errors = header_errors([cell.strip() for cell in header.cells], required, optional)
    if not data:
        errors.append(header_only)
    if len(data) > MAX_ROWS:
        errors.append(too_many_rows)
    columns = [column_key(cell) for cell in header.cells]
    return (None if errors else Table(delimiter, columns, data)), errors


def sniff(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    return "," if "," in header and ";" not in header else ";"


def read_records(text: str, delimiter: str) -> list[Record]:
    """The non-blank records, each with the file line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, line = [], 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append(Record(line, cells))
            line = reader.line_num + 1
    except csv.Error:
        raise ValueError(f"Filen kunne ikke læses som CSV (linje {line}).") from None
    return records


def header_errors(
    names: list[str], required: tuple[str, ...], optional: tuple[str, ...]
) -> list[str]:
    keys = [column_key(name) for name in names if name]
    errors = [f"Kolonnen {k} står flere gange." for k in dict.fromkeys(keys) if keys.count(k) > 1]
    errors += [f"Kolonnen {c} mangler." for c in required if c not in keys]
    known = required + optional
    unknown = list(dict.fromkeys(n for n in names if n and column_key(n) not in known))
    if unknown:
        errors.append(
            f"Ukendte kolonner: {', '.join(unknown)}. Tilladte kolonner: {', '.join(known)}."
        )
    return errors


def row_values(record: Record, columns: list[str]) -> tuple[dict[str, str], list[str]]:
    """The record's trimmed cells by column, and [STRAY_CELLS] when a cell beyond the header
    (or under an empty header cell) has a value."""
    values: dict[str, str] = {}
    stray = False
    for index, cell in enumerate(record.cells):
        column = columns[index] if index < len(columns) else ""
        if column:
            values[column] = cell.strip()
        elif cell.strip():
            stray = True
    return values, [STRAY_CELLS] if stray else []


def refuse_repeats(rows: list, key: str, message: str) -> None:
    """Adds `message` (with {value} and {lines}) to the reasons of every row whose attribute
    `key` another row of the file has too."""
    lines: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if value := getattr(row, key):
            lines[value].append(row.line)
    for row in rows:
        value = getattr(row, key)
        others = [str(line) for line in lines.get(value, []) if line != row.line]
        if value and others:
            row.reasons.append(message.format(value=value, lines=and_list(others)))
