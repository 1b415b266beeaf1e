"""Changes to the observation checklist. Items are never deleted, only retired; keys never
change, so past observations keep their meaning. Services flush; the request commits.

Not audited yet: there is no audit table for configuration changes (only the access log of
citizen reads), so who changed which item and when is not recorded.
"""

from dataclasses import dataclass

from sqlmodel import Session, select

from webapp.checklist.rules import (
    Direction,
    clean_label,
    label_error,
    moved,
    same_label,
    unique_key,
)
from webapp.models import ObservationItem


class Refused(Exception):
    """A change the rules do not allow; `message` is Danish, for the admin."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Checklist:
    active: list[ObservationItem]
    retired: list[ObservationItem]


def checklist(session: Session) -> Checklist:
    items = session.exec(
        select(ObservationItem).order_by(ObservationItem.position, ObservationItem.id)
    ).all()
    return Checklist(
        active=[i for i in items if i.active], retired=[i for i in items if not i.active]
    )


def get_item(session: Session, item_id: int) -> ObservationItem | None:
    return session.get(ObservationItem, item_id)


def add_item(session: Session, *, label: str) -> ObservationItem:
    """A new active item at the end of the list, with a key made from its label."""
    label = _checked_label(session, label, exclude=None)
    keys = session.exec(select(ObservationItem.key)).all()
    item = ObservationItem(
        key=unique_key(label, keys), label=label, position=_next_position(session)
    )
    session.add(item)
    session.flush()
    return item


def rename_item(session: Session, item: ObservationItem, *, label: str) -> None:
    item.label = _checked_label(session, label, exclude=item)
    session.add(item)
    session.flush()


def set_triggers_tobs(session: Session, item: ObservationItem, value: bool) -> None:
    item.triggers_tobs = value
    session.add(item)
    session.flush()


def move_item(session: Session, item: ObservationItem, direction: Direction) -> None:
    if not item.active:
        raise Refused("Et punkt, der ikke er i brug, kan ikke flyttes.")
    order = [i.id for i in checklist(session).active]
    _renumber(session, moved(order, item.id, direction))


def set_active(session: Session, item: ObservationItem, active: bool) -> None:
    """Retire (kept, with its key, for old observations) or take back into use, at the end."""
    if active == item.active:
        return
    if active:
        if any(same_label(item.label, other) for other in _labels_in_use(session, item)):
            raise Refused(
                "Der er allerede et punkt i brug med den tekst. Giv punktet en anden tekst først."
            )
        item.position = _next_position(session)
    item.active = active
    session.add(item)
    session.flush()
    _renumber(session, [i.id for i in checklist(session).active])


def _checked_label(session: Session, raw: str, exclude: ObservationItem | None) -> str:
    label = clean_label(raw)
    error = label_error(label, _labels_in_use(session, exclude))
    if error:
        raise Refused(error)
    return label


def _labels_in_use(session: Session, exclude: ObservationItem | None) -> list[str]:
    query = select(ObservationItem.label).where(ObservationItem.active)
    if exclude is not None:
        query = query.where(ObservationItem.id != exclude.id)
    return list(session.exec(query).all())


def _next_position(session: Session) -> int:
    positions = session.exec(select(ObservationItem.position)).all()
    return max(positions, default=0) + 1


def _renumber(session: Session, active_order: list[int]) -> None:
    """Positions 1..n: the active items in `active_order`, then the retired ones."""
    items = {i.id: i for i in session.exec(select(ObservationItem)).all()}
    retired = sorted(
        (i for i in items.values() if not i.active), key=lambda i: (i.position, i.id or 0)
    )
    for position, item in enumerate([items[i] for i in active_order] + retired, start=1):
        if item.position != position:
            item.position = position
            session.add(item)
    session.flush()
