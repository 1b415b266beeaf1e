"""Ids from URLs and forms."""

import pytest

from webapp.urls import parse_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        ("2147483647", 2147483647),
        ("2147483648", None),
        ("0", None),
        ("-1", None),
        ("", None),
        ("x", None),
        ("١٢", None),
        ("99999999999999999999", None),
    ],
)
def test_parse_id(text, expected):
    assert parse_id(text) == expected
