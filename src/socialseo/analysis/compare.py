"""Two periods side by side: which days are compared with which, and whether a change is more than chance.

A reader's period comes from the filters' ``start``/``end`` (the data's first or last day where one is left
open); ``Filters.compare`` names the other period:

- ``previous``: the same number of days just before the period;
- ``year``: the same dates one year earlier (29 February becomes the 28th);
- ``FROM..TO``: explicit ISO days.

Significance, where a count allows it:

- counts (sessions, clicks, impressions, posts): the conditional binomial test of two Poisson counts. Given
  ``n = a + b`` events, with equal daily rates ``a`` follows Binomial(n, days_a / (days_a + days_b)), so periods of
  different lengths compare fairly; the exact (Clopper-Pearson) interval of that proportion gives the interval of
  the rate ratio. Assumes events arrive independently at a steady rate within each period: busy days and bursts
  (overdispersion) make real counts vary more, so a small p-value on a large count is weaker evidence than it looks;
- rates (bounce rate, CTR): the two-proportion z-test with a pooled proportion, on the successes and trials behind
  each rate;
- levels (average duration, pages per session, position): change only, no test (their spread is not kept).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy import stats

from socialseo.analysis.filters import Filters
from socialseo.errors import SocialSeoError

COMPARE_CHOICES = "previous, year or FROM..TO (YYYY-MM-DD..YYYY-MM-DD)"
_RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})\s*$")
# Changes with a p-value below this are marked significant in tables.
ALPHA = 0.05


class CompareError(SocialSeoError):
    """A comparison period that cannot be read or set beside the period."""


@dataclass(frozen=True)
class Period:
    """Inclusive calendar days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def describe(self) -> str:
        return f"{self.start} to {self.end}"

    def narrow(self, filters: Filters | None) -> Filters:
        """``filters`` with this period's days (the platforms kept, no comparison of its own)."""
        return replace(filters or Filters(), start=self.start, end=self.end, compare=None)

    def as_json(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "days": self.days}


def parse_compare(text: str | None) -> str | None:
    """The comparison spelled one way (``previous``, ``year`` or ``FROM..TO``), or a :class:`CompareError`.

    >>> parse_compare(" Previous "), parse_compare("2026-01-01 .. 2026-01-31")
    ('previous', '2026-01-01..2026-01-31')
    """
    if text is None or not text.strip():
        return None
    value = text.strip().lower()
    if value in ("previous", "year"):
        return value
    match = _RANGE.match(value)
    if not match:
        raise CompareError(f"--compare {text!r}: use {COMPARE_CHOICES}")
    try:
        first, last = date.fromisoformat(match[1]), date.fromisoformat(match[2])
    except ValueError as exc:
        raise CompareError(f"--compare {text!r}: {exc}") from None
    if first > last:
        raise CompareError(f"--compare {text!r}: {first} is after {last}; write the earlier day first")
    return f"{first}..{last}"


