"""``page_daily``: one row per page of the site and day, with everything social and search did that day.

This is the table the impact analysis reads, so it is materialised (rebuilt inside one transaction after every
import) and complete: every page has a row for every day from its first to its last observed day, zeros where
nothing happened.

**One page key across sources.** Search Console names pages by absolute URL, the access log by path, posts by
whatever URL they link to. All become ``https://<canonical host><page key>``: the path and query as
:func:`socialseo.classify.urls.page_key` makes them (tracking parameters dropped, trailing slash dropped), on the
site's canonical host: the host most of Search Console's pages are on, else the first host of ``sites``. A URL on
any of the site's hosts (``sites``, Search Console's hosts, and their www/non-www twins) maps to it; URLs on other
sites are not pages of this site and stay out.

**One calendar.** Search Console's days are Pacific days and cannot be re-cut, so posts and sessions are
counted on the Pacific day of their UTC timestamp too (``page_daily_timezone`` setting to change it).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from socialseo.classify.hosts import site_host_set
from socialseo.classify.urls import normalize_url, page_key, page_key_sql
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


def _page_expr(column: str, origin: str | None) -> str:
    if origin is None:
        return column
    return f"'{origin}' || {page_key_sql(column)}"


_BUILD = """
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

CREATE OR REPLACE TEMP TABLE _span AS
SELECT page, min(date) AS first_day, max(date) AS last_day FROM (
    SELECT page, date FROM _posts_day UNION ALL SELECT page, date FROM _sessions_day
    UNION ALL SELECT page, date FROM _search_day UNION ALL SELECT page, date FROM _backlinks_day
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
LEFT JOIN _search_day s USING (page, date) LEFT JOIN _backlinks_day b USING (page, date)
ORDER BY g.page, g.date;

DELETE FROM page_daily_platform;
INSERT INTO page_daily_platform
SELECT page, date, platform, sum(posts), sum(engagement), sum(link_clicks), sum(sessions) FROM (
    SELECT page, date, platform, 1 AS posts, engagement, link_clicks, 0 AS sessions FROM _posts_day
    UNION ALL
    SELECT page, date, platform, 0, 0, 0, 1 FROM _sessions_day
) WHERE page IS NOT NULL GROUP BY ALL ORDER BY ALL;

DROP TABLE _posts_day; DROP TABLE _sessions_day; DROP TABLE _search_day; DROP TABLE _backlinks_day;
DROP TABLE _span; DROP TABLE _our_hosts;
"""


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
    sql = _BUILD.format(
        tz=tz,
        no_hosts=no_hosts,
        post_page=_page_expr("p.linked_page", origin),
        post_host=_HOST_SQL.format("p.linked_page"),
        session_page=f"'{origin}' || landing_page" if origin else "landing_page",
        search_page=_page_expr("page_url", origin) if origin else "page_url",
        backlink_page=_page_expr("target_url", origin),
        backlink_host=_HOST_SQL.format("target_url"),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE _our_hosts AS SELECT unnest(?::VARCHAR[]) AS host", [sorted(hosts)])
    con.execute(sql)


def page_daily(con: duckdb.DuckDBPyConnection, url: str | None = None) -> pd.DataFrame:
    """The timeline, for all pages or the page of ``url`` (any spelling of it: it is normalised the same way)."""
    if url is None:
        return con.execute("SELECT * FROM page_daily ORDER BY page, date").df()
    origin, _ = canonical_origin(con)
    key = (origin + page_key(url)) if origin else normalize_url(url)
    return con.execute("SELECT * FROM page_daily WHERE page = ? ORDER BY date", [key]).df()
