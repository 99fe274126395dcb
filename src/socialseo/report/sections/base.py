"""What a report section is, and the helpers sections share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
from markupsafe import Markup


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[Any]]


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
    # Recommendations (:class:`socialseo.report.actions.Action`) shown as numbered cards; only the action list has them.
    actions: list[Any] = field(default_factory=list)


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    row = con.execute(sql, params or []).fetchone()
    return None if row is None else row[0]


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
