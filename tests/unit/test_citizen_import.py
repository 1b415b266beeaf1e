"""Importing citizens from CSV: the plan (create, change, unchanged, refused) and its reasons."""

import ast
import csv
import io
import os
import subprocess
import sys
from dataclasses import fields, replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from webapp.domain import citizen_import as ci
from webapp.domain import csv_table
from webapp.domain.citizen_import import (
    CitizenDirectory,
    CitizenImportPlan,
    CitizenRowPlan,
    ExistingCitizen,
    StaffRef,
    WantedCitizen,
    WantedPathway,
    WantedPathwayChange,
    WantedPlacement,
    plan_citizen_import,
)
from webapp.domain.citizens import PathwayType
from webapp.domain.roles import Role
from webapp.domain.staff_import import (
    BASISTEAM,
    HEALTH_UNIT,
    TEAM,
    Action,
    Change,
    ExistingMembership,
    KontaktteamRef,
    TeamRef,
)

TODAY = date(2026, 11, 25)
H, A, N, T, L = Role.HELPER, Role.ASSISTANT, Role.NURSE, Role.THERAPIST, Role.LEADER
SIMPLE, COMPOSITE = PathwayType.SIMPLE, PathwayType.COMPOSITE
MODERATE, CONSIDERABLE = PathwayType.PERMANENT_MODERATE, PathwayType.PERMANENT_CONSIDERABLE
SINCE_2025 = date(2025, 1, 1)

TEAMS = [
    TeamRef(1, "Team Nord"),
    TeamRef(2, "Team Syd"),
    TeamRef(3, "Team Østbyen"),
    TeamRef(4, "Team Dobbelt"),
    TeamRef(5, "team dobbelt"),
]
KONTAKTTEAMS = [
    KontaktteamRef(10, 1, "KT 1"),
    KontaktteamRef(11, 1, "KT 2"),
    KontaktteamRef(12, 2, "KT 3"),
    KontaktteamRef(13, 2, "KT D"),
    KontaktteamRef(14, 2, "kt d"),
    KontaktteamRef(15, 3, "KT Ø"),
]


def team(team_id, valid_from=SINCE_2025, valid_to=None, kontaktteam_id=None):
    return ExistingMembership(TEAM, team_id, kontaktteam_id, None, valid_from, valid_to)


def basis(team_id, valid_from=SINCE_2025, valid_to=None):
    return ExistingMembership(BASISTEAM, team_id, None, None, valid_from, valid_to)


UNIT = ExistingMembership(HEALTH_UNIT, None, None, 20, SINCE_2025, None)

METTE = StaffRef(1, "M1234", "Mette Holm", frozenset({H}), True, [team(1, kontaktteam_id=10)])
SARA = StaffRef(
    2, "M2", "Sara Sørensen", frozenset({A}), True,
    [team(1, valid_to=date(2026, 12, 31)), team(2, date(2027, 1, 1))],
)  # fmt: skip
NIELS = StaffRef(
    3, "M3", "Niels Nielsen", frozenset({N}), True,
    [UNIT, basis(1), basis(2, date(2026, 12, 1))],
)  # fmt: skip
TINA = StaffRef(4, "M4", "Tina Thomsen", frozenset({T}), True, [UNIT, basis(1)])
LEO = StaffRef(5, "M5", "Leo Larsen", frozenset({L}), True, [team(1)])
OLE = StaffRef(6, "M6", "Ole Olsen", frozenset({H}), False, [team(1)])
HANS = StaffRef(7, "M7", "Hans Hansen", frozenset({H}), True, [team(2)])
UFFE = StaffRef(8, None, "Uffe Uden", frozenset({N}), True, [basis(1)])
BENT = StaffRef(9, "M9", "Bent Berg", frozenset({H}), True, [basis(1)])
NINA = StaffRef(10, "M10", "Nina Nord", frozenset({N}), True, [UNIT])
GRETE = StaffRef(11, "M11", "Grete Gram", frozenset({N}), False, [basis(1)])
STAFF = [METTE, SARA, NIELS, TINA, LEO, OLE, HANS, UFFE, BENT, NINA, GRETE]

KAREN = ExistingCitizen(
    id=500, external_id="B100", full_name="Karen Jensen", birth_date=date(1941, 4, 3),
    street="Vestergade 1", postcode="8000", city="Aarhus C", phone="86 12 34 56",
    key_notes="KOL; demens", habitual_pulse=72, habitual_systolic_bp=130,
    habitual_respiration=16, habitual_mobility="Går med rollator", habitual_appetite="God",
    habitual_cognition="Let demens", team_id=1, kontaktteam_id=10,
    placement_from=date(2025, 6, 1), kontaktperson_id=1, forloebsansvarlig_id=3,
    pathway_type="sammensat", pathway_started_on=date(2026, 10, 1),
)  # fmt: skip
ERIK = ExistingCitizen(
    id=501, external_id=None, full_name="Erik Olsen", birth_date=date(1930, 1, 1),
    street="Bygaden 2", postcode="8200", city="Aarhus N", team_id=2,
    placement_from=date(2024, 1, 1), kontaktperson_id=7, pathway_type="varigt_moderat",
    pathway_started_on=date(2024, 1, 1),
)  # fmt: skip
INGE = ExistingCitizen(
    id=502, external_id="B102", full_name="Inge Ibsen", birth_date=date(1945, 2, 2),
    street="Torvet 3", postcode="8000", city="Aarhus C", team_id=1,
    placement_from=date(2026, 1, 1), kontaktperson_id=1,
)  # fmt: skip
DIRECTORY = CitizenDirectory(TEAMS, KONTAKTTEAMS, STAFF, [KAREN, ERIK, INGE])
EMPTY_DIRECTORY = CitizenDirectory(TEAMS, KONTAKTTEAMS, STAFF, [])

COLUMNS = ci.REQUIRED_COLUMNS + ci.OPTIONAL_COLUMNS
POUL = {
    "borgernr": "B200", "navn": "Poul Poulsen", "foedselsdato": "12.05.1938",
    "adresse": "Nørregade 5", "postnr": "8000", "by": "Aarhus C", "team": "Team Nord",
    "kontaktperson": "M1234", "forloebsansvarlig": "M3", "forloebstype": "sammensat",
    "henvendelse": "20.11.2026",
}  # fmt: skip
RUTH = {
    "borgernr": "B201", "navn": "Ruth Rasmussen", "foedselsdato": "1929-12-24",
    "adresse": "Søndergade 9, 2. tv", "postnr": "8200", "by": "Aarhus N", "team": "Team Syd",
    "kontaktteam": "KT 3", "kontaktperson": "M7", "forloebstype": "varigt moderat",
    "henvendelse": "2026-11-01", "fra": "01.12.2026", "tobs": "nej",
    "tobs_undtagelse": "Terminal borger", "noter": "Ilt; ingen genoplivning",
}  # fmt: skip
KAREN_ROW = {
    "borgernr": "B100", "navn": "Karen Jensen", "foedselsdato": "03.04.1941",
    "adresse": "Vestergade 1", "postnr": "8000", "by": "Aarhus C", "telefon": "86 12 34 56",
    "team": "Team Nord", "kontaktteam": "KT 1", "kontaktperson": "M1234",
    "forloebsansvarlig": "M3", "forloebstype": "sammensat", "noter": "KOL; demens",
    "tobs": "ja", "habituel_puls": "72", "habituel_blodtryk": "130",
    "habituel_respiration": "16", "habituel_mobilitet": "Går med rollator",
    "habituel_appetit": "God", "habituel_kognition": "Let demens",
}  # fmt: skip
INGE_ROW = {
    "borgernr": "B102", "navn": "Inge Ibsen", "foedselsdato": "02.02.1945",
    "adresse": "Torvet 3", "postnr": "8000", "by": "Aarhus C", "team": "Team Nord",
    "kontaktperson": "M1234",
}  # fmt: skip


