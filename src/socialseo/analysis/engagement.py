"""Engagement per channel and platform: sessions, bounce rate, session duration, pages per session.

These are the numbers behind the claim that social visitors are (or are not) engaged visitors, so each is
defined as web analytics tools define it: a bounce is a single-page-view session; duration is first to last page
view (a bounce lasts 0 s); pages per session counts page views only.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from socialseo.analysis.filters import NO_FILTERS, Filters
from socialseo.errors import SocialSeoError

_GROUPINGS = {
    None: ["channel", "platform"],
    "platform": ["channel", "platform"],
    "landing": ["channel", "platform", "landing_page"],
    "day": ["CAST(start_ts AS DATE) AS day", "channel", "platform"],
    "landing-day": ["CAST(start_ts AS DATE) AS day", "channel", "platform", "landing_page"],
}


_SESSION_DAY = "CAST(start_ts AS DATE)"


def _where(filters: Filters | None) -> tuple[str, list[object]]:
    return (filters or NO_FILTERS).where(date_column=_SESSION_DAY, platform_column="platform")


def channel_engagement(
    con: duckdb.DuckDBPyConnection, by: str | None = None, filters: Filters | None = None
) -> pd.DataFrame:
    """Sessions and engagement per channel × platform (optionally × landing page, × day, or both).

    Columns: the grouping columns, ``sessions``, ``share`` (of all sessions), ``bounce_rate``,
    ``avg_duration_s``, ``pages_per_session``.
    """
    if by not in _GROUPINGS:
        raise SocialSeoError(f"unknown grouping {by!r}; choose one of: platform, landing, day, landing-day")
    select = ", ".join(_GROUPINGS[by])
    keys = ", ".join(str(i + 1) for i in range(len(_GROUPINGS[by])))
    where, params = _where(filters)
    sql = f"""
        SELECT {select},
            count(*) AS sessions,
            count(*) / sum(count(*)) OVER () AS share,
            avg(CAST(is_bounce AS DOUBLE)) AS bounce_rate,
            avg(duration_s) AS avg_duration_s,
            avg(pageviews) AS pages_per_session
        FROM sessions
        WHERE {where}
        GROUP BY {keys}
        ORDER BY {'1, ' if by in ('day', 'landing-day') else ''}sessions DESC
    """
    return con.execute(sql, params).df()


def social_sessions_by_day(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Daily social referral sessions per platform, for the traffic-over-time chart."""
    where, params = _where(filters)
    return con.execute(
        f"""
        SELECT CAST(start_ts AS DATE) AS day, coalesce(platform, 'unknown') AS platform, count(*) AS sessions
        FROM sessions WHERE channel = 'social' AND {where}
        GROUP BY ALL ORDER BY day, platform
        """,
        params,
    ).df()


def channel_sessions_by_day(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Daily sessions per channel: the channel mix over time."""
    where, params = _where(filters)
    return con.execute(
        f"SELECT CAST(start_ts AS DATE) AS day, channel, count(*) AS sessions FROM sessions WHERE {where} "
        "GROUP BY ALL ORDER BY day, channel",
        params,
    ).df()


def session_filter(filters: Filters | None) -> tuple[str, list[object]]:
    """The SQL condition on ``sessions`` for ``filters``, for sections that query sessions themselves."""
    return _where(filters)
