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

_PAGE_VIEWS_SQL = """
SELECT visitor_id, ts, page, channel, platform, evidence,
    CASE WHEN channel = 'internal' OR evidence = 'none' THEN NULL
         ELSE concat_ws('|', channel, platform, referrer_host, evidence) END AS source_key
FROM hits WHERE is_pageview
ORDER BY visitor_id, ts, import_id, seq
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
    views = pl.from_arrow(con.sql(_PAGE_VIEWS_SQL).to_arrow_table())
    assert isinstance(views, pl.DataFrame)
    if views.height:
        _sessions = session_rows(views).to_arrow()
        con.execute("INSERT INTO sessions BY NAME SELECT * FROM _sessions")


def session_rows(views: pl.DataFrame) -> pl.DataFrame:
    """The sessions of ``views``: page views sorted by visitor, then time (and their order in the log)."""
    n = views.height
    row = pl.int_range(0, pl.len(), dtype=pl.Int64)
    visitor, ts = pl.col("visitor_id"), pl.col("ts")
    marks = views.lazy().select(
        new_visitor=(visitor != visitor.shift(1)).fill_null(True),
        # A gap: the visitor's first page view, or more than the timeout after the one before.
        gap=(visitor != visitor.shift(1)).fill_null(True)
        | ts.shift(1).is_null()
        | ((ts - ts.shift(1)) > timedelta(minutes=SESSION_TIMEOUT_MINUTES)).fill_null(False),
        key=pl.col("source_key").cast(pl.Categorical).to_physical(),
        # The last row so far (this one included) whose page is known.
        page_row=pl.when(pl.col("page").is_not_null()).then(row).forward_fill(),
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
    number = so_far[first] - so_far[visitor_first[first]] + 1
    # The exit page is that of the session's last page view whose page is known (as DuckDB's arg_max reads it).
    exit_row = marks.get_column("page_row").fill_null(-1).to_numpy()[last]
    exit_known = exit_row >= first
    at_first = views.select("visitor_id", "ts", "page", "channel", "platform", "evidence")[first]
    pages = views.get_column("page")
    start_ts, end_ts = at_first.get_column("ts"), views.get_column("ts").gather(last)
    visitor_ids = at_first.get_column("visitor_id")
    return pl.DataFrame({
        "session_id": visitor_ids.cast(pl.String) + "-" + pl.Series(number).cast(pl.String),
        "visitor_id": visitor_ids,
        "start_ts": start_ts,
        "end_ts": end_ts,
        "duration_s": (end_ts - start_ts).dt.total_microseconds() / 1_000_000,
        "pageviews": pl.Series(last - first + 1).cast(pl.Int32),
        "landing_page": at_first.get_column("page"),
        "exit_page": pages.gather(np.where(exit_known, exit_row, 0)).scatter(np.flatnonzero(~exit_known), None),
        "channel": at_first.get_column("channel"),
        "platform": at_first.get_column("platform"),
        "evidence": at_first.get_column("evidence"),
        "is_bounce": pl.Series(last == first),
    })
