"""The Python API: the same operations as the CLI, returning pandas DataFrames.

>>> import socialseo
>>> project = socialseo.open(":memory:")
>>> project.channels().empty
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from socialseo.analysis.audit.profiles import audit_profiles
from socialseo.analysis.audit.rules import load_config, rules_frame
from socialseo.analysis.audit.site import run_site_audit
from socialseo.analysis.engagement import channel_engagement
from socialseo.analysis.sessions import rebuild_sessions
from socialseo.crawl.crawler import CrawledPage, CrawlOptions
from socialseo.crawl.fetch import FetchLimits
from socialseo.ingest.access_logs import import_access_logs
from socialseo.ingest.crawl_store import run_crawl
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
        return results

    # -- crawl and audits ---------------------------------------------------------------------------------------
    def crawl(
        self,
        start_url: str,
        *,
        options: CrawlOptions | None = None,
        fresh: bool = False,
        on_page: Callable[[CrawledPage], None] | None = None,
        **settings: Any,
    ) -> pd.DataFrame:
        """Crawl a site politely into the warehouse; an unfinished crawl of the same URL is resumed.

        ``settings`` are :class:`~socialseo.crawl.crawler.CrawlOptions` fields (``max_pages=50, allow_private=True``)
        or :class:`~socialseo.crawl.fetch.FetchLimits` fields (``user_agent=..., timeout=...``).
        """
        limit_fields = set(FetchLimits.__dataclass_fields__)
        limits = {k: settings.pop(k) for k in list(settings) if k in limit_fields}
        base = options or CrawlOptions()
        options = replace(base, limits=replace(base.limits, **limits), **settings)
        return run_crawl(self.warehouse, start_url, options, fresh=fresh, on_page=on_page)

    def crawl_pages(self, crawl_id: str | None = None) -> pd.DataFrame:
        """The pages of one crawl (the latest by default)."""
        return self.warehouse.sql(
            "SELECT * EXCLUDE (crawl_id) FROM crawl_pages WHERE crawl_id = coalesce(?, "
            "(SELECT crawl_id FROM crawls ORDER BY started_at DESC LIMIT 1)) ORDER BY depth, url",
            [crawl_id],
        )

    def audit_site(self, config: str | Path | None = None, crawl_id: str | None = None) -> pd.DataFrame:
        """Run the page and site rules over a crawl; one row per finding (stored in ``audit_findings``)."""
        return run_site_audit(self.warehouse.con, load_config(Path(config) if config else None), crawl_id)

    def audit_profiles(self, profiles: str | Path, *, allow_private: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Audit the brand profiles listed in a TOML file: (one row per profile, findings)."""
        return audit_profiles(self.warehouse.con, load_config(Path(profiles)), allow_private=allow_private)

    @staticmethod
    def audit_rules() -> pd.DataFrame:
        """Every audit rule: id, scope, severity, title and fix."""
        return rules_frame()

    # -- questions ---------------------------------------------------------------------------------------------
    def channels(self, by: str | None = None) -> pd.DataFrame:
        """Sessions, share, bounce rate, average duration and pages per session per channel and platform."""
        return channel_engagement(self.warehouse.con, by=by)

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
