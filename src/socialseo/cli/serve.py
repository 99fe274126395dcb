"""``socialseo serve``: the local dashboard over the warehouse (read-only)."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer

from socialseo.cli.common import DEFAULT_DB, DbOption, console
from socialseo.errors import SocialSeoError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to bind; anything but loopback needs a token.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None, typer.Option("--token", envvar="SOCIALSEO_TOKEN", help="Access token (generated if needed).")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Serve the dashboard: overview, channels, platforms, pages, backlinks, audits, impact, and /api/."""
    import uvicorn

    from socialseo.web.app import create_app

    if not db.exists():
        raise SocialSeoError(f"no warehouse at {db}: import data first (socialseo ingest ...) or pass --db")
    if host not in LOOPBACK and not token:
        token = secrets.token_urlsafe(24)
        console.print(f"bound to {host}: access token [bold]{token}[/bold] (send as ?token= or a Bearer header)")
    app = create_app(db, token=token)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    console.print(f"dashboard on http://{shown}:{port}/ (read-only; Ctrl-C to stop)", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
