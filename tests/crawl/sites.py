"""Fixture sites served on 127.0.0.1 by aiohttp.web in a background thread, for real crawls in tests."""

from __future__ import annotations

import asyncio
import gzip
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_HITS: dict[str, dict[str, int]] = {}


def hits(base: str) -> dict[str, int]:
    """The paths (with query) the server at ``base`` was asked for, and how often: kept after it stops."""
    return dict(_HITS.get(base, {}))


@contextmanager
def serve(routes: dict[str, Handler], fallback: Handler | None = None) -> Iterator[str]:
    """Serve ``routes`` (path -> handler; ``fallback`` for any other path) and yield the base URL."""
    app = web.Application()
    hits: dict[str, int] = {}

    async def dispatch(request: web.Request) -> web.StreamResponse:
        hits[request.path_qs] = hits.get(request.path_qs, 0) + 1
        handler = routes.get(request.path) or routes.get(request.path.rstrip("/") or "/") or fallback
        if handler is None:
            return web.Response(status=404, text="not found")
        return await handler(request)

    app.router.add_route("GET", "/{tail:.*}", dispatch)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app, access_log=None)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = runner.addresses[0][1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        serve.hits = hits  # type: ignore[attr-defined]
        _HITS[f"http://127.0.0.1:{port}"] = hits
        yield f"http://127.0.0.1:{port}"
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def html(body: str, *, head: str = "", status: int = 200, charset: str = "utf-8") -> Handler:
    async def handler(request: web.Request) -> web.Response:
        text = f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"
        return web.Response(body=text.encode(charset), status=status, content_type="text/html", charset=charset)
    return handler


def raw(body: bytes, content_type: str, *, status: int = 200, headers: dict[str, str] | None = None) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, status=status, headers={"Content-Type": content_type, **(headers or {})})
    return handler


def redirect(location: str, status: int = 301) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status, headers={"Location": location})
    return handler


def gzip_bomb(size: int) -> Handler:
    """A page that is ``size`` bytes of spaces once inflated, a few KB on the wire."""
    packed = gzip.compress(b"<html><body>" + b" " * size, compresslevel=9)

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=packed, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    return handler


def png(width: int, height: int) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def drip(seconds: float = 30.0) -> Handler:
    """A page sent one byte every 0.1 s for at most ``seconds``: each read is quick, the whole never comes."""
    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        for _ in range(int(seconds * 10)):
            try:
                await response.write(b" ")
            except (ConnectionError, RuntimeError):  # the client gave up: stop dripping
                break
            await asyncio.sleep(0.1)
        return response
    return handler
