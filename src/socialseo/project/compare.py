"""Two periods side by side, and the search performance section: the listings of ``channels``, ``metrics`` and
``pages`` over a period and the period it is compared with (``Filters.compare``), the headline numbers (KPIs), and
Search Console's trend, movers, CTR curve and branded queries."""

from __future__ import annotations

from typing import NamedTuple

from socialseo.analysis.compare import (
    COMPARE_CHOICES,
    Comparison,
    Metric,
    Period,
    compare_frames,
    parse_compare,
    resolve,
)
from socialseo.analysis.engagement import channel_engagement
from socialseo.analysis.filters import Filters
from socialseo.analysis.period_totals import KPI_METRICS, PAGE_METRICS, kpi_totals, page_totals
from socialseo.analysis.search_performance import SearchPerformance, search_performance
from socialseo.analysis.social_metrics import social_metrics
from socialseo.errors import SocialSeoError
from socialseo.project.base import ProjectBase

CHANNEL_METRICS = [Metric("sessions"), Metric("share", "rate", "total_sessions"),
                   Metric("bounce_rate", "rate", "sessions"), Metric("avg_duration_s", "level"),
                   Metric("pages_per_session", "level")]
SOCIAL_METRICS = [Metric("posts"), Metric("impressions"), Metric("likes"), Metric("comments"), Metric("shares"),
                  Metric("link_clicks"), Metric("ctr", "rate", "impressions"),
                  Metric("engagement_rate", "rate", "impressions")]
_CHANNEL_KEYS = {None: ["channel", "platform"], "platform": ["channel", "platform"],
                 "landing": ["channel", "platform", "landing_page"]}
_METRIC_KEYS = {"platform": ["platform"], "post": ["platform", "post_id"]}


def check_compare(text: str | None) -> str | None:
    """``--compare``'s value spelled one way (``previous``, ``year``, ``FROM..TO``), or a
    :class:`~socialseo.analysis.compare.CompareError` naming what it takes."""
    return parse_compare(text)


class _Periods(NamedTuple):
    now: Filters
    before: Filters
    period: Period
    against: Period
    spec: str


class Comparing(ProjectBase):
    """Listings over two periods, each with the change and its significance (see :mod:`socialseo.analysis.compare`)."""

    def _periods(self, filters: Filters | None) -> _Periods:
        filters = self.check_filters(filters)
        if filters is None or not filters.compare:
            raise SocialSeoError(f"no comparison asked for: pass --compare {COMPARE_CHOICES}")
        period, against = resolve(self.warehouse.con, filters)
        return _Periods(period.narrow(filters), against.narrow(filters), period, against,
                        str(parse_compare(filters.compare)))

    def channels_compared(self, by: str | None = None, filters: Filters | None = None) -> Comparison:
        """:meth:`channels` over the period and over the comparison period (``filters.compare``), side by side."""
        if by not in _CHANNEL_KEYS:
            raise SocialSeoError(f"--compare works with --by platform or landing, not {by!r}: days of two periods "
                                 "do not pair up")
        p = self._periods(filters)
        now, before = (channel_engagement(self.warehouse.con, by=by, filters=f) for f in (p.now, p.before))
        now, before = (f.assign(total_sessions=f["sessions"].sum()) for f in (now, before))
        return compare_frames(now, before, _CHANNEL_KEYS[by], CHANNEL_METRICS, p.period, p.against, p.spec, "sessions")

    def metrics_compared(self, *, platform: str | None = None, by: str = "platform",
                         filters: Filters | None = None) -> Comparison:
        """:meth:`metrics` over the period and the comparison period, by ``platform`` or ``post``."""
        if by not in _METRIC_KEYS:
            raise SocialSeoError(f"--compare works with --by platform or post, not {by!r}: days of two periods do not "
                                 "pair up")
        name = platform and self.check_platform(platform)
        p = self._periods(filters)
        now, before = (social_metrics(self.warehouse.con, platform=name, by=by, filters=f) for f in (p.now, p.before))
        return compare_frames(now, before, _METRIC_KEYS[by], SOCIAL_METRICS, p.period, p.against, p.spec,
                              "post metrics")

    def pages_compared(self, url: str | None = None, filters: Filters | None = None) -> Comparison:
        """Per page, its social activity and search performance summed over the period and the comparison period."""
        key = None if url is None else self.resolve_page(url)
        p = self._periods(filters)
        now, before = (page_totals(self.warehouse.con, f, key) for f in (p.now, p.before))
        # one page absent from the earlier period is a page new in it, when other pages were there
        known = not before.empty or (key is not None and not page_totals(self.warehouse.con, p.before).empty)
        return compare_frames(now, before, ["page"], PAGE_METRICS, p.period, p.against, p.spec, "page activity",
                              known)

    def kpis(self, filters: Filters | None = None) -> Comparison:
        """The headline numbers (sessions, social and organic sessions, bounce rate, search clicks, impressions,
        CTR and position, posts, their link clicks) over the period beside the comparison period."""
        p = self._periods(filters)
        (now, _), (before, before_has_data) = (kpi_totals(self.warehouse.con, f) for f in (p.now, p.before))
        return compare_frames(now, before, [], KPI_METRICS, p.period, p.against, p.spec, "data",
                              before_has_data)

    def search_performance(self, filters: Filters | None = None) -> SearchPerformance:
        """Search Console's trend, top, rising and falling pages and queries, CTR against the site's own curve,
        branded and unbranded queries, each page beside its social activity; compared with ``filters.compare``
        (the previous period when none is set)."""
        return search_performance(self.warehouse.con, self.check_filters(filters))
