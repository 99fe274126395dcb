"""The Python API: the same operations as the CLI, returning pandas DataFrames.

:class:`Project` is the one door to the library: the CLI, the dashboard and notebooks call it and nothing below it.
Its methods live by topic in :mod:`socialseo.project` (importing, crawling, questions, pages, impact, output);
this module puts them together and adds :func:`open`.

>>> import socialseo
>>> project = socialseo.open(":memory:")
>>> project.channels().empty
True
"""

from __future__ import annotations

from pathlib import Path

from socialseo.api_discover import DiscoverySources
from socialseo.api_live import LiveSources
from socialseo.project.annotations import Annotations
from socialseo.project.base import ProjectBase
from socialseo.project.compare import Comparing, check_compare
from socialseo.project.crawling import Crawling, inspect
from socialseo.project.dashboard import Dashboard, UnknownTableError, plotly_js, timeline_chart
from socialseo.project.impact import Impact
from socialseo.project.ingest import Ingesting
from socialseo.project.output import Output
from socialseo.project.pages import Pages
from socialseo.project.questions import Questions
from socialseo.project.shares import Shares
from socialseo.project.tools import explain, run_spark_backlinks
from socialseo.project.types import (
    FETCH_TIMEOUT,
    MAX_FETCH_BYTES,
    Comparison,
    CrawledPage,
    CrawlOptions,
    ExportResult,
    FetchLimits,
    Filters,
    ImportResult,
    PageExtract,
    SearchPerformance,
    Section,
    Window,
)
from socialseo.store.warehouse import DEFAULT_PATH, Warehouse

__all__ = [
    "DEFAULT_PATH",
    "FETCH_TIMEOUT",
    "MAX_FETCH_BYTES",
    "Comparison",
    "CrawlOptions",
    "CrawledPage",
    "ExportResult",
    "FetchLimits",
    "Filters",
    "ImportResult",
    "PageExtract",
    "Project",
    "SearchPerformance",
    "Section",
    "UnknownTableError",
    "Window",
    "check_compare",
    "explain",
    "inspect",
    "open",
    "plotly_js",
    "run_spark_backlinks",
    "timeline_chart",
]


class Project(
    Ingesting, Crawling, Questions, Pages, Impact, Shares, Output, Dashboard, Annotations, Comparing, LiveSources,
    DiscoverySources, ProjectBase,
):
    """One site's data: a warehouse plus every operation over it.

    Opening a project first rebuilds any derived table an interrupted import left stale, so no answer is ever
    read from tables older than the data they are made from.
    """


def open(path: str | Path = DEFAULT_PATH, *, read_only: bool = False) -> Project:
    """Open (creating and migrating if needed) the warehouse at ``path``."""
    return Project(Warehouse(path, read_only=read_only))
