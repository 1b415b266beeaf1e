"""Overblik: counts per kind and bucket for a team, an area and the municipality; who may see
which unit; the list behind a count; the CSV; bad periods; a constant number of statements."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from tests.conftest import START, login
from tests.factories import (
    PASSWORD,
    make_area,
    make_citizen,
    make_health_unit,
    make_membership,
    make_staff,
    make_team,
)
from webapp.domain.followups import Bucket, FollowUpKind, Source, Status, classify
from webapp.domain.roles import Role
from webapp.followups import overview
from webapp.models import AccessLog, AccessLogCitizen, Citizen, FollowUp, MembershipKind, Staff

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = date(2026, 11, 22)  # START in Copenhagen
URL = "/opfoelgninger/overblik"
LIST = f"{URL}/liste"
_n = count(1)


def D(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A time on a local day, as aware UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CPH).astimezone(UTC)


def make_follow_up(
    session: Session,
    citizen: Citizen,
    owner: Staff,
    kind: FollowUpKind,
    due: date,
    status: Status = Status.OPEN,
    done_at: datetime | None = None,
    cancel_reason: str | None = None,
    replaces: FollowUp | None = None,
) -> FollowUp:
    """A follow-up row as the services leave it (done: done_at/by; cancelled: a reason)."""
    if status is Status.DONE and done_at is None:
        done_at = at(due)
    if status is Status.CANCELLED and cancel_reason is None:
        cancel_reason = "Borgeren ønskede det ikke"
    row = FollowUp(
        citizen_id=citizen.id,
        kind=kind.value,
        source=Source.MANUAL.value,
        title=f"{kind.label} #{next(_n)}",
        due_date=due,
        owner_id=owner.id,
        status=status.value,
        created_at=START - timedelta(days=200),
        done_at=done_at,
        done_by_id=owner.id if status is Status.DONE else None,
        cancel_reason=cancel_reason,
        replaces_id=replaces.id if replaces else None,
    )
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def world(db):
    """Område Nord (Team A, Team B, a health unit) and Område Syd (Team C)."""
    north, south = make_area(db, "Område Nord"), make_area(db, "Område Syd")
    team_a, team_b = make_team(db, north, "Team A"), make_team(db, north, "Team B")
    team_c = make_team(db, south, "Team C")
    unit = make_health_unit(db, north)
    helper = make_staff(db, {Role.HELPER}, "helper", full_name="Hanne Hjælper")
    make_membership(db, helper, team=team_a)
    leader = make_staff(db, {Role.LEADER}, "leader", full_name="Lis Leder")
    make_membership(db, leader, team=team_a)
    area_leader = make_staff(db, {Role.LEADER}, "arealeader", full_name="Ole Områdeleder")
    make_membership(db, area_leader, health_unit=unit)
    nurse = make_staff(db, {Role.NURSE}, "nurse", full_name="Rikke Sygeplejerske")
    make_membership(db, nurse, health_unit=unit)
    make_membership(db, nurse, team=team_b, kind=MembershipKind.BASISTEAM)
    admin = make_staff(db, {Role.ADMIN}, "admin", full_name="Ada Admin")
    make_membership(db, admin, team=team_a)
    karen = make_citizen(db, team_a, helper, full_name="Karen Andersen")
    bent = make_citizen(db, team_b, helper, full_name="Bent Bertelsen")
    carl = make_citizen(db, team_c, helper, full_name="Carl Clausen")
    db.commit()
    return {
        "teams": (team_a, team_b, team_c),
        "areas": (north, south),
        "citizens": (karen, bent, carl),
        "helper": helper,
        "nurse": nurse,
    }


def every_bucket(db, citizen: Citizen, owner: Staff) -> None:
    """Team A's follow-ups: M1 held (on time twice, late once), M2 in every other bucket, a
    weighing, two replaced cancellations and two outside the period (90 days back, 14 ahead)."""
    M1, M2, W = FollowUpKind.M1, FollowUpKind.M2, FollowUpKind.WEIGHING
    make_follow_up(db, citizen, owner, M1, D(11, 10), Status.DONE, at(D(11, 10), 20))
    make_follow_up(db, citizen, owner, M1, D(11, 12), Status.DONE, at(D(11, 9)))
    make_follow_up(db, citizen, owner, M1, D(11, 10), Status.DONE, at(D(11, 11), 0, 30))
    make_follow_up(db, citizen, owner, M2, TODAY)  # due today: coming, not overdue
    make_follow_up(db, citizen, owner, M2, D(11, 25))
    make_follow_up(db, citizen, owner, M2, D(11, 21))  # overdue
    make_follow_up(db, citizen, owner, M2, D(11, 15), Status.CANCELLED)  # missing
    postponed = make_follow_up(
        db, citizen, owner, M2, D(11, 18), Status.CANCELLED, cancel_reason="Udsat: syg"
    )
    make_follow_up(db, citizen, owner, M2, D(11, 28), replaces=postponed)  # coming
    make_follow_up(db, citizen, owner, M2, D(12, 1), Status.CANCELLED, cancel_reason="Forløbsskift")
    make_follow_up(db, citizen, owner, W, D(10, 1), Status.DONE, at(D(10, 3)))
    make_follow_up(db, citizen, owner, M2, D(8, 23))  # one day before the default period
    make_follow_up(db, citizen, owner, M2, D(12, 7))  # one day after it
    make_follow_up(db, citizen, owner, M2, D(8, 24))  # first day of the period: overdue
    db.commit()


def csv_table(response) -> dict[tuple[str, str], list[str]]:
    """{(unit, kind label): [til tiden, for sent, kommende, overskredet, mangler, i alt, %]}"""
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == list(overview.CSV_HEADER)
    return {(r[0], r[1]): r[2:] for r in rows[1:]}


M1_LABEL, M2_LABEL = FollowUpKind.M1.label, FollowUpKind.M2.label
W_LABEL, ALL = FollowUpKind.WEIGHING.label, overview.TOTAL_LABEL


def test_team_counts_per_kind_and_bucket(client, db, world):
    karen = world["citizens"][0]
    every_bucket(db, karen, world["helper"])
    login(client, "leader", PASSWORD)
    page = client.get(URL)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Team A" in html and "frist 24.08.2026–06.12.2026" in html
    for bucket in Bucket:
        assert f">{bucket.label}</th>" in html
    table = csv_table(client.get(f"{URL}?format=csv"))
    assert table[("Team A", M1_LABEL)] == ["2", "1", "0", "0", "0", "3", "100"]
    # M2: 3 coming (today, 25.11., the postponed one's replacement), 2 overdue, 1 missing;
    # the postponed and the forløbsskift cancellations are not missing, and 23.08./07.12. are out.
    assert table[("Team A", M2_LABEL)] == ["0", "0", "3", "2", "1", "6", "0"]
    assert table[("Team A", W_LABEL)] == ["0", "1", "0", "0", "0", "1", "100"]
    assert table[("Team A", ALL)] == ["2", "2", "3", "2", "1", "10", "57"]
    assert [k for u, k in table if u == "Team A"] == [M1_LABEL, M2_LABEL, W_LABEL, ALL]
    # The page and the CSV count the same: the drill-down link of M2's missing count says 1.
    assert f'til=2026-12-06">1<span class="visually-hidden"> mangler: {M2_LABEL}' in html
    assert "57 %" in html and "Karen Andersen" not in html  # counts, never names


def test_a_chosen_period_counts_only_follow_ups_due_in_it(client, db, world):
    every_bucket(db, world["citizens"][0], world["helper"])
    login(client, "helper", PASSWORD)
    response = client.get(f"{URL}?format=csv&fra=2026-11-10&til=2026-11-10")
    table = csv_table(response)
    assert table[("Team A", M1_LABEL)] == ["1", "1", "0", "0", "0", "2", "100"]
    assert table[("Team A", ALL)] == ["1", "1", "0", "0", "0", "2", "100"]
    assert "2026-11-10-til-2026-11-10" in response.headers["Content-Disposition"]


def test_area_and_municipality_totals(client, db, world):
    karen, bent, carl = world["citizens"]
    helper = world["helper"]
    every_bucket(db, karen, helper)
    make_follow_up(db, bent, helper, FollowUpKind.M1, D(11, 1), Status.DONE, at(D(11, 2)))
    make_follow_up(db, bent, helper, FollowUpKind.M2, D(11, 1), Status.CANCELLED)
    make_follow_up(db, carl, helper, FollowUpKind.M1, D(11, 1))
    make_follow_up(db, carl, helper, FollowUpKind.M3, D(12, 2))
    db.commit()
    north, south = world["areas"]
    login(client, "arealeader", PASSWORD)
    page = client.get(URL)  # the health-unit leader starts on the area
    assert page.status_code == 200 and "Område Nord" in page.get_data(as_text=True)
    table = csv_table(client.get(f"{URL}?enhed=omraade-{north.id}&format=csv"))
    assert table[("Område Nord", M1_LABEL)] == ["2", "2", "0", "0", "0", "4", "100"]
    assert table[("Område Nord", M2_LABEL)] == ["0", "0", "3", "2", "2", "7", "0"]
    assert table[("Område Nord", ALL)] == ["2", "3", "3", "2", "2", "12", "56"]
    assert table[("Team B", ALL)] == ["0", "1", "0", "0", "1", "2", "50"]
    assert table[("Team A", ALL)] == ["2", "2", "3", "2", "1", "10", "57"]
    assert not any(unit == "Team C" for unit, _ in table)
    client.post("/logout", data={"csrf_token": ""})

    admin = client.application.test_client()
    login(admin, "admin", PASSWORD)
    table = csv_table(admin.get(f"{URL}?format=csv"))
    assert table[("Hele kommunen", M1_LABEL)] == ["2", "2", "0", "1", "0", "5", "80"]
    assert table[("Hele kommunen", FollowUpKind.M3.label)] == ["0", "0", "1", "0", "0", "1", ""]
    assert table[("Hele kommunen", ALL)] == ["2", "3", "4", "3", "2", "14", "50"]
    assert table[("Team C", ALL)] == ["0", "0", "1", "1", "0", "2", "0"]
    assert {u for u, _ in table} == {"Hele kommunen", "Team A", "Team B", "Team C"}
    south_table = csv_table(admin.get(f"{URL}?enhed=omraade-{south.id}&format=csv"))
    assert south_table[("Område Syd", ALL)] == ["0", "0", "1", "1", "0", "2", "0"]
    assert ("Team C", ALL) not in south_table  # one team: no repeat per team


def test_bars_per_team_with_words_counts_and_a_text_summary(client, db, world):
    every_bucket(db, world["citizens"][0], world["helper"])
    login(client, "arealeader", PASSWORD)
    html = client.get(URL).get_data(as_text=True)
    assert html.count('class="ov-bar"') == 2  # Team A and Team B
    assert 'role="img" aria-labelledby="ov-p' in html
    assert (
        "Team A: 10 opfølgninger: 2 holdt til tiden, 2 holdt for sent, 3 kommende,"
        " 2 overskredet, 1 mangler. 57 % holdt." in html
    )
    assert "Team B: ingen opfølgninger i perioden." in html
    for word in ("til tiden", "for sent", "kommende", "overskredet", "mangler"):
        assert f">{word}</text>" in html
    assert "style=" not in html and "<style" not in html  # the CSP forbids both


@pytest.mark.parametrize(
    ("username", "allowed", "refused"),
    [
        ("helper", ["team-A"], ["team-B", "team-C", "omraade-N", "omraade-S", "alle"]),
        ("leader", ["team-A"], ["team-B", "team-C", "omraade-N", "alle"]),
        ("nurse", ["team-B"], ["team-A", "team-C", "omraade-N", "alle"]),
        ("arealeader", ["omraade-N", "team-A", "team-B"], ["team-C", "omraade-S", "alle"]),
        ("admin", ["alle", "omraade-N", "omraade-S", "team-A", "team-C"], []),
    ],
)
def test_who_may_see_which_unit(client, world, username, allowed, refused):
    (a, b, c), (north, south) = world["teams"], world["areas"]
    ids = {"A": a.id, "B": b.id, "C": c.id, "N": north.id, "S": south.id}

    def key(name: str) -> str:
        return name if name == "alle" else f"{name[:-1]}{ids[name[-1]]}"

    login(client, username, PASSWORD)
    assert client.get(URL).status_code == 200
    for name in allowed:
        assert client.get(f"{URL}?enhed={key(name)}").status_code == 200, name
    for name in [*refused, "team-999", "hele", "team-x"]:
        unit = key(name) if name[-1] in ids else name
        assert client.get(f"{URL}?enhed={unit}").status_code == 404, name
        assert client.get(f"{URL}?enhed={unit}&format=csv").status_code == 404, name
        assert client.get(f"{LIST}?enhed={unit}").status_code == 404, name
    if username != "admin":
        for name in allowed:  # their own units: the citizens behind the counts too
            assert client.get(f"{LIST}?enhed={key(name)}").status_code == 200, name


def test_admin_gets_counts_but_never_the_citizens(client, db, world):
    every_bucket(db, world["citizens"][0], world["helper"])
    team_a = world["teams"][0]
    login(client, "admin", PASSWORD)
    html = client.get(f"{URL}?enhed=team-{team_a.id}").get_data(as_text=True)
    assert "Hele kommunen" in html  # the unit picker offers everything
    assert "/liste" not in html and "Karen Andersen" not in html
    assert ">2</td>" in html  # counts without links
    for query in (
        f"enhed=team-{team_a.id}&art=m2&udfald=mangler",
        f"enhed=team-{team_a.id}",
        "enhed=alle",
        "",
    ):
        assert client.get(f"{LIST}?{query}").status_code == 404
    csv_response = client.get(f"{URL}?enhed=alle&format=csv")
    assert csv_response.status_code == 200 and "Karen" not in csv_response.get_data(as_text=True)
    assert db.exec(select(AccessLog)).all() == []


def test_no_role_or_no_team_in_scope_is_a_404(client, db, world):
    """Only admin and the citizen roles get an overview, and only of units in scope: a nurse
    of the health unit with no basisteam has none; a person with no role has none."""
    unit_nurse = make_staff(db, {Role.NURSE}, "unitnurse")
    make_membership(db, unit_nurse, health_unit=make_health_unit(db, world["areas"][1]))
    no_role = make_staff(db, {Role.HELPER}, "norole")
    no_role.roles = ""
    make_membership(db, no_role, team=world["teams"][0])
    db.commit()
    for username in ("unitnurse", "norole"):
        other = client.application.test_client()
        login(other, username, PASSWORD)
        assert other.get(URL).status_code == 404, username
        assert other.get(f"{URL}?format=csv").status_code == 404, username
        assert other.get(LIST).status_code == 404, username


def test_drill_down_lists_the_citizens_and_logs_the_read(client, db, world):
    karen, bent, _ = world["citizens"]
    helper = world["helper"]
    every_bucket(db, karen, helper)
    make_follow_up(db, bent, helper, FollowUpKind.M2, D(11, 15), Status.CANCELLED)
    db.commit()
    team_a = world["teams"][0]
    login(client, "helper", PASSWORD)
    html = client.get(URL).get_data(as_text=True)
    period = "fra=2026-08-24&amp;til=2026-12-06"
    link = f"{LIST}?enhed=team-{team_a.id}&amp;art=m2&amp;udfald=mangler&amp;{period}"
    assert f'href="{link}"' in html
    response = client.get(link.replace("&amp;", "&"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<a class="ov-citizen" href="/borgere/{karen.id}">Karen Andersen</a>' in page
    assert "frist 15.11.2026" in page and "aflyst: Borgeren ønskede det ikke" in page
    assert "ansvarlig: Hanne Hjælper" in page
    assert "Bent Bertelsen" not in page  # Team B is not the helper's
    assert page.count('class="fu ov-item') == 1
    log = db.exec(select(AccessLog).order_by(AccessLog.id.desc())).first()
    assert log.action == "opfoelgninger" and log.path.startswith(LIST)
    logged = db.exec(
        select(AccessLogCitizen.citizen_id).where(AccessLogCitizen.access_log_id == log.id)
    ).all()
    assert logged == [karen.id]
    # The total row's count lists every bucket of every kind.
    everything = client.get(f"{LIST}?enhed=team-{team_a.id}").get_data(as_text=True)
    assert everything.count('class="fu ov-item') == 10
    for bucket in Bucket:
        assert f'<span class="ov-tag">{bucket.label}</span>' in everything
    assert client.get(f"{LIST}?enhed=team-{team_a.id}&art=x").status_code == 400
    assert client.get(f"{LIST}?enhed=team-{team_a.id}&udfald=x").status_code == 400


def test_csv_download(client, db, world):
    every_bucket(db, world["citizens"][0], world["helper"])
    team_a = world["teams"][0]
    login(client, "leader", PASSWORD)
    response = client.get(f"{URL}?enhed=team-{team_a.id}&format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="overblik-team-a-2026-08-24-til-2026-12-06.csv"'
    )
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Enhed;Opfølgning;Holdt til tiden;Holdt for sent;Kommende;Overskredet;Mangler;"
        "I alt;Holdt (%)"
    )
    assert lines[-1] == "Team A;Alle opfølgninger;2;2;3;2;1;10;57"
    assert "Karen" not in body.decode("utf-8")


def test_csv_cells_cannot_start_a_formula(client, db, world):
    team_a = world["teams"][0]
    team_a.name = "=HYPERLINK(1)"
    db.add(team_a)
    db.commit()
    login(client, "leader", PASSWORD)
    text = client.get(f"{URL}?format=csv").get_data(as_text=True)
    assert "\n'=HYPERLINK(1);Alle opfølgninger;" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("fra=2026-13-01", "Fra-datoen «2026-13-01» er ikke en dato"),
        ("til=22-11-2026", "Til-datoen «22-11-2026» er ikke en dato"),
        ("fra=20261101", "Skriv den som ÅÅÅÅ-MM-DD"),
        ("fra=2026-12-01&til=2026-11-01", "Fra-datoen skal ligge før eller på til-datoen."),
        ("fra=2024-01-01&til=2026-11-22", "Perioden kan højst være 2 år."),
        ("fra=1999-12-31", "mellem år 2000 og 2099"),
    ],
)
def test_bad_period_is_a_400_in_danish(client, world, query, message):
    login(client, "leader", PASSWORD)
    for url in (f"{URL}?{query}", f"{URL}?{query}&format=csv", f"{LIST}?{query}"):
        response = client.get(url)
        assert response.status_code == 400, url
        html = response.get_data(as_text=True)
        assert message in html and 'role="alert"' in html
        assert 'name="fra"' in html  # the form is there to fix it


def test_empty_dates_mean_the_default_period(client, world):
    login(client, "leader", PASSWORD)
    response = client.get(f"{URL}?fra=&til=")
    assert response.status_code == 200
    assert "frist 24.08.2026–06.12.2026" in response.get_data(as_text=True)


def test_signed_out_is_sent_to_login(client, world):
    assert client.get(URL).status_code == 302


# --- The SQL buckets agree with classify ------------------------------------------------------

WINTER, SUMMER = D(11, 10), D(7, 1)
SPRING_FORWARD, FALL_BACK = D(3, 29), D(10, 25)


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


CASES = [
    # (status, due, done_at): local midnight is 23:00 UTC in winter, 22:00 in summer
    (Status.DONE, WINTER, utc(WINTER, 22, 59)),  # 23.59 local: on time
    (Status.DONE, WINTER, utc(WINTER, 23, 0)),  # 00.00 the next day: late
    (Status.DONE, SUMMER, utc(SUMMER, 21, 59)),
    (Status.DONE, SUMMER, utc(SUMMER, 22, 0)),
    (Status.DONE, SUMMER, utc(SUMMER - timedelta(days=1), 22, 0)),  # 00.00 on the day
    (Status.DONE, SPRING_FORWARD, utc(SPRING_FORWARD, 21, 59)),  # CEST from 01.00 UTC
    (Status.DONE, SPRING_FORWARD, utc(SPRING_FORWARD, 22, 0)),
    (Status.DONE, SPRING_FORWARD, utc(SPRING_FORWARD - timedelta(days=1), 23, 0)),
    (Status.DONE, FALL_BACK, utc(FALL_BACK, 22, 59)),  # CET from 01.00 UTC
    (Status.DONE, FALL_BACK, utc(FALL_BACK, 23, 0)),
    (Status.DONE, FALL_BACK, utc(FALL_BACK - timedelta(days=1), 21, 59)),  # CEST, day before
    (Status.DONE, D(9, 1), utc(D(3, 1), 10)),  # held half a year early
    (Status.DONE, D(5, 1), utc(D(11, 20), 10)),  # held long after the period: late
    (Status.DONE, TODAY, utc(TODAY, 9)),
    (Status.DONE, D(12, 20), utc(TODAY, 9)),  # done ahead of a future due date
    (Status.OPEN, TODAY, None),
    (Status.OPEN, TODAY - timedelta(days=1), None),
    (Status.OPEN, TODAY + timedelta(days=1), None),
    (Status.OPEN, D(3, 2), None),
    (Status.CANCELLED, TODAY - timedelta(days=3), None),
    (Status.CANCELLED, TODAY + timedelta(days=3), None),
]


def test_sql_buckets_agree_with_classify(db, world):
    karen, helper, team_a = world["citizens"][0], world["helper"], world["teams"][0]
    made = {}
    for status, due, done_at in CASES:
        row = make_follow_up(db, karen, helper, FollowUpKind.MANUAL, due, status, done_at)
        done_on = done_at.astimezone(CPH).date() if done_at else None
        made[row.id] = classify(status, due, done_on, TODAY)
    db.commit()
    period = overview.Period(D(1, 1), D(12, 31))
    found = overview.listed(db, [team_a.id], period, TODAY, CPH)
    assert {f.id: f.bucket for f in found} == made
    assert set(made.values()) == set(Bucket)  # the table reaches every bucket
    shaped = overview.table(overview.counts(db, [team_a.id], period, TODAY, CPH))
    expected = {b: list(made.values()).count(b) for b in Bucket}
    assert dict(shaped.total.buckets) == expected


def test_sql_buckets_for_a_period_in_another_year_and_season(db, world):
    """The SQLite offsets are bound for the period asked for; a summer period years away."""
    karen, helper, team_a = world["citizens"][0], world["helper"], world["teams"][0]
    day = D(6, 30, 2031)
    on_time = make_follow_up(db, karen, helper, FollowUpKind.M4, day, Status.DONE, utc(day, 21, 59))
    late = make_follow_up(db, karen, helper, FollowUpKind.M4, day, Status.DONE, utc(day, 22, 0))
    db.commit()
    found = overview.listed(db, [team_a.id], overview.Period(day, day), TODAY, CPH)
    assert {f.id: f.bucket for f in found} == {on_time.id: Bucket.ON_TIME, late.id: Bucket.LATE}


# --- Statements per request: the same for one team as for five with many follow-ups -----------


def add_team_with_follow_ups(db, area, helper, n_citizens: int, per_citizen: int) -> None:
    team = make_team(db, area)
    for i in range(n_citizens):
        citizen = make_citizen(db, team, helper)
        for j in range(per_citizen):
            due = TODAY - timedelta(days=(i * 7 + j * 11) % 80)
            status = (Status.OPEN, Status.DONE, Status.CANCELLED)[(i + j) % 3]
            done = at(due + timedelta(days=j % 3)) if status is Status.DONE else None
            make_follow_up(db, citizen, helper, FollowUpKind.M4, due, status, done)
    db.commit()


class Statements:
    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self)

    def __call__(self, *args) -> None:
        self.count += 1

    def during(self, client, url: str) -> int:
        before = self.count
        response = client.get(url)
        assert response.status_code == 200, url
        return self.count - before


def test_statements_per_request_do_not_grow_with_teams_or_follow_ups(app, client, db, world):
    helper, (north, _south) = world["helper"], world["areas"]
    every_bucket(db, world["citizens"][0], helper)
    admin, leader = app.test_client(), app.test_client()
    login(admin, "admin", PASSWORD)
    login(leader, "arealeader", PASSWORD)
    counter = Statements(app.extensions["engine"])
    team_a = world["teams"][0]
    requests = [
        (admin, URL),
        (admin, f"{URL}?format=csv"),
        (leader, f"{URL}?enhed=omraade-{north.id}"),
        (leader, f"{LIST}?enhed=omraade-{north.id}"),
        (leader, f"{LIST}?enhed=team-{team_a.id}&art=m2&udfald=overskredet"),
    ]
    small = [counter.during(c, url) for c, url in requests]
    for _ in range(4):
        add_team_with_follow_ups(db, north, helper, n_citizens=6, per_citizen=5)
    assert len(db.exec(select(FollowUp.id)).all()) > 120
    large = [counter.during(c, url) for c, url in requests]
    assert large == small
    assert max(small) <= 6
