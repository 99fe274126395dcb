"""The per-page timeline and Search Console's page totals, with page names in any spelling."""

from __future__ import annotations

import pandas as pd

from socialseo.analysis.filters import Filters
from socialseo.analysis.search_totals import (
    GRANULARITIES,
    page_period_totals,
    pages_listing,
    search_coverage,
    within,
)
from socialseo.analysis.timeline import Window, page_daily_window, rebuild_page_daily, with_platforms
from socialseo.errors import SocialSeoError
from socialseo.project.base import ProjectBase


class Pages(ProjectBase):
    """The per-page timeline and Search Console's page totals, with page names in any spelling."""

    def search_totals(self, url: str | None = None) -> pd.DataFrame:
        """The web exports' page totals, one row per page and period (``period_label`` where the days are unknown);
        ``url`` is one page in any spelling (see :meth:`resolve_page`)."""
        return page_period_totals(self.warehouse.con, None if url is None else self.resolve_page(url))

    def search_coverage(self) -> pd.DataFrame:
        """Per page, whether its Search Console data is daily, period totals only, or both."""
        return search_coverage(self.warehouse.con)

    def pages(self, url: str | None = None, granularity: str = "all", *, platforms: bool = False,
              filters: Filters | None = None) -> pd.DataFrame:
        """The per-page timeline: the daily rows of ``page_daily`` (social posts, sessions, backlinks and search per
        day) and the Search Console web exports' page totals over their period, each row marked by ``granularity``
        (``day`` or ``period``) with ``period_start``/``period_end``. ``granularity="day"`` keeps the daily rows
        only, as the impact models read them; summing across both kinds counts the same clicks twice.

        ``url`` is one page in any spelling (see :meth:`resolve_page`). ``platforms`` adds a ``platforms`` column:
        per daily row, ``{platform: {"posts", "engagement", "link_clicks", "sessions"}}`` for each platform that
        touched the page that day (``page_daily_platform``). ``filters`` keeps the daily rows of its days and the
        period totals that lie within them (its platforms do not apply: a row holds every platform).
        """
        if granularity not in GRANULARITIES:
            raise SocialSeoError(f"granularity must be one of {', '.join(GRANULARITIES)}")
        key = None if url is None else self.resolve_page(url)
        frame = within(pages_listing(self.warehouse.con, key, granularity), filters)
        return with_platforms(frame, self.pages_by_platform(key)) if platforms else frame

    def pages_by_platform(self, url: str | None = None) -> pd.DataFrame:
        """Posts, engagement, link clicks and social sessions per page, day and platform (``page_daily_platform``)."""
        if url is None:
            return self.warehouse.sql("SELECT * FROM page_daily_platform ORDER BY page, date, platform")
        return self.warehouse.sql("SELECT * FROM page_daily_platform WHERE page = ? ORDER BY date, platform",
                                  [self.resolve_page(url)])

    def pages_window(self) -> Window:
        """The days ``page_daily`` covers and what set them (the search window, a setting, or other sources)."""
        return page_daily_window(self.warehouse.con)

    def set_pages_window(self, start: str | None = None, end: str | None = None) -> Window:
        """Fix the days ``page_daily`` covers (None: the search window again), then rebuild it."""
        for key, value in (("page_daily_from", start), ("page_daily_to", end)):
            if value:
                self.warehouse.set_setting(key, value)
            else:
                self.warehouse.con.execute("DELETE FROM settings WHERE key = ?", [key])
        rebuild_page_daily(self.warehouse.con)
        return self.pages_window()

    def pages_size(self) -> tuple[int, int]:
        """How many pages and page-days ``page_daily`` holds."""
        row = self.warehouse.con.execute("SELECT count(DISTINCT page), count(*) FROM page_daily").fetchall()
        return (int(row[0][0]), int(row[0][1])) if row else (0, 0)
