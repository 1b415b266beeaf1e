"""Importing staff from CSV: the plan (create, change, unchanged, refused) and its reasons."""

import ast
import csv
import io
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from webapp.domain import staff_import as si
from webapp.domain.roles import ROLE_LABELS, Role
from webapp.domain.staff_import import (
    BASISTEAM,
    HEALTH_UNIT,
    TEAM,
    Action,
    Change,
    Directory,
    EndMembership,
    ExistingMembership,
    ExistingStaff,
    KontaktteamRef,
    TeamRef,
    UnitRef,
    WantedMembership,
    WantedStaff,
    describe_membership,
    parse_date,
    plan_staff_import,
)

TODAY = date(2026, 11, 25)
H, A, N, T, L = Role.HELPER, Role.ASSISTANT, Role.NURSE, Role.THERAPIST, Role.LEADER

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
]
UNITS = [UnitRef(20, "Sundhedsenhed Nord"), UnitRef(21, "Sundhedsenhed Syd")]

ANNA = ExistingStaff(
    100, "M100", "anna", "Anna Hansen", "11 22 33 44", frozenset({H}), True,
    [ExistingMembership(TEAM, 1, 10, None, date(2025, 1, 1), None, id=500)],
)  # fmt: skip
BOB = ExistingStaff(101, None, "bob", "Bob Berg", None, frozenset({A}), True, [])
CARL = ExistingStaff(
    102, "M102", "carl", "Carl Clausen", None, frozenset({H}), False,
    [ExistingMembership(TEAM, 2, None, None, date(2024, 1, 1), date(2025, 6, 30))],
)  # fmt: skip
DITTE = ExistingStaff(
    103, "M103", "ditte", "Ditte Dam", "87654321", frozenset({N}), True,
    [
        ExistingMembership(HEALTH_UNIT, None, None, 20, date(2025, 1, 1), None),
        ExistingMembership(BASISTEAM, 1, None, None, date(2025, 1, 1), None),
        ExistingMembership(BASISTEAM, 2, None, None, date(2025, 1, 1), None),
    ],
)  # fmt: skip
DIRECTORY = Directory(TEAMS, KONTAKTTEAMS, UNITS, [ANNA, BOB, CARL, DITTE])
EMPTY_DIRECTORY = Directory(TEAMS, KONTAKTTEAMS, UNITS, [])

COLUMNS = (
    "medarbejdernr", "navn", "brugernavn", "telefon", "roller", "team", "kontaktteam",
    "sundhedsenhed", "basisteams", "fra", "til", "ansaettelse",
)  # fmt: skip
EVA = {
    "medarbejdernr": "M200", "navn": "Eva Eriksen", "brugernavn": "eva", "telefon": "12345678",
    "roller": "SOSU-hjælper", "team": "Team Nord", "kontaktteam": "KT 2",
}  # fmt: skip
FRANK = {
    "medarbejdernr": "M201", "navn": "Frank Friis", "brugernavn": "frank",
    "roller": "Sygeplejerske", "sundhedsenhed": "Sundhedsenhed Nord",
    "basisteams": "Team Nord/Team Syd", "fra": "01.12.2026",
}  # fmt: skip
ANNA_ROW = {
    "medarbejdernr": "M100", "navn": "Anna Hansen", "brugernavn": "anna",
    "telefon": "11 22 33 44", "roller": "SOSU-hjælper", "team": "Team Nord",
    "kontaktteam": "KT 1",
}  # fmt: skip
CARL_ROW = {
    "medarbejdernr": "M102", "navn": "Carl Clausen", "brugernavn": "carl",
    "roller": "hjaelper", "team": "Team Syd",
}  # fmt: skip
DITTE_ROW = {
    "medarbejdernr": "M103", "navn": "Ditte Dam", "brugernavn": "ditte",
    "telefon": "87654321", "roller": "sygeplejerske", "sundhedsenhed": "Sundhedsenhed Nord",
    "basisteams": "Team Nord | Team Syd",
}  # fmt: skip


