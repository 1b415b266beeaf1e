"""The rules for writes queued on a phone without coverage (webapp/domain/offline.py)."""

from datetime import UTC, datetime, timedelta, timezone
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest

from webapp.domain.offline import (
    BAD_ITEM,
    CLOCK_SKEW,
    MAX_AGE,
    MAX_FIELDS,
    MAX_VALUE,
    TOO_OLD,
    ItemError,
    Kind,
    QueuedItem,
    delay_note,
    normalise_client_id,
    parse_item,
    stored_time,
)

CPH = ZoneInfo("Europe/Copenhagen")
UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def payload(**changes) -> dict:
    """A valid item as the phone sends it; `changes` replace keys, a value of ... drops one."""
    item = {
        "id": UUID,
        "kind": "observation",
        "citizen_id": 7,
        "at": "2026-11-22T08:55:00+00:00",
        "fields": {"text": "Spiser dårligt", "signs": ["feber", "uro"]},
    }
    for key, value in changes.items():
        if value is ...:
            item.pop(key, None)
        else:
            item[key] = value
    return item


def refused(raw) -> None:
    with pytest.raises(ItemError) as caught:
        parse_item(raw)
    assert str(caught.value) == BAD_ITEM


# --- constants ------------------------------------------------------------------------------


def test_limits():
    limits = (CLOCK_SKEW, MAX_AGE, MAX_FIELDS, MAX_VALUE)
    assert limits == (timedelta(minutes=10), timedelta(days=30), 40, 2000)


def test_item_error_is_a_value_error():
    assert issubclass(ItemError, ValueError)


def test_messages_are_danish():
    assert BAD_ITEM.startswith("Det gemte kunne ikke læses.")
    assert "journalen" in BAD_ITEM
    assert "30 dage" in TOO_OLD
    assert "journalen" in TOO_OLD


# --- Kind ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "label"),
    [
        (Kind.OBSERVATION, "observation", "Observation"),
        (Kind.TOBS, "tobs", "TOBS"),
        (Kind.ESCALATION, "kontakt", "Kontakt sygeplejerske"),
    ],
)
def test_kind_values_and_labels(kind, value, label):
    assert kind.value == value
    assert kind == value
    assert str(kind) == value
    assert Kind(value) is kind
    assert kind.label == label


def test_kind_has_exactly_three_members():
    assert [k.value for k in Kind] == ["observation", "tobs", "kontakt"]


# --- normalise_client_id ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (UUID, UUID),
        (UUID.upper(), UUID),
        ("0F8FAD5B-d9cb-469F-A165-70867728950E", UUID),  # mixed case
        (UUID.replace("-", ""), UUID),  # 32 hex, no hyphens
        (UUID.replace("-", "").upper(), UUID),
        (f"  {UUID}\n", UUID),  # surrounding whitespace is stripped
        ("00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000"),
        ("f" * 32, "ffffffff-ffff-ffff-ffff-ffffffffffff"),
    ],
)
def test_normalise_client_id_accepts(raw, expected):
    assert normalise_client_id(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        42,
        0,
        3.5,
        True,
        b"0f8fad5bd9cb469fa16570867728950e",  # bytes, not str
        ["0f8fad5b-d9cb-469f-a165-70867728950e"],
        {"id": UUID},
        "",
        "   ",
        UUID[:-1],  # one hex short
        UUID + "0",  # one hex long
        UUID.replace("-", "")[:-1],  # 31 hex
        UUID.replace("-", "") + "a",  # 33 hex
        "0f8fad5g-d9cb-469f-a165-70867728950e",  # g is not hex
        "0f8fad5b-d9cb-469f-a165-70867728950z",
        "0f8fad5b_d9cb_469f_a165_70867728950e",  # underscores
        "0f8fad5b--d9cb-469f-a165-70867728950e",  # double hyphen
        "0f8fad5-bd9cb-469f-a165-70867728950e",  # hyphen in the wrong place
        "{0f8fad5b-d9cb-469f-a165-70867728950e}",  # braces
        "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e",
        f"x{UUID}",
        f"{UUID}x",
        f"{UUID};DROP TABLE",
        f"{UUID} {UUID}",
        "0f8fad5b d9cb 469f a165 70867728950e",  # spaces instead of hyphens
        "０f8fad5b-d9cb-469f-a165-70867728950e",  # full-width digit
    ],
)
def test_normalise_client_id_refuses(raw):
    assert normalise_client_id(raw) is None