def data_span(con: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """The first and last day any dated data covers: sessions, Search Console days, post days."""
    row = con.execute(
        """
        SELECT min(d), max(d) FROM (
            SELECT CAST(start_ts AS DATE) AS d FROM sessions
            UNION ALL SELECT date FROM search_performance
            UNION ALL SELECT CAST(published_at AS DATE) FROM social_posts)
        """
    ).fetchone()
    return (row[0], row[1]) if row and row[0] is not None else None


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# Without --from/--to the period is the data's last four weeks, so "previous" has four weeks of data to set beside
# them; data shorter than twice that is split in two halves instead.
DEFAULT_DAYS = 28


def default_period(span: tuple[date, date]) -> tuple[date, date]:
    """The period read when none is given: the last 28 days of ``span``, or its later half when it is shorter
    than 56 days.

    >>> default_period((date(2026, 3, 1), date(2026, 3, 14)))
    (datetime.date(2026, 3, 8), datetime.date(2026, 3, 14))
    """
    first, last = span
    days = (last - first).days + 1
    keep = DEFAULT_DAYS if days >= 2 * DEFAULT_DAYS else max(days // 2, 1)
    return last - timedelta(days=keep - 1), last


def resolve(con: duckdb.DuckDBPyConnection, filters: Filters,
            span: tuple[date, date] | None = None) -> tuple[Period, Period]:
    """The period and the period it is compared with, or a :class:`CompareError` saying what is missing.

    The period is ``filters.start``/``end``; a side left open is the data's first or last day (``span``, by
    default every dated source), and with both open it is :func:`default_period`."""
    spec = parse_compare(filters.compare)
    if spec is None:
        raise CompareError(f"no comparison asked for: pass --compare {COMPARE_CHOICES}")
    if filters.start is None or filters.end is None:
        span = span or data_span(con)
    if span is None and (filters.start is None or filters.end is None):
        raise CompareError("no dated data to compare: import access logs (socialseo ingest logs PATH), Search "
                           "Console data (socialseo ingest gsc PATH) or posts (socialseo ingest posts PATH), or give "
                           "--from and --to")
    if filters.start is None and filters.end is None:
        assert span is not None
        start, end = default_period(span)
    else:
        first = filters.start or (span[0] if span else filters.end)
        last = filters.end or (span[1] if span else filters.start)
        assert first is not None and last is not None
        start, end = first, last
    if start > end:
        raise CompareError(f"the period starts ({start}) after it ends ({end}): check --from and --to")
    period = Period(start, end)
    if spec == "previous":
        against = Period(start - timedelta(days=period.days), start - timedelta(days=1))
    elif spec == "year":
        against = Period(_year_before(start), _year_before(end))
    else:
        since, until = spec.split("..")
        against = Period(date.fromisoformat(since), date.fromisoformat(until))
    if against.start <= period.end and period.start <= against.end:
        # the tests assume two separate samples: shared days would be counted on both sides
        raise CompareError(f"the comparison period ({against.start} to {against.end}) overlaps the period "
                           f"({period.start} to {period.end}): choose days outside it")
    return period, against


def describe_compare(spec: str | None) -> str:
    """The comparison in words, for headers: ``previous period``, ``a year earlier``, ``2026-01-01 to …``."""
    if spec == "previous":
        return "the previous period"
    if spec == "year":
        return "a year earlier"
    return (spec or "").replace("..", " to ")


def count_test(now: float, before: float, days_now: int, days_before: int) -> tuple[float, float, float]:
    """The conditional binomial test of two Poisson counts over periods of ``days_now`` and ``days_before`` days:
    the two-sided p-value and the exact 95% interval of the rate ratio (events per day now / before).

    >>> p, low, high = count_test(60, 30, 7, 7)
    >>> round(p, 4), round(low, 2), round(high, 2)
    (0.0021, 1.27, 3.21)
    """
    a, b = round(now), round(before)
    if a < 0 or b < 0 or a + b == 0:
        return np.nan, np.nan, np.nan
    share = days_now / (days_now + days_before)
    result = stats.binomtest(a, a + b, share)
    ci = result.proportion_ci(confidence_level=0.95, method="exact")
    odds = days_before / days_now

    def ratio(p: float) -> float:
        return np.inf if p >= 1 else p / (1 - p) * odds

    return float(result.pvalue), ratio(ci.low), ratio(ci.high)


def proportion_test(hits_now: float, trials_now: float, hits_before: float, trials_before: float) -> float:
    """The two-sided p-value of the pooled two-proportion z-test (NaN where either period has no trials or a
    "rate" is not a proportion).

    >>> round(proportion_test(30, 1000, 50, 1000), 4)
    0.0225
    """
    if not (trials_now > 0 and trials_before > 0) or not (0 <= hits_now <= trials_now) \
            or not (0 <= hits_before <= trials_before):
        return np.nan
    pooled = (hits_now + hits_before) / (trials_now + trials_before)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / trials_now + 1 / trials_before))
    if spread == 0:
        return 1.0
    z = (hits_now / trials_now - hits_before / trials_before) / spread
    return float(2 * stats.norm.sf(abs(z)))


@dataclass(frozen=True)
class Metric:
    """One compared column: a ``count`` (Poisson test), a ``rate`` over the trials in column ``base`` (two-proportion
    test) or a ``level`` (no test)."""

    name: str
    kind: str = "count"
    base: str | None = None


TEST_NAMES = {"count": "conditional binomial test of two Poisson counts, adjusted for period length",
              "rate": "two-proportion z-test", "level": "no test"}


