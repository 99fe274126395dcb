"""What a report section is, and the helpers sections share."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from markupsafe import Markup

# Rows shown before a table folds the rest into a <details>: long tables bury the rows that matter most.
SHOWN_ROWS = 10
# A formatted number as the sections write it: "1,234", "12.5%", "84 s", "+0.120", "12 / 3", or a dash for none.
_NUMERIC = re.compile(r"^(–|[+\-−]?[\d,]+(\.\d+)?( ?(%|s))?( / [\d,]+)?)$")


@dataclass
class Table:
    """Rows under a caption. The first ``shown`` rows are visible; the rest fold away but stay in the page."""

    caption: str
    header: list[str]
    rows: list[list[Any]]
    shown: int = SHOWN_ROWS

    @property
    def visible(self) -> list[list[Any]]:
        return self.rows[: self.shown]

    @property
    def folded(self) -> list[list[Any]]:
        return self.rows[self.shown :]

    @property
    def numeric(self) -> list[bool]:
        """Which columns hold only numbers, so the page can right-align them and digits line up."""
        columns = list(zip(*self.rows, strict=False)) if self.rows else [() for _ in self.header]
        return [bool(col) and all(_NUMERIC.match(str(c)) for c in col) and any(str(c) != "–" for c in col)
                for col in columns]


@dataclass
class Section:
    """One report section: shown when it has data, otherwise replaced by ``missing`` (why it is empty).

    ``summary`` lines go to the executive summary at the top, in section order; each must be computed from the data.
    """

    key: str
    title: str
    based_on: str
    has_data: bool
    missing: str = ""
    summary: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Markup] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    # Recommendations (:class:`socialseo.analysis.actions.Action`) shown as numbered cards; only the action list has
    # them.
    actions: list[Any] = field(default_factory=list)
    # The evidence for the verdict card that opens the report (:class:`socialseo.report.verdict.VerdictEvidence`);
    # only the impact section has it.
    verdict: Any = None


def num(value: Any) -> str:
    """Thousands-separated integers, two decimals for fractions, a dash for missing values."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def pct(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return f"{100 * float(value):.1f}%"


def pivot(
    frame: pd.DataFrame, index: str, columns: str, values: str, caption: str,
    fmt: Callable[[Any], str] = num, total: str | None = "total",
) -> Table:
    """A long ``index × columns`` frame as a matrix with one row per ``index`` value, largest total first.

    Columns are ordered by their totals too, so the biggest categories read first; absent pairs show a dash.
    """
    matrix = frame.pivot_table(index=index, columns=columns, values=values, aggfunc="sum")
    order_cols = matrix.sum().sort_values(ascending=False).index
    matrix = matrix[order_cols]
    sums = matrix.sum(axis=1)
    matrix = matrix.loc[sums.sort_values(ascending=False, kind="stable").index]
    header = [index, *[str(c) for c in matrix.columns]] + ([total] if total else [])
    rows = [[str(key), *[fmt(None if pd.isna(v) else v) for v in row], *([fmt(sums[key])] if total else [])]
            for key, row in zip(matrix.index, matrix.to_numpy(), strict=True)]
    return Table(caption, header, rows)
