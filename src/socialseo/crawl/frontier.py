"""Which discovered URLs the crawl will fetch: in scope, not seen, not a trap, within the limits.

URLs are deduplicated by :func:`socialseo.classify.normalize_url` (tracking parameters dropped, query sorted,
trailing slash ignored), the same key the rest of socialseo uses for a page. Traps (calendars that go on forever,
faceted searches) are capped by *shape*: digits become ``N`` and query values are dropped, and no shape may take
more than ``trap_limit`` URLs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from socialseo.classify import normalize_url

_DIGITS = re.compile(r"\d+")
_QUERY_VALUES = re.compile(r"=[^&]*")
MAX_URL_LENGTH = 2048


def url_key(url: str) -> str:
    """The key a URL is deduplicated by.

    >>> url_key("https://Example.com/blog/?utm_source=x&b=2&a=1#top")
    'https://example.com/blog?a=1&b=2'
    """
    return normalize_url(url)


def url_shape(url: str) -> str:
    """The pattern a URL trap repeats: digits and query values stripped.

    >>> url_shape("https://a.example/calendar/2026/11?view=month&page=3")
    'https://a.example/calendar/N/N?view&page'
    """
    return _DIGITS.sub("N", _QUERY_VALUES.sub("", url.split("#", 1)[0]))


def site_host(host: str) -> str:
    """A host without its ``www.``: the site is the same on both."""
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


@dataclass
class Frontier:
    """Admission rules and the set of keys already queued (persisted by the crawl for resuming)."""

    start_url: str
    max_depth: int = 10
    trap_limit: int = 200
    include: list[re.Pattern[str]] = field(default_factory=list)
    exclude: list[re.Pattern[str]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    shapes: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.host = site_host(urlsplit(self.start_url).netloc)

    def is_internal(self, url: str) -> bool:
        return site_host(urlsplit(url).netloc) == self.host

    def admit(self, url: str, depth: int) -> str | None:
        """The URL's key when it should be fetched now, else None (and the reason counted in ``skipped``)."""
        url = url.split("#", 1)[0]
        reason = self._refusal(url, depth)
        if reason is not None:
            self.skipped[reason] += 1
            return None
        key = url_key(url)
        if key in self.seen:
            return None
        shape = url_shape(key)
        if self.shapes[shape] >= self.trap_limit:
            self.skipped["URL pattern cap (trap)"] += 1
            return None
        self.shapes[shape] += 1
        self.seen.add(key)
        return key

    def remember(self, key: str) -> None:
        """Mark a key as queued (on resume, from the stored queue)."""
        if key not in self.seen:
            self.seen.add(key)
            self.shapes[url_shape(key)] += 1

    def _refusal(self, url: str, depth: int) -> str | None:
        if not url.startswith(("http://", "https://")):
            return "not http(s)"
        if len(url) > MAX_URL_LENGTH:
            return "URL too long"
        if depth > self.max_depth:
            return "deeper than --max-depth"
        if not self.is_internal(url):
            return "external"
        if self.include and not any(p.search(url) for p in self.include):
            return "not matched by --include"
        if any(p.search(url) for p in self.exclude):
            return "matched by --exclude"
        return None
