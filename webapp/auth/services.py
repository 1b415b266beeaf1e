"""authenticate(): password, account state, memberships and the rate limit."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from sqlalchemy import func
from sqlmodel import Session, select

from webapp.access.scope import membership_facts
from webapp.auth.passwords import MAX_LENGTH, hash_password, password_problems, verify_password
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


MISSING_CURRENT = "Skriv din nuværende adgangskode."
WRONG_CURRENT = "Din nuværende adgangskode er forkert."


@dataclass(frozen=True)
class Change:
    """The outcome of change_password(): no problems means the new password is saved."""

    problems: tuple[str, ...] = ()
    rate_limited: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def change_password(
    session: Session,
    staff: Staff,
    *,
    current: str,
    new: str,
    again: str,
    client_addr: str,
    now: datetime,
    limits: Limits,
) -> Change:
    """Set a new password. With a one-time password (``must_change_password``) the person
    has just signed in with it, so ``current`` is not asked for; otherwise it must be right,
    and a wrong one counts as a failed sign-in (rate limit included): a phone left signed in
    must not become a way to guess the password. Nothing about the new password is checked
    before the current one is right, so the form cannot tell whether a guess is the password."""
    one_time = staff.must_change_password
    if one_time:
        same_as_old = len(new) <= MAX_LENGTH and verify_password(staff.password_hash, new)
    else:
        if _is_rate_limited(session, staff.username, client_addr, now, limits):
            return Change((MESSAGES[Outcome.RATE_LIMITED],), rate_limited=True)
        if not current:
            return Change((MISSING_CURRENT,))
        if not verify_password(staff.password_hash, current[:MAX_LENGTH]):
            session.add(
                LoginAttempt(
                    at=now, username=staff.username, client_addr=client_addr, succeeded=False
                )
            )
            session.flush()
            return Change((WRONG_CURRENT,))
        same_as_old = new == current
    problems = password_problems(new, again, username=staff.username, same_as_old=same_as_old)
    if problems:
        return Change(tuple(problems))
    staff.password_hash = hash_password(new)
    staff.must_change_password = False
    session.add(staff)
    session.flush()
    return Change()


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
