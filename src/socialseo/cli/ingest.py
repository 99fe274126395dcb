"""``socialseo ingest ...``: every command that brings files into the warehouse, one per source.

Each parses its arguments, calls one ``Project.ingest_*`` method and prints one line per file; the helpers here
(globs, the progress bar, the per-file line) are shared with the few other commands that import files.
"""

from __future__ import annotations

import glob
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.api import ImportResult, Project
from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, console, err_console, open_project, progress
from socialseo.cli.net import (
    DEFAULT_PAGE_MAX_BYTES,
    DEFAULT_PAGE_TIMEOUT,
    AllowHostOption,
    AllowPrivateOption,
    PageMaxBytesOption,
    PageTimeoutOption,
)
from socialseo.cli.page_daily import print_page_daily
from socialseo.errors import InputFileError, SocialSeoError

app = typer.Typer(help="Import access logs, Search Console exports, social post exports, backlinks.",
                  no_args_is_help=True)

PathsArgument = Annotated[list[str], typer.Argument(help="Files or glob patterns (quote globs).")]
SiteOption = Annotated[list[str] | None, typer.Option("--site", help="The site's own host (repeat for several).")]


def expand_paths(patterns: list[str]) -> list[Path]:
    """Expand globs ourselves so quoted patterns work on every shell; a pattern matching nothing is an error."""
    paths: list[Path] = []
    for pattern in patterns:
        if any(ch in pattern for ch in "*?["):
            matches = sorted(glob.glob(pattern, recursive=True))
            if not matches:
                raise InputFileError(f"{pattern}: no file matches")
            paths.extend(Path(m) for m in matches)
        else:
            paths.append(Path(pattern))
    return paths


def print_result(result: ImportResult) -> None:
    style = "dim" if result.skipped else "green"
    console.print(f"[{style}]{escape(result.message)}[/{style}]", highlight=False, soft_wrap=True)


@contextmanager
def importing(
    db: Path, description: str, total: int
) -> Iterator[tuple[Project, Callable[[ImportResult], None]]]:
    """Open the warehouse with a progress bar over ``total`` files; ``done`` advances it and prints one result."""
    with open_project(db) as project, progress(description, total=total) as (bar, task):

        def done(result: ImportResult) -> None:
            bar.advance(task)
            print_result(result)

        yield project, done


