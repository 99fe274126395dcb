"""Google API credentials from a key file, and the one HTTP transport every Google request goes through.

Two kinds of file are read: a service-account JSON key (``"type": "service_account"``; google-auth signs a JWT
with its RS256 key and trades it at the token endpoint for an access token, the JWT bearer grant), or an
installed-app authorized-user token (``"type": "authorized_user"``, with a refresh token). A key is a secret: a
file that other users can read is refused before it is opened, and nothing of it is logged or stored.

Where the requests go is configuration, not data: the token endpoint is ``SOCIALSEO_GOOGLE_TOKEN_URL`` (default
Google's) and never the ``token_uri`` a key file names, so a key file cannot send its signed assertion or refresh
token elsewhere. A base the user set explicitly in the environment is allowed even on a private or loopback
address (a proxy, a test server); any other address passes :class:`~socialseo.crawl.policy.AddressPolicy`.
"""

from __future__ import annotations

import json
import os
import stat
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from google.auth import exceptions as auth_exceptions
from google.auth import transport
from google.auth.credentials import Credentials
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

from socialseo.crawl.policy import AddressPolicy
from socialseo.errors import SocialSeoError

SCOPE = "https://www.googleapis.com/auth/webmasters.readonly"
DEFAULT_API_BASE = "https://www.googleapis.com"
DEFAULT_TOKEN_URL = "https://oauth2.googleapis.com/token"
CREDENTIALS_ENV = ("SOCIALSEO_GOOGLE_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS")
TIMEOUT_S = 60.0
MAX_ANSWER_BYTES = 256 << 20
"""A searchAnalytics page of 25,000 rows is a few MB; anything near this is not an answer to read whole."""


class GoogleApiError(SocialSeoError):
    """A Google endpoint refused a request or answered with something that is not its documented answer."""


def api_base() -> str:
    return os.environ.get("SOCIALSEO_GOOGLE_API_BASE", "").strip().rstrip("/") or DEFAULT_API_BASE


def token_url() -> str:
    return os.environ.get("SOCIALSEO_GOOGLE_TOKEN_URL", "").strip() or DEFAULT_TOKEN_URL


def endpoint_policy(more: tuple[str, ...] = ()) -> AddressPolicy:
    """Allow the hosts of the bases the user configured in the environment (``more`` names further variables),
    and only those, beyond public ones."""
    allowed = []
    for name in ("SOCIALSEO_GOOGLE_API_BASE", "SOCIALSEO_GOOGLE_TOKEN_URL", *more):
        value = os.environ.get(name, "").strip()
        if value:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise SocialSeoError(f"{name}={value!r}: not an http(s) URL")
            port = parts.port or (443 if parts.scheme == "https" else 80)
            host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
            allowed.append(f"{host}:{port}")
    return AddressPolicy(allow_hosts=tuple(allowed))


def credentials_path(given: Path | None) -> Path:
    """The key file: ``given``, else ``SOCIALSEO_GOOGLE_CREDENTIALS`` or ``GOOGLE_APPLICATION_CREDENTIALS``."""
    if given is not None:
        return given
    for name in CREDENTIALS_ENV:
        value = os.environ.get(name, "").strip()
        if value:
            return Path(value)
    raise SocialSeoError(
        "no Google credentials: pass --credentials KEY.json (a service-account key or an authorized-user token "
        "file) or set SOCIALSEO_GOOGLE_CREDENTIALS"
    )


def load_credentials(path: Path, scopes: tuple[str, ...] = (SCOPE,)) -> Credentials:
    """Credentials for ``scopes`` (default: Search Console read-only) from a key file only its owner can read."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise SocialSeoError(f"{path}: cannot read the credentials file ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(mode):
        raise SocialSeoError(f"{path}: not a file")
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SocialSeoError(
            f"{path}: the key file is readable by other users (mode {stat.S_IMODE(mode):04o}); run chmod 600 {path}"
        )
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, json.JSONDecodeError):
        raise SocialSeoError(f"{path}: not a JSON key file") from None
    if not isinstance(info, dict):
        raise SocialSeoError(f"{path}: not a JSON key file")
    kind = info.get("type")
    info = {**info, "token_uri": token_url()}
    try:
        if kind == "service_account":
            return service_account.Credentials.from_service_account_info(info, scopes=list(scopes))
        if kind == "authorized_user":
            # from_authorized_user_info always sets Google's token URL: set the configured one after it.
            user = user_credentials.Credentials.from_authorized_user_info(info, scopes=list(scopes))
            return user.with_token_uri(token_url())
    except (ValueError, KeyError, auth_exceptions.GoogleAuthError) as exc:
        # The message names missing fields, never their values.
        raise SocialSeoError(f"{path}: an incomplete {kind} key file ({_first_line(str(exc))})") from None
    raise SocialSeoError(
        f"{path}: type {kind!r} is not supported; use a service-account key (type service_account) or an "
        "authorized-user token file (type authorized_user)"
    )


class _Response(transport.Response):
    def __init__(self, status: int, headers: Mapping[str, str], data: bytes) -> None:
        self._status, self._headers, self._data = status, dict(headers), data

    @property
    def status(self) -> int:
        return self._status

    @property
    def headers(self) -> Mapping[str, str]:
        return self._headers

    @property
    def data(self) -> bytes:
        return self._data


class Transport(transport.Request):
    """google-auth's transport over :mod:`urllib`, with every URL checked against the address policy."""

    def __init__(self, policy: AddressPolicy | None = None) -> None:
        self.policy = policy or endpoint_policy()

    def __call__(
        self, url: str, method: str = "GET", body: bytes | None = None, headers: Mapping[str, str] | None = None,
        timeout: float | None = None, **kwargs: Any,
    ) -> _Response:
        self.policy.check_start(url)
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=timeout or TIMEOUT_S) as answer:
                return _Response(answer.status, dict(answer.headers), _read(answer))
        except urllib.error.HTTPError as exc:
            return _Response(exc.code, dict(exc.headers or {}), _read(exc))
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise auth_exceptions.TransportError(f"{_origin(url)}: {reason}") from None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Google's APIs do not redirect; a redirect would take the bearer token to another address."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _read(answer: Any) -> bytes:
    data = bytes(answer.read(MAX_ANSWER_BYTES + 1))
    if len(data) > MAX_ANSWER_BYTES:
        raise GoogleApiError(f"an answer of more than {MAX_ANSWER_BYTES:,} bytes; not read")
    return data


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0][:200]
