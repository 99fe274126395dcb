"""Annotations on the project door: the user's dated notes and the ones computed from the data."""

from __future__ import annotations

from datetime import date

import pandas as pd

from socialseo.analysis import annotations as notes
from socialseo.errors import SocialSeoError
from socialseo.project.base import ProjectBase

DayLike = date | str


def as_day(value: DayLike | None, name: str = "date") -> date | None:
    """A day from a ``date`` or a ``YYYY-MM-DD`` string; anything else is one clear error."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise SocialSeoError(f"{name} must be a day written YYYY-MM-DD, not {value!r}") from None


class Annotations(ProjectBase):
    """Dated notes shown on every time chart: the user's own (stored) and the automatic ones (computed)."""

    def add_annotation(self, day: DayLike, text: str, *, page: str | None = None,
                       platform: str | None = None) -> int:
        """Pin ``text`` to ``day`` (a date or ``YYYY-MM-DD``), for the whole site or one ``page`` (any spelling of
        it, see :meth:`resolve_page`) and/or one ``platform``; returns the note's id.

        >>> import socialseo
        >>> with socialseo.open(":memory:") as project:
        ...     project.add_annotation("2026-03-02", "site redesign live")
        1
        """
        when = as_day(day)
        assert when is not None
        words = " ".join(text.split())
        if not words:
            raise SocialSeoError("an annotation needs a text: say what happened that day")
        key = self.resolve_page(page) if page else None
        name = self.check_platform(platform) if platform else None
        return notes.add_note(self.warehouse.con, when, words, key, name)

    def annotations(self, *, page: str | None = None, platform: str | None = None,
                    start: DayLike | None = None, end: DayLike | None = None,
                    sources: tuple[str, ...] = notes.SOURCES) -> pd.DataFrame:
        """Every annotation (``id, date, source, text, page, platform``), oldest first: the user's notes
        (``source`` user, with their ``id``) and the automatic ones (post, spike, import, search_update).
        ``page`` keeps its own and the site's; ``platform`` keeps its own and those of no platform."""
        first, last = as_day(start, "start"), as_day(end, "end")
        if first and last and first > last:
            raise SocialSeoError(f"start ({first}) is after end ({last}): swap them")
        unknown = sorted(set(sources) - set(notes.SOURCES))
        if unknown:
            raise SocialSeoError(f"no annotation source {', '.join(unknown)}; sources: {', '.join(notes.SOURCES)}")
        key = self.resolve_page(page) if page else None
        chosen = (self.check_platform(platform),) if platform else ()
        return notes.list_annotations(self.warehouse.con, page=key, platforms=chosen, start=first, end=last,
                                 sources=sources)

    def remove_annotation(self, annotation_id: int) -> dict[str, object]:
        """Delete one of the user's notes by id; returns it. Automatic annotations come from the data: remove
        the data, not the mark."""
        return notes.remove_note(self.warehouse.con, int(annotation_id))