def test_normalise_client_id_is_idempotent():
    once = normalise_client_id(UUID.replace("-", "").upper())
    assert normalise_client_id(once) == once


# --- parse_item: the good path ---------------------------------------------------------------


def test_parse_item_reads_a_full_item():
    item = parse_item(payload())
    assert item == QueuedItem(
        id=UUID,
        kind=Kind.OBSERVATION,
        citizen_id=7,
        made_at=datetime(2026, 11, 22, 8, 55, tzinfo=UTC),
        fields={"text": ["Spiser dårligt"], "signs": ["feber", "uro"]},
    )
    assert item.kind is Kind.OBSERVATION


@pytest.mark.parametrize("kind", list(Kind))
def test_parse_item_reads_every_kind(kind):
    assert parse_item(payload(kind=kind.value)).kind is kind


def test_parse_item_normalises_the_id():
    assert parse_item(payload(id=UUID.replace("-", "").upper())).id == UUID


@pytest.mark.parametrize("citizen_id", [1, 2, 12345, 2**31 - 1])
def test_parse_item_accepts_citizen_ids(citizen_id):
    assert parse_item(payload(citizen_id=citizen_id)).citizen_id == citizen_id


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("2026-11-22T08:55:00+00:00", datetime(2026, 11, 22, 8, 55, tzinfo=UTC)),
        ("2026-11-22T08:55:00Z", datetime(2026, 11, 22, 8, 55, tzinfo=UTC)),
        ("2026-11-22T08:55:00.123Z", datetime(2026, 11, 22, 8, 55, 0, 123000, tzinfo=UTC)),
        ("2026-11-22T09:55:00+01:00", datetime(2026, 11, 22, 8, 55, tzinfo=UTC)),
        ("2026-11-22T04:55:00-04:00", datetime(2026, 11, 22, 8, 55, tzinfo=UTC)),
        ("  2026-11-22T08:55:00Z  ", datetime(2026, 11, 22, 8, 55, tzinfo=UTC)),
        ("2026-11-22 08:55:00+00:00", datetime(2026, 11, 22, 8, 55, tzinfo=UTC)),
    ],
)
def test_parse_item_reads_the_moment(at, expected):
    made_at = parse_item(payload(at=at)).made_at
    assert made_at == expected
    assert made_at.utcoffset() is not None


def test_parse_item_keeps_the_phones_offset():
    made_at = parse_item(payload(at="2026-11-22T09:55:00+01:00")).made_at
    assert made_at.utcoffset() == timedelta(hours=1)


def test_z_suffix_means_utc():
    assert parse_item(payload(at="2026-11-22T08:55:00Z")).made_at.utcoffset() == timedelta(0)


def test_missing_fields_become_empty():
    assert parse_item(payload(fields=...)).fields == {}


def test_empty_fields_are_kept_empty():
    assert parse_item(payload(fields={})).fields == {}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"a": "x"}, {"a": ["x"]}),  # a scalar becomes a one-element list
        ({"a": ""}, {"a": [""]}),
        ({"a": ["x"]}, {"a": ["x"]}),
        ({"a": ["x", "y", "x"]}, {"a": ["x", "y", "x"]}),  # order and repeats kept
        ({"a": []}, {"a": []}),
        ({"a": "x", "b": ["1", "2"]}, {"a": ["x"], "b": ["1", "2"]}),
        ({"a": "x" * MAX_VALUE}, {"a": ["x" * MAX_VALUE]}),  # at the limit
        ({"a": ["v"] * MAX_FIELDS}, {"a": ["v"] * MAX_FIELDS}),  # at the limit
        ({"æøå": "Ærø"}, {"æøå": ["Ærø"]}),
    ],
)
def test_parse_item_reads_fields(raw, expected):
    assert parse_item(payload(fields=raw)).fields == expected


def test_parse_item_accepts_max_fields():
    raw = {f"f{n}": str(n) for n in range(MAX_FIELDS)}
    assert len(parse_item(payload(fields=raw)).fields) == MAX_FIELDS


def test_parse_item_accepts_any_mapping():
    item = parse_item(MappingProxyType(payload(fields=MappingProxyType({"a": "x"}))))
    assert item.fields == {"a": ["x"]}


def test_parse_item_ignores_unknown_keys():
    assert parse_item(payload(extra="ignored", version=3)) == parse_item(payload())


def test_parse_item_copies_the_fields():
    raw = {"a": "x"}
    item = parse_item(payload(fields=raw))
    raw["b"] = "y"
    assert item.fields == {"a": ["x"]}


