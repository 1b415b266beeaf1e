"""The response to a TOBS score (handlingsanvisning, DOMAIN §5) as an editable table of rows."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from webapp.domain.tobs import MAX_TOTAL, TobsResult

EMERGENCY_TEXT = "Ved livstruende tilstand: ring 112"
DEFAULT_TABLE_NOTE = "standard – skal godkendes lokalt"


class Urgency(StrEnum):
    NONE = "ingen"
    REPEAT = "gentag"
    TODAY = "i_dag"
    NOW = "haster"

    @property
    def label(self) -> str:
        return {
            "ingen": "Ingen handling",
            "gentag": "Gentag målingen",
            "i_dag": "I dag",
            "haster": "Haster",
        }[self.value]

    @property
    def rank(self) -> int:
        """Higher is more urgent."""
        return {"ingen": 0, "gentag": 1, "i_dag": 2, "haster": 3}[self.value]


@dataclass(frozen=True)
class ActionRow:
    """One row of the table.

    A score row (``any_parameter_three`` False) matches a total from ``min_score`` to
    ``max_score``, both inclusive; None is open (from 0, up to 15). A row with
    ``any_parameter_three`` True matches when a single parameter scores 3 (and the total is in its
    range, if it has one).
    """

    min_score: int | None
    max_score: int | None
    any_parameter_three: bool
    urgency: Urgency
    text: str
    escalate: bool

    def covers(self, total: int) -> bool:
        low = 0 if self.min_score is None else self.min_score
        high = MAX_TOTAL if self.max_score is None else self.max_score
        return low <= total <= high

    def matches(self, result: TobsResult) -> bool:
        if self.any_parameter_three and not result.any_three:
            return False
        return self.covers(result.total)


DEFAULT_ACTION_ROWS: tuple[ActionRow, ...] = (
    ActionRow(
        0,
        0,
        False,
        Urgency.NONE,
        "Ingen handling. Mål igen, hvis noget ændrer sig.",
        escalate=False,
    ),
    ActionRow(
        1,
        1,
        False,
        Urgency.REPEAT,
        "Mål TOBS igen 3 gange inden for de næste 24 timer. Tjek urin, væske og medicin.",
        escalate=False,
    ),
    ActionRow(
        2,
        4,
        False,
        Urgency.TODAY,
        "Kontakt den ansvarlige SOSU-assistent eller sygeplejerske i dag.",
        escalate=True,
    ),
    ActionRow(
        5,
        None,
        False,
        Urgency.NOW,
        "Kontakt sygeplejersken nu. Det haster.",
        escalate=True,
    ),
    ActionRow(
        None,
        None,
        True,
        Urgency.NOW,
        "En måling giver 3 point. Kontakt sygeplejersken nu. Det haster.",
        escalate=True,
    ),
)


def _priority(row: ActionRow) -> tuple[int, bool, bool]:
    return (row.urgency.rank, row.escalate, row.any_parameter_three)


def choose_action(result: TobsResult, rows: Sequence[ActionRow]) -> ActionRow | None:
    """The row that applies to a result, or None when no row matches.

    Every matching row is a candidate (score rows by the total, any-parameter-3 rows when a
    parameter scores 3); the most urgent wins, and on equal urgency an escalating row, then an
    any-parameter-3 row, then the first in the table. For an incomplete result the partial total
    is a lower bound: the row for the partial total is returned and the caller says "mindst".
    """
    candidates = [row for row in rows if row.matches(result)]
    if not candidates:
        return None
    best = max(_priority(row) for row in candidates)
    return next(row for row in candidates if _priority(row) == best)


def actions_as_data(rows: Sequence[ActionRow], label: str) -> dict:
    """An action table as JSON-ready data for an offline client, rows in table order.

    ``min_score``/``max_score`` None is open (from 0, up to the highest total). A client picks a
    row with the same rule as ``choose_action``: ``urgency_rank`` first, then ``escalate``, then
    ``any_parameter_three``, then the first in the table.
    """
    return {
        "label": label,
        "emergency": EMERGENCY_TEXT,
        "rows": [
            {
                "min_score": row.min_score,
                "max_score": row.max_score,
                "any_parameter_three": row.any_parameter_three,
                "urgency": row.urgency.value,
                "urgency_label": row.urgency.label,
                "urgency_rank": row.urgency.rank,
                "escalate": row.escalate,
                "text": row.text,
            }
            for row in rows
        ],
    }


def _ranges(totals: list[int]) -> list[str]:
    """[2, 3, 4, 7] -> ["2–4", "7"]."""
    runs: list[list[int]] = []
    for total in totals:
        if runs and runs[-1][-1] == total - 1:
            runs[-1].append(total)
        else:
            runs.append([total])
    return [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]


def validate_rows(rows: Sequence[ActionRow]) -> list[str]:
    """Danish messages for every problem in an edited table; empty when it is fine."""
    errors: list[str] = []
    for number, row in enumerate(rows, start=1):
        low, high = row.min_score, row.max_score
        if low is not None and high is not None and low > high:
            errors.append(f"Række {number}: Fra-score er større end til-score.")
        if any(b is not None and not 0 <= b <= MAX_TOTAL for b in (low, high)):
            errors.append(f"Række {number}: En score skal være mellem 0 og {MAX_TOTAL}.")
        if not row.text.strip():
            errors.append(f"Række {number}: Skriv hvad man skal gøre.")
    score_rows = [row for row in rows if not row.any_parameter_three]
    counts = {t: sum(row.covers(t) for row in score_rows) for t in range(MAX_TOTAL + 1)}
    gaps = _ranges([t for t, n in counts.items() if n == 0])
    overlaps = _ranges([t for t, n in counts.items() if n > 1])
    if gaps:
        errors.append(f"Ingen række dækker score {', '.join(gaps)}.")
    if overlaps:
        errors.append(f"Flere rækker dækker score {', '.join(overlaps)}.")
    if not any(row.any_parameter_three for row in rows):
        errors.append("Der mangler en række for, når en enkelt måling giver 3 point.")
    return errors


MAX_ROWS = 12
MAX_TEXT = 600


def _score(text: str, number: int, label: str, errors: list[str]) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 3:
        errors.append(f"Række {number}: {label} skal være et helt tal.")
        return None
    return int(text)


def parse_rows(fields: Sequence[dict[str, str]]) -> tuple[list[ActionRow], list[str]]:
    """An edited table from the form, one dict per row (min, max, tre, hast, eskaler, tekst).

    A row with no text and no scores is left out (the form has spare rows). Returns the rows and
    Danish messages for what cannot be read; ``validate_rows`` then checks the table as a whole.
    """
    rows: list[ActionRow] = []
    errors: list[str] = []
    for number, raw in enumerate(fields[:MAX_ROWS], start=1):
        text = " ".join((raw.get("tekst") or "").split())
        low_text, high_text = raw.get("min") or "", raw.get("max") or ""
        if not text and not low_text.strip() and not high_text.strip():
            continue
        low = _score(low_text, number, "Fra-score", errors)
        high = _score(high_text, number, "Til-score", errors)
        try:
            urgency = Urgency(raw.get("hast") or "")
        except ValueError:
            errors.append(f"Række {number}: Vælg hvor meget det haster.")
            continue
        if len(text) > MAX_TEXT:
            errors.append(f"Række {number}: Teksten må højst være {MAX_TEXT} tegn.")
        rows.append(
            ActionRow(
                low,
                high,
                raw.get("tre") == "1",
                urgency,
                text[:MAX_TEXT],
                escalate=raw.get("eskaler") == "1",
            )
        )
    if not rows and not errors:
        errors.append("Tabellen har ingen rækker.")
    return rows, errors
