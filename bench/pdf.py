"""The forløbskonference's konferenceliste PDF: how long `render_list` takes for 6 and for 40
citizens, against WeasyPrint alone on the same finished HTML (our share: Jinja, the sheet and
the URL fetcher). Target: our total / WeasyPrint alone ≤ 1.3. No database, no server.

Each case: one warm-up of each, then `--runs` (≥ 5) alternating pairs; medians reported.
Writes bench/out/pdf.json; a missed target shows as `"within_target": false` (exit 0).

    .venv/bin/python -m bench.pdf [--runs 7]
"""

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

import weasyprint

from bench.common import write_json
from webapp.conference.pdf import BASE_URL, list_html, render_list
from webapp.conference.sheet import (
    ConferenceSheet,
    ItemSheet,
    ObservationLine,
    TobsReading,
)
from webapp.domain.citizens import TriageColour

TARGET = 1.3
CASES = (6, 40)
DAY = date(2025, 11, 25)
FIRST = ("Else", "Poul", "Åse", "Karl", "Inger", "Bent", "Grethe", "Jørgen", "Ruth", "Ib")
LAST = ("Jensen", "Sørensen", "Ødegaard", "Mølgaard", "Kjærsgaard", "Frederiksen", "Holm")
REASONS = (
    "Forløbsskift nærmer sig: sammensat forløb slutter 05.12.",
    "Ny borger efter udskrivelse fra AUH; skal have en god start",
    "Gul i tre dage, tabt 2 kg på en uge, spiser dårligt & sover meget om dagen",
    "Henvendelse til konference: faldet i badet to gange, datteren er bekymret",
)
COLOURS = (TriageColour.YELLOW, TriageColour.RED, TriageColour.GREEN)


def sample_sheet(count: int) -> ConferenceSheet:
    """A realistic list: 1–4 observations, follow-ups and escalations on some citizens."""
    raised = datetime(2025, 11, 24, 9, 12)
    items = []
    for n in range(count):
        items.append(
            ItemSheet(
                name=f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]}",
                age=68 + n % 27,
                colour=COLOURS[n % 3],
                reason=REASONS[n % len(REASONS)],
                raised_by="Sofie Holm",
                raised_at=raised,
                latest_tobs=TobsReading(n % 7, raised - timedelta(hours=20)) if n % 4 else None,
                observations=[
                    ObservationLine(
                        raised - timedelta(days=d, hours=2),
                        ("Mindre appetit", "Træt"),
                        "Spiste kun halv portion til middag" if d % 2 else None,
                    )
                    for d in range(1 + n % 4)
                ],
                follow_ups=["Vej borgeren hver mandag – frist 01.12."] if n % 2 else [],
                escalations=["Til sygeplejerske: hævede ben (S. Holm, 22.11.)"] if n % 3 else [],
                kontaktperson="Mette Berg",
                forloebsansvarlig="Lars Nielsen" if n % 5 else None,
            )
        )
    return ConferenceSheet(
        team_name="Basisteam Nord",
        day=DAY,
        starts=clock(12, 0),
        minutes=30,
        capacity=6,
        leader="Hanne Dahl",
        printed_by="Anne Hansen",
        printed_at=datetime(2025, 11, 25, 11, 40),
        items=items,
    )


