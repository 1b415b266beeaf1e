"""Argon2id hashes: a person's own password at full cost; an administrator's one-time code,
random and replaced at the first sign-in, at a light cost."""

from argon2 import extract_parameters

from webapp.auth.passwords import hash_one_time_code, hash_password, verify_password


def test_a_one_time_code_verifies_and_a_wrong_one_does_not():
    stored = hash_one_time_code("k7mq-x3pa-9tre")
    assert verify_password(stored, "k7mq-x3pa-9tre")
    assert not verify_password(stored, "k7mq-x3pa-9trf")


def test_a_one_time_code_is_lighter_than_a_password_but_still_argon2id():
    light = extract_parameters(hash_one_time_code("k7mq-x3pa-9tre"))
    full = extract_parameters(hash_password("en god lang adgangskode"))
    assert light.type.name == full.type.name == "ID"
    assert light.memory_cost < full.memory_cost and light.time_cost <= full.time_cost
    assert full.memory_cost >= 64 * 1024


def test_nothing_stored_never_verifies():
    assert not verify_password(None, "")
    assert not verify_password("not a hash", "x")
