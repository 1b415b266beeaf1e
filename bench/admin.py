"""Administration at Aarhus scale: the CSV imports' dry runs, planned moves coming into force,
and a reorganisation preview. In-process, no Flask request: the services are called with a
plain session, as the admin views call them.

Everything happens in one transaction that is rolled back at the end (the steps that write
also in savepoints rolled back after each run), so the database is left as it was: the
default is bench/out/aarhus.db itself (or $DATABASE_URL), and a PostgreSQL URL works as well.
It must be at the head revision (bench.generate makes it so).

1. Citizen CSV import, dry run (`webapp.admin.citizen_import.plan`). Every staff member gets
   a medarbejdernr first (the demo data has none). (a) New citizens: fresh borgernr, names
   and birth dates no citizen has, and team, kontaktteam, kontaktperson, forløbsansvarlig
   and forløbstype copied from an existing citizen in turn, so no row is refused; 8,000 rows
   (the brief's file), 5,000 (the most one file may hold: `csv_table.MAX_ROWS`) and 1,000.
   (b) A re-import: every citizen gets a borgernr, and the file is their details as stored,
   with a new phone number on every 10th row, a new address on every 40th and a move to
   another kontaktteam of the team from tomorrow on every 50th; all citizens (6,547 rows)
   and the first 5,000. Then `citizen_import.apply` of a 500-row all-new file in a savepoint.
2. Staff CSV import, dry run (`webapp.admin.staff_import.plan`): (a) 5,600 new staff (and
   the first 5,000) with the demo's mix of roles, team and kontaktteam or health unit and
   basisteams, some temps and students; (b) a re-import of every staff member with a
   membership today, as stored, a new phone number on every 20th row and another
   kontaktteam on every 50th helper or assistant.
3. `webapp.placement.services.apply_due`: (a) nothing due (the check every process makes
   once a day), (b) 500 moves planned with `placement.move` from tomorrow, then
   `apply_due(session, tomorrow)`.
4. `webapp.admin.reorganisation.move_kontaktteam` of the kontaktteam with most citizens to
   another team of its area, in a savepoint rolled back (as the preview in
   webapp/admin/reorganisation_views.py): from the first of next month and from today.

For each: the SQL statements of one run (a `before_cursor_execute` listener on the engine, as
bench.querycount; an executemany counts once, and each is attributed to the innermost app
function it runs for), the wall time (median of `--runs`, after the counted run, the session
emptied before each run as a request's is, and a gc.collect() before it), and for the dry
runs the peak of Python memory allocated during one more run (tracemalloc; the file's text
itself not counted) and the file's size in bytes (UTF-8).

    .venv/bin/python -m bench.admin [--database-url URL] [--runs 3] [--today YYYY-MM-DD]
    .venv/bin/python -m bench.admin --results   # section 4f of RESULTS.md from bench/out

Writes bench/out/admin-<dialect>.json. `--results` puts the section for those files into
bench/RESULTS.md before "## 5." (bench.report rewrites RESULTS.md, so run.sh calls it after
the report).
"""

import argparse
import csv
import gc
import io
import os
import random
import re
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import event, func, or_, update
from sqlalchemy import text as sql
from sqlmodel import Session, select

from bench.common import OUT, ROOT, OtherCpu, default_url, dialect, write_json
from webapp.admin import citizen_import, reorganisation, staff_import
from webapp.db import make_engine
from webapp.demo import ASCII, ELDER_FIRST_NAMES, FIRST_NAMES, KEY_NOTES, STREETS, SURNAMES
from webapp.domain.csv_table import MAX_BYTES, MAX_ROWS, name_key
from webapp.domain.roles import Role, parse_roles
from webapp.models import (
    AuditLog,
    Citizen,
    CitizenPlacement,
    FollowUp,
    HealthUnit,
    Kontaktteam,
    Membership,
    MembershipKind,
    Pathway,
    Staff,
    Team,
)
from webapp.placement import services as placement

ZONE = ZoneInfo("Europe/Copenhagen")
RUNS = 3
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## 4f. Administration at Aarhus scale (`bench/admin.py`)"
CITIZEN_NEW_ROWS = (8000, 5000, 1000)
STAFF_NEW_ROWS = (5600, 5000)
APPLY_ROWS = 500
DUE_MOVES = 500
LEFT_OUT = "left out (no membership today)"

CITIZEN_COLUMNS = [
    "borgernr",
    "navn",
    "foedselsdato",
    "adresse",
    "postnr",
    "by",
    "telefon",
    "team",
    "kontaktteam",
    "kontaktperson",
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
]
STAFF_COLUMNS = [
    "medarbejdernr",
    "navn",
    "brugernavn",
    "telefon",
    "roller",
    "team",
    "kontaktteam",
    "sundhedsenhed",
    "basisteams",
    "fra",
    "til",
    "ansaettelse",
]
#: New staff: roles in about the demo's proportions.
NEW_ROLES = (
    (Role.HELPER, 46),
    (Role.ASSISTANT, 26),
    (Role.NURSE, 16),
    (Role.THERAPIST, 7),
    (Role.LEADER, 2),
    (Role.PLANNER, 1.5),
    (Role.CITIZEN_CONSULTANT, 1.5),
)


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def source() -> dict:
    import subprocess

    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    changed = subprocess.run(
        [*git, "status", "--porcelain", "--", "webapp", "templates", "static", "migrations"],
        capture_output=True,
        text=True,
    )
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "commit": commit.stdout.strip() or "unknown",
        "app_files_changed": len(changed.stdout.splitlines()),
    }


