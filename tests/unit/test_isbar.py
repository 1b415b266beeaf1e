"""The ISBAR pre-fill is built from facts, in plain Danish."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from webapp.domain.isbar import IsbarFacts, ObservationFact, TobsFact, build_isbar

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


def facts(**overrides) -> IsbarFacts:
    base = {
        "now": NOW,
        "citizen_name": "Karen Jensen",
        "age": 86,
        "address": "Skovvej 3, Viby J",
        "sender_name": "Hanne Hjælper",
        "sender_role": "SOSU-hjælper",
        "sender_phone": "20 30 40 50",
        "colour_label": "Gul",
        "answer_within": "svar inden 30 min.",
    }
    base.update(overrides)
    return IsbarFacts(**base)


def test_identification_names_citizen_and_sender():
    text = build_isbar(facts()).identification
    assert text == (
        "Karen Jensen, 86 år, Skovvej 3, Viby J."
        " Fra Hanne Hjælper (SOSU-hjælper, tlf. 20 30 40 50)."
    )


def test_situation_without_anything():
    s = build_isbar(facts()).situation
    assert "Ingen TOBS de seneste 7 dage." in s
    assert "Ingen hverdagsobservationer de seneste 7 dage." in s
    assert "undtaget" in build_isbar(facts(tobs_applies=False)).situation


def test_situation_with_tobs_and_observations():
    tobs = [
        TobsFact(NOW - timedelta(minutes=10), 4, True, [("puls", "118 /min", 2)]),
        TobsFact(NOW - timedelta(days=2), 1, True),
    ]
    observations = [
        ObservationFact(NOW - timedelta(hours=1), ["Mere træt eller sløv"], "Vil ikke op"),
        ObservationFact(NOW - timedelta(days=1, hours=2), ["Spiser mindre"]),
        ObservationFact(NOW - timedelta(days=3), ["Drikker mindre"]),
        ObservationFact(NOW - timedelta(days=4), ["Ændret adfærd"]),
        ObservationFact(NOW - timedelta(days=5), ["Ændret adfærd"]),
    ]
    isbar = build_isbar(facts(tobs=tobs, observations=observations))
    s = isbar.situation
    assert s.startswith("TOBS 4 i dag kl. 09:50: puls 118 /min (2 p).")
    assert "I dag kl. 09:00: Mere træt eller sløv – »Vil ikke op«." in s
    assert "I går kl. 08:00: Spiser mindre." in s
    assert "Og 2 observationer mere." in s
    a = isbar.analysis
    assert "TOBS stigende de seneste 7 dage (1 → 4)." in a
    assert "5 observationer på 7 dage, heraf 2 de seneste 2 døgn." in a


def test_partial_tobs_is_never_a_score():
    isbar = build_isbar(facts(tobs=[TobsFact(NOW, 2, False)]))
    assert isbar.situation.startswith("Delvis TOBS (ikke alle målt) 2")
    assert "stigende" not in isbar.analysis


def test_background_and_deviation_from_habitual():
    isbar = build_isbar(
        facts(
            colour_since=NOW - timedelta(days=3),
            colour_reason="Spiser mindre",
            pathway_label="Varigt forløb, betydelig",
            key_notes=["KOL", "Demens"],
            habitual=[("puls", "72"), ("mobilitet:", "Går med rollator")],
            habitual_pulse=72,
            last_pulse=118,
            habitual_systolic=130,
            last_systolic=130,
        )
    )
    b = isbar.background
    assert "Triagefarve gul siden 19/11 kl. 10:00 (Spiser mindre)." in b
    assert "Varigt forløb, betydelig." in b and "Vigtigt: KOL, Demens." in b
    assert "Habitualtilstand: puls 72, mobilitet: Går med rollator." in b
    assert "Puls 118 mod vanligt 72 (+46)." in isbar.analysis
    assert "Systolisk" not in isbar.analysis  # unchanged: not mentioned


def test_recommendation_carries_the_deadline_and_guidance():
    r = build_isbar(facts(guidance="Kontakt sygeplejersken nu. Det haster.")).recommendation
    assert r == (
        "Sygeplejefaglig vurdering ønskes (svar inden 30 min.)."
        " Handlingsanvisning: Kontakt sygeplejersken nu. Det haster."
    )


def test_parts_are_in_isbar_order():
    assert [letter for letter, _, _ in build_isbar(facts()).parts()] == list("ISBAR")


def test_nothing_to_analyse_says_so():
    assert build_isbar(facts()).analysis == "Ingen ændring i målinger eller observationer at vise."
