"""The verdict card: the answer to "did social activity move search?" that opens the report and the dashboard.

A reader comes for one answer; the sections below are its evidence. The card states the reconciled verdict of the
panel model and the event study (:func:`socialseo.analysis.impact.headline`) with its interval, says whether the
methods agree, names the platforms and pages that carry the effect, and lists the three most valuable actions.
Every sentence is built from the numbers: an effect is called an effect only when its 95% interval excludes zero,
and the pages are described as what they are (raw before/after counts, not estimates).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from socialseo.analysis.impact.panel import Grid, detect_spikes
from socialseo.analysis.impact.results import CANNOT_CONCLUDE, EFFECT, NO_EFFECT_DETECTED
from socialseo.analysis.impact.verdict import Headline, MethodAnswer
from socialseo.report.colours import colour

LABELS = {EFFECT: "Effect", NO_EFFECT_DETECTED: "No effect detected", CANNOT_CONCLUDE: "Cannot conclude"}
# The event study's windows (see analysis/impact/events.py): 28 days before, 14 ramping up, 28 after.
BEFORE_DAYS, RAMP_DAYS, AFTER_DAYS = 28, 14, 28
SHOWN = 3


@dataclass(frozen=True)
class Carrier:
    """A platform or page that carries the answer, with the sentence that says how much."""

    name: str
    text: str
    colour: str = ""


@dataclass
class VerdictEvidence:
    """What the impact analysis hands to the card: the reconciled headline and what it rests on."""

    headline: Headline
    platforms: list[Carrier] = field(default_factory=list)
    platforms_note: str = ""
    pages: list[Carrier] = field(default_factory=list)
    pages_note: str = ""
    basis: str = ""


@dataclass
class VerdictCard:
    """The card as the templates show it."""

    verdict: str
    label: str
    figure: str
    unit: str
    interval: str
    sentence: str
    agreement: str
    details: list[str]
    platforms: list[Carrier]
    platforms_note: str
    pages: list[Carrier]
    pages_note: str
    actions: list[Any]
    basis: str


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1%}".replace("-", "−")


def _best(methods: list[MethodAnswer]) -> MethodAnswer | None:
    """The method whose number the headline states: the narrowest interval among those that could estimate."""
    usable = [m for m in methods if m.verdict != CANNOT_CONCLUDE and m.ci_low is not None]
    return min(usable, key=lambda m: m.width) if usable else None


def _agreement(headline: Headline) -> str:
    usable = [m for m in headline.methods if m.verdict != CANNOT_CONCLUDE]
    aside = [m for m in headline.methods if m.verdict == CANNOT_CONCLUDE]
    if not usable:
        return "Neither method could estimate an effect."
    if len(usable) == 1:
        return (f"Only the {usable[0].method} could estimate"
                + (f"; the {aside[0].method} cannot conclude." if aside else "."))
    if headline.methods_agree:
        return f"The {' and the '.join(m.method for m in usable)} agree."
    return "The methods disagree: the answer is the more precise one's (see below)."


def platform_carriers(model: pd.DataFrame, direction: float) -> tuple[list[Carrier], str]:
    """Platforms whose own panel-model estimate excludes zero in the headline's direction, largest first.

    ``model`` is the panel model's frame (first row overall, then one row per platform); ``direction`` the sign
    of the headline's effect.
    """
    rows = model.iloc[1:]
    rows = rows[rows["estimable"].astype(bool)]
    if rows.empty:
        return [], "No platform had enough spiked pages for an estimate of its own."
    sign = 1.0 if direction >= 0 else -1.0
    same = rows[(rows["verdict"] == EFFECT) & (np.sign(rows["relative_effect"].astype(float)) == sign)]
    same = same.sort_values("relative_effect", ascending=sign < 0)
    carriers = [Carrier(str(r["scope"]), f"{_pct(r['relative_effect'])} (95% interval {_pct(r['ci_low'])} to "
                        f"{_pct(r['ci_high'])}), {int(r['n_treated'] or 0)} spiked pages", colour(str(r["scope"])))
                for r in same.head(SHOWN).to_dict("records")]
    rest = len(rows) - len(carriers)
    note = (f"{rest} other platform(s): their own 95% intervals include zero. " if carriers and rest
            else "" if carriers else "No platform's own estimate excludes zero. ")
    return carriers, note + "Per-platform estimates are exploratory: few pages each."


def page_carriers(grid: Grid, outcome: str = "search_clicks") -> tuple[list[Carrier], str]:
    """Spiked pages whose daily search clicks rose most from the 28 days before their spike to weeks 3–6 after.

    These are raw counts, not estimates: they show where the effect is visible, not how much social caused.
    """
    spikes = detect_spikes(grid)
    n_days = len(grid.dates)
    start = RAMP_DAYS
    usable = np.flatnonzero((spikes >= BEFORE_DAYS) & (spikes + start + AFTER_DAYS <= n_days))
    if len(usable) == 0:
        return [], "No spiked page has 28 days of search data before its spike and six weeks after it."
    y = np.nan_to_num(grid.matrix(outcome))
    before = np.array([y[i, spikes[i] - BEFORE_DAYS:spikes[i]].mean() for i in usable])
    after = np.array([y[i, spikes[i] + start:spikes[i] + start + AFTER_DAYS].mean() for i in usable])
    gain = after - before
    order = np.argsort(-gain, kind="stable")[:SHOWN]
    carriers = [Carrier(str(grid.pages[usable[k]]),
                        f"{before[k]:,.1f} → {after[k]:,.1f} search clicks a day "
                        f"(spike on {grid.dates[spikes[usable[k]]].date()})")
                for k in order if gain[k] > 0]
    note = (f"{len(usable)} spiked page(s) have search data around their spike; the ones listed gained most "
            "from the 28 days before it to weeks 3–6 after it (raw counts, not adjusted for controls).")
    return carriers, note


def build_card(evidence: VerdictEvidence | None, actions: list[Any], missing: str = "") -> VerdictCard:
    """The card from the impact analysis' evidence (``None`` when it could not run) and the action list."""
    top = list(actions[:SHOWN])
    if evidence is None:
        return VerdictCard(CANNOT_CONCLUDE, LABELS[CANNOT_CONCLUDE], "", "", "",
                           "Cannot conclude whether social activity moves search: "
                           + (missing or "there is no daily search and social data per page."),
                           "Neither method could run.", [], [], "", [], "", top,
                           "daily search clicks per page (Search Console) and social posts and sessions per page")
    headline = evidence.headline
    best = _best(headline.methods)
    figure = interval = unit = ""
    if best is not None and headline.verdict != CANNOT_CONCLUDE:
        interval = f"95% interval {_pct(best.ci_low)} to {_pct(best.ci_high)} ({best.method})"
        if headline.verdict == EFFECT:
            # the point estimate is shown big only when its interval excludes zero
            figure = _pct(best.relative_effect)
            unit = headline.outcome.replace("_", " ") + " after a social spike"
        else:
            interval += ": it includes zero"
    return VerdictCard(
        verdict=headline.verdict, label=LABELS.get(headline.verdict, headline.verdict), figure=figure, unit=unit,
        interval=interval, sentence=headline.sentence, agreement=_agreement(headline),
        details=[headline.disagreement] if headline.disagreement else [],
        platforms=evidence.platforms, platforms_note=evidence.platforms_note,
        pages=evidence.pages, pages_note=evidence.pages_note, actions=top, basis=evidence.basis,
    )


def gather(headline: Headline, model: pd.DataFrame, grid: Grid, days: str = "") -> VerdictEvidence:
    """The evidence behind the card from the impact section's own results (nothing is estimated twice)."""
    best = _best(headline.methods)
    platforms, platforms_note = platform_carriers(model, (best.relative_effect or 0.0) if best else 1.0)
    pages, pages_note = page_carriers(grid, headline.outcome)
    counts = "; ".join(f"{m.method}: {m.n_treated} spiked pages" for m in headline.methods if m.n_treated)
    basis = "daily search clicks and social activity per page" + (f", {days}" if days else "") + (
        f" ({counts})" if counts else "")
    return VerdictEvidence(headline, platforms, platforms_note, pages, pages_note, basis)
