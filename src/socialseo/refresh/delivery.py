"""Delivering alerts: one email (SMTP) and one Slack-compatible webhook post per refresh.

With ``starttls`` (the default) STARTTLS is required, not hoped for: a server that does not offer it is sent
nothing, since the login and the alerts would otherwise travel in clear. Its certificate is checked against the
system's CAs or the project file's ``ca_file``; ``ssl_verify = false`` turns the check off only when written out.

The SMTP password is read from its file or environment variable when sending and never appears in a message:
authentication errors are reported by their code only.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import urlsplit

import aiohttp

from socialseo.analysis.alerts import Alert
from socialseo.crawl.fetch import FetchLimits, open_session
from socialseo.crawl.policy import AddressPolicy
from socialseo.errors import SocialSeoError
from socialseo.refresh.config import EmailSettings


class DeliveryError(SocialSeoError):
    """An alert could not be delivered; the message says where and why (never the password)."""


def digest_text(site: str, alerts: list[Alert]) -> str:
    """The alerts as plain text, one per line, under a heading naming the site."""
    lines = [f"socialseo alerts for {site}: {len(alerts)} new", ""]
    lines.extend(f"- {a.line}" for a in alerts)
    return "\n".join(lines) + "\n"


def send_email(settings: EmailSettings, site: str, alerts: list[Alert]) -> None:
    """Send the alerts as one email; raises :class:`DeliveryError` naming the server and the failure."""
    message = EmailMessage()
    message["Subject"] = f"socialseo: {len(alerts)} alert{'s' if len(alerts) != 1 else ''} for {site}"
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    message.set_content(digest_text(site, alerts))
    where = f"{settings.host}:{settings.port}"
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(
                        f"email via {where}: the server does not offer STARTTLS, so nothing was sent (not even the "
                        "login); set starttls = false only for a server on a network you trust"
                    )
                smtp.starttls(context=tls_context(settings))
            password = settings.password()
            if settings.username and password is not None:
                smtp.login(settings.username, password)
            smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"email via {where}: login refused (SMTP {exc.smtp_code})") from None
    except ssl.SSLCertVerificationError as exc:
        raise DeliveryError(
            f"email via {where}: the server's certificate was not accepted ({exc.verify_message}); name its CA "
            "with ca_file = \"ca.pem\" in [alerts.email]"
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryError(f"email via {where}: {exc} (set starttls = false for a server without it)") from None
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise DeliveryError(f"email via {where}: {type(exc).__name__}: {exc}"[:300]) from None


def tls_context(settings: EmailSettings) -> ssl.SSLContext:
    """The STARTTLS context: the system's CAs or ``ca_file``; unverified only when ``ssl_verify = false``."""
    try:
        context = ssl.create_default_context(cafile=str(settings.ca_file) if settings.ca_file else None)
    except (OSError, ssl.SSLError) as exc:
        raise DeliveryError(f"alerts.email.ca_file {settings.ca_file}: not a PEM certificate file ({exc})") from None
    if not settings.ssl_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def send_webhook(url: str, site: str, alerts: list[Alert], *, timeout: float = 30.0) -> None:
    """POST ``{"text": ...}`` (Slack's incoming-webhook shape, which Mattermost and others accept)."""
    asyncio.run(_post(url, {"text": digest_text(site, alerts)}, timeout))


async def _post(url: str, payload: dict[str, str], timeout: float) -> None:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname or ""
    # The webhook is the user's own configuration, so its host is allowed even on a private network.
    policy = AddressPolicy(allow_hosts=(f"[{host}]:{port}" if ":" in host else f"{host}:{port}",))
    shown = f"{parts.scheme}://{parts.netloc}{parts.path[:20]}…"  # webhook paths are secrets: never print them whole
    try:
        policy.check_url(url)
        async with (
            open_session(policy, FetchLimits(timeout=timeout), concurrency=1) as session,
            session.post(url, json=payload, allow_redirects=False,
                         timeout=aiohttp.ClientTimeout(total=timeout)) as response,
        ):
            if not 200 <= response.status < 300:
                raise DeliveryError(f"webhook {shown}: answered HTTP {response.status}")
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise DeliveryError(f"webhook {shown}: {type(exc).__name__}: {exc}"[:300]) from None
