"""Where a citizen belongs, by date (DOMAIN §2): a team and maybe a kontaktteam, from a day
through a day. A move ends the placement in force the day before the new one starts, so
history and scope before the move stay as they were. Pure: no Flask, no database.

Choices:
- A move may be dated up to 30 days back (registered late) and up to a year ahead.
- One planned move at a time: a second one must wait until the first is cancelled or in force.
- A move dated the same day as the placement it replaces corrects that placement instead of
  leaving a placement of no days.
- A planned move (not yet in force) can be cancelled: it is removed and the placement before
  it runs on again. A placement that has been in force is never removed.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from webapp.domain.dates import format_date, is_valid_on

MAX_DAYS_BACK = 30
MAX_DAYS_AHEAD = 365

NO_DATE = "Angiv datoen for flytningen."
TOO_EARLY = "Datoen må højst ligge 30 dage tilbage."
TOO_LATE = "Datoen må højst ligge et år frem."
ALREADY_PLANNED = "Der er allerede planlagt en flytning fra {}. Fortryd den først."
BEFORE_CURRENT = "Datoen ligger før borgerens nuværende placering, som gælder fra {}."
SAME_PLACE = "Borgeren hører allerede til dette team og kontaktteam på den dato."
NOT_PLANNED = "Kun en planlagt flytning, der ikke er trådt i kraft, kan fortrydes."


@dataclass(frozen=True)
class Placement:
    team_id: int
    kontaktteam_id: int | None
    valid_from: date
    valid_to: date | None = None
    id: int | None = None

    def holds_on(self, day: date) -> bool:
        return is_valid_on(self.valid_from, self.valid_to, day)


@dataclass(frozen=True)
class Move:
    """What a move does: `ends` gets `valid_to` = the day before; `corrects` (same first day)
    gets the new team instead; otherwise `new` is inserted."""

    team_id: int
    kontaktteam_id: int | None
    on: date
    ends: Placement | None = None
    corrects: Placement | None = None
    valid_to: date | None = None


def in_force(placements: list[Placement], day: date) -> Placement | None:
    """The placement that holds on `day` (the latest start wins if rows ever overlap)."""
    holding = [p for p in placements if p.holds_on(day)]
    return max(holding, key=lambda p: p.valid_from) if holding else None


def planned(placements: list[Placement], today: date) -> Placement | None:
    """The move that is registered but not yet in force, if any."""
    later = [p for p in placements if p.valid_from > today]
    return min(later, key=lambda p: p.valid_from) if later else None


def date_problems(on: date | None, today: date) -> list[str]:
    if on is None:
        return [NO_DATE]
    if on < today - timedelta(days=MAX_DAYS_BACK):
        return [TOO_EARLY]
    if on > today + timedelta(days=MAX_DAYS_AHEAD):
        return [TOO_LATE]
    return []


def plan_move(
    placements: list[Placement],
    team_id: int,
    kontaktteam_id: int | None,
    on: date | None,
    today: date,
) -> tuple[Move | None, list[str]]:
    """The move to `team_id`/`kontaktteam_id` from `on`, or the Danish reasons it cannot be."""
    problems = date_problems(on, today)
    if problems or on is None:
        return None, problems
    waiting = planned(placements, today)
    if waiting is not None:
        return None, [ALREADY_PLANNED.format(format_date(waiting.valid_from))]
    later = [p for p in placements if p.valid_from > on]
    if later:
        first = min(later, key=lambda p: p.valid_from)
        return None, [BEFORE_CURRENT.format(format_date(first.valid_from))]
    current = in_force(placements, on)
    if current is None:
        return Move(team_id, kontaktteam_id, on), []
    if (current.team_id, current.kontaktteam_id) == (team_id, kontaktteam_id):
        return None, [SAME_PLACE]
    if current.valid_from == on:
        return Move(team_id, kontaktteam_id, on, corrects=current, valid_to=current.valid_to), []
    return Move(team_id, kontaktteam_id, on, ends=current, valid_to=current.valid_to), []


def plan_cancel(
    placements: list[Placement], target: Placement, today: date
) -> tuple[Placement | None, list[str]]:
    """Cancelling a planned move: the placement before it (to run on to the target's end),
    or the reasons it cannot be cancelled."""
    if target.valid_from <= today:
        return None, [NOT_PLANNED]
    before = [p for p in placements if p.valid_from < target.valid_from]
    return (max(before, key=lambda p: p.valid_from) if before else None), []