# --- counting and timing -----------------------------------------------------------------------


class Statements:
    """SQL statements of the engine while `on`, each with the innermost app function."""

    def __init__(self, engine) -> None:
        self.rows: list[tuple[str, str]] = []
        self.on = False
        event.listen(engine, "before_cursor_execute", self._before)

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.on:
            kind = statement.lstrip().split(" ", 1)[0].upper()
            self.rows.append((("executemany " if executemany else "") + kind, _caller()))

    def take(self) -> list[tuple[str, str]]:
        taken, self.rows = self.rows, []
        return taken


def _caller() -> str:
    frame = sys._getframe(2)
    while frame is not None:
        path = frame.f_code.co_filename
        if f"{os.sep}webapp{os.sep}" in path and not path.endswith(f"webapp{os.sep}db.py"):
            module = Path(path).relative_to(ROOT / "webapp").with_suffix("")
            return f"{'.'.join(module.parts)}.{frame.f_code.co_name}"
        frame = frame.f_back
    return "(bench)"


def summarise(taken: list[tuple[str, str]]) -> dict:
    """The app's statements; the bench's own (its savepoints, fetching the objects a view
    would have fetched, counting what was written) apart."""
    app = [
        (kind, caller)
        for kind, caller in taken
        if caller != "(bench)" and kind not in ("SAVEPOINT", "RELEASE", "ROLLBACK")
    ]
    return {
        "statements": len(app),
        "by_kind": dict(Counter(kind for kind, _ in app).most_common()),
        "by_function": dict(Counter(caller for _, caller in app).most_common()),
        "bench_statements": len(taken) - len(app),
    }


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


class Bench:
    def __init__(self, session: Session, statements: Statements, runs: int) -> None:
        self.s, self.statements, self.runs = session, statements, runs

    def fresh(self) -> None:
        """What a request starts with: nothing pending, nothing in the identity map."""
        self.s.flush()
        self.s.expunge_all()

    def counted(self, fn: Callable):
        self.fresh()
        self.statements.on = True
        try:
            result = fn()
            self.s.flush()
        finally:
            self.statements.on = False
        return result, summarise(self.statements.take())

    def timed(self, fn: Callable) -> dict:
        times = []
        for _ in range(self.runs):
            self.fresh()
            gc.collect()  # no collection of the previous run's garbage inside the timing
            started = time.perf_counter()
            fn()
            self.s.flush()
            times.append(time.perf_counter() - started)
        return {
            "median": ms(statistics.median(times)),
            "min": ms(min(times)),
            "max": ms(max(times)),
            "runs": len(times),
        }

    def peak_memory(self, fn: Callable) -> int:
        self.fresh()
        gc.collect()
        tracemalloc.start()
        try:
            fn()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    def in_savepoint(self, fn: Callable) -> Callable:
        """`fn` in a savepoint that is rolled back."""

        def run():
            savepoint = self.s.begin_nested()
            try:
                return fn()
            finally:
                self.s.flush()
                savepoint.rollback()

        return run


# --- what exists --------------------------------------------------------------------------------


class World:
    """Names and ids the files are made of, read once."""

    def __init__(self, s: Session, today: date) -> None:
        self.today = today
        self.teams = {t.id: t for t in s.exec(select(Team)).all()}
        self.kts = {k.id: k for k in s.exec(select(Kontaktteam)).all()}
        self.units = {u.id: u for u in s.exec(select(HealthUnit)).all()}
        self.kts_of: dict[int, list[int]] = {}
        for k in sorted(self.kts.values(), key=lambda k: k.id):
            self.kts_of.setdefault(k.team_id, []).append(k.id)
        self.teams_in_area: dict[int, list[int]] = {}
        for t in sorted(self.teams.values(), key=lambda t: t.id):
            self.teams_in_area.setdefault(t.area_id, []).append(t.id)
        self.admin_id = s.exec(select(Staff.id).where(Staff.username == Role.ADMIN.value)).one()

    def sibling(self, kontaktteam_id: int) -> int | None:
        """Another kontaktteam of the same team."""
        team_id = self.kts[kontaktteam_id].team_id
        others = [k for k in self.kts_of[team_id] if k != kontaktteam_id]
        return others[0] if others else None


def give_external_ids(s: Session, model, prefix: str) -> int:
    ids = s.exec(select(model.id).where(model.external_id.is_(None))).all()
    if ids:
        s.execute(update(model), [{"id": i, "external_id": f"{prefix}{i:06d}"} for i in ids])
    s.flush()
    return len(ids)


