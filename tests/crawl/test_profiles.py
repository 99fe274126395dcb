"""Fetching profile pages, avatars and site links for the profile audit: every failure a value with its reason."""

from __future__ import annotations

from aiohttp import web
from tests.crawl.sites import html, serve

from socialseo.crawl.fetch import FetchLimits
from socialseo.crawl.policy import AddressPolicy
from socialseo.crawl.profiles import check_links, fetch_images, fetch_profile_pages

_LOCAL = AddressPolicy(allow_private=True)


async def _denied(request: web.Request) -> web.Response:
    return web.Response(status=999, text="request denied")


async def _png(request: web.Request) -> web.Response:
    return web.Response(body=b"\x89PNG fake", content_type="image/png")


def test_a_profile_page_is_extracted_and_a_refusal_is_named() -> None:
    routes = {"/acme": html("hi", head='<meta property="og:title" content="Acme | LinkedIn">'), "/in/acme": _denied}
    with serve(routes) as base:
        got = fetch_profile_pages([base + "/acme", base + "/in/acme"], _LOCAL, FetchLimits())
    assert got[base + "/acme"].page is not None and got[base + "/acme"].page.opengraph["og:title"] == ["Acme | LinkedIn"]
    assert got[base + "/in/acme"].page is None and "999" in str(got[base + "/in/acme"].problem)


def test_images_and_links_come_back_per_url() -> None:
    with serve({"/a.png": _png, "/": html("home")}) as base:
        images = fetch_images([base + "/a.png", base + "/none.png"], _LOCAL, FetchLimits())
        checks = check_links([base + "/", base + "/gone"], _LOCAL, FetchLimits())
    assert images == {base + "/a.png": b"\x89PNG fake", base + "/none.png": None}
    assert checks[base + "/"] is None and "404" in str(checks[base + "/gone"])


def test_private_addresses_are_refused_without_leave() -> None:
    with serve({"/": html("home")}) as base:
        checks = check_links([base + "/"], AddressPolicy(), FetchLimits())
    assert checks[base + "/"] is not None


def test_nothing_to_fetch_opens_nothing() -> None:
    assert fetch_profile_pages([], AddressPolicy(), FetchLimits()) == {}
