"""The Python API: the same operations as the CLI, returning pandas DataFrames.

>>> import socialseo
>>> project = socialseo.open(":memory:")
>>> project.channels().empty
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from socialseo.analysis.engagement import channel_engagement
from socialseo.analysis.sessions import rebuild_sessions
from socialseo.classify.explain import explain_hit
from socialseo.ingest.access_logs import import_access_logs
from socialseo.ingest.ga4 import import_ga4_traffic
from socialseo.report.html import write_report
from socialseo.store.warehouse import DEFAULT_PATH, ImportResult, Warehouse


class Project:
    """One site's data: a warehouse plus the operations over it."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse

    # -- ingest ------------------------------------------------------------------------------------------------
    def ingest_logs(
        self,
        paths: Sequence[str | Path],
        *,
        log_format: str = "auto",
        nginx_format: str | None = None,
        site: str | Sequence[str] | None = None,
        keep_ip: bool = False,
        on_file_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Import access logs, then rebuild sessions. Files imported before (same bytes) are skipped.

        ``log_format`` is ``auto``, ``combined``, ``common``, ``json``, ``alb`` or ``cloudfront``;
        ``nginx_format`` an Nginx ``log_format`` string for a layout of your own.
        """
        hosts = [site] if isinstance(site, str) else list(site or [])
        results = import_access_logs(
            self.warehouse,
            [Path(p) for p in paths],
            log_format=log_format,
            nginx_spec=nginx_format,
            site_hosts=hosts,
            keep_ip=keep_ip,
            on_file_done=on_file_done,
        )
        if any(not r.skipped for r in results):
            rebuild_sessions(self.warehouse.con)
        return results

    def ingest_ga4(self, paths: Sequence[str | Path]) -> list[ImportResult]:
        """Import GA4 Traffic acquisition CSV exports; each source/medium gets socialseo's channel and platform."""
        return [import_ga4_traffic(self.warehouse, Path(p)) for p in paths]

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

    # -- questions ---------------------------------------------------------------------------------------------
    def channels(self, by: str | None = None) -> pd.DataFrame:
        """Sessions, share, bounce rate, average duration and pages per session per channel and platform."""
        return channel_engagement(self.warehouse.con, by=by)

    def classify(
        self, referrer: str | None, user_agent: str | None = None, url: str | None = None
    ) -> pd.DataFrame:
        """One hit's channel, platform and evidence (one row), with this warehouse's site hosts."""
        return pd.DataFrame([explain_hit(referrer, user_agent, url, self.warehouse.site_hosts())])

    def sessions(self) -> pd.DataFrame:
        return self.warehouse.sql("SELECT * FROM sessions ORDER BY start_ts")

    def quarantine(self) -> pd.DataFrame:
        return self.warehouse.quarantine()

    def imports(self) -> pd.DataFrame:
        return self.warehouse.imports()

    def sql(self, query: str) -> pd.DataFrame:
        return self.warehouse.sql(query)

    # -- output ------------------------------------------------------------------------------------------------
    def report(self, out_dir: str | Path) -> Path:
        """Write the self-contained ``report.html`` into ``out_dir``."""
        return write_report(self.warehouse.con, Path(out_dir))

    def close(self) -> None:
        self.warehouse.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open(path: str | Path = DEFAULT_PATH, *, read_only: bool = False) -> Project:
    """Open (creating and migrating if needed) the warehouse at ``path``."""
    return Project(Warehouse(path, read_only=read_only))
