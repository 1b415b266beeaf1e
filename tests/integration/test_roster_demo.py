"""The demo vagtplan: day and evening shifts for every basisteam, nights to the akutteam."""

import time as timer
from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import insert
from sqlmodel import Session, func, select

from webapp import demo
from webapp.auth.passwords import verify_password
from webapp.db import make_engine
from webapp.domain.dates import is_valid_on
from webapp.domain.duty import Shift, is_weekend
from webapp.domain.roles import Role
from webapp.models import Area, DutyShift, HealthUnit, Membership, MembershipKind, Staff, Team
from webapp.roster.demo import DAYS_AHEAD, DAYS_BACK, write_demo_roster

TODAY = date(2026, 11, 25)  # a Wednesday
WINDOW = [TODAY + timedelta(days=n) for n in range(-DAYS_BACK, DAYS_AHEAD + 1)]


@pytest.fixture
def demo_db(app):
    engine = make_engine(app.config["DATABASE_URL"])
    with Session(engine) as session:
        demo.load(session, TODAY)
        if session.exec(select(DutyShift.id).limit(1)).first() is None:  # not yet wired in
            write_demo_roster(session, TODAY)
        session.commit()
        yield session
    engine.dispose()


def roster(session: Session) -> dict[tuple[int, date, str], set[int]]:
    result: dict[tuple[int, date, str], set[int]] = defaultdict(set)
    for row in session.exec(select(DutyShift)):
        result[(row.team_id, row.day, row.shift)].add(row.staff_id)
    return result


def attached_roles(session: Session) -> dict[int, dict[int, frozenset[Role]]]:
    rows = session.exec(
        select(Membership.team_id, Staff)
        .join(Staff, Staff.id == Membership.staff_id)
        .where(Membership.kind == MembershipKind.BASISTEAM)
    ).all()
    result: dict[int, dict[int, frozenset[Role]]] = defaultdict(dict)
    for team_id, person in rows:
        result[team_id][person.id] = person.role_set
    return result


def test_every_team_has_a_day_and_an_evening_nurse_every_day_and_nobody_at_night(demo_db):
    s = demo_db
    shifts = roster(s)
    attached = attached_roles(s)
    teams = s.exec(select(Team.id)).all()
    assert len(teams) == 3
    for team_id in teams:
        for day in WINDOW:
            for shift in (Shift.DAY, Shift.EVENING):
                people = shifts[(team_id, day, shift.value)]
                nurses = [p for p in people if Role.NURSE in attached[team_id][p]]
                assert len(nurses) == 1, (team_id, day, shift)
            assert not shifts[(team_id, day, Shift.NIGHT.value)]
    days = {day for _, day, _ in shifts}
    assert min(days) == WINDOW[0] and max(days) == WINDOW[-1]


def test_day_and_evening_are_different_nurses_and_therapists_work_weekdays(demo_db):
    s = demo_db
    shifts = roster(s)
    attached = attached_roles(s)
    for team_id, people in attached.items():
        therapists = {p for p, roles in people.items() if roles == {Role.THERAPIST}}
        nurses = [p for p, roles in people.items() if Role.NURSE in roles]
        for day in WINDOW:
            day_shift = shifts[(team_id, day, "dag")]
            evening = shifts[(team_id, day, "aften")]
            if len(nurses) > 1:
                assert not (day_shift & evening), (team_id, day)
            if is_weekend(day):
                assert not (day_shift | evening) & therapists
            else:
                assert therapists <= day_shift
            assert not evening & therapists
    # Everyone on the roster is attached to that team's basisteam.
    for (team_id, _, _), people in shifts.items():
        assert people <= set(attached[team_id])


def test_the_demo_nurse_has_the_first_teams_weekday_day_shift(demo_db):
    s = demo_db
    nurse = s.exec(select(Staff).where(Staff.username == Role.NURSE.value)).one()
    first_team = s.exec(select(Team.id).order_by(Team.id)).first()
    shifts = roster(s)
    for day in WINDOW:
        if not is_weekend(day):
            assert nurse.id in shifts[(first_team, day, "dag")], day


