"""Tavle through the app: scope, rød/gul/grøn with their facts, the kontaktteam filter, the
review at shift start and what changed since, the colour changed on the board (set or
suggested by role), refused input, the 204 poll, and a constant number of statements."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func
from sqlmodel import Session, select

from tests.conftest import START, csrf_token, login
from tests.factories import (
    PASSWORD,
    make_area,
    make_citizen,
    make_health_unit,
    make_kontaktteam,
    make_membership,
    make_staff,
    make_team,
    make_triage_change,
)
from tests.factories_obs import make_colour_suggestion, make_observation, make_tobs
from webapp.access.log import Action
from webapp.board.changes import when
from webapp.domain.citizens import TriageColour
from webapp.domain.followups import FollowUpKind, Source
from webapp.domain.roles import Role
from webapp.models import (
    AccessLog,
    AccessLogCitizen,
    BoardReview,
    Citizen,
    Escalation,
    FollowUp,
    MembershipKind,
    TriageChange,
)

HTMX = {"HX-Request": "true"}
POLL = {"HX-Request": "true", "HX-Current-URL": "http://localhost/tavle/"}
VERSION = re.compile(r'hx-get="/tavle/\d+\?(?:kontaktteam=\d+&amp;)?v=([0-9a-f]+)"')


@dataclass
class World:
    team: object
    other_team: object
    kt_a: object
    kt_b: object
    assistant: object
    helper: object
    nurse: object
    leader: object
    red: object
    yellow: object
    green: object
    other_citizen: object


@pytest.fixture
def world(db: Session) -> World:
    area = make_area(db)
    unit = make_health_unit(db, area)
    team = make_team(db, area, name="Team Vest")
    other_team = make_team(db, area, name="Team Øst")
    kt_a = make_kontaktteam(db, team, name="Vest Nord")
    kt_b = make_kontaktteam(db, team, name="Vest Syd")
    assistant = make_staff(db, {Role.ASSISTANT}, username="ssa", full_name="Sara Assistent")
    make_membership(db, assistant, team=team, kontaktteam=kt_a)
    helper = make_staff(db, {Role.HELPER}, username="hj", full_name="Hanne Hjælper")
    make_membership(db, helper, team=team, kontaktteam=kt_a)
    nurse = make_staff(db, {Role.NURSE}, username="spl", full_name="Anna Andersen")
    make_membership(db, nurse, health_unit=unit)
    make_membership(db, nurse, team=team, kind=MembershipKind.BASISTEAM)
    leader = make_staff(db, {Role.LEADER}, username="leder", full_name="Lene Leder")
    make_membership(db, leader, team=team)
    unit_leader = make_staff(db, {Role.LEADER}, username="enhed", full_name="Enhedens Leder")
    make_membership(db, unit_leader, health_unit=unit)
    other = make_staff(db, {Role.HELPER}, username="andet", full_name="Ole Andet")
    make_membership(db, other, team=other_team)
    admin = make_staff(db, {Role.ADMIN}, username="admin")
    make_membership(db, admin, team=team)

    red = make_citizen(db, team, helper, kontaktteam=kt_a, full_name="Rasmus Rød")
    make_triage_change(
        db, red, nurse, TriageColour.RED, START - timedelta(hours=2), reason="Feber og sløv"
    )
    yellow = make_citizen(db, team, helper, kontaktteam=kt_b, full_name="Gerda Gul")
    make_triage_change(
        db,
        yellow,
        assistant,
        TriageColour.YELLOW,
        START - timedelta(days=1),
        reason="Spiser mindre",
    )
    green = make_citizen(db, team, helper, kontaktteam=kt_a, full_name="Grethe Grøn")
    other_citizen = make_citizen(db, other_team, other, full_name="Anden Borger")
    db.commit()
    return World(
        team, other_team, kt_a, kt_b, assistant, helper, nurse, leader, red, yellow, green,
        other_citizen,
    )  # fmt: skip


def signed_in(app, username: str):
    c = app.test_client()
    assert login(c, username, PASSWORD).status_code == 302
    return c


def make_escalation(db, citizen, sender, recipient, at, status="sendt", answered_by=None):
    e = Escalation(
        citizen_id=citizen.id,
        sender_id=sender.id,
        sent_at=at,
        priority="i_dag",
        isbar_i="I",
        isbar_s="S",
        isbar_b="B",
        isbar_a="A",
        isbar_r="R",
        recipient_id=recipient.id,
        rule="vagt",
        deadline_at=at + timedelta(hours=4),
        status=status,
        answered_at=at + timedelta(minutes=20) if answered_by else None,
        answered_by_id=answered_by.id if answered_by else None,
        answer_kind="ringer" if answered_by else None,
        answer_text="Jeg ringer" if answered_by else None,
    )
    db.add(e)
    db.flush()
    return e


def make_follow_up(db, citizen, owner, due: date, title: str, status="aaben"):
    f = FollowUp(
        citizen_id=citizen.id,
        kind=FollowUpKind.MANUAL.value,
        source=Source.MANUAL.value,
        title=title,
        due_date=due,
        owner_id=owner.id,
        status=status,
        created_at=START - timedelta(days=10),
        cancel_reason="Aflyst" if status == "aflyst" else None,
    )
    db.add(f)
    db.flush()
    return f


def text(response) -> str:
    return response.get_data(as_text=True)


def card_of(page: str, citizen_id: int) -> str:
    """One citizen's card (or line in the grøn list), up to its colour form."""
    start = page.index(f'id="tavle-{citizen_id}"')
    return page[start : page.index('class="bchange"', start)]