# --- parse_item: refusals --------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [None, 1, "text", b"bytes", [], [("id", UUID)], (), {UUID}, 3.0, True],
)
def test_parse_item_refuses_non_mappings(raw):
    refused(raw)


@pytest.mark.parametrize(
    "client_id",
    [..., None, "", "not-a-uuid", UUID[:-1], UUID + "0", f"{{{UUID}}}", 123, ["x"], {"a": 1}],
)
def test_parse_item_refuses_bad_ids(client_id):
    refused(payload(id=client_id))


@pytest.mark.parametrize(
    "kind",
    [..., None, "", "Observation", "OBSERVATION", "escalation", "nurse", "TOBS ", 1, ["tobs"]],
)
def test_parse_item_refuses_unknown_kinds(kind):
    refused(payload(kind=kind))


@pytest.mark.parametrize(
    "citizen_id",
    [..., None, True, False, "7", "", 7.0, 7.5, 0, -1, -(2**31), 2**31, 2**63, [7], {"id": 7}],
)
def test_parse_item_refuses_bad_citizen_ids(citizen_id):
    refused(payload(citizen_id=citizen_id))


@pytest.mark.parametrize(
    "at",
    [
        ...,
        None,
        "",
        "   ",
        1764000000,  # a number of seconds is not accepted
        1764000000.0,
        ["2026-11-22T08:55:00Z"],
        {"at": "2026-11-22T08:55:00Z"},
        "yesterday",
        "22-11-2026 08:55",
        "2026-13-01T08:55:00Z",  # no month 13
        "2026-02-30T08:55:00Z",  # no 30 February
        "2026-11-22T25:00:00Z",
        "2026-11-22T08:55:00+25:00",
        "2026-11-22T08:55:00ZZ",
        "2026-11-22T08:55:00",  # naive
        "2026-11-22 08:55",  # naive
        "2026-11-22",  # a date is naive
    ],
)
def test_parse_item_refuses_bad_moments(at):
    refused(payload(at=at))


@pytest.mark.parametrize(
    "fields",
    [
        None,
        "text",
        ["a", "b"],
        [("a", "x")],
        42,
        {f"f{n}": "x" for n in range(MAX_FIELDS + 1)},  # too many fields
        {"a": ["v"] * (MAX_FIELDS + 1)},  # a list longer than MAX_FIELDS
        {"a": "x" * (MAX_VALUE + 1)},  # a scalar value too long
        {"a": ["ok", "x" * (MAX_VALUE + 1)]},  # one list value too long
        {"a": 1},
        {"a": 1.5},
        {"a": True},
        {"a": None},
        {"a": ["x", None]},
        {"a": ["x", 2]},
        {"a": [["x"]]},  # nested list
        {"a": {"b": "c"}},
        {"a": ("x", "y")},  # a tuple is one (non-string) value
        {"a": b"x"},
        {1: "x"},  # a non-string name
        {None: "x"},
        {("a",): "x"},
    ],
)
def test_parse_item_refuses_bad_fields(fields):
    refused(payload(fields=fields))


def test_one_bad_field_refuses_the_whole_item():
    good = {f"f{n}": "x" for n in range(10)}
    refused(payload(fields={**good, "bad": 3}))


# --- QueuedItem ----------------------------------------------------------------------------


@pytest.fixture
def item() -> QueuedItem:
    return parse_item(
        payload(fields={"text": "Hej", "signs": ["feber", "uro"], "empty": [], "blank": ""})
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("text", "Hej"), ("signs", "feber"), ("empty", ""), ("blank", ""), ("missing", "")],
)
def test_value_is_the_first_or_empty(item, name, value):
    assert item.value(name) == value


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("text", ["Hej"]),
        ("signs", ["feber", "uro"]),
        ("empty", []),
        ("blank", [""]),
        ("missing", []),
    ],
)
def test_values_is_every_value(item, name, values):
    assert item.values(name) == values


@pytest.mark.parametrize(
    ("name", "present"),
    [("text", True), ("signs", True), ("empty", True), ("blank", True), ("missing", False)],
)
def test_has_tells_whether_the_field_was_sent(item, name, present):
    assert item.has(name) is present


def test_values_is_a_copy(item):
    item.values("signs").append("ny")
    assert item.values("signs") == ["feber", "uro"]


def test_queued_item_is_frozen(item):
    with pytest.raises(AttributeError):
        item.citizen_id = 8


