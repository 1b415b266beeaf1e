"""The forløbskonference's PDFs (DOMAIN §9): the konferenceliste and the referat, rendered
with WeasyPrint and read back with poppler-utils (pdftotext, pdfinfo, pdffonts)."""

import logging
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from webapp.conference.pdf import (
    html_to_pdf,
    list_html,
    minutes_html,
    render_list,
    render_minutes,
)
from webapp.conference.sheet import (
    ConferenceSheet,
    ItemSheet,
    ItemStatus,
    ObservationLine,
    PathwayChange,
    TobsReading,
)
from webapp.domain.citizens import PathwayType, TriageColour

DAY = date(2025, 11, 25)  # a Tuesday
NEXT = date(2025, 11, 27)
CONFIDENTIAL = "Fortroligt – indeholder helbredsoplysninger"
PRINTED = "Udskrevet af Anne Hansen, 25.11.2025 kl. 11.40"
CPR_LIKE = re.compile(r"\b\d{6}-?\d{4}\b")
SCRIPT = "<script>alert('x')</script>"
LONG_WORD = "Forløbsskiftskoordineringsmødeindkaldelsesbekræftelse" * 2
LONG_REASON = (
    "Borgeren er udskrevet efter tre uger på AUH med hjertesvigt og nedsat nyrefunktion; "
    "datteren ringer dagligt og er bekymret, vægten svinger, væskeskemaet udfyldes ikke "
    "altid, og der er brug for en fælles plan for tilsyn, medicin og næste skridt "
    f"{LONG_WORD} slut på årsagen."
)
FIRST_NAMES = ("Else", "Poul", "Åse", "Karl", "Inger", "Bent", "Grethe", "Jørgen", "Ruth", "Ib")
LAST_NAMES = ("Jensen", "Sørensen", "Ødegaard", "Mølgaard", "Kjærsgaard", "Frederiksen")
COLOURS = (TriageColour.YELLOW, TriageColour.RED, TriageColour.GREEN)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm)


def make_item(n: int, **overrides) -> ItemSheet:
    """Citizen number `n` (0-based); every field filled, unique name and reason."""
    values = dict(
        name=f"{FIRST_NAMES[n % 10]} {LAST_NAMES[n % 6]} {n + 1}",
        age=70 + n % 25,
        colour=COLOURS[n % 3],
        reason=f"Årsag nummer {n + 1}: vægttab og træthed",
        raised_by=f"Sofie Holm {n + 1}",
        raised_at=at(date(2025, 11, 24), 9, 12),
        latest_tobs=TobsReading(4, at(date(2025, 11, 23), 10, 12)),
        observations=[
            ObservationLine(at(date(2025, 11, 23), 8, 5), ("Mindre appetit", "Træt"), None),
            ObservationLine(at(date(2025, 11, 21), 19, 30), ("Svimmel",), "Faldt næsten"),
        ],
        follow_ups=[f"Vej borgeren hver mandag – frist 01.12. ({n + 1})"],
        escalations=[f"Til sygeplejerske: hævede ben ({n + 1})"],
        kontaktperson=f"Mette Berg {n + 1}",
        forloebsansvarlig=f"Lars Nielsen {n + 1}",
    )
    values.update(overrides)
    return ItemSheet(**values)


def make_sheet(count: int, **overrides) -> ConferenceSheet:
    values = dict(
        team_name="Basisteam Nord",
        day=DAY,
        starts=time(12, 0),
        minutes=30,
        capacity=6,
        leader="Hanne Dahl",
        printed_by="Anne Hansen",
        printed_at=at(DAY, 11, 40),
        items=[make_item(n) for n in range(count)],
    )
    values.update(overrides)
    return ConferenceSheet(**values)


def decided(item: ItemSheet, n: int, **overrides) -> ItemSheet:
    return replace(
        item,
        status=ItemStatus.DONE,
        decision=f"Beslutning {n + 1}: øget tilsyn morgen og aften i 14 dage.",
        decision_owner=f"Ejer Nummer {n + 1}",
        follow_up_on=date(2025, 11, 28) + timedelta(days=n),
        **overrides,
    )


