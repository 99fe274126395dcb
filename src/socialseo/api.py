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

from socialseo.analysis import impact
from socialseo.analysis.engagement import channel_engagement
from socialseo.analysis.impact.lags import lag_summary, lagged_association
from socialseo.analysis.impact.platforms import load_platform_inputs, platform_effectiveness
from socialseo.analysis.pagerank import link_equity, load_link_graph
from socialseo.analysis.sessions import rebuild_sessions
from socialseo.ingest.access_logs import import_access_logs
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

    # -- questions ---------------------------------------------------------------------------------------------
    def channels(self, by: str | None = None) -> pd.DataFrame:
        """Sessions, share, bounce rate, average duration and pages per session per channel and platform."""
        return channel_engagement(self.warehouse.con, by=by)

    # -- impact: does social activity move search? ------------------------------------------------------------
    def panel(self) -> pd.DataFrame:
        """The page x day panel every impact analysis reads (``page_daily`` or built from the imports)."""
        return impact.load_panel(self.warehouse.con)

    def lags(self, *, max_lag: int = 28, summary: bool = False) -> pd.DataFrame:
        """Cross-correlations of differenced social and search series per page and lag, FDR-corrected."""
        found = lagged_association(self.panel(), max_lag=max_lag)
        return lag_summary(found) if summary else found

    def panel_model(self, *, outcome: str = "search_clicks") -> pd.DataFrame:
        """Fixed-effects estimate of a social spike's effect on ``outcome``, overall and per platform."""
        return impact.panel_model(self.panel(), impact.load_platform_panel(self.warehouse.con), outcome=outcome)

    def events(self, *, outcome: str = "search_clicks", profile: bool = False) -> pd.DataFrame:
        """Event study around social spikes against clean matched controls; ``profile`` gives the weekly view."""
        summary, weekly = impact.event_study(self.panel(), outcome=outcome)
        return weekly if profile else summary

    def impact(self, pages: Sequence[str], after: str, *, outcome: str = "search_clicks",
               series: bool = False) -> pd.DataFrame:
        """Counterfactual effect on ``pages`` (page keys, e.g. ``/blog/x``) from ``after`` on."""
        result = impact.counterfactual_impact(self.panel(), list(pages), after, outcome=outcome)
        return result.series if series else result.summary

    def pagerank(self) -> pd.DataFrame:
        """PageRank per page with followed links only and with social links counted as followed."""
        return link_equity(load_link_graph(self.warehouse.con))

    def platforms(self) -> pd.DataFrame:
        """Platforms ranked per content segment by sessions, engagement, backlinks and estimated search effect."""
        sessions, backlinks = load_platform_inputs(self.warehouse.con)
        panel = self.panel()
        effects = None if panel.empty else impact.panel_model(panel, impact.load_platform_panel(self.warehouse.con))
        return platform_effectiveness(sessions, backlinks, effects)

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
