"""A polite JSON client for the open networks' APIs, on the crawler's session and address policy.

Each API gets one client, and a client makes one request at a time: the public APIs socialseo reads (Bluesky's
AppView, a Mastodon instance, Reddit, Hacker News' Algolia search) all ask for modest, sequential use. The client
honours what the server says about its limits rather than guessing: a 429 or 503 waits ``Retry-After`` (seconds or
an HTTP date) or the rate-limit reset header before trying again, at most ``retries`` times; when the remaining
budget (``x-ratelimit-remaining``, ``ratelimit-remaining``) reaches zero the next request waits for the reset.
Every failure is a :class:`NetworkError` with one line a user can act on.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp

from socialseo.crawl.fetch import FetchLimits, open_session
from socialseo.crawl.policy import AddressPolicy, BlockedAddressError
from socialseo.errors import SocialSeoError

USER_AGENT = "socialseo-discover/0.1 (+https://github.com/socialseo/socialseo)"
MAX_WAIT = 120.0
"""The longest a client waits on one rate-limit answer; a longer wait fails the source instead of hanging a run."""

_RESET_HEADERS = ("x-ratelimit-reset", "ratelimit-reset")
_REMAINING_HEADERS = ("x-ratelimit-remaining", "ratelimit-remaining")


class NetworkError(SocialSeoError):
    """An open network's API could not be read: refused, failing, rate-limited for too long, or not JSON."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class JsonClient:
    """GET JSON from one API base, one request at a time, within its rate limits.

    The API base itself is allowed by the address policy (it is configuration the user chose, such as a local
    Mastodon instance); nothing else private is reachable.
    """

    base: str
    name: str
    limits: FetchLimits = field(default_factory=lambda: FetchLimits(timeout=30.0, user_agent=USER_AGENT))
    retries: int = 3
    max_wait: float = MAX_WAIT
    requests: int = 0
    _session: aiohttp.ClientSession | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _not_before: float = 0.0

    def __post_init__(self) -> None:
        parts = urlsplit(self.base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise NetworkError(f"{self.name}: API base {self.base!r} is not an http(s) URL")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        self.policy = AddressPolicy(allow_hosts=(f"{host}:{port}",))
        self.base = self.base.rstrip("/")

    async def __aenter__(self) -> JsonClient:
        self._session = open_session(self.policy, self.limits, concurrency=1)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        query = urlencode([(k, v) for k, v in (params or {}).items() if v is not None], doseq=True)
        return f"{self.base}{path}" + (f"?{query}" if query else "")

    async def get(self, path: str, params: Mapping[str, Any] | None = None) -> tuple[Any, Mapping[str, str]]:
        """The decoded JSON at ``path`` and the answer's headers; raises :class:`NetworkError` on any failure."""
        url = self.url(path, params)
        async with self._lock:
            for attempt in range(self.retries + 1):
                await self._pace()
                status, headers, body = await self._request(url)
                self._note_budget(headers)
                if status in (429, 503) and attempt < self.retries:
                    wait = retry_after(headers, default=2.0 ** attempt)
                    if wait > self.max_wait:
                        raise NetworkError(f"{self.name}: {url} is rate-limited for {wait:.0f} s; try again later")
                    await asyncio.sleep(wait)
                    continue
                if status == 429:
                    raise NetworkError(f"{self.name}: {url} still rate-limited after {self.retries} retries", status)
                if not 200 <= status < 300:
                    raise NetworkError(f"{self.name}: {url} answered HTTP {status}", status)
                try:
                    return json.loads(body), headers
                except (ValueError, UnicodeDecodeError) as exc:
                    raise NetworkError(f"{self.name}: {url} did not answer JSON ({exc})") from exc
        raise NetworkError(f"{self.name}: {url} failed after {self.retries} retries")

    async def _request(self, url: str) -> tuple[int, Mapping[str, str], bytes]:
        assert self._session is not None, "use the client as 'async with'"
        self.requests += 1
        try:
            self.policy.check_url(url)
            async with asyncio.timeout(self.limits.timeout):
                async with self._session.get(url, allow_redirects=False, headers={"Accept": "application/json"}) as r:
                    body = await r.content.read(self.limits.max_bytes + 1)
                    if len(body) > self.limits.max_bytes:
                        raise NetworkError(f"{self.name}: {url} answered more than {self.limits.max_bytes:,} bytes")
                    return r.status, {k.lower(): v for k, v in r.headers.items()}, body
        except TimeoutError as exc:
            raise NetworkError(f"{self.name}: {url} timed out after {self.limits.timeout:g} s") from exc
        except BlockedAddressError as exc:
            raise NetworkError(f"{self.name}: {exc}") from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"{self.name}: {url} could not be reached ({type(exc).__name__}: {exc})"[:300]) from exc

    async def _pace(self) -> None:
        wait = self._not_before - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)

    def _note_budget(self, headers: Mapping[str, str]) -> None:
        """When the server says the budget is spent, hold the next request until its reset."""
        remaining = next((headers[h] for h in _REMAINING_HEADERS if h in headers), None)
        try:
            spent = remaining is not None and float(remaining) < 1
        except ValueError:
            spent = False
        if spent:
            wait = min(reset_wait(headers, default=1.0), self.max_wait)
            self._not_before = time.monotonic() + wait


def retry_after(headers: Mapping[str, str], *, default: float) -> float:
    """Seconds to wait before retrying: ``Retry-After`` (seconds or HTTP date), else the rate-limit reset.

    >>> retry_after({"retry-after": "3"}, default=1.0), retry_after({}, default=1.0)
    (3.0, 1.0)
    """
    value = headers.get("retry-after")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
            except (TypeError, ValueError):
                pass
    return reset_wait(headers, default=default)


def reset_wait(headers: Mapping[str, str], *, default: float) -> float:
    """Seconds until the rate-limit window resets, from whichever form the API uses.

    Reddit sends seconds to go, Bluesky an epoch time, Mastodon an ISO timestamp.
    """
    value = next((headers[h] for h in _RESET_HEADERS if h in headers), None)
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return default
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    if number > 1e9:  # an epoch time, not a duration
        return max(0.0, number - time.time())
    return max(0.0, number)
