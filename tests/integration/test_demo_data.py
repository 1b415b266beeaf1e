"""The demo data: the size the README promises, the domain rules kept, logins that work."""

import hashlib
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from tests.conftest import START, login
from webapp import demo
from webapp.db import make_engine
from webapp.domain.citizens import PathwayType, ResponsibleCheck, responsible_errors
from webapp.domain.nudge import DEFAULT_RULE, ObservationFact, needs_tobs_since
from webapp.domain.roles import Role
from webapp.domain.tobs import Consciousness, TempMethod, TobsInput, score
from webapp.models import (
    Area,
    Citizen,
    HealthUnit,
    Kontaktteam,
    Membership,
    MembershipKind,
    Observation,
    ObservationEntry,
    ObservationItem,
    Pathway,
    Staff,
    Team,
    TobsActionVersion,
    TobsDismissal,
    TobsMeasurement,
    TriageChange,
)

TODAY = date(2026, 11, 22)
LOCAL = ZoneInfo("Europe/Copenhagen")
MONTH_AGO = datetime.combine(TODAY - timedelta(days=30), time(0), LOCAL)
MIDNIGHT = datetime.combine(TODAY, time(0), LOCAL)


@pytest.fixture
def demo_db(app):
    engine = make_engine(app.config["DATABASE_URL"])
    with Session(engine) as session:
        demo.load(session, TODAY)
        session.commit()
        yield session
    engine.dispose()


def test_shape(demo_db):
    s = demo_db
    assert len(s.exec(select(Area)).all()) == 1
    assert len(s.exec(select(HealthUnit)).all()) == 1
    teams = s.exec(select(Team)).all()
    assert len(teams) == 3
    per_team = Counter(kt.team_id for kt in s.exec(select(Kontaktteam)))
    assert all(3 <= per_team[t.id] <= 4 for t in teams)
    citizens = s.exec(select(Citizen)).all()
    assert 140 <= len(citizens) <= 160
    assert {c.triage_colour for c in citizens} == {"groen", "gul", "roed"}
    types = Counter(p.type for p in s.exec(select(Pathway)))
    assert set(types) == {t.value for t in PathwayType}
    roles = Counter(r for st in s.exec(select(Staff)) for r in st.role_set)
    assert all(roles[r] >= 1 for r in Role)


def test_responsible_people_follow_the_rules(demo_db):
    s = demo_db
    staff = {st.id: st for st in s.exec(select(Staff))}
    pathways = {p.citizen_id: p for p in s.exec(select(Pathway))}
    for c in s.exec(select(Citizen)):
        check = ResponsibleCheck(
            PathwayType(pathways[c.id].type),
            staff[c.kontaktperson_id].role_set,
            staff[c.forloebsansvarlig_id].role_set if c.forloebsansvarlig_id else None,
        )
        assert responsible_errors(check) == [], c.full_name


def fingerprint(session: Session) -> dict[str, str]:
    """A hash per table of everything the generator wrote, in id order."""
    tables = {
        Citizen: Citizen.id,
        Membership: Membership.id,
        Pathway: Pathway.id,
        TriageChange: TriageChange.id,
        Observation: Observation.id,
        ObservationEntry: (ObservationEntry.observation_id, ObservationEntry.item_id),
        TobsMeasurement: TobsMeasurement.id,
        TobsDismissal: TobsDismissal.id,
    }
    result = {}
    for model, order in tables.items():
        order = order if isinstance(order, tuple) else (order,)
        rows = [
            sorted(r.model_dump().items()) for r in session.exec(select(model).order_by(*order))
        ]
        result[model.__name__] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return result


def test_deterministic(app, tmp_path):
    from tests.database import fresh_database, prepare_template

    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("compares two SQLite copies")
    template = prepare_template(tmp_path)
    names, prints = [], []
    for n in range(2):
        engine = make_engine(fresh_database(template, tmp_path, f"d{n}"))
        with Session(engine) as session:
            demo.load(session, TODAY)
            session.commit()
            names.append([c.full_name for c in session.exec(select(Citizen).order_by(Citizen.id))])
            prints.append(fingerprint(session))
        engine.dispose()
    assert names[0] == names[1]
    assert prints[0] == prints[1]
    assert "Observation" in prints[0] and "TobsMeasurement" in prints[0]


