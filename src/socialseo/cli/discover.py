"""``socialseo discover``: posts on open networks that link to the site, stored as social backlinks."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.api_discover import NETWORKS, SourceOutcome
from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, console, err_console, open_project


def register(app: typer.Typer) -> None:
    app.command("discover")(discover)


def discover(
    networks: Annotated[list[str] | None, typer.Argument(
        help=f"Networks to ask: {', '.join(NETWORKS)} (default: all).", show_default=False)] = None,
    site: Annotated[list[str] | None, typer.Option("--site", help="The site's host (remembered).")] = None,
    max_pages: Annotated[int, typer.Option("--max-pages", help="Pages of answers read per listing.")] = 5,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Mastodon hashtag timeline to read too.")] = None,
    url: Annotated[list[str] | None, typer.Option("--url", help="A page whose Reddit submissions to ask for.")] = None,
    as_json: JsonOption = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Find public posts linking to the site on Bluesky, Mastodon, Reddit and Hacker News.

    Each network's API base comes from SOCIALSEO_BLUESKY_API_BASE, SOCIALSEO_MASTODON_INSTANCE,
    SOCIALSEO_REDDIT_API_BASE or SOCIALSEO_HN_API_BASE, else the public service. A network that fails is named with
    its reason; the others still run. Exit status 1 when any network failed.
    """
    def done(outcome: SourceOutcome) -> None:
        if not as_json:
            style = "green" if outcome.ok else "bold red"
            console.print(f"[{style}]{escape(outcome.name)}[/{style}]: "
                          f"{'ok' if outcome.ok else 'FAILED'}: {escape(outcome.message)}", highlight=False,
                          soft_wrap=True)

    with open_project(Path(db)) as project:
        outcomes = project.discover(networks or tuple(NETWORKS), site=site, max_pages=max_pages,
                                    mastodon_tags=tag or (), reddit_urls=url or (), on_source_done=done)
    if as_json:
        sys.stdout.write(json.dumps([{"network": o.name, "ok": o.ok, "message": o.message} for o in outcomes],
                                    indent=2) + "\n")
    failed = [o.name for o in outcomes if not o.ok]
    if failed:
        err_console.print(f"{len(failed)} of {len(outcomes)} networks failed: {', '.join(failed)}", highlight=False)
        raise typer.Exit(1)