def timed(fn: Callable[[], bytes]) -> tuple[float, float, bytes]:
    """Wall-clock and CPU seconds (CPU time is steadier on a shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def measure(count: int, runs: int) -> dict:
    sheet = sample_sheet(count)
    html = list_html(sheet)

    def ours() -> bytes:
        return render_list(sheet)

    def weasy_alone() -> bytes:
        return weasyprint.HTML(string=html, base_url=BASE_URL).write_pdf()

    ours()  # warm-up: imports, font configuration, template compilation
    weasy_alone()
    totals, alones, totals_cpu, alones_cpu, html_times = [], [], [], [], []
    pdf = b""
    for _ in range(runs):
        wall, cpu, pdf = timed(ours)
        totals.append(wall)
        totals_cpu.append(cpu)
        wall, cpu, _ = timed(weasy_alone)
        alones.append(wall)
        alones_cpu.append(cpu)
        start = time.perf_counter()
        list_html(sheet)
        html_times.append(time.perf_counter() - start)
    total, alone = statistics.median(totals), statistics.median(alones)
    total_cpu, alone_cpu = statistics.median(totals_cpu), statistics.median(alones_cpu)
    return {
        "citizens": count,
        "runs": runs,
        "total_ms": round(total * 1000, 1),
        "weasyprint_alone_ms": round(alone * 1000, 1),
        "html_ms": round(statistics.median(html_times) * 1000, 2),
        "ratio": round(total / alone, 3),
        "total_cpu_ms": round(total_cpu * 1000, 1),
        "weasyprint_alone_cpu_ms": round(alone_cpu * 1000, 1),
        "ratio_cpu": round(total_cpu / alone_cpu, 3),
        "total_ms_all": [round(s * 1000, 1) for s in totals],
        "weasyprint_alone_ms_all": [round(s * 1000, 1) for s in alones],
        "pdf_bytes": len(pdf),
        "html_bytes": len(html.encode()),
        "pages": len(weasyprint.HTML(string=html, base_url=BASE_URL).render().pages),
    }


def measure_from_database(url: str, count: int, runs: int) -> dict:
    """The whole download as the app does it: read the list from the database (Aarhus
    scale) into a sheet, fill the template, render; against WeasyPrint alone on that HTML.
    Writes one conference with `count` citizens of one team (deleted again afterwards)."""
    from sqlmodel import Session, select

    from webapp.conference.printing import build_sheet
    from webapp.db import make_engine
    from webapp.models import Citizen, Conference, ConferenceItem, Staff

    zone = ZoneInfo("Europe/Copenhagen")
    now = datetime.now(zone)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        team_id = s.exec(select(Citizen.team_id).order_by(Citizen.id)).first()
        citizens = s.exec(
            select(Citizen.id).where(Citizen.team_id == team_id).order_by(Citizen.id).limit(count)
        ).all()
        raiser = s.exec(select(Staff.id).order_by(Staff.id)).first()
        day = now.date() + timedelta(days=400 + count)
        conference = Conference(
            team_id=team_id, day=day, starts_at=now, minutes=30, capacity=6, leader_id=raiser
        )
        s.add(conference)
        s.flush()
        for position, citizen_id in enumerate(citizens, start=1):
            s.add(
                ConferenceItem(
                    conference_id=conference.id,
                    citizen_id=citizen_id,
                    reason=REASONS[position % len(REASONS)],
                    raised_by_id=raiser,
                    raised_at=now,
                    position=position,
                )
            )
        s.commit()
        try:

            def sheet():
                return build_sheet(s, conference, "Bench", now, zone, now.date())

            html = list_html(sheet())

            def ours() -> bytes:
                return render_list(sheet())

            def weasy_alone() -> bytes:
                return weasyprint.HTML(string=html, base_url=BASE_URL).write_pdf()

            ours()
            weasy_alone()
            totals, alones, reads = [], [], []
            for _ in range(runs):
                totals.append(timed(ours)[0])
                alones.append(timed(weasy_alone)[0])
                start = time.perf_counter()
                sheet()
                reads.append(time.perf_counter() - start)
        finally:
            for item in s.exec(
                select(ConferenceItem).where(ConferenceItem.conference_id == conference.id)
            ).all():
                s.delete(item)
            s.flush()
            s.delete(conference)
            s.commit()
    engine.dispose()
    total, alone = statistics.median(totals), statistics.median(alones)
    return {
        "citizens": count,
        "runs": runs,
        "total_ms": round(total * 1000, 1),
        "weasyprint_alone_ms": round(alone * 1000, 1),
        "database_ms": round(statistics.median(reads) * 1000, 2),
        "ratio": round(total / alone, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--database-url", help="also time the download from this (Aarhus-scale) database"
    )
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5")
    loadavg_start = os.getloadavg()[0]
    cases = [measure(count, args.runs) for count in CASES]
    with_database = (
        [measure_from_database(args.database_url, count, args.runs) for count in CASES]
        if args.database_url
        else []
    )
    result = {
        "weasyprint": weasyprint.__version__,
        "cpus": os.cpu_count(),
        "loadavg_start": round(loadavg_start, 2),
        "loadavg_end": round(os.getloadavg()[0], 2),
        "target_ratio": TARGET,
        "within_target": all(case["ratio"] <= TARGET for case in cases + with_database),
        "cases": cases,
        "with_database": with_database,
    }
    path = write_json("pdf.json", result)
    for case in cases:
        print(
            f"konferenceliste, {case['citizens']:>2} borgere: render_list {case['total_ms']} ms, "
            f"WeasyPrint alone {case['weasyprint_alone_ms']} ms, ratio {case['ratio']} "
            f"(CPU {case['ratio_cpu']}; target ≤ {TARGET}), HTML {case['html_ms']} ms, "
            f"{case['pages']} pages, {case['pdf_bytes']} bytes"
        )
    for case in with_database:
        print(
            f"from the database, {case['citizens']:>2} borgere: {case['total_ms']} ms "
            f"(reading {case['database_ms']} ms), WeasyPrint alone {case['weasyprint_alone_ms']} "
            f"ms, ratio {case['ratio']}"
        )
    print(json.dumps({"within_target": result["within_target"], "written": str(path)}))
    return 0  # a missed target is reported (within_target), like the other steps


if __name__ == "__main__":
    raise SystemExit(main())