@dataclass
class Comparison:
    """One table over two periods: per row of ``keys``, each metric now (``m``), before (``m_before``), the change
    (``m_change``, ``m_change_pct``) and, for counts and rates, the p-value (``m_p``); counts also carry the rate
    ratio's 95% interval (``m_ratio_low``, ``m_ratio_high``).

    ``before_has_data`` is False when the comparison period holds none of the data: the change columns are then
    empty, never infinite, and :attr:`note` says why.
    """

    period: Period
    against: Period
    spec: str
    keys: list[str]
    metrics: list[Metric]
    frame: pd.DataFrame
    before_has_data: bool
    what: str = "data"
    method: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The comparison period in words: ``the previous period``, ``a year earlier`` or its days."""
        return describe_compare(self.spec)

    @property
    def alpha(self) -> float:
        """The p-value under which a change is called significant."""
        return ALPHA

    @property
    def note(self) -> str:
        """One line when the comparison period holds no data, else empty."""
        if self.before_has_data:
            return ""
        return (f"the comparison period {self.against.describe()} holds no {self.what}: no change is shown; import "
                f"data covering it or choose another --compare ({COMPARE_CHOICES})")

    def long(self) -> pd.DataFrame:
        """One row per key and metric: ``metric``, ``now``, ``before``, ``change``, ``change_pct``, ``p_value``."""
        parts = []
        for order, metric in enumerate(self.metrics):
            m = metric.name
            part = self.frame[self.keys].copy()
            part["metric"] = m
            part["_row"], part["_order"] = range(len(part)), order
            part["now"] = self.frame[m]
            part["before"] = self.frame[f"{m}_before"]
            part["change"] = self.frame[f"{m}_change"]
            part["change_pct"] = self.frame[f"{m}_change_pct"]
            part["p_value"] = self.frame.get(f"{m}_p", pd.Series(np.nan, index=self.frame.index))
            parts.append(part)
        if not parts:
            return pd.DataFrame(columns=[*self.keys, "metric", "now", "before", "change", "change_pct", "p_value"])
        # each key's metrics together, the keys in the frame's order (busiest first)
        long = pd.concat(parts, ignore_index=True).sort_values(["_row", "_order"], kind="stable")
        return long.drop(columns=["_row", "_order"]).reset_index(drop=True)

    def as_json(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        """Both periods, the methods and ``rows`` (this comparison's frame as JSON records)."""
        return {
            "period": self.period.as_json(),
            "compared_with": {**self.against.as_json(), "compare": self.spec, "has_data": self.before_has_data},
            "note": self.note or None,
            "tests": {m.name: TEST_NAMES[m.kind] for m in self.metrics},
            "alpha": ALPHA,
            "rows": rows,
        }


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column as floats (missing values NaN), or NaN throughout when the frame lacks it."""
    if name not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.Series(pd.to_numeric(frame[name], errors="coerce"), index=frame.index).astype(float)


def compare_frames(
    now: pd.DataFrame, before: pd.DataFrame, keys: list[str], metrics: list[Metric], period: Period,
    against: Period, spec: str, what: str = "data", before_has_data: bool | None = None,
) -> Comparison:
    """Put two periods' frames (same ``keys`` and metric columns) side by side with changes and tests.

    A row found in one period only counts zero in the other for counts (nothing happened), and nothing for rates
    and levels (there is no rate of nothing). ``before_has_data`` overrides "the earlier frame has rows" for
    frames of totals, which have a row even over no data.
    """
    names = {m.name for m in metrics}
    columns = [*names, *(m.base for m in metrics if m.base and m.base not in names)]
    left = now[[*keys, *[c for c in columns if c in now.columns]]]
    right = before[[*keys, *[c for c in columns if c in before.columns]]]
    if keys:
        merged = left.merge(right, on=keys, how="outer", suffixes=("", "_before"))
    else:
        merged = pd.concat([left.reset_index(drop=True), right.reset_index(drop=True).add_suffix("_before")], axis=1)
    has_before = not before.empty if before_has_data is None else before_has_data
    out = merged[keys].copy() if keys else pd.DataFrame(index=merged.index)
    for metric in metrics:
        m = metric.name
        cur, old = _column(merged, m), _column(merged, f"{m}_before")
        if metric.kind == "count":
            cur = cur.fillna(0)
            old = old.fillna(0) if has_before else old * np.nan
        out[m], out[f"{m}_before"] = cur, old
        out[f"{m}_change"] = cur - old
        out[f"{m}_change_pct"] = (cur - old) / old.where(old > 0)  # no relative change from nothing
        if metric.kind == "count":
            tests = [count_test(a, b, period.days, against.days) if has_before and pd.notna(b) else (np.nan,) * 3
                     for a, b in zip(cur, old, strict=True)]
            out[f"{m}_p"] = [t[0] for t in tests]
            out[f"{m}_ratio_low"] = [t[1] for t in tests]
            out[f"{m}_ratio_high"] = [t[2] for t in tests]
        elif metric.kind == "rate" and metric.base:
            base_now, base_old = _column(merged, metric.base), _column(merged, f"{metric.base}_before")
            out[f"{m}_p"] = [proportion_test(r1 * n1, n1, r0 * n0, n0)
                             if all(pd.notna(v) for v in (r1, n1, r0, n0)) else np.nan
                             for r1, n1, r0, n0 in zip(cur, base_now, old, base_old, strict=True)]
    first = next((m.name for m in metrics if m.kind == "count"), None)
    if keys and first:
        out = out.sort_values([first, *keys], ascending=[False, *([True] * len(keys))], kind="stable")
    return Comparison(period, against, spec, keys, metrics, out.reset_index(drop=True), has_before, what,
                      {m.name: TEST_NAMES[m.kind] for m in metrics})
