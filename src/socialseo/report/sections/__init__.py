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


def build_sections(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> list[Section]:
    return [section for provider in PROVIDERS for section in call_provider(provider, con, filters)]


__all__ = ["PROVIDERS", "Section", "SectionProvider", "Table", "build_sections", "call_provider"]
