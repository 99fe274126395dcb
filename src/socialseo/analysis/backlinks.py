"""Questions over the backlink inventory and the mentions: per platform, per target page, over time.

All of it is SQL over ``backlinks``, ``mentions`` and ``sessions``; each function returns a pandas DataFrame.
"""

from __future__ import annotations

import duckdb
import pandas as pd

_NOFOLLOW = "list_contains(string_split(coalesce(rel, ''), ' '), '{}')"


def backlink_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per source platform (``(other sites)`` for non-social): links, referring pages and domains, rel shares."""
    return con.execute(
        f"""
        SELECT coalesce(source_platform, '(other sites)') AS platform, count(*) AS backlinks,
               count(DISTINCT source_url) AS referring_pages, count(DISTINCT source_domain) AS referring_domains,
               count(DISTINCT target_page) AS target_pages,
               avg(is_followed::INT) AS followed_share,
               avg(({_NOFOLLOW.format('nofollow')})::INT) AS nofollow_share,
               avg(({_NOFOLLOW.format('ugc')})::INT) AS ugc_share,
               avg(({_NOFOLLOW.format('sponsored')})::INT) AS sponsored_share,
               sum(lost::INT) AS lost
        FROM backlinks GROUP BY 1 ORDER BY backlinks DESC, platform
        """
    ).df()


def backlinks_over_time(con: duckdb.DuckDBPyConnection, period: str = "month") -> pd.DataFrame:
    """New links (by first seen) and lost links (by last seen) per platform and period."""
    if period not in ("day", "week", "month", "year"):
        raise ValueError("period must be day, week, month or year")
    return con.execute(
        f"""
        WITH events AS (
            SELECT coalesce(source_platform, '(other sites)') AS platform, date_trunc('{period}', first_seen) AS p,
                   1 AS new, 0 AS lost FROM backlinks WHERE first_seen IS NOT NULL
            UNION ALL
            SELECT coalesce(source_platform, '(other sites)'), date_trunc('{period}', last_seen), 0, 1
            FROM backlinks WHERE lost AND last_seen IS NOT NULL)
        SELECT p::DATE AS period, platform, sum(new) AS new, sum(lost) AS lost FROM events
        GROUP BY 1, 2 ORDER BY 1, 2
        """
    ).df()


def top_anchors(con: duckdb.DuckDBPyConnection, limit: int = 10) -> pd.DataFrame:
    """The most frequent anchor texts per platform (case-folded)."""
    return con.execute(
        """
        SELECT platform, anchor, links FROM (
            SELECT coalesce(source_platform, '(other sites)') AS platform, lower(trim(anchor)) AS anchor,
                   count(*) AS links,
                   row_number() OVER (PARTITION BY coalesce(source_platform, '(other sites)')
                                      ORDER BY count(*) DESC, lower(trim(anchor))) AS rank
            FROM backlinks WHERE coalesce(trim(anchor), '') <> '' GROUP BY 1, 2)
        WHERE rank <= ? ORDER BY platform, links DESC, anchor
        """,
        [limit],
    ).df()


def target_pages(con: duckdb.DuckDBPyConnection, limit: int = 50) -> pd.DataFrame:
    """Per target page: social backlinks (all, followed) and platforms, next to its social referral sessions."""
    return con.execute(
        """
        WITH links AS (
            SELECT target_page AS page, count(*) AS social_backlinks, sum(is_followed::INT) AS followed,
                   string_agg(DISTINCT source_platform, ', ' ORDER BY source_platform) AS platforms
            FROM backlinks WHERE source_platform IS NOT NULL AND NOT lost GROUP BY 1),
        visits AS (
            SELECT landing_page AS page, count(*) AS social_sessions FROM sessions WHERE channel = 'social'
            GROUP BY 1)
        SELECT l.page, l.social_backlinks, l.followed, l.platforms, coalesce(v.social_sessions, 0) AS social_sessions
        FROM links l LEFT JOIN visits v USING (page)
        ORDER BY l.social_backlinks DESC, social_sessions DESC, l.page LIMIT ?
        """,
        [limit],
    ).df()


def mention_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Linked and unlinked brand mentions per platform and kind of source."""
    return con.execute(
        """
        SELECT coalesce(platform, '(other sites)') AS platform, source_kind,
               count(DISTINCT source_url) FILTER (WHERE is_linked) AS linked,
               count(DISTINCT source_url) FILTER (WHERE NOT is_linked) AS unlinked
        FROM mentions GROUP BY 1, 2 ORDER BY unlinked DESC, platform
        """
    ).df()


def link_opportunities(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Pages (not social posts, which only their authors can edit) that name the brand without linking to the site."""
    return con.execute(
        """
        SELECT source_url, coalesce(platform, '(other sites)') AS platform, source_domain,
               string_agg(DISTINCT term, ', ' ORDER BY term) AS terms, any_value(snippet) AS snippet,
               max(seen_at) AS seen_at
        FROM mentions WHERE NOT is_linked AND source_kind IN ('page', 'warc')
        GROUP BY source_url, platform, source_domain ORDER BY seen_at DESC NULLS LAST, source_url
        """
    ).df()
