"""Fetching what a social profile audit reads over the network: profile pages, avatars and the site links.

The audit itself (analysis/audit/profiles.py) only reads what is handed to it, so it runs the same on saved pages
and on fetched ones; every request here passes the address policy and the fetch limits, and every failure comes
back as a value with its reason rather than an exception, so one unreachable profile never stops the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import aiohttp

from socialseo.crawl.extract import PageExtract, extract_page
from socialseo.crawl.fetch import FetchLimits, FetchResult, fetch, open_session
from socialseo.crawl.policy import AddressPolicy

AVATAR_MAX_BYTES = 5 << 20
"""An avatar is a small image; more than this is not one."""

_T = TypeVar("_T")


@dataclass(frozen=True)
class FetchedProfile:
    """One live profile page: what the extractor read from it, or why there is nothing to read."""

    url: str
    page: PageExtract | None = None
    problem: str | None = None


def fetch_profile_pages(urls: Iterable[str], policy: AddressPolicy, limits: FetchLimits
                        ) -> dict[str, FetchedProfile]:
    """Fetch and extract each profile page; a 999, a 403 or an empty answer gives ``problem`` instead of a page."""

    async def one(session: aiohttp.ClientSession, url: str) -> FetchedProfile:
        result = await fetch(session, url, limits, policy=policy)
        if not result.ok or not result.body:
            return FetchedProfile(url, problem=result.error or f"the platform answered {result.status}")
        return FetchedProfile(url, extract_page(result.body, result.final_url, content_type=result.content_type))

    return _each(urls, policy, limits, one)


def fetch_images(urls: Iterable[str], policy: AddressPolicy, limits: FetchLimits,
                 max_bytes: int = AVATAR_MAX_BYTES) -> dict[str, bytes | None]:
    """The bytes of each image URL, or None where it could not be fetched."""

    async def one(session: aiohttp.ClientSession, url: str) -> bytes | None:
        result = await fetch(session, url, limits, policy=policy, max_bytes=max_bytes)
        return result.body if result.ok else None

    return _each(urls, policy, limits, one)


def check_links(urls: Iterable[str], policy: AddressPolicy, limits: FetchLimits) -> dict[str, str | None]:
    """Whether each link works: None when it answers 2xx (after redirects), else the reason it does not."""

    async def one(session: aiohttp.ClientSession, url: str) -> str | None:
        result: FetchResult = await fetch(session, url, limits, policy=policy)
        return None if result.ok else (result.error or f"status {result.status}")

    return _each(urls, policy, limits, one)


def _each(urls: Iterable[str], policy: AddressPolicy, limits: FetchLimits,
          one: Callable[[aiohttp.ClientSession, str], Awaitable[_T]]) -> dict[str, _T]:
    """Run ``one`` over the distinct URLs in order, in one session; nothing is opened when there is nothing to do."""
    wanted = list(dict.fromkeys(urls))
    if not wanted:
        return {}

    async def run() -> dict[str, _T]:
        async with open_session(policy, limits) as session:
            return {url: await one(session, url) for url in wanted}

    return asyncio.run(run())