def csv_file(*rows: dict, sep: str = ";", columns=COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue()


def plan(text: str, directory: Directory = DIRECTORY, today: date = TODAY) -> si.ImportPlan:
    return plan_staff_import(text, directory, today)


def one_row(row: dict, directory: Directory = DIRECTORY, **kwargs) -> si.RowPlan:
    result = plan(csv_file(row, **kwargs), directory)
    assert result.file_errors == []
    [planned] = result.rows
    return planned


def applied(result: si.ImportPlan, directory: Directory) -> Directory:
    """What the database side would hold after saving a plan of new people."""
    staff = list(directory.staff)
    for number, row in enumerate(result.rows):
        assert row.action == Action.CREATE
        memberships = [ExistingMembership(**vars(m)) for m in row.memberships]
        wanted = row.staff
        staff.append(
            ExistingStaff(
                1000 + number,
                wanted.external_id,
                wanted.username,
                wanted.full_name,
                wanted.phone,
                wanted.roles,
                True,
                memberships,
            )  # fmt: skip
        )
    return replace(directory, staff=staff)


# --- A good file ------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [";", ","])
def test_good_file_creates_everyone(sep):
    result = plan(csv_file(EVA, FRANK, sep=sep), EMPTY_DIRECTORY)
    assert result.ok and result.file_errors == []
    assert result.counts == {
        Action.CREATE: 2, Action.UPDATE: 0, Action.UNCHANGED: 0, Action.REFUSED: 0,
    }  # fmt: skip
    eva, frank = result.rows
    assert (eva.line, eva.external_id, eva.action) == (2, "M200", Action.CREATE)
    assert eva.staff == WantedStaff("M200", "Eva Eriksen", "eva", "12345678", frozenset({H}))
    assert eva.memberships == [WantedMembership(TEAM, 1, 11, None, TODAY, None)]
    assert eva.changes == [] and eva.ends == [] and eva.notes == [] and eva.reasons == []
    assert eva.existing_id is None
    assert frank.line == 3
    assert frank.staff == WantedStaff("M201", "Frank Friis", "frank", None, frozenset({N}))
    start = date(2026, 12, 1)
    assert frank.memberships == [
        WantedMembership(HEALTH_UNIT, None, None, 20, start, None),
        WantedMembership(BASISTEAM, 1, None, None, start, None),
        WantedMembership(BASISTEAM, 2, None, None, start, None),
    ]


def test_comma_file_with_quoted_fields():
    text = (
        "medarbejdernr,navn,brugernavn,roller,team\n"
        'M200,"Eriksen, Eva ""Evi""",eva,"SOSU-assistent/Leder",Team Nord\n'
    )
    [row] = plan(text).rows
    assert row.action == Action.CREATE
    assert row.staff.full_name == 'Eriksen, Eva "Evi"'
    assert row.staff.roles == {A, L}


def test_semicolon_file_with_quoted_fields_and_commas_inside():
    text = (
        "medarbejdernr;navn;brugernavn;roller;team\n"
        '"M200";"Eriksen; Eva";"eva";"hjaelper, leder";"Team Nord"\n'
        "M201;Friis, Frank;frank;terapeut;Team Syd\n"
    )
    eva, frank = plan(text).rows
    assert eva.staff.full_name == "Eriksen; Eva" and eva.staff.roles == {H, L}
    assert frank.staff.full_name == "Friis, Frank"  # `;` wins: the comma is text


def test_quoted_field_over_two_lines_keeps_line_numbers():
    text = (
        "medarbejdernr;navn;brugernavn;roller;team\n"
        'M200;"Eva\nEriksen";eva;hjaelper;Team Nord\n'
        "M201;Frank Friis;frank;kok;Team Nord\n"
    )
    eva, frank = plan(text).rows
    assert eva.staff.full_name == "Eva Eriksen"
    assert (eva.line, frank.line) == (2, 4)
    assert frank.action == Action.REFUSED


@pytest.mark.parametrize("as_bom", ["\ufeff", ""])
def test_byte_order_mark_is_ignored(as_bom):
    result = plan(as_bom + csv_file(EVA))
    assert result.ok and result.rows[0].action == Action.CREATE


def test_header_names_are_forgiving():
    text = (
        " MedarbejderNr ; NAVN ;Brugernavn;Roller;TEAM;Ansættelse\n"
        "M200;Eva Eriksen;EVA;hjaelper;  team nord ;VIKAR\n"
    )
    [row] = plan(text).rows
    assert row.action == Action.CREATE
    assert row.staff.username == "eva"
    assert row.memberships == [
        WantedMembership(TEAM, 1, None, None, TODAY, TODAY + timedelta(days=90))
    ]


def test_team_names_match_without_case_and_with_danish_letters():
    row = one_row({**EVA, "team": "TEAM ØSTBYEN", "kontaktteam": ""})
    assert row.memberships[0].team_id == 3
    row = one_row({**EVA, "team": "team oestbyen", "kontaktteam": ""})
    assert row.memberships[0].team_id == 3


def test_blank_lines_are_skipped_and_lines_are_the_files():
    text = csv_file(EVA, FRANK).replace("\nM201", "\n\n  \n;;;\nM201")
    eva, frank = plan(text).rows
    assert (eva.line, frank.line) == (2, 6)


def test_crlf_line_endings():
    text = csv_file(EVA, FRANK).replace("\n", "\r\n")
    result = plan(text)
    assert result.ok and [r.line for r in result.rows] == [2, 3]


def test_fewer_cells_than_columns_are_empty():
    text = "medarbejdernr;navn;brugernavn;roller;team;telefon\nM200;Eva;eva;leder;Team Nord\n"
    [row] = plan(text).rows
    assert row.action == Action.CREATE and row.staff.phone is None


def test_empty_trailing_cells_are_allowed_but_stray_values_refused():
    text = "medarbejdernr;navn;brugernavn;roller;team;\nM200;Eva;eva;leder;Team Nord;;\n"
    assert plan(text).rows[0].action == Action.CREATE
    text = "medarbejdernr;navn;brugernavn;roller;team\nM200;Eva;eva;leder;Team Nord;ekstra\n"
    assert plan(text).rows[0].reasons == [si.STRAY_CELLS]


def test_phone_spaces_are_tidied():
    assert one_row({**EVA, "telefon": " +45  12 34 56 78 "}).staff.phone == "+45 12 34 56 78"


# --- Refusals -------------------------------------------------------------------------------

ID_CHARS = "må kun have bogstaver a-z, tal, punktum, bindestreg og understreg (højst 40 tegn)."
USERNAME_RULE = "skal have 3-80 tegn: a-z, tal, punktum, bindestreg eller understreg."
PHONE_RULE = "må kun have tal, mellemrum og + (højst 32 tegn)."


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"medarbejdernr": ""}, "Medarbejdernr mangler."),
        ({"medarbejdernr": "M 200"}, f"Medarbejdernr M 200 {ID_CHARS}"),
        ({"medarbejdernr": "Æ200"}, f"Medarbejdernr Æ200 {ID_CHARS}"),
        ({"medarbejdernr": "M/200"}, f"Medarbejdernr M/200 {ID_CHARS}"),
        ({"medarbejdernr": "M" * 41}, f"Medarbejdernr {'M' * 41} {ID_CHARS}"),
        ({"navn": ""}, "Navn mangler."),
        ({"navn": "x" * 161}, "Navnet er for langt (højst 160 tegn)."),
        ({"brugernavn": ""}, "Brugernavn mangler."),
        ({"brugernavn": "ev"}, f"Brugernavnet ev {USERNAME_RULE}"),
        ({"brugernavn": "eva eriksen"}, f"Brugernavnet eva eriksen {USERNAME_RULE}"),
        ({"brugernavn": "evå"}, f"Brugernavnet evå {USERNAME_RULE}"),
        ({"brugernavn": "e" * 81}, f"Brugernavnet {'e' * 81} {USERNAME_RULE}"),
        ({"roller": ""}, "Roller mangler."),
        ({"roller": " / "}, "Roller mangler."),
        ({"telefon": "12-34-56-78"}, f"Telefonnummeret 12-34-56-78 {PHONE_RULE}"),
        ({"telefon": "+"}, f"Telefonnummeret + {PHONE_RULE}"),
        ({"telefon": "tlf 1234"}, f"Telefonnummeret tlf 1234 {PHONE_RULE}"),
        ({"telefon": "1" * 33}, f"Telefonnummeret {'1' * 33} {PHONE_RULE}"),
        ({"team": "Team Vest", "kontaktteam": ""}, "Ukendt team: Team Vest."),
        ({"team": "Team Dobbelt", "kontaktteam": ""}, "Flere teams hedder Team Dobbelt."),
        ({"kontaktteam": "KT 9"}, "Ukendt kontaktteam: KT 9 (i Team Nord)."),
        ({"kontaktteam": "KT 3"}, "Ukendt kontaktteam: KT 3 (i Team Nord)."),  # Team Syd's
        (
            {"team": "", "kontaktteam": "KT 1", "sundhedsenhed": "Sundhedsenhed Nord"},
            "Kontaktteam kræver et team.",
        ),
        ({"team": "", "kontaktteam": ""}, "Angiv team eller sundhedsenhed."),
        (
            {"team": "", "kontaktteam": "", "sundhedsenhed": "Sundhedsenhed Vest"},
            "Ukendt sundhedsenhed: Sundhedsenhed Vest.",
        ),
        ({"basisteams": "Team Syd"}, "Basisteams kræver en sundhedsenhed."),
        (
            {"sundhedsenhed": "Sundhedsenhed Nord", "basisteams": "Team Syd/Team Vest"},
            "Ukendt basisteam: Team Vest.",
        ),
        (
            {"sundhedsenhed": "Sundhedsenhed Nord", "basisteams": "Team Dobbelt"},
            "Flere teams hedder Team Dobbelt.",
        ),
        ({"fra": "31.02.2026"}, "Fra-datoen 31.02.2026 findes ikke."),
        ({"fra": "2026-13-01"}, "Fra-datoen 2026-13-01 findes ikke."),
        (
            {"fra": "01/03/2026"},
            "Fra-datoen skal skrives som 01.03.2026 eller 2026-03-01, ikke 01/03/2026.",
        ),
        ({"til": "29.02.2027"}, "Til-datoen 29.02.2027 findes ikke."),
        (
            {"til": "i morgen"},
            "Til-datoen skal skrives som 01.03.2026 eller 2026-03-01, ikke i morgen.",
        ),
        (
            {"fra": "01.12.2026", "til": "30.11.2026"},
            "Til-datoen 30.11.2026 ligger før fra-datoen 01.12.2026.",
        ),
        ({"til": "24.11.2026"}, "Til-datoen 24.11.2026 ligger før fra-datoen 25.11.2026."),
        ({"ansaettelse": "deltid"}, "Ansættelse skal være fast, vikar eller elev, ikke deltid."),
        ({"brugernavn": "anna"}, "Brugernavnet anna bruges allerede af en anden."),
        ({"brugernavn": "BOB"}, "Brugernavnet bob bruges allerede af en anden."),
    ],
)
def test_refusals(overrides, reason):
    row = one_row({**EVA, **overrides})
    assert row.action == Action.REFUSED
    assert reason in row.reasons, row.reasons
    assert row.staff is None and row.memberships == [] and row.ends == []
    assert row.line == 2