def review(client, team_id: int, kontaktteam: int | None = None, headers=None):
    data = {"csrf_token": csrf_token(client)}
    if kontaktteam:
        data["kontaktteam"] = str(kontaktteam)
    return client.post(f"/tavle/{team_id}/gennemgaaet", data=data, headers=headers or {})


def change(client, team_id, citizen_id, colour, reason="Ser dårligere ud", headers=None, **extra):
    data = {"csrf_token": csrf_token(client), "farve": colour, "reason": reason, **extra}
    return client.post(
        f"/tavle/{team_id}/borgere/{citizen_id}/farve", data=data, headers=headers or {}
    )


@pytest.mark.parametrize(
    ("at", "words"),
    [
        (START, "kl. 10.00"),  # today, local time
        (START.replace(hour=23, minute=5) - timedelta(days=1), "kl. 00.05"),  # after midnight
        (START - timedelta(days=1), "i går kl. 10.00"),
        (START - timedelta(days=3), "19.11. kl. 10.00"),
    ],
)
def test_times_on_the_board_are_local_words(at, words):
    assert when(at, START, ZoneInfo("Europe/Copenhagen")) == words


# --- Scope and choosing a board ----------------------------------------------------------------


def test_a_team_member_goes_straight_to_the_teams_board(app, world):
    c = signed_in(app, "ssa")
    response = c.get("/tavle/")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/tavle/{world.team.id}"


def test_a_health_unit_leader_chooses_among_the_areas_teams(app, world):
    c = signed_in(app, "enhed")
    page = text(c.get("/tavle/"))
    assert (
        f'href="/tavle/{world.team.id}"' in page and f'href="/tavle/{world.other_team.id}"' in page
    )
    assert "Team Vest" in page and "1 rød" in page and "1 gul" in page
    assert "Rasmus Rød" not in page  # counts only: no citizen is shown by the chooser


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("andet", "/tavle/{team}"),  # another team's helper
        ("ssa", "/tavle/{other_team}"),  # a team outside the scope
        ("ssa", "/tavle/999999"),  # no such team
        ("ssa", "/tavle/{team}?kontaktteam=999999"),  # no such kontaktteam
        ("admin", "/tavle/{team}"),  # administration sees no citizens
        ("admin", "/tavle/"),
    ],
)
def test_outside_the_scope_is_a_404(app, world, username, path):
    c = signed_in(app, username)
    url = path.format(team=world.team.id, other_team=world.other_team.id)
    assert c.get(url).status_code == 404


def test_another_teams_kontaktteam_is_a_404(app, world, db):
    other_kt = make_kontaktteam(db, world.other_team)
    db.commit()
    c = signed_in(app, "ssa")
    assert c.get(f"/tavle/{world.team.id}?kontaktteam={other_kt.id}").status_code == 404


def test_posts_outside_the_scope_are_404s_and_change_nothing(app, world, db):
    c = signed_in(app, "andet")
    assert review(c, world.team.id).status_code == 404
    ssa = signed_in(app, "ssa")
    assert change(ssa, world.team.id, world.other_citizen.id, "gul").status_code == 404
    assert change(ssa, world.other_team.id, world.other_citizen.id, "gul").status_code == 404
    assert db.exec(select(func.count()).select_from(BoardReview)).one() == 0
    db.expire_all()
    assert db.get(Citizen, world.other_citizen.id).triage_colour == "groen"


