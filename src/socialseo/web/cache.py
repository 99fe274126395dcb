"""Sections computed once per filter set for each copy of the warehouse the dashboard serves.

A copy never changes (a changed warehouse gets a new copy with a new cache), so building the sections (which runs
the impact models, seconds per filter set) once per filter set turns every later page view into a lookup. Builds
lock per filter set: a visitor asking for a new date range waits for that range alone, while pages already built
answer at once, since reading a built entry takes no lock at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from socialseo.api import Filters, Project, Section

Builder = Callable[[Project, Filters], list[Section]]


class SectionCache:
    def __init__(self, max_entries: int = 64, builder: Builder | None = None) -> None:
        self._entries: dict[Filters, list[Section]] = {}
        self._building: dict[Filters, threading.Lock] = {}
        self._guard = threading.Lock()  # held for dictionary updates only, never during a build
        self._max_entries = max_entries
        self._build = builder or self._build_sections
        # filters -> (sections done, total, the one being built): what /api/status shows while a build runs
        self._progress: dict[Filters, tuple[int, int, str]] = {}

    def cached(self, filters: Filters) -> list[Section] | None:
        """The sections already built for ``filters``, without waiting for anything."""
        return self._entries.get(filters)

    def sections(self, project: Project, filters: Filters) -> list[Section]:
        found = self._entries.get(filters)  # a single dict read is atomic: the built path takes no lock
        if found is not None:
            return found
        with self._guard:
            building = self._building.setdefault(filters, threading.Lock())
        with building:  # a second visitor for the same filters waits for the first build instead of repeating it
            found = self._entries.get(filters)
            if found is not None:
                return found
            try:
                found = self._build(project, filters)
                with self._guard:
                    if len(self._entries) >= self._max_entries:
                        self._entries.pop(next(iter(self._entries)))
                    self._entries[filters] = found
            finally:
                with self._guard:
                    self._building.pop(filters, None)
                    self._progress.pop(filters, None)
        return found

    def _build_sections(self, project: Project, filters: Filters) -> list[Section]:
        def note(done: int, total: int, name: str) -> None:
            self._progress[filters] = (done, total, name)

        return project.sections(filters, on_progress=note)

    def in_progress(self) -> list[dict[str, object]]:
        """The builds running now: their filters in words, sections done of total, and the one being built."""
        return [{"filters": f.describe(), "done": done, "total": total, "section": name}
                for f, (done, total, name) in list(self._progress.items())]

    def __len__(self) -> int:
        return len(self._entries)

    def keys(self) -> list[Filters]:
        return list(self._entries)

