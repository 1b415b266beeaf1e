"""Ids in URLs and forms: whole numbers the database can hold, or nothing (a 404 or a 400,
never an overflow deep in the database driver)."""

from werkzeug.routing import IntegerConverter

#: The largest id an INTEGER primary key holds on PostgreSQL (and far below SQLite's).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a larger number does not match the route (404)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def parse_id(text: str) -> int | None:
    """A form or query value as an id, or None when it is not one."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
