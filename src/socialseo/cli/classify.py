"""``socialseo classify``: attribute one referrer / user agent / landing URL and say which rule decided."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.api import explain
from socialseo.cli.common import JsonOption, console


def classify(
    referrer: Annotated[str, typer.Argument(help="The referrer as logged ('-' for none).")],
    user_agent: Annotated[str | None, typer.Option("--user-agent", help="The hit's user agent.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="The landing URL or request target.")] = None,
    site: Annotated[
        list[str] | None, typer.Option("--site", help="The site's own host (repeat for several).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show the channel, platform and evidence socialseo gives one hit (no warehouse needed)."""
    found = explain(referrer, user_agent, url, site or ())
    if as_json:
        sys.stdout.write(json.dumps(found, indent=2, ensure_ascii=False) + "\n")
        return
    for key, value in found.items():
        console.print(f"[bold]{key}[/bold]: {escape(str(value))}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("classify")(classify)
