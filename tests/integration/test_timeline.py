"""The citizen page's Tidslinje and 30-day trend: order, contents, corrections, set and
suggested colours, the ?dage window, scope, the access log, and a constant number of queries."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from tests.conftest import START, login
from tests.factories import (
    PASSWORD,
    make_area,
    make_citizen,
    make_kontaktteam,
    make_membership,
    make_staff,
    make_team,
    make_triage_change,
)
from tests.factories_obs import (
    make_colour_suggestion,
    make_dismissal,
    make_observation,
    make_tobs,
)
from webapp.domain.citizens import TriageColour
from webapp.domain.roles import Role
from webapp.domain.tobs import Consciousness, TempMethod
from webapp.domain.triage import ChangeKind
from webapp.models import AccessLog, AccessLogCitizen, TriageChange


def utc(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def world(db):
    area = make_area(db)
    team, other_team = make_team(db, area, "Team A"), make_team(db, area, "Team B")
    kt, other_kt = make_kontaktteam(db, team, "A1"), make_kontaktteam(db, other_team, "B1")
    helper = make_staff(db, username="helper", full_name="Hanne Hjælper")
    make_membership(db, helper, team=team, kontaktteam=kt)
    assistant = make_staff(db, {Role.ASSISTANT}, "assistant", full_name="Asta Assistent")
    make_membership(db, assistant, team=team, kontaktteam=kt)
    nurse = make_staff(db, {Role.NURSE}, "nurse", full_name="Rikke Sygeplejerske")
    make_membership(db, nurse, team=team)
    other = make_staff(db, username="other", full_name="Otto Andet")
    make_membership(db, other, team=other_team, kontaktteam=other_kt)
    citizen = make_citizen(db, team, helper, kontaktteam=kt, full_name="Gerda Grøn")
    neighbour = make_citizen(db, team, helper, kontaktteam=kt, full_name="Nabo Nielsen")
    outsider = make_citizen(db, other_team, other, kontaktteam=other_kt, full_name="Bodil B")
    db.commit()
    return {
        "citizen": citizen,
        "neighbour": neighbour,
        "outsider": outsider,
        "helper": helper,
        "assistant": assistant,
        "nurse": nurse,
    }


def page(client, citizen, query: str = "") -> str:
    response = client.get(f"/borgere/{citizen.id}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def timeline_html(html: str) -> str:
    start = html.index('id="tidslinje"')
    return html[start : html.index("</section>", start)]


def trend_html(html: str) -> str:
    start = html.index('aria-labelledby="trend-h"')
    return html[start : html.index("</section>", start)]


def in_order(html: str, *needles: str) -> bool:
    positions = [html.index(n) for n in needles]
    return positions == sorted(positions)


def test_entries_are_newest_first_with_local_time_and_who(client, db, world):
    c, helper, assistant, nurse = (world[k] for k in ("citizen", "helper", "assistant", "nurse"))
    make_observation(db, c, helper, utc(21, 13, 5), ["mere_traet"], note="Sov hele formiddagen")
    make_tobs(db, c, assistant, utc(21, 14, 0), pulse=112)
    make_triage_change(db, c, assistant, TriageColour.YELLOW, utc(21, 14, 30), reason="Høj puls")
    make_colour_suggestion(db, c, helper, TriageColour.RED, utc(20, 8, 0), reason="Bekymret")
    make_dismissal(db, c, nurse, utc(19, 9, 0), reason="Kendt tilstand, set i går")
    make_observation(db, world["neighbour"], helper, utc(21, 10), ["svimmel"], note="Nabos note")
    db.commit()
    login(client, "helper", PASSWORD)
    tl = timeline_html(page(client, c))
    assert in_order(
        tl,
        "21.11. kl. 15.30",  # colour set (14.30 UTC)
        "21.11. kl. 15.00",  # TOBS
        "21.11. kl. 14.05",  # observation
        "20.11. kl. 09.00",  # suggestion
        "19.11. kl. 10.00",  # dismissal
    )
    assert "Hanne Hjælper" in tl and "Asta Assistent" in tl and "Rikke Sygeplejerske" in tl
    assert "Nabos note" not in tl and "Svimmel" not in tl


def test_observation_shows_its_item_labels_and_note_or_no_change(client, db, world):
    c, helper = world["citizen"], world["helper"]
    make_observation(
        db, c, helper, utc(21, 8), ["spiser_mindre", "aendret_adfaerd"], note="Vil ikke spise"
    )
    make_observation(db, c, helper, utc(20, 8))
    db.commit()
    login(client, "helper", PASSWORD)
    tl = timeline_html(page(client, c))
    assert "<li>Spiser mindre</li><li>Ændret adfærd eller humør</li>" in tl  # checklist order
    assert "Vil ikke spise" in tl
    assert "<li>Ingen ændringer i dag</li>" in tl


def test_a_corrected_observation_is_struck_and_points_to_its_correction(client, db, world):
    c, helper = world["citizen"], world["helper"]
    wrong = make_observation(db, c, helper, utc(21, 8), ["faldet"], note="Faldt i badet")
    fixed = make_observation(
        db, c, helper, utc(21, 9), ["svimmel"], note="Var svimmel, faldt ikke", corrects=wrong
    )
    db.commit()
    login(client, "helper", PASSWORD)
    html = page(client, c)
    tl = timeline_html(html)
    old = tl[tl.index(f'id="obs-{wrong.id}"') :]
    old = old[: old.index("</li>\n")]
    assert "tl-corrected" in tl[tl.index(f'id="obs-{wrong.id}"') - 80 :][:200]
    assert "Rettet</span>" in old and "<del" in old and "Faldt i badet" in old
    assert f'href="#obs-{fixed.id}"' in old and "Tælles ikke med" in old
    new = tl[tl.index(f'id="obs-{fixed.id}"') :]
    assert "Rettelse af observation" in new
    assert f'Retter observationen fra <a href="#obs-{wrong.id}">21.11. kl. 09.00</a>' in new
    assert in_order(tl, f'id="obs-{fixed.id}"', f'id="obs-{wrong.id}"')
    # Only the correction counts in the trend.
    assert "1 observation med ændringer på 1 dag." in trend_html(html)


def test_tobs_shows_score_and_values_and_incomplete_is_marked(client, db, world):
    c, assistant = world["citizen"], world["assistant"]
    make_tobs(
        db,
        c,
        assistant,
        utc(21, 8),
        pulse=95,
        respiration=22,
        temperature="37.6",
        method=TempMethod.ORAL,
        systolic=135,
        consciousness=Consciousness.VOICE,
        spo2=94,
    )
    make_tobs(db, c, assistant, utc(20, 8), respiration=None, consciousness=None)
    db.commit()
    login(client, "helper", PASSWORD)
    tl = timeline_html(page(client, c))
    # puls 1 + resp 2 + temp 38,1 → 1 + BT 0 + tiltale 1
    assert "TOBS-score 5</p>" in tl
    assert (
        "<li>Puls 95</li><li>Resp. 22</li><li>Temp. 37,6 °C (oral, svarer til 38,1 rektalt)</li>"
        "<li>BT 135</li><li>Bevidsthed: Reagerer kun på tiltale</li><li>SpO₂ 94 %</li>"
    ) in tl
    assert "TOBS-score 0 (ufuldstændig)" in tl
    assert "Ikke målt: Respiration, Bevidsthed" in tl
    assert "tl-incomplete" in tl


def test_colour_changes_show_word_symbol_and_set_or_suggested(client, db, world):
    c = world["citizen"]
    make_colour_suggestion(db, c, world["helper"], TriageColour.YELLOW, utc(20, 8), "Spiser lidt")
    make_triage_change(db, c, world["assistant"], TriageColour.RED, utc(21, 8), reason="Feber")
    db.commit()
    assert db.exec(select(TriageChange.kind)).all() == [ChangeKind.SUGGESTED, ChangeKind.SET]
    login(client, "helper", PASSWORD)
    tl = timeline_html(page(client, c))
    assert "Triagefarve foreslået: " in tl and "▲</span> Gul" in tl and "Spiser lidt" in tl
    assert "Triagefarve sat: " in tl and "■</span> Rød" in tl and "Feber" in tl
    assert "tl-suggested" in tl
    assert in_order(tl, "Triagefarve sat", "Triagefarve foreslået")


def test_a_nudge_dismissal_is_shown_with_its_reason(client, db, world):
    make_dismissal(db, world["citizen"], world["nurse"], utc(21, 8), "Ringede til borgeren")
    db.commit()
    login(client, "helper", PASSWORD)
    tl = timeline_html(page(client, world["citizen"]))
    assert "Sygeplejerske afviste behov for TOBS: " in tl and "Ringede til borgeren" in tl
    assert "Rikke Sygeplejerske" in tl


def test_the_window_is_30_days_and_vis_aeldre_widens_it_up_to_a_cap(client, db, world):
    c, helper = world["citizen"], world["helper"]
    # Today is 22.11. (local): the 30-day window starts 24.10. at local midnight (23.10. 22 UTC).
    make_observation(db, c, helper, utc(23, 22, 0, month=10), note="Første dag i vinduet")
    make_observation(db, c, helper, utc(23, 21, 59, month=10), note="Lige før vinduet")
    make_observation(db, c, helper, START - timedelta(days=100), note="Hundrede dage siden")
    make_observation(db, c, helper, START + timedelta(minutes=1), note="Fremtiden")
    db.commit()
    login(client, "helper", PASSWORD)
    tl = timeline_html(page(client, c))
    assert "seneste 30 dage" in tl
    assert "Første dag i vinduet" in tl and "Lige før vinduet" not in tl
    assert "Fremtiden" not in tl
    assert f'href="/borgere/{c.id}?dage=90#tidslinje"' in tl and "Vis ældre" in tl
    tl90 = timeline_html(page(client, c, "?dage=90"))
    assert "seneste 90 dage" in tl90 and "Lige før vinduet" in tl90
    assert "Hundrede dage siden" not in tl90
    assert f'href="/borgere/{c.id}?dage=180#tidslinje"' in tl90
    html = page(client, c, "?dage=100000")
    tl_max = timeline_html(html)
    assert "seneste 180 dage" in tl_max and "Hundrede dage siden" in tl_max
    assert "Vis ældre" not in tl_max
    # The trend stays 30 days whatever the window.
    assert "Seneste 30 dage:" in trend_html(html)
    assert "seneste 30 dage" in timeline_html(page(client, c, "?dage=abc"))


def test_empty_timeline_says_so(client, world):
    login(client, "helper", PASSWORD)
    html = page(client, world["citizen"])
    assert "Intet registreret de seneste 30 dage." in html
    assert (
        "<span>Seneste 30 dage: ingen TOBS-målinger.</span>"
        " <span>Ingen observationer med ændringer.</span>"
    ) in html


def test_trend_is_an_accessible_inline_svg_without_inline_styles(client, db, world):
    c, helper, assistant = world["citizen"], world["helper"], world["assistant"]
    make_tobs(db, c, assistant, utc(15, 8), pulse=115)  # 2
    make_tobs(db, c, assistant, utc(18, 8), pulse=135, respiration=26)  # 6
    make_tobs(db, c, assistant, utc(21, 12), systolic=None)  # 0, incomplete
    make_tobs(db, c, assistant, utc(22, 8), pulse=95, respiration=22)  # 3
    for day in (19, 20, 20, 21):
        make_observation(db, c, helper, utc(day, 9), ["drikker_mindre"])
    make_observation(db, c, helper, utc(21, 10))  # no change: not counted
    db.commit()
    login(client, "helper", PASSWORD)
    html = page(client, c)
    assert "style=" not in html and "<style" not in html
    svg = trend_html(html)
    assert re.search(r'<svg class="trend-chart"[^>]*role="img"', svg)
    assert 'aria-labelledby="trend-title"' in svg and '<title id="trend-title">' in svg
    assert 'aria-describedby="trend-summary"' in svg
    assert (
        '<p class="trend-summary" id="trend-summary">'
        "<span>Seneste 30 dage: 4 TOBS-målinger, seneste score 3 (22.11.), højeste 6.</span>"
        " <span>4 observationer med ændringer på 3 dage.</span></p>"
    ) in svg
    assert svg.count('class="trend-point"') == 3 + 1  # + the legend's
    assert svg.count('class="trend-point trend-point-incomplete"') == 1 + 1
    assert "<polyline" in svg and svg.count('class="trend-bar"') == 3 + 1
    assert "21.11. kl. 13.00: TOBS-score 0 (ufuldstændig)" in svg
    assert "20.11.: 2 observationer" in svg


def test_citizen_outside_scope_is_404_with_any_window(client, db, world):
    make_observation(db, world["outsider"], world["helper"], utc(21, 8), note="Hemmelig")
    db.commit()
    login(client, "helper", PASSWORD)
    for query in ("", "?dage=90"):
        response = client.get(f"/borgere/{world['outsider'].id}{query}")
        assert response.status_code == 404
        assert "Hemmelig" not in response.get_data(as_text=True)
    assert db.exec(select(AccessLog)).all() == []


def test_the_read_is_one_access_log_row(client, db, world):
    make_observation(db, world["citizen"], world["helper"], utc(21, 8), ["svimmel"])
    db.commit()
    login(client, "helper", PASSWORD)
    page(client, world["citizen"], "?dage=90")
    (entry,) = db.exec(select(AccessLog)).all()
    assert entry.action == "borger" and entry.path == f"/borgere/{world['citizen'].id}?dage=90"
    cited = db.exec(select(AccessLogCitizen.citizen_id)).all()
    assert cited == [world["citizen"].id]


def add_a_day_of_everything(db, world, day: datetime) -> None:
    c = world["citizen"]
    first = make_observation(db, c, world["helper"], day, ["mere_traet", "svimmel"], note="x")
    make_observation(db, c, world["helper"], day + timedelta(hours=1), ["faldet"], corrects=first)
    make_tobs(db, c, world["assistant"], day + timedelta(hours=2), respiration=None)
    make_triage_change(db, c, world["assistant"], TriageColour.YELLOW, day + timedelta(hours=3))
    make_colour_suggestion(db, c, world["helper"], TriageColour.RED, day + timedelta(hours=4))
    make_dismissal(db, c, world["nurse"], day + timedelta(hours=5))


def test_the_number_of_queries_does_not_grow_with_the_entries(app, client, db, world):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    login(client, "helper", PASSWORD)
    add_a_day_of_everything(db, world, utc(20, 7))
    db.commit()
    page(client, world["citizen"])  # warm up
    engine = app.extensions["engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        page(client, world["citizen"])
        few = len(statements)
        for day in range(1, 20):
            add_a_day_of_everything(db, world, utc(day, 7))
        db.commit()
        statements.clear()
        html = page(client, world["citizen"])
        many = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert html.count('class="tl tl-') == 20 * 6
    assert many == few
    assert few <= 20, statements
