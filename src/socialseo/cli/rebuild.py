"""``socialseo rebuild``: page_daily over the Search Console days or a window of one's own."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from socialseo.cli.common import DEFAULT_DB, DbOption, open_project
from socialseo.cli.page_daily import print_page_daily
from socialseo.errors import SocialSeoError


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
    print_page_daily(db)


def register(app: typer.Typer) -> None:
    app.command("rebuild")(rebuild)
