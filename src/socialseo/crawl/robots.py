"""robots.txt (parsed by Protego) and XML sitemaps, read the way RFC 9309 and sitemaps.org say.

robots.txt answers: a 4xx means no rules (crawl everything), a 5xx or an unreachable server means "disallow all"
until it can be read (RFC 9309 §2.3.1.3), so a broken server is not hammered. Only the first 500 KiB of a
robots.txt are read and parsed (RFC 9309 §2.5: "a parsing limit MUST be at least 500 kibibytes"); a longer file
is not an error, its rules past the limit are simply not seen. Sitemaps are read with a forgiving
``<loc>`` scan rather than an XML parser: real sitemaps are often not well-formed, and a scan cannot be made to
expand entities.
"""

from __future__ import annotations

import gzip
import html
import re
import zlib
from dataclasses import dataclass, field

from protego import Protego

from socialseo.crawl.fetch import FetchResult
from socialseo.crawl.policy import REFUSED

DISALLOWED = "disallowed by robots.txt"
"""The error recorded for a URL robots.txt keeps the crawler from fetching."""

ROBOTS_MAX_BYTES = 500 << 10
"""How much of a robots.txt is read (RFC 9309 §2.5)."""

_LOC = re.compile(rb"<(?:\w+:)?loc>\s*(.*?)\s*</(?:\w+:)?loc>", re.DOTALL | re.IGNORECASE)
_INDEX = re.compile(rb"<(?:\w+:)?sitemapindex[\s>]", re.IGNORECASE)


@dataclass
class RobotsRules:
    """One host's robots.txt as the crawler uses it."""

    parser: Protego | None
    disallow_all: bool = False
    note: str | None = None
    sitemaps: list[str] = field(default_factory=list)
    refused: str | None = None  # the address policy's refusal of this host: nothing on it is fetched, and this says why

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.disallow_all:
            return False
        return True if self.parser is None else bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return None if delay is None else float(delay)


def robots_from_fetch(result: FetchResult) -> RobotsRules:
    """Turn the fetch of ``/robots.txt`` into rules, following RFC 9309 on errors."""
    if result.status is not None and 200 <= result.status < 300 and (result.error is None or result.truncated):
        body = result.body
        note = None
        if result.truncated:  # the line cut at the limit may be half a rule: it is dropped, not misread
            body = body[: body.rfind(b"\n") + 1]
            note = f"robots.txt is larger than {len(result.body) >> 10:,} KiB: its first part was read (RFC 9309)"
        text = body.decode("utf-8", errors="replace")
        parser = Protego.parse(text)
        return RobotsRules(parser, sitemaps=list(parser.sitemaps), note=note)
    if result.status is not None and 400 <= result.status < 500:
        return RobotsRules(None, note=f"robots.txt answered {result.status}: no rules, everything allowed")
    reason = result.error or f"status {result.status}"
    if reason.startswith(REFUSED):
        return RobotsRules(None, disallow_all=True, note=f"not crawled: {reason}", refused=reason)
    return RobotsRules(None, disallow_all=True, note=f"robots.txt unreadable ({reason}): nothing crawled on this host")


@dataclass
class Sitemap:
    """The ``<loc>`` entries of one sitemap file, and whether it was an index of further sitemaps."""

    is_index: bool
    locations: list[str]


def parse_sitemap(body: bytes, *, max_bytes: int = 50 << 20) -> Sitemap:
    """Read a sitemap or sitemap index, gzipped or not (sitemaps.org caps a file at 50 MB uncompressed).

    >>> parse_sitemap(b"<urlset><url><loc> https://a.example/x?a=1&amp;b=2 </loc></url></urlset>").locations
    ['https://a.example/x?a=1&b=2']
    """
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body, max_bytes)
    found = [html.unescape(m.decode("utf-8", errors="replace")) for m in _LOC.findall(body)]
    return Sitemap(bool(_INDEX.search(body[:4096])), [u for u in found if u.startswith(("http://", "https://"))])


def _gunzip(body: bytes, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        return inflater.decompress(body, max_bytes)
    except zlib.error:
        try:
            return gzip.decompress(body)[:max_bytes]
        except (OSError, EOFError):
            return b""
