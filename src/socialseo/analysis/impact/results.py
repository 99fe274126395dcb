"""The one shape every effect estimate is returned in, including the honest "cannot conclude"."""

from __future__ import annotations

from typing import Any

import pandas as pd

EFFECT_COLUMNS: tuple[str, ...] = (
    "analysis", "scope", "outcome", "conclusive", "effect_per_day", "relative_effect", "ci_low", "ci_high",
    "p_value", "significant", "n_treated", "n_control", "method", "assumptions", "reason",
)


def effect_row(**values: Any) -> dict[str, Any]:
    """One result row with every column present (missing ones empty), so frames concatenate cleanly."""
    row: dict[str, Any] = dict.fromkeys(EFFECT_COLUMNS)
    row.update(values)
    if row["significant"] is None and row["p_value"] is not None:
        row["significant"] = bool(row["p_value"] < 0.05)
    return row


def inconclusive(analysis: str, scope: str, outcome: str, reason: str, method: str, assumptions: str) -> pd.DataFrame:
    """A one-row result that says why no number is given: too little data is an answer, not an error."""
    return pd.DataFrame([effect_row(
        analysis=analysis, scope=scope, outcome=outcome, conclusive=False, significant=False, method=method,
        assumptions=assumptions, reason=reason,
    )], columns=list(EFFECT_COLUMNS))


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(EFFECT_COLUMNS))
