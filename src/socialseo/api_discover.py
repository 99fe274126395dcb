"""The Project's door to open-network discovery, scheduled refresh and alerts.

A mixin of :class:`socialseo.api.Project`: ``self.warehouse`` is the project's warehouse, and the other Project
methods (imports, report) are reached through ``self`` as any user of the API would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from socialseo.analysis.alerts import evaluate, unsent
from socialseo.ingest.networks import NETWORKS, SourceOutcome
from socialseo.ingest.networks import discover as _discover
from socialseo.refresh.config import ProjectFile, load_project_file
from socialseo.refresh.lock import RefreshRunningError, refresh_lock
from socialseo.refresh.runner import Outcome, RefreshSummary, run_refresh
from socialseo.refresh.schedule import crontab_line

if TYPE_CHECKING:
    from socialseo.store.warehouse import Warehouse


# What the command line takes from here, so it reaches the library only through the door.
__all__ = ["NETWORKS", "DiscoverySources", "Outcome", "RefreshRunningError", "RefreshSummary", "SourceOutcome",
           "crontab_line", "load_project_file", "refresh_lock"]

class DiscoverySources:
    """Discovery of posts linking to the site on open networks (Bluesky, Mastodon, Reddit, Hacker News)."""

    warehouse: Warehouse

    def discover(
        self,
        networks: Sequence[str] = tuple(NETWORKS),
        *,
        site: str | Sequence[str] | None = None,
        max_pages: int = 5,
        mastodon_tags: Sequence[str] = (),
        reddit_urls: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        on_source_done: Callable[[SourceOutcome], None] | None = None,
    ) -> list[SourceOutcome]:
        """Find public posts linking to the site on each network and store them as social backlinks.

        Each network is asked through its API base (``SOCIALSEO_BLUESKY_API_BASE``, ``SOCIALSEO_MASTODON_INSTANCE``,
        ``SOCIALSEO_REDDIT_API_BASE``, ``SOCIALSEO_HN_API_BASE`` in ``env``, else the public service); one that
        fails is reported in its outcome and the others still run.
        """
        hosts = [site] if isinstance(site, str) else list(site or [])
        outcomes = _discover(self.warehouse, site_hosts=hosts, networks=networks, max_pages=max_pages,
                             mastodon_tags=mastodon_tags, reddit_urls=reddit_urls, env=env,
                             on_source_done=on_source_done)
        if any(o.ok and o.results and not o.results[0].skipped for o in outcomes):
            from socialseo.analysis.derived import refresh_derived

            refresh_derived(self.warehouse)
        return outcomes

    def discovered_posts(self) -> pd.DataFrame:
        """Every discovered post linking to the site, one row per (post, target page), with its engagement."""
        return self.warehouse.sql(
            "SELECT platform, post_url, target_page, author, published_at, likes, reposts, replies, score, "
            "first_seen, last_seen FROM discovered_posts ORDER BY published_at DESC NULLS LAST, platform, post_url"
        )

    def refresh(
        self, project_file: str | Path | ProjectFile, *, on_line: Callable[[Outcome], None] | None = None
    ) -> RefreshSummary:
        """Run what the project file says (pulls, new logs, discovery, alerts, the report), each step on its own.

        The caller holds the refresh lock (see :func:`socialseo.refresh.lock.refresh_lock`); the summary's
        ``exit_code`` is 0 when every step worked and 1 when any failed.
        """
        config = project_file if isinstance(project_file, ProjectFile) else load_project_file(Path(project_file))
        return run_refresh(self, config, on_line)

    def alerts_sent(self) -> pd.DataFrame:
        """Every alert delivered, newest first: rule, subject, period, message, channels, time."""
        return self.warehouse.sql("SELECT * FROM alerts_sent ORDER BY sent_at DESC, rule, subject")

    def alerts(self, project_file: str | Path | ProjectFile) -> pd.DataFrame:
        """The alerts the project file's rules find now, without sending anything; ``sent`` says which went before."""
        config = project_file if isinstance(project_file, ProjectFile) else load_project_file(Path(project_file))
        con = self.warehouse.con
        found = evaluate(con, list(config.rules), config.dashboard_url)
        fresh = {(a.rule, a.subject, a.period) for a in unsent(con, found)}
        return pd.DataFrame(
            [{"rule": a.rule, "subject": a.subject, "period": a.period, "alert": a.text, "link": a.link,
              "sent": (a.rule, a.subject, a.period) not in fresh} for a in found],
            columns=["rule", "subject", "period", "alert", "link", "sent"],
        )