@pytest.mark.parametrize(
    ("roles", "unknown"),
    [("sosu", "sosu"), ("hjaelper/kok", "kok"), ("Sygeplejerske | læge", "læge")],
)
def test_unknown_role_is_named(roles, unknown):
    row = one_row({**EVA, "roller": roles})
    assert row.action == Action.REFUSED
    [reason] = row.reasons
    assert reason.startswith(f"Ukendt rolle: {unknown}. Brug en af: SOSU-hjælper")


def test_unknown_role_with_a_comma_in_a_comma_file():
    [row] = plan(csv_file({**EVA, "roller": "hjaelper,leder"}, sep=",")).rows
    assert row.reasons[0].startswith("Ukendt rolle: hjaelper,leder.")


def test_every_problem_in_a_row_is_listed():
    row = one_row({"telefon": "12345678"})
    assert row.reasons == [
        "Medarbejdernr mangler.",
        "Navn mangler.",
        "Brugernavn mangler.",
        "Roller mangler.",
        "Angiv team eller sundhedsenhed.",
    ]


def test_username_taken_by_someone_else_on_update():
    row = one_row({**ANNA_ROW, "brugernavn": "ditte"})
    assert row.reasons == ["Brugernavnet ditte bruges allerede af en anden."]


def test_own_username_is_not_taken():
    assert one_row(ANNA_ROW).action == Action.UNCHANGED


