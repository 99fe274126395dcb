"""Crawl throughput: socialseo's crawler vs Scrapy on the same 2,000-page site served on 127.0.0.1.

Both crawl the same fixture site at concurrency 32 with robots.txt obeyed, and both extract what the audit needs
(title, canonical, Open Graph, Twitter Card, JSON-LD, links); socialseo also stores every page and link in DuckDB.
The site is served by a separate process so neither crawler shares its interpreter with the server.

    python benchmarks/bench_crawl.py [--pages 2000] [--concurrency 32]

Scrapy is installed with pip if it is missing (it is in the ``bench`` extra).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# -- the fixture site -------------------------------------------------------------------------------------------
def page_html(n: int, pages: int) -> bytes:
    links = "".join(f'<li><a href="/p/{(n * 7 + k * 13) % pages}">Article {(n * 7 + k * 13) % pages}</a></li>'
                    for k in range(30))
    jsonld = json.dumps({"@context": "https://schema.org", "@type": "Article", "headline": f"Article {n}",
                         "publisher": {"@type": "Organization", "name": "Bench",
                                       "sameAs": ["https://x.com/bench", "https://www.linkedin.com/company/bench"]}})
    body = "<p>" + " ".join(f"Paragraph text {i} about tools and woodworking." for i in range(120)) + "</p>"
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Article {n} | Bench</title>"
        f'<meta name="description" content="Article {n} of the benchmark site.">'
        f'<link rel="canonical" href="/p/{n}"><meta property="og:title" content="Article {n}">'
        f'<meta property="og:type" content="article"><meta property="og:image" content="/img/{n}.png">'
        f'<meta name="twitter:card" content="summary_large_image">'
        f'<script type="application/ld+json">{jsonld}</script></head><body><nav><ul>{links}</ul></nav>{body}'
        f'<a href="https://www.facebook.com/sharer/sharer.php?u=/p/{n}">Share</a>'
        f'<a href="https://x.com/bench" rel="me">X</a></body></html>'
    ).encode()


def serve(pages: int, port_file: Path) -> None:
    from aiohttp import web

    bodies = {f"/p/{n}": page_html(n, pages) for n in range(pages)}
    bodies["/"] = bodies["/p/0"]

    async def handler(request: web.Request) -> web.Response:
        if request.path == "/robots.txt":
            return web.Response(text="User-agent: *\nDisallow: /private/\n")
        body = bodies.get(request.path)
        if body is None:
            return web.Response(status=404, text="not found")
        return web.Response(body=body, content_type="text/html", charset="utf-8")

    async def start() -> None:
        app = web.Application()
        app.router.add_get("/{tail:.*}", handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        port_file.write_text(str(runner.addresses[0][1]))
        while True:
            await asyncio.sleep(3600)

    import asyncio

    asyncio.run(start())


# -- the peer ---------------------------------------------------------------------------------------------------
SCRAPY_SPIDER = '''
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess

base, pages, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
stats = {"pages": 0}

class Site(scrapy.Spider):
    name = "bench"
    start_urls = [base + "/"]
    custom_settings = {"CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
                       "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "ERROR", "CLOSESPIDER_PAGECOUNT": pages,
                       "TELNETCONSOLE_ENABLED": False, "COOKIES_ENABLED": False, "DOWNLOAD_DELAY": 0,
                       "USER_AGENT": "bench"}

    def parse(self, response):
        stats["pages"] += 1
        item = {
            "url": response.url, "title": response.css("title::text").get(),
            "canonical": response.css("link[rel=canonical]::attr(href)").get(),
            "og": dict(zip(response.css("meta[property^='og:']::attr(property)").getall(),
                           response.css("meta[property^='og:']::attr(content)").getall())),
            "twitter": response.css("meta[name^='twitter:']::attr(content)").getall(),
            "jsonld": [json.loads(t) for t in response.css("script[type='application/ld+json']::text").getall()],
            "links": [(a.attrib.get("href"), a.attrib.get("rel"), a.css("::text").get()) for a in response.css("a")],
        }
        for href, _rel, _text in item["links"]:
            if href and href.startswith("/p/"):
                yield response.follow(href, self.parse)

process = CrawlerProcess()
started = time.perf_counter()
process.crawl(Site)
process.start()
print(json.dumps({"pages": stats["pages"], "seconds": time.perf_counter() - started}))
'''


def ensure_scrapy() -> None:
    try:
        import scrapy  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "scrapy>=2.12,<3"], check=True)


def run_scrapy(base: str, pages: int, concurrency: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(SCRAPY_SPIDER)
    out = subprocess.run([sys.executable, handle.name, base, str(pages), str(concurrency)],
                         capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run_ours(base: str, pages: int, concurrency: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "src"))
    from socialseo.crawl.crawler import CrawlOptions
    from socialseo.crawl.store import run_crawl
    from socialseo.store.warehouse import Warehouse

    with tempfile.TemporaryDirectory() as tmp, Warehouse(Path(tmp) / "bench.duckdb") as wh:
        options = CrawlOptions(max_pages=pages, concurrency=concurrency, rate=0, allow_private=True,
                               trap_limit=pages * 2, max_depth=1000, probe_images=False, sitemaps=False)
        started = time.perf_counter()
        summary = run_crawl(wh, base + "/", options)
        seconds = time.perf_counter() - started
        links = wh.count("page_links")
    return {"pages": int(summary["pages"].iloc[0]), "seconds": seconds, "links": links}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.pages, args.serve)
        return
    ensure_scrapy()
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(port_file), "--pages", str(args.pages)])
        try:
            while not port_file.exists() or not port_file.read_text():
                time.sleep(0.05)
            base = f"http://127.0.0.1:{port_file.read_text()}"
            scrapy_result = run_scrapy(base, args.pages, args.concurrency)
            ours = run_ours(base, args.pages, args.concurrency)
        finally:
            server.terminate()
            server.wait(10)
    ours_rate = ours["pages"] / ours["seconds"]
    peer_rate = scrapy_result["pages"] / scrapy_result["seconds"]
    print(f"site: {args.pages:,} pages on 127.0.0.1, concurrency {args.concurrency}, robots.txt obeyed")
    print(f"socialseo crawl (aiohttp + selectolax + DuckDB store): {ours['pages']:,} pages, "
          f"{int(ours['links']):,} links stored in {ours['seconds']:.2f} s = {ours_rate:,.0f} pages/s")
    print(f"Scrapy (parsel extraction, no storage):             {scrapy_result['pages']:,} pages "
          f"in {scrapy_result['seconds']:.2f} s = {peer_rate:,.0f} pages/s")
    print(f"ratio socialseo / Scrapy: {ours_rate / peer_rate:.2f}x")


if __name__ == "__main__":
    main()
