"""Shares seen as link-preview fetches, and the crawl chain: what search engines do after a social spike."""

from __future__ import annotations

import pandas as pd

from socialseo.analysis import crawl_chain as chain
from socialseo.analysis import shares as previews
from socialseo.errors import SocialSeoError
from socialseo.project.base import ProjectBase

CrawlChain = chain.CrawlChain


class BadSharesArgumentError(SocialSeoError):
    """A value for the shares or crawl-chain analysis that cannot be used."""


class Shares(ProjectBase):
    """Link-preview fetches counted as shares, and verified search-engine recrawls after social spikes."""

    def shares(self, *, by: str = "day", window_minutes: int = previews.DEFAULT_WINDOW_MINUTES,
               start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """Preview fetches per page, day and platform (``by="day"``), or summed ``by="page"`` (with the dark-social
        estimate) or ``by="platform"``; each with the human visits that followed within ``window_minutes``.

        >>> import socialseo
        >>> socialseo.open(":memory:").shares(by="platform").empty
        True
        """
        if by not in previews.BY:
            raise BadSharesArgumentError(f"by must be one of {', '.join(previews.BY)}, got {by!r}")
        if not 1 <= window_minutes <= 24 * 60:
            raise BadSharesArgumentError(f"the window must be 1 to 1440 minutes, got {window_minutes}")
        return previews.shares(self.warehouse.con, by=by, window_minutes=window_minutes, start=start, end=end)

    def unnamed_preview_bots(self) -> list[str]:
        """Preview fetchers that name no platform, counted as "unknown app"."""
        return previews.preview_bots_without_platform(self.warehouse.con)

    def crawl_chain(self, *, pre_days: int = 28, post_days: int = 14, n_controls: int = 5) -> CrawlChain:
        """Verified search-engine fetches before and after each page's social spike, against matched pages without
        one: the latency to the first fetch after the spike and the change in fetches per day, with intervals."""
        if pre_days < 7 or post_days < 1 or n_controls < 1:
            raise BadSharesArgumentError("pre_days must be >= 7, post_days >= 1 and n_controls >= 1")
        return chain.crawl_chain(self.warehouse.con, pre_days=pre_days, post_days=post_days, n_controls=n_controls)
