"""``socialseo serve``: the local dashboard over a read-only copy of the warehouse, renewed after each import."""

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
        str | None,
        typer.Option("--token", envvar="SOCIALSEO_TOKEN",
                     help="Access token, 16 characters or more (generated if needed)."),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option("--allow-host", help="Another name the dashboard is opened under (repeat); "
                                          "loopback names and the bound address are always allowed."),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Serve the dashboard: overview, channels, platforms, pages, backlinks, audits, impact, and /api/.

    Imports can run while it serves: pages show the new data once the import has finished.
    """
    import uvicorn

    from socialseo.web.app import create_app
    from socialseo.web.guard import check_token

    if not db.exists():
        raise SocialSeoError(f"no warehouse at {db}: import data first (socialseo ingest ...) or pass --db")
    if token is not None:
        check_token(token)
    if host not in LOOPBACK and not token:
        token = secrets.token_urlsafe(24)
        console.print(f"bound to {host}: access token [bold]{token}[/bold] (send as ?token= or a Bearer header)")
    app = create_app(db, token=token, host=host, allow_hosts=allow_host or ())
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else f"[{host}]" if ":" in host else host
    console.print(f"dashboard on http://{shown}:{port}/ (read-only; Ctrl-C to stop)", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