# --- What the board shows -------------------------------------------------------------------------


def test_red_then_yellow_then_green_with_reason_who_and_when(app, world):
    page = text(signed_in(app, "ssa").get(f"/tavle/{world.team.id}"))
    red, yellow, green = (page.index(n) for n in ("Rasmus Rød", "Gerda Gul", "Grethe Grøn"))
    assert red < yellow < green
    assert "Feber og sløv" in page and "Sat af Anna Andersen kl. 08.00" in page
    assert "Spiser mindre" in page and "Sat af Sara Assistent i går kl. 10.00" in page
    # Colour is never alone: the word and the symbol are on every badge.
    assert '<span aria-hidden="true">■</span> Rød' in page
    assert '<span aria-hidden="true">▲</span> Gul' in page
    # Grøn: a count and a compact list that starts collapsed.
    assert re.search(r'<details class="board-green" id="groenne-[0-9a-f]+" hx-preserve', page)
    assert "1 borger</span>" in page
    assert "Anden Borger" not in page


def test_a_card_shows_tobs_escalations_overdue_follow_ups_and_suggestions(app, world, db):
    make_tobs(db, world.red, world.helper, START - timedelta(hours=3), pulse=None)
    make_tobs(db, world.red, world.helper, START - timedelta(hours=1, minutes=10), systolic=None)
    make_escalation(db, world.red, world.helper, world.nurse, START - timedelta(minutes=50))
    make_escalation(
        db, world.red, world.helper, world.nurse, START - timedelta(days=1), "besvaret", world.nurse
    )
    make_escalation(db, world.red, world.helper, world.nurse, START - timedelta(days=2), "lukket",
                    world.nurse)  # fmt: skip
    today = START.date()
    make_follow_up(db, world.red, world.helper, today - timedelta(days=3), "Vejning")
    make_follow_up(db, world.red, world.helper, today - timedelta(days=5), "Opfølgende samtale")
    make_follow_up(db, world.red, world.helper, today, "I dag, ikke overskredet")
    make_follow_up(db, world.red, world.helper, today - timedelta(days=9), "Aflyst", "aflyst")
    make_colour_suggestion(
        db,
        world.red,
        world.helper,
        TriageColour.YELLOW,
        START - timedelta(minutes=5),
        "Bedre i dag",
    )
    # A suggestion made before the colour was last set is decided: not shown.
    make_colour_suggestion(
        db, world.red, world.helper, TriageColour.GREEN, START - timedelta(hours=3), "Gammel idé"
    )
    db.commit()
    page = text(signed_in(app, "ssa").get(f"/tavle/{world.team.id}"))
    card = card_of(page, world.red.id)
    assert "TOBS" in card and "(ufuldstændig)" in card and "for 1 time siden" in card
    assert "Sendt til Anna Andersen kl. 09.10, ikke set" in card
    assert "Besvaret af Anna Andersen" in card
    assert card.count("✆") == 2  # the closed one is not open
    assert "2 opfølgninger" in card and "ældste: Opfølgende samtale, frist 17.11." in card
    assert "Forslag:" in card and "Bedre i dag" in card and "Hanne Hjælper, kl. 09.55" in card
    assert "Gammel idé" not in card
    assert "Sæt gul som foreslået" in card  # an SSA decides on it with one tap


def test_the_kontaktteam_filter(app, world):
    c = signed_in(app, "ssa")
    page = text(c.get(f"/tavle/{world.team.id}?kontaktteam={world.kt_b.id}"))
    assert "Gerda Gul" in page and "Rasmus Rød" not in page and "Grethe Grøn" not in page
    assert "Team Vest · Vest Syd" in page
    assert f'href="/tavle/{world.team.id}?kontaktteam={world.kt_b.id}" aria-current="page"' in page
    # The own kontaktteam is marked in the filter.
    assert 'Vest Nord<span class="visually-hidden"> (dit kontaktteam)' in page
    # The poll keeps the filter.
    assert VERSION.search(page) and f"kontaktteam={world.kt_b.id}&amp;v=" in page


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999"])
def test_a_bad_kontaktteam_is_a_danish_400(app, world, value):
    response = signed_in(app, "ssa").get(f"/tavle/{world.team.id}?kontaktteam={value}")
    assert response.status_code == 400
    assert "Kontaktteamet findes ikke" in text(response)


