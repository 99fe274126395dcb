"""The page x day panel every impact analysis reads, and the shared pieces built on it.

Every analysis is a function over a pandas DataFrame with the columns of :data:`PANEL_COLUMNS` (the ``page_daily``
table), so it does not care how the table was filled. :func:`load_panel` reads ``page_daily``, which
:mod:`socialseo.analysis.timeline` rebuilds after every import.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd

PANEL_COLUMNS: tuple[str, ...] = (
    "page", "date", "social_posts", "social_engagement", "social_link_clicks", "social_impressions",
    "social_sessions", "social_bounce_rate", "backlinks_new", "search_clicks", "search_impressions", "search_ctr",
    "search_position",
)
PLATFORM_COLUMNS: tuple[str, ...] = ("page", "date", "platform", "posts", "engagement", "link_clicks", "sessions")

Matrix = npt.NDArray[np.float64]


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'", [name]
    ).fetchone()
    return bool(row and row[0])


def load_panel(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The page x day panel: the ``page_daily`` table, which every import keeps up to date.

    Pages with neither search nor social activity (only backlinks) are left out: they say nothing about search,
    and as all-zero "controls" they would change the estimates whenever a backlink export was imported.
    """
    frame = con.execute(
        f"SELECT {', '.join(PANEL_COLUMNS)} FROM page_daily WHERE page IN (SELECT page FROM page_daily GROUP BY page "
        "HAVING sum(search_impressions) + sum(search_clicks) + sum(social_posts) + sum(social_sessions) "
        "+ sum(social_engagement) > 0) ORDER BY page, date"
    ).df()
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def load_platform_panel(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Posts and social sessions per page, day and platform: the ``page_daily_platform`` table."""
    frame = con.execute(f"SELECT {', '.join(PLATFORM_COLUMNS)} FROM page_daily_platform").df()
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


@dataclass(frozen=True)
class Grid:
    """The panel as dense page x day matrices: the shape every vectorised analysis works on."""

    pages: npt.NDArray[np.object_]
    dates: pd.DatetimeIndex
    frame: pd.DataFrame

    def matrix(self, column: str) -> Matrix:
        values = self.frame[column].astype("float64").to_numpy()
        return np.asarray(values.reshape(len(self.pages), len(self.dates)), dtype=np.float64)


def to_grid(panel: pd.DataFrame) -> Grid:
    """Complete the panel to every page x day (missing counts are zero) and sort it page-major."""
    dates = pd.date_range(panel["date"].min(), panel["date"].max(), freq="D")
    pages = np.sort(panel["page"].unique())
    full = pd.MultiIndex.from_product([pages, dates], names=["page", "date"])
    frame = panel.drop_duplicates(["page", "date"]).set_index(["page", "date"]).reindex(full)
    counts = [c for c in frame.columns if c not in ("social_bounce_rate", "search_ctr", "search_position")]
    frame[counts] = frame[counts].fillna(0)
    return Grid(pages=pages, dates=dates, frame=frame.reset_index())


def segment_of(pages: pd.Series | npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """The content segment of a page key or URL: its first path component (``/blog/x`` -> ``blog``)."""
    paths = pd.Series(pages, dtype="object").str.replace(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*", "", regex=True)
    first = paths.str.strip("/").str.split("/").str[0].fillna("")
    return np.asarray(first.where(first != "", "home"), dtype=object)


def detect_spikes(
    grid: Grid, *, min_posts: int = 3, post_window: int = 14, min_sessions: int = 20, session_window: int = 7
) -> npt.NDArray[np.int64]:
    """Day index of each page's first social spike, -1 for none.

    A spike is a burst: at least ``min_posts`` posts linking the page within ``post_window`` days, or at least
    ``min_sessions`` social sessions within ``session_window`` days (for sites without post exports). The spike is
    dated to the first social day of the burst, not the day the threshold was crossed, so that the days a burst
    was building up are not mistaken for the time before it.
    """
    first = np.full(len(grid.pages), -1, dtype=np.int64)
    for column, threshold, window in (
        ("social_posts", min_posts, post_window),
        ("social_sessions", min_sessions, session_window),
    ):
        values = grid.matrix(column)
        cumulative = np.cumsum(values, axis=1)
        shifted = np.concatenate([np.zeros((len(values), window)), cumulative[:, :-window]], axis=1)
        crossed = (cumulative - shifted[:, : values.shape[1]]) >= threshold
        has = crossed.any(axis=1)
        t_cross = np.argmax(crossed, axis=1)
        # first active day at or after the start of the window that crossed the threshold
        days = np.arange(values.shape[1])
        active_day = np.where(values > 0, days, values.shape[1])
        next_active = np.minimum.accumulate(active_day[:, ::-1], axis=1)[:, ::-1]
        start = next_active[np.arange(len(values)), np.maximum(t_cross - window + 1, 0)]
        candidate = np.where(has, start, -1)
        first = np.where((first < 0) | ((candidate >= 0) & (candidate < first)), candidate, first)
    return first


def any_social(grid: Grid) -> npt.NDArray[np.bool_]:
    """Pages with any post, social session or engagement in the panel: never usable as controls."""
    total = grid.matrix("social_posts") + grid.matrix("social_sessions") + grid.matrix("social_engagement")
    return np.asarray(total.sum(axis=1) > 0)