# --- stored_time -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ago",
    [
        timedelta(0),
        timedelta(microseconds=1),
        timedelta(seconds=1),
        timedelta(minutes=5),
        timedelta(hours=3),
        timedelta(days=1),
        timedelta(days=29, hours=23, minutes=59, seconds=59),
        MAX_AGE - timedelta(microseconds=1),
        MAX_AGE,  # exactly 30 days is still kept
    ],
)
def test_stored_time_keeps_a_past_time(ago):
    assert stored_time(NOW - ago, NOW) == NOW - ago


@pytest.mark.parametrize(
    "ago",
    [
        MAX_AGE + timedelta(microseconds=1),
        MAX_AGE + timedelta(seconds=1),
        timedelta(days=31),
        timedelta(days=365),
    ],
)
def test_stored_time_refuses_an_old_time(ago):
    with pytest.raises(ItemError) as caught:
        stored_time(NOW - ago, NOW)
    assert str(caught.value) == TOO_OLD


@pytest.mark.parametrize(
    "ahead",
    [
        timedelta(microseconds=1),
        timedelta(seconds=1),
        timedelta(minutes=5),
        CLOCK_SKEW - timedelta(seconds=1),
        CLOCK_SKEW,
        CLOCK_SKEW + timedelta(seconds=1),
        timedelta(hours=2),
        timedelta(days=400),
    ],
)
def test_stored_time_uses_now_for_a_future_time(ahead):
    assert stored_time(NOW + ahead, NOW) is NOW


def test_stored_time_compares_instants_across_zones():
    phone = datetime(2026, 11, 22, 9, 59, tzinfo=timezone(timedelta(hours=1)))  # 08:59 UTC
    assert stored_time(phone, NOW) == datetime(2026, 11, 22, 8, 59, tzinfo=UTC)
    ahead = datetime(2026, 11, 22, 10, 1, tzinfo=timezone(timedelta(hours=1)))  # 09:01 UTC
    assert stored_time(ahead, NOW) is NOW


def test_stored_time_keeps_the_phones_offset():
    phone = NOW.astimezone(CPH) - timedelta(minutes=3)
    assert stored_time(phone, NOW).utcoffset() == timedelta(hours=1)


# --- delay_note ------------------------------------------------------------------------------


def note(made: str, sent: str, day: str = "") -> str:
    return (
        f"Skrevet uden forbindelse{day} kl. {made} og sendt kl. {sent}, "
        "da telefonen fik forbindelse igen."
    )


@pytest.mark.parametrize(
    "waited",
    [
        timedelta(0),
        timedelta(seconds=1),
        timedelta(minutes=4, seconds=59),
        timedelta(minutes=5),  # exactly five minutes: no note
    ],
)
def test_no_note_for_a_short_wait(waited):
    assert delay_note(NOW - waited, NOW, CPH) is None


@pytest.mark.parametrize(
    "ahead",
    [timedelta(microseconds=1), timedelta(seconds=1), timedelta(minutes=6), timedelta(days=2)],
)
def test_no_note_when_made_in_the_future(ahead):
    assert delay_note(NOW + ahead, NOW, CPH) is None


@pytest.mark.parametrize(
    ("made_at", "now", "expected"),
    [
        # 22 November (CET, +01:00): 09:00 UTC is 10.00 in Copenhagen
        (NOW - timedelta(minutes=5, microseconds=1), NOW, note("09.54", "10.00")),
        (NOW - timedelta(minutes=5, seconds=1), NOW, note("09.54", "10.00")),
        (NOW - timedelta(minutes=6), NOW, note("09.54", "10.00")),
        (NOW - timedelta(hours=2, minutes=3), NOW, note("07.57", "10.00")),
        # the same local day from midnight
        (
            datetime(2026, 11, 21, 23, 0, tzinfo=UTC),  # 00.00 on 22.11.
            datetime(2026, 11, 22, 22, 59, tzinfo=UTC),  # 23.59 on 22.11.
            note("00.00", "23.59"),
        ),
        # summer (CEST, +02:00)
        (
            datetime(2026, 7, 1, 5, 0, tzinfo=UTC),
            datetime(2026, 7, 1, 6, 30, tzinfo=UTC),
            note("07.00", "08.30"),
        ),
    ],
)
def test_note_on_the_same_local_day(made_at, now, expected):
    assert delay_note(made_at, now, CPH) == expected


