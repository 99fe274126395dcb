"""The search performance section: the trend, top and moving pages and queries, CTR against the site's own curve,
branded queries, each page beside its social activity (see :mod:`socialseo.analysis.search_performance`)."""

from __future__ import annotations

import duckdb
import pandas as pd
from markupsafe import Markup

from socialseo.analysis.compare import CompareError
from socialseo.analysis.filters import Filters
from socialseo.analysis.search_performance import MIN_IMPRESSIONS, SearchPerformance, search_performance
from socialseo.report import charts
from socialseo.report.search_charts import search_trend
from socialseo.report.sections.base import Section, Table, num, pct
from socialseo.report.sections.comparison import (
    COMPARE_HEADER,
    TESTS_TEXT,
    cells,
    change,
    p_value,
    periods_text,
    relative,
)

_TOTAL_NAMES = {"clicks": "clicks", "impressions": "impressions", "ctr": "CTR", "position": "average position"}


def _top_pages(result: SearchPerformance) -> Table:
    assert result.pages is not None
    frame = result.pages.frame[result.pages.frame["clicks"] + result.pages.frame["impressions"] > 0]
    return Table(
        "Top pages by clicks, with the social activity beside them (posts linking to the page, their link clicks, "
        "social sessions landing on it)",
        ["page", "clicks", "before", "change", "impressions", "CTR", "position", "posts", "social clicks",
         "social sessions"],
        [[r["page"], num(r["clicks"]), num(r["clicks_before"]), change("count", r["clicks_change"]),
          num(r["impressions"]), pct(r["ctr"]), num(r["position"]), num(r["posts"]), num(r["social_clicks"]),
          num(r["social_sessions"])] for r in frame.to_dict("records")],
    )


def _top_queries(result: SearchPerformance) -> Table | None:
    if result.queries is None or result.queries.frame.empty:
        return None
    frame = result.queries.frame[result.queries.frame["clicks"] + result.queries.frame["impressions"] > 0]
    return Table("Top queries by clicks (anonymised queries are not listed by Search Console)",
                 ["query", "clicks", "before", "change", "impressions", "CTR", "position"],
                 [[r["query"], num(r["clicks"]), num(r["clicks_before"]), change("count", r["clicks_change"]),
                   num(r["impressions"]), pct(r["ctr"]), num(r["position"])] for r in frame.to_dict("records")])


def _movers(result: SearchPerformance, which: str, rising: bool) -> Table | None:
    frame = result.movers(which, rising)
    if frame.empty:
        return None
    key = "page" if which == "pages" else "query"
    return Table(f"{'Rising' if rising else 'Falling'} {which}: the largest {'gains' if rising else 'losses'} in "
                 "clicks", [key, "clicks", "before", "change", "change %", "p"],
                 [[r[key], num(r["clicks"]), num(r["clicks_before"]), change("count", r["clicks_change"]),
                   relative(r["clicks"], r["clicks_before"], r["clicks_change_pct"]), p_value(r["clicks_p"])]
                  for r in frame.to_dict("records")])


def _curve(result: SearchPerformance) -> Table | None:
    curve = result.query_curve if not result.query_curve.empty else result.page_curve
    if curve.empty:
        return None
    kind = "queries" if not result.query_curve.empty else "pages"
    return Table(f"The site's own CTR by position (over its {kind})",
                 ["position", kind, "impressions", "clicks", "CTR"],
                 [[r["bucket"], num(r["items"]), num(r["impressions"]), num(r["clicks"]), pct(r["ctr"])]
                  for r in curve.to_dict("records")])


def _opportunities(frame: pd.DataFrame, key: str) -> Table | None:
    if frame.empty:
        return None
    plural = "Pages" if key == "page" else "Queries"
    return Table(f"{plural} far below the site's CTR at their position: a title or snippet to rewrite",
                 [key, "position", "impressions", "clicks", "CTR", "site's CTR there", "missed clicks", "p"],
                 [[r[key], num(r["position"]), num(r["impressions"]), num(r["clicks"]), pct(r["ctr"]),
                   pct(r["expected_ctr"]), num(round(r["missed_clicks"])), p_value(r["p_value"])]
                  for r in frame.to_dict("records")])


def sections(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> list[Section]:
    section = Section("search-insights", "Search performance over time", "Search Console rows by day, page and "
                      "query (web search; one row set per day, property-level rows first), posts and social sessions "
                      "per page", False)
    try:
        result = search_performance(con, filters)
    except CompareError as exc:
        section.missing = str(exc)
        return [section]
    if not result.has_data:
        section.missing = result.missing
        return [section]
    assert result.totals is not None and result.pages is not None
    section.has_data = True
    totals = result.totals
    section.paragraphs.append(periods_text(totals) + ".")
    if totals.note:
        section.paragraphs.append(totals.note[0].upper() + totals.note[1:] + ".")
    row = totals.frame.iloc[0].to_dict()
    section.tables.append(Table("Search totals", ["", *COMPARE_HEADER],
                                [[_TOTAL_NAMES[m.name], *cells(totals, row, m.name)] for m in totals.metrics]))
    if totals.before_has_data and row["clicks_before"]:
        section.summary.append(
            f"Search clicks {'rose' if row['clicks'] > row['clicks_before'] else 'fell'} "
            f"{relative(row['clicks'], row['clicks_before'], row['clicks_change_pct'])} from "
            f"{totals.against.describe()} to {totals.period.describe()} ({num(row['clicks_before'])} to "
            f"{num(row['clicks'])}, "
            f"p {p_value(row.get('clicks_p'))})."
        )
    assert result.period is not None and result.against is not None
    section.charts.append(Markup(charts.fragment(
        search_trend(result.trend, (result.period.start, result.period.end),
                     (result.against.start, result.against.end)), "chart-search-trend")))
    section.tables.append(_top_pages(result))
    for table in (_top_queries(result), _movers(result, "pages", True), _movers(result, "pages", False),
                  _movers(result, "queries", True), _movers(result, "queries", False), _curve(result),
                  _opportunities(result.page_opportunities, "page"),
                  _opportunities(result.query_opportunities, "query")):
        if table is not None:
            section.tables.append(table)
    if not result.page_opportunities.empty:
        top = result.page_opportunities.iloc[0]
        section.summary.append(
            f"{top['page']} gets {pct(top['ctr'])} of its searches' clicks at position {num(top['position'])}, where "
            f"the site's other results get {pct(top['expected_ctr'])}: about {num(round(top['missed_clicks']))} "
            "clicks missed.")
    if result.brand is not None:
        brand = result.brand
        section.tables.append(Table(
            f"Branded and unbranded queries (brand terms: {', '.join(result.brand_terms)})",
            ["queries", "metric", *COMPARE_HEADER],
            [[r["segment"], metric, *cells(brand, r, metric)] for r in brand.frame.to_dict("records")
             for metric in ("clicks", "impressions", "ctr")]))
    elif not result.brand_terms:
        section.paragraphs.append("Set the brand's names (socialseo brand set --name NAME) to split branded from "
                                  "unbranded queries.")
    section.paragraphs.append(
        f"Opportunities: pages and queries with at least {MIN_IMPRESSIONS} impressions whose CTR is under half the "
        "site's own CTR at the same rounded position, with a one-sided binomial p below 0.05. " + TESTS_TEXT)
    return [section]