def csv_text(columns: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def day(d: date | None) -> str:
    return d.strftime("%d.%m.%Y") if d else ""


def phone(rng: random.Random) -> str:
    digits = f"{rng.randint(20, 99)}{rng.randint(0, 999999):06d}"
    return " ".join(digits[i : i + 2] for i in range(0, 8, 2))


def _citizen_rows(s: Session) -> list:
    return s.exec(
        select(Citizen, Pathway.type)
        .outerjoin(Pathway, (Pathway.citizen_id == Citizen.id) & Pathway.ended_on.is_(None))  # type: ignore[union-attr]
        .order_by(Citizen.id)
    ).all()


def new_citizens(s: Session, w: World, n: int, rng: random.Random) -> str:
    """`n` new citizens, each placed as an existing citizen is, so no row is refused."""
    staff_no = dict(s.exec(select(Staff.id, Staff.external_id)).all())
    templates = _citizen_rows(s)
    taken = {(name_key(c.full_name), c.birth_date) for c, _ in templates}
    rows = []
    for i in range(n):
        c, kind = templates[(i * 7) % len(templates)]
        while True:
            name = f"{rng.choice(ELDER_FIRST_NAMES)} {rng.choice(SURNAMES)}"
            born = date(rng.randint(1926, 1958), rng.randint(1, 12), rng.randint(1, 28))
            if (name_key(name), born) not in taken:
                taken.add((name_key(name), born))
                break
        terminal = rng.random() < 0.03
        notes = rng.sample(KEY_NOTES, rng.randint(0, 3)) + (["Terminal"] if terminal else [])
        rows.append(
            [
                f"NY{i + 1:06d}",
                name,
                day(born),
                f"{rng.choice(STREETS)} {rng.randint(1, 140)}",
                c.postcode,
                c.city,
                phone(rng),
                w.teams[c.team_id].name,
                w.kts[c.kontaktteam_id].name if c.kontaktteam_id else "",
                staff_no[c.kontaktperson_id],
                staff_no.get(c.forloebsansvarlig_id, "") if c.forloebsansvarlig_id else "",
                kind or "varigt_moderat",
                day(w.today - timedelta(days=rng.randint(0, 20))),
                "; ".join(notes),
                "nej" if terminal else "ja",
                "Terminal borger, TOBS ikke ordineret af læge" if terminal else "",
                str(c.habitual_pulse or ""),
                str(c.habitual_systolic_bp or ""),
                str(c.habitual_respiration or ""),
                c.habitual_mobility or "",
                c.habitual_appetite or "",
                c.habitual_cognition or "",
                "",
            ]
        )
    return csv_text(CITIZEN_COLUMNS, rows)


def citizens_as_stored(s: Session, w: World, rng: random.Random) -> tuple[str, dict]:
    """Every citizen with a borgernr, as stored, with a few changes."""
    staff_no = dict(s.exec(select(Staff.id, Staff.external_id)).all())
    rows, changed = [], Counter()
    tomorrow = w.today + timedelta(days=1)
    for i, (c, kind) in enumerate(_citizen_rows(s)):
        tel, street, kt, fra = c.phone or "", c.street, c.kontaktteam_id, ""
        if i % 10 == 5:
            tel, changed["telefon"] = phone(rng), changed["telefon"] + 1
        if i % 40 == 7:
            street, changed["adresse"] = f"{c.street} st. tv.", changed["adresse"] + 1
        if i % 50 == 11 and kt and (other := w.sibling(kt)):
            kt, fra, changed["kontaktteam"] = other, day(tomorrow), changed["kontaktteam"] + 1
        rows.append(
            [
                c.external_id,
                c.full_name,
                day(c.birth_date),
                street,
                c.postcode,
                c.city,
                tel,
                w.teams[c.team_id].name,
                w.kts[kt].name if kt else "",
                staff_no[c.kontaktperson_id],
                staff_no.get(c.forloebsansvarlig_id, "") if c.forloebsansvarlig_id else "",
                kind or "",
                "",
                c.key_notes,
                "ja" if c.tobs_applies else "nej",
                c.tobs_exemption_reason or "",
                str(c.habitual_pulse or ""),
                str(c.habitual_systolic_bp or ""),
                str(c.habitual_respiration or ""),
                c.habitual_mobility or "",
                c.habitual_appetite or "",
                c.habitual_cognition or "",
                fra,
            ]
        )
    return csv_text(CITIZEN_COLUMNS, rows), dict(changed)


def _username(first: str, last: str, i: int) -> str:
    return re.sub(r"[^a-z0-9.]", "", f"{first}.{last}".lower().translate(ASCII)) + f".n{i}"


def new_staff(w: World, n: int, rng: random.Random) -> str:
    roles, weights = zip(*NEW_ROLES, strict=True)
    team_ids = sorted(w.teams)
    unit_ids = sorted(w.units)
    rows = []
    for i in range(n):
        role = rng.choices(roles, weights)[0]
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        team = kt = unit = basisteams = employment = ""
        if role in (Role.NURSE, Role.THERAPIST):
            u = w.units[rng.choice(unit_ids)]
            unit = u.name
            area_teams = w.teams_in_area[u.area_id]
            chosen = rng.sample(area_teams, min(len(area_teams), rng.randint(1, 2)))
            basisteams = "|".join(w.teams[t].name for t in chosen)
        else:
            t = rng.choice(team_ids)
            team = w.teams[t].name
            if role in (Role.HELPER, Role.ASSISTANT):
                kt = w.kts[rng.choice(w.kts_of[t])].name
                employment = rng.choices(["", "fast", "vikar", "elev"], (60, 30, 7, 3))[0]
        rows.append(
            [
                f"NM{i + 1:06d}",
                f"{first} {last}",
                _username(first, last, i + 1),
                phone(rng),
                role.value,
                team,
                kt,
                unit,
                basisteams,
                "",
                "",
                employment,
            ]
        )
    return csv_text(STAFF_COLUMNS, rows)


def staff_as_stored(s: Session, w: World, rng: random.Random) -> tuple[str, dict]:
    """Every staff member with a membership today, as stored, with a few changes."""
    today = w.today
    current: dict[int, list[Membership]] = {}
    for m in s.exec(select(Membership).order_by(Membership.id)).all():  # type: ignore[arg-type]
        if m.valid_from <= today and (m.valid_to is None or m.valid_to >= today):
            current.setdefault(m.staff_id, []).append(m)
    rows, changed = [], Counter()
    people = s.exec(select(Staff).order_by(Staff.id)).all()  # type: ignore[arg-type]
    for i, p in enumerate(people):
        ms_ = current.get(p.id)
        if not ms_:
            changed[LEFT_OUT] += 1
            continue
        team = kt = unit = ""
        basisteams = []
        for m in ms_:
            if m.kind == MembershipKind.TEAM:
                team = w.teams[m.team_id].name
                kt_id = m.kontaktteam_id
                moves = i % 50 == 3 and parse_roles(p.roles) & {Role.HELPER, Role.ASSISTANT}
                if kt_id and moves and (other := w.sibling(kt_id)):
                    kt_id, changed["kontaktteam"] = other, changed["kontaktteam"] + 1
                kt = w.kts[kt_id].name if kt_id else ""
            elif m.kind == MembershipKind.HEALTH_UNIT:
                unit = w.units[m.health_unit_id].name
            else:
                basisteams.append(w.teams[m.team_id].name)
        ends = {m.valid_to for m in ms_}
        tel = p.phone or ""
        if i % 20 == 9:
            tel, changed["telefon"] = phone(rng), changed["telefon"] + 1
        rows.append(
            [
                p.external_id,
                p.full_name,
                p.username,
                tel,
                "/".join(sorted(r.value for r in parse_roles(p.roles))),
                team,
                kt,
                unit,
                "|".join(basisteams),
                "",
                day(ends.pop()) if len(ends) == 1 else "",
                "",
            ]
        )
    return csv_text(STAFF_COLUMNS, rows), dict(changed)


def first_rows(text: str, n: int) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[: n + 1])


