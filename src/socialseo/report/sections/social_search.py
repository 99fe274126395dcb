"""Report sections for the imported post metrics and Search Console data.

Search Console's rows with the query dimension leave out anonymised queries, so their sums undercount the page
totals; the section says by how much, from the data, instead of silently reporting the smaller number.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from socialseo.analysis.search_totals import page_period_totals, search_coverage
from socialseo.analysis.social_metrics import social_metrics
from socialseo.report.sections.base import Section, Table, num, pct
from socialseo.store.warehouse import scalar


def _social(con: duckdb.DuckDBPyConnection) -> Section:
    metrics = social_metrics(con, by="platform")
    section = Section(
        "social_posts", "Social posts and their metrics", "the imported post exports (social_posts, "
        "social_post_metrics)", not metrics.empty,
        missing="No post export has been imported: run `socialseo ingest posts PATH`.",
    )
    if metrics.empty:
        return section
    posts = int(metrics["posts"].sum())
    section.summary.append(f"{posts:,} social posts on {len(metrics)} platforms were imported.")
    rated = metrics.dropna(subset=["ctr"])
    rated = rated[rated["impressions"] >= 1000]
    if len(rated) >= 2:
        best = rated.sort_values("ctr").iloc[-1]
        section.summary.append(
            f"Of platforms with at least 1,000 impressions, posts on {best['platform']} got the highest link "
            f"click-through rate ({pct(best['ctr'])})."
        )
    linked = scalar(con, "SELECT count(*) FROM social_posts WHERE linked_page IS NOT NULL") or 0
    unresolved = scalar(con, "SELECT count(*) FROM social_posts WHERE link_status = 'unresolved'") or 0
    section.paragraphs.append(
        f"{linked:,} posts link to a page; rates are ratios of sums over a platform's posts (CTR = link clicks / "
        "impressions, engagement rate = likes, comments, shares and saves / impressions)."
    )
    if unresolved:
        section.paragraphs.append(
            f"{unresolved:,} posts link through a short link that could not be resolved offline; give their "
            "expansions with `socialseo ingest posts --links FILE` to count them for their pages."
        )
    section.tables.append(Table(
        "Post metrics by platform",
        ["platform", "posts", "impressions", "likes", "comments", "shares", "link clicks", "CTR", "engagement rate"],
        [[r.platform, num(r.posts), num(r.impressions), num(r.likes), num(r.comments), num(r.shares),
          num(r.link_clicks), pct(r.ctr), pct(r.engagement_rate)] for r in metrics.itertuples()],
    ))
    return section


def _search(con: duckdb.DuckDBPyConnection) -> Section:
    rows = scalar(con, "SELECT count(*) FROM search_performance") or 0
    totals = scalar(con, "SELECT count(*) FROM search_period_totals") or 0
    section = Section(
        "search", "Search performance", "the imported Search Console exports (search_performance, and the web "
        "exports' period totals); days are Search Console's Pacific days", bool(rows or totals),
        missing="No Search Console export has been imported: run `socialseo ingest gsc PATH`."
        + (" (Rank-tracker positions are imported, but clicks and impressions come from Search Console.)"
           if scalar(con, "SELECT count(*) FROM rank_positions") else ""),
    )
    _page_coverage(con, section)
    if not rows:
        return section
    levels = con.execute(
        "SELECT aggregation, dims, min(date), max(date), sum(clicks), sum(impressions), "
        "sum(position_sum) / nullif(sum(impressions), 0) FROM search_performance GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall()
    section.tables.append(Table(
        "Imported Search Console data (page-level and property-level rows are never added together)",
        ["aggregation", "dimensions", "from", "to", "clicks", "impressions", "position (impression-weighted)"],
        [[a, d, str(f), str(t), num(c), num(i), num(p)] for a, d, f, t, c, i, p in levels],
    ))
    page_level = next((lv for lv in levels if lv[0] == "page" and "query" not in lv[1]), None)
    if page_level:
        section.summary.append(
            f"Search Console counted {num(page_level[4])} clicks and {num(page_level[5])} impressions on the site's "
            f"pages from {page_level[2]} to {page_level[3]} (average position {num(page_level[6])})."
        )
    gap = con.execute(
        """
        WITH totals AS (SELECT page_url, date, sum(impressions) AS i, sum(clicks) AS c FROM search_performance
                        WHERE aggregation = 'page' AND dims NOT LIKE '%query%' GROUP BY ALL),
             queries AS (SELECT page_url, date, sum(impressions) FILTER (WHERE NOT coalesce(is_anonymized, false)) AS i
                         FROM search_performance WHERE aggregation = 'page' AND dims LIKE '%query%' GROUP BY ALL),
             anonymised AS (SELECT sum(impressions) FILTER (WHERE is_anonymized) AS a, sum(impressions) AS t
                            FROM search_performance WHERE dims LIKE '%query%')
        SELECT (SELECT sum(t.i) FROM totals t JOIN queries q USING (page_url, date)),
               (SELECT sum(q.i) FROM totals t JOIN queries q USING (page_url, date)),
               (SELECT a FROM anonymised), (SELECT t FROM anonymised)
        """
    ).fetchone()
    if gap and gap[0] and gap[1] is not None and gap[0] > gap[1]:
        section.summary.append(
            f"Rows by query hold {num(gap[1])} of the {num(gap[0])} impressions of the same pages and days: "
            f"{pct(1 - gap[1] / gap[0])} come from anonymised queries Search Console does not list."
        )
    elif gap and gap[2]:
        section.summary.append(
            f"{pct(gap[2] / gap[3])} of the bulk export's impressions are from anonymised queries (query left empty)."
        )
    else:
        section.paragraphs.append(
            "Rows by query undercount page totals wherever Search Console anonymised rare queries; import page "
            "totals (rows without the query dimension) next to them to measure the difference."
        )
    return section


def _day(value: Any) -> str:
    return "–" if value is None or pd.isna(value) else str(value)[:10]


def _page_coverage(con: duckdb.DuckDBPyConnection, section: Section) -> None:
    """Which pages have daily search data and which only a web export's totals over a period."""
    coverage = search_coverage(con)
    if coverage.empty:
        return
    totals = page_period_totals(con)
    periods = totals.assign(
        period=[f"{s:%Y-%m-%d} to {e:%Y-%m-%d}" if pd.notna(s) and pd.notna(e) else f"{lbl or 'unknown'} (days unknown)"
                for s, e, lbl in zip(totals["period_start"], totals["period_end"], totals["period_label"], strict=True)]
    ).groupby("page").agg(period_clicks=("search_clicks", "sum"), period=("period", "; ".join))
    daily = con.execute(
        "SELECT page, CAST(sum(search_clicks) AS BIGINT) AS clicks FROM page_daily GROUP BY page"
    ).df().set_index("page")["clicks"]
    kinds = coverage["search_data"].value_counts()
    only = int(kinds.get("period totals only", 0))
    section.summary.append(
        f"{num(len(coverage) - only)} page(s) have daily Search Console data; {num(only)} have only period totals "
        "from a web export, which cannot be placed on days and stay out of the daily analyses."
        if only else f"All {num(len(coverage))} page(s) with Search Console data have it by day."
    )
    section.tables.append(Table(
        "Search Console data per page: daily rows, or only a web export's totals over its period",
        ["page", "search data", "daily clicks", "from", "to", "period clicks", "period"],
        [[r.page, r.search_data, num(daily.get(r.page)) if r.page in daily.index else "–",
          _day(r.first_day), _day(r.last_day),
          num(periods.at[r.page, "period_clicks"]) if r.page in periods.index else "–",
          periods.at[r.page, "period"] if r.page in periods.index else "–"]
         for r in coverage.itertuples()],
    ))


def sections(con: duckdb.DuckDBPyConnection) -> list[Section]:
    return [_social(con), _search(con)]
