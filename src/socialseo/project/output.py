"""Writing the report and exports."""

from __future__ import annotations

from pathlib import Path

from socialseo.analysis.filters import Filters
from socialseo.project.base import ProjectBase
from socialseo.report.html import write_report
from socialseo.report.sections import ProgressCallback
from socialseo.store.export import ExportResult, export


class Output(ProjectBase):
    """Writing the report and exports."""

    def report(self, out_dir: str | Path, *, fmt: str = "html", filters: Filters | None = None,
               on_progress: ProgressCallback | None = None) -> Path:
        """Write the self-contained ``report.html`` (and ``report.pdf`` for ``fmt="pdf"``) into ``out_dir``.

        ``on_progress(done, total, name)`` is called once per section group before it is built: ``done`` of
        ``total`` are built and ``name`` (``traffic``, ``impact``…) starts now. The report is written when the call
        returns."""
        return write_report(self.warehouse.con, Path(out_dir), fmt=fmt, filters=self.check_filters(filters),
                            on_progress=on_progress)

    def export(self, table_or_query: str, out: str | Path, *, fmt: str | None = None) -> ExportResult:
        """Write a table or query to CSV (formula-safe), Parquet or JSON; the format defaults to the file's suffix."""
        return export(self.warehouse.con, table_or_query, Path(out), fmt)