# --- the measurements ---------------------------------------------------------------------------


def plan_result(plan) -> dict:
    reasons = Counter(
        re.sub(r"\d[\d.]*", "N", reason)[:120]
        for row in plan.rows
        if row.action.value == "afvist"
        for reason in row.reasons
    )
    return {
        "ok": plan.ok,
        "file_errors": plan.file_errors,
        "rows": len(plan.rows),
        "counts": {a.value: n for a, n in plan.counts.items()},
        "top_reasons": dict(reasons.most_common(5)),
    }


def dry_run(b: Bench, module, text: str, today: date, label: str, **extra) -> dict:
    def fn():
        return module.plan(b.s, text, today)[0]

    plan, counted = b.counted(fn)
    result = {
        "label": label,
        "file_rows": text.count("\n") - 1,
        "file_bytes": len(text.encode("utf-8")),
        **extra,
        **plan_result(plan),
        **counted,
        "ms": b.timed(fn),
        "peak_memory_bytes": b.peak_memory(fn),
    }
    del plan
    print(
        f"  {label}: {result['file_rows']} rows, {result['file_bytes']} B, ok={result['ok']} "
        f"{result['counts']} {result['file_errors']}; {result['statements']} statements, "
        f"median {result['ms']['median']} ms, peak {result['peak_memory_bytes'] / 2**20:.1f} MiB"
    )
    return result


def count_rows(s: Session) -> dict:
    return {
        name: s.exec(select(func.count()).select_from(model)).one()
        for name, model in (
            ("citizen", Citizen),
            ("citizen_placement", CitizenPlacement),
            ("pathway", Pathway),
            ("follow_up", FollowUp),
            ("audit_log", AuditLog),
        )
    }


