"""``page_daily``: one row per page of the site and day, with everything social and search did that day.

This is the table the impact analysis reads, so it is materialised (rebuilt inside one transaction after every
import) and complete: every page has a row for every day from its first to its last observed day inside the
window, zeros where nothing happened.

**One page key across sources.** Search Console names pages by absolute URL, the access log by path, posts by
whatever URL they link to. All become the page key of :func:`socialseo.classify.urls.page_key`: the path and
query (tracking parameters dropped, trailing slash dropped), the same key ``sessions.landing_page``,
``hits``' page and ``backlinks.target_page`` hold, so the tables join. A URL on any of the site's hosts
(``sites``, Search Console's hosts, and their www/non-www twins) is a page of the site; URLs on other sites stay
out.

**One window: the search window.** The impact analyses compare search before and after social activity, so the
table spans the days Search Console covers (the ``page_daily_from`` / ``page_daily_to`` settings narrow or move
it). Posts and sessions outside it are left out; backlinks first seen before it are counted on its first day, as
already there. A source with no search days (years of backlink history) therefore cannot stretch the panel with
days of zero search, which would change every estimate. Without any search data the window is the span of the
other sources, so the timeline still shows them.

**One calendar.** Search Console's days are Pacific days and cannot be re-cut, so posts and sessions are
counted on the Pacific day of their UTC timestamp too (``page_daily_timezone`` setting to change it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from socialseo.classify.hosts import site_host_set
from socialseo.classify.urls import page_key_sql
from socialseo.store.warehouse import atomic

DEFAULT_TIMEZONE = "America/Los_Angeles"
_HOST_SQL = "lower(regexp_extract({0}, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#:]*)', 1))"


def _setting(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def canonical_origin(con: duckdb.DuckDBPyConnection) -> tuple[str | None, frozenset[str]]:
    """The site's canonical origin (``https://www.example.com``) and all of its hosts."""
    gsc = con.execute(
        f"SELECT {_HOST_SQL.format('page_url')} AS host, count(*) FROM (SELECT DISTINCT page_url FROM "
        "search_performance WHERE page_url IS NOT NULL) GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    sites = [str(r[0]) for r in con.execute("SELECT host FROM sites ORDER BY added_at, host").fetchall()]
    hosts = site_host_set([str(h) for h, _ in gsc if h] + sites)
    first = next((str(h) for h, _ in gsc if h), None) or (sites[0] if sites else None)
    return (f"https://{first}" if first else None), hosts


_SOURCES = """
CREATE OR REPLACE TEMP TABLE _posts_day AS
SELECT {post_page} AS page,
       CAST((p.published_at AT TIME ZONE 'UTC') AT TIME ZONE '{tz}' AS DATE) AS date,
       p.platform,
       coalesce(m.likes, 0) + coalesce(m.comments, 0) + coalesce(m.shares, 0) + coalesce(m.saves, 0) AS engagement,
       coalesce(m.link_clicks, 0) AS link_clicks, coalesce(m.impressions, 0) AS impressions
FROM social_posts p
LEFT JOIN (  -- a post's lifetime row, else the sum of its daily rows
    SELECT platform, post_id,
        coalesce(max(likes) FILTER (WHERE metric_date IS NULL), sum(likes)) AS likes,
        coalesce(max(comments) FILTER (WHERE metric_date IS NULL), sum(comments)) AS comments,
        coalesce(max(shares) FILTER (WHERE metric_date IS NULL), sum(shares)) AS shares,
        coalesce(max(saves) FILTER (WHERE metric_date IS NULL), sum(saves)) AS saves,
        coalesce(max(link_clicks) FILTER (WHERE metric_date IS NULL), sum(link_clicks)) AS link_clicks,
        coalesce(max(impressions) FILTER (WHERE metric_date IS NULL), sum(impressions)) AS impressions
    FROM social_post_metrics GROUP BY ALL
) m USING (platform, post_id)
WHERE p.linked_page IS NOT NULL AND p.published_at IS NOT NULL
  AND ({no_hosts} OR {post_host} IN (SELECT host FROM _our_hosts));

CREATE OR REPLACE TEMP TABLE _sessions_day AS
SELECT {session_page} AS page,
       CAST((start_ts AT TIME ZONE 'UTC') AT TIME ZONE '{tz}' AS DATE) AS date,
       coalesce(platform, 'unknown') AS platform, is_bounce
FROM sessions WHERE channel = 'social' AND landing_page IS NOT NULL;

CREATE OR REPLACE TEMP TABLE _search_day AS
WITH per_url AS (
    SELECT page_url, date, dims, sum(clicks) AS clicks, sum(impressions) AS impressions,
           sum(position_sum) AS position_sum
    FROM search_performance
    WHERE aggregation = 'page' AND page_url IS NOT NULL AND coalesce(search_type, 'web') = 'web'
    GROUP BY ALL
),
keys AS (  -- the page key of each distinct URL, not of every row
    SELECT page_url, {search_page} AS page FROM (SELECT DISTINCT page_url FROM per_url)
),
per_dims AS (
    SELECT k.page, u.date, u.dims, sum(u.clicks) AS clicks, sum(u.impressions) AS impressions,
           sum(u.position_sum) AS position_sum
    FROM per_url u JOIN keys k USING (page_url) GROUP BY ALL
)
-- Several exports may cover one page-day (API rows by page and bulk rows by query): take one, never their sum,
-- preferring rows without the query dimension (they include anonymised queries) and then the most complete.
SELECT page, date, clicks, impressions, position_sum FROM per_dims
QUALIFY row_number() OVER (PARTITION BY page, date ORDER BY dims LIKE '%query%', impressions DESC, dims) = 1;

CREATE OR REPLACE TEMP TABLE _backlinks_day AS
SELECT {backlink_page} AS page, CAST(first_seen AS DATE) AS date, count(*) AS backlinks
FROM backlinks
WHERE source_platform IS NOT NULL AND first_seen IS NOT NULL AND target_url IS NOT NULL
  AND ({no_hosts} OR {backlink_host} IN (SELECT host FROM _our_hosts))
GROUP BY ALL;

"""

_FILL = """
DELETE FROM _posts_day WHERE date < DATE '{first}' OR date > DATE '{last}';
DELETE FROM _sessions_day WHERE date < DATE '{first}' OR date > DATE '{last}';
DELETE FROM _search_day WHERE date < DATE '{first}' OR date > DATE '{last}';
DELETE FROM _backlinks_day WHERE date > DATE '{last}';
CREATE OR REPLACE TEMP TABLE _backlinks_in AS  -- first seen before the window: already there on its first day
SELECT page, greatest(date, DATE '{first}') AS date, sum(backlinks) AS backlinks FROM _backlinks_day GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE _span AS
SELECT page, min(date) AS first_day, max(date) AS last_day FROM (
    SELECT page, date FROM _posts_day UNION ALL SELECT page, date FROM _sessions_day
    UNION ALL SELECT page, date FROM _search_day UNION ALL SELECT page, date FROM _backlinks_in
) WHERE page IS NOT NULL AND date IS NOT NULL GROUP BY page;

DELETE FROM page_daily;
INSERT INTO page_daily
WITH grid AS (
    SELECT page, CAST(unnest(generate_series(first_day, last_day, INTERVAL 1 DAY)) AS DATE) AS date FROM _span
),
posts AS (SELECT page, date, count(*) AS n, sum(engagement) AS engagement, sum(link_clicks) AS link_clicks,
                 sum(impressions) AS impressions FROM _posts_day GROUP BY ALL),
visits AS (SELECT page, date, count(*) AS n, avg(CAST(is_bounce AS DOUBLE)) AS bounce FROM _sessions_day GROUP BY ALL)
SELECT g.page, g.date,
    coalesce(p.n, 0), coalesce(p.engagement, 0), coalesce(p.link_clicks, 0), coalesce(p.impressions, 0),
    coalesce(v.n, 0), v.bounce, coalesce(b.backlinks, 0),
    coalesce(s.clicks, 0), coalesce(s.impressions, 0),
    CASE WHEN s.impressions > 0 THEN s.clicks / s.impressions END,
    CASE WHEN s.impressions > 0 THEN s.position_sum / s.impressions END
FROM grid g
LEFT JOIN posts p USING (page, date) LEFT JOIN visits v USING (page, date)
LEFT JOIN _search_day s USING (page, date) LEFT JOIN _backlinks_in b USING (page, date)
ORDER BY g.page, g.date;

DELETE FROM page_daily_platform;
INSERT INTO page_daily_platform
SELECT page, date, platform, sum(posts), sum(engagement), sum(link_clicks), sum(sessions) FROM (
    SELECT page, date, platform, 1 AS posts, engagement, link_clicks, 0 AS sessions FROM _posts_day
    UNION ALL
    SELECT page, date, platform, 0, 0, 0, 1 FROM _sessions_day
) WHERE page IS NOT NULL GROUP BY ALL ORDER BY ALL;

DROP TABLE _posts_day; DROP TABLE _sessions_day; DROP TABLE _search_day; DROP TABLE _backlinks_day;
DROP TABLE _backlinks_in; DROP TABLE _span; DROP TABLE _our_hosts;
"""


@dataclass(frozen=True)
class Window:
    """The days ``page_daily`` covers and what decided them (``search``, ``setting`` or ``other sources``)."""

    first: date | None
    last: date | None
    basis: str


def _day_setting(con: duckdb.DuckDBPyConnection, key: str) -> date | None:
    value = _setting(con, key)
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None  # a setting that is not a date narrows nothing; the search window stands


def _window(con: duckdb.DuckDBPyConnection) -> Window:
    """The search days, narrowed or moved by the settings; the other sources' span when there is no search."""
    row = con.execute("SELECT min(date), max(date) FROM _search_day").fetchone()
    first, last = (row or (None, None))
    basis = "search"
    if first is None:
        row = con.execute(
            "SELECT min(date), max(date) FROM (SELECT date FROM _posts_day UNION ALL SELECT date FROM _sessions_day "
            "UNION ALL SELECT date FROM _backlinks_day)"
        ).fetchone()
        first, last = (row or (None, None))
        basis = "other sources"
    set_first, set_last = _day_setting(con, "page_daily_from"), _day_setting(con, "page_daily_to")
    if set_first or set_last:
        first, last, basis = set_first or first, set_last or last, "setting"
    return Window(first, last, basis)


def rebuild_page_daily(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild ``page_daily`` and ``page_daily_platform`` in one transaction; returns the number of rows."""
    with atomic(con):
        build_page_daily(con)
    row = con.execute("SELECT count(*) FROM page_daily").fetchone()
    return int(row[0]) if row else 0


def build_page_daily(con: duckdb.DuckDBPyConnection) -> None:
    """Replace ``page_daily`` and ``page_daily_platform`` in the caller's transaction."""
    origin, hosts = canonical_origin(con)
    tz = (_setting(con, "page_daily_timezone") or DEFAULT_TIMEZONE).replace("'", "")
    no_hosts = "true" if origin is None else "false"
    sources = _SOURCES.format(
        tz=tz,
        no_hosts=no_hosts,
        post_page=page_key_sql("p.linked_page"),
        post_host=_HOST_SQL.format("p.linked_page"),
        session_page="landing_page",
        search_page=page_key_sql("page_url"),
        backlink_page=page_key_sql("target_url"),
        backlink_host=_HOST_SQL.format("target_url"),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE _our_hosts AS SELECT unnest(?::VARCHAR[]) AS host", [sorted(hosts)])
    con.execute(sources)
    window = _window(con)
    first = (window.first or date.min).isoformat()
    last = (window.last or date.max).isoformat()
    con.execute(_FILL.format(first=first, last=last))


def page_daily_window(con: duckdb.DuckDBPyConnection) -> Window:
    """The days ``page_daily`` holds and why: the search window, a setting, or the other sources without search."""
    row = con.execute("SELECT min(date), max(date) FROM page_daily").fetchone()
    first, last = (row or (None, None))
    if _day_setting(con, "page_daily_from") or _day_setting(con, "page_daily_to"):
        basis = "setting"
    else:
        has_search = con.execute(
            "SELECT count(*) FROM search_performance WHERE aggregation = 'page' AND page_url IS NOT NULL"
        ).fetchone()
        basis = "search" if has_search and has_search[0] else "other sources"
    return Window(first, last, basis)


def page_daily(con: duckdb.DuckDBPyConnection, page: str | None = None) -> pd.DataFrame:
    """The timeline, for all pages or one stored page key (resolve a user's spelling first, see ``pages``)."""
    if page is None:
        return con.execute("SELECT * FROM page_daily ORDER BY page, date").df()
    return con.execute("SELECT * FROM page_daily WHERE page = ? ORDER BY date", [page]).df()


def with_platforms(frame: pd.DataFrame, by_platform: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (``page_daily`` rows) with a ``platforms`` column: for each row, the platforms that touched the
    page that day, each with its posts, engagement, link clicks and social sessions (``{}`` for none, and for rows
    without a day, such as Search Console period totals)."""
    touched: dict[tuple[str, str | None], dict[str, dict[str, int]]] = {}
    records: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in by_platform.to_dict("records")]
    for record in records:
        day = pd.Timestamp(record["date"]).date().isoformat()
        touched.setdefault((str(record["page"]), day), {})[str(record["platform"])] = {
            name: int(record[name]) for name in ("posts", "engagement", "link_clicks", "sessions")}
    days = [None if d is None or pd.isna(d) else pd.Timestamp(d).date().isoformat() for d in frame["date"]]
    column = pd.Series([touched.get((str(p), d), {}) for p, d in zip(frame["page"], days, strict=True)],
                       index=frame.index, dtype=object)
    return frame.assign(platforms=column)