def csv_file(*rows: dict, sep: str = ";", columns=COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue()


def plan(
    text: str, directory: CitizenDirectory = DIRECTORY, today: date = TODAY
) -> CitizenImportPlan:
    return plan_citizen_import(text, directory, today)


def one_row(row: dict, directory: CitizenDirectory = DIRECTORY, **kwargs) -> CitizenRowPlan:
    result = plan(csv_file(row, **kwargs), directory)
    assert result.file_errors == []
    [planned] = result.rows
    return planned


def without(row: dict, *columns: str) -> tuple[dict, tuple[str, ...]]:
    """The row and the file's columns, without `columns`."""
    return {k: v for k, v in row.items() if k not in columns}, tuple(
        c for c in COLUMNS if c not in columns
    )


def refused(row: dict, directory: CitizenDirectory = DIRECTORY, **kwargs) -> list[str]:
    planned = one_row(row, directory, **kwargs)
    assert planned.action == Action.REFUSED, planned
    assert planned.citizen is None and planned.placement is None
    assert planned.pathway is None and planned.pathway_change is None
    assert planned.changes == []
    return planned.reasons


def applied(result: CitizenImportPlan, directory: CitizenDirectory) -> CitizenDirectory:
    """What the database side would hold after saving a plan of new citizens."""
    citizens = list(directory.citizens)
    for number, row in enumerate(result.rows):
        assert row.action == Action.CREATE
        citizens.append(
            ExistingCitizen(
                id=1000 + number,
                **vars(row.citizen),
                placement_from=row.placement.valid_from,
                pathway_type=row.pathway.type.value,
                pathway_started_on=row.pathway.referral_date,
            )
        )
    return replace(directory, citizens=citizens)


def karen_in(directory: CitizenDirectory = DIRECTORY, **changes) -> CitizenDirectory:
    citizens = [replace(KAREN, **changes), ERIK, INGE]
    return replace(directory, citizens=citizens)


def with_staff(*people: StaffRef) -> CitizenDirectory:
    by_id = {p.id: p for p in people}
    return replace(DIRECTORY, staff=[by_id.get(p.id, p) for p in STAFF])


# --- A good file ------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [";", ","])
def test_good_file_creates_every_citizen(sep):
    result = plan(csv_file(POUL, RUTH, sep=sep), EMPTY_DIRECTORY)
    assert result.ok and result.file_errors == []
    assert result.counts == {
        Action.CREATE: 2, Action.UPDATE: 0, Action.UNCHANGED: 0, Action.REFUSED: 0,
    }  # fmt: skip
    poul, ruth = result.rows
    assert (poul.line, poul.external_id, poul.action) == (2, "B200", Action.CREATE)
    assert poul.citizen == WantedCitizen(
        external_id="B200", full_name="Poul Poulsen", birth_date=date(1938, 5, 12),
        street="Nørregade 5", postcode="8000", city="Aarhus C", team_id=1,
        kontaktperson_id=1, forloebsansvarlig_id=3,
    )  # fmt: skip
    assert poul.placement == WantedPlacement(1, None, TODAY)
    assert poul.pathway == WantedPathway(COMPOSITE, date(2026, 11, 20))
    assert poul.pathway_change is None and poul.existing_id is None
    assert poul.reasons == poul.changes == poul.notes == []
    assert ruth.line == 3
    assert ruth.citizen == WantedCitizen(
        external_id="B201", full_name="Ruth Rasmussen", birth_date=date(1929, 12, 24),
        street="Søndergade 9, 2. tv", postcode="8200", city="Aarhus N",
        key_notes="Ilt; ingen genoplivning", tobs_applies=False,
        tobs_exemption_reason="Terminal borger", team_id=2, kontaktteam_id=12,
        kontaktperson_id=7, forloebsansvarlig_id=None,
    )  # fmt: skip
    assert ruth.placement == WantedPlacement(2, 12, date(2026, 12, 1))
    assert ruth.pathway == WantedPathway(MODERATE, date(2026, 11, 1))


def test_new_citizen_with_every_column():
    row = {
        **POUL, "telefon": " +45  12 34 56 78 ", "kontaktteam": "kt 2", "noter": "KOL|demens",
        "tobs": "JA", "habituel_puls": "68", "habituel_blodtryk": " 125 ",
        "habituel_respiration": "14", "habituel_mobilitet": "Går  selv",
        "habituel_appetit": "Nedsat", "habituel_kognition": "Klar", "fra": "2026-12-01",
    }  # fmt: skip
    planned = one_row(row)
    assert planned.action == Action.CREATE, planned.reasons
    assert planned.citizen == WantedCitizen(
        external_id="B200", full_name="Poul Poulsen", birth_date=date(1938, 5, 12),
        street="Nørregade 5", postcode="8000", city="Aarhus C", phone="+45 12 34 56 78",
        key_notes="KOL; demens", tobs_applies=True, tobs_exemption_reason=None,
        habitual_pulse=68, habitual_systolic_bp=125, habitual_respiration=14,
        habitual_mobility="Går selv", habitual_appetite="Nedsat", habitual_cognition="Klar",
        team_id=1, kontaktteam_id=11, kontaktperson_id=1, forloebsansvarlig_id=3,
    )  # fmt: skip
    assert planned.placement == WantedPlacement(1, 11, date(2026, 12, 1))


def test_only_required_columns_and_the_pathway():
    columns = (*ci.REQUIRED_COLUMNS, "forloebstype", "henvendelse", "forloebsansvarlig")
    planned = one_row(POUL, EMPTY_DIRECTORY, columns=columns)
    assert planned.action == Action.CREATE
    citizen = planned.citizen
    assert (citizen.phone, citizen.key_notes, citizen.tobs_applies) == (None, "", True)
    assert citizen.habitual_pulse is None and citizen.kontaktteam_id is None


def test_comma_file_with_quoted_fields():
    text = (
        "borgernr,navn,foedselsdato,adresse,postnr,by,team,kontaktperson,forloebsansvarlig,"
        "forloebstype,henvendelse,noter\n"
        'B200,"Poulsen, Poul ""Pølle""",12.05.1938,"Nørregade 5, 1. th",8000,Aarhus C,'
        'Team Nord,M1234,M3,sammensat,20.11.2026,"KOL; ilt, 2 l"\n'
    )
    [row] = plan(text).rows
    assert row.action == Action.CREATE, row.reasons
    assert row.citizen.full_name == 'Poulsen, Poul "Pølle"'
    assert row.citizen.street == "Nørregade 5, 1. th"
    assert row.citizen.key_notes == "KOL; ilt, 2 l"


def test_semicolon_file_with_quoted_semicolons_in_the_notes():
    text = csv_file({**POUL, "noter": "KOL;demens ; ;ingen genoplivning"})
    assert '"KOL;demens ; ;ingen genoplivning"' in text
    [row] = plan(text).rows
    assert row.citizen.key_notes == "KOL; demens; ingen genoplivning"


def test_quoted_field_over_two_lines_keeps_line_numbers():
    text = csv_file({**POUL, "adresse": "Nørregade 5\n1. th"}, {**RUTH, "team": "Team Vest"})
    poul, ruth = plan(text).rows
    assert poul.citizen.street == "Nørregade 5 1. th"
    assert (poul.line, ruth.line) == (2, 4)
    assert ruth.reasons == ["Ukendt team: Team Vest."]


@pytest.mark.parametrize("bom", ["\ufeff", ""])
def test_byte_order_mark_is_ignored(bom):
    result = plan(bom + csv_file(POUL))
    assert result.ok and result.rows[0].action == Action.CREATE


@pytest.mark.parametrize(
    "header",
    [
        "Borgernr;Navn;Fødselsdato;Adresse;Postnr;By;Team;Kontaktperson;Forløbsansvarlig;"
        "Forløbstype;Henvendelse;TOBS;TOBS-undtagelse;Habituel puls",
        " BORGERNR ; NAVN ;FØDSELSDATO;adresse;POSTNR;by;TEAM;kontaktperson;forloebsansvarlig;"
        "FORLOEBSTYPE;henvendelse;tobs;tobs_undtagelse;habituel_puls",
        "borgernr;navn;foedselsdato;adresse;postnr;by;team;kontaktperson;forløbsansvarlig;"
        "forløbstype;henvendelse;Tobs;Tobs Undtagelse;Habituel-Puls",
    ],
)
def test_header_names_are_forgiving(header):
    text = (
        header
        + "\nB200;Poul;1.2.1938;Vej 1;8000;By;team nord;M1234;M3;enkelt;1.11.2026;"
        + ("nej;Terminal;70\n")
    )
    [row] = plan(text).rows
    assert row.action == Action.CREATE, row.reasons
    assert row.citizen.tobs_applies is False and row.citizen.habitual_pulse == 70
    assert row.pathway == WantedPathway(SIMPLE, date(2026, 11, 1))


def test_both_spellings_of_the_birth_date_column_clash():
    text = csv_file(POUL, columns=(*COLUMNS, "fødselsdato"))
    assert plan(text).file_errors == ["Kolonnen foedselsdato står flere gange."]


def test_team_names_match_without_case_and_with_danish_letters():
    directory = with_staff(replace(METTE, memberships=[team(3)]))
    moderat = {**POUL, "forloebstype": "varigt moderat", "forloebsansvarlig": ""}
    for name in ("TEAM ØSTBYEN", "team oestbyen", "  Team   Østbyen "):
        row = one_row({**moderat, "team": name, "kontaktteam": "kt oe"}, directory)
        assert (row.citizen.team_id, row.citizen.kontaktteam_id) == (3, 15), row.reasons


def test_blank_lines_are_skipped_and_lines_are_the_files():
    text = csv_file(POUL, RUTH).replace("\nB201", "\n\n  \n;;;\nB201")
    poul, ruth = plan(text).rows
    assert (poul.line, ruth.line) == (2, 6)


def test_crlf_line_endings():
    result = plan(csv_file(POUL, RUTH).replace("\n", "\r\n"))
    assert result.ok and [r.line for r in result.rows] == [2, 3]


def test_fewer_cells_than_columns_are_empty():
    text = (
        "borgernr;navn;foedselsdato;adresse;postnr;by;team;kontaktperson;forloebsansvarlig;"
        "forloebstype;henvendelse;telefon;noter\n"
        "B200;Poul;1.2.1938;Vej 1;8000;By;Team Nord;M1234;M3;enkelt;1.11.2026\n"
    )
    [row] = plan(text).rows
    assert row.action == Action.CREATE
    assert (row.citizen.phone, row.citizen.key_notes) == (None, "")


def test_empty_trailing_cells_are_allowed_but_stray_values_refused():
    assert one_row(POUL, columns=(*COLUMNS, "")).action == Action.CREATE
    text = csv_file(POUL).rstrip("\n") + ";ekstra\n"
    [row] = plan(text).rows
    assert row.reasons == [csv_table.STRAY_CELLS]


# --- Refusals ---------------------------------------------------------------------------------

ID_CHARS = "må kun have bogstaver a-z, tal, punktum, bindestreg og understreg (højst 40 tegn)."
DATE_FORMAT = "skal skrives som 01.03.2026 eller 2026-03-01"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"borgernr": ""}, "Borgernr mangler."),
        ({"borgernr": "B 200"}, f"Borgernr B 200 {ID_CHARS}"),
        ({"borgernr": "Ø200"}, f"Borgernr Ø200 {ID_CHARS}"),
        ({"borgernr": "0101401234/x"}, f"Borgernr 0101401234/x {ID_CHARS}"),
        ({"borgernr": "B" * 41}, f"Borgernr {'B' * 41} {ID_CHARS}"),
        ({"navn": ""}, "Navn mangler."),
        ({"navn": "x" * 161}, "Navnet er for langt (højst 160 tegn)."),
        ({"foedselsdato": ""}, "Fødselsdato mangler."),
        ({"foedselsdato": "30.02.1938"}, "Fødselsdatoen 30.02.1938 findes ikke."),
        ({"foedselsdato": "12/05/1938"}, f"Fødselsdatoen {DATE_FORMAT}, ikke 12/05/1938."),
        ({"foedselsdato": "26.11.2026"}, "Fødselsdatoen 26.11.2026 ligger i fremtiden."),
        ({"foedselsdato": "31.12.1899"}, "Fødselsdatoen 31.12.1899 ligger før 1900."),
        ({"adresse": ""}, "Adresse mangler."),
        ({"adresse": "v" * 161}, "Adresse må højst have 160 tegn."),
        ({"postnr": ""}, "Postnr mangler."),
        ({"postnr": "800"}, "Postnr 800 skal være fire cifre."),
        ({"postnr": "80000"}, "Postnr 80000 skal være fire cifre."),
        ({"postnr": "8OOO"}, "Postnr 8OOO skal være fire cifre."),
        ({"postnr": "DK-8000"}, "Postnr DK-8000 skal være fire cifre."),
        ({"by": ""}, "By mangler."),
        ({"by": "b" * 81}, "By må højst have 80 tegn."),
        (
            {"telefon": "12-34-56-78"},
            "Telefonnummeret 12-34-56-78 må kun have tal, mellemrum og + (højst 32 tegn).",
        ),
        ({"team": ""}, "Team mangler."),
        ({"team": "Team Vest"}, "Ukendt team: Team Vest."),
        ({"team": "Team Dobbelt"}, "Flere teams hedder Team Dobbelt."),
        ({"kontaktteam": "KT 9"}, "Ukendt kontaktteam: KT 9 (i Team Nord)."),
        ({"kontaktteam": "KT 3"}, "Ukendt kontaktteam: KT 3 (i Team Nord)."),  # Team Syd's
        ({"kontaktperson": ""}, "Kontaktperson mangler."),
        (
            {"kontaktperson": "M999"},
            "Ukendt kontaktperson: ingen medarbejder har medarbejdernr M999.",
        ),
        (
            {"kontaktperson": "m1234"},
            "Ukendt kontaktperson: ingen medarbejder har medarbejdernr m1234.",
        ),
        ({"kontaktperson": "M6"}, "Kontaktpersonen Ole Olsen (M6) er ikke aktiv."),
        (
            {"forloebsansvarlig": "M999"},
            "Ukendt forløbsansvarlig: ingen medarbejder har medarbejdernr M999.",
        ),
        ({"forloebsansvarlig": "M11"}, "Den forløbsansvarlige Grete Gram (M11) er ikke aktiv."),
        (
            {"forloebstype": "varig"},
            "Ukendt forløbstype: varig. Brug enkelt, sammensat, varigt moderat eller varigt "
            "betydelig.",
        ),
        ({"forloebstype": ""}, ci.NEW_NEEDS_TYPE),
        ({"henvendelse": ""}, ci.NEW_NEEDS_REFERRAL),
        ({"henvendelse": "31.11.2026"}, "Henvendelsesdatoen 31.11.2026 findes ikke."),
        ({"henvendelse": "i går"}, f"Henvendelsesdatoen {DATE_FORMAT}, ikke i går."),
        ({"henvendelse": "26.11.2026"}, "Henvendelsesdatoen 26.11.2026 ligger i fremtiden."),
        ({"noter": "n" * 1001}, "Noter må højst have 1000 tegn."),
        ({"tobs": "måske"}, "TOBS skal være ja eller nej, ikke måske."),
        ({"tobs": "nej"}, ci.TOBS_NEEDS_REASON),
        ({"tobs": "nej", "tobs_undtagelse": "   "}, ci.TOBS_NEEDS_REASON),
        ({"tobs": "ja", "tobs_undtagelse": "Terminal"}, ci.TOBS_REASON_WITHOUT_NO),
        ({"tobs_undtagelse": "Terminal"}, ci.TOBS_REASON_WITHOUT_NO),
        (
            {"tobs": "nej", "tobs_undtagelse": "t" * 201},
            "TOBS-undtagelse må højst have 200 tegn.",
        ),
        ({"habituel_puls": "7O"}, "Habituel puls skal være et helt tal, ikke 7O."),
        ({"habituel_puls": "72,5"}, "Habituel puls skal være et helt tal, ikke 72,5."),
        ({"habituel_puls": "+72"}, "Habituel puls skal være et helt tal, ikke +72."),
        ({"habituel_puls": "19"}, "Habituel puls skal være mellem 20 og 250, ikke 19."),
        ({"habituel_puls": "251"}, "Habituel puls skal være mellem 20 og 250, ikke 251."),
        ({"habituel_puls": "-5"}, "Habituel puls skal være mellem 20 og 250, ikke -5."),
        ({"habituel_blodtryk": "130/80"}, "Habituelt blodtryk skal være et helt tal, ikke 130/80."),
        ({"habituel_blodtryk": "49"}, "Habituelt blodtryk skal være mellem 50 og 300, ikke 49."),
        ({"habituel_blodtryk": "301"}, "Habituelt blodtryk skal være mellem 50 og 300, ikke 301."),
        ({"habituel_respiration": "3"}, "Habituel respiration skal være mellem 4 og 60, ikke 3."),
        ({"habituel_respiration": "61"}, "Habituel respiration skal være mellem 4 og 60, ikke 61."),
        ({"habituel_mobilitet": "m" * 201}, "Habituel mobilitet må højst have 200 tegn."),
        ({"habituel_appetit": "a" * 201}, "Habituel appetit må højst have 200 tegn."),
        ({"habituel_kognition": "k" * 201}, "Habituel kognition må højst have 200 tegn."),
        ({"fra": "32.12.2026"}, "Fra-datoen 32.12.2026 findes ikke."),
        ({"fra": "1/12"}, f"Fra-datoen {DATE_FORMAT}, ikke 1/12."),
        ({"fra": "26.11.2027"}, "Fra-datoen 26.11.2027 ligger mere end et år frem (senest "
         "25.11.2027)."),
        ({"fra": "25.10.2026"}, "Fra-datoen 25.10.2026 ligger mere end 30 dage tilbage "
         "(tidligst 26.10.2026)."),
    ],
)  # fmt: skip
def test_refusals(overrides, reason):
    reasons = refused({**POUL, **overrides})
    assert reason in reasons, reasons


