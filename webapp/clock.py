"""The one place that reads the time, so tests can set it (app.config["CLOCK"])."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def _system_now() -> datetime:
    return datetime.now(UTC)


def now() -> datetime:
    """Aware UTC now."""
    source: Callable[[], datetime] = current_app.config.get("CLOCK") or _system_now
    return source()


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def today() -> date:
    """Today in the municipality's time zone: memberships turn over at local midnight."""
    return now().astimezone(local_zone()).date()


def to_local(stored: datetime) -> datetime:
    """A stored time as local time, for display (naive values are UTC)."""
    return as_aware(stored).astimezone(local_zone())


def as_aware(stored: datetime) -> datetime:
    """A time read back from the database as aware UTC (SQLite returns naive values)."""
    return stored if stored.tzinfo is not None else stored.replace(tzinfo=UTC)
