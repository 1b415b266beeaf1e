"""A citizen's record as typed into a form (DOMAIN §3): reading and checking it, with a
Danish message per field. Also the referral (henvendelse) that starts a pathway. Pure."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from webapp.domain.citizens import PathwayType

MAX_NAME = 160
MAX_STREET = 160
MAX_CITY = 80
MAX_TEXT = 200
MAX_NOTES = 1000
#: A referral may be registered up to this many days after it came.
REFERRAL_DAYS_BACK = 30

POSTCODE = re.compile(r"[0-9]{4}")
PHONE = re.compile(r"[0-9 +]{8,20}")
EXTERNAL_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")
CLOCK = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})")
DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")

#: Plausible habitual values: (label, low, high).
HABITUAL = {
    "puls": ("Habituel puls", 20, 250),
    "blodtryk": ("Habituelt systolisk blodtryk", 50, 300),
    "respiration": ("Habituel respirationsfrekvens", 4, 60),
}


@dataclass(frozen=True)
class CitizenRecord:
    external_id: str | None
    full_name: str
    birth_date: date
    street: str
    postcode: str
    city: str
    phone: str | None
    key_notes: str
    tobs_applies: bool
    tobs_exemption_reason: str | None
    habitual_pulse: int | None
    habitual_systolic_bp: int | None
    habitual_respiration: int | None
    habitual_mobility: str | None
    habitual_appetite: str | None
    habitual_cognition: str | None


@dataclass(frozen=True)
class Referral:
    """A henvendelse: when it came, the pathway it starts, and whether it follows a discharge."""

    referred_at: datetime  # aware
    pathway: PathwayType
    after_discharge: bool


def parse_day(text: str) -> date | None:
    """dd.mm.yyyy or yyyy-mm-dd (what a date field sends); None when it is neither or no
    such day exists."""
    text = text.strip()
    match = DAY_MONTH_YEAR.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif match := ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def tidy_notes(text: str) -> str:
    """Key notes are kept "; "-separated: KOL; Demens; Ingen genoplivning."""
    parts = re.split(r"[;|\n]", text)
    return "; ".join(" ".join(p.split()) for p in parts if p.strip())


def _text(form: Mapping[str, str], key: str) -> str:
    """Spaces collapsed first, so a length check sees what would be stored (read at most
    4,000 characters: anything longer is refused by the field's own limit anyway)."""
    return " ".join(str(form.get(key, ""))[:4000].split())


def _optional(
    form: Mapping[str, str], key: str, label: str, limit: int, errors: dict[str, str]
) -> str | None:
    value = _text(form, key)
    if len(value) > limit:
        errors[key] = f"{label} må højst være {limit} tegn."
    return value or None


def _number(form: Mapping[str, str], key: str, errors: dict[str, str]) -> int | None:
    label, low, high = HABITUAL[key]
    value = _text(form, key)
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        errors[key] = f"{label} skal være et helt tal mellem {low} og {high}."
        return None
    return int(value)


def _birth_date(form: Mapping[str, str], today: date, errors: dict[str, str]) -> date | None:
    text = _text(form, "foedselsdato")[:40]
    day = parse_day(text)
    if not text:
        errors["foedselsdato"] = "Skriv fødselsdatoen, for eksempel 17.05.1940."
    elif day is None:
        errors["foedselsdato"] = f"»{text}« er ikke en dato. Skriv for eksempel 17.05.1940."
    elif day > today or day.year < 1900:
        errors["foedselsdato"] = "Fødselsdatoen skal ligge mellem 1900 og i dag."
        return None
    return day


def read_record(
    form: Mapping[str, str], today: date
) -> tuple[CitizenRecord | None, dict[str, str]]:
    """The record, or a Danish message per field (keys are the form's field names)."""
    errors: dict[str, str] = {}
    name = _text(form, "navn")
    if not name:
        errors["navn"] = "Skriv borgerens navn."
    elif len(name) > MAX_NAME:
        errors["navn"] = f"Navnet må højst være {MAX_NAME} tegn."
    birth = _birth_date(form, today, errors)
    street = _text(form, "adresse")
    if not street:
        errors["adresse"] = "Skriv vej og husnummer."
    elif len(street) > MAX_STREET:
        errors["adresse"] = f"Adressen må højst være {MAX_STREET} tegn."
    postcode = _text(form, "postnr")
    if not POSTCODE.fullmatch(postcode):
        errors["postnr"] = "Postnummeret skal være 4 cifre."
    city = _text(form, "by")
    if not city:
        errors["by"] = "Skriv byen."
    elif len(city) > MAX_CITY:
        errors["by"] = f"Byen må højst være {MAX_CITY} tegn."
    phone = _text(form, "telefon") or None
    if phone and not PHONE.fullmatch(phone):
        errors["telefon"] = "Telefonnummeret må kun have cifre, mellemrum og +."
    external_id = _text(form, "borgernr") or None
    if external_id and not EXTERNAL_ID.fullmatch(external_id):
        errors["borgernr"] = "Borgernummeret må kun have bogstaver, cifre, punktum, - og _."
    notes = tidy_notes(str(form.get("noter", ""))[:4000])
    if len(notes) > MAX_NOTES:
        errors["noter"] = f"Noterne må højst være {MAX_NOTES} tegn."
    tobs = str(form.get("tobs", "ja")).strip().lower() != "nej"
    reason = None if tobs else _optional(form, "tobs_undtagelse", "Begrundelsen", MAX_TEXT, errors)
    if not tobs and not reason:
        errors["tobs_undtagelse"] = "Skriv, hvorfor TOBS ikke bruges (fx terminal borger)."
    pulse = _number(form, "puls", errors)
    bp = _number(form, "blodtryk", errors)
    respiration = _number(form, "respiration", errors)
    mobility = _optional(form, "mobilitet", "Mobilitet", MAX_TEXT, errors)
    appetite = _optional(form, "appetit", "Appetit", MAX_TEXT, errors)
    cognition = _optional(form, "kognition", "Kognition", MAX_TEXT, errors)
    if errors or birth is None:
        return None, errors
    return CitizenRecord(
        external_id=external_id,
        full_name=name,
        birth_date=birth,
        street=street,
        postcode=postcode,
        city=city,
        phone=phone,
        key_notes=notes,
        tobs_applies=tobs,
        tobs_exemption_reason=None if tobs else reason,
        habitual_pulse=pulse,
        habitual_systolic_bp=bp,
        habitual_respiration=respiration,
        habitual_mobility=mobility,
        habitual_appetite=appetite,
        habitual_cognition=cognition,
    ), {}


def read_pathway_type(text: str) -> PathwayType | None:
    try:
        return PathwayType(text.strip())
    except ValueError:
        return None


def read_referral(
    form: Mapping[str, str], now_local: datetime
) -> tuple[Referral | None, dict[str, str]]:
    """The henvendelse: its day (today or up to 30 days back), the time it came (now when it
    is today and no time is given; 12.00 on an earlier day), the pathway and "after a
    discharge". `now_local` is aware, in the municipality's zone."""
    errors: dict[str, str] = {}
    today = now_local.date()
    text = _text(form, "henvendelse")[:40]
    day = parse_day(text) if text else None
    if not text:
        errors["henvendelse"] = "Skriv datoen for henvendelsen."
    elif day is None:
        errors["henvendelse"] = f"»{text}« er ikke en dato. Skriv for eksempel {today:%d.%m.%Y}."
    elif day > today:
        errors["henvendelse"] = "Henvendelsen kan ikke ligge i fremtiden."
    elif day < today - timedelta(days=REFERRAL_DAYS_BACK):
        errors["henvendelse"] = (
            f"Henvendelsen må højst ligge {REFERRAL_DAYS_BACK} dage tilbage. "
            "Er forløbet ældre, så ret det på borgerens side."
        )
    at = _clock(_text(form, "klokken")[:10], errors)
    kind = read_pathway_type(str(form.get("forloebstype", ""))[:40])
    if kind is None:
        errors["forloebstype"] = "Vælg forløbstype."
    if errors or day is None or kind is None:
        return None, errors
    if at is None:
        at = now_local.time().replace(second=0, microsecond=0) if day == today else time(12)
    referred_at = datetime.combine(day, at, now_local.tzinfo)
    if referred_at > now_local:
        return None, {"klokken": "Tidspunktet kan ikke ligge i fremtiden."}
    discharge = str(form.get("udskrivelse", "")).strip().lower() == "ja"
    return Referral(referred_at, kind, discharge), {}


def _clock(text: str, errors: dict[str, str]) -> time | None:
    if not text:
        return None
    match = CLOCK.fullmatch(text)
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return time(int(match.group(1)), int(match.group(2)))
    errors["klokken"] = "Skriv klokkeslættet som 09.30."
    return None
