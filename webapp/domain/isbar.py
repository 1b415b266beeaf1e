"""The pre-filled ISBAR summary of an escalation (Identifikation, Situation, Baggrund,
Analyse, Rekommandation) from the facts the app already holds. Plain Python, no Flask.

The sender does not write it: it is built from the latest observations, TOBS, colour and
trend, so the two taps send something a nurse can act on.
"""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class TobsFact:
    at: datetime  # local
    total: int
    complete: bool
    #: (parameter label, measured value as shown, points) for parameters that scored > 0.
    scoring: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class ObservationFact:
    at: datetime  # local
    items: list[str]
    note: str = ""


@dataclass(frozen=True)
class IsbarFacts:
    now: datetime  # local
    citizen_name: str
    age: int
    address: str
    sender_name: str
    sender_role: str
    sender_phone: str | None
    colour_label: str
    colour_since: datetime | None = None  # local
    colour_reason: str | None = None
    pathway_label: str | None = None
    key_notes: list[str] = field(default_factory=list)
    tobs_applies: bool = True
    habitual: list[tuple[str, str]] = field(default_factory=list)
    #: Newest first, the last 7 days.
    tobs: list[TobsFact] = field(default_factory=list)
    #: Newest first, the last 7 days, without "Ingen ændringer".
    observations: list[ObservationFact] = field(default_factory=list)
    habitual_pulse: int | None = None
    last_pulse: int | None = None
    habitual_systolic: int | None = None
    last_systolic: int | None = None
    guidance: str | None = None
    answer_within: str = ""


@dataclass(frozen=True)
class Isbar:
    identification: str
    situation: str
    background: str
    analysis: str
    recommendation: str

    def parts(self) -> list[tuple[str, str, str]]:
        """(letter, heading, text) in order, for screens and print."""
        return [
            ("I", "Identifikation", self.identification),
            ("S", "Situation", self.situation),
            ("B", "Baggrund", self.background),
            ("A", "Analyse", self.analysis),
            ("R", "Rekommandation", self.recommendation),
        ]


MAX_OBSERVATIONS = 3


def build_isbar(f: IsbarFacts) -> Isbar:
    return Isbar(
        identification=_identification(f),
        situation=_situation(f),
        background=_background(f),
        analysis=_analysis(f),
        recommendation=_recommendation(f),
    )


def _when(at: datetime, now: datetime) -> str:
    days = (now.date() - at.date()).days
    if days == 0:
        return f"i dag kl. {at:%H:%M}"
    if days == 1:
        return f"i går kl. {at:%H:%M}"
    return f"{at.day}/{at.month} kl. {at:%H:%M}"


def _identification(f: IsbarFacts) -> str:
    phone = f", tlf. {f.sender_phone}" if f.sender_phone else ""
    return (
        f"{f.citizen_name}, {f.age} år, {f.address}. Fra {f.sender_name} ({f.sender_role}{phone})."
    )


def _tobs_sentence(t: TobsFact, now: datetime) -> str:
    kind = "TOBS" if t.complete else "Delvis TOBS (ikke alle målt)"
    text = f"{kind} {t.total} {_when(t.at, now)}"
    if t.scoring:
        parts = ", ".join(f"{label} {value} ({points} p)" for label, value, points in t.scoring)
        text += f": {parts}"
    return text + "."


def _observation_sentence(o: ObservationFact, now: datetime) -> str:
    text = f"{_when(o.at, now).capitalize()}: {', '.join(o.items) or 'observation'}"
    if o.note:
        text += f" – »{o.note}«"
    return text + "."


def _situation(f: IsbarFacts) -> str:
    sentences = []
    if f.tobs:
        sentences.append(_tobs_sentence(f.tobs[0], f.now))
    elif f.tobs_applies:
        sentences.append("Ingen TOBS de seneste 7 dage.")
    else:
        sentences.append("Borgeren er undtaget fra TOBS.")
    for o in f.observations[:MAX_OBSERVATIONS]:
        sentences.append(_observation_sentence(o, f.now))
    hidden = len(f.observations) - MAX_OBSERVATIONS
    if hidden > 0:
        sentences.append(f"Og {hidden} {'observation' if hidden == 1 else 'observationer'} mere.")
    if not f.observations:
        sentences.append("Ingen hverdagsobservationer de seneste 7 dage.")
    return " ".join(sentences)


def _background(f: IsbarFacts) -> str:
    colour = f"Triagefarve {f.colour_label.lower()}"
    if f.colour_since is not None:
        colour += f" siden {_when(f.colour_since, f.now)}"
    if f.colour_reason:
        colour += f" ({f.colour_reason})"
    sentences = [colour + "."]
    if f.pathway_label:
        sentences.append(f"{f.pathway_label}.")
    if f.key_notes:
        sentences.append(f"Vigtigt: {', '.join(f.key_notes)}.")
    if f.habitual:
        usual = ", ".join(f"{label} {value}" for label, value in f.habitual)
        sentences.append(f"Habitualtilstand: {usual}.")
    return " ".join(sentences)


def _trend(tobs: list[TobsFact]) -> str | None:
    complete = [t for t in tobs if t.complete]
    if len(complete) < 2:
        return None
    newest, oldest = complete[0], complete[-1]
    if newest.total > oldest.total:
        word = "stigende"
    elif newest.total < oldest.total:
        word = "faldende"
    else:
        word = "uændret"
    totals = " → ".join(str(t.total) for t in reversed(complete[:5]))
    return f"TOBS {word} de seneste 7 dage ({totals})."


def _analysis(f: IsbarFacts) -> str:
    sentences = []
    trend = _trend(f.tobs)
    if trend:
        sentences.append(trend)
    count = len(f.observations)
    if count:
        recent = sum(1 for o in f.observations if (f.now - o.at).total_seconds() <= 48 * 3600)
        sentences.append(
            f"{count} {'observation' if count == 1 else 'observationer'} på 7 dage"
            f", heraf {recent} de seneste 2 døgn."
        )
    for label, last, usual in (
        ("Puls", f.last_pulse, f.habitual_pulse),
        ("Systolisk BT", f.last_systolic, f.habitual_systolic),
    ):
        if last is not None and usual is not None and last != usual:
            sentences.append(f"{label} {last} mod vanligt {usual} ({last - usual:+d}).")
    return " ".join(sentences) or "Ingen ændring i målinger eller observationer at vise."


def _recommendation(f: IsbarFacts) -> str:
    sentences = [f"Sygeplejefaglig vurdering ønskes ({f.answer_within})."]
    if f.guidance:
        sentences.append(f"Handlingsanvisning: {f.guidance}")
    return " ".join(sentences)
