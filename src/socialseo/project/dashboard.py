"""What the dashboard shows beyond the listings: report sections, the page overview and timeline, the action plan,
the tables for browsing, and the charts' script. Every number the dashboard serves comes through here."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd

from socialseo.analysis.actions import run_rules
from socialseo.analysis.filters import Filters
from socialseo.analysis.pages import page_timeline, pages_overview
from socialseo.errors import SocialSeoError
from socialseo.project.base import ProjectBase
from socialseo.project.choices import platform_channels
from socialseo.report import charts
from socialseo.report.html import frame_context
from socialseo.report.marks import chart_marks
from socialseo.report.sections import ProgressCallback, Section, build_sections


class UnknownTableError(SocialSeoError):
    """A table name the warehouse does not hold."""


class Dashboard(ProjectBase):
    """What the dashboard shows beyond the listings, each narrowed by the same :class:`Filters`."""

    def sections(self, filters: Filters | None = None, on_progress: ProgressCallback | None = None) -> list[Section]:
        """The report's sections (every analysis, each with what it is based on and what is missing);
        ``on_progress`` as for :meth:`~socialseo.project.output.Output.report`."""
        return build_sections(self.warehouse.con, self.check_filters(filters), on_progress)

    def report_frame(self, sections: list[Section]) -> dict[str, Any]:
        """What the report shows around its sections: sites, period, the executive summary, hidden sections."""
        return frame_context(self.warehouse.con, sections)

    def known_platforms(self) -> list[str]:
        """The social platforms and AI assistants the warehouse holds (sessions, GA4, posts, backlinks), for
        choosing a filter. Search engines and webmail are not platforms of their own channel's kind:
        :meth:`platform_choices` lists them by channel."""
        grouped = platform_channels(self.warehouse.con)
        return [*grouped.get("social", []), *grouped.get("ai_assistant", [])]

    def platform_choices(self) -> dict[str, list[str]]:
        """Every platform the warehouse holds, grouped by the channel it came by (``social``, ``organic_search``,
        ``email``…): what a platform filter can choose, each under its channel."""
        return platform_channels(self.warehouse.con)

    def pages_overview(self, search: str = "", filters: Filters | None = None, limit: int = 200) -> pd.DataFrame:
        """Pages with their social and search numbers, busiest first; ``search`` keeps pages whose URL has it."""
        return pages_overview(self.warehouse.con, search, self.check_filters(filters), limit)

    def page_timeline(self, page: str, filters: Filters | None = None) -> pd.DataFrame:
        """One page's social activity and search performance per day; ``page`` in any spelling of its URL."""
        return page_timeline(self.warehouse.con, page, self.check_filters(filters))

    def chart_marks(self, filters: Filters | None = None, page: str | None = None) -> pd.DataFrame:
        """The annotations a time chart over ``filters`` draws; with ``page`` (any spelling), that page's chart."""
        return chart_marks(self.warehouse.con, self.check_filters(filters),
                           self.resolve_page(page) if page else None)

    def action_plan(self, filters: Filters | None = None) -> dict[str, list[dict[str, Any]]]:
        """The action list in full (every field of every action) and the rules skipped, with why."""
        result = run_rules(self.warehouse.con, self.check_filters(filters))
        return {
            "actions": [asdict(a) for a in result.actions],
            "skipped": [{"rule": t, "why": w} for t, w in result.skipped],
        }

    def table_sizes(self) -> pd.DataFrame:
        """Every table of the warehouse with its (estimated) row count."""
        return self.warehouse.sql(
            "SELECT table_name AS \"table\", estimated_size AS rows FROM duckdb_tables() "
            "WHERE schema_name = 'main' ORDER BY 1"
        )

    def table_rows(self, name: str, limit: int = 100, offset: int = 0) -> pd.DataFrame:
        """Rows of one table, a page at a time; an unknown table raises :class:`UnknownTableError` naming them all."""
        known = {str(r[0]) for r in self.warehouse.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
        if name not in known:
            raise UnknownTableError(f"no table {name!r}; tables: {', '.join(sorted(known))}")
        return self.warehouse.sql(f'SELECT * FROM "{name}" LIMIT ? OFFSET ?', [limit, offset])


def plotly_js() -> str:
    """The charts' script, served by the dashboard itself: it loads nothing from the network."""
    return charts.plotly_js()


def timeline_chart(frame: pd.DataFrame, page: str, marks: pd.DataFrame | None = None) -> str:
    """The HTML fragment of one page's timeline chart (``frame`` from :meth:`Dashboard.page_timeline`), with
    ``marks`` (from :meth:`Dashboard.chart_marks`) drawn on it."""
    return charts.fragment(charts.page_timeline(frame, page), "chart-page-timeline", marks)
