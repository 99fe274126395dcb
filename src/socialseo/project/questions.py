"""Listings over the warehouse: traffic by channel, social metrics, backlinks, actions."""

from __future__ import annotations

import pandas as pd

from socialseo.analysis import backlinks as _backlinks
from socialseo.analysis.actions import run_rules
from socialseo.analysis.engagement import channel_engagement
from socialseo.analysis.filters import Filters
from socialseo.analysis.pagerank import link_equity, load_link_graph
from socialseo.analysis.social_metrics import social_metrics
from socialseo.classify.explain import explain_hit
from socialseo.project.base import ProjectBase
from socialseo.project.empty import why_empty


class Questions(ProjectBase):
    """Listings over the warehouse: traffic by channel, social metrics, backlinks, actions."""

    def ga4_channels(self) -> pd.DataFrame:
        """GA4 sessions and engagement per channel × platform, as socialseo classifies the sources."""
        return self.warehouse.sql(
            """
            SELECT channel, platform, sum(sessions) AS sessions,
                sum(sessions) / sum(sum(sessions)) OVER () AS share,
                sum(engaged_sessions) / sum(sessions) AS engagement_rate,
                sum(avg_engagement_s * sessions) / sum(sessions) AS avg_engagement_s
            FROM ga4_traffic GROUP BY ALL ORDER BY sessions DESC
            """
        )

    def backlinks(self) -> pd.DataFrame:
        """The whole backlink inventory."""
        return self.warehouse.sql(
            "SELECT source_url, source_platform, source_domain, target_url, target_page, anchor, rel, is_followed, "
            "found_by, first_seen, last_seen, lost FROM backlinks ORDER BY source_platform NULLS LAST, source_url"
        )

    def backlink_summary(self) -> pd.DataFrame:
        """Per platform: backlinks, referring pages and domains, followed/nofollow/ugc/sponsored shares, lost."""
        return _backlinks.backlink_summary(self.warehouse.con)

    def backlinks_over_time(self, period: str = "month") -> pd.DataFrame:
        return _backlinks.backlinks_over_time(self.warehouse.con, period)

    def backlink_targets(self, limit: int = 50) -> pd.DataFrame:
        """Per target page: social backlinks next to social referral sessions."""
        return _backlinks.target_pages(self.warehouse.con, limit)

    def top_anchors(self, limit: int = 10) -> pd.DataFrame:
        return _backlinks.top_anchors(self.warehouse.con, limit)

    def mentions(self) -> pd.DataFrame:
        """Linked and unlinked brand mentions per platform."""
        return _backlinks.mention_summary(self.warehouse.con)

    def link_opportunities(self) -> pd.DataFrame:
        """Pages that mention the brand without linking to the site."""
        return _backlinks.link_opportunities(self.warehouse.con)

    def channels(self, by: str | None = None, filters: Filters | None = None) -> pd.DataFrame:
        """Sessions, share, bounce rate, average duration and pages per session per channel and platform;
        ``by`` adds ``platform``, ``landing``, ``day`` or ``landing-day``; ``filters`` narrows days and platforms."""
        return channel_engagement(self.warehouse.con, by=by, filters=self.check_filters(filters))

    def metrics(self, *, platform: str | None = None, by: str = "platform",
                filters: Filters | None = None) -> pd.DataFrame:
        """Social metrics (impressions, likes, comments, shares, CTR, engagement rate...) by post, day or platform;
        ``filters`` narrows days and platforms."""
        return social_metrics(self.warehouse.con, platform=platform and self.check_platform(platform), by=by,
                              filters=self.check_filters(filters))

    def classify(
        self, referrer: str | None, user_agent: str | None = None, url: str | None = None
    ) -> pd.DataFrame:
        """One hit's channel, platform and evidence (one row), with this warehouse's site hosts."""
        return pd.DataFrame([explain_hit(referrer, user_agent, url, self.warehouse.site_hosts())])

    def actions(self, filters: Filters | None = None) -> pd.DataFrame:
        """The action list: one row per recommended action (rule, priority, title, why, number of items)."""
        records = [a.as_record() for a in run_rules(self.warehouse.con, self.check_filters(filters)).actions]
        return pd.DataFrame(records, columns=["rule_id", "priority", "title", "why", "items"])

    def why_empty(self, question: str, *, platform: str | None = None, filters: Filters | None = None) -> str:
        """One line saying why ``question`` (``channels``, ``metrics``, ``backlinks``, ``mentions``,
        ``opportunities``, ``sessions``, ``pagerank``, ``lags``, ``panel``, ``platforms``) found nothing, with the
        command that would fill it."""
        return why_empty(self.warehouse.con, question, platform=platform, filters=filters)

    def pagerank(self) -> pd.DataFrame:
        """PageRank per page with followed links only and with social links counted as followed."""
        return link_equity(load_link_graph(self.warehouse.con))
