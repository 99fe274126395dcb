"""Sections computed once per filter set for the life of the dashboard.

The dashboard opens the warehouse read-only, and DuckDB keeps writers out while it is open, so what a set of filters
shows cannot change under a running server: building the sections (which runs the impact models) once per filter
set turns every later page view into a lookup.
"""

from __future__ import annotations

import threading

import duckdb

from socialseo.analysis.filters import Filters
from socialseo.report.sections import Section, build_sections


class SectionCache:
    def __init__(self, max_entries: int = 64) -> None:
        self._entries: dict[Filters, list[Section]] = {}
        self._lock = threading.Lock()
        self._max_entries = max_entries

    def sections(self, con: duckdb.DuckDBPyConnection, filters: Filters) -> list[Section]:
        with self._lock:
            found = self._entries.get(filters)
            if found is None:
                found = build_sections(con, filters)
                if len(self._entries) >= self._max_entries:
                    self._entries.pop(next(iter(self._entries)))
                self._entries[filters] = found
            return found
