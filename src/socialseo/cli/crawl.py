"""``socialseo crawl START_URL``: crawl a site politely into the warehouse."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from socialseo.api import CrawledPage, CrawlOptions, FetchLimits
from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, console, open_project, print_frame, progress
from socialseo.cli.net import AllowHostOption, AllowPrivateOption

_DEFAULT = CrawlOptions()
_LIMITS = FetchLimits()


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl)


def crawl(
    start_url: Annotated[str, typer.Argument(help="Where to start, e.g. https://example.com/.")],
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="Stop after this many URLs.")] = 500,
    max_depth: Annotated[int, typer.Option("--max-depth", min=0, help="Links away from the start URL.")] = 10,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=256, help="Requests in flight.")] = 8,
    rate: Annotated[float, typer.Option("--rate", min=0, help="Requests per second per host (0: no limit).")] = 5.0,
    include: Annotated[list[str] | None, typer.Option("--include", help="Only URLs matching this regex.")] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="Skip URLs matching this regex.")] = None,
    user_agent: Annotated[str, typer.Option("--user-agent", help="User-Agent sent and matched in robots.txt.")] = (
        _LIMITS.user_agent),
    timeout: Annotated[float, typer.Option(
        "--timeout", min=0.1, help="Seconds per request, redirects and body included.")] = _LIMITS.timeout,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1024, help="Largest body read.")] = _LIMITS.max_bytes,
    max_redirects: Annotated[int, typer.Option("--max-redirects", min=0)] = _LIMITS.max_redirects,
    trap_limit: Annotated[int, typer.Option("--trap-limit", min=1,
                                            help="Most URLs of one shape (digits as N) before it is a trap.")] = 200,
    allow_private: AllowPrivateOption = False,
    allow_host: AllowHostOption = None,
    sitemaps: Annotated[bool, typer.Option("--sitemaps/--no-sitemaps", help="Seed from sitemaps.")] = True,
    fresh: Annotated[bool, typer.Option("--fresh", help="Start over instead of resuming an unfinished crawl.")] = False,
    as_json: JsonOption = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Crawl a site: follow internal links and sitemaps, obey robots.txt, store pages, links and og:image sizes."""
    options = CrawlOptions(
        max_pages=max_pages, max_depth=max_depth, concurrency=concurrency, rate=rate,
        include=tuple(include or ()), exclude=tuple(exclude or ()), allow_private=allow_private,
        allow_hosts=tuple(allow_host or ()), sitemaps=sitemaps, trap_limit=trap_limit,
        limits=FetchLimits(timeout=timeout, max_bytes=max_bytes, max_redirects=max_redirects, user_agent=user_agent),
    )
    with open_project(db) as project, progress("crawling", total=max_pages) as (bar, task):

        def advance(_page: CrawledPage) -> None:
            bar.advance(task)

        summary = project.crawl(start_url, options=options, fresh=fresh, on_page=advance)
    if as_json:
        print_frame(summary, as_json=True)
        return
    row = summary.iloc[0]
    verb = "resumed and finished" if row["resumed"] else "finished"
    console.print(
        f"{escape(str(row['crawl_id']))} {verb}: {int(row['pages']):,} URLs stored "
        f"({int(row['fetched_now']):,} fetched now), {int(row['errors']):,} with errors",
        highlight=False,
    )
    if row["notes"]:
        console.print(f"[yellow]{escape(str(row['notes']))}[/yellow]", highlight=False)
    console.print(f"[dim]skipped: {escape(str(row['skipped']))}[/dim]", highlight=False)
