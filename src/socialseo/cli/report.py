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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar: print only where the report is.")]
    = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write report.html (works offline: charts and styles are inlined), or report.pdf with --format pdf.

    With --compare, the headline numbers, the channels and the search section show the other period's values and
    the changes. On a terminal a progress bar counts the sections built and names the one being built.
    """
    filters = make_filters(start, end, platform, compare)
    with open_project(db, read_only=True) as project, progress("building the report", quiet=quiet) as (bar, task):

        def on_progress(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=f"building the report: {name}")

        path = project.report(out, fmt=fmt, filters=filters, on_progress=on_progress)
        bar.update(task, completed=bar.tasks[0].total or 0, description="writing the report")
    console.print(f"report written to {path.resolve()}", highlight=False, soft_wrap=True)  # a path stays copyable


def register(app: typer.Typer) -> None:
    app.command("report")(report)
