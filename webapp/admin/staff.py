"""Staff administration (issue 8): create a person, edit their details and roles, date-effective
memberships (added and ended, never deleted), deactivate and reactivate, and one-time
passwords the person replaces at first sign-in.

Two halves. Reading the forms is pure (no Flask, no database): each `read_*` function returns
the values, or Danish messages keyed by form field. The services below take values that have
been read, check what needs the database (a username or medarbejdernr in use, an overlapping
membership) *before* writing anything, write, and add one audit-log row for every change.
Services flush; the request commits. A refusal is `Refused` (messages and an HTTP status), so
a refused request has written nothing.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, inspect, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from webapp.admin import audit
from webapp.admin.staff_import import membership_values, one_time_password, staff_values
from webapp.auth.passwords import hash_one_time_code
from webapp.domain.dates import is_valid_on
from webapp.domain.roles import Role, format_roles
from webapp.domain.staff_import import (
    DEFAULT_TEMP_DAYS,
    EXTERNAL_ID,
    PHONE,
    USERNAME,
    Employment,
    format_date,
    parse_date,
)
from webapp.models import HealthUnit, Kontaktteam, Membership, MembershipKind, Staff, Team

MAX_NAME = 160
#: Dates outside these years are typing errors (and year 9999 + 90 days would overflow).
MIN_YEAR, MAX_YEAR = 1990, 2199
PAGE_SIZE = 50
MAX_QUERY = 100

# Danish messages, one place.
NAME_MISSING = "Skriv navnet."
NAME_TOO_LONG = f"Navnet er for langt (højst {MAX_NAME} tegn)."
USERNAME_MISSING = "Skriv et brugernavn."
USERNAME_BAD = (
    "Brugernavnet skal have 3-80 tegn: små bogstaver a-z, tal, punktum, bindestreg eller "
    "understreg (ikke æ, ø, å eller mellemrum)."
)
USERNAME_TAKEN = "Brugernavnet {} er allerede i brug. Vælg et andet."
EXTERNAL_ID_BAD = (
    "Medarbejdernr må kun have bogstaver a-z, tal, punktum, bindestreg og understreg "
    "(højst 40 tegn)."
)
EXTERNAL_ID_TAKEN = "Medarbejdernr {} er allerede brugt af {}."
PHONE_BAD = "Telefonnummeret må kun have tal, mellemrum og + (højst 32 tegn)."
ROLES_MISSING = "Vælg mindst én rolle."
ROLE_UNKNOWN = "Ukendt rolle: {}."
PLACE_MISSING = "Vælg et team, et kontaktteam eller en sundhedsenhed."
PLACE_UNKNOWN = "Vælg et team, et kontaktteam eller en sundhedsenhed fra listen."
EMPLOYMENT_BAD = "Vælg fast, vikar eller elev."
DATE_RANGE = "{} skal ligge mellem {} og {}."
FROM_MISSING = "Skriv fra-datoen."
TO_MISSING = "Skriv slutdatoen."
TO_BEFORE_FROM = "Slutdatoen {} ligger før startdatoen {}."
OVERLAP = "{} er allerede medlem af {} i en del af perioden ({})."
SELF_DEACTIVATE = "Du kan ikke deaktivere dig selv. Bed en anden administrator om det."
SELF_ADMIN = "Du kan ikke fjerne din egen administratorrolle. Bed en anden administrator om det."
STALE = "Medarbejderen er blevet ændret, siden du åbnede siden. Se de nye oplysninger, og ret igen."
NO_CHANGE = "Ingen ændringer at gemme."

KIND_LABELS = {
    MembershipKind.TEAM: "Team",
    MembershipKind.BASISTEAM: "Basisteam (tilknyttet)",
    MembershipKind.HEALTH_UNIT: "Sundhedsenhed",
}


class Refused(Exception):
    """A change refused before anything was written: Danish messages by form field."""

    def __init__(self, errors: dict[str, str], status: int = 400):
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        self.status = status


# --- Pure: the organisation as choices, and reading the forms ----------------------------------


@dataclass(frozen=True)
class Place:
    """Where a membership puts a person (the targets the Membership check constraint allows)."""

    kind: str
    team_id: int | None = None
    kontaktteam_id: int | None = None
    health_unit_id: int | None = None


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Places:
    """Teams, kontaktteams and health units: names for the screen and the choices of a form.

    A choice's value is `team-<id>`, `kontaktteam-<id>`, `sundhedsenhed-<id>` or
    `basisteam-<id>` (a health-unit professional attached by name to a team)."""

    teams: dict[int, str] = field(default_factory=dict)
    kontaktteams: dict[int, tuple[int, str]] = field(default_factory=dict)  # id: (team, name)
    units: dict[int, str] = field(default_factory=dict)

    def groups(self, with_basisteam: bool) -> list[tuple[str, list[Choice]]]:
        by_name = sorted(self.teams.items(), key=lambda t: t[1].casefold())
        groups = [
            ("Team", [Choice(f"team-{i}", name) for i, name in by_name]),
            (
                "Kontaktteam",
                [
                    Choice(f"kontaktteam-{i}", f"{self.teams.get(team, '?')} / {name}")
                    for i, (team, name) in sorted(
                        self.kontaktteams.items(),
                        key=lambda k: (self.teams.get(k[1][0], "").casefold(), k[1][1].casefold()),
                    )
                ],
            ),
            (
                "Sundhedsenhed",
                [
                    Choice(f"sundhedsenhed-{i}", name)
                    for i, name in sorted(self.units.items(), key=lambda u: u[1].casefold())
                ],
            ),
        ]
        if with_basisteam:
            groups.append(
                (
                    "Basisteam (sygeplejerske eller terapeut tilknyttet et team)",
                    [Choice(f"basisteam-{i}", f"Basisteam {name}") for i, name in by_name],
                )
            )
        return [(label, choices) for label, choices in groups if choices]

    def describe(self, m: Membership | Place) -> str:
        if m.kind == MembershipKind.HEALTH_UNIT:
            return self.units.get(m.health_unit_id or 0, f"Sundhedsenhed {m.health_unit_id}")
        team = self.teams.get(m.team_id or 0, f"Team {m.team_id}")
        if m.kind == MembershipKind.BASISTEAM:
            return f"Basisteam {team}"
        if m.kontaktteam_id is not None:
            kt = self.kontaktteams.get(m.kontaktteam_id)
            return f"{team} / {kt[1] if kt else m.kontaktteam_id}"
        return team


@dataclass(frozen=True)
class PersonInput:
    full_name: str
    external_id: str | None
    phone: str | None
    roles: frozenset[Role]
    username: str | None = None  # only when creating: a username is not changed here


@dataclass(frozen=True)
class Period:
    valid_from: date
    valid_to: date | None
    #: The end date was set by default (a temp or a student without one).
    default_end: bool = False


def _text(form: Mapping[str, str], name: str, limit: int = 400) -> str:
    return " ".join(str(form.get(name, "") or "")[:limit].split())


def read_person(
    form: Mapping[str, str], roles: Iterable[str], *, with_username: bool
) -> tuple[PersonInput | None, dict[str, str]]:
    """Navn, (brugernavn), medarbejdernr, telefon and the ticked roles."""
    errors: dict[str, str] = {}
    name = _text(form, "navn", 1000)
    if not name:
        errors["navn"] = NAME_MISSING
    elif len(name) > MAX_NAME:
        errors["navn"] = NAME_TOO_LONG
    username = None
    if with_username:
        username = _text(form, "brugernavn", 200).lower()
        if not username:
            errors["brugernavn"] = USERNAME_MISSING
        elif not USERNAME.fullmatch(username):
            errors["brugernavn"] = USERNAME_BAD
    external_id = _text(form, "medarbejdernr", 200) or None
    if external_id is not None and not EXTERNAL_ID.fullmatch(external_id):
        errors["medarbejdernr"] = EXTERNAL_ID_BAD
    phone = _text(form, "telefon", 200) or None
    if phone is not None and not (PHONE.fullmatch(phone) and any(c.isdigit() for c in phone)):
        errors["telefon"] = PHONE_BAD
    chosen: set[Role] = set()
    for word in roles:
        try:
            chosen.add(Role(str(word)))
        except ValueError:
            errors["roller"] = ROLE_UNKNOWN.format(str(word)[:40])
    if not chosen and "roller" not in errors:
        errors["roller"] = ROLES_MISSING
    if errors:
        return None, errors
    return PersonInput(name, external_id, phone, frozenset(chosen), username), {}


def read_place(
    value: str, places: Places, *, with_basisteam: bool
) -> tuple[Place | None, str | None]:
    """A choice from `Places.groups` as a Place; a kontaktteam brings its team."""
    value = str(value or "").strip()
    if not value:
        return None, PLACE_MISSING
    kind, _, number = value.partition("-")
    ident = int(number) if number.isascii() and number.isdigit() and len(number) < 10 else None
    if ident is None:
        return None, PLACE_UNKNOWN
    if kind == "team" and ident in places.teams:
        return Place(MembershipKind.TEAM, team_id=ident), None
    if kind == "kontaktteam" and ident in places.kontaktteams:
        team_id = places.kontaktteams[ident][0]
        return Place(MembershipKind.TEAM, team_id=team_id, kontaktteam_id=ident), None
    if kind == "sundhedsenhed" and ident in places.units:
        return Place(MembershipKind.HEALTH_UNIT, health_unit_id=ident), None
    if with_basisteam and kind == "basisteam" and ident in places.teams:
        return Place(MembershipKind.BASISTEAM, team_id=ident), None
    return None, PLACE_UNKNOWN


def read_date(text: str, label: str, errors: dict[str, str], key: str) -> date | None:
    """A date from a date field (2026-03-01) or typed (01.03.2026); None when empty."""
    try:
        day = parse_date(str(text or "")[:40], label)
    except ValueError as error:
        errors[key] = str(error)
        return None
    if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR:
        errors[key] = DATE_RANGE.format(label, MIN_YEAR, MAX_YEAR)
        return None
    return day


def read_period(form: Mapping[str, str], today: date) -> tuple[Period | None, dict[str, str]]:
    """`fra` (today when empty), `til` (none when empty) and `ansaettelse`: a temp or a student
    without `til` gets `fra` + DEFAULT_TEMP_DAYS."""
    errors: dict[str, str] = {}
    fra = read_date(form.get("fra", ""), "Fra-datoen", errors, "fra") or today
    til = read_date(form.get("til", ""), "Til-datoen", errors, "til")
    try:
        employment = Employment(str(form.get("ansaettelse", "") or "fast").strip())
    except ValueError:
        errors["ansaettelse"] = EMPLOYMENT_BAD
        employment = Employment.PERMANENT
    if til is not None and til < fra:
        errors["til"] = TO_BEFORE_FROM.format(format_date(til), format_date(fra))
    if errors:
        return None, errors
    if til is None and employment is not Employment.PERMANENT:
        return Period(fra, fra + timedelta(days=DEFAULT_TEMP_DAYS), default_end=True), {}
    return Period(fra, til), {}


def read_end(text: str, valid_from: date) -> tuple[date | None, str | None]:
    """The last day of a membership: required, and not before its first day."""
    errors: dict[str, str] = {}
    til = read_date(text, "Slutdatoen", errors, "til")
    if errors:
        return None, errors["til"]
    if til is None:
        return None, TO_MISSING
    if til < valid_from:
        return None, TO_BEFORE_FROM.format(format_date(til), format_date(valid_from))
    return til, None


def overlaps(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


def version(staff: Staff) -> str:
    """What an edit form was made from: a later change to the person makes it stale."""
    text = json.dumps(values(staff), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def values(staff: Staff) -> dict:
    """The audit log's before/after for a person (never the password or its hash)."""
    return staff_values(staff) | {"skal_skifte_adgangskode": staff.must_change_password}


