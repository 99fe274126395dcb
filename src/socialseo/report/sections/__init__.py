"""The report's sections, in order. Each provider reads the warehouse and returns its sections.

A new kind of analysis adds a module here and one entry to :data:`PROVIDERS`; the report and the dashboard pick it
up from this list. A provider is ``provider(con, filters=None) -> list[Section]``: ``filters`` (a
:class:`~socialseo.analysis.filters.Filters`, or ``None`` for everything) narrows its data to the reader's date range
and platforms. Providers written before filters existed (``provider(con)``) still work; they show all data.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import duckdb

from socialseo.analysis.filters import Filters
from socialseo.report.marks import one_build
from socialseo.report.sections import (
    actions,
    alerts,
    backlinks,
    comparison,
    crawl_chain,
    discovered,
    impact,
    imports,
    readiness,
    search_insights,
    shares,
    social_search,
    timelines,
    traffic,
)
from socialseo.report.sections.base import Section, Table

SectionProvider = Callable[..., list[Section]]

PROVIDERS: list[SectionProvider] = [
    actions.sections,
    comparison.sections,
    traffic.sections,
    social_search.sections,
    search_insights.sections,
    shares.sections,
    backlinks.sections,
    discovered.sections,
    timelines.sections,
    impact.sections,
    crawl_chain.sections,
    readiness.sections,
    imports.sections,
    alerts.sections,
]


def _accepts_filters(provider: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(provider).parameters
    except (TypeError, ValueError):
        return False
    return "filters" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


def call_provider(
    provider: SectionProvider, con: duckdb.DuckDBPyConnection, filters: Filters | None = None
) -> list[Section]:
    """Run one provider, passing ``filters`` only to providers that take them."""
    if filters is not None and _accepts_filters(provider):
        return provider(con, filters=filters)
    return provider(con)


# on_progress(done, total, name): ``done`` of ``total`` section groups are built and ``name`` is starting now.
ProgressCallback = Callable[[int, int, str], None]


def provider_name(provider: SectionProvider) -> str:
    """A section group's name for a progress bar: its module's, in words (``social_search`` -> social search)."""
    return str(getattr(provider, "__module__", "") or "sections").rsplit(".", 1)[-1].replace("_", " ")


def build_sections(con: duckdb.DuckDBPyConnection, filters: Filters | None = None,
                   on_progress: ProgressCallback | None = None) -> list[Section]:
    """Every section, in order. ``on_progress`` is called once per section group (provider), before it is built,
    so a progress bar can name the one a slow build is in."""
    built: list[Section] = []
    with one_build():  # the annotations every time chart draws are computed once for the whole build
        for done, provider in enumerate(PROVIDERS):
            if on_progress is not None:
                on_progress(done, len(PROVIDERS), provider_name(provider))
            built.extend(call_provider(provider, con, filters))
    return built


__all__ = [
    "PROVIDERS", "ProgressCallback", "Section", "SectionProvider", "Table", "build_sections", "call_provider",
    "provider_name",
]
