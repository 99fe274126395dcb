"""One answer to "did social move search?", reconciled across the panel model and the event study.

The two methods answer the same question from different sides: the panel model averages every spiked page over
every day of the window against all pages without a spike; the event study compares each spiked page with its
own matched controls in the weeks around its own spike. They can disagree, and a user must not be left with two
contradicting sentences. The rules:

- methods that could not estimate (or whose check failed) are set aside, and the answer says why;
- when the rest agree, that is the answer, with each method's number;
- when they disagree, the answer is the more precise method's (narrower interval), and the text says plainly
  that the other disagrees, whether their intervals still overlap, and why the methods see different things;
- effects in opposite directions cannot both be right: the answer is ``cannot_conclude``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from socialseo.analysis.impact.results import CANNOT_CONCLUDE, EFFECT, NO_EFFECT_DETECTED

_NAMES = {"panel": "panel model", "events": "event study"}


@dataclass(frozen=True)
class MethodAnswer:
    """One method's overall row, reduced to what the headline needs."""

    method: str
    verdict: str
    reason: str
    relative_effect: float | None
    ci_low: float | None
    ci_high: float | None
    n_treated: int | None

    @property
    def width(self) -> float:
        if self.ci_low is None or self.ci_high is None:
            return float("inf")
        return self.ci_high - self.ci_low

    def numbers(self) -> str:
        return (f"{self.relative_effect:+.1%} (95% interval {self.ci_low:+.1%} to {self.ci_high:+.1%}) by the "
                f"{self.method}")


@dataclass(frozen=True)
class Headline:
    """The one answer: ``verdict`` (effect, no_effect_detected, cannot_conclude), the sentence that states it,
    and, when the methods disagree, the sentence that says how and why."""

    verdict: str
    outcome: str
    sentence: str
    methods_agree: bool
    disagreement: str = ""
    methods: list[MethodAnswer] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The sentences to print or show, headline first."""
        return [self.sentence, *([self.disagreement] if self.disagreement else [])]

    def as_record(self) -> dict[str, Any]:
        return asdict(self)


def _answer(row: pd.Series) -> MethodAnswer:
    def number(key: str) -> float | None:
        value = row.get(key)
        return None if value is None or pd.isna(value) else float(value)

    treated = row.get("n_treated")
    return MethodAnswer(
        method=_NAMES.get(str(row["analysis"]), str(row["analysis"])), verdict=str(row["verdict"]),
        reason=str(row.get("verdict_reason") or row.get("reason") or ""),
        relative_effect=number("relative_effect"), ci_low=number("ci_low"), ci_high=number("ci_high"),
        n_treated=None if treated is None or pd.isna(treated) else int(treated),
    )


def _statement(answer: MethodAnswer, outcome: str) -> str:
    if answer.verdict == EFFECT and (answer.relative_effect or 0) > 0:
        return f"Yes: social spikes raised {outcome} by {answer.numbers()}."
    if answer.verdict == EFFECT:
        return f"Social spikes went with lower {outcome}: {answer.numbers()}."
    return (f"No effect of social spikes on {outcome} was detected: {answer.numbers()}; the interval includes "
            "zero.")


def _why(a: MethodAnswer, b: MethodAnswer) -> str:
    by_name = {m.method: m for m in (a, b)}
    events, panel = by_name.get("event study"), by_name.get("panel model")
    if events is None or panel is None:
        return ""
    return (f"The event study sees the pages one by one, each against matched pages over the weeks around its own "
            f"spike ({events.n_treated or 0} pages with enough days on both sides); the panel model averages all "
            f"{panel.n_treated or 0} spiked pages over every day of the window against all pages without a spike.")


def headline(rows: list[pd.Series], outcome: str = "search_clicks") -> Headline:
    """The reconciled answer from each method's overall row (the panel's ``all platforms``, the events' ``all
    spikes``)."""
    words = outcome.replace("_", " ")
    answers = [_answer(r) for r in rows]
    usable = [a for a in answers if a.verdict != CANNOT_CONCLUDE]
    set_aside = [a for a in answers if a.verdict == CANNOT_CONCLUDE]
    aside = " ".join(f"The {a.method} cannot conclude: {a.reason}." for a in set_aside)
    if not usable:
        reasons = "; ".join(f"{a.method}: {a.reason}" for a in answers) or "no method ran"
        return Headline(CANNOT_CONCLUDE, outcome, f"Cannot conclude whether social activity moves {words} — "
                        f"{reasons}.", True, "", answers)
    directions = {1 if (a.relative_effect or 0) > 0 else -1 for a in usable if a.verdict == EFFECT}
    if len(directions) > 1:
        return Headline(CANNOT_CONCLUDE, outcome, (
            f"Cannot conclude whether social activity moves {words}: the methods find effects in opposite "
            f"directions ({'; '.join(a.numbers() for a in usable)})."), False, _why(*usable[:2]), answers)
    best = min(usable, key=lambda a: a.width)
    if len({a.verdict for a in usable}) == 1:
        others = [a for a in usable if a is not best]
        sentence = _statement(best, words)
        if others:
            sentence = sentence[:-1] + "; " + "; ".join(a.numbers() for a in others) + " agrees."
        return Headline(best.verdict, outcome, sentence, True, aside, answers)
    other = next(a for a in usable if a is not best)
    overlap = (best.ci_low is not None and other.ci_low is not None and best.ci_high is not None
               and other.ci_high is not None and best.ci_low <= other.ci_high and other.ci_low <= best.ci_high)
    found = "finds an effect" if other.verdict == EFFECT else "detects none"
    disagreement = (
        f"The methods disagree: the {other.method} {found}, {other.numbers()}. "
        + ("Their intervals overlap, so both are consistent with one effect; the "
           f"{best.method}'s interval is the narrower, so it gives the answer. " if overlap else
           "Their intervals do not overlap: the pages each method weighs may respond differently, or one method's "
           "assumptions fail (check the event study's placebo and weekly profile). ")
        + _why(best, other)
    )
    verdict = best.verdict if best.verdict in (EFFECT, NO_EFFECT_DETECTED) else CANNOT_CONCLUDE
    return Headline(verdict, outcome, _statement(best, words), False, (disagreement + " " + aside).strip(), answers)