@pytest.mark.parametrize(
    ("column", "text"),
    [
        ("foedselsdato", "25.11.2026"),
        ("foedselsdato", "01.01.1900"),
        ("henvendelse", "25.11.2026"),
        ("fra", "25.11.2027"),
        ("fra", "26.10.2026"),
        ("habituel_puls", "20"),
        ("habituel_puls", "250"),
        ("habituel_blodtryk", "50"),
        ("habituel_blodtryk", "300"),
        ("habituel_respiration", "4"),
        ("habituel_respiration", "60"),
        ("habituel_mobilitet", "m" * 200),
        ("noter", "n" * 1000),
        ("adresse", "v" * 160),
        ("by", "b" * 80),
        ("navn", "x" * 160),
        ("postnr", "0800"),
    ],
)
def test_limits_are_inclusive(column, text):
    planned = one_row({**POUL, column: text})
    assert planned.action == Action.CREATE, planned.reasons


def test_ambiguous_kontaktteam():
    row = {**POUL, "team": "Team Syd", "kontaktteam": "KT D", "kontaktperson": "M7"}
    assert "Flere kontaktteams i Team Syd hedder KT D." in refused(row)


def test_every_problem_in_a_row_is_listed():
    reasons = refused({"telefon": "1234", "fra": "igår"})
    assert reasons == [
        "Borgernr mangler.",
        "Navn mangler.",
        "Fødselsdato mangler.",
        "Adresse mangler.",
        "Postnr mangler.",
        "By mangler.",
        "Team mangler.",
        "Kontaktperson mangler.",
        f"Fra-datoen {DATE_FORMAT}, ikke igår.",
        ci.NEW_NEEDS_TYPE,
        ci.NEW_NEEDS_REFERRAL,
    ]


