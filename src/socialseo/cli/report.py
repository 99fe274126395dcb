"""``socialseo report``: write the self-contained HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socialseo.cli.common import DEFAULT_DB, DbOption, console, open_project


def report(
    out: Annotated[Path, typer.Option("--out", help="Directory to write report.html into.")] = Path("report"),
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write report.html (works offline: charts and styles are inlined)."""
    with open_project(db, read_only=True) as project:
        path = project.report(out)
    console.print(f"report written to {path.resolve()}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