def _roles(s: Session) -> dict[int, frozenset[Role]]:
    return {st.id: st.role_set for st in s.exec(select(Staff))}


def test_a_month_of_observations_tobs_and_colour_changes(demo_db):
    s = demo_db
    observations = s.exec(select(Observation)).all()
    entries = s.exec(select(ObservationEntry)).all()
    tobs = s.exec(select(TobsMeasurement)).all()
    changes = s.exec(select(TriageChange).where(TriageChange.set_at >= MONTH_AGO)).all()
    assert len(observations) >= 300 and len(entries) >= 100 and len(tobs) >= 50
    # Daytime visits in the month before today, nothing in the future.
    for at in [o.at for o in observations] + [t.at for t in tobs]:
        assert MONTH_AGO <= at < MIDNIGHT
        assert 7 <= at.astimezone(LOCAL).hour <= 22
    for c in changes:
        assert c.set_at < MIDNIGHT
    kinds = Counter(c.kind for c in changes)
    assert kinds["sat"] >= 20 and kinds["foreslaaet"] >= 3
    ticked = {e.observation_id for e in entries}
    assert all(o.no_change == (o.id not in ticked) for o in observations)
    assert all(len(o.note) <= 280 for o in observations)
    assert any(o.note for o in observations)
    assert any(not t.complete for t in tobs) and any(t.spo2 is not None for t in tobs)
    seeded = s.exec(select(TobsActionVersion.id)).all()
    assert {t.action_version_id for t in tobs} <= set(seeded)


def test_observations_fit_the_colours(demo_db):
    s = demo_db
    citizens = {c.id: c for c in s.exec(select(Citizen))}
    with_items = {e.observation_id for e in s.exec(select(ObservationEntry))}
    share: dict[str, list[bool]] = defaultdict(list)
    for o in s.exec(select(Observation)):
        share[citizens[o.citizen_id].triage_colour].append(o.id in with_items)
    # Green citizens: mostly "Ingen ændringer i dag"; gul and rød: more ticked items.
    assert sum(share["groen"]) / len(share["groen"]) < 0.35
    assert sum(share["gul"]) / len(share["gul"]) > sum(share["groen"]) / len(share["groen"])
    assert sum(share["roed"]) / len(share["roed"]) > 0.4
    tobs_by_citizen = Counter(t.citizen_id for t in s.exec(select(TobsMeasurement)))
    assert all(tobs_by_citizen[c.id] == 0 for c in citizens.values() if not c.tobs_applies)
    recent_red = [
        t.total
        for t in s.exec(
            select(TobsMeasurement).where(TobsMeasurement.at >= MIDNIGHT - timedelta(days=2))
        )
        if citizens[t.citizen_id].triage_colour == "roed" and t.complete
    ]
    assert recent_red and sum(3 <= total <= 7 for total in recent_red) / len(recent_red) > 0.7


def test_current_colour_is_the_latest_set_change(demo_db):
    s = demo_db
    roles = _roles(s)
    latest: dict[int, TriageChange] = {}
    for change in s.exec(select(TriageChange).order_by(TriageChange.set_at, TriageChange.id)):
        if change.kind == "sat":
            # DOMAIN §6: SSA and nurses set a colour; a helper only suggests one.
            assert roles[change.set_by_id] & {Role.ASSISTANT, Role.NURSE}
            latest[change.citizen_id] = change
        else:
            assert change.kind == "foreslaaet"
    for c in s.exec(select(Citizen)):
        assert latest[c.id].colour == c.triage_colour, c.full_name
        if c.triage_colour == "roed":
            assert Role.NURSE in roles[latest[c.id].set_by_id]
            assert latest[c.id].set_at >= MIDNIGHT - timedelta(days=5)
            assert latest[c.id].reason in demo.RED_REASONS
        if c.triage_colour == "gul":
            assert latest[c.id].reason in demo.YELLOW_REASONS