def minutes_sheet(count: int, moved: int = 2) -> ConferenceSheet:
    """`count` citizens: the last `moved` moved to the next conference, the rest decided."""
    sheet = make_sheet(count, started_at=at(DAY, 12, 2), ended_at=at(DAY, 12, 31))
    items = [
        replace(item, status="flyttet", moved_to=NEXT) if n >= count - moved else decided(item, n)
        for n, item in enumerate(sheet.items)
    ]
    items[0] = replace(
        items[0],
        colour=TriageColour.YELLOW,
        colour_change=TriageColour.RED,
        pathway_change=PathwayChange(PathwayType.COMPOSITE, date(2025, 12, 1), "Lars Nielsen"),
    )
    return replace(sheet, items=items)


# --- Reading a PDF back -----------------------------------------------------------------------


def poppler(tool: str, *args: str) -> str:
    assert shutil.which(tool), f"{tool} is missing: apt-get install poppler-utils"
    return subprocess.run(
        [tool, *args], check=True, capture_output=True, text=True, timeout=60
    ).stdout


class Printed:
    """A rendered PDF, saved, with its text (pdftotext -layout) split into pages."""

    def __init__(self, data: bytes, path: Path):
        assert data.startswith(b"%PDF-")
        path.write_bytes(data)
        self.path = path
        self.text = poppler("pdftotext", "-layout", str(path), "-")
        self.pages = [page for page in self.text.split("\f") if page.strip()]
        info = poppler("pdfinfo", str(path))
        self.page_count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        assert self.page_count == len(self.pages)

    @property
    def flat(self) -> str:
        """The text with every run of whitespace as one space (lines and columns joined)."""
        return " ".join(self.text.split())


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("conference_pdf")


@pytest.fixture(scope="module")
def list2(out) -> Printed:
    sheet = make_sheet(2)
    sheet.items[1] = replace(
        sheet.items[1],
        latest_tobs=None,
        observations=[],
        follow_ups=[],
        escalations=[],
        forloebsansvarlig=None,
    )
    return Printed(render_list(sheet), out / "list2.pdf")


@pytest.fixture(scope="module")
def list6(out) -> Printed:
    return Printed(render_list(make_sheet(6)), out / "list6.pdf")


@pytest.fixture(scope="module")
def list40(out) -> Printed:
    return Printed(render_list(make_sheet(40, capacity=40)), out / "list40.pdf")


@pytest.fixture(scope="module")
def minutes6(out) -> Printed:
    return Printed(render_minutes(minutes_sheet(6)), out / "minutes6.pdf")


@pytest.fixture(scope="module")
def minutes40(out) -> Printed:
    return Printed(render_minutes(minutes_sheet(40, moved=5)), out / "minutes40.pdf")


def odd_sheet() -> ConferenceSheet:
    """Special characters, markup in user text, a very long reason, no leader."""
    odd = make_item(
        0,
        name="Søren Ærø-Åberg",
        reason=f"«Vil ikke» have hjælp & siger nej {SCRIPT}",
        raised_by="Bjørn & Æsa",
        observations=[
            ObservationLine(at(date(2025, 11, 24), 7, 0), ("Uro",), "«Råbte» & <b>slog</b>")
        ],
    )
    long = make_item(1, reason=LONG_REASON)
    return make_sheet(2, leader=None, items=[odd, long])


@pytest.fixture(scope="module")
def odd(out) -> Printed:
    return Printed(render_list(odd_sheet()), out / "odd.pdf")


ALL = ("list2", "list6", "list40", "minutes6", "minutes40", "odd")


@pytest.fixture(params=ALL)
def any_pdf(request) -> Printed:
    return request.getfixturevalue(request.param)


# --- The konferenceliste ----------------------------------------------------------------------


