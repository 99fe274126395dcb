"""Group human page views into sessions, the way web analytics tools do.

A session is one visitor's page views with no gap over 30 minutes; a hit that arrives from a new external source
(another referrer, campaign or dark-social signal) starts a new session even within 30 minutes, as Google Analytics
does. Assets and bots never start or extend a session. The visitor is the keyed hash of IP and user agent.

The session's channel is that of its first page view.

How: DuckDB reads the page views sorted by visitor and time, once; every rule above is then a comparison of each
row with the row before it (Polars, no grouping), and each session is a run of consecutive rows, so its first and
last rows give its start, end, landing and exit without a hash aggregate. The equivalent SQL needed five window
passes, each sorting a million rows again, and a grouping over them.
"""

from __future__ import annotations

from datetime import timedelta

import duckdb
import numpy as np
import polars as pl

from socialseo.store.warehouse import atomic

SESSION_TIMEOUT_MINUTES = 30

# The page views of the ``hits`` view (migration 0014: its joins, its page-view rule), as numbers: the strings are
# joined to the sessions, a thousand times fewer rows on a real site, not read for every page view. An external
# source is compared by the hash of its key; ``_KEYS_COLLIDE`` checks that no two keys share one.
_SOURCE_KEY = """CASE WHEN t.channel = 'internal' OR t.evidence = 'none' THEN NULL
    ELSE concat_ws('|', t.channel, t.platform, r.referrer_host, t.evidence) END"""
_FROM = """FROM hit_rows h
JOIN hit_requests q ON q.request_id = h.request_id
JOIN hit_attributions t ON t.attribution_id = h.attribution_id
LEFT JOIN hit_referrers r ON r.referrer_id = h.referrer_id
WHERE h.is_pageview AND h.bot_rule IS NULL"""
_PAGE_VIEWS_SQL = f"""
SELECT h.visitor_id, h.ts, h.request_id, h.attribution_id, q.page IS NOT NULL AS has_page,
    {{key}} AS key
{_FROM}
ORDER BY h.visitor_id, h.ts, h.import_id, h.seq
"""
_KEYS_COLLIDE = f"""
SELECT count(DISTINCT k) <> count(DISTINCT hash(k)) FROM (SELECT DISTINCT {_SOURCE_KEY} AS k {_FROM})
WHERE k IS NOT NULL
"""
_INSERT_SQL = """
INSERT INTO sessions BY NAME
SELECT s.visitor_id || '-' || s.session_no AS session_id, s.visitor_id, s.start_ts, s.end_ts, s.duration_s,
    s.pageviews, landing.page AS landing_page, exit.page AS exit_page, t.channel, t.platform, t.evidence,
    s.is_bounce
FROM _sessions s
JOIN hit_requests landing ON landing.request_id = s.landing_request
LEFT JOIN hit_requests exit ON exit.request_id = s.exit_request
JOIN hit_attributions t ON t.attribution_id = s.attribution_id
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
    [(collide,)] = con.execute(_KEYS_COLLIDE).fetchall()
    code = f"dense_rank() OVER (ORDER BY {_SOURCE_KEY})" if collide else f"hash({_SOURCE_KEY})"
    key = f"CASE WHEN ({_SOURCE_KEY}) IS NOT NULL THEN {code} END"
    views = pl.from_arrow(con.sql(_PAGE_VIEWS_SQL.format(key=key)).to_arrow_table())
    assert isinstance(views, pl.DataFrame)
    if views.height:
        _sessions = session_rows(views).to_arrow()
        con.execute(_INSERT_SQL)


def session_rows(views: pl.DataFrame) -> pl.DataFrame:
    """The sessions of ``views`` (page views sorted by visitor, then time and their order in the log), with the
    request of their landing and exit pages and the attribution of their first page view."""
    n = views.height
    row = pl.int_range(0, pl.len(), dtype=pl.Int64)
    visitor, ts = pl.col("visitor_id"), pl.col("ts")
    marks = views.lazy().select(
        new_visitor=(visitor != visitor.shift(1)).fill_null(True),
        # A gap: the visitor's first page view, or more than the timeout after the one before.
        gap=(visitor != visitor.shift(1)).fill_null(True)
        | ts.shift(1).is_null()
        | ((ts - ts.shift(1)) > timedelta(minutes=SESSION_TIMEOUT_MINUTES)).fill_null(False),
        key=pl.col("key"),
        # The last row so far (this one included) whose page is known.
        page_row=pl.when(pl.col("has_page")).then(row).forward_fill(),
    ).with_columns(
        stretch_start=pl.when("gap").then(row).forward_fill(),
        keyed_before=pl.when(pl.col("key").is_not_null()).then(row).shift(1).forward_fill(),
    ).with_columns(
        # The last external source seen since the gap (this row not included), if any.
        source_before=pl.when(pl.col("keyed_before") >= pl.col("stretch_start"))
        .then(pl.col("key").gather(pl.col("keyed_before").fill_null(0))),
    ).select(
        "new_visitor", "page_row",
        # A new external source starts a session within a stretch of activity; direct and internal hits never do.
        starts=pl.col("gap") | (pl.col("key").is_not_null() & pl.col("key").ne_missing(pl.col("source_before"))),
    ).collect()
    starts = marks.get_column("starts").to_numpy()
    first = np.flatnonzero(starts)
    last = np.append(first[1:] - 1, n - 1)
    # A session's number within its visitor: sessions so far, less those begun before the visitor's first row.
    so_far = np.cumsum(starts)
    index = np.arange(n)
    visitor_first = np.maximum.accumulate(np.where(marks.get_column("new_visitor").to_numpy(), index, 0))
    # The exit page is that of the session's last page view whose page is known (as DuckDB's arg_max reads it).
    exit_row = marks.get_column("page_row").fill_null(-1).to_numpy()[last]
    exit_known = exit_row >= first
    at_first = views.select("visitor_id", "ts", "request_id", "attribution_id")[first]
    start_ts, end_ts = at_first.get_column("ts"), views.get_column("ts").gather(last)
    exit_request = views.get_column("request_id").gather(np.where(exit_known, exit_row, 0))
    return pl.DataFrame({
        "session_no": so_far[first] - so_far[visitor_first[first]] + 1,
        "visitor_id": at_first.get_column("visitor_id"),
        "start_ts": start_ts,
        "end_ts": end_ts,
        "duration_s": (end_ts - start_ts).dt.total_microseconds() / 1_000_000,
        "pageviews": pl.Series(last - first + 1).cast(pl.Int32),
        "landing_request": at_first.get_column("request_id"),
        "exit_request": exit_request.scatter(np.flatnonzero(~exit_known), None),
        "attribution_id": at_first.get_column("attribution_id"),
        "is_bounce": pl.Series(last == first),
    })
