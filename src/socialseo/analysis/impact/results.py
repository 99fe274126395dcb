"""The one shape every effect estimate is returned in, with its verdict in words a user can act on.

Two questions are kept apart, because a user reads them differently:

- ``estimable``: could the method produce a number at all (enough days, pages and controls)? When not, ``reason``
  says what is missing.
- ``verdict``: what the number says. ``effect`` when the 95% interval excludes zero; ``no_effect_detected`` when it
  includes zero (the interval says how large an effect could still hide in it); ``cannot_conclude`` when no number
  could be given or a check of the method failed (``verdict_reason`` says which).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

EFFECT = "effect"
NO_EFFECT_DETECTED = "no_effect_detected"
CANNOT_CONCLUDE = "cannot_conclude"
VERDICTS: tuple[str, ...] = (EFFECT, NO_EFFECT_DETECTED, CANNOT_CONCLUDE)

EFFECT_COLUMNS: tuple[str, ...] = (
    "analysis", "scope", "outcome", "estimable", "verdict", "verdict_reason", "effect_per_day", "relative_effect",
    "ci_low", "ci_high", "p_value", "significant", "n_treated", "n_control", "method", "assumptions", "reason",
)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def judge(estimable: bool, ci_low: Any, ci_high: Any, reason: str = "") -> tuple[str, str]:
    """The verdict of one estimate and the sentence that explains it.

    >>> judge(True, 0.05, 0.21)
    ('effect', 'the 95% interval, +5.0% to +21.0%, excludes zero')
    >>> judge(True, -0.11, 0.45)[0]
    'no_effect_detected'
    """
    lo, hi = _number(ci_low), _number(ci_high)
    if not estimable:
        return CANNOT_CONCLUDE, reason or "the method could not estimate an effect from these data"
    if lo is None or hi is None:
        return CANNOT_CONCLUDE, "the estimate has no finite interval (too little variation in the data)"
    if lo > 0 or hi < 0:
        return EFFECT, f"the 95% interval, {lo:+.1%} to {hi:+.1%}, excludes zero"
    return NO_EFFECT_DETECTED, (f"the 95% interval, {lo:+.1%} to {hi:+.1%}, includes zero: the data cannot tell "
                                "an effect from noise")


def effect_row(**values: Any) -> dict[str, Any]:
    """One result row with every column present (missing ones empty) and its verdict, so frames concatenate."""
    row: dict[str, Any] = dict.fromkeys(EFFECT_COLUMNS)
    row.update(values)
    if row["estimable"] is None:
        row["estimable"] = True
    if row["significant"] is None and row["p_value"] is not None:
        row["significant"] = bool(row["p_value"] < 0.05)
    if row["verdict"] is None:
        row["verdict"], row["verdict_reason"] = judge(bool(row["estimable"]), row["ci_low"], row["ci_high"],
                                                      str(row["reason"] or ""))
    return row


def inconclusive(analysis: str, scope: str, outcome: str, reason: str, method: str, assumptions: str) -> pd.DataFrame:
    """A one-row result that says why no number is given: too little data is an answer, not an error."""
    return pd.DataFrame([effect_row(
        analysis=analysis, scope=scope, outcome=outcome, estimable=False, significant=False, method=method,
        assumptions=assumptions, reason=reason,
    )], columns=list(EFFECT_COLUMNS))


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(EFFECT_COLUMNS))
