"""Per-page views for the dashboard: every page with its social and search numbers, and one page's timeline.

Pages are joined on the page key (:func:`socialseo.classify.urls.page_key_sql`) so a Search Console URL, a post's
linked page and a log request line meet on the same row.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from socialseo.analysis.filters import NO_FILTERS, Filters
from socialseo.classify.urls import page_key, page_key_sql


def _conditions(filters: Filters) -> tuple[str, list[object], str, list[object], str, list[object]]:
    s_where, s_params = filters.where(date_column="CAST(start_ts AS DATE)", platform_column="platform")
    q_where, q_params = filters.where(date_column="date")
    p_where, p_params = filters.where(date_column="CAST(published_at AS DATE)", platform_column="platform")
    return s_where, s_params, q_where, q_params, p_where, p_params


def _as_key(search: str) -> str:
    """A search that is a URL or path (pasted from the browser) becomes its page key; words stay words."""
    text = search.strip()
    if "://" in text or text.startswith("/") or "?" in text:
        return page_key(text)
    return search


def pages_overview(
    con: duckdb.DuckDBPyConnection, search: str = "", filters: Filters | None = None, limit: int = 200
) -> pd.DataFrame:
    """One row per page: title (from the latest crawl), sessions, social sessions, posts, search clicks and
    impressions by day, and a web export's totals over its period (``period_clicks``, ``period_start`` ...), with
    ``search_data`` saying which of the two the page has. ``search`` keeps pages whose path or title contains it
    (case-insensitive). The period totals are not narrowed by the date filter: they cannot be cut into days."""
    s_where, s_params, q_where, q_params, p_where, p_params = _conditions(filters or NO_FILTERS)
    search = _as_key(search)
    return con.execute(
        f"""
        WITH visits AS (
            SELECT landing_page AS page, count(*) AS sessions,
                   count(*) FILTER (WHERE channel = 'social') AS social_sessions
            FROM sessions WHERE landing_page IS NOT NULL AND {s_where} GROUP BY 1),
        search AS (
            SELECT {page_key_sql('page')} AS page, CAST(sum(clicks) AS BIGINT) AS clicks,
                   CAST(sum(impressions) AS BIGINT) AS impressions
            FROM search_performance WHERE page IS NOT NULL AND {q_where} GROUP BY 1),
        posts AS (
            SELECT {page_key_sql('linked_page')} AS page, count(*) AS posts
            FROM social_posts WHERE linked_page IS NOT NULL AND {p_where} GROUP BY 1),
        period_rows AS (
            SELECT {page_key_sql('page_url')} AS page, clicks, impressions, date_from, date_to, period_label,
                   import_id, max(import_id) OVER (PARTITION BY {page_key_sql('page_url')}) AS newest
            FROM search_period_totals WHERE dimension = 'page' AND page_url IS NOT NULL),
        totals AS (  -- a web export's totals over its period: the latest export of each page
            SELECT page, CAST(sum(clicks) AS BIGINT) AS clicks, CAST(sum(impressions) AS BIGINT) AS impressions,
                   min(date_from) AS period_start, max(date_to) AS period_end, any_value(period_label) AS label
            FROM period_rows WHERE import_id = newest GROUP BY 1),
        titles AS (
            SELECT {page_key_sql('coalesce(final_url, url)')} AS page, arg_max(title, fetched_at) AS title
            FROM crawl_pages GROUP BY 1),
        everything AS (
            SELECT page FROM visits UNION SELECT page FROM search UNION SELECT page FROM posts
            UNION SELECT page FROM totals)
        SELECT e.page, t.title, coalesce(v.sessions, 0) AS sessions,
               coalesce(v.social_sessions, 0) AS social_sessions, coalesce(p.posts, 0) AS posts,
               coalesce(s.clicks, 0) AS search_clicks, coalesce(s.impressions, 0) AS search_impressions,
               CASE WHEN s.page IS NOT NULL AND pt.page IS NOT NULL THEN 'daily and period totals'
                    WHEN s.page IS NOT NULL THEN 'daily' WHEN pt.page IS NOT NULL THEN 'period totals only' END
                   AS search_data,
               pt.clicks AS period_clicks, pt.impressions AS period_impressions,
               pt.period_start, pt.period_end, pt.label AS period_label
        FROM everything e
        LEFT JOIN visits v USING (page) LEFT JOIN search s USING (page)
        LEFT JOIN posts p USING (page) LEFT JOIN titles t USING (page) LEFT JOIN totals pt USING (page)
        WHERE ? = '' OR contains(lower(e.page), lower(?)) OR contains(lower(coalesce(t.title, '')), lower(?))
        ORDER BY sessions DESC, search_clicks DESC, coalesce(pt.clicks, 0) DESC, e.page LIMIT {int(limit)}
        """,
        [*s_params, *q_params, *p_params, search, search, search],
    ).df()


def page_timeline(con: duckdb.DuckDBPyConnection, page: str, filters: Filters | None = None) -> pd.DataFrame:
    """Daily social activity (social sessions landing on the page, posts linking to it) and search performance
    (clicks, impressions) of one page: the page timeline. ``page`` may be any spelling of the page's URL."""
    s_where, s_params, q_where, q_params, p_where, p_params = _conditions(filters or NO_FILTERS)
    page = page_key(page.strip()) if page.strip() else page
    return con.execute(
        f"""
        WITH visits AS (
            SELECT CAST(start_ts AS DATE) AS day, count(*) AS social_sessions FROM sessions
            WHERE channel = 'social' AND landing_page = ? AND {s_where} GROUP BY 1),
        posts AS (
            SELECT CAST(published_at AS DATE) AS day, count(*) AS posts FROM social_posts
            WHERE {page_key_sql('linked_page')} = ? AND {p_where} GROUP BY 1),
        search AS (
            SELECT date AS day, CAST(sum(clicks) AS BIGINT) AS clicks,
                   CAST(sum(impressions) AS BIGINT) AS impressions FROM search_performance
            WHERE {page_key_sql('page')} = ? AND {q_where} GROUP BY 1),
        days AS (SELECT day FROM visits UNION SELECT day FROM posts UNION SELECT day FROM search)
        SELECT d.day, coalesce(v.social_sessions, 0) AS social_sessions, coalesce(p.posts, 0) AS posts,
               coalesce(s.clicks, 0) AS clicks, coalesce(s.impressions, 0) AS impressions
        FROM days d LEFT JOIN visits v USING (day) LEFT JOIN posts p USING (day) LEFT JOIN search s USING (day)
        WHERE d.day IS NOT NULL ORDER BY d.day
        """,
        [page, *s_params, page, *p_params, page, *q_params],
    ).df()