# --- Gennemgået and "changed since" --------------------------------------------------------------


def test_no_review_yet_says_so(app, world):
    page = text(signed_in(app, "ssa").get(f"/tavle/{world.team.id}"))
    assert "Tavlen er ikke gennemgået endnu" in page
    assert "bmark" not in page.replace('class="bmarks"', "")


def test_review_then_what_changed_since(app, world, db, clock):
    ssa = signed_in(app, "ssa")
    response = review(ssa, world.team.id)
    assert response.status_code == 303 and response.headers["Location"] == f"/tavle/{world.team.id}"
    stored = db.exec(select(BoardReview)).one()
    assert stored.reviewed_by_id == world.assistant.id and stored.kontaktteam_id is None
    page = text(ssa.get(f"/tavle/{world.team.id}"))
    assert "Tavlen er markeret som gennemgået." in page  # flashed
    assert "Ingen ændringer siden sidste gennemgang" in page
    assert "Sidst gennemgået kl. 10.00 af Sara Assistent" in page

    # Before the review: not a change.
    make_tobs(db, world.yellow, world.helper, START - timedelta(minutes=1))
    clock.advance(minutes=25)
    make_tobs(db, world.red, world.helper, clock.at - timedelta(minutes=20), pulse=135)
    make_observation(db, world.green, world.helper, clock.at - timedelta(minutes=15), ["svimmel"])
    make_observation(db, world.green, world.helper, clock.at - timedelta(minutes=14))  # no change
    make_triage_change(
        db, world.yellow, world.nurse, TriageColour.RED, clock.at - timedelta(minutes=10)
    )
    make_escalation(db, world.red, world.helper, world.nurse, clock.at - timedelta(minutes=5))
    # Sent and answered before the review: not a change.
    make_escalation(
        db,
        world.green,
        world.helper,
        world.nurse,
        START - timedelta(hours=1),
        "besvaret",
        world.nurse,
    )
    db.commit()
    page = text(ssa.get(f"/tavle/{world.team.id}"))
    assert "4 ændringer siden sidste gennemgang" in page
    red_card = card_of(page, world.red.id)
    assert "Ny TOBS" in red_card and "Ny henvendelse" in red_card
    assert "Ny farve" in card_of(page, world.yellow.id)
    assert "Ny observation" in card_of(page, world.green.id)
    # Gerda is rød now: she moved to the rød column, after Rasmus (by name: G < R).
    assert page.index(f'id="tavle-{world.yellow.id}"') < page.index('id="tavle-gul"')
    assert "1 med ændringer" in page and "Ny observation" in page
    # The list of changes, newest first.
    changes = page[page.index('class="bchanges"') :]
    assert changes.index("Henvendelse sendt til Anna Andersen") < changes.index("sat af Anna")
    assert changes.index("sat af Anna") < changes.index("Observation fra Hanne")
    assert changes.index("Observation fra Hanne") < changes.index("TOBS 3, målt af Hanne")

    clock.advance(minutes=1)
    assert review(signed_in(app, "spl"), world.team.id).status_code == 303
    page = text(ssa.get(f"/tavle/{world.team.id}"))
    assert "Ingen ændringer siden sidste gennemgang" in page
    assert "Sidst gennemgået kl. 10.26 af Anna Andersen" in page


def test_an_answer_after_the_review_is_a_change(app, world, db, clock):
    e = make_escalation(db, world.red, world.helper, world.nurse, START - timedelta(hours=1))
    db.commit()
    ssa = signed_in(app, "ssa")
    review(ssa, world.team.id)
    clock.advance(minutes=15)
    e.status, e.answered_at, e.answered_by_id = "besvaret", clock.at, world.nurse.id
    e.answer_kind, e.answer_text = "ringer", "Jeg ringer"
    db.add(e)
    db.commit()
    page = text(ssa.get(f"/tavle/{world.team.id}"))
    assert "1 ændring siden sidste gennemgang" in page
    assert "Svar på henvendelse" in page and "Svar fra Anna Andersen på en henvendelse" in page


