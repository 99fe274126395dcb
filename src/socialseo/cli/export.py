"""``socialseo export``: a table or a query to CSV (formula-safe), Parquet or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socialseo.cli.common import DEFAULT_DB, DbOption, console, open_project, progress


def export(
    source: Annotated[str, typer.Argument(help="A table name (e.g. sessions) or a SELECT query.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv, parquet or json (default: from the file name).")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export a table or query. CSV cells starting with = + - @ are neutralised against formula injection."""
    with open_project(db, read_only=True) as project, progress(f"exporting to {out.name}"):
        result = project.export(source, out, fmt=fmt)
    note = f"; {len(result.neutralised_columns)} text column(s) formula-safe" if result.format == "csv" else ""
    console.print(f"{result.rows:,} rows written to {result.path} ({result.format}{note})", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
