"""When a citizen needs a TOBS after everyday observations (DOMAIN §4, §5 "observation→TOBS").

All times are timezone-aware datetimes passed in by the caller; nothing here reads a clock.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

#: The default checklist (DOMAIN §4) as (key, Danish label), in screen order.
DEFAULT_ITEMS: tuple[tuple[str, str], ...] = (
    ("mere_traet", "Mere træt eller sløv"),
    ("spiser_mindre", "Spiser mindre"),
    ("drikker_mindre", "Drikker mindre"),
    ("vaegt_aendret", "Vægten ændret"),
    ("aendret_vandladning", "Ændret vandladning"),
    ("aendret_afforing", "Ændret afføring"),
    ("aendret_vejrtraekning", "Ændret vejrtrækning eller hoste"),
    ("nye_smerter", "Nye eller flere smerter"),
    ("faldet", "Faldet eller næsten faldet"),
    ("svimmel", "Svimmel"),
    ("mere_forvirret", "Mere forvirret eller glemsom"),
    ("aendret_adfaerd", "Ændret adfærd eller humør"),
    ("sover_anderledes", "Sover anderledes"),
    ("brug_for_mere_hjaelp", "Har brug for mere hjælp"),
    ("huden_aendret", "Huden ændret (farve, sår, rødme)"),
    ("ikke_taget_medicin", "Har ikke taget medicin"),
    ("noget_er_galt", "Borger eller pårørende siger, at noget er galt"),
)

NO_CHANGE_LABEL = "Ingen ændringer i dag"
MEASURE_NOW_LABEL = "Mål TOBS nu"

#: One observation of any of these asks for a TOBS at once.
TRIGGER_ITEMS: frozenset[str] = frozenset(
    {"aendret_adfaerd", "mere_traet", "aendret_vejrtraekning", "mere_forvirret"}
)


@dataclass(frozen=True)
class NudgeRule:
    """The configurable rule. Window edges are inclusive (exactly 7 days still counts)."""

    trigger_items: frozenset[str] = TRIGGER_ITEMS
    repeat_count: int = 2
    repeat_window: timedelta = timedelta(days=7)
    tobs_grace: timedelta = timedelta(hours=24)
    lookback: timedelta = timedelta(days=7)


DEFAULT_RULE = NudgeRule()


@dataclass(frozen=True)
class ObservationFact:
    """One saved observation. Empty ``items`` is "Ingen ændringer i dag", which never counts."""

    at: datetime
    items: frozenset[str]


def triggering(obs: ObservationFact, earlier: Sequence[ObservationFact], rule: NudgeRule) -> bool:
    """Whether this observation asks for a TOBS.

    It does when it has a trigger item, or when it is at least the ``repeat_count``-th
    observation with items within ``repeat_window`` up to and including itself. ``earlier`` may
    hold any observations; only those with items, not after ``obs`` and within the window count.
    """
    if not obs.items:
        return False
    if obs.items & rule.trigger_items:
        return True
    others = [
        o
        for o in earlier
        if o is not obs and o.items and timedelta(0) <= obs.at - o.at <= rule.repeat_window
    ]
    return 1 + len(others) >= rule.repeat_count


def _is_open(
    obs: ObservationFact,
    now: datetime,
    tobs_times: Sequence[datetime],
    dismissed_times: Sequence[datetime],
    rule: NudgeRule,
) -> bool:
    covered = any(obs.at - rule.tobs_grace <= t <= now for t in tobs_times)
    dismissed = any(obs.at <= d <= now for d in dismissed_times)
    return not covered and not dismissed


def needs_tobs_since(
    now: datetime,
    observations: Sequence[ObservationFact],
    tobs_times: Sequence[datetime],
    dismissed_times: Sequence[datetime],
    rule: NudgeRule = DEFAULT_RULE,
) -> datetime | None:
    """The time of the oldest open triggering observation, or None when no TOBS is needed.

    Looked at: observations from ``now - lookback`` to ``now`` (both inclusive) that are
    ``triggering`` (earlier observations outside the lookback still count toward a repeat).
    Such an observation O is open unless
      - a TOBS was taken from ``O.at - tobs_grace`` to ``now``, both inclusive: a TOBS in the
        24 h before O means no nudge, a TOBS after O resolves it; or
      - a nurse dismissed it at or after ``O.at``.
    A later triggering observation after a TOBS or a dismissal is open again on its own.
    """
    candidates = sorted(
        (o for o in observations if timedelta(0) <= now - o.at <= rule.lookback),
        key=lambda o: o.at,
    )
    for obs in candidates:
        if triggering(obs, observations, rule) and _is_open(
            obs, now, tobs_times, dismissed_times, rule
        ):
            return obs.at
    return None


def nudge_after_save(
    saved: ObservationFact,
    earlier: Sequence[ObservationFact],
    tobs_times: Sequence[datetime],
    dismissed_times: Sequence[datetime],
    rule: NudgeRule = DEFAULT_RULE,
) -> bool:
    """Whether the confirmation after saving ``saved`` offers "Mål TOBS nu".

    ``now`` is the time of the saved observation; the answer is whether any observation,
    the new one included, is still waiting for a TOBS.
    """
    observations = [*earlier, saved]
    return needs_tobs_since(saved.at, observations, tobs_times, dismissed_times, rule) is not None