def test_a_kontaktteams_review_does_not_count_for_the_whole_team_but_the_teams_does(
    app, world, db, clock
):
    ssa = signed_in(app, "ssa")
    assert review(ssa, world.team.id, world.kt_a.id).status_code == 303
    assert db.exec(select(BoardReview)).one().kontaktteam_id == world.kt_a.id
    whole = text(ssa.get(f"/tavle/{world.team.id}"))
    assert "Tavlen er ikke gennemgået endnu" in whole
    own = text(ssa.get(f"/tavle/{world.team.id}?kontaktteam={world.kt_a.id}"))
    assert "Sidst gennemgået kl. 10.00 af Sara Assistent" in own
    clock.advance(minutes=5)
    review(signed_in(app, "leder"), world.team.id)
    other = text(ssa.get(f"/tavle/{world.team.id}?kontaktteam={world.kt_b.id}"))
    assert "Sidst gennemgået kl. 10.05 af Lene Leder (hele teamet)" in other


@pytest.mark.parametrize("username", ["ssa", "spl", "leder"])
def test_assistants_nurses_and_leaders_mark_it(app, world, db, username):
    assert review(signed_in(app, username), world.team.id).status_code == 303
    assert db.exec(select(func.count()).select_from(BoardReview)).one() == 1


def test_a_helper_may_not_mark_it_and_is_told_who_may(app, world, db):
    c = signed_in(app, "hj")
    page = text(c.get(f"/tavle/{world.team.id}"))
    assert "board-reviewed" not in page  # no button
    response = review(c, world.team.id)
    assert response.status_code == 403
    assert "SOSU-assistent, en sygeplejerske eller en leder" in text(response)
    assert db.exec(select(func.count()).select_from(BoardReview)).one() == 0


def test_review_under_htmx_answers_with_the_updated_board(app, world):
    c = signed_in(app, "ssa")
    response = review(c, world.team.id, world.kt_a.id, headers=HTMX)
    assert response.status_code == 200
    body = text(response)
    assert body.startswith('<div id="board"') and "Tavlen er markeret som gennemgået." in body
    assert "Sidst gennemgået kl. 10.00 af Sara Assistent" in body
    assert f"kontaktteam={world.kt_a.id}&amp;v=" in body


# --- The colour on the board ---------------------------------------------------------------------


def test_an_assistant_sets_a_colour_on_the_board(app, world, db):
    c = signed_in(app, "ssa")
    response = change(c, world.team.id, world.green.id, "gul", "Mere træt", headers=HTMX)
    assert response.status_code == 200
    body = text(response)
    assert "Grethe Grøn er nu gul." in body and "Mål TOBS" in body
    yellow = body[body.index('id="tavle-gul"') :]
    assert "Grethe Grøn" in yellow and "Mere træt" in yellow and "Sat af Sara Assistent" in yellow
    db.expire_all()
    assert db.get(Citizen, world.green.id).triage_colour == "gul"
    last = db.exec(select(TriageChange).order_by(TriageChange.id.desc())).first()
    assert (last.kind, last.colour, last.set_by_id) == ("sat", "gul", world.assistant.id)


def test_a_helper_suggests_and_nothing_changes_until_an_assistant_decides(app, world, db):
    helper = signed_in(app, "hj")
    page = text(helper.get(f"/tavle/{world.team.id}"))
    assert "Foreslå farve" in page and "Skift farve" not in page
    response = change(helper, world.team.id, world.red.id, "gul", "Feberen er væk", headers=HTMX)
    assert response.status_code == 200
    assert "Dit forslag om gul for Rasmus Rød er sendt" in text(response)
    db.expire_all()
    assert db.get(Citizen, world.red.id).triage_colour == "roed"
    last = db.exec(select(TriageChange).order_by(TriageChange.id.desc())).first()
    assert (last.kind, last.colour) == ("foreslaaet", "gul")
    # The SSA sees the suggestion on the card and sets it with one tap.
    ssa = signed_in(app, "ssa")
    page = text(ssa.get(f"/tavle/{world.team.id}"))
    assert "Feberen er væk" in page and "Sæt gul som foreslået" in page
    response = change(ssa, world.team.id, world.red.id, "gul", "Feberen er væk")
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Citizen, world.red.id).triage_colour == "gul"
    assert "Forslag:" not in text(ssa.get(f"/tavle/{world.team.id}"))  # decided