def test_every_tobs_total_is_the_score_of_its_values(demo_db):
    for t in demo_db.exec(select(TobsMeasurement)):
        result = score(
            TobsInput(
                pulse=t.pulse,
                respiration=t.respiration,
                temperature=t.temperature,
                method=TempMethod(t.temperature_method) if t.temperature_method else None,
                systolic=t.systolic,
                consciousness=Consciousness(t.consciousness) if t.consciousness else None,
                spo2=t.spo2,
            )
        )
        stored = (t.total, t.complete, t.any_three, t.corrected_temperature)
        assert stored == (
            result.total,
            result.complete,
            result.any_three,
            result.corrected_temperature,
        ), t.id


def _waiting_for_tobs(s: Session, citizens: list[Citizen], now: datetime) -> list[Citizen]:
    keys = dict(s.exec(select(ObservationItem.id, ObservationItem.key)).all())
    items: dict[int, set[str]] = defaultdict(set)
    for e in s.exec(select(ObservationEntry)):
        items[e.observation_id].add(keys[e.item_id])
    facts: dict[int, list[ObservationFact]] = defaultdict(list)
    for o in s.exec(select(Observation)):
        facts[o.citizen_id].append(ObservationFact(o.at, frozenset(items[o.id])))
    taken: dict[int, list[datetime]] = defaultdict(list)
    for t in s.exec(select(TobsMeasurement)):
        taken[t.citizen_id].append(t.at)
    dismissed: dict[int, list[datetime]] = defaultdict(list)
    for d in s.exec(select(TobsDismissal)):
        dismissed[d.citizen_id].append(d.at)
    return [
        c
        for c in citizens
        if needs_tobs_since(now, facts[c.id], taken[c.id], dismissed[c.id], DEFAULT_RULE)
    ]


def test_demo_helper_sees_citizens_who_need_a_tobs(demo_db):
    s = demo_db
    helper = s.exec(select(Staff).where(Staff.username == Role.HELPER.value)).one()
    kt = s.exec(
        select(Membership.kontaktteam_id).where(
            Membership.staff_id == helper.id, Membership.kind == MembershipKind.TEAM
        )
    ).one()
    own = s.exec(select(Citizen).where(Citizen.kontaktteam_id == kt, Citizen.tobs_applies)).all()
    for now in (START, MIDNIGHT + timedelta(minutes=1), MIDNIGHT + timedelta(hours=23)):
        assert len(_waiting_for_tobs(s, own, now)) >= 3, now
    # Not everyone: the rest of the team's observations were followed by a TOBS.
    everyone = s.exec(select(Citizen).where(Citizen.tobs_applies)).all()
    assert len(_waiting_for_tobs(s, everyone, START)) < len(everyone) / 10


def test_a_nurse_dismissed_a_nudge(demo_db):
    s = demo_db
    roles = _roles(s)
    dismissals = s.exec(select(TobsDismissal)).all()
    assert dismissals
    for d in dismissals:
        assert Role.NURSE in roles[d.staff_id] and d.reason
        assert MONTH_AGO <= d.at < MIDNIGHT
    dismissed = s.exec(
        select(Citizen).where(Citizen.id.in_({d.citizen_id for d in dismissals}))
    ).all()
    assert _waiting_for_tobs(s, dismissed, START) == []


@pytest.mark.parametrize("role", list(Role))
def test_every_demo_login_works(client, demo_db, role):
    response = login(client, role.value, demo.DEMO_PASSWORD)
    assert response.status_code == 302
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert page.status_code == 200


def test_demo_helper_has_citizens_in_own_kontaktteam(client, demo_db):
    login(client, "hjaelper", demo.DEMO_PASSWORD)
    html = client.get("/").get_data(as_text=True)
    assert "Mit kontaktteam" in html and "Resten af teamet" in html


def test_cli_loads_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data"])
    assert first.exit_code == 0, first.output
    assert "borgere" in first.output
    again = runner.invoke(args=["demo-data", "--if-empty"])
    assert again.exit_code == 0 and "springes over" in again.output
    refused = runner.invoke(args=["demo-data"])
    assert refused.exit_code != 0