def test_list_for_two_citizens_has_the_header_and_every_citizen_field(list2):
    text = list2.flat
    assert list2.page_count == 1
    for expected in (
        "Konferenceliste · Basisteam Nord",
        "Dato: Tirsdag 25. november 2025",
        "Tid: kl. 12.00–12.30 (30 min.)",
        "Leder: Hanne Dahl",
        "2 af 6 pladser",
        "Else Jensen 1, 70 år",
        "Poul Sørensen 2, 71 år",
        "Årsag nummer 1: vægttab og træthed",
        "Sat på listen af Sofie Holm 1, 24.11. kl. 09.12",
        "Sat på listen af Sofie Holm 2, 24.11. kl. 09.12",
        "TOBS 4, 23.11. kl. 10.12",
        "Ingen TOBS",
        "23.11. kl. 08.05 Mindre appetit, Træt",
        "21.11. kl. 19.30 Svimmel – Faldt næsten",
        "Vej borgeren hver mandag – frist 01.12. (1)",
        "Til sygeplejerske: hævede ben (1)",
        "Ingen observationer",
        "Ingen åbne opfølgninger",
        "Ingen åbne henvendelser",
        "Kontaktperson: Mette Berg 1",
        "Forløbsansvarlig: Lars Nielsen 1",
        "Forløbsansvarlig: –",
    ):
        assert expected in text, expected
    # Room for the decision, once per citizen.
    assert text.count("Beslutning") == 2
    assert text.count("Ansvarlig:") == 2
    assert text.count("Opfølgning:") == 2


def test_colours_are_printed_as_symbol_and_word(list6):
    text = list6.flat
    assert "▲ Gul" in text
    assert "■ Rød" in text
    assert "● Grøn" in text


def test_list_without_a_leader_says_so(odd):
    assert "Leder: –" in odd.flat


def test_over_capacity_is_pointed_out():
    html = list_html(make_sheet(8))
    assert "8 af 6 pladser" in html
    assert "2 over" in html


def test_the_list_names_moved_citizens_at_the_end_and_leaves_out_removed_ones():
    sheet = make_sheet(4)
    sheet.items[2] = replace(sheet.items[2], status="flyttet", moved_to=NEXT)
    sheet.items[3] = replace(sheet.items[3], status="fjernet")
    html = list_html(sheet)
    assert "2 af 6 pladser" in html
    assert html.count('class="citizen"') == 2
    moved = html.split("Flyttet til næste konference", 1)[1]
    assert "Karl Mølgaard 4" not in html
    assert "Åse Ødegaard 3" in moved
    assert "Flyttet til næste konference 27.11." in html


def test_the_list_prints_the_newest_observations_and_counts_the_rest():
    observations = [
        ObservationLine(at(date(2025, 11, 24 - n), 8, n), (f"Punkt {n}",)) for n in range(7)
    ]
    html = list_html(make_sheet(1, items=[make_item(0, observations=observations)]))
    assert "Punkt 4" in html
    assert "Punkt 5" not in html
    assert "+ 2 ældre observationer i Opspor" in html


def test_each_citizen_is_kept_on_one_page(list40):
    # A block starts with "Sat på listen af" and ends with the decision's "Ny farve:".
    for page in list40.pages:
        assert page.count("Sat på listen af") == page.count("Ny farve:")
    assert sum(page.count("Ny farve:") for page in list40.pages) == 40


# --- Every page of every PDF --------------------------------------------------------------------


def test_every_page_is_confidential_numbered_and_says_who_printed_it(any_pdf):
    total = any_pdf.page_count
    for number, page in enumerate(any_pdf.pages, start=1):
        flat = " ".join(page.split())
        assert CONFIDENTIAL in flat
        assert f"Side {number} af {total}" in flat
        assert PRINTED in flat


def test_no_cpr_like_number_anywhere(any_pdf):
    assert not CPR_LIKE.search(any_pdf.text)


def test_fonts_are_embedded_dejavu(any_pdf):
    rows = poppler("pdffonts", str(any_pdf.path)).splitlines()[2:]
    assert rows, "no fonts at all"
    for row in rows:
        assert "DejaVu" in row, row
        # Columns: name, type (two words), encoding, emb, sub, uni, object ID.
        assert row.split()[-5] == "yes", f"not embedded: {row}"


def test_page_counts_are_plausible(list2, list6, list40, minutes6, minutes40):
    assert list2.page_count == 1
    assert 2 <= list6.page_count <= 4
    assert 12 <= list40.page_count <= 30
    assert minutes6.page_count <= 3
    assert 6 <= minutes40.page_count <= 20
    assert minutes40.page_count < list40.page_count


# --- Special characters and long text ----------------------------------------------------------


