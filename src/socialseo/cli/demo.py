"""``socialseo demo``: the synthetic site with a planted truth, imported and reported in one command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.cli.common import console, progress
from socialseo.cli.ingest import print_result


def demo(
    out: Annotated[Path, typer.Option("--out", help="Directory for data, warehouse and report.")] = Path(
        "demo-output"
    ),
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same data.")] = 7,
    lines: Annotated[int, typer.Option("--lines", help="Approximate access-log lines to generate.")] = 300_000,
) -> None:
    """Generate a demo site, import it, and write the report: the whole loop in one command."""
    from socialseo.demo.pipeline import run_demo

    with progress("demo") as (bar, task):
        run = run_demo(out, seed=seed, target_log_lines=lines,
                       on_step=lambda message: bar.update(task, description=message))
    for result in [*run.imports, *run.other_imports]:
        print_result(result)
    console.print(f"{run.sessions:,} sessions in {escape(str(run.db))}", highlight=False)
    console.print(f"planted truth: {escape(str(run.files.truth))}", highlight=False)
    console.print(f"[bold]report written to {escape(str(run.report.resolve()))}[/bold]", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
