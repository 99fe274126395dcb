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
from socialseo.analysis.social_metrics import social_metrics
from socialseo.analysis.timeline import page_daily, rebuild_page_daily
from socialseo.ingest.access_logs import import_access_logs
from socialseo.ingest.gsc import import_search_console
from socialseo.ingest.posts import import_posts
from socialseo.ingest.ranks import import_ranks
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
        site: str | Sequence[str] | None = None,
        keep_ip: bool = False,
        on_file_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Import access logs, then rebuild sessions. Files imported before (same bytes) are skipped."""
        hosts = [site] if isinstance(site, str) else list(site or [])
        results = import_access_logs(
            self.warehouse,
            [Path(p) for p in paths],
            log_format=log_format,
            site_hosts=hosts,
            keep_ip=keep_ip,
            on_file_done=on_file_done,
        )
        if any(not r.skipped for r in results):
            rebuild_sessions(self.warehouse.con)
            rebuild_page_daily(self.warehouse.con)
        return results

    def ingest_posts(
        self,
        paths: Sequence[str | Path],
        *,
        platform: str = "auto",
        column_map: Sequence[str] | None = None,
        timezone: str | None = None,
        link_map: dict[str, str] | None = None,
        on_file_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Import social post exports (any supported platform, or ``column_map`` pairs ``"Column=field"``)."""
        results = import_posts(
            self.warehouse, [Path(p) for p in paths], platform=platform, column_map=column_map,
            timezone=timezone, link_map=link_map, on_file_done=on_file_done,
        )
        rebuild_page_daily(self.warehouse.con)
        return results

    def ingest_gsc(
        self,
        paths: Sequence[str | Path],
        *,
        dimensions: Sequence[str] | None = None,
        search_type: str = "web",
        on_file_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Import Search Console performance exports (web-export zip/CSV, API JSON rows, bulk-export tables)."""
        results = import_search_console(
            self.warehouse, [Path(p) for p in paths], dimensions=dimensions, search_type=search_type,
            on_file_done=on_file_done,
        )
        rebuild_page_daily(self.warehouse.con)
        return results

    def ingest_ranks(
        self, paths: Sequence[str | Path], *, on_file_done: Callable[[ImportResult], None] | None = None
    ) -> list[ImportResult]:
        """Import rank-tracker exports (date, keyword, URL, position)."""
        return import_ranks(self.warehouse, [Path(p) for p in paths], on_file_done=on_file_done)

    # -- questions ---------------------------------------------------------------------------------------------
    def channels(self, by: str | None = None) -> pd.DataFrame:
        """Sessions, share, bounce rate, average duration and pages per session per channel and platform."""
        return channel_engagement(self.warehouse.con, by=by)

    def pages(self, url: str | None = None) -> pd.DataFrame:
        """The per-page daily timeline (``page_daily``): social posts, sessions, backlinks and search per day."""
        return page_daily(self.warehouse.con, url)

    def pages_by_platform(self) -> pd.DataFrame:
        return self.warehouse.sql("SELECT * FROM page_daily_platform ORDER BY page, date, platform")

    def metrics(self, *, platform: str | None = None, by: str = "platform") -> pd.DataFrame:
        """Social metrics (impressions, likes, comments, shares, CTR, engagement rate...) by post, day or platform."""
        return social_metrics(self.warehouse.con, platform=platform, by=by)

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
