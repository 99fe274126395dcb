"""Printing a comparison of two periods: a header naming both, one row per key and metric, JSON with both periods.

A rate's change is in percentage points (a CTR from 8.6% to 8.8% is +0.2 pt), never a percent of a percent; a count
that was zero shows ``new`` as its relative change, and a comparison period without data shows no change at all.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from rich.markup import escape
from rich.table import Table

from socialseo.api import Comparison
from socialseo.cli.common import cell_format, console, err_console, records, say_empty

_LEVEL_FORMAT = {"position": "{:,.1f}", "avg_duration_s": "{:,.0f} s", "pages_per_session": "{:,.2f}"}


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _value(metric: str, kind: str, value: Any) -> str:
    if _missing(value):
        return "–"
    if kind == "rate":
        return f"{float(value):.1%}"
    for suffix, fmt in _LEVEL_FORMAT.items():
        if metric.endswith(suffix):
            return fmt.format(float(value))
    return cell_format(metric)(float(value))


def _change(metric: str, kind: str, value: Any) -> str:
    if _missing(value):
        return "–"
    if kind == "rate":
        return f"{100 * float(value):+.1f} pt"
    text = _value(metric, kind, abs(float(value)))
    return ("+" if value > 0 else "-" if value < 0 else "±") + text


def relative(now: Any, before: Any, pct: Any) -> str:
    if not _missing(pct):
        return f"{float(pct):+.1%}"
    if not _missing(before) and float(before) == 0 and not _missing(now) and float(now) > 0:
        return "new"
    return "–"


def p_text(value: Any, alpha: float) -> str:
    if _missing(value):
        return "–"
    text = "<0.001" if value < 0.001 else f"{value:.3f}"
    return f"{text} *" if value < alpha else text


def periods_line(comparison: Comparison) -> str:
    """``2026-03-08 to 2026-03-14 (7 days) against 2026-03-01 to 2026-03-07 (7 days, previous)``."""
    return (f"{comparison.period.describe()} ({comparison.period.days} days) against "
            f"{comparison.against.describe()} ({comparison.against.days} days{_named(comparison)})")


def _named(comparison: Comparison) -> str:
    return "" if comparison.spec not in ("previous", "year") else f", {comparison.label}"


def print_comparison(comparison: Comparison, *, as_json: bool, title: str, empty: str = "", limit: int = 400) -> None:
    """The comparison as a table (or JSON with both periods, raw changes and p-values); ``empty`` says why there
    are no rows. A comparison period without data is said on stderr in one line."""
    if as_json:
        body = comparison.as_json(records(comparison.frame))
        sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False, default=str) + "\n")
    if comparison.frame.empty:
        say_empty(empty or f"no rows in {comparison.period.describe()} or {comparison.against.describe()}")
        return
    if comparison.note:
        err_console.print(f"note: {escape(comparison.note)}", highlight=False, soft_wrap=True)
    if as_json:
        return
    kinds = {m.name: m.kind for m in comparison.metrics}
    table = Table(title=f"{title}: {periods_line(comparison)}", header_style="bold")
    for key in comparison.keys:
        table.add_column(key)
    for name in ("metric", "now", "before", "change", "change %", "p"):
        table.add_column(name, justify="left" if name == "metric" else "right")
    long = comparison.long()
    for row in long.head(limit).to_dict("records"):
        metric, kind = str(row["metric"]), kinds[str(row["metric"])]
        table.add_row(
            *(escape(str(row[k])) if not _missing(row[k]) else "" for k in comparison.keys),
            metric, _value(metric, kind, row["now"]), _value(metric, kind, row["before"]),
            _change(metric, kind, row["change"]), relative(row["now"], row["before"], row["change_pct"]),
            p_text(row["p_value"], comparison.alpha),
        )
    console.print(table)
    if len(long) > limit:
        console.print(f"[dim]… {len(long) - limit:,} more rows (use --json for all)[/dim]")
    console.print("[dim]p: counts by a conditional binomial (Poisson) test adjusted for period length, rates by a "
                  "two-proportion z-test; * below 0.05[/dim]", highlight=False, soft_wrap=True)
