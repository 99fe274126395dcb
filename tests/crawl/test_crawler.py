"""Real crawls of fixture sites served on 127.0.0.1: politeness, limits, bad servers, resume."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from aiohttp import web
from tests.crawl.sites import gzip_bomb, html, png, raw, redirect, serve

from socialseo.analysis.audit import load_config, run_site_audit
from socialseo.crawl.crawler import CrawlOptions
from socialseo.crawl.fetch import FetchLimits
from socialseo.crawl.store import run_crawl
from socialseo.store.warehouse import Warehouse


def _options(**kw: object) -> CrawlOptions:
    limits = kw.pop("limits", FetchLimits(timeout=2.0))
    settings: dict = {"allow_private": True, "rate": 0, "concurrency": 4, "limits": limits, **kw}
    return CrawlOptions(**settings)


def _pages(wh: Warehouse) -> dict[str, dict[str, object]]:
    frame = wh.sql("SELECT * FROM crawl_pages")
    return {str(r["url"]).split("/", 3)[3]: r for r in frame.to_dict("records")}


def test_crawl_follows_links_and_sitemaps_and_obeys_robots(warehouse: Warehouse) -> None:
    routes = {
        "/": html('<a href="/a">A</a> <a href="/b/?utm_source=x#top">B</a> <a href="https://elsewhere.example/">x</a>',
                  head="<title>Home</title>"),
        "/a": html('<a href="/">home</a> <a href="/private/x">hidden</a> <a href="/b">B again</a>'),
        "/b": html('<a href="/c" rel="nofollow">C</a>'),
        "/c": html("leaf"),
        "/only-in-sitemap": html("orphan"),
        "/private/x": html("must not be fetched"),
    }
    with serve(routes) as base:
        routes["/robots.txt"] = raw(f"User-agent: *\nDisallow: /private/\nSitemap: {base}/index.xml\n".encode(),
                                    "text/plain")
        routes["/index.xml"] = raw(f"<sitemapindex><sitemap><loc>{base}/s1.xml</loc></sitemap></sitemapindex>".encode(),
                                   "application/xml")
        routes["/s1.xml"] = raw(f"<urlset><url><loc>{base}/only-in-sitemap</loc></url></urlset>".encode(),
                                "application/xml")
        summary = run_crawl(warehouse, base + "/", _options())
        hits = dict(serve.hits)  # type: ignore[attr-defined]
    pages = _pages(warehouse)
    assert set(pages) == {"", "a", "b/?utm_source=x", "c", "only-in-sitemap", "private/x"}
    assert pages["private/x"]["error"] == "disallowed by robots.txt"
    assert "/private/x" not in hits
    assert pages["only-in-sitemap"]["depth"] == 1 and pages["c"]["depth"] == 2
    assert hits["/b/?utm_source=x"] == 1 and "/b" not in hits  # one key for /b and /b/?utm_source=x
    assert int(summary["pages"].iloc[0]) == 6
    assert json.loads(summary["skipped"].iloc[0])["external"] == 1
    links = warehouse.sql("SELECT href, rel, internal FROM page_links WHERE href LIKE '%/c'")
    assert list(links["rel"].iloc[0]) == ["nofollow"] and bool(links["internal"].iloc[0])


def test_private_addresses_are_refused_without_allow_private(warehouse: Warehouse) -> None:
    from socialseo.crawl.policy import BlockedAddressError

    with serve({"/": html("hi")}) as base:
        with pytest.raises(BlockedAddressError, match=r"loopback address.*--allow-private"):
            run_crawl(warehouse, base + "/", CrawlOptions(rate=0))
        hits = dict(serve.hits)  # type: ignore[attr-defined]
    assert hits == {}
    assert warehouse.count("crawls") == 0  # nothing left behind to "resume"


def test_redirect_loops_traps_storms_and_non_html_are_reported_and_the_crawl_continues(warehouse: Warehouse) -> None:
    calendar = "".join(f'<a href="/calendar/{y}/{m}">{m}</a>' for y in (2025, 2026) for m in range(1, 13))

    async def month(request: web.Request) -> web.Response:
        y, m = (int(p) for p in request.path.split("/")[2:4])
        nxt = f"/calendar/{y + (m == 12)}/{m % 12 + 1}"
        return web.Response(text=f'<html><body><a href="{nxt}">next</a></body></html>', content_type="text/html")

    async def storm(request: web.Request) -> web.Response:
        return web.Response(status=500 if request.path.endswith(("a", "c", "e")) else 404, text="boom")

    routes = {
        "/": html('<a href="/loop1">loop</a> <a href="/far">far</a> <a href="/file.pdf">pdf</a> <a href="/ok">ok</a>'
                  + calendar + "".join(f'<a href="/broken-{c}">b</a>' for c in "abcdef")),
        "/loop1": redirect("/loop2"), "/loop2": redirect("/loop1"),
        "/far": redirect("/r1"), "/r1": redirect("/r2"), "/r2": redirect("/r3"), "/r3": redirect("/ok"),
        "/file.pdf": raw(b"%PDF-1.4 " + b"x" * 1000, "application/pdf"),
        "/ok": html("fine"),
        "/robots.txt": raw(b"", "text/plain", status=404),  # else the calendar answers it: a 500 means disallow all
        "/sitemap.xml": raw(b"", "text/plain", status=404),
    }
    for c in "abcdef":  # letters, not digits: /broken-N would be one URL shape, capped as a trap
        routes[f"/broken-{c}"] = storm
    with serve(routes, fallback=month) as base:
        run_crawl(warehouse, base + "/", _options(trap_limit=5, limits=FetchLimits(timeout=2, max_redirects=2)))
    pages = _pages(warehouse)
    assert pages["loop1"]["error"].startswith("redirect loop")
    assert pages["far"]["error"] == "more than 2 redirects"
    assert pages["file.pdf"]["error"] == "not fetched: content type application/pdf" and pages["file.pdf"]["bytes"] == 0
    assert pages["ok"]["status"] == 200
    assert sorted(pages[f"broken-{c}"]["status"] for c in "abcdef") == [404, 404, 404, 500, 500, 500]
    assert sum(k.startswith("calendar/") for k in pages) == 5  # the URL pattern cap, not 24 + an endless chain


def test_slow_servers_gzip_bombs_huge_pages_and_wrong_charsets(warehouse: Warehouse) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.Response(text="late", content_type="text/html")

    latin = "<html><head><title>Café Crème</title></head><body>ok</body></html>".encode("latin-1")
    routes = {
        "/": html('<a href="/slow">s</a><a href="/bomb">b</a><a href="/huge">h</a><a href="/latin">l</a>'),
        "/slow": slow,
        "/bomb": gzip_bomb(64 << 20),
        "/huge": html("<p>" + "y" * (3 << 20) + '</p><a href="/after">after</a>'),
        "/latin": raw(latin, "text/html; charset=iso-8859-1"),
    }
    started = time.perf_counter()
    with serve(routes) as base:
        run_crawl(warehouse, base + "/", _options(limits=FetchLimits(timeout=1.0, max_bytes=1 << 20)))
    assert time.perf_counter() - started < 20
    pages = _pages(warehouse)
    assert pages["slow"]["error"] == "timed out after 1 s"
    assert pages["bomb"]["bytes"] == 1 << 20 and "body larger than" in pages["bomb"]["error"]
    assert pages["huge"]["bytes"] == 1 << 20 and "after" not in pages
    assert pages["latin"]["title"] == "Café Crème"


def test_og_images_are_probed_once_from_their_header_bytes(warehouse: Warehouse) -> None:
    big = png(1200, 630) + b"\0" * (2 << 20)  # trailing bytes a probe must not read
    head = '<meta property="og:image" content="{base}/hero.png">'
    routes: dict = {"/hero.png": raw(big, "image/png"), "/small.png": raw(png(300, 200), "image/png")}
    with serve(routes) as base:
        routes["/"] = html('<a href="/2">2</a><a href="/3">3</a>', head=head.format(base=base))
        routes["/2"] = html("", head=head.format(base=base))
        routes["/3"] = html("", head=f'<meta property="og:image" content="{base}/small.png">')
        run_crawl(warehouse, base + "/", _options())
        hits = dict(serve.hits)  # type: ignore[attr-defined]
    images = warehouse.sql("SELECT url, width, height FROM crawl_images ORDER BY url")
    assert [(u.rsplit("/", 1)[1], w, h) for u, w, h in images.itertuples(index=False)] == [
        ("hero.png", 1200, 630), ("small.png", 300, 200)]
    assert hits["/hero.png"] == 1


def test_og_images_disallowed_by_robots_txt_are_not_probed(warehouse: Warehouse) -> None:
    routes: dict = {"/img/hero.png": raw(png(1200, 630), "image/png"), "/ok.png": raw(png(10, 10), "image/png"),
                    "/robots.txt": raw(b"User-agent: *\nDisallow: /img/\n", "text/plain")}
    with serve(routes) as base:
        routes["/"] = html('<a href="/2">2</a>', head=f'<meta property="og:image" content="{base}/img/hero.png">')
        routes["/2"] = html("", head=f'<meta property="og:image" content="{base}/ok.png">')
        run_crawl(warehouse, base + "/", _options(sitemaps=False))
        hits = dict(serve.hits)  # type: ignore[attr-defined]
    images = warehouse.con.execute("SELECT url, width, error FROM crawl_images ORDER BY url").fetchall()
    assert [(u.rsplit("/", 1)[1], w, e) for u, w, e in images] == [
        ("hero.png", None, "disallowed by robots.txt"), ("ok.png", 10, None)]
    assert "/img/hero.png" not in hits and hits["/ok.png"] == 1
    findings = run_site_audit(warehouse.con, load_config(None))
    assert not findings["rule_id"].isin(["og-image-unreachable", "og-image-not-image"]).any()  # unknown, not broken


def test_crawl_delay_from_robots_paces_requests(warehouse: Warehouse) -> None:
    routes = {"/": html('<a href="/1">1</a><a href="/2">2</a>'), "/1": html(""), "/2": html(""),
              "/robots.txt": raw(b"User-agent: *\nCrawl-delay: 0.4\n", "text/plain")}
    started = time.perf_counter()
    with serve(routes) as base:
        run_crawl(warehouse, base + "/", _options(concurrency=8, sitemaps=False))
    # 3 pages, 0.4 s apart: at least 0.8 s even with 8 workers and no rate limit of our own
    assert time.perf_counter() - started >= 0.8
    assert warehouse.count("crawl_pages") == 3


def test_bad_start_urls_and_patterns_are_user_errors(warehouse: Warehouse) -> None:
    from socialseo.errors import SocialSeoError

    with pytest.raises(SocialSeoError, match="not an http"):
        run_crawl(warehouse, "ftp://example.com/", _options())
    with pytest.raises(SocialSeoError, match="not a regular expression"):
        run_crawl(warehouse, "https://example.com/", _options(include=("([",)))
