"""One polite HTTP fetch: redirects followed by hand, bodies read up to a limit, every failure a value.

Redirects are followed here rather than by aiohttp so that each hop is counted, loops are named as loops, the chain
is kept for the page row, and every hop passes the address policy (and, for the crawler, robots.txt) before it is
requested. Bodies are read in chunks and cut at ``max_bytes`` *after* decompression, which is what defuses gzip
bombs: a few kilobytes on the wire that would inflate to gigabytes stop at the limit. ``timeout`` bounds the whole
fetch, every hop and every byte of the body together, so a server that drips one byte a second is cut off too.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import aiohttp

from socialseo.crawl.policy import AddressPolicy, BlockedAddressError, PolicyResolver
from socialseo.crawl.throttle import HostThrottle

HopCheck = Callable[[str], Awaitable[str | None]]
"""Asked before a redirect is followed; a returned reason stops the fetch there with that reason as its error."""

_CHUNK = 1 << 16


@dataclass
class FetchResult:
    """What one URL gave: the status and final URL after redirects, the body (or why there is none)."""

    url: str
    final_url: str
    status: int | None = None
    content_type: str | None = None
    charset: str | None = None
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)
    error: str | None = None
    truncated: bool = False
    elapsed_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def content_type_header(self) -> str | None:
        """The Content-Type as the extractor takes it, charset included."""
        if self.content_type is None:
            return None
        return self.content_type + (f"; charset={self.charset}" if self.charset else "")


@dataclass(frozen=True)
class FetchLimits:
    """The limits every request obeys (see ``socialseo crawl --help``); ``timeout`` is for the whole fetch."""

    timeout: float = 15.0
    max_bytes: int = 5 << 20
    max_redirects: int = 5
    user_agent: str = "socialseo-crawler/0.1 (+https://github.com/socialseo/socialseo)"


def open_session(policy: AddressPolicy, limits: FetchLimits, *, concurrency: int = 8) -> aiohttp.ClientSession:
    """The HTTP session every network client of socialseo uses: it connects only where ``policy`` allows.

    Proxies from the environment are not used (``trust_env=False``): a proxy would resolve names itself, out of
    the policy's sight.
    """
    connector = aiohttp.TCPConnector(limit=concurrency, resolver=PolicyResolver(policy), ttl_dns_cache=300)
    return aiohttp.ClientSession(
        connector=connector, headers={"User-Agent": limits.user_agent, "Accept-Encoding": "gzip, deflate"},
        cookie_jar=aiohttp.DummyCookieJar(), trust_env=False,
    )


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    limits: FetchLimits,
    throttle: HostThrottle | None = None,
    *,
    policy: AddressPolicy,
    max_bytes: int | None = None,
    accept: tuple[str, ...] | None = None,
    headers: dict[str, str] | None = None,
    hop_check: HopCheck | None = None,
) -> FetchResult:
    """GET ``url`` within ``policy``; a body whose type is not in ``accept`` (prefixes) is not read.

    ``session`` should come from :func:`open_session` with the same policy: this function checks IP literals on
    every hop before connecting, the session's resolver checks the addresses names resolve to.
    """
    result = FetchResult(url=url, final_url=url)
    start = time.perf_counter()
    current, seen = url, {url}
    limit = limits.max_bytes if max_bytes is None else max_bytes
    remaining = limits.timeout  # the throttle's waits are politeness, not the server's time: they are not counted
    try:
        for _hop in range(limits.max_redirects + 1):
            policy.check_url(current)
            if throttle is not None:
                await throttle.wait(urlsplit(current).netloc)
            hop_started = time.perf_counter()
            async with asyncio.timeout(remaining):
                target = await _one_hop(session, current, result, limits, limit, accept, headers)
            remaining -= time.perf_counter() - hop_started
            if target is None:
                break
            result.redirects.append(target)
            if target in seen:
                result.error = f"redirect loop back to {target}"
                break
            seen.add(target)
            policy.check_url(target)
            if hop_check is not None and (reason := await hop_check(target)) is not None:
                result.error = reason
                break
            current = target
        else:
            result.error = f"more than {limits.max_redirects} redirects"
    except TimeoutError:
        result.error = f"timed out after {limits.timeout:g} s"
    except BlockedAddressError as exc:
        result.error = str(exc)
    except aiohttp.ClientConnectorError as exc:
        if isinstance(exc.os_error, BlockedAddressError):  # refused by the resolver: no connection was made
            result.error = str(exc.os_error)
        else:
            result.error = f"{type(exc).__name__}: {exc}"[:300]
    except aiohttp.ClientError as exc:
        result.error = f"{type(exc).__name__}: {exc}"[:300]
    except OSError as exc:
        result.error = str(exc)[:300]
    except ValueError as exc:  # malformed URLs aiohttp cannot request (bad port, bad host)
        result.error = f"bad URL: {exc}"[:300]
    if result.truncated:
        result.error = f"body larger than {limit:,} bytes; kept the first {limit:,}"
    result.elapsed_ms = (time.perf_counter() - start) * 1000
    return result


async def _one_hop(
    session: aiohttp.ClientSession, url: str, result: FetchResult, limits: FetchLimits, limit: int,
    accept: tuple[str, ...] | None, headers: dict[str, str] | None,
) -> str | None:
    """Request ``url`` once, filling ``result``; returns the redirect target, or None when the fetch is over."""
    async with session.get(
        url, allow_redirects=False, headers=headers, timeout=aiohttp.ClientTimeout(total=limits.timeout),
    ) as response:
        result.status, result.final_url = response.status, url
        location = response.headers.get("Location")
        if 300 <= response.status < 400 and location:
            return urljoin(url, location).split("#", 1)[0]
        result.content_type = response.content_type
        result.charset = response.charset
        if accept is not None and not result.content_type.startswith(accept):
            result.error = f"not fetched: content type {result.content_type}"
            return None
        result.body, result.truncated = await _read_limited(response, limit)
        return None


async def _read_limited(response: aiohttp.ClientResponse, limit: int) -> tuple[bytes, bool]:
    parts: list[bytes] = []
    size = 0
    try:
        async for chunk in response.content.iter_chunked(_CHUNK):
            parts.append(chunk)
            size += len(chunk)
            if size > limit:
                response.close()  # drop the connection: the rest is never read, nor inflated
                return b"".join(parts)[:limit], True
    except aiohttp.ClientPayloadError:
        if not parts:
            raise
    return b"".join(parts), False