def test_person_without_external_id_cannot_be_claimed_by_username():
    row = one_row({**EVA, "medarbejdernr": "M101", "brugernavn": "bob"})
    assert row.reasons == ["Brugernavnet bob bruges allerede af en anden."]


def test_same_id_twice_refuses_both_rows():
    result = plan(csv_file(EVA, FRANK, {**EVA, "brugernavn": "eva2"}))
    assert not result.ok
    first, frank, second = result.rows
    assert first.reasons == ["Medarbejdernr M200 står også i linje 4."]
    assert second.reasons == ["Medarbejdernr M200 står også i linje 2."]
    assert frank.action == Action.CREATE
    assert result.counts[Action.REFUSED] == 2 and result.counts[Action.CREATE] == 1


def test_same_id_three_times_names_all_other_lines():
    result = plan(csv_file(EVA, {**EVA, "brugernavn": "b2x"}, {**EVA, "brugernavn": "b3x"}))
    assert result.rows[0].reasons == ["Medarbejdernr M200 står også i linje 3 og 4."]


def test_same_username_twice_refuses_both_rows():
    result = plan(csv_file(EVA, {**FRANK, "brugernavn": "EVA"}))
    first, second = result.rows
    assert first.reasons == ["Brugernavnet eva står også i linje 3."]
    assert second.reasons == ["Brugernavnet eva står også i linje 2."]
    assert not result.ok


def test_a_membership_starting_after_the_new_one_cannot_be_ended():
    future = ExistingMembership(TEAM, 1, 10, None, date(2026, 12, 1), None)
    directory = replace(DIRECTORY, staff=[replace(ANNA, memberships=[future])])
    row = one_row({**ANNA_ROW, "team": "Team Syd", "kontaktteam": ""}, directory)
    assert row.action == Action.REFUSED
    assert row.reasons == [
        "Medlemskabet Team Nord / KT 1 begynder 01.12.2026 og kan ikke slutte før; "
        "vælg en fra-dato efter 01.12.2026."
    ]
    later = one_row({**ANNA_ROW, "team": "Team Syd", "fra": "02.12.2026"}, directory)
    assert later.action == Action.REFUSED  # KT 1 is not in Team Syd
    moved = {**ANNA_ROW, "team": "Team Syd", "kontaktteam": "KT 3", "fra": "02.12.2026"}
    later = one_row(moved, directory)
    assert later.action == Action.UPDATE
    assert later.ends == [EndMembership(0, future, date(2026, 12, 1))]


