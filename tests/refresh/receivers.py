"""An SMTP server (aiosmtpd) and a Slack-style webhook receiver on 127.0.0.1, keeping what they were sent."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiohttp import web
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Inbox:
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # the name aiosmtpd calls
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 OK"


@contextmanager
def smtp_server(password: str | None = None) -> Iterator[tuple[int, Inbox]]:
    """An SMTP server on 127.0.0.1 (no TLS); with ``password``, it wants a login with it. Yields port and inbox."""
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd's controller connects to its own port to start: it needs a real one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    auth: dict[str, Any] = {}
    if password is not None:
        def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            ok = isinstance(data, LoginPassword) and data.password == password.encode()
            return AuthResult(success=ok, handled=False)
        auth = {"authenticator": check, "auth_require_tls": False, "auth_required": True}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **auth)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


@contextmanager
def webhook_receiver(status: int = 200) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A webhook endpoint on 127.0.0.1; yields its URL and the JSON bodies posted to it."""
    received: list[dict[str, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(await request.json())
        return web.Response(status=status, text="ok")

    app = web.Application()
    app.router.add_post("/services/T000/B000/secret", hook)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app, access_log=None)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = runner.addresses[0][1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/services/T000/B000/secret", received
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
