"""``socialseo pages``: the per-page timeline and Search Console period totals."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
import typer
from rich.markup import escape

from socialseo.api import Project
from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, console, open_project, print_frame
from socialseo.cli.compare import print_comparison
from socialseo.cli.filters import CompareOption, FromOption, ToOption, make_filters
from socialseo.errors import SocialSeoError

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


def _timeline_marks(project: Project, key: str, frame: pd.DataFrame) -> pd.DataFrame | None:
    """The annotations of one page (its own and the site's) over the days its timeline covers."""
    days = pd.concat([frame["period_start"], frame["period_end"]]).dropna()
    if days.empty:
        return None
    return project.annotations(page=key, start=pd.Timestamp(days.min()).date(), end=pd.Timestamp(days.max()).date())


def pages(
    url: Annotated[str | None, typer.Option(
        "--url", help="One page: its path or full URL, with or without www., trailing slash, tracking parameters."
    )] = None,
    granularity: Annotated[
        str, typer.Option("--granularity", help="day (the daily timeline), period (Search Console web "
                                                "exports' page totals over their period) or all.")
    ] = "all",
    start: FromOption = None,
    end: ToOption = None,
    compare: CompareOption = None,
    as_json: JsonOption = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Per page: the daily timeline (posts, engagement, social sessions, backlinks, search) and the period totals
    of Search Console web exports, each row marked day or period.

    With --json each daily row also has ``platforms``: per platform that touched the page that day, its posts,
    engagement, link clicks and social sessions.

    --from/--to keep the days in that period (and the period totals within it). With --compare, each page's
    daily rows are summed over the period and over another period, side by side with the change.
    """
    filters = make_filters(start, end, None, compare)
    if filters.compare and granularity != "all":
        raise SocialSeoError("--compare sums each page's daily rows over both periods: leave out --granularity")
    with open_project(db, read_only=True) as project:
        if filters.compare:
            key = project.resolve_page(url) if url else None
            print_comparison(project.pages_compared(url, filters=filters), as_json=as_json,
                             title=f"pages {key or ''}".strip(),
                             empty="no page has posts, social sessions, backlinks or search impressions in either "
                                   "period: import Search Console data (socialseo ingest gsc), posts or access logs")
            return
        frame = project.pages(url, granularity=granularity, platforms=as_json, filters=filters)
        key = project.resolve_page(url) if url else None
        marks = _timeline_marks(project, key, frame) if key and not as_json else None
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
    if marks is not None and not marks.empty:
        console.print("annotations on these days:", style="bold", highlight=False)
        for day, source, text in marks[["date", "source", "text"]].itertuples(index=False):
            console.print(f"  {day}  {source:<13}  {escape(str(text))}", highlight=False, soft_wrap=True)
    if frame.empty:
        typer.echo(f"no {granularity + ' ' if granularity != 'all' else ''}rows"
                   + (f" for {key}" if key else "") + ": import Search Console data (socialseo ingest gsc), "
                   "posts or access logs, or choose another --granularity", err=True)


def register(app: typer.Typer) -> None:
    app.command("pages")(pages)