# --- File-level errors ----------------------------------------------------------------------

HEADER = ";".join(COLUMNS)


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ("", [si.EMPTY_FILE]),
        ("\ufeff", [si.EMPTY_FILE]),
        ("\n  \n\n", [si.EMPTY_FILE]),
        (HEADER + "\n", [si.HEADER_ONLY]),
        (HEADER + "\n\n;;\n", [si.HEADER_ONLY]),
        ("medarbejdernr;navn;roller\nM1;A;leder\n", ["Kolonnen brugernavn mangler."]),
        (
            "navn;team\n",
            [
                "Kolonnen medarbejdernr mangler.",
                "Kolonnen brugernavn mangler.",
                "Kolonnen roller mangler.",
                si.HEADER_ONLY,
            ],
        ),
        (
            "medarbejdernr;navn;Navn;brugernavn;roller\nM1;A;A;abc;leder\n",
            ["Kolonnen navn står flere gange."],
        ),
    ],
)
def test_file_errors(text, errors):
    result = plan(text)
    assert result.file_errors == errors
    assert result.rows == [] and not result.ok


def test_unknown_columns_are_one_error():
    text = csv_file(EVA, columns=(*COLUMNS, "afdeling", "Skostørrelse", "afdeling"))
    result = plan(text)
    assert result.rows == []
    assert result.file_errors[0] == "Kolonnen afdeling står flere gange."
    [unknown] = result.file_errors[1:]
    assert unknown.startswith("Ukendte kolonner: afdeling, Skostørrelse. Tilladte kolonner: ")


def test_ansaettelse_header_with_danish_letter_and_both_spellings_clash():
    assert plan("medarbejdernr;navn;brugernavn;roller;team;ansættelse\nM;N;abc;leder;Team Nord").ok
    text = "medarbejdernr;navn;brugernavn;roller;ansættelse;ansaettelse\n"
    assert "Kolonnen ansaettelse står flere gange." in plan(text).file_errors


def test_semicolon_wins_when_the_header_has_both():
    text = 'medarbejdernr;navn;brugernavn;roller;"hjem,team"\nM;N;abc;leder;x\n'
    assert plan(text).file_errors[0].startswith("Ukendte kolonner: hjem,team.")


def test_open_quote_swallows_the_rest_of_the_file():
    text = 'medarbejdernr;navn;brugernavn;roller;team\nM1;"A;abc;leder;Team Nord\n'
    [row] = plan(text).rows
    assert row.reasons == [
        "Brugernavn mangler.",
        "Roller mangler.",
        "Angiv team eller sundhedsenhed.",
    ]


def test_too_many_rows():
    rows = [{**EVA, "medarbejdernr": f"M{n}", "brugernavn": f"u{n:04}"} for n in range(5001)]
    assert plan(csv_file(*rows), EMPTY_DIRECTORY).file_errors == [si.TOO_MANY_ROWS]
    result = plan(csv_file(*rows[:5000]), EMPTY_DIRECTORY)
    assert result.ok and result.counts[Action.CREATE] == 5000


def test_too_big_counts_bytes_not_characters():
    header = ";".join(si.REQUIRED_COLUMNS) + "\n"
    assert plan(header + "x" * si.MAX_BYTES).file_errors == [si.TOO_BIG]
    assert plan(header + "æ" * (si.MAX_BYTES // 2)).file_errors == [si.TOO_BIG]


def test_unreadable_csv_names_the_line():
    text = "medarbejdernr;navn;brugernavn;roller\nM1;" + "x" * 200_000 + ";abc;leder\n"
    assert plan(text).file_errors == ["Filen kunne ikke læses som CSV (linje 2)."]


# --- Roles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("SOSU-hjælper", {H}),
        ("sosu-hjælper", {H}),
        ("SOSU-HJÆLPER", {H}),
        ("sosu-hjaelper", {H}),
        ("hjaelper", {H}),
        ("SSH", {H}),
        ("ssa", {A}),
        ("SOSU-assistent", {A}),
        ("Sygeplejerske", {N}),
        ("terapeut", {T}),
        ("Planlægger", {Role.PLANNER}),
        ("planlaegger", {Role.PLANNER}),
        ("Borgerkonsulent", {Role.CITIZEN_CONSULTANT}),
        ("Administrator", {Role.ADMIN}),
        ("admin", {Role.ADMIN}),
        ("Leder", {L}),
        ("hjaelper/leder", {H, L}),
        ("hjaelper | leder", {H, L}),
        ("hjaelper+leder", {H, L}),
        ("hjaelper, leder", {H, L}),
        ("Sygeplejerske/sygeplejerske", {N}),
    ],
)
def test_roles_by_value_label_and_abbreviation(text, roles):
    row = one_row({**EVA, "roller": text})
    assert row.action == Action.CREATE, row.reasons
    assert row.staff.roles == roles


