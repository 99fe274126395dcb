"""Share buttons on a page: share-link URLs per platform, and third-party share widgets in the HTML.

Share *links* are read from the extractor's links (``data/share_buttons.yaml`` patterns). Share *widgets* are
usually a script plus an empty ``<div class=...>`` filled in by JavaScript, so they leave no link; they are found by
their markers in the raw HTML, a byte search that costs far less than a second parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

import yaml


@cache
def _data() -> dict[str, dict[str, list[str]]]:
    text = resources.files("socialseo.crawl").joinpath("data", "share_buttons.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {"share_links": data["share_links"], "widgets": data["widgets"]}


@cache
def _share_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (platform, re.compile(pattern, re.IGNORECASE))
        for platform, patterns in _data()["share_links"].items()
        for pattern in patterns
    )


@cache
def _widget_markers() -> tuple[tuple[str, bytes], ...]:
    return tuple((name, m.encode().lower()) for name, markers in _data()["widgets"].items() for m in markers)


def share_platforms() -> list[str]:
    """Platform ids that have a known share-link URL."""
    return list(_data()["share_links"])


def share_link_platform(href: str) -> str | None:
    """The platform a share link shares to, or None.

    >>> share_link_platform("https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fa.example")
    'facebook'
    >>> share_link_platform("https://www.facebook.com/acme") is None
    True
    """
    for platform, pattern in _share_patterns():
        if pattern.search(href):
            return platform
    return None


def share_link_platforms(hrefs: Iterable[str]) -> list[str]:
    """The distinct platforms the share links among ``hrefs`` share to, in first-seen order."""
    return list(dict.fromkeys(p for p in map(share_link_platform, hrefs) if p is not None))


def find_widgets(html: bytes) -> list[str]:
    """Names of the share widgets whose markers appear in ``html``.

    >>> find_widgets(b'<script src="https://static.addtoany.com/menu/page.js"></script>')
    ['AddToAny']
    """
    lowered = html.lower()
    return list(dict.fromkeys(name for name, marker in _widget_markers() if marker in lowered))
