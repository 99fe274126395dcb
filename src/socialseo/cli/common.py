"""What every command shares: the --db option, the consoles, tables, JSON output and progress bars."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table

import socialseo
from socialseo.api import Project

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    Path,
    typer.Option("--db", help="Warehouse file (DuckDB).", envvar="SOCIALSEO_DB", show_default=True),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a table.")]
DEFAULT_DB = Path("socialseo.duckdb")


def reader_errors() -> tuple[type[BaseException], ...]:
    """Exceptions the readers under socialseo raise for bad input they failed to name: the command line turns
    them into one line and exit status 2, like a :class:`~socialseo.errors.SocialSeoError`."""
    import csv
    import zipfile
    import zlib

    import duckdb
    import polars as pl

    found: list[type[BaseException]] = [
        csv.Error, UnicodeError, zlib.error, EOFError, zipfile.BadZipFile, zipfile.LargeZipFile,
        duckdb.InvalidInputException, duckdb.ConversionException, pl.exceptions.ComputeError,
    ]
    try:
        import zstandard

        found.append(zstandard.ZstdError)
    except ImportError:  # pragma: no cover - a declared dependency
        pass
    return tuple(found)


def one_line(message: str, limit: int = 2000) -> str:
    """A message as one line, safe for a terminal: line breaks become spaces, other control characters (from
    binary input quoted in a message) are shown escaped, and a huge message is cut."""
    text = " ".join(message.split())
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= limit else text[:limit] + "…"


def open_project(db: Path, *, read_only: bool = False) -> Project:
    return socialseo.open(db, read_only=read_only)


def print_frame(
    frame: pd.DataFrame, *, as_json: bool, title: str | None = None, limit: int = 200,
    empty: str | Callable[[], str] | None = None,
) -> None:
    """A DataFrame as a Rich table (first ``limit`` rows) or as JSON records (all rows).

    ``empty`` says why there are no rows (a text, or a function asked only when the frame is empty): it goes to
    stderr as one line in place of an empty table (after ``[]`` with ``--json``), so no answer is a silent one.

    The table formats each column by what it means (see :func:`cell_format`): shares and rates as percentages,
    counts with thousands separators, positions to one decimal. JSON keeps the raw numbers, for machines.
    """
    if as_json:
        text = frame.to_json(orient="records", date_format="iso", default_handler=str)
        sys.stdout.write(json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n")
    if frame.empty and empty is not None:
        say_empty(empty() if callable(empty) else empty)
        return
    if as_json:
        return
    table = Table(title=title, show_lines=False, header_style="bold")
    formats = [cell_format(str(column)) for column in frame.columns]
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])
        table.add_column(str(column), justify="right" if numeric else "left")
    for row in frame.head(limit).itertuples(index=False):
        table.add_row(*(fmt(v) for fmt, v in zip(formats, row, strict=True)))
    console.print(table)
    if len(frame) > limit:
        console.print(f"[dim]… {len(frame) - limit:,} more rows (use --json for all)[/dim]")


def say_empty(reason: str) -> None:
    """Why an answer is empty, as one line on stderr (stdout stays a clean, empty answer for scripts)."""
    err_console.print(f"nothing to show: {escape(one_line(reason))}", highlight=False, soft_wrap=True)


# Column-name words that say a number is a fraction of a whole (``bounce_rate``, ``share``, ``ctr``), or a
# search position (an average rank, read to one decimal). ``shares`` (a count of reshares) is not ``share``.
_FRACTION_WORDS = frozenset({"share", "rate", "ctr", "bounce"})
_POSITION_WORDS = frozenset({"position", "rank"})


def cell_format(column: str) -> Callable[[Any], str]:
    """How a table shows the values of ``column``, by the column's meaning.

    >>> cell_format("bounce_rate")(0.123), cell_format("sessions")(501965.0), cell_format("search_position")(3.14)
    ('12.3%', '501,965', '3.1')
    """
    words = set(column.lower().replace("-", "_").split("_"))
    if words & _FRACTION_WORDS:
        return _percent
    if words & _POSITION_WORDS:
        return _position
    return _cell


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def _percent(value: Any) -> str:
    if _missing(value) or isinstance(value, bool) or not isinstance(value, int | float):
        return _cell(value)
    return f"{float(value):.1%}"


def _position(value: Any) -> str:
    if _missing(value) or isinstance(value, bool) or not isinstance(value, int | float):
        return _cell(value)
    return f"{float(value):,.1f}"


def _cell(value: Any) -> str:
    if _missing(value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():  # a count summed as a float (501965.0) is still a count
            return f"{int(value):,}"
        return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return escape(str(value))  # cells hold crawled and imported text: never let it act as Rich markup


@contextmanager
def progress(
    description: str, total: int | None = None, *, in_bytes: bool = False, quiet: bool = False
) -> Iterator[tuple[Progress, Any]]:
    """A Rich progress bar on stderr; quiet when stderr is not a terminal (CI, pipes) or ``quiet`` is set.

    ``in_bytes`` shows the count as sizes with a rate (for large files read block by block).
    """
    counts = (DownloadColumn(), TransferSpeedColumn()) if in_bytes else (MofNCompleteColumn(),)
    bar = Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        *counts,
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=quiet or not err_console.is_terminal or bool(os.environ.get("SOCIALSEO_NO_PROGRESS")),
    )
    with bar:
        task = bar.add_task(description, total=total)
        yield bar, task


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as JSON-ready rows: dates in ISO form, anything else JSON cannot hold as text."""
    text = frame.to_json(orient="records", date_format="iso", default_handler=str)
    return list(json.loads(text))
