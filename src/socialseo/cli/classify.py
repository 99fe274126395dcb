"""``socialseo classify``: attribute one referrer / user agent / landing URL and say which rule decided."""

from __future__ import annotations

import ipaddress
import json
import sys
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.api import explain
from socialseo.cli.common import JsonOption, console
from socialseo.errors import SocialSeoError


class BadAddressError(SocialSeoError):
    """``--ip`` is not an IPv4 or IPv6 address."""


def classify(
    referrer: Annotated[str, typer.Argument(help="The referrer as logged ('-' for none).")],
    user_agent: Annotated[str | None, typer.Option("--user-agent", help="The hit's user agent.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="The landing URL or request target.")] = None,
    site: Annotated[
        list[str] | None, typer.Option("--site", help="The site's own host (repeat for several).")
    ] = None,
    ip: Annotated[
        str | None, typer.Option("--ip", help="The client address, to check a crawler's claim (bot_verified).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show the channel, platform, evidence and bot (purpose, verified) socialseo gives one hit (no warehouse)."""
    if ip is not None:
        try:
            ipaddress.ip_address(ip.strip())
        except ValueError as exc:
            raise BadAddressError(f"--ip must be an IPv4 or IPv6 address like 66.249.66.1, got {ip!r}") from exc
    found = explain(referrer, user_agent, url, site or (), ip=ip)
    if as_json:
        sys.stdout.write(json.dumps(found, indent=2, ensure_ascii=False) + "\n")
        return
    for key, value in found.items():
        console.print(f"[bold]{key}[/bold]: {escape(str(value))}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("classify")(classify)
