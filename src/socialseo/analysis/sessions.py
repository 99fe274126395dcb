"""Group human page views into sessions, the way web analytics tools do.

A session is one visitor's page views with no gap over 30 minutes; a hit that arrives from a new external source
(another referrer, campaign or dark-social signal) starts a new session even within 30 minutes, as Google Analytics
does. Assets and bots never start or extend a session. The visitor is the keyed hash of IP and user agent.

The session's channel is that of its first page view.
"""

from __future__ import annotations

import duckdb

from socialseo.store.warehouse import atomic

SESSION_TIMEOUT_MINUTES = 30

_SESSIONS_SQL = """
INSERT INTO sessions
WITH pv AS (
    SELECT visitor_id, ts, import_id, seq, page, channel, platform, evidence,
        CASE WHEN channel = 'internal' OR evidence = 'none' THEN NULL
             ELSE concat_ws('|', channel, platform, referrer_host, evidence) END AS source_key
    FROM hits WHERE is_pageview
),
gaps AS (
    SELECT *,
        CASE WHEN lag(ts) OVER v IS NULL OR ts - lag(ts) OVER v > INTERVAL {timeout} MINUTE
             THEN 1 ELSE 0 END AS after_gap
    FROM pv WINDOW v AS (PARTITION BY visitor_id ORDER BY ts, import_id, seq)
),
segments AS (
    SELECT *, sum(after_gap) OVER (
        PARTITION BY visitor_id ORDER BY ts, import_id, seq ROWS UNBOUNDED PRECEDING) AS segment
    FROM gaps
),
marked AS (
    -- Within a stretch of activity without a 30-minute gap, a hit from an external source different from the
    -- last external source seen in that stretch starts a new session; direct and internal hits never do.
    SELECT *,
        CASE WHEN after_gap = 1
              OR (source_key IS NOT NULL AND source_key IS DISTINCT FROM last_value(source_key IGNORE NULLS) OVER (
                    PARTITION BY visitor_id, segment ORDER BY ts, import_id, seq
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
             THEN 1 ELSE 0 END AS starts_session
    FROM segments
),
numbered AS (
    SELECT *, sum(starts_session) OVER (
        PARTITION BY visitor_id ORDER BY ts, import_id, seq ROWS UNBOUNDED PRECEDING) AS session_no
    FROM marked
)
SELECT
    visitor_id || '-' || session_no AS session_id,
    visitor_id,
    min(ts) AS start_ts,
    max(ts) AS end_ts,
    epoch(max(ts) - min(ts)) AS duration_s,
    count(*) AS pageviews,
    first.page AS landing_page,
    arg_max(page, (ts, import_id, seq)) AS exit_page,
    first.channel,
    first.platform,
    first.evidence,
    count(*) = 1 AS is_bounce
FROM (
    SELECT *, first_value({{'page': page, 'channel': channel, 'platform': platform, 'evidence': evidence}})
        OVER (PARTITION BY visitor_id, session_no ORDER BY ts, import_id, seq) AS first
    FROM numbered
)
GROUP BY visitor_id, session_no, first
"""


def rebuild_sessions(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute the ``sessions`` table from ``hits`` atomically; returns the number of sessions.

    Sessions are rebuilt as a whole because a newly imported log can extend sessions that began in an older one.
    """
    with atomic(con):
        build_sessions(con)
    row = con.execute("SELECT count(*) FROM sessions").fetchone()
    return int(row[0]) if row else 0


def build_sessions(con: duckdb.DuckDBPyConnection) -> None:
    """Replace ``sessions`` from ``hits`` in the caller's transaction (for a rebuild that commits with more)."""
    con.execute("DELETE FROM sessions")
    con.execute(_SESSIONS_SQL.format(timeout=SESSION_TIMEOUT_MINUTES))
