"""Which report sections each dashboard page shows, and the request's filters.

Sections are matched to pages by words in their key, so a section another module adds (``backlinks-rel``,
``impact-pages``) lands on the right page without a change here; a section no page claims goes to the overview.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import HTTPException

from socialseo.api import Filters, Section, check_compare
from socialseo.errors import SocialSeoError


@dataclass(frozen=True)
class View:
    name: str
    title: str
    words: tuple[str, ...]


VIEWS = [
    View("overview", "Overview", ("actions",)),
    View("channels", "Channels", ("channel", "data", "import")),
    View("platforms", "Platforms", ("social", "landing", "platform", "post", "rank")),
    View("pages", "Pages", ("timeline",)),
    View("backlinks", "Backlinks", ("backlink", "link", "mention")),
    View("audits", "Audits", ("audit",)),
    View("search", "Search", ("search",)),
    View("impact", "Impact", ("impact", "metric", "effect")),
]
BY_NAME = {v.name: v for v in VIEWS}


def view_of(section: Section) -> str:
    key = section.key.lower()
    for view in VIEWS[1:]:
        if any(word in key for word in view.words):
            return view.name
    return "overview"


def sections_for(view: str, sections: list[Section]) -> list[Section]:
    return [s for s in sections if view_of(s) == view]


def parse_filters(start: str | None, end: str | None, platform: list[str] | None,
                  compare: str | None = None) -> Filters:
    """Filters from query parameters; a malformed date or comparison is the client's error (400), not a crash."""

    def day(value: str | None, name: str) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise HTTPException(400, f"{name} must be a date YYYY-MM-DD, not {value!r}") from exc

    first, last = day(start, "start"), day(end, "end")
    if first and last and first > last:
        raise HTTPException(400, f"start ({first}) is after end ({last}): swap them")
    try:
        other = check_compare(compare)
    except SocialSeoError as exc:
        raise HTTPException(400, str(exc).replace("--compare", "compare")) from exc
    return Filters(first, last, tuple(p.lower() for p in platform or [] if p), other)
