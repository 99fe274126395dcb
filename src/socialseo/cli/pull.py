"""``socialseo pull gsc``: live sources into the warehouse over their APIs."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.cli.common import DEFAULT_DB, DbOption, console, open_project, progress
from socialseo.cli.ingest import print_result
from socialseo.errors import SocialSeoError

app = typer.Typer(help="Pull data from live sources over their APIs (Search Console).", no_args_is_help=True)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise SocialSeoError(f"{option} {value!r}: not a YYYY-MM-DD day") from None


@app.command("gsc")
def gsc(
    site: Annotated[str, typer.Option("--site", help="The property: sc-domain:example.com or https://www.example.com/.")],
    start: Annotated[
        str | None, typer.Option("--start", help="First day, YYYY-MM-DD (default: 16 months back).")
    ] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last day, YYYY-MM-DD (default: today, Pacific).")] = None,
    credentials: Annotated[
        Path | None,
        typer.Option("--credentials", help="Service-account key or authorized-user token JSON (chmod 600).",
                     envvar="SOCIALSEO_GOOGLE_CREDENTIALS"),
    ] = None,
    dimensions: Annotated[
        str, typer.Option("--dimensions",
                          help="Comma-separated: date,page,query,country,device; or searchAppearance on its own.")
    ] = "date,page,query",
    search_type: Annotated[str, typer.Option("--type", help="web, image, video, news, discover, googleNews.")] = "web",
    data_state: Annotated[
        str, typer.Option("--data-state", help="all (with the fresh days, marked) or final.")
    ] = "all",
    full: Annotated[bool, typer.Option("--full", help="Pull every day asked for, even days pulled final before.")
                    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Pull Search Console performance over its API, day by day, into the same tables as the exports."""
    with open_project(db) as project, progress("pulling Search Console days") as (bar, task):
        result = project.pull_gsc(
            site, _day(start, "--start"), _day(end, "--end"), credentials=credentials, incremental=not full,
            dimensions=dimensions.split(","), search_type=search_type, data_state=data_state,
            on_progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    print_result(result)
    if result.import_id is None and not result.skipped:
        console.print(f"[dim]nothing stored in {escape(str(db))}[/dim]", highlight=False)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="pull")
