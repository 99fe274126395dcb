"""The report's sections, in order. Each provider reads the warehouse and returns its sections.

A new kind of analysis adds a module here and one entry to :data:`PROVIDERS`; the report and the dashboard pick it
up from this list.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from socialseo.report.sections import impact, imports, traffic
from socialseo.report.sections.base import Section, Table

SectionProvider = Callable[[duckdb.DuckDBPyConnection], list[Section]]

PROVIDERS: list[SectionProvider] = [
    traffic.sections,
    impact.sections,
    imports.sections,
]


def build_sections(con: duckdb.DuckDBPyConnection) -> list[Section]:
    return [section for provider in PROVIDERS for section in provider(con)]


__all__ = ["PROVIDERS", "Section", "SectionProvider", "Table", "build_sections"]
