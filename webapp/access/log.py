"""Append-only access log: one row per read, naming every citizen it showed."""

from flask import request
from flask_login import current_user
from sqlalchemy import insert

from webapp import clock
from webapp.db import get_session
from webapp.models import AccessLog, AccessLogCitizen


class Action:
    LIST = "mine_borgere"
    SEARCH = "soegning"
    CITIZEN = "borger"
    ACCESS_LOG = "adgangslog"
    ACCESS_LOG_EXPORT = "adgangslog_csv"
    OBSERVATION = "observation"
    OBSERVATION_SAVED = "observation_gemt"
    TOBS = "tobs"
    TOBS_RESULT = "tobs_resultat"
    TRIAGE = "triagefarve"
    WITHOUT_TOBS = "uden_tobs"
    FOLLOW_UPS = "opfoelgninger"
    FOLLOW_UP = "opfoelgning"
    ESCALATION_FORM = "henvendelse_ny"
    ESCALATION = "henvendelse"
    ESCALATION_VIA = "henvendelse_via"
    ESCALATIONS = "henvendelser"
    ESCALATIONS_OVERDUE = "henvendelser_forsinkede"
    CITIZEN_VIA_ESCALATION = "borger_via_henvendelse"
    BOARD = "tavle"
    CONFERENCE = "konference"
    CONFERENCE_ENTRY = "konference_ny"
    CONFERENCE_MEETING = "konference_moede"
    CONFERENCE_PDF = "konference_pdf"
    OFFLINE_COPY = "offline_kopi"
    ADMIN_CITIZENS = "admin_borgere"
    ADMIN_CITIZEN = "admin_borger"
    REGISTRATION = "visitation"

    LABELS = {
        LIST: "Så listen Mine borgere",
        SEARCH: "Søgte i Mine borgere",
        CITIZEN: "Åbnede borgerens side",
        ACCESS_LOG: "Så borgerens adgangslog",
        ACCESS_LOG_EXPORT: "Hentede borgerens adgangslog som CSV",
        OBSERVATION: "Åbnede observationsskemaet",
        OBSERVATION_SAVED: "Så en gemt observation",
        TOBS: "Åbnede TOBS-skemaet",
        TOBS_RESULT: "Så et TOBS-resultat",
        TRIAGE: "Åbnede triagefarven",
        WITHOUT_TOBS: "Så listen Observationer uden TOBS",
        FOLLOW_UPS: "Så en liste over opfølgninger",
        FOLLOW_UP: "Åbnede en opfølgning",
        ESCALATION_FORM: "Åbnede Kontakt sygeplejerske",
        ESCALATION: "Åbnede en henvendelse",
        ESCALATION_VIA: "Åbnede en henvendelse (adgang gennem henvendelsen)",
        ESCALATIONS: "Så en liste over henvendelser",
        ESCALATIONS_OVERDUE: "Så listen Forsinkede henvendelser",
        CITIZEN_VIA_ESCALATION: "Åbnede borgerens side (adgang gennem en henvendelse)",
        BOARD: "Så tavlen",
        CONFERENCE: "Så en konferenceliste",
        CONFERENCE_ENTRY: "Åbnede Sæt på konference",
        CONFERENCE_MEETING: "Holdt forløbskonference (mødevisning)",
        CONFERENCE_PDF: "Hentede konferencelisten eller referatet som PDF",
        OFFLINE_COPY: "Hentede en kopi til brug uden forbindelse (telefonen)",
        ADMIN_CITIZENS: "Så borgere i administrationen",
        ADMIN_CITIZEN: "Åbnede borgerens stamdata i administrationen",
        REGISTRATION: "Åbnede borgeren for en ny henvendelse (visitation)",
    }


def record_read(action: str, citizen_ids: list[int]) -> None:
    """Log a read of citizen data. Two statements however many citizens were shown."""
    session = get_session()
    entry = AccessLog(
        at=clock.now(),
        staff_id=current_user.id,
        roles=current_user.roles,
        action=action,
        path=request.full_path.rstrip("?")[:400],
        client_addr=(request.remote_addr or "")[:64],
    )
    session.add(entry)
    session.flush()
    if citizen_ids:
        session.execute(
            insert(AccessLogCitizen),
            [{"access_log_id": entry.id, "citizen_id": cid} for cid in citizen_ids],
        )