@pytest.mark.parametrize("role", list(Role))
def test_every_role_value_and_label_is_understood(role):
    for text in (role.value, ROLE_LABELS[role], role.value.upper()):
        assert one_row({**EVA, "roller": text}).staff.roles == {role}


def test_comma_file_splits_roles_on_slash_bar_and_plus():
    [row] = plan(csv_file({**EVA, "roller": "hjaelper/leder+admin"}, sep=",")).rows
    assert row.staff.roles == {H, L, Role.ADMIN}


# --- Dates and temps ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("01.03.2026", date(2026, 3, 1)),
        ("1.3.2026", date(2026, 3, 1)),
        ("2026-03-01", date(2026, 3, 1)),
        (" 29.02.2028 ", date(2028, 2, 29)),
        ("31.12.2026", date(2026, 12, 31)),
        ("", None),
    ],
)
def test_parse_date(text, day):
    assert parse_date(text, "Fra-datoen") == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31.02.2026", "Fra-datoen 31.02.2026 findes ikke."),
        ("29.02.2027", "Fra-datoen 29.02.2027 findes ikke."),
        ("32.01.2026", "Fra-datoen 32.01.2026 findes ikke."),
        ("00.01.2026", "Fra-datoen 00.01.2026 findes ikke."),
        ("2026-02-30", "Fra-datoen 2026-02-30 findes ikke."),
        ("2026-3-1", "Fra-datoen skal skrives som 01.03.2026 eller 2026-03-01, ikke 2026-3-1."),
        ("01-03-2026", "Fra-datoen skal skrives som 01.03.2026 eller 2026-03-01, ikke 01-03-2026."),
        ("1.3.26", "Fra-datoen skal skrives som 01.03.2026 eller 2026-03-01, ikke 1.3.26."),
        ("marts", "Fra-datoen skal skrives som 01.03.2026 eller 2026-03-01, ikke marts."),
    ],
)
def test_parse_date_errors(text, message):
    with pytest.raises(ValueError) as error:
        parse_date(text, "Fra-datoen")
    assert str(error.value) == message


def test_both_bad_dates_are_reported():
    row = one_row({**EVA, "fra": "31.02.2026", "til": "x"})
    assert len(row.reasons) == 2


VIKAR_NOTE = "Slutdato sat til 23.02.2027 (vikar)."


@pytest.mark.parametrize(
    ("overrides", "valid_from", "valid_to", "notes"),
    [
        ({}, TODAY, None, []),
        ({"ansaettelse": "fast"}, TODAY, None, []),
        ({"til": "31.12.2026"}, TODAY, date(2026, 12, 31), []),
        ({"ansaettelse": "vikar"}, TODAY, date(2027, 2, 23), [VIKAR_NOTE]),
        ({"ansaettelse": "Vikar"}, TODAY, date(2027, 2, 23), [VIKAR_NOTE]),
        (
            {"ansaettelse": "elev", "fra": "2026-12-01"},
            date(2026, 12, 1), date(2027, 3, 1), ["Slutdato sat til 01.03.2027 (elev)."],
        ),
        ({"ansaettelse": "vikar", "til": "31.12.2026"}, TODAY, date(2026, 12, 31), []),
        ({"fra": "1.1.2027", "til": "1.1.2027"}, date(2027, 1, 1), date(2027, 1, 1), []),
    ],
)  # fmt: skip
def test_period_and_default_end_for_temps(overrides, valid_from, valid_to, notes):
    row = one_row({**EVA, **overrides})
    assert row.action == Action.CREATE
    assert [(m.valid_from, m.valid_to) for m in row.memberships] == [(valid_from, valid_to)]
    assert row.notes == notes
    assert si.DEFAULT_TEMP_DAYS == 90


# --- Re-import and updates ------------------------------------------------------------------

VIKAR = {**EVA, "medarbejdernr": "M300", "brugernavn": "vic", "ansaettelse": "vikar"}


def test_reimport_of_an_identical_file_changes_nothing():
    text = csv_file(EVA, FRANK, VIKAR)
    first = plan(text, EMPTY_DIRECTORY)
    directory = applied(first, EMPTY_DIRECTORY)
    again = plan(text, directory)
    assert again.ok
    assert [r.action for r in again.rows] == [Action.UNCHANGED] * 3
    assert all(r.changes == r.memberships == r.ends == r.notes == [] for r in again.rows)
    assert [r.existing_id for r in again.rows] == [1000, 1001, 1002]
    assert again.counts[Action.UNCHANGED] == 3