def written(s: Session) -> dict:
    """What the bench writes, to check that it was all rolled back."""
    return count_rows(s) | {
        "staff with medarbejdernr": s.exec(
            select(func.count()).select_from(Staff).where(Staff.external_id.is_not(None))  # type: ignore[union-attr]
        ).one(),
        "citizens with borgernr": s.exec(
            select(func.count()).select_from(Citizen).where(Citizen.external_id.is_not(None))  # type: ignore[union-attr]
        ).one(),
        "membership": s.exec(select(func.count()).select_from(Membership)).one(),
        "kontaktteam": s.exec(select(func.count()).select_from(Kontaktteam)).one(),
    }


def citizen_apply(b: Bench, text: str, today: date, admin_id: int) -> dict:
    plan = citizen_import.plan(b.s, text, today)[0]
    assert plan.ok, plan_result(plan)
    now = datetime.now(UTC)

    def fn():
        citizen_import.apply(b.s, plan, by=admin_id, now=now, today=today, zone=ZONE)

    before = count_rows(b.s)
    savepoint = b.s.begin_nested()
    _, counted = b.counted(fn)
    after = count_rows(b.s)
    savepoint.rollback()
    timed = b.timed(b.in_savepoint(fn))
    rows = len(plan.rows)
    result = {
        "rows": rows,
        "counts": {a.value: n for a, n in plan.counts.items()},
        "rows_written": {k: after[k] - before[k] for k in before},
        **counted,
        "statements_per_row": round(counted["statements"] / rows, 2),
        "ms": timed,
        "ms_per_row": round(timed["median"] / rows, 2),
    }
    print(
        f"  apply {rows} new citizens: {counted['statements']} statements "
        f"({result['statements_per_row']} per row), median {timed['median']} ms; wrote "
        f"{result['rows_written']}"
    )
    return result


def due_moves(b: Bench, w: World, today: date) -> dict:
    s = b.s
    tomorrow = today + timedelta(days=1)
    idle, idle_counted = b.counted(lambda: placement.apply_due(s, today))
    idle_ms = b.timed(lambda: placement.apply_due(s, today))
    result: dict = {
        "nothing_due": {"returned": idle, **idle_counted, "ms": idle_ms},
    }
    print(
        f"  apply_due, nothing due: returned {idle}, {idle_counted['statements']} statements, "
        f"median {idle_ms['median']} ms"
    )
    citizens = s.exec(
        select(Citizen.id, Citizen.team_id, Citizen.kontaktteam_id).order_by(Citizen.id)
    ).all()
    step = len(citizens) / DUE_MOVES
    chosen = [citizens[int(i * step)] for i in range(DUE_MOVES)]
    now = datetime.now(UTC)
    savepoint = s.begin_nested()
    try:

        def plan_moves():
            for citizen_id, team_id, kt in chosen:
                citizen = s.get(Citizen, citizen_id)
                placement.move(
                    s,
                    citizen,
                    team_id,
                    w.sibling(kt),
                    tomorrow,
                    by=w.admin_id,
                    now=now,
                    today=today,
                )

        started = time.perf_counter()
        _, moves_counted = b.counted(plan_moves)
        moves_ms = ms(time.perf_counter() - started)
        still_idle = placement.apply_due(s, today)
        returned, due_counted = b.counted(b.in_savepoint(lambda: placement.apply_due(s, tomorrow)))
        due_ms = b.timed(b.in_savepoint(lambda: placement.apply_due(s, tomorrow)))
    finally:
        b.fresh()
        savepoint.rollback()
    result["moves_planned"] = {
        "moves": DUE_MOVES,
        "on": tomorrow.isoformat(),
        **moves_counted,
        "statements_per_move": round(moves_counted["statements"] / DUE_MOVES, 2),
        "ms_with_listener": moves_ms,
        "apply_due_today_returned": still_idle,
    }
    result["due"] = {"returned": returned, **due_counted, "ms": due_ms}
    print(
        f"  {DUE_MOVES} × placement.move from {tomorrow}: {moves_counted['statements']} "
        f"statements ({result['moves_planned']['statements_per_move']} per move); "
        f"apply_due({tomorrow}): returned {returned}, {due_counted['statements']} statements, "
        f"median {due_ms['median']} ms"
    )
    return result


