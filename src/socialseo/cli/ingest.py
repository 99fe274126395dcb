"""``socialseo ingest ...``: bring files into the warehouse."""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.api import ImportResult, Project
from socialseo.cli.common import DEFAULT_DB, DbOption, console, open_project, progress
from socialseo.errors import InputFileError

app = typer.Typer(help="Import access logs, Search Console exports, social post exports, backlinks.",
                  no_args_is_help=True)

PathsArgument = Annotated[list[str], typer.Argument(help="Files or glob patterns (quote globs).")]


def expand_paths(patterns: list[str]) -> list[Path]:
    """Expand globs ourselves so quoted patterns work on every shell; a pattern matching nothing is an error."""
    paths: list[Path] = []
    for pattern in patterns:
        if any(ch in pattern for ch in "*?["):
            matches = sorted(glob.glob(pattern, recursive=True))
            if not matches:
                raise InputFileError(f"{pattern}: no file matches")
            paths.extend(Path(m) for m in matches)
        else:
            paths.append(Path(pattern))
    return paths


def print_result(result: ImportResult) -> None:
    style = "dim" if result.skipped else "green"
    console.print(f"[{style}]{escape(result.message)}[/{style}]", highlight=False, soft_wrap=True)


@contextmanager
def importing(
    db: Path, description: str, total: int
) -> Iterator[tuple[Project, Callable[[ImportResult], None]]]:
    """Open the warehouse with a progress bar over ``total`` files; ``done`` advances it and prints one result."""
    with open_project(db) as project, progress(description, total=total) as (bar, task):

        def done(result: ImportResult) -> None:
            bar.advance(task)
            print_result(result)

        yield project, done


@app.command("logs")
def logs(
    paths: PathsArgument,
    log_format: Annotated[
        str,
        typer.Option("--format", help="auto (detect), combined, common, json, alb or cloudfront."),
    ] = "auto",
    nginx_spec: Annotated[
        str | None,
        typer.Option("--log-format", help="An Nginx log_format string, for logs in a layout of your own."),
    ] = None,
    site: Annotated[
        list[str] | None, typer.Option("--site", help="The site's own host (repeat for several).")
    ] = None,
    keep_ip: Annotated[bool, typer.Option("--keep-ip", help="Store raw IP addresses (off: masked).")] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import access logs (.log, .gz, .zst; many files and globs), classify every hit, rebuild sessions."""
    files = expand_paths(paths)
    total = sum(f.stat().st_size for f in files if f.is_file())
    with open_project(db) as project, progress("importing logs", total=total, in_bytes=True) as (bar, task):
        project.ingest_logs(
            files, log_format=log_format, nginx_format=nginx_spec, site=site or None, keep_ip=keep_ip,
            on_file_done=print_result, on_progress=lambda done, _total: bar.update(task, completed=done),
        )
        sessions = project.count("sessions")
    console.print(f"{sessions:,} sessions in {escape(str(db))}", highlight=False)


@app.command("ga4")
def ga4(
    paths: PathsArgument,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import GA4 "Traffic acquisition" CSV exports (session source / medium), for sites without logs."""
    files = expand_paths(paths)
    with open_project(db) as project:
        project.ingest_ga4(files, on_file_done=print_result)
