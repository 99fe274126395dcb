"""Backlink commands: ``ingest pages|backlinks|warc|backlinks-parquet``, ``inspect``, ``brand``, ``backlinks``,
``mentions``. Each parses arguments, calls one library function and prints."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.api import inspect as inspect_page
from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, console, err_console, open_project, print_frame
from socialseo.cli.ingest import PathsArgument, expand_paths, importing, print_result
from socialseo.cli.net import (
    DEFAULT_PAGE_MAX_BYTES,
    DEFAULT_PAGE_TIMEOUT,
    AllowHostOption,
    AllowPrivateOption,
    PageMaxBytesOption,
    PageTimeoutOption,
)
from socialseo.errors import SocialSeoError

SiteOption = Annotated[list[str] | None, typer.Option("--site", help="The site's own host (repeat for several).")]


def ingest_pages(
    targets: Annotated[list[str], typer.Argument(help="Saved HTML files (globs work) or http(s) URLs.")],
    site: SiteOption = None,
    delay: Annotated[float, typer.Option("--delay", help="Seconds between requests to one host.")] = 1.0,
    timeout: PageTimeoutOption = DEFAULT_PAGE_TIMEOUT,
    max_bytes: PageMaxBytesOption = DEFAULT_PAGE_MAX_BYTES,
    allow_private: AllowPrivateOption = False,
    allow_host: AllowHostOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Read pages (files or URLs, fetched politely: robots.txt, --delay; public addresses only) for links to the
    site and brand mentions.

    A URL that cannot be fetched is quarantined with the reason and the others are still read. Exit status: 0 when
    every target was read, 1 when some URLs could not be fetched, 2 when none of the targets could be read.
    """
    items = [t for t in targets if t.startswith(("http://", "https://"))]
    items += [str(p) for p in expand_paths([t for t in targets if not t.startswith(("http://", "https://"))])]
    with importing(db, "reading pages", len(items)) as (project, done):
        results = project.ingest_pages(items, site=site, delay=delay, on_file_done=done, allow_private=allow_private,
                                       allow_hosts=allow_host or (), timeout=timeout, max_bytes=max_bytes)
        failed = project.pages_not_fetched(results)
    if not failed:
        return
    first = failed[0].notes[0].split(": ", 1)[-1]
    summary = (f"{len(failed):,} of {len(results):,} page(s) not fetched and quarantined"
               + (f": {first}" if len(failed) == 1 else f" (first: {first})")
               + "; see socialseo sql \"SELECT * FROM quarantine WHERE reason LIKE 'fetch:%'\"")
    if len(failed) == len(results):
        raise SocialSeoError(summary)
    err_console.print(f"[bold yellow]warning:[/bold yellow] {escape(summary)}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def ingest_backlinks(
    paths: PathsArgument,
    target: Annotated[
        str | None, typer.Option("--target", help="Target page of a Search Console per-page links export.")
    ] = None,
    layout: Annotated[
        str | None, typer.Option("--layout", help="Read as this layout whatever its header: ahrefs, semrush, moz, "
                                                   "majestic, ubersuggest, gsc, generic or custom (--map only).")
    ] = None,
    column_map: Annotated[
        list[str] | None, typer.Option("--map", help="COLUMN=FIELD (repeat): source, target, anchor, rel, nofollow, "
                                                      "ugc, sponsored, first_seen, last_seen, lost.")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import backlink exports: Ahrefs, Semrush, Moz, Majestic, Ubersuggest, Search Console 'Links', generic CSV."""
    files = expand_paths(paths)
    with importing(db, "importing backlinks", len(files)) as (project, done):
        project.ingest_backlinks(files, target=target, layout=layout, column_map=column_map, on_file_done=done)


def ingest_warc(
    paths: PathsArgument,
    site: SiteOption = None,
    all_referrers: Annotated[
        bool, typer.Option("--all-referrers", help="Keep links from every external site, not only social platforms.")
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Read WARC (responses) and WAT (metadata) files for links from social platforms to the site."""
    files = expand_paths(paths)
    with importing(db, "reading archives", len(files)) as (project, done):
        project.ingest_warc(files, site=site, all_referrers=all_referrers, on_file_done=done)


def ingest_backlinks_parquet(paths: PathsArgument, site: SiteOption = None, db: DbOption = DEFAULT_DB) -> None:
    """Load the Parquet output of the Spark backlink job (a directory or part files)."""
    with open_project(db) as project:
        project.ingest_backlinks_parquet(expand_paths(paths), site=site, on_file_done=print_result)


def inspect(
    page: Annotated[str, typer.Argument(help="A saved HTML file or an http(s) URL.")],
    url: Annotated[str | None, typer.Option("--url", help="The address a saved file was fetched from.")] = None,
    timeout: PageTimeoutOption = DEFAULT_PAGE_TIMEOUT,
    max_bytes: PageMaxBytesOption = DEFAULT_PAGE_MAX_BYTES,
    allow_private: AllowPrivateOption = False,
    allow_host: AllowHostOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print what the extractor reads from one page: links with rel and text, canonical, OG, Twitter, JSON-LD."""
    data = inspect_page(page, url=url, allow_private=allow_private, allow_hosts=allow_host or (), timeout=timeout,
                        max_bytes=max_bytes).to_dict()
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    import pandas as pd

    summary = {k: v for k, v in data.items() if k not in ("links", "jsonld", "opengraph", "twitter")}
    summary.update(links=len(data["links"]), opengraph=len(data["opengraph"]), twitter=len(data["twitter"]),
                   jsonld=len(data["jsonld"]))
    print_frame(pd.DataFrame([{"field": k, "value": str(v)} for k, v in summary.items()]), as_json=False)
    print_frame(pd.DataFrame(data["links"], columns=["href", "text", "rel", "tag", "followed"]), as_json=False,
                title="Links")


brand_app = typer.Typer(help="The brand's names and handles, looked for as mentions.", no_args_is_help=True)


@brand_app.command("set")
def brand_set(
    name: Annotated[list[str] | None, typer.Option("--name", help="A brand name (repeat for several).")] = None,
    handle: Annotated[list[str] | None, typer.Option("--handle", help="A social handle, e.g. @brand.")] = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Replace the brand's names and handles; mentions in imported posts and saved pages are found again.

    A page fetched from a URL keeps only its links, not its text: the output names how many such pages were not
    read again, and ``socialseo ingest pages URL`` on them finds their mentions.
    """
    with open_project(db) as project:
        brand = project.set_brand(name or [], handle or [], refind=False)
        scan = project.refind_mentions()
        found = int(project.mentions()[["linked", "unlinked"]].sum().sum()) if not brand.empty else 0
    print_frame(brand, as_json=as_json, title="Brand")
    say = err_console.print if as_json else console.print
    if brand.empty:
        say("no brand terms left: mentions are no longer looked for", highlight=False)
        return
    say(f"brand mentions: {found:,} imported post(s) and page(s) name the brand ({scan.pages_read:,} saved page(s) "
        "read again)", highlight=False, soft_wrap=True)
    if scan.not_read:
        shown = ", ".join(scan.not_read[:3]) + (" …" if len(scan.not_read) > 3 else "")
        say(f"{len(scan.not_read):,} page(s) imported before could not be read again (fetched from a URL, or the "
            f"file moved or changed; only their links were kept): run socialseo ingest pages on them again to find "
            f"their mentions ({escape(shown)})", highlight=False, soft_wrap=True)


@brand_app.command("show")
def brand_show(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Print the brand's names and handles."""
    with open_project(db, read_only=True) as project:
        print_frame(project.brand(), as_json=as_json, title="Brand",
                    empty="no brand set: run socialseo brand set --name NAME --handle @HANDLE")


def backlinks(
    by: Annotated[str, typer.Option("--by", help="platform, target, anchor, month or link (every link).")] = "platform",
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """The social backlink inventory: per platform, per target page, top anchors, new/lost per month, or all."""
    with open_project(db, read_only=True) as project:
        frames = {
            "platform": project.backlink_summary, "target": project.backlink_targets, "anchor": project.top_anchors,
            "month": project.backlinks_over_time, "link": project.backlinks,
        }
        if by not in frames:
            raise SocialSeoError(f"--by must be one of {', '.join(frames)}")
        print_frame(frames[by](), as_json=as_json, title=f"Backlinks by {by}",
                    empty=lambda: project.why_empty("backlinks"))


def mentions(
    opportunities: Annotated[
        bool, typer.Option("--opportunities", help="List pages that mention the brand without a link.")
    ] = False,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Linked and unlinked brand mentions per platform, or the unlinked ones as link opportunities."""
    with open_project(db, read_only=True) as project:
        frame = project.link_opportunities() if opportunities else project.mentions()
        print_frame(frame, as_json=as_json, title="Link opportunities" if opportunities else "Brand mentions",
                    empty=lambda: project.why_empty("opportunities" if opportunities else "mentions"))


def register(app: typer.Typer, ingest_app: typer.Typer) -> None:
    ingest_app.command("pages")(ingest_pages)
    ingest_app.command("backlinks")(ingest_backlinks)
    ingest_app.command("warc")(ingest_warc)
    ingest_app.command("backlinks-parquet")(ingest_backlinks_parquet)
    app.command("inspect")(inspect)
    app.add_typer(brand_app, name="brand")
    app.command("backlinks")(backlinks)
    app.command("mentions")(mentions)


__all__ = ["register"]
