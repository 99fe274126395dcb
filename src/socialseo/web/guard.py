"""Who may talk to the dashboard: the Host header check against DNS rebinding, and the access token.

A page on any web site can make a visitor's browser call ``http://127.0.0.1:8000`` and, by pointing its own name at
127.0.0.1 (DNS rebinding), read the answers too. The browser then still sends the attacker's name in ``Host``, so
only the names the dashboard is reachable under are accepted: the loopback names and the bound address. The port is
not compared, so an SSH tunnel (``ssh -L 9000:localhost:8000``) keeps working.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Iterable

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from socialseo.errors import SocialSeoError

COOKIE = "socialseo_token"
MIN_TOKEN_LENGTH = 16
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"0.0.0.0", "::", ""})
TOKEN_RECIPE = 'python -c "import secrets; print(secrets.token_urlsafe())"'


def check_token(token: str) -> None:
    """Refuse a token short enough to guess."""
    if len(token) < MIN_TOKEN_LENGTH:
        raise SocialSeoError(
            f"the access token must be at least {MIN_TOKEN_LENGTH} characters, not {len(token)}; "
            f"make one with: {TOKEN_RECIPE}"
        )


def host_name(header: str) -> str:
    """The name in a Host header, without the port: ``[::1]:8000`` → ``::1``, ``Example.com:80`` → ``example.com``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else ""
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def allowed_hosts(bound: str, extra: Iterable[str] = ()) -> frozenset[str] | None:
    """The Host names accepted when bound to ``bound``; None (any) when bound to every address."""
    if bound.strip("[]") in WILDCARDS:
        return None  # reachable under any of the machine's names; the token, required there, guards it
    return LOOPBACK_NAMES | {bound.strip("[]").lower()} | {host_name(h) for h in extra}


def host_guard(app: FastAPI, names: frozenset[str]) -> None:
    @app.middleware("http")
    async def check(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        given = request.headers.get("host", "")
        if host_name(given) not in names:
            return JSONResponse(
                {"detail": f"this dashboard does not answer to Host {given!r}; it answers to: "
                           f"{', '.join(sorted(names))} (add a name with socialseo serve --allow-host NAME)"}, 400)
        return await call_next(request)


def token_guard(app: FastAPI, token: str) -> None:
    @app.middleware("http")
    async def check(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        given = request.query_params.get("token") or request.cookies.get(COOKIE) or ""
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            given = header[7:]
        if not hmac.compare_digest(given.encode(), token.encode()):
            return JSONResponse({"detail": "a token is required: add ?token=... or an Authorization header"}, 401)
        response = await call_next(request)
        if request.query_params.get("token"):
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return response
