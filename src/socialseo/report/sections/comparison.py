"""The period comparison section: the headline numbers, the channels, social sessions and posts per platform over
the reader's period beside the period it is compared with (``Filters.compare``), each with its change and, where a
count allows it, a p-value.

The cell formats live here too, so the search section writes changes the same way: rates change in percentage
points, a count that was zero is ``new``, a period without data shows a dash, never +inf%.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import duckdb

from socialseo.analysis.compare import CompareError, Comparison, Metric, Period, compare_frames, resolve
from socialseo.analysis.engagement import channel_engagement
from socialseo.analysis.filters import Filters
from socialseo.analysis.period_totals import KPI_METRICS, kpi_totals
from socialseo.analysis.social_metrics import social_metrics
from socialseo.report.sections.base import Section, Table

KPI_NAMES = {
    "sessions": "sessions", "social_sessions": "social sessions", "organic_search_sessions": "organic search sessions",
    "bounce_rate": "bounce rate", "search_clicks": "search clicks", "search_impressions": "search impressions",
    "search_ctr": "search CTR", "search_position": "average search position", "social_posts": "social posts",
    "social_link_clicks": "link clicks on social posts",
}
TESTS_TEXT = ("p: counts by the conditional binomial test of two Poisson counts adjusted for the periods' lengths, "
              "rates by a two-proportion z-test; averages (duration, position) have no test. * marks p < 0.05. Counts "
              "vary more than Poisson counts do (busy days, bursts), so read a small p on a large count with care.")
COMPARE_HEADER = ["now", "before", "change", "change %", "p"]
POST_METRICS = [Metric("posts"), Metric("impressions"), Metric("link_clicks"), Metric("ctr", "rate", "impressions")]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def value(kind: str, x: Any, name: str = "") -> str:
    """One period's value: rates as percentages, positions and averages to one decimal, counts with separators."""
    if _missing(x):
        return "–"
    if kind == "rate":
        return f"{100 * float(x):.1f}%"
    if kind == "level":
        return f"{float(x):,.0f} s" if name.endswith("_s") else f"{float(x):,.1f}"
    return f"{float(x):,.0f}"


def change(kind: str, x: Any, name: str = "") -> str:
    if _missing(x):
        return "–"
    if kind == "rate":
        return f"{100 * float(x):+.1f} pt"
    sign = "+" if x > 0 else "-" if x < 0 else "±"
    return sign + value(kind, abs(float(x)), name)


def relative(now: Any, before: Any, pct: Any) -> str:
    if not _missing(pct):
        return f"{100 * float(pct):+.1f}%"
    if not _missing(before) and float(before) == 0 and not _missing(now) and float(now) > 0:
        return "new"
    return "–"


def p_value(x: Any) -> str:
    if _missing(x):
        return "–"
    return ("<0.001" if x < 0.001 else f"{x:.3f}") + (" *" if x < 0.05 else "")


def cells(comparison: Comparison, row: Mapping[Any, Any], metric: str) -> list[str]:
    """The five cells of one metric of one row: now, before, change, change %, p."""
    kind = next(m.kind for m in comparison.metrics if m.name == metric)
    return [value(kind, row[metric], metric), value(kind, row[f"{metric}_before"], metric),
            change(kind, row[f"{metric}_change"], metric),
            relative(row[metric], row[f"{metric}_before"], row[f"{metric}_change_pct"]),
            p_value(row.get(f"{metric}_p"))]


def periods_text(comparison: Comparison) -> str:
    return (f"{comparison.period.describe()} ({comparison.period.days} days) against {comparison.against.describe()} "
            f"({comparison.against.days} days, {comparison.label})")


def _headline(comparison: Comparison, row: Mapping[Any, Any], metric: str) -> str | None:
    now, before, p = row[metric], row[f"{metric}_before"], row.get(f"{metric}_p")
    if now is None or before is None or _missing(now) or _missing(before) or not before:
        return None
    kind = next(m.kind for m in comparison.metrics if m.name == metric)
    moved = "rose" if float(now) > float(before) else "fell" if float(now) < float(before) else "held"
    shown = f"{value(kind, now, metric)} against {value(kind, before, metric)}"
    chance = "" if p is None or _missing(p) else (f", p {p_value(p).rstrip(' *')}; more than chance" if p < 0.05
                                     else f", p {p_value(p)}; within chance")
    return f"{KPI_NAMES[metric].capitalize()} {moved} {relative(now, before, row[f'{metric}_change_pct'])} " \
           f"({shown}{chance})."


