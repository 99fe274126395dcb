"""``socialseo report``: write the self-contained HTML report (and a PDF of it)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socialseo.cli.common import DEFAULT_DB, DbOption, console, open_project, progress
from socialseo.cli.filters import CompareOption, FromOption, PlatformOption, ToOption, make_filters


def report(
    out: Annotated[Path, typer.Option("--out", help="Directory to write report.html into.")] = Path("report"),
    fmt: Annotated[str, typer.Option("--format", help="html, or pdf (also writes the HTML; needs Chromium).")] = "html",
    start: FromOption = None,
    end: ToOption = None,
    platform: PlatformOption = None,
    compare: CompareOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write report.html (works offline: charts and styles are inlined), or report.pdf with --format pdf.

    With --compare, the headline numbers, the channels and the search section show the other period's values and
    the changes."""
    filters = make_filters(start, end, platform, compare)
    with open_project(db, read_only=True) as project, progress("writing the report"):
        path = project.report(out, fmt=fmt, filters=filters)
    console.print(f"report written to {path.resolve()}", highlight=False, soft_wrap=True)  # a path stays copyable


def register(app: typer.Typer) -> None:
    app.command("report")(report)