def test_a_leader_suggests_and_a_nurse_sets(app, world, db):
    change(signed_in(app, "leder"), world.team.id, world.green.id, "roed", "Faldet")
    db.expire_all()
    assert db.get(Citizen, world.green.id).triage_colour == "groen"
    change(signed_in(app, "spl"), world.team.id, world.green.id, "roed", "Faldet")
    db.expire_all()
    assert db.get(Citizen, world.green.id).triage_colour == "roed"


def test_without_htmx_a_change_goes_back_to_the_filtered_board(app, world, db):
    c = signed_in(app, "ssa")
    response = change(c, world.team.id, world.green.id, "gul", kontaktteam=str(world.kt_a.id))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/tavle/{world.team.id}?kontaktteam={world.kt_a.id}"
    assert "Grethe Grøn er nu gul." in text(c.get(response.headers["Location"]))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"farve": "gul", "reason": "  "}, "Skriv kort, hvorfor"),
        ({"farve": "lilla", "reason": "x"}, "Vælg grøn, gul eller rød"),
        ({"farve": "", "reason": "x"}, "Vælg grøn, gul eller rød"),
        ({"farve": "roed", "reason": "x"}, "allerede den farve"),
        ({"farve": "gul", "reason": "x" * 281}, "højst være 280 tegn"),
        ({"farve": "gul", "reason": "x", "kontaktteam": "nej"}, "Kontaktteamet findes ikke"),
    ],
)
def test_bad_input_is_a_danish_400_and_nothing_changes(app, world, db, data, message):
    c = signed_in(app, "ssa")
    payload = {"csrf_token": csrf_token(c), **data}
    url = f"/tavle/{world.team.id}/borgere/{world.red.id}/farve"
    response = c.post(url, data=payload)
    assert response.status_code == 400 and message in text(response)
    assert "Tilbage til tavlen" in text(response)
    under_htmx = c.post(url, data=payload, headers=HTMX)
    assert under_htmx.status_code == 400
    assert under_htmx.headers["HX-Redirect"].startswith(f"/tavle/{world.team.id}")
    assert message in text(c.get(under_htmx.headers["HX-Redirect"]))  # flashed on the board
    db.expire_all()
    assert db.get(Citizen, world.red.id).triage_colour == "roed"
    assert db.exec(select(func.count()).select_from(TriageChange)).one() == 2


def test_a_citizen_of_another_kontaktteam_may_still_be_changed_from_the_team(app, world, db):
    c = signed_in(app, "ssa")
    response = change(c, world.team.id, world.yellow.id, "groen", "Har det godt", headers=HTMX)
    assert response.status_code == 200
    db.expire_all()
    assert db.get(Citizen, world.yellow.id).triage_colour == "groen"


def test_a_missing_csrf_token_is_refused(app, world):
    c = signed_in(app, "ssa")
    response = c.post(
        f"/tavle/{world.team.id}/borgere/{world.red.id}/farve", data={"farve": "gul", "reason": "x"}
    )
    assert response.status_code == 400


# --- Page, fragment, poll, access log ------------------------------------------------------------


def test_the_page_and_the_fragment(app, world):
    c = signed_in(app, "ssa")
    page = c.get(f"/tavle/{world.team.id}")
    assert "<html" in text(page) and 'class="board-filter"' in text(page)
    assert 'name="csrf_token"' in text(page)  # forms work without JavaScript
    fragment = c.get(f"/tavle/{world.team.id}", headers=HTMX)
    body = text(fragment)
    assert body.startswith('<div id="board"') and "<html" not in body
    assert "board-filter" not in body and "Rasmus Rød" in body
    # The CSRF token travels as the htmx header, so the polled body is the same each time.
    assert 'name="csrf_token"' not in body
    assert "HX-Request" in fragment.headers["Vary"]


def test_the_poll_is_a_204_until_something_changes(app, world, db, clock):
    c = signed_in(app, "ssa")
    page = text(c.get(f"/tavle/{world.team.id}"))
    version = VERSION.search(page).group(1)
    url = f"/tavle/{world.team.id}?v={version}"
    logged = db.exec(select(func.count()).select_from(AccessLog)).one()
    clock.advance(seconds=10)
    poll = c.get(url, headers=POLL)
    assert poll.status_code == 204 and poll.get_data() == b""
    assert "Set-Cookie" not in poll.headers  # a poll does not keep a shared phone signed in
    assert db.exec(select(func.count()).select_from(AccessLog)).one() == logged  # not logged
    # Someone else changes a colour; the next poll brings the board.
    change(signed_in(app, "spl"), world.team.id, world.green.id, "gul", "Hoster")
    clock.advance(seconds=10)
    poll = c.get(url, headers=POLL)
    assert poll.status_code == 200
    body = text(poll)
    assert body.startswith('<div id="board"') and "Hoster" in body
    new_version = VERSION.search(body).group(1)
    assert new_version != version
    assert c.get(f"/tavle/{world.team.id}?v={new_version}", headers=POLL).status_code == 204


