"""``socialseo annotate add|list|remove``: dated notes drawn on every time chart, beside the automatic ones."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, console, open_project, print_frame, records

app = typer.Typer(help="Dated notes on the time charts: yours, and the ones socialseo finds in the data.",
                  no_args_is_help=True)

# Dates are read as text and checked by the library, so a bad one is one line, not a usage box.
DayArg = Annotated[str, typer.Option("--date", help="The day (YYYY-MM-DD).", show_default=False)]
PageOption = Annotated[str | None, typer.Option(
    "--page", help="One page: its path or full URL, with or without www., trailing slash, tracking parameters.")]
PlatformOption = Annotated[str | None, typer.Option("--platform", help="One platform, e.g. linkedin.")]


@app.command("add")
def add(
    day: DayArg,
    text: Annotated[str, typer.Option("--text", help="What happened that day.", show_default=False)],
    page: PageOption = None,
    platform: PlatformOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Pin a note to a day, for the whole site or one page and/or platform."""
    with open_project(db) as project:
        new_id = project.add_annotation(day, text, page=page, platform=platform)
        key = project.resolve_page(page) if page else None
    scope = " · ".join(s for s in (key, platform and platform.lower()) if s) or "whole site"
    console.print(f"annotation {new_id} added: {escape(day.strip())} {escape(text.strip())} ({escape(scope)})",
                  highlight=False, soft_wrap=True)


@app.command("list")
def list_(
    page: PageOption = None,
    platform: PlatformOption = None,
    start: Annotated[str | None, typer.Option("--from", "--start", help="First day (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option("--to", "--end", help="Last day (YYYY-MM-DD).")] = None,
    as_json: JsonOption = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Every annotation, oldest first, with its source: user (yours, with the id to remove it), post (a
    campaign's first post), spike (a page's social spike), import (a day files were imported) or search_update
    (a confirmed Google ranking update). --page keeps the page's own and the site-wide ones."""
    with open_project(db, read_only=True) as project:
        frame = project.annotations(page=page, platform=platform, start=start, end=end)
    frame = frame.assign(date=frame["date"].map(str))  # a day, not a midnight timestamp
    if as_json:
        sys.stdout.write(json.dumps(records(frame), indent=2, ensure_ascii=False) + "\n")
        if frame.empty:
            typer.echo("nothing to show: no annotation in this period; add one with socialseo annotate add", err=True)
        return
    print_frame(frame.fillna({"page": "", "platform": ""}).assign(id=frame["id"].astype(object).where(
        frame["id"].notna(), "")), as_json=False, title="annotations", limit=500,
        empty="no annotation in this period; add one with socialseo annotate add --date D --text T")


@app.command("remove")
def remove(
    annotation_id: Annotated[int, typer.Argument(metavar="ID", help="The id annotate list shows.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Delete one of your notes (automatic annotations follow the data and cannot be removed)."""
    with open_project(db) as project:
        removed = project.remove_annotation(annotation_id)
    console.print(f"annotation {annotation_id} removed: {removed['date']} {escape(str(removed['text']))}",
                  highlight=False, soft_wrap=True)
