"""authenticate(): password, account state, memberships and the rate limit."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from sqlalchemy import func
from sqlmodel import Session, select

from webapp.access.scope import membership_facts
from webapp.auth.passwords import verify_password
from webapp.domain.scope import has_valid_membership
from webapp.models import LoginAttempt, Staff


class Outcome(Enum):
    OK = "ok"
    BAD_CREDENTIALS = "bad"
    RATE_LIMITED = "limited"
    NO_MEMBERSHIP = "no_membership"


MESSAGES = {
    Outcome.BAD_CREDENTIALS: "Forkert brugernavn eller adgangskode.",
    Outcome.RATE_LIMITED: "For mange forsøg. Vent 15 minutter, og prøv igen.",
    Outcome.NO_MEMBERSHIP: (
        "Du er ikke tilknyttet et team i dag. Kontakt din leder, hvis det er en fejl."
    ),
}


@dataclass(frozen=True)
class Limits:
    window: timedelta
    per_account: int
    per_address: int


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    staff: Staff | None = None


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    client_addr: str,
    now: datetime,
    today: date,
    limits: Limits,
) -> Result:
    username = username.strip().lower()
    if _is_rate_limited(session, username, client_addr, now, limits):
        return Result(Outcome.RATE_LIMITED)
    staff = session.exec(select(Staff).where(Staff.username == username)).first()
    ok = verify_password(staff.password_hash if staff else None, password)
    ok = ok and staff is not None and staff.active
    session.add(LoginAttempt(at=now, username=username, client_addr=client_addr, succeeded=ok))
    session.flush()
    if not ok or staff is None:
        return Result(Outcome.BAD_CREDENTIALS)
    if not has_valid_membership(today, *membership_facts(session, staff.id)):
        return Result(Outcome.NO_MEMBERSHIP)
    return Result(Outcome.OK, staff)


def _is_rate_limited(
    session: Session, username: str, client_addr: str, now: datetime, limits: Limits
) -> bool:
    since = now - limits.window
    failures = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.at >= since,
            LoginAttempt.succeeded.is_(False),  # type: ignore[attr-defined]
        )
    )
    by_account = session.exec(failures.where(LoginAttempt.username == username)).one()
    by_address = session.exec(failures.where(LoginAttempt.client_addr == client_addr)).one()
    return by_account >= limits.per_account or by_address >= limits.per_address
