"""An SMTP server (aiosmtpd) and a Slack-style webhook receiver on 127.0.0.1, keeping what they were sent."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from aiohttp import web
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Inbox:
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # the name aiosmtpd calls
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 OK"


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by its own key, made now; returns (cert.pem, key.pem)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@contextmanager
def smtp_server(password: str | None = None, *, certificate: tuple[Path, Path] | None = None
                ) -> Iterator[tuple[int, Inbox]]:
    """An SMTP server on 127.0.0.1; with ``certificate`` (cert, key) it offers STARTTLS and requires it, without
    it offers no TLS at all; with ``password``, it wants a login with it. Yields port and inbox."""
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
    if certificate is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*certificate)
        auth = {**auth, "tls_context": context, "require_starttls": True}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **auth)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def webhook_receiver(status: int = 200, port: int = 0) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A webhook endpoint on 127.0.0.1 (on ``port``, or any free one); yields its URL and the JSON bodies posted."""
    received: list[dict[str, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(await request.json())
        return web.Response(status=status, text="ok")

    app = web.Application()
    app.router.add_post("/services/T000/B000/secret", hook)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app, access_log=None)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", port)
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