def test_each_area_has_an_akutteam_account_as_its_fallback(demo_db):
    s = demo_db
    areas = s.exec(select(Area).order_by(Area.id)).all()
    for n, area in enumerate(areas, start=1):
        account = s.exec(select(Staff).where(Staff.username == f"akutteam.{n}")).one()
        assert account.full_name == f"Akutteam {area.name.removeprefix('Område ')} (vagttelefon)"
        assert account.role_set == {Role.NURSE} and account.phone == f"87 13 00 {n:02d}"
        unit = s.exec(select(HealthUnit).where(HealthUnit.area_id == area.id)).one()
        assert unit.fallback_staff_id == account.id
        membership = s.exec(select(Membership).where(Membership.staff_id == account.id)).one()
        assert membership.kind == MembershipKind.HEALTH_UNIT
        assert membership.health_unit_id == unit.id
        assert is_valid_on(membership.valid_from, membership.valid_to, TODAY)
        assert membership.valid_from < TODAY - timedelta(days=365)
        # Nobody signs in with it: not the demo password.
        assert not verify_password(account.password_hash, demo.DEMO_PASSWORD)
        # The akutteam is nobody's basisteam: it is never on a team's roster.
        on_roster = s.exec(select(DutyShift.id).where(DutyShift.staff_id == account.id)).first()
        assert on_roster is None


def test_running_it_twice_changes_nothing(demo_db):
    s = demo_db
    before = s.exec(select(func.count()).select_from(DutyShift)).one()
    staff = s.exec(select(func.count()).select_from(Staff)).one()
    write_demo_roster(s, TODAY)
    s.commit()
    assert s.exec(select(func.count()).select_from(DutyShift)).one() == before
    assert s.exec(select(func.count()).select_from(Staff)).one() == staff


def test_same_seed_same_roster(app, db):
    """Deterministic: built twice from the same organisation, the rows are the same."""
    _organisation(db, areas=1, teams=2, nurses=4, therapists=2)
    write_demo_roster(db, TODAY, seed=7)
    first = roster(db)
    db.exec(DutyShift.__table__.delete())
    write_demo_roster(db, TODAY, seed=7)
    assert roster(db) == first


def test_aarhus_scale_is_quick(app, db):
    """38 teams × 71 days: one bulk insert, well under a couple of seconds."""
    _organisation(db, areas=7, teams=38, nurses=8, therapists=4)
    db.commit()
    started = timer.perf_counter()
    written = write_demo_roster(db, TODAY)
    db.commit()
    elapsed = timer.perf_counter() - started
    assert db.exec(select(func.count()).select_from(DutyShift)).one() == written
    weekdays = sum(1 for d in WINDOW if not is_weekend(d))
    assert written == 38 * (len(WINDOW) * 2 + weekdays * 4)
    print(f"aarhus roster: {written} rows in {elapsed:.3f} s")
    assert elapsed < 2.5, elapsed


def _organisation(session: Session, areas: int, teams: int, nurses: int, therapists: int) -> None:
    """A bare organisation in bulk: areas, health units, teams, each with its basisteam."""
    long_ago = TODAY - timedelta(days=1000)
    for a in range(areas):
        area = Area(name=f"Område Test {a + 1}")
        session.add(area)
        session.flush()
        session.add(HealthUnit(area_id=area.id, name=f"Sundhedsenhed Test {a + 1}"))
    area_ids = session.exec(select(Area.id).order_by(Area.id)).all()
    session.exec(
        insert(Team),
        params=[{"area_id": area_ids[t % areas], "name": f"T{t}"} for t in range(teams)],
    )
    team_ids = session.exec(select(Team.id).order_by(Team.id)).all()
    people = []
    for t in range(teams):
        people += [(t, i, "sygeplejerske") for i in range(nurses)]
        people += [(t, i, "terapeut") for i in range(therapists)]
    session.exec(
        insert(Staff),
        params=[
            {
                "username": f"p{t}.{role}.{i}",
                "full_name": f"P {t} {role} {i}",
                "phone": None,
                "password_hash": "x",
                "roles": role,
                "active": True,
            }
            for t, i, role in people
        ],
    )
    ids = dict(session.exec(select(Staff.username, Staff.id)).all())
    session.exec(
        insert(Membership),
        params=[
            {
                "staff_id": ids[f"p{t}.{role}.{i}"],
                "kind": MembershipKind.BASISTEAM,
                "team_id": team_ids[t],
                "kontaktteam_id": None,
                "health_unit_id": None,
                "valid_from": long_ago,
                "valid_to": None,
            }
            for t, i, role in people
        ],
    )
    session.flush()
