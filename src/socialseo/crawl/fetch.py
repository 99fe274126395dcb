"""One polite HTTP fetch: redirects followed by hand, bodies read up to a limit, every failure a value.

Redirects are followed here rather than by aiohttp so that each hop is counted, loops are named as loops, and the
chain is kept for the page row. Bodies are read in chunks and cut at ``max_bytes`` *after* decompression, which is
what defuses gzip bombs: a few kilobytes on the wire that would inflate to gigabytes stop at the limit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import aiohttp

from socialseo.crawl.throttle import HostThrottle

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


@dataclass(frozen=True)
class FetchLimits:
    """The limits every request obeys (see ``socialseo crawl --help``)."""

    timeout: float = 15.0
    max_bytes: int = 5 << 20
    max_redirects: int = 5
    user_agent: str = "socialseo-crawler/0.1 (+https://github.com/socialseo/socialseo)"


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    limits: FetchLimits,
    throttle: HostThrottle | None = None,
    *,
    max_bytes: int | None = None,
    accept: tuple[str, ...] | None = None,
    headers: dict[str, str] | None = None,
) -> FetchResult:
    """GET ``url``; a body whose type is not in ``accept`` (prefixes) is not read."""
    result = FetchResult(url=url, final_url=url)
    start = time.perf_counter()
    current, seen = url, {url}
    limit = limits.max_bytes if max_bytes is None else max_bytes
    try:
        for _hop in range(limits.max_redirects + 1):
            if throttle is not None:
                await throttle.wait(urlsplit(current).netloc)
            async with session.get(
                current,
                allow_redirects=False,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=limits.timeout),
            ) as response:
                result.status, result.final_url = response.status, current
                location = response.headers.get("Location")
                if 300 <= response.status < 400 and location:
                    target = urljoin(current, location).split("#", 1)[0]
                    result.redirects.append(target)
                    if target in seen:
                        result.error = f"redirect loop back to {target}"
                        break
                    seen.add(target)
                    current = target
                    continue
                result.content_type = response.content_type
                result.charset = response.charset
                if accept is not None and not result.content_type.startswith(accept):
                    result.error = f"not fetched: content type {result.content_type}"
                    break
                result.body, result.truncated = await _read_limited(response, limit)
                break
        else:
            result.error = f"more than {limits.max_redirects} redirects"
    except TimeoutError:
        result.error = f"timed out after {limits.timeout:g} s"
    except aiohttp.ClientError as exc:
        result.error = f"{type(exc).__name__}: {exc}"[:300]
    except OSError as exc:  # the resolver's refusal of private addresses lands here, among others
        result.error = str(exc)[:300]
    except ValueError as exc:  # malformed URLs aiohttp cannot request (bad port, bad host)
        result.error = f"bad URL: {exc}"[:300]
    if result.truncated:
        result.error = f"body larger than {limit:,} bytes; kept the first {limit:,}"
    result.elapsed_ms = (time.perf_counter() - start) * 1000
    return result


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
