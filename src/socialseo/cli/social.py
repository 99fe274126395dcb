"""``socialseo ingest posts|gsc|ranks``, ``socialseo pages``, ``socialseo rebuild`` and ``socialseo metrics``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.markup import escape

from socialseo.api import ImportResult
from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, console, open_project, print_frame
from socialseo.cli.ingest import PathsArgument, expand_paths, importing
from socialseo.cli.ingest import app as ingest_app
from socialseo.errors import InputFileError, SocialSeoError

# A terminal is too narrow for every column; --json prints them all.
_PAGE_TABLE = ["page", "date", "granularity", "social_posts", "social_engagement", "social_sessions", "backlinks_new",
               "search_clicks", "search_impressions", "search_position"]


def _iso_day(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(value)[:10]


def _covers(row: tuple[object, ...]) -> str:
    """What a row of ``pages`` covers, for the table: its day, its period, or the period's label."""
    granularity, start, end, label = row
    if granularity == "day":
        return str(_iso_day(start))
    if _iso_day(start) and _iso_day(end):
        return f"{_iso_day(start)} to {_iso_day(end)}"
    return f"{label or 'unknown period'} (days unknown)"
_METRIC_TABLE = ["posts", "impressions", "likes", "comments", "shares", "link_clicks", "ctr", "engagement_rate"]


def _summary(db: Path, *, period_totals: bool = False) -> None:
    with open_project(db, read_only=True) as project:
        pages, days = project.pages_size()
        window = project.pages_window()
        totals = project.search_totals() if period_totals else None
    span = f", {window.first} to {window.last} ({_BASIS[window.basis]})" if window.first else ""
    console.print(f"page_daily: {pages:,} pages, {days:,} page-days{span} in {escape(str(db))}", highlight=False)
    if totals is not None and len(totals):
        undated = int(totals["period_start"].isna().sum())
        console.print(f"period totals: {totals['page'].nunique():,} pages over {len(totals):,} page-periods"
                      + (f", {undated:,} without dates" if undated else "") + " (socialseo pages --granularity period)",
                      highlight=False)


_BASIS = {"search": "the Search Console days", "setting": "the window set with socialseo rebuild",
          "other sources": "no Search Console data yet: the other sources' days"}


@ingest_app.command("posts")
def posts(
    paths: PathsArgument,
    platform: Annotated[
        str, typer.Option("--platform", help="facebook, instagram, x, linkedin, pinterest, youtube, tiktok, "
                                              "reddit, or auto (detect from the header row).")
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
    """Import social post exports (CSV/XLSX) of Meta, X, LinkedIn, Pinterest, YouTube, TikTok, Reddit.

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
    _summary(db)


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


@ingest_app.command("gsc")
def gsc(
    paths: PathsArgument,
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
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import Search Console performance exports: web-export zip/CSV sheets, API JSON rows, bulk-export tables."""
    files = expand_paths(paths)
    dims = [d.strip() for d in dimensions.split(",") if d.strip()] if dimensions else None
    start, end = _day("--period-start", period_start), _day("--period-end", period_end)
    with importing(db, "importing Search Console", len(files)) as (project, done):
        project.ingest_gsc(files, dimensions=dims, search_type=search_type.lower(), period_start=start,
                           period_end=end, on_file_done=done)
    _summary(db, period_totals=True)


def _day(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputFileError(f"{option} {text!r}: expected a day as YYYY-MM-DD") from None


@ingest_app.command("ranks")
def ranks(paths: PathsArgument, db: DbOption = DEFAULT_DB) -> None:
    """Import rank-tracker exports (date, keyword, URL, position)."""
    files = expand_paths(paths)
    with importing(db, "importing ranks", len(files)) as (project, done):
        project.ingest_ranks(files, on_file_done=done)


def register(app: typer.Typer) -> None:
    """Add ``pages`` and ``metrics``; ``ingest posts|gsc|ranks`` join the ingest group on import of this module."""

    @app.command("pages")
    def pages(
        url: Annotated[str | None, typer.Option(
            "--url", help="One page: its path or full URL, with or without www., trailing slash, tracking parameters."
        )] = None,
        granularity: Annotated[
            str, typer.Option("--granularity", help="day (the daily timeline), period (Search Console web "
                                                    "exports' page totals over their period) or all.")
        ] = "all",
        as_json: JsonOption = False,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Per page: the daily timeline (posts, engagement, social sessions, backlinks, search) and the period totals
        of Search Console web exports, each row marked day or period.

        With --json each daily row also has ``platforms``: per platform that touched the page that day, its posts,
        engagement, link clicks and social sessions.
        """
        with open_project(db, read_only=True) as project:
            frame = project.pages(url, granularity=granularity, platforms=as_json)
            key = project.resolve_page(url) if url else None
        if not as_json:
            shown = frame.assign(
                date=[_covers(r) for r in frame[["granularity", "period_start", "period_end", "period_label"]]
                      .itertuples(index=False)]
            )
            columns = [c for c in _PAGE_TABLE if c in shown.columns]
            frame = shown[columns[1:] if url else columns]
        else:
            frame = frame.assign(**{c: frame[c].map(_iso_day) for c in ("period_start", "period_end")})
        print_frame(frame, as_json=as_json, title=f"pages {key or ''}".strip())
        if frame.empty:
            typer.echo(f"no {granularity + ' ' if granularity != 'all' else ''}rows"
                       + (f" for {key}" if key else "") + ": import Search Console data (socialseo ingest gsc), "
                       "posts or access logs, or choose another --granularity", err=True)

    @app.command("rebuild")
    def rebuild(
        start: Annotated[str | None, typer.Option("--from", help="First day of page_daily, YYYY-MM-DD.")] = None,
        end: Annotated[str | None, typer.Option("--to", help="Last day of page_daily, YYYY-MM-DD.")] = None,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Rebuild page_daily over the Search Console days, or the days --from/--to give (kept for later imports)."""
        days = []
        for option, value in (("--from", start), ("--to", end)):
            try:
                days.append(date.fromisoformat(value.strip()).isoformat() if value else None)
            except ValueError as exc:
                raise SocialSeoError(f"{option} must be a date like 2026-05-01, got {value!r}") from exc
        if days[0] and days[1] and days[0] > days[1]:
            raise SocialSeoError(f"--from {days[0]} is after --to {days[1]}")
        with open_project(db) as project:
            project.set_pages_window(days[0], days[1])
        _summary(db)

    @app.command("metrics")
    def metrics(
        platform: Annotated[str | None, typer.Option("--platform", help="Only this platform.")] = None,
        by: Annotated[str, typer.Option("--by", help="post, day or platform.")] = "platform",
        as_json: JsonOption = False,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Social metrics: impressions, likes, comments, shares, saves, link clicks, CTR, engagement rate."""
        with open_project(db, read_only=True) as project:
            frame = project.metrics(platform=platform, by=by)
            keys = {"post": ["platform", "post_id"], "day": ["day", "platform"], "platform": ["platform"]}[by]
            shown = frame if as_json else frame[[*keys, *(c for c in _METRIC_TABLE if c in frame.columns)]]
            print_frame(shown, as_json=as_json, title=f"social metrics by {by}",
                        empty=lambda: project.why_empty("metrics", platform=platform))
