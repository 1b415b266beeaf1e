"""Marking the board as reviewed (*Gennemgået*, at shift start): who may, and the row."""

from datetime import datetime

from sqlmodel import Session

from webapp.domain.roles import Role
from webapp.models import BoardReview

#: SOSU-assistenter run the board; nurses and leaders may mark it too (DOMAIN §1, §6).
REVIEWER_ROLES = frozenset({Role.ASSISTANT, Role.NURSE, Role.LEADER})


def may_review(roles: frozenset[Role]) -> bool:
    return bool(roles & REVIEWER_ROLES)


def mark_reviewed(
    session: Session, team_id: int, kontaktteam_id: int | None, staff_id: int, at: datetime
) -> BoardReview:
    """The board of the team (or of one of its kontaktteams) was reviewed now."""
    review = BoardReview(
        team_id=team_id, kontaktteam_id=kontaktteam_id, reviewed_at=at, reviewed_by_id=staff_id
    )
    session.add(review)
    session.flush()
    return review
