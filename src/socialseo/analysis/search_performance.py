"""Search performance worth reading: the trend, the top and moving pages and queries, CTR against the site's own
CTR curve, branded against unbranded queries, each page beside its social activity.

Search Console's exports overlap: one day can be in a property-level export, an API pull by page and a bulk export
by page and query. Sums never mix them: per day one row set is read, preferring rows without the query dimension
(they include the queries Search Console anonymises), then property-level rows (a search showing two of the site's
pages counts once), then the largest. Queries come from rows by query, anonymised ones left out. Web search only.

The CTR curve is the site's own: clicks over impressions of its pages (or queries) at each rounded position
(1 to 10, then 11-20 and 21+). A page far below the curve at its position is an opportunity: its title and snippet
earn fewer clicks than the site's other results at the same rank. "Far below" is a CTR under half the curve's with a
one-sided binomial p-value under 0.05, on at least :data:`MIN_IMPRESSIONS` impressions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import duckdb
import numpy as np
import pandas as pd
from scipy import stats

from socialseo.analysis.compare import Comparison, Metric, Period, compare_frames, resolve
from socialseo.analysis.filters import NO_FILTERS, Filters

MIN_IMPRESSIONS = 100
SHOWN = 10
SEARCH_METRICS = [Metric("clicks"), Metric("impressions"), Metric("ctr", "rate", "impressions"),
                  Metric("position", "level")]
FILL_COMMANDS = ("socialseo ingest gsc EXPORT (a web export zip, API JSON or bulk-export CSV) or "
                 "socialseo pull gsc --site PROPERTY (Search Console's API)")

_ROW_SETS = """
WITH g AS (
    SELECT date, aggregation, dims, sum(clicks) AS clicks, sum(impressions) AS impressions,
           sum(position_sum) AS position_sum
    FROM search_performance
    WHERE coalesce(search_type, 'web') = 'web' AND {where}
    GROUP BY ALL)
SELECT * FROM g
QUALIFY row_number() OVER (PARTITION BY date ORDER BY dims LIKE '%query%', aggregation = 'page', impressions DESC,
                                                       dims) = 1
"""


def _days(filters: Filters | None, column: str = "date") -> tuple[str, list[object]]:
    return (filters or NO_FILTERS).where(date_column=column)


def search_span(con: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """The first and last day of Search Console data."""
    row = con.execute("SELECT min(date), max(date) FROM search_performance").fetchone()
    return (row[0], row[1]) if row and row[0] is not None else None


def site_daily(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Per day: the site's clicks, impressions, CTR and (impression-weighted, 1-based) position."""
    where, params = _days(filters)
    return con.execute(
        f"""SELECT date AS day, clicks, impressions, clicks / nullif(impressions, 0) AS ctr,
                   position_sum / nullif(impressions, 0) AS position
            FROM ({_ROW_SETS.format(where=where)}) ORDER BY day""",
        params,
    ).df()