@pytest.mark.parametrize(
    ("made_at", "now", "expected"),
    [
        # made late on 24 November, sent after midnight
        (
            datetime(2026, 11, 24, 22, 30, tzinfo=UTC),  # 23.30 on 24.11.
            datetime(2026, 11, 24, 23, 10, tzinfo=UTC),  # 00.10 on 25.11.
            note("23.30", "00.10", " 24.11."),
        ),
        # several days earlier
        (
            datetime(2026, 11, 24, 7, 5, tzinfo=UTC),
            datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
            note("08.05", "10.00", " 24.11."),
        ),
        # no zero padding of day or month
        (
            datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
            datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
            note("11.00", "11.00", " 1.3."),
        ),
        # over the new year
        (
            datetime(2026, 12, 31, 22, 0, tzinfo=UTC),  # 23.00 on 31.12.
            datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # 00.30 on 1.1.
            note("23.00", "00.30", " 31.12."),
        ),
    ],
)
def test_note_names_an_earlier_local_day(made_at, now, expected):
    assert delay_note(made_at, now, CPH) == expected


def test_the_day_is_the_local_day_not_the_utc_day():
    # both on 24 November in UTC, but 23 and 24 November in Copenhagen
    made_at = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # 00.30 on 24.11. local
    now = datetime(2026, 11, 24, 0, 30, tzinfo=UTC)
    assert delay_note(made_at, now, CPH) == note("00.30", "01.30")
    # the same UTC day, two local days
    made_at = datetime(2026, 11, 24, 22, 50, tzinfo=UTC)  # 23.50 on 24.11. local
    now = datetime(2026, 11, 24, 23, 5, tzinfo=UTC)  # 00.05 on 25.11. local
    assert delay_note(made_at, now, CPH) == note("23.50", "00.05", " 24.11.")


def test_note_converts_the_phones_offset_to_the_local_zone():
    made_at = datetime(2026, 11, 22, 4, 0, tzinfo=timezone(timedelta(hours=-5)))  # 09:00 UTC
    now = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    assert delay_note(made_at, now, CPH) == note("10.00", "10.30")


@pytest.mark.parametrize(
    ("made_at", "now", "expected"),
    [
        # 29 March 2026: 02:00 CET becomes 03:00 CEST
        (
            datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # 01.30 CET
            datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # 03.30 CEST
            note("01.30", "03.30"),
        ),
        (
            datetime(2026, 3, 28, 22, 45, tzinfo=UTC),  # 23.45 on 28.3. CET
            datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 03.00 CEST
            note("23.45", "03.00", " 28.3."),
        ),
        (
            datetime(2026, 3, 29, 0, 55, tzinfo=UTC),  # 01.55 CET
            datetime(2026, 3, 29, 1, 1, tzinfo=UTC),  # 03.01 CEST: only six minutes later
            note("01.55", "03.01"),
        ),
        # 25 October 2026: 03:00 CEST becomes 02:00 CET, so 02.xx happens twice
        (
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 02.30 CEST
            datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 02.30 CET
            note("02.30", "02.30"),
        ),
        (
            datetime(2026, 10, 24, 21, 30, tzinfo=UTC),  # 23.30 on 24.10. CEST
            datetime(2026, 10, 25, 2, 0, tzinfo=UTC),  # 03.00 CET
            note("23.30", "03.00", " 24.10."),
        ),
        (
            datetime(2026, 10, 25, 5, 0, tzinfo=UTC),  # 06.00 CET
            datetime(2026, 10, 25, 6, 0, tzinfo=UTC),  # 07.00 CET
            note("06.00", "07.00"),
        ),
    ],
)
def test_note_on_dst_change_days(made_at, now, expected):
    assert delay_note(made_at, now, CPH) == expected


def test_dst_spring_gap_short_wait_has_no_note():
    # 01.58 CET to 03.02 CEST looks like an hour on the clock but is four minutes
    made_at = datetime(2026, 3, 29, 0, 58, tzinfo=UTC)
    now = datetime(2026, 3, 29, 1, 2, tzinfo=UTC)
    assert delay_note(made_at, now, CPH) is None


def test_dst_autumn_repeat_hour_counts_real_time():
    # 02.50 CEST to 02.10 CET: the clock goes back, but twenty minutes passed
    made_at = datetime(2026, 10, 25, 0, 50, tzinfo=UTC)
    now = datetime(2026, 10, 25, 1, 10, tzinfo=UTC)
    assert delay_note(made_at, now, CPH) == note("02.50", "02.10")
