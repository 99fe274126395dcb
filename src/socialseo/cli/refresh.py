"""``socialseo refresh``: run the project file's sources, alerts and report; safe from cron or a systemd timer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.api_discover import Outcome, RefreshRunningError, crontab_line, load_project_file, refresh_lock
from socialseo.cli.common import console, err_console, open_project
from socialseo.errors import SocialSeoError

BUSY = 75
"""Exit status when another refresh holds the lock (EX_TEMPFAIL: nothing failed, try again later)."""


def register(app: typer.Typer) -> None:
    app.command("refresh")(refresh)


def refresh(
    project: Annotated[Path, typer.Option("--project", "-p", help="The project file.",
                                          envvar="SOCIALSEO_PROJECT")] = Path("socialseo.toml"),
    print_cron: Annotated[bool, typer.Option("--print-cron", help="Print the crontab line for the project file's "
                                             "schedule and exit.")] = False,
    check_alerts: Annotated[bool, typer.Option("--check-alerts", help="Show what the alert rules find now, sent "
                                               "before or not, and send nothing.")] = False,
) -> None:
    """Pull, import new logs, discover, alert and write the report, as the project file says.

    One line per source or step. Exit status: 0 all worked, 1 some failed (the others still ran), 2 the project
    file is wrong, 75 another refresh of the same warehouse is still running.
    """
    config = load_project_file(project)
    if print_cron:
        if not config.schedule:
            raise SocialSeoError(f"{project}: no schedule; add e.g. schedule = \"daily 06:30\"")
        typer.echo(crontab_line(config.schedule, project))
        return
    if check_alerts:
        if not config.rules:
            raise SocialSeoError(f"{project}: no [[alerts.rules]] to check")
        with open_project(config.db, read_only=True) as opened:
            found = opened.alerts(config)
        if found.empty:
            console.print(f"{len(config.rules)} rule(s) checked: nothing to tell now", highlight=False)
        for row in found.to_dict("records"):
            mark = "sent before" if row["sent"] else "new"
            link = f" {row['link']}" if row["link"] else ""
            console.print(escape(f"{row['rule']} [{mark}]: {row['alert']}{link}"), highlight=False, soft_wrap=True)
        return

    def line(outcome: Outcome) -> None:
        style = "green" if outcome.ok else "bold red"
        console.print(f"[{style}]{escape(outcome.name)}[/{style}]: {'ok' if outcome.ok else 'FAILED'}: "
                      f"{escape(outcome.message)}", highlight=False, soft_wrap=True)

    try:
        with refresh_lock(config.lock_path), open_project(config.db) as opened:
            summary = opened.refresh(config, on_line=line)
    except RefreshRunningError as exc:
        err_console.print(f"refresh: {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(BUSY) from None
    if summary.failed:
        err_console.print(f"refresh: {len(summary.failed)} of {len(summary.outcomes)} steps failed: "
                          f"{', '.join(o.name for o in summary.failed)}", highlight=False)
        raise typer.Exit(summary.exit_code)