def test_the_read_is_logged_with_the_citizens_shown(app, world, db):
    c = signed_in(app, "ssa")
    c.get(f"/tavle/{world.team.id}")
    entry = db.exec(select(AccessLog).order_by(AccessLog.id.desc())).first()
    assert entry.action == Action.BOARD == "tavle" and entry.staff_id == world.assistant.id
    assert Action.LABELS[Action.BOARD] == "Så tavlen"
    shown = db.exec(
        select(AccessLogCitizen.citizen_id).where(AccessLogCitizen.access_log_id == entry.id)
    ).all()
    assert sorted(shown) == sorted([world.red.id, world.yellow.id, world.green.id])
    c.get(f"/tavle/{world.team.id}?kontaktteam={world.kt_b.id}")
    entry = db.exec(select(AccessLog).order_by(AccessLog.id.desc())).first()
    shown = db.exec(
        select(AccessLogCitizen.citizen_id).where(AccessLogCitizen.access_log_id == entry.id)
    ).all()
    assert list(shown) == [world.yellow.id]


# --- Statements per request ----------------------------------------------------------------------


def _team_of(db, n: int, clock_at):
    """A team with `n` citizens, every one with a colour set, TOBS, an observation, an open
    escalation, an overdue follow-up and a suggestion; and a review before all of it."""
    area = make_area(db)
    team = make_team(db, area)
    kt = make_kontaktteam(db, team)
    ssa = make_staff(db, {Role.ASSISTANT}, username=f"ssa{n}")
    make_membership(db, ssa, team=team, kontaktteam=kt)
    nurse = make_staff(db, {Role.NURSE})
    db.add(
        BoardReview(
            team_id=team.id, reviewed_at=clock_at - timedelta(hours=5), reviewed_by_id=ssa.id
        )
    )
    colours = [TriageColour.RED, TriageColour.YELLOW, TriageColour.GREEN]
    for i in range(n):
        citizen = make_citizen(db, team, ssa, kontaktteam=kt)
        at = clock_at - timedelta(hours=4)
        make_triage_change(db, citizen, ssa, colours[i % 3], at)
        make_tobs(db, citizen, ssa, at + timedelta(hours=1))
        make_tobs(db, citizen, ssa, at + timedelta(hours=2), pulse=None)
        make_observation(db, citizen, ssa, at + timedelta(hours=1), ["svimmel"])
        make_escalation(db, citizen, ssa, nurse, at + timedelta(hours=2))
        make_follow_up(db, citizen, ssa, clock_at.date() - timedelta(days=2), "Vejning")
        suggested = TriageColour.GREEN if i % 3 else TriageColour.YELLOW
        make_colour_suggestion(db, citizen, nurse, suggested, at + timedelta(hours=3))
    db.commit()
    return team, f"ssa{n}"


def test_the_number_of_statements_does_not_grow_with_the_citizens(app, db, clock):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    small, small_user = _team_of(db, 5, clock.at)
    large, large_user = _team_of(db, 40, clock.at)
    engine = app.extensions["engine"]
    counts = {}
    for team, user in ((small, small_user), (large, large_user)):
        c = signed_in(app, user)
        for kind, headers in (("page", {}), ("fragment", HTMX)):
            statements.clear()
            event.listen(engine, "before_cursor_execute", count)
            try:
                response = c.get(f"/tavle/{team.id}", headers=headers)
            finally:
                event.remove(engine, "before_cursor_execute", count)
            assert response.status_code == 200
            counts[(team.id, kind)] = len(statements)
    assert text(response).count('class="bcard ') + text(response).count('class="bgreen-item') == 40
    assert len(set(counts.values())) == 1, counts
    # The sign-in check (1), the team with its review (1), the cards (1), open escalations
    # (1), open suggestions (1), the changes since the review (1), the access log (2).
    assert set(counts.values()) == {8}
