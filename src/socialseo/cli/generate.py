"""``socialseo generate``: write a synthetic site's files with a planted truth, without importing them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.cli.common import console, progress


def generate(
    out: Annotated[Path, typer.Option("--out", help="Directory to write the generated files into.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same bytes.")] = 7,
    pages: Annotated[int, typer.Option("--pages", help="Number of pages of the site.")] = 200,
    days: Annotated[int, typer.Option("--days", help="Number of days.")] = 180,
    lines: Annotated[int, typer.Option("--lines", help="Approximate access-log lines.")] = 300_000,
) -> None:
    """Write a synthetic site's access log, Search Console export, post exports, backlinks and truth.json."""
    from socialseo.demo import generate as generate_files

    with progress("generating"):
        files = generate_files(out, seed=seed, n_pages=pages, days=days, target_log_lines=lines)
    for path in files.all():
        console.print(escape(str(path)), highlight=False)


def register(app: typer.Typer) -> None:
    app.command("generate")(generate)
