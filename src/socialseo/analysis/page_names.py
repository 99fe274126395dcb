"""Naming a page the way users name it: any spelling of a page resolves to the key ``page_daily`` stores.

Users copy a page from the browser (``https://www.example.com/blog/post/?utm_source=x``), from Search Console, or
type its path. Every spelling goes through :func:`socialseo.classify.urls.page_key`, the one function every table
that stores pages uses, so ``/blog/post``, ``blog/post/``, ``www.example.com/blog/post`` and the full URL with
tracking parameters all name the same page. A page that is not in the data is an error that lists the nearest
stored pages: an empty answer would read as "nothing happened on that page".
"""

from __future__ import annotations

import difflib
import re

import duckdb

from socialseo.analysis.search_totals import page_period_totals
from socialseo.analysis.timeline import canonical_origin
from socialseo.classify.hosts import parse_host
from socialseo.classify.urls import page_key
from socialseo.errors import SocialSeoError

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_BARE_HOST = re.compile(r"^([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?::[0-9]+)?(?=[/?#]|$)")


class UnknownPageError(SocialSeoError):
    """A page named by the user is not in the data (or not on this site); the message lists the nearest ones."""


def _host_of(text: str) -> str | None:
    if _SCHEME.match(text):
        return parse_host(re.sub(_SCHEME, "", text).split("/", 1)[0].split("?", 1)[0].rpartition("@")[2])
    return None


def spelling_key(text: str, hosts: frozenset[str] = frozenset()) -> str:
    """The page key of a user's spelling: a path, a full URL, or a URL without its scheme.

    >>> spelling_key("https://www.example.com/blog/post/?utm_source=x")
    '/blog/post'
    >>> spelling_key("www.example.com/blog/post", frozenset({"www.example.com"}))
    '/blog/post'
    >>> spelling_key("blog/post/")
    '/blog/post'
    """
    text = text.strip()
    if text.startswith("//"):
        text = "https:" + text
    if not _SCHEME.match(text) and not text.startswith(("/", "?")):
        bare = _BARE_HOST.match(text)
        on_site = bare is not None and (bare[1].lower() in hosts or not hosts)
        text = ("https://" if on_site else "/") + text
    return page_key(text)


def stored_pages(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every page with a daily row or a Search Console period total."""
    daily = {str(r[0]) for r in con.execute("SELECT DISTINCT page FROM page_daily").fetchall()}
    return sorted(daily | {str(p) for p in page_period_totals(con)["page"].dropna()})


def nearest(key: str, pages: list[str], n: int = 5) -> list[str]:
    """The stored pages closest to ``key``: similar spellings first, then pages sharing its last path segment."""
    close = difflib.get_close_matches(key, pages, n=n, cutoff=0.6)
    tail = key.rstrip("/").rsplit("/", 1)[-1].lower()
    if tail:
        close += [p for p in pages if tail in p.lower() and p not in close]
    if not close:
        close = difflib.get_close_matches(key, pages, n=n, cutoff=0.0)
    return close[:n]


def resolve_page(con: duckdb.DuckDBPyConnection, text: str) -> str:
    """The stored page key for a user's spelling of a page, or :class:`UnknownPageError` naming the nearest."""
    if not text or not text.strip():
        raise UnknownPageError("a page is needed: its path (/blog/post) or its full URL")
    _, hosts = canonical_origin(con)
    host = _host_of(text.strip())
    if host and hosts and host not in hosts:
        raise UnknownPageError(
            f"{text.strip()!r} is on {host}, not on this site ({', '.join(sorted(hosts)[:4])}); give the page's path "
            "or its URL on the site")
    key = spelling_key(text, hosts)
    pages = stored_pages(con)
    if not pages:
        raise UnknownPageError(
            f"no pages in the data yet, so {text.strip()!r} cannot be found: import Search Console (socialseo ingest "
            "gsc), access logs or post exports first")
    if key in pages:
        return key
    # a page_daily built before keys were paths holds absolute URLs: compare their keys
    by_key = {page_key(p): p for p in pages}
    if key in by_key:
        return by_key[key]
    suggestions = nearest(key, pages)
    raise UnknownPageError(
        f"no page {key} in the data (from {text.strip()!r}); nearest stored pages: {', '.join(suggestions)} "
        f"({len(pages):,} pages: socialseo pages lists them)")
