"""Reading a citizen's record and a referral from a form (webapp/domain/citizen_record.py)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from webapp.domain.citizen_record import (
    MAX_CITY,
    MAX_NAME,
    MAX_NOTES,
    MAX_STREET,
    MAX_TEXT,
    REFERRAL_DAYS_BACK,
    CitizenRecord,
    Referral,
    parse_day,
    read_pathway_type,
    read_record,
    read_referral,
    tidy_notes,
)
from webapp.domain.citizens import PathwayType

TODAY = date(2026, 11, 25)
ZONE = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 11, 25, 14, 37, 45, 123456, tzinfo=ZONE)

NOT_A_BIRTH_DATE = "»{}« er ikke en dato. Skriv for eksempel 17.05.1940."
BIRTH_RANGE = "Fødselsdatoen skal ligge mellem 1900 og i dag."
POSTCODE = "Postnummeret skal være 4 cifre."
PHONE = "Telefonnummeret må kun have cifre, mellemrum og +."
EXTERNAL_ID = "Borgernummeret må kun have bogstaver, cifre, punktum, - og _."
TOBS_REASON = "Skriv, hvorfor TOBS ikke bruges (fx terminal borger)."
FUTURE_TIME = "Tidspunktet kan ikke ligge i fremtiden."
CLOCK = "Skriv klokkeslættet som 09.30."
TOO_FAR_BACK = (
    f"Henvendelsen må højst ligge {REFERRAL_DAYS_BACK} dage tilbage. "
    "Er forløbet ældre, så ret det på borgerens side."
)

HABITUAL_MESSAGES = {
    "puls": "Habituel puls skal være et helt tal mellem 20 og 250.",
    "blodtryk": "Habituelt systolisk blodtryk skal være et helt tal mellem 50 og 300.",
    "respiration": "Habituel respirationsfrekvens skal være et helt tal mellem 4 og 60.",
}
HABITUAL_FIELDS = {
    "puls": "habitual_pulse",
    "blodtryk": "habitual_systolic_bp",
    "respiration": "habitual_respiration",
}


def minimal(**changes: str) -> dict[str, str]:
    """The least a valid form holds, with changes."""
    form = {
        "navn": "Karen Jensen",
        "foedselsdato": "17.05.1940",
        "adresse": "Søndergade 12",
        "postnr": "8000",
        "by": "Aarhus C",
    }
    form.update(changes)
    return form


def record(**changes: str) -> CitizenRecord:
    found, errors = read_record(minimal(**changes), TODAY)
    assert errors == {}
    assert found is not None
    return found


def errors_of(form: dict[str, str], today: date = TODAY) -> dict[str, str]:
    found, errors = read_record(form, today)
    assert found is None
    return errors


def referral_form(**changes: str) -> dict[str, str]:
    form = {"henvendelse": "25.11.2026", "forloebstype": "enkelt"}
    form.update(changes)
    return form


def referral(now: datetime = NOW, **changes: str) -> Referral:
    found, errors = read_referral(referral_form(**changes), now)
    assert errors == {}
    assert found is not None
    return found


def referral_errors(now: datetime = NOW, **changes: str) -> dict[str, str]:
    found, errors = read_referral(referral_form(**changes), now)
    assert found is None
    return errors


# --- parse_day -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("17.05.1940", date(1940, 5, 17)),
        ("1.2.1940", date(1940, 2, 1)),
        ("01.02.1940", date(1940, 2, 1)),
        ("1940-05-17", date(1940, 5, 17)),
        ("1940-5-7", date(1940, 5, 7)),
        ("  17.05.1940  ", date(1940, 5, 17)),
        ("29.02.2024", date(2024, 2, 29)),
        ("2024-02-29", date(2024, 2, 29)),
        ("31.12.2026", date(2026, 12, 31)),
    ],
)
def test_parse_day_reads_danish_and_iso_dates(text, day):
    assert parse_day(text) == day


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "i går",
        "31.02.2020",
        "29.02.2025",
        "2025-02-29",
        "00.01.2020",
        "01.00.2020",
        "32.01.2020",
        "01.13.2020",
        "2020-13-01",
        "17.05.40",
        "17/05/1940",
        "17-05-1940",
        "1940.05.17",
        "17.05.1940 12:00",
        "117.05.1940",
        "19400517",
        "0000-01-01",
    ],
)
def test_parse_day_refuses_what_is_no_day(text):
    assert parse_day(text) is None


# --- tidy_notes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tidy"),
    [
        ("", ""),
        ("   ", ""),
        ("KOL", "KOL"),
        ("KOL; Demens; Ingen genoplivning", "KOL; Demens; Ingen genoplivning"),
        ("KOL;Demens", "KOL; Demens"),
        ("KOL | Demens", "KOL; Demens"),
        ("KOL\nDemens\nIngen genoplivning", "KOL; Demens; Ingen genoplivning"),
        ("KOL\r\nDemens", "KOL; Demens"),
        ("KOL;;  ; |\n\nDemens", "KOL; Demens"),
        (";KOL;", "KOL"),
        ("  Ingen   genoplivning \t ", "Ingen genoplivning"),
        ("KOL |Demens\n;Insulin ", "KOL; Demens; Insulin"),
    ],
)
def test_tidy_notes(text, tidy):
    assert tidy_notes(text) == tidy


# --- read_record: the happy path ------------------------------------------------------


def test_a_full_record_is_read():
    form = {
        "navn": "  Karen   Marie Jensen ",
        "foedselsdato": "17.05.1940",
        "adresse": " Søndergade  12,  2. tv ",
        "postnr": " 8000 ",
        "by": " Aarhus  C ",
        "telefon": " +45 12 34  56 78 ",
        "borgernr": " AB-12.3_x ",
        "noter": "KOL | Demens\nIngen genoplivning",
        "tobs": "ja",
        "tobs_undtagelse": "",
        "puls": "72",
        "blodtryk": " 130 ",
        "respiration": "16",
        "mobilitet": " Går  med rollator ",
        "appetit": "God",
        "kognition": "Let   demens",
    }
    assert read_record(form, TODAY) == (
        CitizenRecord(
            external_id="AB-12.3_x",
            full_name="Karen Marie Jensen",
            birth_date=date(1940, 5, 17),
            street="Søndergade 12, 2. tv",
            postcode="8000",
            city="Aarhus C",
            phone="+45 12 34 56 78",
            key_notes="KOL; Demens; Ingen genoplivning",
            tobs_applies=True,
            tobs_exemption_reason=None,
            habitual_pulse=72,
            habitual_systolic_bp=130,
            habitual_respiration=16,
            habitual_mobility="Går med rollator",
            habitual_appetite="God",
            habitual_cognition="Let demens",
        ),
        {},
    )


def test_a_minimal_record_has_empty_optionals():
    assert record() == CitizenRecord(
        external_id=None,
        full_name="Karen Jensen",
        birth_date=date(1940, 5, 17),
        street="Søndergade 12",
        postcode="8000",
        city="Aarhus C",
        phone=None,
        key_notes="",
        tobs_applies=True,
        tobs_exemption_reason=None,
        habitual_pulse=None,
        habitual_systolic_bp=None,
        habitual_respiration=None,
        habitual_mobility=None,
        habitual_appetite=None,
        habitual_cognition=None,
    )


def test_optional_fields_of_only_whitespace_are_none():
    found = record(
        telefon="   ",
        borgernr=" \t ",
        puls="  ",
        blodtryk="",
        respiration=" ",
        mobilitet="  ",
        appetit="\n",
        kognition=" ",
        noter=" ; | \n ",
    )
    assert found.phone is None
    assert found.external_id is None
    assert found.habitual_pulse is None
    assert found.habitual_systolic_bp is None
    assert found.habitual_respiration is None
    assert found.habitual_mobility is None
    assert found.habitual_appetite is None
    assert found.habitual_cognition is None
    assert found.key_notes == ""


# --- navn ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Skriv borgerens navn."),
        ("   \t\n ", "Skriv borgerens navn."),
        ("x" * (MAX_NAME + 1), f"Navnet må højst være {MAX_NAME} tegn."),
        ("ab " * 60, f"Navnet må højst være {MAX_NAME} tegn."),
    ],
)
def test_name_problems(value, message):
    assert errors_of(minimal(navn=value)) == {"navn": message}


def test_a_missing_name_is_refused():
    form = minimal()
    del form["navn"]
    assert errors_of(form) == {"navn": "Skriv borgerens navn."}


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("x" * MAX_NAME, "x" * MAX_NAME),
        ("  " + "x" * MAX_NAME + "   ", "x" * MAX_NAME),
        ("Jens\tPeter\n  Hansen", "Jens Peter Hansen"),
        ("Ø", "Ø"),
    ],
)
def test_names_are_tidied_and_may_be_max_length(value, name):
    assert record(navn=value).full_name == name


# --- foedselsdato ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("17.05.1940", date(1940, 5, 17)),
        ("1940-05-17", date(1940, 5, 17)),
        ("7.5.1940", date(1940, 5, 7)),
        (" 17.05.1940 ", date(1940, 5, 17)),
        ("01.01.1900", date(1900, 1, 1)),
        ("25.11.2026", TODAY),
        ("29.02.1940", date(1940, 2, 29)),
    ],
)
def test_birth_dates_that_are_read(value, day):
    assert record(foedselsdato=value).birth_date == day


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Skriv fødselsdatoen, for eksempel 17.05.1940."),
        ("   ", "Skriv fødselsdatoen, for eksempel 17.05.1940."),
        ("i går", NOT_A_BIRTH_DATE.format("i går")),
        ("31.02.1940", NOT_A_BIRTH_DATE.format("31.02.1940")),
        ("17/05/1940", NOT_A_BIRTH_DATE.format("17/05/1940")),
        ("17.05.40", NOT_A_BIRTH_DATE.format("17.05.40")),
        ("  17.05.  1940 ", NOT_A_BIRTH_DATE.format("17.05. 1940")),
        ("26.11.2026", BIRTH_RANGE),
        ("2030-01-01", BIRTH_RANGE),
        ("31.12.1899", BIRTH_RANGE),
        ("1800-06-01", BIRTH_RANGE),
    ],
)
def test_birth_date_problems(value, message):
    assert errors_of(minimal(foedselsdato=value)) == {"foedselsdato": message}


def test_a_missing_birth_date_is_refused():
    form = minimal()
    del form["foedselsdato"]
    assert errors_of(form) == {"foedselsdato": "Skriv fødselsdatoen, for eksempel 17.05.1940."}


def test_the_birth_date_is_checked_against_the_day_given():
    assert errors_of(minimal(foedselsdato="25.11.2026"), TODAY - timedelta(days=1)) == {
        "foedselsdato": BIRTH_RANGE
    }


# --- adresse, by -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("adresse", "", "Skriv vej og husnummer."),
        ("adresse", "   ", "Skriv vej og husnummer."),
        ("adresse", "x" * (MAX_STREET + 1), f"Adressen må højst være {MAX_STREET} tegn."),
        ("by", "", "Skriv byen."),
        ("by", " \t ", "Skriv byen."),
        ("by", "x" * (MAX_CITY + 1), f"Byen må højst være {MAX_CITY} tegn."),
    ],
)
def test_street_and_city_problems(key, value, message):
    assert errors_of(minimal(**{key: value})) == {key: message}


@pytest.mark.parametrize(
    ("key", "message"),
    [("adresse", "Skriv vej og husnummer."), ("by", "Skriv byen."), ("postnr", POSTCODE)],
)
def test_missing_address_fields_are_refused(key, message):
    form = minimal()
    del form[key]
    assert errors_of(form) == {key: message}


def test_street_and_city_may_be_max_length_and_are_tidied():
    found = record(adresse=" " + "x" * MAX_STREET + " ", by="y" * MAX_CITY)
    assert found.street == "x" * MAX_STREET
    assert found.city == "y" * MAX_CITY
    assert record(adresse="Søndergade\n12", by="Aarhus   C").street == "Søndergade 12"
    assert record(by="Aarhus \t C").city == "Aarhus C"


# --- postnr ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["8000", "0800", "9999", " 8000 "])
def test_postcodes_of_four_digits_pass(value):
    assert record(postnr=value).postcode == value.strip()


@pytest.mark.parametrize(
    "value", ["", "800", "80000", "80 00", "8OOO", "DK-8000", "8000 Aarhus", "-800", "8000."]
)
def test_postcodes_that_are_not_four_digits_are_refused(value):
    assert errors_of(minimal(postnr=value)) == {"postnr": POSTCODE}


@pytest.mark.parametrize("value", ["٨٠٠٠", "８０００", "८०००"])
def test_postcodes_of_non_ascii_digits_are_refused(value):
    assert errors_of(minimal(postnr=value)) == {"postnr": POSTCODE}


# --- telefon ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "phone"),
    [
        ("12345678", "12345678"),
        ("12 34 56 78", "12 34 56 78"),
        ("+45 12 34 56 78", "+45 12 34 56 78"),
        ("  +4512345678  ", "+4512345678"),
        ("12  34   56 78", "12 34 56 78"),
        ("1" * 20, "1" * 20),
        ("", None),
    ],
)
def test_phone_numbers_that_pass(value, phone):
    assert record(telefon=value).phone == phone


@pytest.mark.parametrize(
    "value",
    [
        "1234567",
        "1" * 21,
        "12-34-56-78",
        "(+45) 12345678",
        "tlf. 12345678",
        "٠١٢٣٤٥٦٧",
        "12345678x",
    ],
)
def test_phone_numbers_that_are_refused(value):
    assert errors_of(minimal(telefon=value)) == {"telefon": PHONE}


# --- borgernr --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "external_id"),
    [
        ("A", "A"),
        ("AB-12.3_x", "AB-12.3_x"),
        ("x" * 40, "x" * 40),
        (" 123 ", "123"),
        ("", None),
    ],
)
def test_external_ids_that_pass(value, external_id):
    assert record(borgernr=value).external_id == external_id


@pytest.mark.parametrize("value", ["x" * 41, "AB 12", "Ø12", "12/34", "12#", "١٢٣"])
def test_external_ids_that_are_refused(value):
    assert errors_of(minimal(borgernr=value)) == {"borgernr": EXTERNAL_ID}


# --- noter -----------------------------------------------------------------------------


def test_notes_are_tidied():
    assert record(noter="KOL |Demens\n\n ; Ingen  genoplivning ").key_notes == (
        "KOL; Demens; Ingen genoplivning"
    )


def test_notes_may_be_max_length():
    assert record(noter="x" * MAX_NOTES).key_notes == "x" * MAX_NOTES


def test_notes_are_measured_after_tidying():
    assert record(noter="x" * 900 + " " * 500 + "y" * 99).key_notes == "x" * 900 + " " + "y" * 99


@pytest.mark.parametrize("value", ["x" * (MAX_NOTES + 1), "abc; " * 250, "x" * 5000])
def test_notes_that_are_too_long(value):
    assert errors_of(minimal(noter=value)) == {"noter": f"Noterne må højst være {MAX_NOTES} tegn."}


# --- tobs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "applies"),
    [({}, True), ({"tobs": "ja"}, True), ({"tobs": ""}, True), ({"tobs": "JA"}, True)],
)
def test_tobs_applies_unless_nej(changes, applies):
    assert record(**changes).tobs_applies is applies


def test_tobs_nej_with_a_reason():
    found = record(tobs="nej", tobs_undtagelse="  Terminal   borger ")
    assert found.tobs_applies is False
    assert found.tobs_exemption_reason == "Terminal borger"


def test_tobs_reason_may_be_max_length():
    assert record(tobs="nej", tobs_undtagelse="x" * MAX_TEXT).tobs_exemption_reason == (
        "x" * MAX_TEXT
    )


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_tobs_nej_needs_a_reason(reason):
    form = minimal(tobs="nej")
    if reason is not None:
        form["tobs_undtagelse"] = reason
    assert errors_of(form) == {"tobs_undtagelse": TOBS_REASON}


def test_tobs_reason_that_is_too_long():
    assert errors_of(minimal(tobs="nej", tobs_undtagelse="x" * (MAX_TEXT + 1))) == {
        "tobs_undtagelse": f"Begrundelsen må højst være {MAX_TEXT} tegn."
    }


def test_the_reason_is_dropped_when_tobs_applies():
    found = record(tobs="ja", tobs_undtagelse="Terminal borger")
    assert found.tobs_applies is True
    assert found.tobs_exemption_reason is None


# --- habitual numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "number"),
    [
        ("puls", "20", 20),
        ("puls", "250", 250),
        ("puls", " 72 ", 72),
        ("puls", "072", 72),
        ("blodtryk", "50", 50),
        ("blodtryk", "300", 300),
        ("respiration", "4", 4),
        ("respiration", "60", 60),
        ("respiration", "", None),
    ],
)
def test_habitual_numbers_that_pass(key, value, number):
    assert getattr(record(**{key: value}), HABITUAL_FIELDS[key]) == number


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("puls", "19"),
        ("puls", "251"),
        ("puls", "0"),
        ("puls", "-72"),
        ("puls", "+72"),
        ("puls", "72.5"),
        ("puls", "72,0"),
        ("puls", "7 2"),
        ("puls", "tres"),
        ("puls", "٧٢"),
        ("puls", "７２"),
        ("puls", "²"),
        ("blodtryk", "49"),
        ("blodtryk", "301"),
        ("blodtryk", "120/80"),
        ("respiration", "3"),
        ("respiration", "61"),
        ("respiration", "16 /min"),
    ],
)
def test_habitual_numbers_that_are_refused(key, value):
    assert errors_of(minimal(**{key: value})) == {key: HABITUAL_MESSAGES[key]}


# --- mobility, appetite, cognition -----------------------------------------------------


@pytest.mark.parametrize(
    ("key", "label", "field"),
    [
        ("mobilitet", "Mobilitet", "habitual_mobility"),
        ("appetit", "Appetit", "habitual_appetite"),
        ("kognition", "Kognition", "habitual_cognition"),
    ],
)
def test_habitual_texts_are_limited(key, label, field):
    assert getattr(record(**{key: "x" * MAX_TEXT}), field) == "x" * MAX_TEXT
    assert getattr(record(**{key: "  a \n  b  "}), field) == "a b"
    assert errors_of(minimal(**{key: "x" * (MAX_TEXT + 1)})) == {
        key: f"{label} må højst være {MAX_TEXT} tegn."
    }


# --- several errors at once ------------------------------------------------------------


def test_every_field_s_problem_is_reported_at_once():
    form = {
        "navn": "",
        "foedselsdato": "31.02.1940",
        "adresse": "",
        "postnr": "800",
        "by": "",
        "telefon": "abc",
        "borgernr": "a b",
        "noter": "x" * (MAX_NOTES + 1),
        "tobs": "nej",
        "puls": "1",
        "blodtryk": "1",
        "respiration": "1",
        "mobilitet": "x" * (MAX_TEXT + 1),
        "appetit": "x" * (MAX_TEXT + 1),
        "kognition": "x" * (MAX_TEXT + 1),
    }
    assert errors_of(form) == {
        "navn": "Skriv borgerens navn.",
        "foedselsdato": NOT_A_BIRTH_DATE.format("31.02.1940"),
        "adresse": "Skriv vej og husnummer.",
        "postnr": POSTCODE,
        "by": "Skriv byen.",
        "telefon": PHONE,
        "borgernr": EXTERNAL_ID,
        "noter": f"Noterne må højst være {MAX_NOTES} tegn.",
        "tobs_undtagelse": TOBS_REASON,
        "puls": HABITUAL_MESSAGES["puls"],
        "blodtryk": HABITUAL_MESSAGES["blodtryk"],
        "respiration": HABITUAL_MESSAGES["respiration"],
        "mobilitet": f"Mobilitet må højst være {MAX_TEXT} tegn.",
        "appetit": f"Appetit må højst være {MAX_TEXT} tegn.",
        "kognition": f"Kognition må højst være {MAX_TEXT} tegn.",
    }


def test_an_empty_form_names_each_required_field():
    assert errors_of({}) == {
        "navn": "Skriv borgerens navn.",
        "foedselsdato": "Skriv fødselsdatoen, for eksempel 17.05.1940.",
        "adresse": "Skriv vej og husnummer.",
        "postnr": POSTCODE,
        "by": "Skriv byen.",
    }


def test_a_birth_date_out_of_range_alongside_another_problem():
    assert errors_of(minimal(foedselsdato="01.01.1899", postnr="x")) == {
        "foedselsdato": BIRTH_RANGE,
        "postnr": POSTCODE,
    }


# --- read_pathway_type -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("enkelt", PathwayType.SIMPLE),
        ("sammensat", PathwayType.COMPOSITE),
        ("varigt_moderat", PathwayType.PERMANENT_MODERATE),
        ("varigt_betydelig", PathwayType.PERMANENT_CONSIDERABLE),
        ("  enkelt \n", PathwayType.SIMPLE),
        ("", None),
        ("Enkelt", None),
        ("varigt", None),
        ("SIMPLE", None),
    ],
)
def test_read_pathway_type(text, kind):
    assert read_pathway_type(text) is kind


# --- read_referral ---------------------------------------------------------------------


def test_a_referral_today_without_time_is_now_to_the_minute():
    found = referral()
    assert found == Referral(
        datetime(2026, 11, 25, 14, 37, tzinfo=ZONE), PathwayType.SIMPLE, after_discharge=False
    )
    assert found.referred_at.tzinfo is ZONE
    assert found.referred_at.utcoffset() == timedelta(hours=1)


def test_a_referral_on_an_earlier_day_without_time_is_at_noon():
    assert referral(henvendelse="20.11.2026").referred_at == datetime(
        2026, 11, 20, 12, 0, tzinfo=ZONE
    )


@pytest.mark.parametrize(
    ("day", "clock", "at"),
    [
        ("25.11.2026", "09.30", datetime(2026, 11, 25, 9, 30, tzinfo=ZONE)),
        ("25.11.2026", "9:30", datetime(2026, 11, 25, 9, 30, tzinfo=ZONE)),
        ("25.11.2026", " 9.05 ", datetime(2026, 11, 25, 9, 5, tzinfo=ZONE)),
        ("25.11.2026", "00.00", datetime(2026, 11, 25, 0, 0, tzinfo=ZONE)),
        ("25.11.2026", "14.37", datetime(2026, 11, 25, 14, 37, tzinfo=ZONE)),
        ("2026-11-25", "14:00", datetime(2026, 11, 25, 14, 0, tzinfo=ZONE)),
        ("24.11.2026", "23.59", datetime(2026, 11, 24, 23, 59, tzinfo=ZONE)),
        ("20.11.2026", "08.15", datetime(2026, 11, 20, 8, 15, tzinfo=ZONE)),
    ],
)
def test_a_referral_with_a_time(day, clock, at):
    assert referral(henvendelse=day, klokken=clock).referred_at == at


@pytest.mark.parametrize("clock", ["14.38", "23.59", "15:00"])
def test_a_time_later_today_is_refused(clock):
    assert referral_errors(klokken=clock) == {"klokken": FUTURE_TIME}


@pytest.mark.parametrize(
    "clock", ["24.00", "12.60", "25:00", "9", "930", "9.5", "09.30.00", "kl. 9", "halv ti", "9-30"]
)
def test_times_that_are_not_times(clock):
    assert referral_errors(klokken=clock) == {"klokken": CLOCK}


def test_a_bad_time_on_an_earlier_day_is_refused_too():
    assert referral_errors(henvendelse="20.11.2026", klokken="24.00") == {"klokken": CLOCK}


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("", "Skriv datoen for henvendelsen."),
        ("   ", "Skriv datoen for henvendelsen."),
        ("i går", "»i går« er ikke en dato. Skriv for eksempel 25.11.2026."),
        ("31.11.2026", "»31.11.2026« er ikke en dato. Skriv for eksempel 25.11.2026."),
        ("26.11.2026", "Henvendelsen kan ikke ligge i fremtiden."),
        ("2027-01-01", "Henvendelsen kan ikke ligge i fremtiden."),
        ("25.10.2026", TOO_FAR_BACK),
        ("01.01.2020", TOO_FAR_BACK),
    ],
)
def test_referral_day_problems(day, message):
    assert referral_errors(henvendelse=day) == {"henvendelse": message}


def test_a_missing_referral_day_is_refused():
    form = referral_form()
    del form["henvendelse"]
    assert read_referral(form, NOW) == (None, {"henvendelse": "Skriv datoen for henvendelsen."})


def test_a_referral_may_be_exactly_thirty_days_back():
    day = NOW.date() - timedelta(days=REFERRAL_DAYS_BACK)
    assert day == date(2026, 10, 26)
    assert referral(henvendelse=f"{day:%d.%m.%Y}").referred_at == datetime(
        2026, 10, 26, 12, 0, tzinfo=ZONE
    )


def test_a_referral_thirty_one_days_back_is_refused():
    day = NOW.date() - timedelta(days=REFERRAL_DAYS_BACK + 1)
    assert referral_errors(henvendelse=f"{day:%d.%m.%Y}") == {"henvendelse": TOO_FAR_BACK}


@pytest.mark.parametrize("kind", [None, "", "  ", "ukendt", "Enkelt"])
def test_the_pathway_type_is_needed(kind):
    form = referral_form()
    if kind is None:
        del form["forloebstype"]
    else:
        form["forloebstype"] = kind
    assert read_referral(form, NOW) == (None, {"forloebstype": "Vælg forløbstype."})


@pytest.mark.parametrize("kind", list(PathwayType))
def test_every_pathway_type_is_read(kind):
    assert referral(forloebstype=kind.value).pathway is kind


@pytest.mark.parametrize(
    ("changes", "after"),
    [
        ({}, False),
        ({"udskrivelse": "ja"}, True),
        ({"udskrivelse": "nej"}, False),
        ({"udskrivelse": ""}, False),
        ({"udskrivelse": "on"}, False),
    ],
)
def test_after_discharge_only_when_ja(changes, after):
    assert referral(**changes).after_discharge is after


def test_every_referral_problem_is_reported_at_once():
    assert referral_errors(henvendelse="i morgen", klokken="25.00", forloebstype="") == {
        "henvendelse": "»i morgen« er ikke en dato. Skriv for eksempel 25.11.2026.",
        "klokken": CLOCK,
        "forloebstype": "Vælg forløbstype.",
    }


def test_a_future_day_and_a_bad_time_are_both_reported():
    assert referral_errors(henvendelse="26.11.2026", klokken="12.60") == {
        "henvendelse": "Henvendelsen kan ikke ligge i fremtiden.",
        "klokken": CLOCK,
    }


def test_a_future_time_is_only_checked_when_the_rest_is_right():
    assert referral_errors(klokken="23.00", forloebstype="ukendt") == {
        "forloebstype": "Vælg forløbstype."
    }


def test_the_minute_now_is_not_the_future():
    now = datetime(2026, 11, 25, 14, 37, 0, tzinfo=ZONE)
    assert referral(now, klokken="14.37").referred_at == now
    assert referral(now).referred_at == now


def test_an_earlier_day_across_the_change_to_winter_time():
    now = datetime(2026, 10, 26, 10, 0, tzinfo=ZONE)
    assert now.utcoffset() == timedelta(hours=1)
    found = referral(now, henvendelse="24.10.2026")
    assert found.referred_at == datetime(2026, 10, 24, 12, 0, tzinfo=ZONE)
    assert found.referred_at.utcoffset() == timedelta(hours=2)
    assert found.referred_at.astimezone(ZoneInfo("UTC")) == datetime(
        2026, 10, 24, 10, 0, tzinfo=ZoneInfo("UTC")
    )


def test_an_earlier_day_across_the_change_to_summer_time():
    now = datetime(2026, 3, 30, 9, 0, tzinfo=ZONE)
    assert now.utcoffset() == timedelta(hours=2)
    found = referral(now, henvendelse="28.03.2026", klokken="08.00")
    assert found.referred_at.utcoffset() == timedelta(hours=1)
    assert found.referred_at.astimezone(ZoneInfo("UTC")) == datetime(
        2026, 3, 28, 7, 0, tzinfo=ZoneInfo("UTC")
    )


def test_today_is_the_day_in_the_zone_given():
    # 23.30 UTC on the 24th is 00.30 on the 25th in Copenhagen.
    now = datetime(2026, 11, 24, 23, 30, tzinfo=ZoneInfo("UTC")).astimezone(ZONE)
    assert referral(now, henvendelse="25.11.2026").referred_at == datetime(
        2026, 11, 25, 0, 30, tzinfo=ZONE
    )
    assert referral_errors(now, henvendelse="25.11.2026", klokken="01.00") == {
        "klokken": FUTURE_TIME
    }


def test_the_referral_time_defaults_keep_the_zone():
    found = referral(henvendelse="01.11.2026")
    assert found.referred_at.tzinfo is ZONE
    assert found.referred_at.time() == time(12)


def test_spaces_are_collapsed_before_the_length_is_checked():
    found, errors = read_record(minimal(telefon="12345678" + " " * 40 + "x"), TODAY)
    assert found is None and "telefon" in errors


def test_a_reason_is_ignored_when_tobs_is_used():
    assert record(tobs="ja", tobs_undtagelse="x" * 300).tobs_exemption_reason is None


def test_nej_in_any_case_means_no_tobs():
    assert record(tobs="NEJ", tobs_undtagelse="Terminal").tobs_applies is False