@app.command("logs")
def logs(
    paths: PathsArgument,
    log_format: Annotated[
        str,
        typer.Option("--format", help="auto (detect), combined, common, json, alb or cloudfront."),
    ] = "auto",
    nginx_spec: Annotated[
        str | None,
        typer.Option("--log-format", help="An Nginx log_format string, for logs in a layout of your own."),
    ] = None,
    site: Annotated[
        list[str] | None, typer.Option("--site", help="The site's own host (repeat for several).")
    ] = None,
    keep_ip: Annotated[bool, typer.Option("--keep-ip", help="Store raw IP addresses (off: masked).")] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import access logs (.log, .gz, .zst; many files and globs), classify every hit, rebuild sessions."""
    files = expand_paths(paths)
    total = sum(f.stat().st_size for f in files if f.is_file())
    with open_project(db) as project, progress("importing logs", total=total, in_bytes=True) as (bar, task):
        project.ingest_logs(
            files, log_format=log_format, nginx_format=nginx_spec, site=site or None, keep_ip=keep_ip,
            on_file_done=print_result, on_progress=lambda done, _total: bar.update(task, completed=done),
        )
        sessions = project.count("sessions")
    console.print(f"{sessions:,} sessions in {escape(str(db))}", highlight=False)


@app.command("ga4")
def ga4(
    paths: PathsArgument,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import GA4 "Traffic acquisition" CSV exports (session source / medium), for sites without logs."""
    files = expand_paths(paths)
    with open_project(db) as project:
        project.ingest_ga4(files, on_file_done=print_result)


@app.command("posts")
def posts(
    paths: PathsArgument,
    platform: Annotated[
        str, typer.Option("--platform", help="facebook, instagram, x, linkedin, pinterest, youtube, tiktok, "
                                              "reddit, bluesky (a repository .car), or auto (detect from the "
                                              "header row, or a .car by its content).")
    ] = "auto",
    layout: Annotated[
        str | None, typer.Option("--layout", help="Force one layout (e.g. linkedin_member, pinterest), even when "
                                                  "the header does not fit it with confidence.")
    ] = None,
    column_map: Annotated[
        list[str] | None, typer.Option("--map", help="COLUMN=FIELD for another layout (repeat); needs --platform.")
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Read this sheet of an XLSX workbook (default: the best fit).")
    ] = None,
    site: Annotated[
        list[str] | None, typer.Option("--site", help="The site's own host (repeat); hosts already known from "
                                                      "Search Console, logs or earlier imports need not be given.")
    ] = None,
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="Zone of timestamps written without one (e.g. Europe/Berlin).")
    ] = None,
    links: Annotated[
        Path | None, typer.Option("--links", help="CSV of short_url,expanded_url pairs to resolve short links.")
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import social post exports (CSV/XLSX) of Meta, X, LinkedIn, Pinterest, YouTube, TikTok, Reddit, and a
    Bluesky account's repository export (CAR).

    Each post is linked to the page of the site it points to; the summary says how many were linked and why the
    others were not.
    """
    files = expand_paths(paths)
    options = {"platform": platform, "column_map": column_map, "timezone": timezone, "links": links,
               "sheet": sheet, "layout": layout, "site": site or ()}
    if as_json:
        with open_project(db) as project:
            results = project.ingest_posts(files, **options)  # type: ignore[arg-type]
            summary = project.post_links(results)
        data = {"files": [_result_json(r) for r in results], **summary}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    with importing(db, "importing posts", len(files)) as (project, done):
        results = project.ingest_posts(files, on_file_done=done, **options)  # type: ignore[arg-type]
        summary = project.post_links(results)
    _print_links(summary)
    print_page_daily(db)


def _result_json(result: ImportResult) -> dict[str, object]:
    return {"path": result.path, "skipped": result.skipped, "rows_read": result.rows_read,
            "rows_loaded": result.rows_loaded, "rows_quarantined": result.rows_quarantined, "notes": result.notes}


def _print_links(summary: dict[str, object]) -> None:
    """One line: how many of the imported posts link to a page, and why the others do not."""
    total, linked = int(str(summary["posts"])), int(str(summary["linked"]))
    if not total:
        return
    reasons = summary["unlinked"]
    why = "; ".join(f"{n:,} {reason}" for reason, n in reasons.items()) if isinstance(reasons, dict) else ""
    console.print(f"posts linked to a page: {linked:,} of {total:,}" + (f" (not linked: {why})" if why else ""),
                  highlight=False, soft_wrap=True)


@app.command("gsc")
def gsc(
    paths: Annotated[list[str] | None, typer.Argument(help="Files or glob patterns (quote globs).")] = None,
    dimensions: Annotated[
        str | None, typer.Option("--dimensions", help="For API JSON without its request: date,page,... in order.")
    ] = None,
    search_type: Annotated[str, typer.Option("--search-type", help="web, image, video, news, discover.")] = "web",
    period_start: Annotated[
        str | None, typer.Option("--period-start", help="First day (YYYY-MM-DD) a web export's totals cover, where "
                                                         "its Filters sheet says only e.g. 'Last 3 months'.")
    ] = None,
    period_end: Annotated[
        str | None, typer.Option("--period-end", help="Last day (YYYY-MM-DD) a web export's totals cover.")
    ] = None,
    bigquery_table: Annotated[
        str | None, typer.Option("--bigquery-table", help="Read the bulk export in place: "
                                 "PROJECT.DATASET.searchdata_url_impression (or searchdata_site_impression).")
    ] = None,
    start: BigQueryStart = None,
    end: BigQueryEnd = None,
    credentials: BigQueryCredentials = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import Search Console performance exports: web-export zip/CSV sheets, API JSON rows, bulk-export tables
    (as files, or read from BigQuery with --bigquery-table)."""
    if bool(paths) == bool(bigquery_table):
        raise InputFileError("give export files, or --bigquery-table PROJECT.DATASET.searchdata_url_impression")
    if bigquery_table:
        with open_project(db) as project:
            results = project.ingest_gsc_bigquery(
                bigquery_table, _day("--start", start), _day("--end", end), credentials=credentials,
                on_table_done=print_result)
        _say_when_nothing(results, db)
        print_page_daily(db, period_totals=True)
        return
    if start or end or credentials:
        raise InputFileError("--start, --end and --credentials go with --bigquery-table")
    files = expand_paths(paths or [])
    dims = [d.strip() for d in dimensions.split(",") if d.strip()] if dimensions else None
    first, last = _day("--period-start", period_start), _day("--period-end", period_end)
    with importing(db, "importing Search Console", len(files)) as (project, done):
        project.ingest_gsc(files, dimensions=dims, search_type=search_type.lower(), period_start=first,
                           period_end=last, on_file_done=done)
    print_page_daily(db, period_totals=True)


def _day(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputFileError(f"{option} {text!r}: expected a day as YYYY-MM-DD") from None


@app.command("ranks")
def ranks(paths: PathsArgument, db: DbOption = DEFAULT_DB) -> None:
    """Import rank-tracker exports (date, keyword, URL, position)."""
    files = expand_paths(paths)
    with importing(db, "importing ranks", len(files)) as (project, done):
        project.ingest_ranks(files, on_file_done=done)


@app.command("pages")
def pages(
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


@app.command("backlinks")
def backlinks(
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


@app.command("warc")
def warc(
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


@app.command("backlinks-parquet")
def backlinks_parquet(paths: PathsArgument, site: SiteOption = None, db: DbOption = DEFAULT_DB) -> None:
    """Load the Parquet output of the Spark backlink job (a directory or part files)."""
    with open_project(db) as project:
        project.ingest_backlinks_parquet(expand_paths(paths), site=site, on_file_done=print_result)


BigQueryStart = Annotated[
    str | None, typer.Option("--start", help="With a BigQuery table: first day to read, YYYY-MM-DD.")]
BigQueryEnd = Annotated[str | None, typer.Option("--end", help="With a BigQuery table: last day to read, YYYY-MM-DD.")]
BigQueryCredentials = Annotated[
    Path | None,
    typer.Option("--credentials", help="With a BigQuery table: service-account key JSON (chmod 600).",
                 envvar="SOCIALSEO_GOOGLE_CREDENTIALS"),
]


@app.command("ga4-bigquery")
def ga4_bigquery(
    paths: Annotated[list[str] | None, typer.Argument(help="Exported files or glob patterns (quote globs).")] = None,
    table: Annotated[
        str | None, typer.Option("--table", help="Read in place: PROJECT.DATASET.events_* (or one events_YYYYMMDD).")
    ] = None,
    start: BigQueryStart = None,
    end: BigQueryEnd = None,
    credentials: BigQueryCredentials = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import GA4's BigQuery export: events_* files from bq extract (Parquet, Avro, JSON lines), or --table."""
    if bool(paths) == bool(table):
        raise InputFileError("give exported files, or --table PROJECT.DATASET.events_* to read BigQuery in place")
    if table:
        with open_project(db) as project:
            results = project.ingest_ga4_bigquery_table(
                table, _day("--start", start), _day("--end", end), credentials=credentials,
                on_table_done=print_result)
        _say_when_nothing(results, db)
        return
    if start or end or credentials:
        raise InputFileError("--start, --end and --credentials go with --table")
    files = expand_paths(paths or [])
    with open_project(db) as project:
        project.ingest_ga4_bigquery(files, on_file_done=print_result)


def _say_when_nothing(results: list[ImportResult], db: Path) -> None:
    if not any(r.rows_loaded for r in results):
        console.print(f"[dim]nothing new stored in {escape(str(db))}[/dim]", highlight=False)