def page_search(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Per page (``page_daily``'s key): clicks, impressions, CTR, position, and the social activity beside them
    (posts linking to it, their link clicks, social sessions landing on it) over the same days."""
    where, params = _days(filters)
    return con.execute(
        f"""
        SELECT page, sum(search_clicks) AS clicks, sum(search_impressions) AS impressions,
               sum(search_clicks) / nullif(sum(search_impressions), 0) AS ctr,
               sum(search_position * search_impressions) / nullif(sum(search_impressions), 0) AS position,
               sum(social_posts) AS posts, sum(social_link_clicks) AS social_clicks,
               sum(social_sessions) AS social_sessions
        FROM page_daily WHERE {where}
        GROUP BY page HAVING sum(search_impressions) > 0
        ORDER BY clicks DESC, impressions DESC, page
        """,
        params,
    ).df()


def query_search(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Per query: clicks, impressions, CTR, position (one row set by query per day, property-level first)."""
    where, params = _days(filters)
    return con.execute(
        f"""
        WITH sets AS (
            SELECT date, aggregation, dims, sum(impressions) AS impressions FROM search_performance
            WHERE dims LIKE '%query%' AND coalesce(search_type, 'web') = 'web' AND {where}
            GROUP BY date, aggregation, dims
            QUALIFY row_number() OVER (PARTITION BY date
                                       ORDER BY aggregation = 'page', sum(impressions) DESC, dims) = 1)
        SELECT lower(trim(s.query)) AS query, sum(s.clicks) AS clicks, sum(s.impressions) AS impressions,
               sum(s.clicks) / nullif(sum(s.impressions), 0) AS ctr,
               sum(s.position_sum) / nullif(sum(s.impressions), 0) AS position
        FROM search_performance s JOIN sets USING (date, aggregation, dims)
        WHERE coalesce(s.search_type, 'web') = 'web' AND nullif(trim(s.query), '') IS NOT NULL
              AND NOT coalesce(s.is_anonymized, false)
        GROUP BY 1 HAVING sum(s.impressions) > 0
        ORDER BY clicks DESC, impressions DESC, query
        """,
        params,
    ).df()


def _bucket(position: pd.Series) -> pd.Series:
    rounded = position.round().clip(lower=1)
    return pd.Series(np.where(rounded <= 10, rounded.astype("Int64").astype(str),
                              np.where(rounded <= 20, "11-20", "21+")), index=position.index)


def ctr_curve(items: pd.DataFrame) -> pd.DataFrame:
    """The site's CTR at each rounded position over ``items`` (pages or queries with clicks, impressions,
    position): ``bucket``, ``items``, ``clicks``, ``impressions``, ``ctr``, in position order."""
    rated = items.dropna(subset=["position"])
    if rated.empty:
        return pd.DataFrame(columns=["bucket", "items", "clicks", "impressions", "ctr"])
    curve = rated.assign(bucket=_bucket(rated["position"])).groupby("bucket", as_index=False).agg(
        items=("clicks", "size"), clicks=("clicks", "sum"), impressions=("impressions", "sum"))
    curve["ctr"] = curve["clicks"] / curve["impressions"]
    order = {str(i): i for i in range(1, 11)} | {"11-20": 11, "21+": 21}
    return curve.sort_values("bucket", key=lambda b: b.map(order)).reset_index(drop=True)


def below_curve(items: pd.DataFrame, curve: pd.DataFrame, key: str) -> pd.DataFrame:
    """``items`` whose CTR is far below the site's curve at their position, most missed clicks first:
    ``key``, position, impressions, clicks, ctr, ``expected_ctr``, ``missed_clicks``, ``p_value``."""
    columns = [key, "position", "impressions", "clicks", "ctr", "expected_ctr", "missed_clicks", "p_value"]
    rated = items.dropna(subset=["position"])
    rated = rated[rated["impressions"] >= MIN_IMPRESSIONS]
    if rated.empty or curve.empty:
        return pd.DataFrame(columns=columns)
    expected = rated.assign(bucket=_bucket(rated["position"])).merge(
        curve[["bucket", "ctr"]].rename(columns={"ctr": "expected_ctr"}), on="bucket")
    expected["missed_clicks"] = expected["impressions"] * expected["expected_ctr"] - expected["clicks"]
    expected["p_value"] = [float(stats.binom.cdf(c, int(n), e)) if e > 0 else np.nan
                           for c, n, e in zip(expected["clicks"], expected["impressions"], expected["expected_ctr"],
                                              strict=True)]
    far = expected[(expected["ctr"] < expected["expected_ctr"] / 2) & (expected["p_value"] < 0.05)]
    return far.sort_values("missed_clicks", ascending=False)[columns].reset_index(drop=True)


def brand_terms(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The brand's names and handles as a query would spell them: lower case, without the handle's @."""
    terms = {str(t).lower().lstrip("@").strip() for (t,) in con.execute("SELECT term FROM brand_terms").fetchall()}
    return sorted(t for t in terms if t)


def brand_split(queries: pd.DataFrame, terms: list[str]) -> pd.DataFrame:
    """``queries`` totalled into ``branded`` (naming a brand term, spaces ignored) and ``unbranded``."""
    if queries.empty:
        return pd.DataFrame(columns=["segment", "queries", "clicks", "impressions", "ctr", "position"])
    squeezed = queries["query"].str.replace(" ", "", regex=False)
    branded = pd.Series(False, index=queries.index)
    for term in terms:
        branded |= squeezed.str.contains(term.replace(" ", ""), regex=False)
    frame = queries.assign(segment=np.where(branded, "branded", "unbranded"),
                           weighted=queries["position"] * queries["impressions"])
    out = frame.groupby("segment", as_index=False).agg(
        queries=("query", "size"), clicks=("clicks", "sum"), impressions=("impressions", "sum"),
        weighted=("weighted", "sum"))
    out["ctr"] = out["clicks"] / out["impressions"]
    out["position"] = out["weighted"] / out["impressions"]
    return out.drop(columns="weighted")


@dataclass
class SearchPerformance:
    """Everything the search section shows, over ``period`` and beside ``against`` (the comparison period)."""

    has_data: bool
    missing: str = ""
    period: Period | None = None
    against: Period | None = None
    spec: str = "previous"
    # per day over both periods and any days between them
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)
    totals: Comparison | None = None
    pages: Comparison | None = None
    queries: Comparison | None = None
    brand: Comparison | None = None
    brand_terms: list[str] = field(default_factory=list)
    page_curve: pd.DataFrame = field(default_factory=pd.DataFrame)
    query_curve: pd.DataFrame = field(default_factory=pd.DataFrame)
    page_opportunities: pd.DataFrame = field(default_factory=pd.DataFrame)
    query_opportunities: pd.DataFrame = field(default_factory=pd.DataFrame)

    def movers(self, which: str, rising: bool, limit: int = SHOWN) -> pd.DataFrame:
        """The ``pages`` or ``queries`` whose clicks rose (or fell) most from the comparison period."""
        table = self.pages if which == "pages" else self.queries
        if table is None or not table.before_has_data:
            return pd.DataFrame()
        frame = table.frame.dropna(subset=["clicks_change"])
        moved = frame[frame["clicks_change"] > 0] if rising else frame[frame["clicks_change"] < 0]
        return moved.sort_values("clicks_change", ascending=not rising, kind="stable").head(limit)


def _totals(daily: pd.DataFrame) -> pd.DataFrame:
    clicks, impressions = float(daily["clicks"].sum()), float(daily["impressions"].sum())
    position = float((daily["position"] * daily["impressions"]).sum()) / impressions if impressions else None
    return pd.DataFrame([{"clicks": clicks, "impressions": impressions,
                          "ctr": clicks / impressions if impressions else None, "position": position}])


def search_performance(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> SearchPerformance:
    """The search section's numbers over ``filters``' period beside its comparison (``filters.compare``, or the
    previous period); without ``--from``/``--to`` the period is the Search Console data's last 28 days (its later
    half when it holds under 56 days)."""
    span = search_span(con)
    if span is None:
        return SearchPerformance(False, f"No Search Console data has been imported: run {FILL_COMMANDS}.")
    base = filters or NO_FILTERS
    asked = base if base.compare else Filters(base.start, base.end, base.platforms, "previous")
    period, against = resolve(con, asked, span)
    now_f, before_f = period.narrow(base), against.narrow(base)
    now_daily = site_daily(con, now_f)
    if now_daily.empty or not now_daily["impressions"].sum():
        return SearchPerformance(
            False, f"No Search Console data from {period.describe()} (it holds {span[0]} to {span[1]}): choose "
            f"days it covers, or import them with {FILL_COMMANDS}.", period, against, str(asked.compare))
    spec = str(asked.compare)
    before_daily = site_daily(con, before_f)
    # the trend spans both periods (and any days between), so the chart shows what is compared with what
    trend = site_daily(con, replace(base, start=min(period.start, against.start), end=max(period.end, against.end)))
    has_before = bool(before_daily["impressions"].sum()) if not before_daily.empty else False
    pages_now, pages_before = page_search(con, now_f), page_search(con, before_f)
    queries_now, queries_before = query_search(con, now_f), query_search(con, before_f)
    terms = brand_terms(con)
    pages = compare_frames(pages_now, pages_before, ["page"], SEARCH_METRICS, period, against, spec,
                           "Search Console data", has_before)
    pages.frame = pages.frame.merge(pages_now[["page", "posts", "social_clicks", "social_sessions"]], on="page",
                                    how="left").fillna({"posts": 0, "social_clicks": 0, "social_sessions": 0})
    page_curve, query_curve = ctr_curve(pages_now), ctr_curve(queries_now)
    return SearchPerformance(
        True, "", period, against, spec, trend,
        totals=compare_frames(_totals(now_daily), _totals(before_daily), [], SEARCH_METRICS, period, against, spec,
                              "Search Console data", has_before),
        pages=pages,
        queries=compare_frames(queries_now, queries_before, ["query"], SEARCH_METRICS, period, against, spec,
                               "Search Console data", has_before),
        brand=compare_frames(brand_split(queries_now, terms), brand_split(queries_before, terms), ["segment"],
                             [Metric("queries", "level"), *SEARCH_METRICS], period, against, spec,
                             "Search Console data", has_before) if terms and not queries_now.empty else None,
        brand_terms=terms,
        page_curve=page_curve, query_curve=query_curve,
        page_opportunities=below_curve(pages_now, page_curve, "page"),
        query_opportunities=below_curve(queries_now, query_curve, "query"),
    )