def reorganise(b: Bench, w: World, today: date) -> dict:
    s = b.s
    sizes = s.exec(
        select(Citizen.kontaktteam_id, func.count())
        .where(Citizen.kontaktteam_id.is_not(None))  # type: ignore[union-attr]
        .group_by(Citizen.kontaktteam_id)
    ).all()
    kt_id, citizens = max(sizes, key=lambda r: (r[1], -r[0]))
    kt = w.kts[kt_id]
    area = w.teams[kt.team_id].area_id
    target_id = next(t for t in w.teams_in_area[area] if t != kt.team_id)
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    result: dict = {
        "kontaktteam_id": kt_id,
        "kontaktteam": kt.name,
        "from_team": w.teams[kt.team_id].name,
        "to_team": w.teams[target_id].name,
        "citizens_in_kontaktteam": citizens,
        "kontaktteam_sizes": {
            "min": min(n for _, n in sizes),
            "median": statistics.median(n for _, n in sizes),
            "max": citizens,
        },
        "cases": [],
    }
    now = datetime.now(UTC)
    for label, on in (("first of next month", next_month), ("today", today)):
        memberships = s.exec(
            select(func.count())
            .select_from(Membership)
            .where(
                Membership.kind == MembershipKind.TEAM,
                Membership.kontaktteam_id == kt_id,
                or_(Membership.valid_to.is_(None), Membership.valid_to >= on),  # type: ignore[union-attr]
            )
        ).one()

        def fn(on=on):
            moved = reorganisation.move_kontaktteam(
                s,
                s.get(Kontaktteam, kt_id),
                s.get(Team, target_id),
                on,
                by=w.admin_id,
                now=now,
                today=today,
            )
            audit = s.exec(select(func.count()).select_from(AuditLog)).one()
            return len(moved.staff), len(moved.citizens), audit

        audit_before = s.exec(select(func.count()).select_from(AuditLog)).one()
        (staff_names, moved_citizens, audit_after), counted = b.counted(b.in_savepoint(fn))
        timed = b.timed(b.in_savepoint(fn))
        case = {
            "label": label,
            "on": on.isoformat(),
            "memberships_moved": memberships,
            "staff_names": staff_names,
            "citizens_moved": moved_citizens,
            "audit_rows": audit_after - audit_before,
            **counted,
            "statements_per_citizen": round(counted["statements"] / max(moved_citizens, 1), 2),
            "ms": timed,
        }
        result["cases"].append(case)
        print(
            f"  move_kontaktteam {kt.name} ({citizens} citizens) → {w.teams[target_id].name} "
            f"from {on} ({label}): {memberships} memberships, {moved_citizens} citizens, "
            f"{case['audit_rows']} audit rows; {counted['statements']} statements, median "
            f"{timed['median']} ms"
        )
    return result


# --- main ---------------------------------------------------------------------------------------


def check_revision(engine, url: str) -> str:
    """The database must be at the head revision (the placements, the external ids)."""
    from alembic.script import ScriptDirectory

    from tests.database import alembic_config

    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    with engine.connect() as conn:
        at = conn.execute(sql("SELECT version_num FROM alembic_version")).scalar()
    if at != head:
        raise SystemExit(
            f"{url} is at revision {at}, not {head}: make a fresh one with "
            "`.venv/bin/python -m bench.generate`"
        )
    return head


def run(url: str, today: date, runs: int) -> dict:
    engine = make_engine(url)
    revision = check_revision(engine, url)
    other = OtherCpu(None, postgres=dialect(url) == "postgresql")
    statements = Statements(engine)
    rng = random.Random(2026)
    result: dict = {
        "dialect": dialect(url),
        "revision": revision,
        "today": today.isoformat(),
        "runs": runs,
        "max_rows": MAX_ROWS,
        "max_bytes": MAX_BYTES,
        "cpus": os.cpu_count(),
        "loadavg_start": loadavg(),
        **source(),
    }
    with Session(engine, expire_on_commit=False) as s:
        b = Bench(s, statements, runs)
        w = World(s, today)
        before = written(s)
        result["existing"] = {
            "citizens": s.exec(select(func.count()).select_from(Citizen)).one(),
            "staff": s.exec(select(func.count()).select_from(Staff)).one(),
            "memberships": s.exec(select(func.count()).select_from(Membership)).one(),
            "placements": s.exec(select(func.count()).select_from(CitizenPlacement)).one(),
            "teams": len(w.teams),
            "kontaktteams": len(w.kts),
        }
        print(f"{result['dialect']}, today {today}: {result['existing']}")
        try:
            print("3. apply_due")
            result["apply_due"] = due_moves(b, w, today)
            result["staff_external_ids_given"] = give_external_ids(s, Staff, "M")

            print("1. citizen import, dry run")
            citizens: list[dict] = []
            new_text = new_citizens(s, w, max(CITIZEN_NEW_ROWS), rng)
            for n in CITIZEN_NEW_ROWS:
                text = first_rows(new_text, n)
                citizens.append(dry_run(b, citizen_import, text, today, f"new, {n}", case="new"))
            result["citizen_apply"] = citizen_apply(
                b, first_rows(new_text, APPLY_ROWS), today, w.admin_id
            )
            del new_text
            result["citizen_external_ids_given"] = give_external_ids(s, Citizen, "B")
            stored, changed = citizens_as_stored(s, w, rng)
            n_all = stored.count("\n") - 1
            for n in (n_all, MAX_ROWS):
                citizens.append(
                    dry_run(
                        b,
                        citizen_import,
                        first_rows(stored, n),
                        today,
                        f"re-import, {n}",
                        case="re-import",
                        changes_in_whole_file=changed,
                    )
                )
            result["citizen_dry_runs"] = citizens

            print("2. staff import, dry run")
            staff: list[dict] = []
            new_text = new_staff(w, max(STAFF_NEW_ROWS), rng)
            for n in STAFF_NEW_ROWS:
                text = first_rows(new_text, n)
                staff.append(dry_run(b, staff_import, text, today, f"new, {n}", case="new"))
            stored, changed = staff_as_stored(s, w, rng)
            staff.append(
                dry_run(
                    b,
                    staff_import,
                    stored,
                    today,
                    f"re-import, {stored.count(chr(10)) - 1}",
                    case="re-import",
                    changes_in_whole_file=changed,
                )
            )
            result["staff_dry_runs"] = staff

            print("4. reorganisation preview")
            result["reorganisation"] = reorganise(b, w, today)
        finally:
            s.rollback()
        after = written(s)
        result["rolled_back"] = after == before
        assert after == before, (before, after)
    engine.dispose()
    result["loadavg_end"] = loadavg()
    result["other_cpu"] = other.share_of_a_core()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description="Administration at Aarhus scale.")
    parser.add_argument("--database-url", default=default_url())
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--today", help="YYYY-MM-DD (default: today in Copenhagen)")
    parser.add_argument(
        "--results", action="store_true", help="only write section 4f of RESULTS.md"
    )
    args = parser.parse_args()
    if args.results:
        return write_results()
    today = date.fromisoformat(args.today) if args.today else datetime.now(ZONE).date()
    begun = time.monotonic()
    result = run(args.database_url, today, args.runs)
    result["seconds_total"] = round(time.monotonic() - begun, 1)
    path = write_json(f"admin-{result['dialect']}.json", result)
    print(f"wrote {path.relative_to(ROOT)} in {result['seconds_total']} s")
    return 0