def test_problems_of_every_kind_are_collected_together():
    row = {
        **POUL, "postnr": "800", "forloebsansvarlig": "M1234", "kontaktperson": "M2",
        "fra": "01.01.2027", "habituel_puls": "300",
    }  # fmt: skip
    assert refused(row) == [
        "Postnr 800 skal være fire cifre.",
        "Habituel puls skal være mellem 20 og 250, ikke 300.",
        "Forløbsansvarlig skal være SOSU-assistent, sygeplejerske eller terapeut.",
        "Kontaktpersonen Sara Sørensen (M2) er ikke medlem af Team Nord den 01.01.2027.",
    ]


def test_kontaktteam_is_not_looked_up_in_an_unknown_team():
    assert refused({**POUL, "team": "Team Vest", "kontaktteam": "KT 1"}) == [
        "Ukendt team: Team Vest."
    ]


def test_unknown_team_on_update_is_not_a_move():
    directory = karen_in(planned_move_on=date(2027, 1, 1), placement_from=TODAY)
    assert refused({**KAREN_ROW, "team": "Team Vest"}, directory) == ["Ukendt team: Team Vest."]


def test_a_row_without_borgernr_is_not_compared_by_name():
    row = {**POUL, "borgernr": "", "navn": "Karen Jensen", "foedselsdato": "03.04.1941"}
    assert refused(row) == ["Borgernr mangler."]


def test_unknown_staff_skips_the_checks_that_need_them():
    assert refused({**POUL, "kontaktperson": "M999", "forloebsansvarlig": "M998"}) == [
        "Ukendt kontaktperson: ingen medarbejder har medarbejdernr M999.",
        "Ukendt forløbsansvarlig: ingen medarbejder har medarbejdernr M998.",
    ]


def test_unknown_pathway_type_skips_the_responsible_rules():
    assert refused({**POUL, "forloebstype": "kort", "forloebsansvarlig": ""}) == [
        "Ukendt forløbstype: kort. Brug enkelt, sammensat, varigt moderat eller varigt betydelig."
    ]


def test_new_citizen_needs_the_pathway_columns():
    row, columns = without(POUL, "forloebstype", "henvendelse")
    assert refused(row, columns=columns) == [ci.NEW_NEEDS_TYPE, ci.NEW_NEEDS_REFERRAL]


# --- Pathway types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("enkelt", SIMPLE),
        ("Enkelt", SIMPLE),
        (" SAMMENSAT ", COMPOSITE),
        ("varigt moderat", MODERATE),
        ("Varigt_Moderat", MODERATE),
        ("VARIGT  MODERAT", MODERATE),
        ("varigt-moderat", MODERATE),
        ("varigt betydelig", CONSIDERABLE),
        ("varigt_betydelig", CONSIDERABLE),
        ("Varigt forløb, betydelig", CONSIDERABLE),
        ("Enkelt forløb (op til 8 uger)", SIMPLE),
        ("Varigt forloeb, moderat", MODERATE),
    ],
)
def test_pathway_type_words(text, kind):
    forloebsansvarlig = "" if kind is MODERATE else "M3"
    row = one_row({**POUL, "forloebstype": text, "forloebsansvarlig": forloebsansvarlig})
    assert row.action == Action.CREATE, row.reasons
    assert row.pathway == WantedPathway(kind, date(2026, 11, 20))


# --- The responsible people (DOMAIN §3) -----------------------------------------------------

KP_ROLE = "Kontaktpersonen skal være SOSU-hjælper eller SOSU-assistent."
FA_ROLE = "Forløbsansvarlig skal være SOSU-assistent, sygeplejerske eller terapeut."
FA_NEEDED = "Forløbet skal have en navngiven forløbsansvarlig."
FA_NONE = "Et varigt moderat forløb har ingen forløbsansvarlig."


@pytest.mark.parametrize(
    ("kind", "kontaktperson", "forloebsansvarlig", "reasons"),
    [
        ("enkelt", "M1234", "M3", []),
        ("enkelt", "M1234", "M4", []),
        ("enkelt", "M1234", "M2", []),  # an SSA may be forløbsansvarlig
        ("enkelt", "M2", "M2", []),  # ... and kontaktperson too
        ("enkelt", "M1234", "", [FA_NEEDED]),
        ("enkelt", "M1234", "M1234", [FA_ROLE]),
        ("sammensat", "M1234", "", [FA_NEEDED]),
        ("sammensat", "M1234", "M5", [FA_ROLE]),
        ("varigt betydelig", "M1234", "M3", []),
        ("varigt betydelig", "M1234", "", [FA_NEEDED]),
        ("varigt moderat", "M1234", "", []),
        ("varigt moderat", "M1234", "M3", [FA_NONE]),
        ("varigt moderat", "M5", "", [KP_ROLE]),
        ("enkelt", "M5", "M3", [KP_ROLE]),
        ("enkelt", "M5", "M5", [KP_ROLE, FA_ROLE]),
    ],
)
def test_responsible_rules_per_pathway_type(kind, kontaktperson, forloebsansvarlig, reasons):
    row = {
        **POUL, "forloebstype": kind, "kontaktperson": kontaktperson,
        "forloebsansvarlig": forloebsansvarlig,
    }  # fmt: skip
    planned = one_row(row)
    assert planned.reasons == reasons
    if not reasons:
        assert planned.action == Action.CREATE
        assert planned.citizen.forloebsansvarlig_id == (
            {"M3": 3, "M4": 4, "M2": 2}.get(forloebsansvarlig)
        )


