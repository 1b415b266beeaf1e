"""Demo escalations: a week of closed requests per team (some answered late), and for the
demo logins an open request waiting for `sygeplejerske`, one answered for `hjaelper` to
close, and one past its deadline on the leader's list.

Runs after the roster exists; draws from its own random stream."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from webapp.domain.escalation import (
    DEFAULT_ANSWER_WITHIN,
    Answer,
    AnswerKind,
    Priority,
    Status,
)
from webapp.domain.roles import Role
from webapp.escalations.facts import prefill
from webapp.escalations.services import EscalationError, Settings, send
from webapp.models import Citizen, Escalation, Membership, Staff, Team

NOTES = (
    "",
    "",
    "Hun virker mere forvirret end i går.",
    "Han har ikke drukket noget siden i morges.",
    "Datteren er bekymret og har ringet.",
    "Hoster meget og er varm.",
)
ANSWERS = (
    Answer(AnswerKind.CALL_ME),
    Answer(AnswerKind.DOCTOR),
    Answer(AnswerKind.TOBS_AGAIN, hours=2),
    Answer(AnswerKind.CONFERENCE),
    Answer(
        AnswerKind.NOTE, note="Giv væske og mål TOBS igen i aften. Ring, hvis det bliver værre."
    ),
)
REPLIES = ("", "", "Tak", "Tak, jeg måler igen kl. 16.")
WITHIN = DEFAULT_ANSWER_WITHIN


def write_demo_escalations(
    session: Session, now: datetime, zone: ZoneInfo, seed: int = 2026, days: int = 7
) -> int:
    rng = random.Random(f"{seed}:henvendelser")
    written = 0
    for team in session.exec(select(Team).order_by(Team.id)).all():
        citizens = session.exec(
            select(Citizen)
            .where(Citizen.team_id == team.id, Citizen.triage_colour != "groen")
            .order_by(Citizen.id)
        ).all()
        senders = _senders(session, team.id)
        if not citizens or not senders:
            continue
        for day in range(days, 0, -1):
            for _ in range(rng.randint(1, 3)):
                at = now - timedelta(days=day) + timedelta(minutes=rng.randint(-300, 300))
                citizen, sender = rng.choice(citizens), rng.choice(senders)
                if _history(session, rng, citizen, sender, at, now, zone):
                    written += 1
    written += _for_demo_logins(session, now, zone, rng)
    session.flush()
    return written


def _senders(session: Session, team_id: int) -> list[Staff]:
    rows = session.exec(
        select(Staff)
        .join(Membership, Membership.staff_id == Staff.id)  # type: ignore[arg-type]
        .where(Membership.team_id == team_id, Membership.kind == "team")
        .order_by(Staff.id)
    ).all()
    return [s for s in rows if s.role_set & {Role.HELPER, Role.ASSISTANT}]


def _new(session, citizen, sender, priority, note, at, zone) -> Escalation | None:
    """Sent as the app sends it, at a time in the past."""
    fill = prefill(session, citizen, sender, at, zone, WITHIN, priority)
    settings = Settings(within=WITHIN, zone=zone)
    try:
        return send(session, citizen, sender, priority, note, fill, at, settings)
    except EscalationError:  # nobody to send to
        return None


def _answer(e: Escalation, answer: Answer, at: datetime, by: int, zone: ZoneInfo) -> None:
    if answer.kind is AnswerKind.COMING:
        answer = Answer(AnswerKind.COMING, coming_at=(at + timedelta(minutes=40)).astimezone(zone))
    e.status = Status.ANSWERED.value
    e.seen_at = at - timedelta(minutes=2)
    e.answered_at = at
    e.answered_by_id = by
    e.answer_kind = answer.kind.value
    e.answer_text = answer.text()
    e.answer_note = ""


def _history(session, rng, citizen, sender, at, now, zone) -> bool:
    priority = rng.choice((Priority.NOW, Priority.TODAY, Priority.TODAY, Priority.CONFERENCE))
    e = _new(session, citizen, sender, priority, rng.choice(NOTES), at, zone)
    if e is None:
        return False
    late = rng.random() < 0.12
    share = 1.3 if late else rng.uniform(0.1, 0.8)
    answered = at + WITHIN[priority] * share
    if answered > now:
        answered = now - timedelta(minutes=5)
    if late:
        e.overdue_since = e.deadline_at
    _answer(e, rng.choice((Answer(AnswerKind.COMING), *ANSWERS)), answered, e.recipient_id, zone)
    e.status = Status.CLOSED.value
    e.closed_at = answered + timedelta(minutes=rng.randint(5, 90))
    e.reply = rng.choice(REPLIES)
    session.add(e)
    return True


def _for_demo_logins(session: Session, now: datetime, zone: ZoneInfo, rng) -> int:
    helper = session.exec(select(Staff).where(Staff.username == Role.HELPER.value)).first()
    if helper is None:
        return 0
    citizens = session.exec(
        select(Citizen).where(Citizen.kontaktperson_id == helper.id).order_by(Citizen.id)
    ).all()
    assistants = [
        s
        for s in _senders(session, citizens[0].team_id)
        if s.id != helper.id and Role.ASSISTANT in s.role_set
    ]
    if len(citizens) < 3 or not assistants:
        return 0
    written = 0
    # Waiting for whoever is on duty now (the demo nurse on weekday days).
    waiting = _new(
        session,
        citizens[1],
        assistants[0],
        Priority.TODAY,
        NOTES[2],
        now - timedelta(minutes=25),
        zone,
    )
    written += waiting is not None
    # The helper's own request, answered: hers to read and close.
    mine = _new(
        session, citizens[0], helper, Priority.NOW, NOTES[3], now - timedelta(minutes=50), zone
    )
    if mine is not None:
        _answer(
            mine, Answer(AnswerKind.COMING), now - timedelta(minutes=35), mine.recipient_id, zone
        )
        session.add(mine)
        written += 1
    # Past its deadline and moved on: on the leader's list.
    late = _new(
        session,
        citizens[2],
        assistants[0],
        Priority.NOW,
        NOTES[4],
        now - timedelta(minutes=70),
        zone,
    )
    if late is not None:
        late.overdue_since = late.deadline_at
        session.add(late)
        written += 1
    return written