# --- RESULTS.md ---------------------------------------------------------------------------------


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def _plan(r: dict) -> str:
    if r["file_errors"]:
        return "refused: " + " ".join(r["file_errors"])
    c = r["counts"]
    text = f"{c['opret']} / {c['ret']} / {c['uaendret']} / {c['afvist']}"
    return text + ("" if r["ok"] else f" ({'; '.join(r['top_reasons'])})")


def _t(x: dict) -> str:
    return f"**{x['median']}** ({x['min']}–{x['max']})"


def _same(values: list) -> str:
    """One value when every database gives the same, else each (in the order of the header)."""
    return str(values[0]) if len(set(map(str, values))) == 1 else " / ".join(map(str, values))


def _functions(by_function: dict, n: int = 4) -> str:
    return ", ".join(f"`{f}` {k}" for f, k in list(by_function.items())[:n])


def section(results: list[dict]) -> list[str]:
    first = results[0]
    names = [r["dialect"] for r in results]
    ms_columns = " | ".join(f"{d} ms" for d in names)
    aligned = "---|" * len(results)
    when = "; ".join(
        f"{r['dialect']} {r['measured_at']}, commit `{r['commit']}`"
        + (f" + {r['app_files_changed']} changed app file(s)" if r["app_files_changed"] else "")
        + f", load average {r['loadavg_start']} → {r['loadavg_end']}"
        + (f", other CPU {r['other_cpu']} cores" if "other_cpu" in r else "")
        for r in results
    )
    ex = first["existing"]
    staff_changes = dict(first["staff_dry_runs"][-1]["changes_in_whole_file"])
    lines = [
        SECTION,
        "",
        f"In-process, no Flask request (the services called with a plain session), on the "
        f"Aarhus-scale database ({ex['citizens']} citizens, {ex['staff']} staff, "
        f"{ex['memberships']} memberships, {ex['placements']} placements) in one transaction "
        f"rolled back at the end, so the database is left as it was. Measured: {when}; "
        f"{first['cpus']} CPUs (other CPU: what processes outside the bench used meanwhile, "
        "as `bench.load` counts it; about 0 on an idle machine). Statements from a "
        "`before_cursor_execute` listener (an executemany counts once; with two databases "
        f"and different counts: {' / '.join(names)}). ms: median (min–max) of "
        f"{first['runs']} runs after the counted one, the session emptied and gc.collect() "
        "before each. "
        "Peak memory: tracemalloc during one more run, the file's text not included. Every "
        "staff member is given a medarbejdernr first. A file may have at most "
        f"{first['max_rows']} rows and {first['max_bytes'] // 2**20} MB "
        "(`webapp/domain/csv_table.py`).",
        "",
        "### CSV import dry runs (`citizen_import.plan`, `staff_import.plan`)",
        "",
        "New citizens: fresh borgernr and names, placed with the kontaktperson, "
        "forløbsansvarlig and forløbstype of an existing citizen. Citizen re-import: every "
        "citizen given a borgernr, the file as stored with "
        + ", ".join(
            f"{k} {n}" for k, n in first["citizen_dry_runs"][-1]["changes_in_whole_file"].items()
        )
        + " rows changed (kontaktteam: a move from tomorrow). New staff: the demo's mix of "
        "roles, places, temps and students. Staff re-import: everyone with a membership today "
        f"({staff_changes.pop(LEFT_OUT, 0)} without one left out), as stored with "
        + ", ".join(f"{k} {n}" for k, n in staff_changes.items())
        + " rows changed.",
        "",
        "| import, file | rows | bytes | plan: opret / ret / uændret / afvist | statements | "
        f"peak memory | {ms_columns} |",
        f"|---|---:|---:|---|---:|---:|{aligned}",
    ]
    for kind in ("citizen", "staff"):
        for i, r in enumerate(first[f"{kind}_dry_runs"]):
            runs = [x[f"{kind}_dry_runs"][i] for x in results]
            lines.append(
                f"| {'borgere' if kind == 'citizen' else 'medarbejdere'}, {r['case']} | "
                f"{r['file_rows']} | {r['file_bytes']} | {_plan(r)} | "
                f"{_same([x['statements'] for x in runs])} | {_mib(r['peak_memory_bytes'])} | "
                + " | ".join(_t(x["ms"]) for x in runs)
                + " |"
            )
    a = first["citizen_apply"]
    lines += [
        "",
        f"`citizen_import.apply` of {a['rows']} new citizens, in a savepoint rolled back: "
        + ", ".join(
            f"{_t(x['citizen_apply']['ms'])} ms on {x['dialect']} "
            f"({x['citizen_apply']['ms_per_row']} ms per row)"
            for x in results
        )
        + f"; **{_same([x['citizen_apply']['statements'] for x in results])} statements, "
        f"{_same([x['citizen_apply']['statements_per_row'] for x in results])} per row** "
        f"({_functions(a['by_function'])}), for "
        + ", ".join(f"{n} `{k}`" for k, n in a["rows_written"].items())
        + " rows.",
        "",
        "### Planned moves coming into force (`placement.apply_due`)",
        "",
        f"| case | returned | statements | {ms_columns} |",
        f"|---|---:|---:|{aligned}",
    ]
    moves = first["apply_due"]["moves_planned"]
    for key, label in (
        ("nothing_due", "nothing due (the daily check of every process)"),
        ("due", f"{moves['moves']} moves planned from {moves['on']}, `apply_due` that day"),
    ):
        runs = [x["apply_due"][key] for x in results]
        lines.append(
            f"| {label} | {_same([x['returned'] for x in runs])} | "
            f"{_same([x['statements'] for x in runs])} | "
            + " | ".join(_t(x["ms"]) for x in runs)
            + " |"
        )
    g = first["reorganisation"]
    lines += [
        "",
        f"Planning those moves (`placement.move`, one per citizen): {moves['statements']} "
        f"statements, {moves['statements_per_move']} per move "
        f"({_functions(moves['by_function'])}).",
        "",
        "### Reorganisation preview (`reorganisation.move_kontaktteam`)",
        "",
        f"Kontaktteam {g['kontaktteam']}, the most citizens ({g['citizens_in_kontaktteam']}; "
        f"kontaktteams hold {g['kontaktteam_sizes']['min']}–{g['kontaktteam_sizes']['max']}), "
        f"from {g['from_team']} to {g['to_team']}, in a savepoint rolled back as the preview "
        "does.",
        "",
        "| from | memberships moved | citizens moved | audit rows | statements | per citizen | "
        f"{ms_columns} |",
        f"|---|---:|---:|---:|---:|---:|{aligned}",
    ]
    for i, c in enumerate(g["cases"]):
        runs = [x["reorganisation"]["cases"][i] for x in results]
        lines.append(
            f"| {c['on']} ({c['label']}) | {c['memberships_moved']} | {c['citizens_moved']} | "
            f"{c['audit_rows']} | {_same([x['statements'] for x in runs])} | "
            f"{_same([x['statements_per_citizen'] for x in runs])} | "
            + " | ".join(_t(x["ms"]) for x in runs)
            + " |"
        )
    lines += [
        "",
        "Statements by function (from today): "
        + _functions(g["cases"][-1]["by_function"], 6)
        + ".",
        "",
    ]
    return lines


def write_results() -> int:
    import json

    results = [
        json.loads(p.read_text())
        for p in (OUT / "admin-sqlite.json", OUT / "admin-postgresql.json")
        if p.exists()
    ]
    if not results:
        raise SystemExit("no bench/out/admin-*.json: run .venv/bin/python -m bench.admin")
    text = RESULTS.read_text() if RESULTS.exists() else ""
    new = "\n".join(section(results))
    start = text.find(SECTION)
    if start >= 0:  # replace our section, up to the next "## "
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + new + ("\n" + text[end + 1 :] if end >= 0 else "")
    elif (at := text.find("\n## 5. ")) >= 0:
        text = text[: at + 1] + new + "\n" + text[at + 1 :]
    else:
        text = text.rstrip("\n") + "\n\n" + new
    RESULTS.write_text(text)
    print(f"wrote {SECTION!r} into {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