def sections(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> list[Section]:
    """The comparison section, only when a comparison is asked for."""
    if filters is None or not filters.compare:
        return []
    section = Section("compare", "Compared with another period", "the period's headline numbers and channels, beside "
                      "the same numbers over the comparison period", False)
    try:
        period, against = resolve(con, filters)
    except CompareError as exc:
        section.missing = str(exc)
        return [section]
    now_f, before_f = period.narrow(filters), against.narrow(filters)
    (now, has_now), (before, has_before) = kpi_totals(con, now_f), kpi_totals(con, before_f)
    kpis = compare_frames(now, before, [], KPI_METRICS, period, against, str(filters.compare), "data", has_before)
    if not has_now:
        section.missing = (f"No data from {period.describe()}: choose days the imports cover, or import them "
                           "(socialseo ingest logs, ingest gsc, ingest posts).")
        return [section]
    section.has_data = True
    section.paragraphs.append(periods_text(kpis) + ".")
    if kpis.note:
        section.paragraphs.append(kpis.note[0].upper() + kpis.note[1:] + ".")
    row = kpis.frame.iloc[0].to_dict()
    shown = [m.name for m in KPI_METRICS if not (_missing(row[m.name]) and _missing(row[f"{m.name}_before"]))
             and (row[m.name] or row[f"{m.name}_before"])]
    section.tables.append(Table("Headline numbers", ["", *COMPARE_HEADER],
                                [[KPI_NAMES[m], *cells(kpis, row, m)] for m in shown], shown=len(shown)))
    section.summary = [line for m in ("sessions", "social_sessions", "search_clicks", "search_ctr")
                       if m in shown and (line := _headline(kpis, row, m))]
    channel_now = channel_engagement(con, filters=now_f).groupby("channel", as_index=False)[["sessions"]].sum()
    channel_before = channel_engagement(con, filters=before_f).groupby("channel", as_index=False)[["sessions"]].sum()
    if not channel_now.empty or not channel_before.empty:
        channels = compare_frames(channel_now, channel_before, ["channel"], [Metric("sessions")], period, against,
                                  str(filters.compare), "sessions")
        section.tables.append(Table("Sessions by channel", ["channel", *COMPARE_HEADER],
                                    [[r["channel"], *cells(channels, r, "sessions")]
                                     for r in channels.frame.to_dict("records")]))
    _platform_tables(con, section, now_f, before_f, period, against, str(filters.compare))
    section.paragraphs.append(TESTS_TEXT)
    return [section]


def _platform_tables(con: duckdb.DuckDBPyConnection, section: Section, now_f: Filters, before_f: Filters,
                     period: Period, against: Period, spec: str) -> None:
    """Social sessions and post metrics per platform over both periods, where either period has any."""
    sessions = [channel_engagement(con, filters=f) for f in (now_f, before_f)]
    social = [f[f["channel"] == "social"].assign(platform=f["platform"].fillna("unknown")) for f in sessions]
    if not social[0].empty or not social[1].empty:
        by_platform = compare_frames(social[0], social[1], ["platform"],
                                     [Metric("sessions"), Metric("bounce_rate", "rate", "sessions")],
                                     period, against, spec, "social sessions")
        section.tables.append(Table(
            "Social sessions by platform", ["platform", "metric", *COMPARE_HEADER],
            [[r["platform"], name, *cells(by_platform, r, metric)] for r in by_platform.frame.to_dict("records")
             for metric, name in (("sessions", "sessions"), ("bounce_rate", "bounce rate"))]))
    posts = [social_metrics(con, by="platform", filters=f) for f in (now_f, before_f)]
    if not posts[0].empty or not posts[1].empty:
        metrics = compare_frames(posts[0], posts[1], ["platform"], POST_METRICS, period, against, spec, "post metrics")
        section.tables.append(Table(
            "Social posts by platform", ["platform", "metric", *COMPARE_HEADER],
            [[r["platform"], name, *cells(metrics, r, metric)] for r in metrics.frame.to_dict("records")
             for metric, name in (("posts", "posts"), ("impressions", "impressions"), ("link_clicks", "link clicks"),
                                  ("ctr", "CTR"))]))