def test_a_nurse_as_kontaktperson_is_refused_with_her_membership():
    directory = with_staff(replace(NIELS, memberships=[team(1)]))
    assert refused({**POUL, "kontaktperson": "M3"}, directory) == [KP_ROLE]


def test_citizen_without_a_pathway_needs_no_forloebsansvarlig():
    assert one_row(INGE_ROW).action == Action.UNCHANGED
    row = one_row({**INGE_ROW, "forloebsansvarlig": "M3"})
    assert row.changes == [Change("Forløbsansvarlig", "(ingen)", "Niels Nielsen (M3)")]
    assert refused({**INGE_ROW, "forloebsansvarlig": "M1234"}) == [FA_ROLE]


# --- Memberships on the placement day -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fra", "reasons"),
    [
        ("31.12.2026", []),
        (
            "01.01.2027",
            ["Kontaktpersonen Sara Sørensen (M2) er ikke medlem af Team Nord den 01.01.2027."],
        ),
    ],
)
def test_kontaktperson_membership_ends(fra, reasons):
    assert one_row({**POUL, "kontaktperson": "M2", "fra": fra}).reasons == reasons


@pytest.mark.parametrize(
    ("fra", "reasons"),
    [
        (
            "31.12.2026",
            ["Kontaktpersonen Sara Sørensen (M2) er ikke medlem af Team Syd den 31.12.2026."],
        ),
        ("01.01.2027", []),
    ],
)
def test_kontaktperson_membership_begins(fra, reasons):
    row = {**POUL, "team": "Team Syd", "kontaktperson": "M2", "fra": fra}
    assert one_row(row).reasons == reasons


@pytest.mark.parametrize(
    ("fra", "reasons"),
    [
        (
            "30.11.2026",
            [
                "Den forløbsansvarlige Niels Nielsen (M3) er hverken medlem af Team Syd eller "
                "knyttet til det som basisteam den 30.11.2026."
            ],
        ),
        ("01.12.2026", []),
    ],
)
def test_forloebsansvarlig_basisteam_begins(fra, reasons):
    row = {**POUL, "team": "Team Syd", "kontaktperson": "M7", "fra": fra}
    assert one_row(row).reasons == reasons


def test_forloebsansvarlig_may_be_a_team_member():
    row = one_row({**POUL, "forloebsansvarlig": "M2", "fra": "31.12.2026"})
    assert row.action == Action.CREATE
    assert refused({**POUL, "forloebsansvarlig": "M2", "fra": "01.01.2027"}) == [
        "Den forløbsansvarlige Sara Sørensen (M2) er hverken medlem af Team Nord eller "
        "knyttet til det som basisteam den 01.01.2027."
    ]


def test_forloebsansvarlig_only_in_the_health_unit_is_refused():
    assert refused({**POUL, "forloebsansvarlig": "M10"}) == [
        "Den forløbsansvarlige Nina Nord (M10) er hverken medlem af Team Nord eller knyttet "
        "til det som basisteam den 25.11.2026."
    ]


def test_kontaktperson_needs_a_team_membership_not_a_basisteam():
    assert refused({**POUL, "kontaktperson": "M9"}) == [
        "Kontaktpersonen Bent Berg (M9) er ikke medlem af Team Nord den 25.11.2026."
    ]


def test_kontaktperson_in_another_team():
    assert refused({**POUL, "kontaktperson": "M7"}) == [
        "Kontaktpersonen Hans Hansen (M7) er ikke medlem af Team Nord den 25.11.2026."
    ]


def test_staff_without_medarbejdernr_is_named_without_it():
    directory = karen_in(with_staff(replace(UFFE, memberships=[basis(2)])), forloebsansvarlig_id=8)
    row, columns = without(KAREN_ROW, "forloebsansvarlig")
    assert refused(row, directory, columns=columns) == [
        "Den forløbsansvarlige Uffe Uden er hverken medlem af Team Nord eller knyttet til det "
        "som basisteam den 25.11.2026."
    ]


def test_an_unchanged_citizen_is_checked_today():
    ended = replace(METTE, memberships=[team(1, valid_to=date(2026, 11, 24))])
    assert refused(KAREN_ROW, with_staff(ended)) == [
        "Kontaktpersonen Mette Holm (M1234) er ikke medlem af Team Nord den 25.11.2026."
    ]
    ends_today = replace(METTE, memberships=[team(1, valid_to=TODAY)])
    assert one_row(KAREN_ROW, with_staff(ends_today)).action == Action.UNCHANGED


def test_an_unchanged_citizen_ignores_fra_for_memberships():
    ended = replace(METTE, memberships=[team(1, valid_to=date(2026, 12, 31))])
    row = one_row({**KAREN_ROW, "fra": "01.02.2027"}, with_staff(ended))
    assert row.action == Action.UNCHANGED


def test_a_moved_citizen_is_checked_on_fra():
    row = {**KAREN_ROW, "team": "Team Syd", "kontaktteam": "", "kontaktperson": "M2"}
    assert refused({**row, "fra": "31.12.2026"}) == [
        "Kontaktpersonen Sara Sørensen (M2) er ikke medlem af Team Syd den 31.12.2026."
    ]
    assert one_row({**row, "fra": "01.01.2027"}).action == Action.UPDATE


# --- Duplicates ---------------------------------------------------------------------------------


def test_same_borgernr_twice_refuses_both_rows():
    result = plan(csv_file(POUL, RUTH, {**POUL, "navn": "Poul Andersen"}))
    assert not result.ok
    first, ruth, second = result.rows
    assert first.reasons == ["Borgernr B200 står også i linje 4."]
    assert second.reasons == ["Borgernr B200 står også i linje 2."]
    assert ruth.action == Action.CREATE
    assert result.counts[Action.REFUSED] == 2 and result.counts[Action.CREATE] == 1


def test_same_borgernr_three_times_names_all_other_lines():
    rows = [{**POUL, "navn": f"Poul {n}"} for n in "ABC"]
    assert plan(csv_file(*rows)).rows[0].reasons == ["Borgernr B200 står også i linje 3 og 4."]


def test_same_person_twice_in_the_file_under_two_borgernr():
    other = {**POUL, "borgernr": "B300", "navn": " poul  POULSEN ", "foedselsdato": "1938-05-12"}
    first, second = plan(csv_file(POUL, other)).rows
    assert first.reasons == [
        "En anden borger med samme navn og fødselsdato står i linje 3."
    ]  # fmt: skip
    assert second.reasons == [
        "En anden borger med samme navn og fødselsdato står i linje 2."
    ]  # fmt: skip


def test_same_name_with_another_birth_date_is_another_person():
    other = {**POUL, "borgernr": "B300", "foedselsdato": "13.05.1938"}
    assert plan(csv_file(POUL, other)).ok


def test_new_row_for_a_citizen_without_borgernr():
    row = {**POUL, "navn": "ERIK  OLSEN", "foedselsdato": "1930-01-01"}
    assert refused(row) == [
        "Der findes allerede en borger med samme navn og fødselsdato (Erik Olsen, født "
        "01.01.1930) uden borgernr. Er det samme borger, skal den borger have borgernr B200, "
        "før filen indlæses."
    ]


def test_new_row_for_a_citizen_with_another_borgernr():
    row = {**POUL, "navn": "Karen Jensen", "foedselsdato": "03.04.1941"}
    assert refused(row) == [
        "Der findes allerede en borger med samme navn og fødselsdato (Karen Jensen, født "
        "03.04.1941) med borgernr B100. Er det samme borger, så brug det borgernr i filen."
    ]


def test_known_borgernr_is_an_update_not_a_duplicate():
    assert one_row(KAREN_ROW).action == Action.UNCHANGED


# --- Re-import and updates ------------------------------------------------------------------------


def test_reimport_of_an_identical_file_changes_nothing():
    text = csv_file(POUL, RUTH)
    first = plan(text, EMPTY_DIRECTORY)
    directory = applied(first, EMPTY_DIRECTORY)
    again = plan(text, directory, TODAY + timedelta(days=3))
    assert again.ok
    assert [r.action for r in again.rows] == [Action.UNCHANGED] * 2
    assert all(r.changes == [] for r in again.rows)
    assert all(r.placement is r.pathway is r.pathway_change is None for r in again.rows)
    assert [r.existing_id for r in again.rows] == [1000, 1001]
    assert [r.citizen for r in again.rows] == [r.citizen for r in first.rows]
    # henvendelse is in the file: it is ignored now that the pathway exists
    assert again.rows[0].notes == [
        "Henvendelsesdatoen 20.11.2026 ignoreres: den bruges kun, når et forløb begynder, og "
        "borgeren har allerede et."
    ]


