"""Checklist rules: label cleaning and validation, keys from labels, moving in the order."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.checklist.rules import (
    DUPLICATE_LABEL,
    EMPTY_LABEL,
    LONG_LABEL,
    MAX_KEY_LENGTH,
    Direction,
    clean_label,
    label_error,
    moved,
    slug,
    unique_key,
)

KEY = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Mere træt eller sløv", "mere_traet_eller_sloev"),
        ("Ændret afføring", "aendret_affoering"),
        ("Vægten ændret", "vaegten_aendret"),
        ("Huden ændret (farve, sår, rødme)", "huden_aendret_farve_saar_roedme"),
        ("ÆØÅ æøå", "aeoeaa_aeoeaa"),
        ("Café-besøg", "cafe_besoeg"),
        ("Größe", "grosse"),
        ("  --Svimmel!!  ", "svimmel"),
        ("Tager 2 × 500 mg", "tager_2_500_mg"),
        ("!!!", "punkt"),
        ("", "punkt"),
        ("水", "punkt"),
    ],
)
def test_slug(label, key):
    assert slug(label) == key


def test_slug_is_at_most_40_and_never_ends_in_underscore():
    key = slug("Borger eller pårørende siger, at noget er galt")
    assert len(key) <= MAX_KEY_LENGTH and not key.endswith("_")
    assert key == "borger_eller_paaroerende_siger_at_noget"
    assert slug("a" * 39 + " b") == "a" * 39


def test_unique_key_adds_a_suffix():
    assert unique_key("Svimmel", []) == "svimmel"
    assert unique_key("Svimmel", ["svimmel"]) == "svimmel_2"
    assert unique_key("Svimmel", ["svimmel", "svimmel_2"]) == "svimmel_3"


def test_unique_key_keeps_within_40_with_the_suffix():
    long = "x" * 60
    taken = ["x" * 40] + [f"{'x' * 38}_{n}" for n in range(2, 10)]
    key = unique_key(long, taken)
    assert key == "x" * 37 + "_10" and len(key) == MAX_KEY_LENGTH


@given(st.text(max_size=200), st.sets(st.text(alphabet="abcs_vim2", max_size=12), max_size=20))
def test_keys_are_always_ascii_short_and_new(label, taken):
    key = unique_key(label, taken)
    assert KEY.match(key) and len(key) <= MAX_KEY_LENGTH and key not in taken


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Spiser   mindre ", "Spiser mindre"),
        ("Spiser\tmindre\r\n", "Spiser mindre"),
        ("Spi\x00ser\u200b mindre", "Spiser mindre"),
        ("", ""),
    ],
)
def test_clean_label(raw, clean):
    assert clean_label(raw) == clean


@pytest.mark.parametrize(
    ("label", "error"),
    [
        ("Svimmel", None),
        ("", EMPTY_LABEL),
        ("x" * 120, None),
        ("x" * 121, LONG_LABEL),
        ("Spiser mindre", DUPLICATE_LABEL),
        ("SPISER MINDRE", DUPLICATE_LABEL),
        ("spiser  mindre", DUPLICATE_LABEL),
        ("Spiser mindre end før", None),
    ],
)
def test_label_error(label, error):
    assert label_error(label, ["Spiser mindre", "Drikker mindre"]) == error


def test_error_messages_are_danish():
    assert EMPTY_LABEL == "Skriv teksten til punktet."
    assert LONG_LABEL == "Teksten må højst være 120 tegn."
    assert DUPLICATE_LABEL == "Der er allerede et punkt i brug med den tekst."


@pytest.mark.parametrize(
    ("item", "direction", "order"),
    [
        (2, Direction.UP, [2, 1, 3]),
        (2, Direction.DOWN, [1, 3, 2]),
        (1, Direction.UP, [1, 2, 3]),
        (3, Direction.DOWN, [1, 2, 3]),
        (3, Direction.UP, [1, 3, 2]),
    ],
)
def test_moved(item, direction, order):
    assert moved([1, 2, 3], item, direction) == order


def test_moved_leaves_the_input_alone():
    order = (1, 2)
    assert moved(order, 2, Direction.UP) == [2, 1] and order == (1, 2)


def test_direction_values_are_the_form_values():
    assert Direction("op") is Direction.UP and Direction("ned") is Direction.DOWN