def test_reimport_a_week_later_does_not_move_a_temps_end_date():
    text = csv_file(EVA, FRANK, VIKAR)
    directory = applied(plan(text, EMPTY_DIRECTORY), EMPTY_DIRECTORY)
    later = plan(text, directory, TODAY + timedelta(days=7))
    assert [r.action for r in later.rows] == [Action.UNCHANGED] * 3


def test_unchanged_existing_people():
    for row in (ANNA_ROW, DITTE_ROW, {**ANNA_ROW, "telefon": "11  22 33 44"}):
        planned = one_row(row)
        assert planned.action == Action.UNCHANGED, planned.changes
        assert planned.existing_id == int(row["medarbejdernr"][1:])


def test_changed_team_ends_the_old_membership_the_day_before():
    row = one_row({**ANNA_ROW, "team": "Team Syd", "kontaktteam": "KT 3", "fra": "01.12.2026"})
    assert row.action == Action.UPDATE
    assert row.existing_id == 100
    assert row.changes == [Change("Team", "Team Nord / KT 1", "Team Syd / KT 3")]
    start = date(2026, 12, 1)
    assert row.memberships == [WantedMembership(TEAM, 2, 12, None, start, None)]
    assert row.ends == [EndMembership(0, ANNA.memberships[0], date(2026, 11, 30))]
    assert row.ends[0].membership.id == 500


def test_changed_team_from_today_by_default():
    row = one_row({**ANNA_ROW, "team": "Team Syd", "kontaktteam": ""})
    assert row.changes == [Change("Team", "Team Nord / KT 1", "Team Syd")]
    assert row.ends == [EndMembership(0, ANNA.memberships[0], date(2026, 11, 24))]
    assert row.memberships == [WantedMembership(TEAM, 2, None, None, TODAY, None)]


def test_changed_kontaktteam_is_a_new_team_membership():
    row = one_row({**ANNA_ROW, "kontaktteam": "KT 2"})
    assert row.changes == [Change("Team", "Team Nord / KT 1", "Team Nord / KT 2")]
    assert row.memberships == [WantedMembership(TEAM, 1, 11, None, TODAY, None)]
    row = one_row({**ANNA_ROW, "kontaktteam": ""})
    assert row.changes == [Change("Team", "Team Nord / KT 1", "Team Nord")]


@pytest.mark.parametrize(
    ("overrides", "change"),
    [
        ({"navn": "Anna Holm"}, Change("Navn", "Anna Hansen", "Anna Holm")),
        ({"brugernavn": "Anna.H"}, Change("Brugernavn", "anna", "anna.h")),
        ({"telefon": ""}, Change("Telefon", "11 22 33 44", "(ingen)")),
        ({"telefon": "+45 11 22 33 44"}, Change("Telefon", "11 22 33 44", "+45 11 22 33 44")),
        ({"roller": "SOSU-assistent"}, Change("Roller", "SOSU-hjælper", "SOSU-assistent")),
        ({"roller": "hjaelper/leder"}, Change("Roller", "SOSU-hjælper", "Leder, SOSU-hjælper")),
        ({"til": "31.12.2026"}, Change("Slutdato", "(ingen)", "31.12.2026")),
    ],
)
def test_one_change(overrides, change):
    row = one_row({**ANNA_ROW, **overrides})
    assert row.action == Action.UPDATE
    assert row.changes == [change]


def test_new_end_date_on_a_kept_membership():
    row = one_row({**ANNA_ROW, "til": "31.12.2026"})
    assert row.memberships == []
    assert row.ends == [EndMembership(0, ANNA.memberships[0], date(2026, 12, 31))]


def test_ending_date_removed_when_a_temp_becomes_permanent():
    kept = ExistingMembership(TEAM, 1, 10, None, date(2026, 11, 1), date(2027, 1, 30))
    directory = replace(DIRECTORY, staff=[replace(ANNA, memberships=[kept])])
    row = one_row(ANNA_ROW, directory)
    assert row.changes == [Change("Slutdato", "30.01.2027", "(ingen)")]
    assert row.ends == [EndMembership(0, kept, None)]


def test_permanent_person_becoming_a_temp_gets_the_default_end_date():
    row = one_row({**ANNA_ROW, "ansaettelse": "vikar"})
    assert row.changes == [Change("Slutdato", "(ingen)", "23.02.2027")]
    assert row.notes == ["Slutdato sat til 23.02.2027 (vikar)."]


