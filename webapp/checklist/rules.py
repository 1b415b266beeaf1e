"""Rules for the observation checklist (DOMAIN §4): labels, keys and order.

Pure Python: no Flask, no database. Inputs in, values out.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from enum import StrEnum

MAX_LABEL_LENGTH = 120
MAX_KEY_LENGTH = 40
FALLBACK_KEY = "punkt"

#: Danish letters spelled the Danish way in ASCII; the rest lose their accents (é → e).
_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss"})
_NOT_KEY = re.compile(r"[^a-z0-9]+")

EMPTY_LABEL = "Skriv teksten til punktet."
LONG_LABEL = f"Teksten må højst være {MAX_LABEL_LENGTH} tegn."
DUPLICATE_LABEL = "Der er allerede et punkt i brug med den tekst."


class Direction(StrEnum):
    """Which way an item moves in the list; the value is the form value."""

    UP = "op"
    DOWN = "ned"


def clean_label(raw: str) -> str:
    """The label as stored: control characters dropped, whitespace runs made one space."""
    visible = "".join(ch for ch in raw if ch.isspace() or unicodedata.category(ch)[0] != "C")
    return " ".join(visible.split())


def same_label(a: str, b: str) -> bool:
    """Labels are compared ignoring case and spacing ("Svimmel" = " svimmel ")."""
    return clean_label(a).casefold() == clean_label(b).casefold()


def label_error(label: str, labels_in_use: Iterable[str]) -> str | None:
    """A Danish message when a cleaned label may not be used, else None.

    `labels_in_use` are the labels of the other active items."""
    if not label:
        return EMPTY_LABEL
    if len(label) > MAX_LABEL_LENGTH:
        return LONG_LABEL
    if any(same_label(label, other) for other in labels_in_use):
        return DUPLICATE_LABEL
    return None


def slug(label: str) -> str:
    """An ASCII key for a label: æ→ae, ø→oe, å→aa, lowercase, anything else → "_"."""
    text = unicodedata.normalize("NFKD", label.lower().translate(_TRANSLIT))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    key = _NOT_KEY.sub("_", text).strip("_")[:MAX_KEY_LENGTH].rstrip("_")
    return key or FALLBACK_KEY


def unique_key(label: str, taken: Iterable[str]) -> str:
    """`slug(label)`, or with a suffix `_2`, `_3`, ... when that key is already taken
    (by any item, retired ones included: keys are never reused)."""
    used = set(taken)
    base = slug(label)
    if base not in used:
        return base
    n = 2
    while True:
        suffix = f"_{n}"
        key = base[: MAX_KEY_LENGTH - len(suffix)].rstrip("_") + suffix
        if key not in used:
            return key
        n += 1


def moved(order: Sequence[int], item_id: int, direction: Direction) -> list[int]:
    """The order after moving `item_id` one step; unchanged at either end."""
    ids = list(order)
    i = ids.index(item_id)
    j = i - 1 if direction is Direction.UP else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
    return ids