def test_reimport_months_later_with_an_old_fra():
    text = csv_file(RUTH)
    directory = applied(plan(text, EMPTY_DIRECTORY), EMPTY_DIRECTORY)
    [row] = plan(text, directory, date(2027, 6, 1)).rows
    assert row.action == Action.UNCHANGED  # fra 01.12.2026 is not used: nothing moves


def test_unchanged_existing_citizen():
    row = one_row(KAREN_ROW)
    assert row.action == Action.UNCHANGED
    assert row.existing_id == 500
    assert row.citizen == WantedCitizen(
        **{f.name: getattr(KAREN, f.name) for f in fields(WantedCitizen)}
    )
    assert row.changes == row.notes == row.reasons == []


def test_spacing_and_separators_in_notes_are_not_a_change():
    for notes in ("KOL;demens", " KOL | demens ", "KOL;; demens;"):
        row = one_row({**KAREN_ROW, "noter": notes})
        assert row.action == Action.UNCHANGED, notes
        assert row.citizen.key_notes == "KOL; demens"


def test_stored_notes_with_other_spacing_are_kept():
    row = one_row(KAREN_ROW, karen_in(key_notes="KOL ;demens"))
    assert row.action == Action.UNCHANGED
    assert row.citizen.key_notes == "KOL ;demens"


@pytest.mark.parametrize(
    ("overrides", "change"),
    [
        ({"navn": "Karen  Holm"}, Change("Navn", "Karen Jensen", "Karen Holm")),
        ({"foedselsdato": "1941-04-04"}, Change("Fødselsdato", "03.04.1941", "04.04.1941")),
        ({"adresse": "Østergade 2"}, Change("Adresse", "Vestergade 1", "Østergade 2")),
        ({"postnr": "8200"}, Change("Postnr", "8000", "8200")),
        ({"by": "Aarhus N"}, Change("By", "Aarhus C", "Aarhus N")),
        ({"telefon": "+45 86 12 34 56"}, Change("Telefon", "86 12 34 56", "+45 86 12 34 56")),
        ({"telefon": ""}, Change("Telefon", "86 12 34 56", "(ingen)")),
        ({"noter": "KOL|demens|ilt"}, Change("Noter", "KOL; demens", "KOL; demens; ilt")),
        ({"noter": ""}, Change("Noter", "KOL; demens", "(ingen)")),
        ({"habituel_puls": "80"}, Change("Habituel puls", "72", "80")),
        ({"habituel_puls": ""}, Change("Habituel puls", "72", "(ingen)")),
        ({"habituel_blodtryk": "140"}, Change("Habituelt blodtryk", "130", "140")),
        ({"habituel_respiration": "18"}, Change("Habituel respiration", "16", "18")),
        ({"habituel_mobilitet": ""}, Change("Habituel mobilitet", "Går med rollator", "(ingen)")),
        ({"habituel_appetit": "Nedsat"}, Change("Habituel appetit", "God", "Nedsat")),
        ({"habituel_kognition": "Klar"}, Change("Habituel kognition", "Let demens", "Klar")),
        (
            {"kontaktperson": "M2"},
            Change("Kontaktperson", "Mette Holm (M1234)", "Sara Sørensen (M2)"),
        ),
        (
            {"forloebsansvarlig": "M4"},
            Change("Forløbsansvarlig", "Niels Nielsen (M3)", "Tina Thomsen (M4)"),
        ),
    ],
)  # fmt: skip
def test_one_change(overrides, change):
    row = one_row({**KAREN_ROW, **overrides})
    assert row.action == Action.UPDATE, row.reasons
    assert row.changes == [change]
    assert row.existing_id == 500
    assert row.placement is row.pathway is row.pathway_change is None


def test_tobs_becomes_nej_with_a_reason():
    row = one_row({**KAREN_ROW, "tobs": "n", "tobs_undtagelse": "Terminal borger"})
    assert row.changes == [
        Change("TOBS", "ja", "nej"),
        Change("TOBS-undtagelse", "(ingen)", "Terminal borger"),
    ]
    assert row.citizen.tobs_applies is False
    assert row.citizen.tobs_exemption_reason == "Terminal borger"


def test_tobs_becomes_ja_clears_the_reason():
    directory = karen_in(tobs_applies=False, tobs_exemption_reason="Terminal borger")
    row, columns = without(KAREN_ROW, "tobs_undtagelse")
    planned = one_row(row, directory, columns=columns)
    assert planned.changes == [
        Change("TOBS", "nej", "ja"),
        Change("TOBS-undtagelse", "Terminal borger", "(ingen)"),
    ]
    assert planned.citizen.tobs_exemption_reason is None


def test_tobs_nej_kept_with_its_reason_when_the_columns_are_absent():
    directory = karen_in(tobs_applies=False, tobs_exemption_reason="Terminal borger")
    row, columns = without(KAREN_ROW, "tobs", "tobs_undtagelse")
    planned = one_row(row, directory, columns=columns)
    assert planned.action == Action.UNCHANGED
    assert planned.citizen.tobs_exemption_reason == "Terminal borger"
    row, columns = without({**KAREN_ROW, "tobs": "nej"}, "tobs_undtagelse")
    assert one_row(row, directory, columns=columns).action == Action.UNCHANGED


def test_tobs_nej_without_a_reason_on_update():
    row, columns = without({**KAREN_ROW, "tobs": "nej"}, "tobs_undtagelse")
    assert refused(row, columns=columns) == [ci.TOBS_NEEDS_REASON]


def test_empty_tobs_cell_means_ja():
    directory = karen_in(tobs_applies=False, tobs_exemption_reason="Terminal borger")
    planned = one_row({**KAREN_ROW, "tobs": ""}, directory)
    assert planned.citizen.tobs_applies is True
    assert [c.field for c in planned.changes] == ["TOBS", "TOBS-undtagelse"]


@pytest.mark.parametrize("column", ci.OPTIONAL_COLUMNS)
def test_an_absent_optional_column_keeps_the_detail(column):
    row, columns = without(KAREN_ROW, column)
    planned = one_row(row, columns=columns)
    assert planned.action == Action.UNCHANGED, planned.reasons
    assert planned.citizen == one_row(KAREN_ROW).citizen


@pytest.mark.parametrize(
    ("column", "field", "empty"),
    [
        ("telefon", "phone", None),
        ("noter", "key_notes", ""),
        ("habituel_puls", "habitual_pulse", None),
        ("habituel_blodtryk", "habitual_systolic_bp", None),
        ("habituel_respiration", "habitual_respiration", None),
        ("habituel_mobilitet", "habitual_mobility", None),
        ("habituel_appetit", "habitual_appetite", None),
        ("habituel_kognition", "habitual_cognition", None),
    ],
)
def test_an_empty_cell_clears_the_detail(column, field, empty):
    planned = one_row({**KAREN_ROW, column: ""})
    assert planned.action == Action.UPDATE
    assert getattr(planned.citizen, field) == empty
    assert [c.field for c in planned.changes] == [ci.LABELS[field]]


def test_empty_kontaktteam_cell_is_a_move_to_the_team_alone():
    row = one_row({**KAREN_ROW, "kontaktteam": "", "fra": "01.12.2026"})
    assert row.changes == [Change("Kontaktteam", "KT 1", "(ingen) (fra 01.12.2026)")]
    assert row.placement == WantedPlacement(1, None, date(2026, 12, 1))
    assert row.citizen.kontaktteam_id is None


def test_empty_forloebsansvarlig_cell_clears_it():
    directory = karen_in(pathway_type="varigt_moderat")
    row = one_row({**KAREN_ROW, "forloebstype": "", "forloebsansvarlig": ""}, directory)
    assert row.changes == [Change("Forløbsansvarlig", "Niels Nielsen (M3)", "(ingen)")]
    assert row.citizen.forloebsansvarlig_id is None


def test_empty_forloebstype_on_a_known_citizen_keeps_the_pathway():
    row = one_row({**KAREN_ROW, "forloebstype": ""})
    assert row.action == Action.UNCHANGED and row.pathway_change is None


