"""Search Console period totals per page, beside the daily timeline: the Pages sheet of a web export.

A web export's Pages sheet totals each page over the period chosen in the interface; it can never be spread over
days, so it is not in ``page_daily``. It is listed next to the daily rows, each row saying what it covers:
``granularity`` is ``day`` (``period_start`` = ``period_end`` = its date) or ``period`` (the export's days, or
empty with ``period_label`` when the export said only "Last 3 months"). Pages are keyed like ``page_daily``: by the
page key (the path), so a period total and a daily row of one page share their ``page``.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from socialseo.analysis.filters import Filters
from socialseo.analysis.timeline import _HOST_SQL, canonical_origin, page_daily
from socialseo.classify.urls import page_key, page_key_sql

GRANULARITIES = ("all", "day", "period")
TOTAL_COLUMNS = ["page", "granularity", "period_start", "period_end", "period_label", "search_type",
                 "search_clicks", "search_impressions", "search_ctr", "search_position", "import_id"]


def page_period_totals(con: duckdb.DuckDBPyConnection, url: str | None = None) -> pd.DataFrame:
    """One row per page and period of the imported web exports' Pages sheets (the latest import of a period wins)."""
    origin, hosts = canonical_origin(con)
    if origin:
        key = f"CASE WHEN {_HOST_SQL.format('page_url')} IN (SELECT unnest(?::VARCHAR[])) " \
              f"THEN {page_key_sql('page_url')} ELSE page_url END"
        params: list[object] = [sorted(hosts)]
    else:
        key, params = page_key_sql("page_url"), []
    frame = con.execute(
        f"""
        WITH totals AS (
            SELECT {key} AS page, date_from, date_to, period_label, search_type, clicks, impressions, position,
                   import_id
            FROM search_period_totals WHERE dimension = 'page' AND page_url IS NOT NULL),
        latest AS (
            SELECT *, max(import_id) OVER (PARTITION BY page, date_from, date_to, period_label, search_type) AS newest
            FROM totals)
        SELECT page, 'period' AS granularity, date_from AS period_start, date_to AS period_end, period_label,
               search_type, CAST(sum(clicks) AS BIGINT) AS search_clicks,
               CAST(sum(impressions) AS BIGINT) AS search_impressions,
               CASE WHEN sum(impressions) > 0 THEN sum(clicks) / sum(impressions) END AS search_ctr,
               CASE WHEN sum(impressions) > 0 THEN sum(position * impressions) / sum(impressions) END
                   AS search_position,
               any_value(import_id) AS import_id
        FROM latest WHERE import_id = newest
        GROUP BY page, date_from, date_to, period_label, search_type
        ORDER BY page, period_start NULLS LAST
        """,
        params,
    ).df()
    if url is not None:
        frame = frame[frame["page"] == page_key(url)]
    return frame.reset_index(drop=True)


def pages_listing(con: duckdb.DuckDBPyConnection, url: str | None = None, granularity: str = "all") -> pd.DataFrame:
    """The daily timeline and the period totals together, each row marked with what it covers.

    ``granularity``: ``day`` (the ``page_daily`` rows), ``period`` (the web exports' page totals) or ``all``."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}")
    parts = []
    if granularity in ("all", "day"):
        daily = page_daily(con, url)
        day = pd.to_datetime(daily["date"]).dt.date if len(daily) else daily["date"]
        parts.append(daily.assign(granularity="day", period_start=day, period_end=day, period_label=None))
    if granularity in ("all", "period"):
        parts.append(page_period_totals(con, url).drop(columns="import_id").assign(date=None))
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else parts[0]
    first = ["page", "date", "granularity", "period_start", "period_end", "period_label"]
    return frame[[*first, *(c for c in frame.columns if c not in first)]]


def within(listing: pd.DataFrame, filters: Filters | None) -> pd.DataFrame:
    """The rows of :func:`pages_listing` inside ``filters``' days: daily rows on them, period totals whose days lie
    within them (a total over unknown days is kept only when no day is asked for)."""
    if filters is None or not (filters.start or filters.end) or listing.empty:
        return listing
    start = pd.to_datetime(listing["period_start"])
    end = pd.to_datetime(listing["period_end"])
    keep = start.notna() & end.notna()
    if filters.start:
        keep &= start >= pd.Timestamp(filters.start)
    if filters.end:
        keep &= end <= pd.Timestamp(filters.end)
    return listing[keep].reset_index(drop=True)


def search_coverage(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per page: whether Search Console data for it is daily, period totals only, or both."""
    totals = page_period_totals(con)
    daily = con.execute(
        "SELECT page, min(date) AS first_day, max(date) AS last_day FROM page_daily "
        "WHERE search_impressions > 0 GROUP BY page"
    ).df()
    merged = daily.merge(totals.groupby("page", as_index=False).size().rename(columns={"size": "periods"}),
                         on="page", how="outer")
    merged["search_data"] = [
        "daily and period totals" if pd.notna(f) and pd.notna(p) else "daily" if pd.notna(f) else "period totals only"
        for f, p in zip(merged["first_day"], merged["periods"], strict=True)
    ]
    return merged.sort_values("page").reset_index(drop=True)
