"""The observation→TOBS nudge: which observations ask for a TOBS, and when that is resolved."""

from datetime import UTC, datetime, timedelta

import pytest

from webapp.domain.nudge import (
    DEFAULT_ITEMS,
    DEFAULT_RULE,
    TRIGGER_ITEMS,
    NudgeRule,
    ObservationFact,
    needs_tobs_since,
    nudge_after_save,
    triggering,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
DAY = timedelta(days=1)


def obs(ago: timedelta, *items: str) -> ObservationFact:
    return ObservationFact(NOW - ago, frozenset(items))


NON_TRIGGER_ITEMS = [key for key, _ in DEFAULT_ITEMS if key not in TRIGGER_ITEMS]


def test_default_items_follow_the_domain_order_and_include_every_trigger():
    keys = [key for key, _ in DEFAULT_ITEMS]
    assert len(keys) == len(set(keys)) == 17
    assert keys[0] == "mere_traet" and keys[-1] == "noget_er_galt"
    assert TRIGGER_ITEMS.issubset(keys)
    assert DEFAULT_RULE.trigger_items == TRIGGER_ITEMS
    assert dict(DEFAULT_ITEMS)["aendret_adfaerd"] == "Ændret adfærd eller humør"


@pytest.mark.parametrize("item", sorted(TRIGGER_ITEMS))
def test_each_trigger_item_alone_asks_for_a_tobs(item):
    assert triggering(obs(H, item), [], DEFAULT_RULE)
    assert needs_tobs_since(NOW, [obs(H, item)], [], []) == NOW - H


@pytest.mark.parametrize("item", NON_TRIGGER_ITEMS)
def test_a_non_trigger_item_alone_does_not(item):
    assert not triggering(obs(H, item), [], DEFAULT_RULE)
    assert needs_tobs_since(NOW, [obs(H, item)], [], []) is None


@pytest.mark.parametrize(
    ("observations", "tobs", "dismissed", "since"),
    [
        # a second observation of anything within 7 days
        ([obs(6 * DAY, "faldet"), obs(H, "svimmel")], [], [], NOW - H),
        ([obs(7 * DAY + H, "faldet"), obs(H, "svimmel")], [], [], NOW - H),  # exactly 7 days
        ([obs(8 * DAY, "faldet"), obs(H, "svimmel")], [], [], None),
        # "Ingen ændringer i dag" never counts
        ([obs(2 * DAY), obs(H, "svimmel")], [], [], None),
        ([obs(2 * DAY), obs(DAY), obs(H)], [], [], None),
        # a TOBS in the 24 h before it means no nudge (23 h, exactly 24 h, 25 h before it)
        ([obs(H, "mere_traet")], [NOW - 24 * H], [], None),
        ([obs(H, "mere_traet")], [NOW - 25 * H], [], None),
        ([obs(H, "mere_traet")], [NOW - 26 * H], [], NOW - H),
        # a TOBS or a dismissal after it resolves it
        ([obs(5 * H, "mere_traet")], [NOW - H], [], None),
        ([obs(5 * H, "mere_traet")], [], [NOW - H], None),
        ([obs(5 * H, "mere_traet")], [], [NOW - 5 * H], None),  # at the same moment
        # a dismissal before it does not
        ([obs(5 * H, "mere_traet")], [], [NOW - 6 * H], NOW - 5 * H),
        # a new triggering observation after a dismissal is open again
        ([obs(5 * H, "mere_traet"), obs(H, "mere_forvirret")], [], [NOW - 3 * H], NOW - H),
        # outside the lookback
        ([obs(8 * DAY, "mere_traet")], [], [], None),
        # the oldest open one is returned
        ([obs(H, "mere_traet"), obs(3 * DAY, "aendret_adfaerd")], [], [], NOW - 3 * DAY),
        # ... but one that is resolved is skipped
        (
            [obs(3 * DAY, "aendret_adfaerd"), obs(H, "mere_traet")],
            [NOW - 2 * DAY],
            [],
            NOW - H,
        ),
    ],
)
def test_needs_tobs_since(observations, tobs, dismissed, since):
    assert needs_tobs_since(NOW, observations, tobs, dismissed) == since


def test_tobs_grace_edges_relative_to_the_observation():
    o = obs(H, "mere_traet")
    assert needs_tobs_since(NOW, [o], [o.at - 23 * H], []) is None
    assert needs_tobs_since(NOW, [o], [o.at - 24 * H], []) is None
    assert needs_tobs_since(NOW, [o], [o.at - 25 * H], []) == o.at


def test_earlier_observations_outside_the_lookback_still_count_toward_a_repeat():
    old, recent = obs(9 * DAY, "faldet"), obs(3 * DAY, "svimmel")
    assert needs_tobs_since(NOW, [old, recent], [], []) == recent.at


def test_future_observations_are_ignored():
    assert needs_tobs_since(NOW, [obs(-H, "mere_traet")], [], []) is None


def test_a_configured_rule():
    rule = NudgeRule(frozenset({"faldet"}), repeat_count=3, repeat_window=timedelta(days=2))
    assert triggering(obs(H, "faldet"), [], rule)
    assert not triggering(obs(H, "mere_traet"), [], rule)
    two = [obs(DAY, "svimmel"), obs(H, "svimmel")]
    assert needs_tobs_since(NOW, two, [], [], rule) is None
    three = [obs(2 * DAY, "svimmel"), *two]
    assert needs_tobs_since(NOW, three, [], [], rule) == NOW - H


def test_nudge_after_save():
    saved = obs(timedelta(0), "spiser_mindre")
    assert not nudge_after_save(saved, [], [], [])
    assert nudge_after_save(saved, [obs(2 * DAY, "svimmel")], [], [])
    assert not nudge_after_save(saved, [obs(2 * DAY, "svimmel")], [NOW - H], [])
    assert nudge_after_save(obs(timedelta(0), "mere_traet"), [], [], [])
    assert not nudge_after_save(obs(timedelta(0)), [], [], [])
    # an older open observation still asks, even when the new one is "no change"
    assert nudge_after_save(obs(timedelta(0)), [obs(DAY, "mere_traet")], [], [])
