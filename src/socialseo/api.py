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
from socialseo.analysis.filters import Filters
from socialseo.analysis.sessions import rebuild_sessions
from socialseo.ingest.access_logs import import_access_logs
from socialseo.report.actions import run_rules
from socialseo.report.html import write_report
from socialseo.store.export import ExportResult, export
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

    def sessions(self) -> pd.DataFrame:
        return self.warehouse.sql("SELECT * FROM sessions ORDER BY start_ts")

    def quarantine(self) -> pd.DataFrame:
        return self.warehouse.quarantine()

    def imports(self) -> pd.DataFrame:
        return self.warehouse.imports()

    def sql(self, query: str) -> pd.DataFrame:
        return self.warehouse.sql(query)

    def actions(self, filters: Filters | None = None) -> pd.DataFrame:
        """The action list: one row per recommended action (rule, priority, title, why, number of items)."""
        records = [a.as_record() for a in run_rules(self.warehouse.con, filters).actions]
        return pd.DataFrame(records, columns=["rule_id", "priority", "title", "why", "items"])

    # -- output ------------------------------------------------------------------------------------------------
    def report(self, out_dir: str | Path, *, fmt: str = "html", filters: Filters | None = None) -> Path:
        """Write the self-contained ``report.html`` (and ``report.pdf`` for ``fmt="pdf"``) into ``out_dir``."""
        return write_report(self.warehouse.con, Path(out_dir), fmt=fmt, filters=filters)

    def export(self, table_or_query: str, out: str | Path, *, fmt: str | None = None) -> ExportResult:
        """Write a table or query to CSV (formula-safe), Parquet or JSON; the format defaults to the file's suffix."""
        return export(self.warehouse.con, table_or_query, Path(out), fmt)

    def close(self) -> None:
        self.warehouse.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open(path: str | Path = DEFAULT_PATH, *, read_only: bool = False) -> Project:
    """Open (creating and migrating if needed) the warehouse at ``path``."""
    return Project(Warehouse(path, read_only=read_only))