def test_kept_forloebsansvarlig_must_still_be_active():
    directory = with_staff(replace(NIELS, active=False))
    row, columns = without(KAREN_ROW, "forloebsansvarlig")
    assert refused(row, directory, columns=columns) == [
        "Den forløbsansvarlige Niels Nielsen (M3) er ikke aktiv."
    ]


def test_kept_forloebsansvarlig_who_is_not_known():
    row, columns = without(KAREN_ROW, "forloebsansvarlig")
    assert refused(row, karen_in(forloebsansvarlig_id=99), columns=columns) == [
        "Borgerens forløbsansvarlige (medarbejder 99) findes ikke; angiv en ny i kolonnen "
        "forloebsansvarlig."
    ]


def test_change_of_a_person_the_caller_did_not_list():
    row = one_row(KAREN_ROW, karen_in(kontaktperson_id=99))
    assert row.changes == [Change("Kontaktperson", "medarbejder 99", "Mette Holm (M1234)")]


def test_reactivation_is_not_the_imports_business():
    """A citizen has no active flag: the import never ends or reopens a citizen."""
    assert "active" not in {f.name for f in fields(WantedCitizen)}


# --- Moves --------------------------------------------------------------------------------------


def test_team_move_from_fra():
    row = {**KAREN_ROW, "team": "Team Syd", "kontaktteam": "KT 3", "kontaktperson": "M7"}
    planned = one_row({**row, "fra": "01.12.2026"})
    assert planned.action == Action.UPDATE, planned.reasons
    assert planned.changes == [
        Change("Team", "Team Nord", "Team Syd (fra 01.12.2026)"),
        Change("Kontaktteam", "KT 1", "KT 3 (fra 01.12.2026)"),
        Change("Kontaktperson", "Mette Holm (M1234)", "Hans Hansen (M7)"),
    ]
    assert planned.placement == WantedPlacement(2, 12, date(2026, 12, 1))
    assert (planned.citizen.team_id, planned.citizen.kontaktteam_id) == (2, 12)


def test_team_move_from_today_by_default():
    row = {**KAREN_ROW, "team": "Team Syd", "kontaktteam": "", "kontaktperson": "M7"}
    assert refused(row) == [
        "Den forløbsansvarlige Niels Nielsen (M3) er hverken medlem af Team Syd eller knyttet "
        "til det som basisteam den 25.11.2026."
    ]
    directory = with_staff(replace(NIELS, memberships=[basis(2, TODAY)]))
    assert one_row(row, directory).placement == WantedPlacement(2, None, TODAY)


def test_kontaktteam_move_within_the_team():
    row = one_row({**KAREN_ROW, "kontaktteam": "KT 2"})
    assert row.changes == [Change("Kontaktteam", "KT 1", "KT 2 (fra 25.11.2026)")]
    assert row.placement == WantedPlacement(1, 11, TODAY)


def test_a_new_team_without_a_kontaktteam_column_has_none():
    row, columns = without(
        {**KAREN_ROW, "team": "Team Syd", "kontaktperson": "M7", "forloebsansvarlig": "M4"},
        "kontaktteam",
    )
    directory = with_staff(replace(TINA, memberships=[basis(2)]))
    planned = one_row(row, directory, columns=columns)
    assert planned.placement == WantedPlacement(2, None, TODAY)
    assert [c.field for c in planned.changes] == [
        "Team", "Kontaktteam", "Kontaktperson", "Forløbsansvarlig",
    ]  # fmt: skip


def test_the_same_team_without_a_kontaktteam_column_keeps_it():
    row, columns = without(KAREN_ROW, "kontaktteam")
    planned = one_row(row, columns=columns)
    assert planned.action == Action.UNCHANGED
    assert planned.citizen.kontaktteam_id == 10 and planned.placement is None


@pytest.mark.parametrize(
    ("fra", "reasons"),
    [
        ("09.11.2026", ["09.11.2026"]),
        ("10.11.2026", ["10.11.2026"]),  # the day it began: the old one would end before it
        ("11.11.2026", []),
    ],
)
def test_a_move_must_start_after_the_current_placement(fra, reasons):
    directory = karen_in(placement_from=date(2026, 11, 10))
    row = one_row({**KAREN_ROW, "kontaktteam": "KT 2", "fra": fra}, directory)
    assert row.reasons == [
        "Den nuværende placering (Team Nord / KT 1) begynder 10.11.2026; flytningen skal have "
        f"en fra-dato efter den dag, ikke {day}."
        for day in reasons
    ]
    assert row.action == (Action.REFUSED if reasons else Action.UPDATE)


def test_a_move_when_another_is_planned_is_refused():
    directory = karen_in(planned_move_on=date(2027, 1, 1))
    assert refused({**KAREN_ROW, "kontaktteam": "KT 2"}, directory) == [
        "Borgeren har allerede en planlagt flytning den 01.01.2027. Annullér den først på "
        "borgerens side."
    ]
    assert one_row(KAREN_ROW, directory).action == Action.UNCHANGED


def test_fra_window_applies_to_a_move():
    assert refused({**KAREN_ROW, "kontaktteam": "KT 2", "fra": "24.10.2026"}) == [
        "Fra-datoen 24.10.2026 ligger mere end 30 dage tilbage (tidligst 26.10.2026)."
    ]
    assert one_row({**KAREN_ROW, "fra": "24.10.2026"}).action == Action.UNCHANGED


# --- Pathways -------------------------------------------------------------------------------------


def test_pathway_change_from_fra():
    row = one_row({**KAREN_ROW, "forloebstype": "varigt betydelig", "fra": "01.12.2026"})
    assert row.action == Action.UPDATE
    assert row.pathway_change == WantedPathwayChange(CONSIDERABLE, date(2026, 12, 1))
    assert row.pathway is None and row.placement is None
    assert row.changes == [
        Change(
            "Forløbstype",
            "Sammensat forløb (op til 12 uger)",
            "Varigt forløb, betydelig (fra 01.12.2026)",
        )
    ]


def test_pathway_change_today_by_default():
    row = one_row({**KAREN_ROW, "forloebstype": "enkelt"})
    assert row.pathway_change == WantedPathwayChange(SIMPLE, TODAY)


@pytest.mark.parametrize(("fra", "ok"), [("30.09.2026", False), ("01.10.2026", True)])
def test_pathway_change_not_before_the_current_pathway(fra, ok):
    directory = karen_in(pathway_started_on=date(2026, 10, 1))
    today = date(2026, 10, 20)
    result = plan(csv_file({**KAREN_ROW, "forloebstype": "enkelt", "fra": fra}), directory, today)
    [row] = result.rows
    if ok:
        assert row.action == Action.UPDATE, row.reasons
    else:
        assert row.reasons == [
            "Forløbsskiftet den 30.09.2026 ligger før det nuværende forløb begyndte (01.10.2026)."
        ]


def test_pathway_change_checks_the_fra_window():
    assert refused({**KAREN_ROW, "forloebstype": "enkelt", "fra": "01.12.2027"}) == [
        "Fra-datoen 01.12.2027 ligger mere end et år frem (senest 25.11.2027)."
    ]


def test_pathway_change_to_varigt_moderat_needs_the_forloebsansvarlig_cleared():
    row, columns = without({**KAREN_ROW, "forloebstype": "varigt moderat"}, "forloebsansvarlig")
    assert refused(row, columns=columns) == [FA_NONE]
    planned = one_row({**KAREN_ROW, "forloebstype": "varigt moderat", "forloebsansvarlig": ""})
    assert [c.field for c in planned.changes] == ["Forløbsansvarlig", "Forløbstype"]
    assert planned.pathway_change == WantedPathwayChange(MODERATE, TODAY)


def test_pathway_change_from_varigt_moderat_needs_a_forloebsansvarlig():
    row = {**KAREN_ROW, "forloebstype": "enkelt", "forloebsansvarlig": ""}
    assert refused(row, karen_in(pathway_type="varigt_moderat", forloebsansvarlig_id=None)) == [
        FA_NEEDED
    ]


def test_henvendelse_with_a_pathway_change_is_ignored_with_a_note():
    row = one_row({**KAREN_ROW, "forloebstype": "enkelt", "henvendelse": "01.11.2026"})
    assert row.pathway_change == WantedPathwayChange(SIMPLE, TODAY)
    assert row.notes == [
        "Henvendelsesdatoen 01.11.2026 ignoreres: den bruges kun, når et forløb begynder, og "
        "borgeren har allerede et."
    ]


