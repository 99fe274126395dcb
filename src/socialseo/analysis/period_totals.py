"""Totals over one period, shaped for :func:`socialseo.analysis.compare.compare_frames`: the headline numbers
(KPIs) and each page's social activity and search performance.

Each total is computed the way the listings compute it (sessions as :mod:`~socialseo.analysis.engagement` counts
them, posts as :mod:`~socialseo.analysis.social_metrics` does, search as :mod:`~socialseo.analysis.search_performance`
picks one Search Console row set per day), so a KPI and its listing never disagree.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from socialseo.analysis.compare import Metric
from socialseo.analysis.engagement import session_filter
from socialseo.analysis.filters import NO_FILTERS, Filters
from socialseo.analysis.search_performance import site_daily
from socialseo.analysis.social_metrics import social_metrics

KPI_METRICS = [
    Metric("sessions"),
    Metric("social_sessions"),
    Metric("organic_search_sessions"),
    Metric("bounce_rate", "rate", "sessions"),
    Metric("search_clicks"),
    Metric("search_impressions"),
    Metric("search_ctr", "rate", "search_impressions"),
    Metric("search_position", "level"),
    Metric("social_posts"),
    Metric("social_link_clicks"),
]

PAGE_METRICS = [
    Metric("social_posts"),
    Metric("social_engagement"),
    Metric("social_sessions"),
    Metric("backlinks_new"),
    Metric("search_clicks"),
    Metric("search_impressions"),
    Metric("search_ctr", "rate", "search_impressions"),
    Metric("search_position", "level"),
]


def kpi_totals(con: duckdb.DuckDBPyConnection, filters: Filters | None) -> tuple[pd.DataFrame, bool]:
    """One row of :data:`KPI_METRICS` over ``filters``' days, and whether any source held data on them."""
    where, params = session_filter(filters)
    sessions = con.execute(
        f"""SELECT count(*), count(*) FILTER (WHERE channel = 'social'),
                   count(*) FILTER (WHERE channel = 'organic_search'), avg(CAST(is_bounce AS DOUBLE))
            FROM sessions WHERE {where}""",
        params,
    ).fetchone() or (0, 0, 0, None)
    search = site_daily(con, filters)
    clicks, impressions = float(search["clicks"].sum()), float(search["impressions"].sum())
    posts = social_metrics(con, by="platform", filters=filters)
    row = {
        "sessions": sessions[0], "social_sessions": sessions[1], "organic_search_sessions": sessions[2],
        "bounce_rate": sessions[3],
        "search_clicks": clicks, "search_impressions": impressions,
        "search_ctr": clicks / impressions if impressions else None,
        "search_position": float((search["position"] * search["impressions"]).sum()) / impressions
        if impressions else None,
        "social_posts": float(posts["posts"].sum()) if not posts.empty else 0.0,
        "social_link_clicks": float(posts["link_clicks"].sum()) if not posts.empty else 0.0,
    }
    has_data = bool(sessions[0] or impressions or clicks or row["social_posts"])
    return pd.DataFrame([row]), has_data


def page_totals(con: duckdb.DuckDBPyConnection, filters: Filters | None, url: str | None = None) -> pd.DataFrame:
    """Per page (``page_daily``'s key), :data:`PAGE_METRICS` summed over ``filters``' days; ``url`` one page key.

    Platforms do not narrow it: the per-page table holds every platform's activity together."""
    where, params = (filters or NO_FILTERS).where(date_column="date")
    if url is not None:
        where, params = f"{where} AND page = ?", [*params, url]
    return con.execute(
        f"""
        SELECT page, sum(social_posts) AS social_posts, sum(social_engagement) AS social_engagement,
               sum(social_sessions) AS social_sessions, sum(backlinks_new) AS backlinks_new,
               sum(search_clicks) AS search_clicks, sum(search_impressions) AS search_impressions,
               sum(search_clicks) / nullif(sum(search_impressions), 0) AS search_ctr,
               sum(search_position * search_impressions) / nullif(sum(search_impressions), 0) AS search_position
        FROM page_daily WHERE {where}
        GROUP BY page
        HAVING sum(social_posts) + sum(social_sessions) + sum(search_impressions) + sum(backlinks_new) > 0
        ORDER BY search_clicks DESC, social_sessions DESC, page
        """,
        params,
    ).df()