def test_reactivation():
    row = one_row(CARL_ROW)
    assert row.action == Action.UPDATE
    assert row.changes == [Change("Aktiv", "nej", "ja"), Change("Team", "(ingen)", "Team Syd")]
    assert row.memberships == [WantedMembership(TEAM, 2, None, None, TODAY, None)]
    assert row.ends == []  # the old membership ended long ago
    assert row.staff.active is True


def test_reactivation_alone():
    directory = replace(DIRECTORY, staff=[replace(ANNA, active=False)])
    row = one_row(ANNA_ROW, directory)
    assert row.changes == [Change("Aktiv", "nej", "ja")]
    assert row.memberships == [] and row.ends == []


def test_basisteam_no_longer_listed_ends():
    row = one_row({**DITTE_ROW, "basisteams": "Team Nord"})
    assert row.changes == [Change("Basisteams", "Team Nord, Team Syd", "Team Nord")]
    assert row.ends == [EndMembership(2, DITTE.memberships[2], date(2026, 11, 24))]
    assert row.memberships == []


def test_basisteam_added():
    row = one_row(
        {**DITTE_ROW, "basisteams": "Team Nord/Team Syd/Team Østbyen", "fra": "1.12.2026"}
    )
    assert row.changes == [
        Change("Basisteams", "Team Nord, Team Syd", "Team Nord, Team Syd, Team Østbyen")
    ]
    assert row.memberships == [WantedMembership(BASISTEAM, 3, None, None, date(2026, 12, 1), None)]
    assert row.ends == []


def test_moving_health_unit_keeps_basisteams():
    row = one_row({**DITTE_ROW, "sundhedsenhed": "Sundhedsenhed Syd"})
    assert row.changes == [Change("Sundhedsenhed", "Sundhedsenhed Nord", "Sundhedsenhed Syd")]
    assert row.ends == [EndMembership(0, DITTE.memberships[0], date(2026, 11, 24))]
    assert row.memberships == [WantedMembership(HEALTH_UNIT, None, None, 21, TODAY, None)]


def test_leaving_the_health_unit_for_a_team_ends_unit_and_basisteams():
    row = one_row({**DITTE_ROW, "sundhedsenhed": "", "basisteams": "", "team": "Team Syd"})
    assert [c.field for c in row.changes] == ["Team", "Sundhedsenhed", "Basisteams"]
    assert [end.index for end in row.ends] == [0, 1, 2]
    assert {end.new_valid_to for end in row.ends} == {date(2026, 11, 24)}


def test_missing_optional_columns_leave_details_alone():
    columns = tuple(c for c in COLUMNS if c not in ("telefon", "kontaktteam", "basisteams"))
    anna = one_row(ANNA_ROW, columns=columns)
    assert anna.action == Action.UNCHANGED
    assert anna.staff.phone == "11 22 33 44"
    assert one_row(DITTE_ROW, columns=columns).action == Action.UNCHANGED
    moved = one_row({**ANNA_ROW, "team": "Team Syd"}, columns=columns)
    assert moved.changes == [Change("Team", "Team Nord / KT 1", "Team Syd")]


def test_refused_rows_block_the_whole_plan():
    result = plan(csv_file(ANNA_ROW, {**EVA, "team": "Team Vest"}, FRANK))
    assert not result.ok
    assert result.counts == {
        Action.CREATE: 1, Action.UPDATE: 0, Action.UNCHANGED: 1, Action.REFUSED: 1,
    }  # fmt: skip
    assert [a.label for a in Action] == ["Opret", "Ret", "Uændret", "Afvist"]


# --- Contract -------------------------------------------------------------------------------


def test_describe_membership():
    assert describe_membership(ANNA.memberships[0], DIRECTORY) == "Team Nord / KT 1"
    assert describe_membership(DITTE.memberships[0], DIRECTORY) == "Sundhedsenhed Nord"
    assert describe_membership(DITTE.memberships[2], DIRECTORY) == "Team Syd"


def test_plan_repr_does_not_depend_on_hash_order():
    staff = WantedStaff("M1", "A", "abc", None, frozenset({L, H, Role.ADMIN}))
    assert "roles=['admin', 'hjaelper', 'leder']" in repr(staff)


def test_kinds_match_the_database():
    from webapp.models import MembershipKind

    assert (TEAM, BASISTEAM, HEALTH_UNIT) == (
        MembershipKind.TEAM,
        MembershipKind.BASISTEAM,
        MembershipKind.HEALTH_UNIT,
    )


def test_module_is_pure():
    source = Path(si.__file__).read_text(encoding="utf-8")
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module)
    allowed = {"csv", "io", "re", "collections", "dataclasses", "datetime", "enum"}
    assert {m for m in modules if not m.startswith("webapp.domain.")} <= allowed
