"""Shared by the bench scripts: paths, the people to sign in as, sign-in over HTTP, and a
gunicorn server bound to 127.0.0.1 that is always stopped again."""

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import func
from sqlmodel import Session, select

from webapp.db import make_engine
from webapp.demo import DEMO_PASSWORD
from webapp.models import Citizen, HealthUnit, Membership, MembershipKind, Staff, Team

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VENV_BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
COOKIE_NAME = "opspor_session"
APP = "webapp:create_app()"

#: The two views of Mine borgere every step measures: the default (a helper's own
#: kontaktteam; the whole team for people without one) and the whole team, as a full page.
PAGES = {
    "/": "Mine borgere, default view (own kontaktteam)",
    "/?alle=1": "Mine borgere, whole team (`?alle=1`, full page)",
}


def default_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{OUT / 'aarhus.db'}"


def dialect(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def write_json(name: str, data: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    return path


# --- who to sign in as ----------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    label: str
    username: str
    team: str
    team_citizens: int


def _team_sizes(session: Session) -> list[tuple[int, str, int]]:
    """(team id, team name, citizens) ordered by citizens, then id."""
    rows = session.exec(
        select(Team.id, Team.name, func.count(Citizen.id))
        .join(Citizen, Citizen.team_id == Team.id)
        .group_by(Team.id, Team.name)
    ).all()
    return sorted(((i, n, c) for i, n, c in rows), key=lambda r: (r[2], r[0]))


def _team_helper(session: Session, team_id: int) -> str:
    """A generated helper with an open-ended kontaktteam membership of the team."""
    names = session.exec(
        select(Staff.username)
        .join(Membership, Membership.staff_id == Staff.id)
        .where(
            Membership.kind == MembershipKind.TEAM,
            Membership.team_id == team_id,
            Membership.kontaktteam_id.is_not(None),  # type: ignore[union-attr]
            Membership.valid_to.is_(None),  # type: ignore[union-attr]
            Staff.roles == "hjaelper",
        )
        .order_by(Staff.id)
    ).all()
    return next(n for n in names if n != "hjaelper")


def query_count_logins(url: str) -> list[Login]:
    """Helpers of the smallest, median and largest team, the demo helper and leader, a
    basisteam nurse, and a health-unit leader (who sees the whole area)."""
    engine = make_engine(url)
    with Session(engine) as s:
        sizes = _team_sizes(s)
        by_id = {i: (n, c) for i, n, c in sizes}
        logins = []
        for label, (team_id, name, n) in (
            ("hjælper, mindste team", sizes[0]),
            ("hjælper, median-team", sizes[len(sizes) // 2]),
            ("hjælper, største team", sizes[-1]),
        ):
            logins.append(Login(label, _team_helper(s, team_id), name, n))

        def team_of(username: str, kind: str) -> tuple[str, int]:
            team_ids = s.exec(
                select(Membership.team_id)
                .join(Staff, Staff.id == Membership.staff_id)
                .where(Staff.username == username, Membership.kind == kind)
            ).all()
            return (
                " + ".join(by_id[t][0] for t in team_ids),
                sum(by_id[t][1] for t in team_ids),
            )

        logins.append(Login("demo hjaelper", "hjaelper", *team_of("hjaelper", "team")))
        logins.append(Login("demo leder (teamleder)", "leder", *team_of("leder", "team")))
        nurse = s.exec(
            select(Staff.username)
            .join(Membership, Membership.staff_id == Staff.id)
            .where(Membership.kind == MembershipKind.BASISTEAM, Staff.roles == "sygeplejerske")
            .where(Staff.username != "sygeplejerske")
            .order_by(Staff.id)
        ).first()
        assert nurse is not None
        logins.append(Login("sygeplejerske i basisteam", nurse, *team_of(nurse, "basisteam")))
        leader, area_id = s.exec(
            select(Staff.username, HealthUnit.area_id)
            .join(Membership, Membership.staff_id == Staff.id)
            .join(HealthUnit, HealthUnit.id == Membership.health_unit_id)
            .where(Staff.roles == "leder")
            .order_by(Staff.id)
        ).first()
        area_teams = s.exec(select(Team.id).where(Team.area_id == area_id)).all()
        logins.append(
            Login(
                "leder af sundhedsenhed (hele området)",
                leader,
                f"{len(area_teams)} teams",
                sum(by_id[t][1] for t in area_teams),
            )
        )
    engine.dispose()
    return logins


def load_logins(url: str, n: int = 16) -> list[Login]:
    """One helper from each of `n` different teams, spread over all team sizes."""
    engine = make_engine(url)
    with Session(engine) as s:
        sizes = _team_sizes(s)
        step = len(sizes) / n
        picked = [sizes[int(i * step)] for i in range(n)]
        logins = [Login(f"team {name}", _team_helper(s, i), name, c) for i, name, c in picked]
    engine.dispose()
    return logins


# --- sign-in over HTTP through the real form --------------------------------------------------


def _cookie(response: http.client.HTTPResponse) -> str | None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith(COOKIE_NAME + "="):
            return value.split(";", 1)[0]
    return None


def http_login(port: int, username: str, password: str = DEMO_PASSWORD) -> str:
    """GET /login, POST the form with its csrf_token; returns the signed-in Cookie value."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", "/login")
        response = conn.getresponse()
        html = response.read().decode()
        cookie = _cookie(response)
        match = CSRF.search(html)
        if response.status != 200 or not cookie or not match:
            raise RuntimeError(f"GET /login: {response.status}")
        form = urlencode({"username": username, "password": password, "csrf_token": match[1]})
        conn.request(
            "POST",
            "/login",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        response = conn.getresponse()
        response.read()
        signed_in = _cookie(response)
        if response.status != 302 or not signed_in:
            raise RuntimeError(f"POST /login as {username}: {response.status}")
        return signed_in
    finally:
        conn.close()


def http_get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


# --- gunicorn -----------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    port: int
    workers: int
    error_log: Path
    access_log: Path | None
    process: subprocess.Popen
    database_url: str

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"


@contextmanager
def gunicorn(
    url: str, tag: str, workers: int | None = None, access_log: bool = False
) -> Iterator[Server]:
    """gunicorn (sync workers, 2 × cores by default) on 127.0.0.1, production settings."""
    OUT.mkdir(parents=True, exist_ok=True)
    workers = workers or 2 * (os.cpu_count() or 1)
    port = free_port()
    error_log = OUT / f"gunicorn-{tag}.log"
    access = OUT / f"gunicorn-{tag}-access.log" if access_log else None
    for path in (error_log, access):
        if path:
            path.unlink(missing_ok=True)
    command = [
        str(VENV_BIN / "gunicorn"),
        "-w",
        str(workers),
        "-b",
        f"{HOST}:{port}",
        "--chdir",
        str(ROOT),
        "--error-logfile",
        str(error_log),
        "--timeout",
        "60",
        "--no-control-socket",
    ]
    if access:
        command += [
            "--access-logfile",
            str(access),
            "--access-logformat",
            '"%(r)s" %(s)s %(B)s %({content-length}o)s "%({content-encoding}o)s"',
        ]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "WEBAPP_SECRET_KEY": secrets.token_hex(32),
        "WEBAPP_ENV": "production",
    }
    process = subprocess.Popen(
        [*command, APP],
        env=env,
        start_new_session=True,
        cwd=ROOT,
    )
    server = Server(port, workers, error_log, access, process, url)
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop(process)


def _wait_ready(server: Server, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {server.error_log}")
        try:
            if http_get(server.port, "/offline")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn not ready after {seconds}s; see {server.error_log}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # the gunicorn master stops its workers
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


# --- is anything else using the machine? ------------------------------------------------------


def _cpu_ticks(pid: int) -> int:
    """utime + stime of a process and of its children it has waited for, in clock ticks."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return sum(int(x) for x in fields[11:15])


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


class OtherCpu:
    """CPU used outside the bench while it measures: all user + system time of the machine
    (/proc/stat) minus that of this process and the children it waited for (wrk), and of
    the gunicorn server and the PostgreSQL postmaster ($BENCH_PG_PID, set by run.sh) with
    their children. As a share of one core: about 0 on an otherwise idle machine."""

    def __init__(self, server_pid: int | None, postgres: bool) -> None:
        self.roots = {server_pid} if server_pid else set()
        if postgres and os.environ.get("BENCH_PG_PID", "").isdigit():
            self.roots.add(int(os.environ["BENCH_PG_PID"]))
        self.start = self._sample()

    def _ours(self) -> int:
        pids = [int(e.name) for e in Path("/proc").iterdir() if e.name.isdigit()]
        ours = [p for p in pids if p in self.roots or _ppid(p) in self.roots]
        return sum(_cpu_ticks(p) for p in ours) + _cpu_ticks(os.getpid())

    def _sample(self) -> tuple[float, int, int]:
        user, nice, system = map(int, Path("/proc/stat").read_text().split()[1:4])
        return time.monotonic(), user + nice + system, self._ours()

    def share_of_a_core(self) -> float:
        t, busy, ours = self._sample()
        t0, busy0, ours0 = self.start
        ticks = (busy - busy0) - (ours - ours0)
        return round(max(ticks, 0) / os.sysconf("SC_CLK_TCK") / (t - t0), 2)


def log_problems(path: Path) -> dict:
    """Counts of the error-log lines that matter under load."""
    text = path.read_text(errors="replace") if path.exists() else ""
    return {
        "database_is_locked": text.count("database is locked"),
        "tracebacks": text.count("Traceback"),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
        "error_lines": sum(1 for line in text.splitlines() if "[ERROR]" in line),
    }
