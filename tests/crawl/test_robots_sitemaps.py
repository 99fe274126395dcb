"""robots.txt answers per RFC 9309, sitemaps (plain, gzipped, indexes), URL shapes and the address guard."""

from __future__ import annotations

import gzip

from socialseo.crawl.fetch import FetchResult
from socialseo.crawl.frontier import Frontier, url_shape
from socialseo.crawl.robots import parse_sitemap, robots_from_fetch


def _robots(status: int | None, body: bytes = b"", error: str | None = None) -> FetchResult:
    return FetchResult("https://a.example/robots.txt", "https://a.example/robots.txt", status=status, body=body,
                       error=error)


def test_robots_4xx_allows_everything_and_5xx_or_unreachable_allows_nothing() -> None:
    assert robots_from_fetch(_robots(404)).allowed("https://a.example/x", "bot")
    assert not robots_from_fetch(_robots(503)).allowed("https://a.example/x", "bot")
    assert not robots_from_fetch(_robots(None, error="timed out")).allowed("https://a.example/x", "bot")
    rules = robots_from_fetch(_robots(200, b"User-agent: acme\nDisallow: /\n\nUser-agent: *\nCrawl-delay: 2\n"))
    assert not rules.allowed("https://a.example/x", "acme/1.0") and rules.allowed("https://a.example/x", "other")
    assert rules.crawl_delay("other") == 2.0


def test_sitemaps_gzipped_indexes_and_broken_xml_are_read() -> None:
    index = gzip.compress(b"<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                          b"<sitemap><loc>https://a.example/s1.xml.gz</loc></sitemap></sitemapindex>")
    parsed = parse_sitemap(index)
    assert parsed.is_index and parsed.locations == ["https://a.example/s1.xml.gz"]
    broken = b"<urlset><url><loc>https://a.example/a</loc></url><url><loc>javascript:x</loc><url><loc>https://a.example/b"
    assert parse_sitemap(broken).locations == ["https://a.example/a"]
    bomb = gzip.compress(b"<urlset>" + b" " * (60 << 20))
    assert parse_sitemap(bomb).locations == []


def test_frontier_caps_url_shapes_and_keeps_to_the_site() -> None:
    frontier = Frontier("https://www.a.example/", trap_limit=3)
    admitted = [frontier.admit(f"https://a.example/cal/2026/{m}", 1) for m in range(1, 8)]
    assert sum(a is not None for a in admitted) == 3
    assert frontier.admit("https://other.example/", 1) is None and frontier.skipped["external"] == 1
    assert url_shape("https://a.example/p?id=12&sort=up") == "https://a.example/p?id&sort"