# --- Reading the database ------------------------------------------------------------------


def places(session: Session) -> Places:
    return Places(
        teams={t.id: t.name for t in session.exec(select(Team)).all()},  # type: ignore[misc]
        kontaktteams={
            k.id: (k.team_id, k.name)  # type: ignore[misc]
            for k in session.exec(select(Kontaktteam)).all()
        },
        units={u.id: u.name for u in session.exec(select(HealthUnit)).all()},  # type: ignore[misc]
    )


@dataclass(frozen=True)
class Listed:
    staff: Staff
    current: list[str]  # where the person is today


@dataclass(frozen=True)
class Page:
    rows: list[Listed]
    total: int
    page: int
    pages: int


STATUSES = {"alle": None, "aktive": True, "inaktive": False}


def search(
    session: Session, query: str, status: str, page: int, today: date, known: Places
) -> Page:
    """People whose name, username or medarbejdernr contains `query`, by name, a page at a
    time, each with where they are today."""
    conditions = []
    query = query.strip()[:MAX_QUERY]
    if query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        conditions.append(
            or_(
                Staff.full_name.ilike(pattern, escape="\\"),  # type: ignore[attr-defined]
                Staff.username.ilike(pattern, escape="\\"),  # type: ignore[attr-defined]
                Staff.external_id.ilike(pattern, escape="\\"),  # type: ignore[union-attr]
            )
        )
    active = STATUSES.get(status)
    if active is not None:
        conditions.append(Staff.active.is_(active))  # type: ignore[attr-defined]
    total = session.exec(select(func.count()).select_from(Staff).where(*conditions)).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    people = session.exec(
        select(Staff)
        .where(*conditions)
        .order_by(func.lower(Staff.full_name), Staff.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    current: dict[int, list[str]] = {}
    if people:
        ids = [p.id for p in people]
        for m in session.exec(
            select(Membership).where(Membership.staff_id.in_(ids))  # type: ignore[attr-defined]
        ).all():
            if is_valid_on(m.valid_from, m.valid_to, today):
                current.setdefault(m.staff_id, []).append(known.describe(m))
    rows = [Listed(p, sorted(current.get(p.id, []))) for p in people]  # type: ignore[arg-type]
    return Page(rows, total, page, pages)


@dataclass(frozen=True)
class MembershipRow:
    membership: Membership
    kind_label: str
    place: str
    state: str  # "nu", "kommende" or "afsluttet"

    @property
    def state_label(self) -> str:
        return {"nu": "Nu", "kommende": "Kommende", "afsluttet": "Afsluttet"}[self.state]


def membership_rows(session: Session, staff_id: int, today: date, known: Places):
    """Current and coming first (by start), then past ones (newest first)."""
    rows = []
    for m in session.exec(select(Membership).where(Membership.staff_id == staff_id)).all():
        if m.valid_to is not None and m.valid_to < today:
            state = "afsluttet"
        elif m.valid_from > today:
            state = "kommende"
        else:
            state = "nu"
        rows.append(MembershipRow(m, KIND_LABELS.get(m.kind, m.kind), known.describe(m), state))
    open_rows = sorted(
        (r for r in rows if r.state != "afsluttet"),
        key=lambda r: (r.state != "nu", r.membership.valid_from, r.membership.id),
    )
    past = sorted(
        (r for r in rows if r.state == "afsluttet"),
        key=lambda r: (r.membership.valid_to, r.membership.id),
        reverse=True,
    )
    return open_rows + past


def _check_unique(
    session: Session,
    *,
    username: str | None = None,
    external_id: str | None = None,
    except_id: int | None = None,
) -> None:
    errors: dict[str, str] = {}
    if username is not None:
        found = session.exec(select(Staff).where(Staff.username == username)).first()
        if found is not None and found.id != except_id:
            errors["brugernavn"] = USERNAME_TAKEN.format(username)
    if external_id is not None:
        found = session.exec(select(Staff).where(Staff.external_id == external_id)).first()
        if found is not None and found.id != except_id:
            errors["medarbejdernr"] = EXTERNAL_ID_TAKEN.format(external_id, found.full_name)
    if errors:
        raise Refused(errors, 409)


# --- Changes: each one audited ------------------------------------------------------------------


def _flush_or_refuse(
    session: Session, staff: Staff, person: PersonInput, except_id: int | None
) -> None:
    """Flush in a savepoint: someone who took the username or number a moment ago (after the
    check) is a 409 with the same message, not a 500 at commit. The refused change is dropped
    from the session, so the request's commit does not try it again."""
    try:
        with session.begin_nested():
            session.add(staff)
            session.flush()
    except IntegrityError:
        if inspect(staff).persistent:
            session.expire(staff)
        elif staff in session:
            session.expunge(staff)
        _check_unique(
            session,
            username=person.username,
            external_id=person.external_id,
            except_id=except_id,
        )
        raise Refused({"brugernavn": USERNAME_TAKEN.format(person.username)}, 409) from None


@dataclass(frozen=True)
class Created:
    staff: Staff
    membership: Membership
    password: str  # shown once, never stored


def create(
    session: Session, person: PersonInput, place: Place, period: Period, *, by: int, now: datetime
) -> Created:
    """A new, active person with a one-time password and a first membership."""
    assert person.username is not None
    _check_unique(session, username=person.username, external_id=person.external_id)
    password = one_time_password()
    staff = Staff(
        username=person.username,
        full_name=person.full_name,
        external_id=person.external_id,
        phone=person.phone,
        roles=format_roles(person.roles),
        password_hash=hash_one_time_code(password),
        must_change_password=True,
        active=True,
    )
    _flush_or_refuse(session, staff, person, None)
    audit.record(
        session,
        by=by,
        at=now,
        action=audit.Change.CREATE,
        entity=audit.Entity.STAFF,
        entity_id=staff.id,
        summary=f"{staff.full_name} ({staff.username}) oprettet",
        after=values(staff),
    )
    membership = _insert_membership(session, staff, place, period, by=by, now=now)
    return Created(staff, membership, password)


def update(session: Session, staff: Staff, person: PersonInput, *, by: int, now: datetime) -> bool:
    """Name, medarbejdernr, phone and roles; False when nothing changed (nothing logged)."""
    if by == staff.id and Role.ADMIN in staff.role_set and Role.ADMIN not in person.roles:
        raise Refused({"roller": SELF_ADMIN})
    _check_unique(session, external_id=person.external_id, except_id=staff.id)
    before = values(staff)
    staff.full_name, staff.external_id = person.full_name, person.external_id
    staff.phone, staff.roles = person.phone, format_roles(person.roles)
    after = values(staff)
    if after == before:
        return False
    _flush_or_refuse(session, staff, person, staff.id)
    changed = ", ".join(k for k in after if after[k] != before[k])
    audit.record(
        session,
        by=by,
        at=now,
        action=audit.Change.UPDATE,
        entity=audit.Entity.STAFF,
        entity_id=staff.id,
        summary=f"{staff.full_name} rettet: {changed}",
        before=before,
        after=after,
    )
    return True


def _same_place(m: Membership, place: Place) -> bool:
    if m.kind != place.kind:
        return False
    if place.kind == MembershipKind.HEALTH_UNIT:
        return m.health_unit_id == place.health_unit_id
    return m.team_id == place.team_id


def add_membership(
    session: Session,
    staff: Staff,
    place: Place,
    period: Period,
    *,
    by: int,
    now: datetime,
    known: Places,
) -> Membership:
    """A new membership; refused when the person is already in the same team (or health unit,
    or basisteam) for part of the period: end that one first."""
    for m in session.exec(select(Membership).where(Membership.staff_id == staff.id)).all():
        if _same_place(m, place) and overlaps(
            period.valid_from, period.valid_to, m.valid_from, m.valid_to
        ):
            dates = f"fra {format_date(m.valid_from)}" + (
                f" til {format_date(m.valid_to)}" if m.valid_to else ""
            )
            message = OVERLAP.format(staff.full_name, known.describe(m), dates)
            raise Refused({"placering": message}, 409)
    return _insert_membership(session, staff, place, period, by=by, now=now, known=known)


def _insert_membership(
    session, staff, place, period, *, by, now, known: Places | None = None
) -> Membership:
    membership = Membership(
        staff_id=staff.id,
        kind=place.kind,
        team_id=place.team_id,
        kontaktteam_id=place.kontaktteam_id,
        health_unit_id=place.health_unit_id,
        valid_from=period.valid_from,
        valid_to=period.valid_to,
    )
    session.add(membership)
    session.flush()
    where = known.describe(membership) if known else KIND_LABELS.get(place.kind, place.kind)
    until = f" til {format_date(period.valid_to)}" if period.valid_to else ""
    audit.record(
        session,
        by=by,
        at=now,
        action=audit.Change.CREATE,
        entity=audit.Entity.MEMBERSHIP,
        entity_id=membership.id,
        summary=(
            f"Medlemskab for {staff.full_name}: {where} fra {format_date(period.valid_from)}{until}"
        ),
        after=membership_values(membership),
    )
    return membership


def end_membership(
    session: Session,
    staff: Staff,
    membership: Membership,
    til: date,
    *,
    by: int,
    now: datetime,
    known: Places,
) -> bool:
    """Set the last day (the caller checked it is not before the first). Never deletes; a
    later date extends, e.g. a temp's contract. False when it is already that day."""
    if membership.valid_to == til:
        return False
    before = membership_values(membership)
    membership.valid_to = til
    session.add(membership)
    session.flush()
    audit.record(
        session,
        by=by,
        at=now,
        action=audit.Change.END,
        entity=audit.Entity.MEMBERSHIP,
        entity_id=membership.id,
        summary=f"Medlemskab for {staff.full_name}: {known.describe(membership)} slutter "
        f"{format_date(til)}",
        before=before,
        after=membership_values(membership),
    )
    return True


def set_active(session: Session, staff: Staff, active: bool, *, by: int, now: datetime) -> bool:
    """Deactivate (cannot sign in; signed out at the next request) or reactivate."""
    if not active and staff.id == by:
        raise Refused({"aktiv": SELF_DEACTIVATE})
    if staff.active == active:
        return False
    before = values(staff)
    staff.active = active
    session.add(staff)
    session.flush()
    audit.record(
        session,
        by=by,
        at=now,
        action=audit.Change.UPDATE,
        entity=audit.Entity.STAFF,
        entity_id=staff.id,
        summary=f"{staff.full_name} {'genaktiveret' if active else 'deaktiveret'}",
        before=before,
        after=values(staff),
    )
    return True


def new_password(session: Session, staff: Staff, *, by: int, now: datetime) -> str:
    """A new one-time password, returned to be shown once; the person chooses their own at the
    next sign-in. The old password stops working."""
    before = values(staff)
    password = one_time_password()
    staff.password_hash = hash_one_time_code(password)
    staff.must_change_password = True
    session.add(staff)
    session.flush()
    audit.record(
        session,
        by=by,
        at=now,
        action=audit.Change.UPDATE,
        entity=audit.Entity.STAFF,
        entity_id=staff.id,
        summary=f"Ny engangsadgangskode til {staff.full_name}",
        before=before,
        after=values(staff),
    )
    return password