def test_special_characters_survive_and_markup_is_escaped(odd):
    text = odd.flat
    assert "Søren Ærø-Åberg" in text
    assert f"«Vil ikke» have hjælp & siger nej {SCRIPT}" in text
    assert "Sat på listen af Bjørn & Æsa" in text
    assert "«Råbte» & <b>slog</b>" in text
    html = list_html(odd_sheet())
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_a_very_long_reason_wraps_inside_the_page(odd):
    lines = [line for line in odd.text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "Borgeren er udskrevet" in line)
    # Several lines, and every word of it printed (the long word broken where needed).
    assert len([line for line in lines[start : start + 12] if line.strip()]) >= 4
    assert "slut på årsagen." in odd.flat
    assert LONG_WORD.replace(" ", "") in odd.flat.replace(" ", "").replace("-", "")
    # No word runs past the right margin (A4 is 595 pt wide; the margin is 16 mm = 45 pt).
    bbox = poppler("pdftotext", "-bbox", str(odd.path), "-")
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert right_edges
    assert max(right_edges) <= 595.3 - 45 + 1


# --- The referat ---------------------------------------------------------------------------------


def test_minutes_show_decisions_owners_and_follow_up_dates(minutes6):
    text = minutes6.flat
    assert "Referat · Basisteam Nord" in text
    for n in range(4):
        assert f"Beslutning {n + 1}: øget tilsyn morgen og aften i 14 dage." in text
        assert f"Ansvarlig Ejer Nummer {n + 1}" in text
        assert f"Sat på listen af Sofie Holm {n + 1}, 24.11. kl. 09.12" in text
    assert "Opfølgning fredag 28.11.2025" in text
    assert "Opfølgning mandag 01.12.2025" in text


def test_minutes_summary_colour_change_pathway_change_and_moved(minutes6):
    text = minutes6.flat
    assert "Afholdt: kl. 12.02–12.31 (29 min.)" in text
    assert "4 borgere drøftet · 2 flyttet til næste konference (27.11.)" in text
    assert "Farveskift ▲ Gul → ■ Rød" in text
    assert "Sammensat forløb (op til 12 uger) fra 01.12.2025" in text
    assert "Ny forløbsansvarlig: Lars Nielsen" in text
    assert text.count("Flyttet til næste konference 27.11.") == 2
    # The moved citizens are named with their reason, but get no decision block.
    assert "Inger Kjærsgaard 5, 74 år" in text
    assert "Årsag nummer 6: vægttab og træthed" in text
    assert "Beslutning 5:" not in text


def test_minutes_before_the_meeting_ended_and_without_decisions():
    sheet = make_sheet(3, started_at=at(DAY, 12, 4))
    sheet.items[2] = replace(sheet.items[2], status="fjernet")
    html = minutes_html(sheet)
    assert "fra kl. 12.04 (ikke afsluttet)" in html
    assert "0 borgere drøftet" in html
    assert "2 ikke nået" in html
    assert "1 taget af listen" in html
    assert "Ingen beslutninger registreret." in html


# --- WeasyPrint ----------------------------------------------------------------------------------


def test_rendering_logs_no_weasyprint_warning(caplog):
    """A missing stylesheet or a property WeasyPrint ignores shows up here."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_list(odd_sheet())
        render_minutes(minutes_sheet(3, moved=1))
    assert not caplog.records, [r.getMessage() for r in caplog.records]


def test_nothing_but_local_files_is_fetched(caplog):
    html = list_html(make_sheet(1)).replace(
        "</head>", '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>'
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        assert html_to_pdf(html).startswith(b"%PDF-")
    assert any("disallowed protocol" in r.getMessage() for r in caplog.records)


# --- The sheet ---------------------------------------------------------------------------------


def test_status_is_read_from_the_database_word():
    assert make_item(0, status="flyttet").status is ItemStatus.MOVED
    with pytest.raises(ValueError):
        make_item(0, status="ukendt")


def test_the_sheet_knows_when_the_meeting_ends():
    assert make_sheet(0, starts=time(23, 45)).ends == time(0, 15)
    assert make_sheet(0).ends == time(12, 30)


def test_a_partial_tobs_never_prints_as_a_score():
    from datetime import datetime

    from webapp.conference.sheet import TobsReading

    reading = TobsReading(2, datetime(2026, 11, 23, 10, 12), complete=False)
    assert reading.text == "TOBS 2 (ufuldstændig), 23.11. kl. 10.12"
    assert TobsReading(2, datetime(2026, 11, 23, 10, 12)).text == "TOBS 2, 23.11. kl. 10.12"
