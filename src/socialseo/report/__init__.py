"""The self-contained HTML report."""

from socialseo.report.html import write_report

__all__ = ["write_report"]
