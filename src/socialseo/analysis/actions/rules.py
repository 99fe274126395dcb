"""The built-in action rules. Each reads only schema-0001 columns and says which numbers triggered it.

Thresholds are named constants so a reader of an action can see where the line was drawn.
"""

from __future__ import annotations

import duckdb

from socialseo.analysis.actions.base import Action, rule
from socialseo.analysis.filters import Filters
from socialseo.classify.hosts import registered_domain
from socialseo.classify.urls import page_key_sql

RISING_WINDOW_DAYS = 28  # compare the last 28 days of search data with the 28 before
RISING_MIN_IMPRESSIONS = 100  # below this, a rise is noise
RISING_MIN_GROWTH = 0.20
PROMOTION_WINDOW_DAYS = 90
SHARED_MIN_SHARES = 10
MIN_PLATFORM_SESSIONS = 30  # fewer sessions than this say little about a platform's visitors
UNDERPOSTED_SHARE = 0.10
BOUNCE_GAP = 0.15  # a landing page bouncing this much more than social's average needs work
MIN_LANDING_SESSIONS = 20
MAX_ROWS = 20


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


@rule("rising-search-unpromoted", "pages with rising search impressions but no social promotion",
      needs=("search_performance",))
def rising_search_unpromoted(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[Action]:
    search_where, search_params = filters.where(date_column="date")
    post_where, post_params = filters.where(date_column="CAST(published_at AS DATE)", platform_column="platform")
    rows = con.execute(
        f"""
        WITH sp AS (
            -- A page's day can hold per-query rows and a page-total row; summing both would count twice, and
            -- per-query rows miss anonymised queries, so each day takes its largest total of one row kind.
            SELECT page, date, max(impressions) AS impressions FROM (
                SELECT {page_key_sql('page')} AS page, date, dims, sum(impressions) AS impressions
                FROM search_performance
                WHERE page IS NOT NULL AND aggregation IS DISTINCT FROM 'property' AND {search_where}
                GROUP BY ALL)
            GROUP BY page, date),
        last AS (SELECT max(date) AS d FROM sp),
        agg AS (
            SELECT page,
                coalesce(sum(impressions) FILTER (WHERE date > d - {RISING_WINDOW_DAYS}), 0) AS recent,
                coalesce(sum(impressions) FILTER (
                    WHERE date <= d - {RISING_WINDOW_DAYS} AND date > d - {2 * RISING_WINDOW_DAYS}), 0) AS before
            FROM sp, last GROUP BY page),
        promoted AS (
            SELECT DISTINCT {page_key_sql('linked_page')} AS page FROM social_posts, last
            WHERE linked_page IS NOT NULL AND published_at >= d - INTERVAL {PROMOTION_WINDOW_DAYS} DAY
              AND {post_where})
        SELECT page, before, recent, recent / before - 1 AS growth FROM agg
        WHERE recent >= ? AND before > 0 AND recent >= before * (1 + ?)
          AND page NOT IN (SELECT page FROM promoted)
        ORDER BY recent - before DESC, page LIMIT {MAX_ROWS}
        """,
        [*search_params, *post_params, RISING_MIN_IMPRESSIONS, RISING_MIN_GROWTH],
    ).fetchall()
    if not rows:
        return []
    top = rows[0]
    return [Action(
        "rising-search-unpromoted", "high",
        f"Promote {len(rows)} page(s) whose search impressions are rising on social media",
        f"Search impressions rose by at least {_pct(RISING_MIN_GROWTH)} in the last {RISING_WINDOW_DAYS} days "
        f"(e.g. {top[0]}: {top[1]:,} → {top[2]:,}, +{_pct(top[3])}) and none of these pages was linked from a "
        f"social post in the last {PROMOTION_WINDOW_DAYS} days of data.",
        ["page", f"impressions, previous {RISING_WINDOW_DAYS} days", f"last {RISING_WINDOW_DAYS} days", "growth"],
        [[p, f"{b:,}", f"{r:,}", f"+{_pct(g)}"] for p, b, r, g in rows],
    )]


@rule("shared-without-og-image", "pages shared a lot whose og:image is missing",
      needs=("social_posts", "social_post_metrics", "crawl_pages"))
def shared_without_og_image(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[Action]:
    where, params = filters.where(date_column="CAST(p.published_at AS DATE)", platform_column="p.platform")
    rows = con.execute(
        f"""
        WITH shared AS (
            SELECT {page_key_sql('p.linked_page')} AS page, sum(coalesce(m.shares, 0)) AS shares,
                   count(DISTINCT p.platform || p.post_id) AS posts
            FROM social_posts p JOIN social_post_metrics m USING (platform, post_id)
            WHERE p.linked_page IS NOT NULL AND {where} GROUP BY 1),
        crawled AS (
            SELECT {page_key_sql('coalesce(final_url, url)')} AS page, arg_max(opengraph, fetched_at) AS og
            FROM crawl_pages WHERE status BETWEEN 200 AND 299 GROUP BY 1)
        SELECT page, shares, posts FROM shared JOIN crawled USING (page)
        WHERE shares >= ? AND coalesce(json_extract_string(og, '$."og:image"'),
                                       json_extract_string(og, '$.image'), '') = ''
        ORDER BY shares DESC, page LIMIT {MAX_ROWS}
        """,
        [*params, SHARED_MIN_SHARES],
    ).fetchall()
    if not rows:
        return []
    return [Action(
        "shared-without-og-image", "high",
        f"Add an og:image to {len(rows)} page(s) people share",
        f"These pages were shared at least {SHARED_MIN_SHARES} times ({rows[0][0]}: {rows[0][1]:,} shares) but the "
        "crawl found no og:image, so platforms show them without a picture.",
        ["page", "shares", "posts"], [[p, f"{s:,}", f"{n:,}"] for p, s, n in rows],
    )]


@rule("engaged-platform-underposted", "a platform that sends engaged visitors but gets few posts",
      needs=("sessions", "social_posts"))
def engaged_platform_underposted(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[Action]:
    session_where, session_params = filters.where(date_column="CAST(start_ts AS DATE)", platform_column="platform")
    post_where, post_params = filters.where(date_column="CAST(published_at AS DATE)", platform_column="platform")
    rows = con.execute(
        f"""
        WITH eng AS (
            SELECT platform, count(*) AS sessions, avg(CAST(is_bounce AS DOUBLE)) AS bounce
            FROM sessions WHERE channel = 'social' AND platform IS NOT NULL AND {session_where}
            GROUP BY 1 HAVING count(*) >= ?),
        posts AS (SELECT platform, count(*) AS posts FROM social_posts WHERE {post_where} GROUP BY 1)
        SELECT e.platform, e.sessions, e.bounce, coalesce(p.posts, 0) AS posts,
               coalesce(coalesce(p.posts, 0) / nullif((SELECT sum(posts) FROM posts), 0), 0) AS post_share
        FROM eng e LEFT JOIN posts p USING (platform) ORDER BY e.bounce, e.platform
        """,
        [*session_params, MIN_PLATFORM_SESSIONS, *post_params],
    ).fetchall()
    if len(rows) < 2:
        return []
    platform, _, bounce, _, share = rows[0]
    average = sum(r[1] * r[2] for r in rows) / sum(r[1] for r in rows)
    if share >= UNDERPOSTED_SHARE:
        return []
    return [Action(
        "engaged-platform-underposted", "medium",
        f"Post more on {platform}",
        f"{platform} sends the most engaged social visitors (bounce rate {_pct(bounce)} against "
        f"{_pct(average)} for social platforms with at least {MIN_PLATFORM_SESSIONS} sessions) but gets "
        f"{_pct(share)} of your posts.",
        ["platform", "social sessions", "bounce rate", "posts", "share of posts"],
        [[p, f"{n:,}", _pct(b), f"{k:,}", _pct(s)] for p, n, b, k, s in rows],
    )]


@rule("unlinked-mentions", "posts that mention the site without linking to it", needs=("social_posts", "sites"))
def unlinked_mentions(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[Action]:
    # Python runs over the few site hosts only; the matching over posts stays in DuckDB.
    hosts = [r[0] for r in con.execute("SELECT host FROM sites").fetchall()]
    names = sorted({name for h in hosts for name in (h, registered_domain(h)) if name})
    if not names:
        return []
    where, params = filters.where(date_column="CAST(published_at AS DATE)", platform_column="platform")
    rows = con.execute(
        f"""
        SELECT platform, coalesce(post_url, post_id), CAST(published_at AS DATE), left(text, 140)
        FROM social_posts
        WHERE linked_url IS NULL AND linked_page IS NULL AND text IS NOT NULL AND {where}
          AND len(list_filter(?, lambda n: contains(lower(text), n))) > 0
        ORDER BY published_at DESC NULLS LAST LIMIT {MAX_ROWS}
        """,
        [*params, names],
    ).fetchall()
    if not rows:
        return []
    return [Action(
        "unlinked-mentions", "medium",
        f"Turn {len(rows)} unlinked mention(s) into links",
        f"These posts name {', '.join(names)} but carry no link to the site: edit them or reply with the link.",
        ["platform", "post", "published", "text"], [list(r) for r in rows],
    )]


@rule("bouncy-social-landing-pages", "landing pages social visitors leave at once", needs=("sessions",))
def bouncy_social_landing_pages(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[Action]:
    where, params = filters.where(date_column="CAST(start_ts AS DATE)", platform_column="platform")
    rows = con.execute(
        f"""
        WITH social AS (SELECT * FROM sessions WHERE channel = 'social' AND {where}),
        overall AS (SELECT avg(CAST(is_bounce AS DOUBLE)) AS b FROM social)
        SELECT landing_page, count(*) AS sessions, avg(CAST(is_bounce AS DOUBLE)) AS bounce, any_value(b) AS avg_b
        FROM social, overall WHERE landing_page IS NOT NULL GROUP BY landing_page
        HAVING count(*) >= ? AND avg(CAST(is_bounce AS DOUBLE)) >= any_value(b) + ?
        ORDER BY sessions * (bounce - avg_b) DESC, landing_page LIMIT {MAX_ROWS}
        """,
        [*params, MIN_LANDING_SESSIONS, BOUNCE_GAP],
    ).fetchall()
    if not rows:
        return []
    return [Action(
        "bouncy-social-landing-pages", "medium",
        f"Rework {len(rows)} landing page(s) for social visitors",
        f"Social visitors bounce from these pages at least {100 * BOUNCE_GAP:.0f} percentage points more often "
        f"than the social average of {_pct(rows[0][3])} "
        f"(e.g. {rows[0][0]}: {_pct(rows[0][2])} of {rows[0][1]:,} sessions).",
        ["landing page", "social sessions", "bounce rate"], [[p, f"{n:,}", _pct(b)] for p, n, b, _ in rows],
    )]


@rule("audit-errors", "audit findings of high severity", needs=("audit_findings",))
def audit_errors(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[Action]:
    del filters  # an audit describes the site as crawled, not a period or a platform
    rows = con.execute(
        f"""
        SELECT rule_id, count(DISTINCT url) AS pages, any_value(message), any_value(fix), min(url)
        FROM audit_findings WHERE lower(severity) IN ('error', 'critical', 'high')
        GROUP BY rule_id ORDER BY pages DESC, rule_id LIMIT {MAX_ROWS}
        """
    ).fetchall()
    if not rows:
        return []
    pages = sum(r[1] for r in rows)
    return [Action(
        "audit-errors", "high",
        f"Fix {len(rows)} kind(s) of error found by the audit",
        f"The audit found {pages:,} page-level errors; the most common is {rows[0][0]} on {rows[0][1]:,} page(s).",
        ["rule", "pages", "finding", "fix", "example"], [list(r) for r in rows],
    )]


@rule("lost-social-links", "links from social platforms that were lost", needs=("backlinks",))
def lost_social_links(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[Action]:
    where, params = filters.where(date_column="CAST(last_seen AS DATE)", platform_column="source_platform")
    rows = con.execute(
        f"""
        SELECT source_platform, source_url, target_url, CAST(last_seen AS DATE) FROM backlinks
        WHERE lost AND source_platform IS NOT NULL AND {where}
        ORDER BY last_seen DESC NULLS LAST, source_url LIMIT {MAX_ROWS}
        """,
        params,
    ).fetchall()
    if not rows:
        return []
    return [Action(
        "lost-social-links", "low",
        f"Restore {len(rows)} lost link(s) from social platforms",
        f"{len(rows)} links from social profiles or posts to the site were seen before and are gone now.",
        ["platform", "from", "to", "last seen"], [list(r) for r in rows],
    )]
