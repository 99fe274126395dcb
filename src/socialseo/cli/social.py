"""``socialseo ingest posts|gsc|ranks``, ``socialseo pages``, ``socialseo rebuild`` and ``socialseo metrics``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, console, open_project, print_frame
from socialseo.cli.ingest import PathsArgument, expand_paths, importing
from socialseo.cli.ingest import app as ingest_app
from socialseo.errors import NotEnoughDataError, SocialSeoError
from socialseo.ingest.posts import read_link_map

# A terminal is too narrow for every column; --json prints them all.
_PAGE_TABLE = ["page", "date", "social_posts", "social_engagement", "social_sessions", "backlinks_new",
               "search_clicks", "search_impressions", "search_position"]
_METRIC_TABLE = ["posts", "impressions", "likes", "comments", "shares", "link_clicks", "ctr", "engagement_rate"]


def _summary(db: Path) -> None:
    with open_project(db, read_only=True) as project:
        row = project.warehouse.con.execute(
            "SELECT count(DISTINCT page), count(*) FROM page_daily"
        ).fetchone()
        window = project.pages_window()
    pages, days = (row or (0, 0))
    span = f", {window.first} to {window.last} ({_BASIS[window.basis]})" if window.first else ""
    console.print(f"page_daily: {pages:,} pages, {days:,} page-days{span} in {escape(str(db))}", highlight=False)


_BASIS = {"search": "the Search Console days", "setting": "the window set with socialseo rebuild",
          "other sources": "no Search Console data yet: the other sources' days"}


@ingest_app.command("posts")
def posts(
    paths: PathsArgument,
    platform: Annotated[
        str, typer.Option("--platform", help="facebook, instagram, x, linkedin, pinterest, youtube, tiktok, "
                                              "reddit, or auto (detect from the header row).")
    ] = "auto",
    column_map: Annotated[
        list[str] | None, typer.Option("--map", help="COLUMN=FIELD for another layout (repeat); needs --platform.")
    ] = None,
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="Zone of timestamps written without one (e.g. Europe/Berlin).")
    ] = None,
    links: Annotated[
        Path | None, typer.Option("--links", help="CSV of short_url,expanded_url pairs to resolve short links.")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import social post exports (CSV/XLSX) of Meta, X, LinkedIn, Pinterest, YouTube, TikTok, Reddit."""
    files = expand_paths(paths)
    link_map = read_link_map(links) if links else None
    with importing(db, "importing posts", len(files)) as (project, done):
        project.ingest_posts(files, platform=platform, column_map=column_map, timezone=timezone,
                             link_map=link_map, on_file_done=done)
    _summary(db)


@ingest_app.command("gsc")
def gsc(
    paths: PathsArgument,
    dimensions: Annotated[
        str | None, typer.Option("--dimensions", help="For API JSON without its request: date,page,... in order.")
    ] = None,
    search_type: Annotated[str, typer.Option("--search-type", help="web, image, video, news, discover.")] = "web",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import Search Console performance exports: web-export zip/CSV sheets, API JSON rows, bulk-export tables."""
    files = expand_paths(paths)
    dims = [d.strip() for d in dimensions.split(",") if d.strip()] if dimensions else None
    with importing(db, "importing Search Console", len(files)) as (project, done):
        project.ingest_gsc(files, dimensions=dims, search_type=search_type.lower(), on_file_done=done)
    _summary(db)


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
        as_json: JsonOption = False,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """The per-page daily timeline: posts, engagement, social sessions, backlinks, search clicks and position.

        With --json each row also has ``platforms``: per platform that touched the page that day, its posts,
        engagement, link clicks and social sessions.
        """
        with open_project(db, read_only=True) as project:
            frame = project.pages(url, platforms=as_json)
            key = project.resolve_page(url) if url else None
        if frame.empty:
            raise NotEnoughDataError("page_daily is empty: import Search Console (socialseo ingest gsc), access logs "
                                     "or post exports first")
        if not as_json:
            columns = _PAGE_TABLE[1:] if url else _PAGE_TABLE
            frame = frame[columns].assign(date=frame["date"].dt.strftime("%Y-%m-%d"))
        print_frame(frame, as_json=as_json, title=f"page_daily {key or ''}".strip())

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
        print_frame(shown, as_json=as_json, title=f"social metrics by {by}")