def test_henvendelse_with_the_same_type_is_ignored_with_a_note():
    row = one_row({**KAREN_ROW, "henvendelse": "01.11.2026"})
    assert row.action == Action.UNCHANGED
    assert len(row.notes) == 1 and row.notes[0].startswith("Henvendelsesdatoen 01.11.2026")


def test_citizen_without_a_pathway_gets_one():
    row = one_row({**INGE_ROW, "forloebstype": "varigt moderat", "henvendelse": "10.11.2026"})
    assert row.action == Action.UPDATE
    assert row.pathway == WantedPathway(MODERATE, date(2026, 11, 10))
    assert row.pathway_change is None
    assert row.changes == [
        Change("Forløbstype", "(ingen)", "Varigt forløb, moderat (henvendelse 10.11.2026)")
    ]


def test_citizen_without_a_pathway_needs_the_henvendelse():
    assert refused({**INGE_ROW, "forloebstype": "enkelt", "forloebsansvarlig": "M3"}) == [
        ci.NO_PATHWAY_NEEDS_REFERRAL
    ]


def test_henvendelse_alone_starts_no_pathway():
    row = one_row({**INGE_ROW, "henvendelse": "10.11.2026"})
    assert row.action == Action.UNCHANGED and row.pathway is None and row.notes == []


# --- The whole plan -------------------------------------------------------------------------------


def test_refused_rows_block_the_whole_plan():
    result = plan(csv_file(KAREN_ROW, {**POUL, "team": "Team Vest"}, RUTH))
    assert not result.ok
    assert result.counts == {
        Action.CREATE: 1, Action.UPDATE: 0, Action.UNCHANGED: 1, Action.REFUSED: 1,
    }  # fmt: skip


def test_a_mixed_file():
    rows = [KAREN_ROW, {**INGE_ROW, "telefon": "12345678"}, POUL]
    result = plan(csv_file(*rows))
    assert result.ok
    assert [r.action for r in result.rows] == [Action.UNCHANGED, Action.UPDATE, Action.CREATE]
    assert [r.existing_id for r in result.rows] == [500, 502, None]


# --- File-level errors ----------------------------------------------------------------------------

HEADER = ";".join(COLUMNS)


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ("", [csv_table.EMPTY_FILE]),
        ("\ufeff", [csv_table.EMPTY_FILE]),
        ("\n \n", [csv_table.EMPTY_FILE]),
        (HEADER + "\n", [ci.HEADER_ONLY]),
        (HEADER + "\n\n;;\n", [ci.HEADER_ONLY]),
        (
            "borgernr;navn;adresse;postnr;by;team;kontaktperson\nB1;A;V;8000;B;T;M\n",
            ["Kolonnen foedselsdato mangler."],
        ),
        (
            "navn;team\n",
            [
                "Kolonnen borgernr mangler.",
                "Kolonnen foedselsdato mangler.",
                "Kolonnen adresse mangler.",
                "Kolonnen postnr mangler.",
                "Kolonnen by mangler.",
                "Kolonnen kontaktperson mangler.",
                ci.HEADER_ONLY,
            ],
        ),
        (HEADER + ";Team\nB1\n", ["Kolonnen team står flere gange."]),
    ],
)
def test_file_errors(text, errors):
    result = plan(text)
    assert result.file_errors == errors
    assert result.rows == [] and not result.ok


def test_unknown_columns_are_one_error():
    result = plan(csv_file(POUL, columns=(*COLUMNS, "cpr", "Afdeling")))
    [error] = result.file_errors
    assert error.startswith("Ukendte kolonner: cpr, Afdeling. Tilladte kolonner: borgernr, ")
    assert error.endswith(", habituel_kognition, fra.")


def test_staff_columns_are_unknown_here():
    result = plan(csv_file(POUL, columns=(*COLUMNS, "medarbejdernr")))
    assert result.file_errors[0].startswith("Ukendte kolonner: medarbejdernr.")


def test_too_many_rows():
    rows = [{**POUL, "borgernr": f"B{n}", "navn": f"Borger {n}"} for n in range(5001)]
    assert plan(csv_file(*rows), EMPTY_DIRECTORY).file_errors == [ci.TOO_MANY_ROWS]
    result = plan(csv_file(*rows[:5000]), EMPTY_DIRECTORY)
    assert result.ok and result.counts[Action.CREATE] == 5000


def test_too_big_counts_bytes_not_characters():
    header = ";".join(ci.REQUIRED_COLUMNS) + "\n"
    assert plan(header + "x" * csv_table.MAX_BYTES).file_errors == [csv_table.TOO_BIG]
    assert plan(header + "ø" * (csv_table.MAX_BYTES // 2)).file_errors == [csv_table.TOO_BIG]
    assert csv_table.MAX_BYTES == 2 * 1024 * 1024 and csv_table.MAX_ROWS == 5000


def test_unreadable_csv_names_the_line():
    text = HEADER + "\nB1;" + "x" * 200_000 + "\n"
    assert plan(text).file_errors == ["Filen kunne ikke læses som CSV (linje 2)."]


# --- Contract -------------------------------------------------------------------------------------


def test_plan_repr_is_the_same_every_time():
    text = csv_file(KAREN_ROW, {**KAREN_ROW, "borgernr": "B102"}, POUL, RUTH)
    assert repr(plan(text)) == repr(plan(text))


def test_plan_repr_does_not_depend_on_the_hash_seed():
    script = (
        "import sys; sys.path.insert(0, 'tests/unit'); import test_citizen_import as t; "
        "print(repr(t.plan(t.csv_file(t.KAREN_ROW, {**t.KAREN_ROW, 'kontaktteam': 'KT 2'}, "
        "t.POUL, t.RUTH, {**t.POUL, 'borgernr': 'B9', 'team': 'Team Vest'}))))"
    )
    root = Path(__file__).resolve().parents[2]
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1 and "CitizenImportPlan(" in outputs.pop()


def test_a_changed_plan_has_another_repr():
    before = repr(plan(csv_file(KAREN_ROW)))
    after = repr(plan(csv_file({**KAREN_ROW, "habituel_puls": "73"})))
    assert before != after


def test_existing_citizen_has_every_wanted_field():
    wanted = {f.name for f in fields(WantedCitizen)}
    assert wanted <= {f.name for f in fields(ExistingCitizen)}
    people = {
        "external_id",
        "team_id",
        "kontaktteam_id",
        "kontaktperson_id",
        "forloebsansvarlig_id",
    }
    assert set(ci.LABELS) == wanted - people
    assert tuple(f.name for f in fields(WantedCitizen)) == ci.CITIZEN_FIELDS


def test_wanted_citizen_matches_the_model():
    from webapp.models import Citizen

    model = set(Citizen.model_fields)
    assert {f.name for f in fields(WantedCitizen)} - {"external_id"} <= model


def test_pathway_types_are_the_domains():
    assert set(ci.PATHWAY_WORDS.values()) == set(PathwayType)


def test_module_is_pure():
    source = Path(ci.__file__).read_text(encoding="utf-8")
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module)
    allowed = {"re", "collections", "collections.abc", "dataclasses", "datetime"}
    assert {m for m in modules if not m.startswith("webapp.domain.")} <= allowed


def test_shared_table_helpers():
    assert csv_table.column_key(" TOBS-Undtagelse ") == "tobs_undtagelse"
    assert csv_table.column_key("Habituel  puls") == "habituel_puls"
    assert csv_table.column_key("Fødselsdato") == "foedselsdato"
    assert csv_table.name_key("  Team   ÆØÅ ") == "team aeoeaa"
    assert csv_table.format_date(None) == "(ingen)"
    assert csv_table.and_list(["2", "3", "4"]) == "2, 3 og 4"


def test_the_directory_is_read_only_for_a_readable_file():
    calls = []

    def load():
        calls.append(1)
        return CitizenDirectory([], [], [], [])

    header = "borgernr;navn;foedselsdato;adresse;postnr;by;team;kontaktperson\n"
    refused = plan_citizen_import(header + "B1;x;01.01.1940;v;8000;b;t;M1\n" * 5001, load, TODAY)
    assert refused.file_errors and calls == []
    plan_citizen_import(header + "B1;x;01.01.1940;v;8000;b;t;M1\n", load, TODAY)
    assert calls == [1]
