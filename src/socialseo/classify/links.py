"""The page a social post links to: found in the export or the text, unwrapped, normalised.

Short links (``t.co``, ``lnkd.in``, ``bit.ly``) cannot be followed offline and socialseo never reaches for the
network, so a short link is resolved only from what the data itself says: a map of short -> expanded URLs (the
user's, or pairs seen in exports and texts), or an expanded URL written in the same post's text. Otherwise the
short URL is kept and the post counts as linking to an unresolved page. Redirect wrappers that carry their target
in the query (``l.facebook.com/l.php?u=...``, ``out.reddit.com/...?url=...``) are unwrapped directly. Shortener
hosts come from ``data/platforms.yaml`` (each platform's ``shorteners`` and the general ``link_shorteners``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import NamedTuple
from urllib.parse import parse_qs, unquote

from socialseo.classify import catalog
from socialseo.classify._data import load
from socialseo.classify.hosts import HostTable, parse_host
from socialseo.classify.urls import normalize_url

_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_TRAILING = ".,;:!?…»”’"
_WRAPPER_PARAMS = ("u", "url", "q", "target", "dest")


class ResolvedLink(NamedTuple):
    """``url`` is the normalised target (or the short link when unresolved); ``status`` says which."""

    url: str | None
    short_url: str | None
    status: str  # none, direct, expanded, unresolved


@cache
def _shorteners() -> HostTable[bool]:
    table: HostTable[bool] = HostTable()
    for platform in catalog.platforms().values():
        for host in platform.shorteners:
            table.add(host, True)
    for host in load("platforms").get("link_shorteners") or ():
        table.add(str(host), True)
    return table


def host_of(url: str) -> str | None:
    match = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)", url)
    return parse_host(match[1]) if match else None


def is_short_link(url: str) -> bool:
    """Whether ``url`` is on a link shortener or a platform's redirect wrapper."""
    host = host_of(url)
    return bool(host and _shorteners().lookup(host))


def urls_in_text(text: str | None) -> list[str]:
    """The URLs written in a post's text, in order, without trailing punctuation."""
    if not text:
        return []
    found = []
    for match in _URL_IN_TEXT.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        found.append(url if "://" in url else "https://" + url)
    return found


def _unwrap(url: str) -> str:
    """The target inside a redirect wrapper's query (``?u=https%3A...``), or ``url`` itself."""
    if "?" not in url or not is_short_link(url):
        return url
    params = parse_qs(url.split("?", 1)[1])
    for name in _WRAPPER_PARAMS:
        for value in params.get(name, []):
            target = unquote(value) if "%3a" in value.lower() else value
            if re.match(r"^https?://", target, re.IGNORECASE):
                return target
    return url


def resolve_link(
    linked: str | None, text: str | None = None, known: Mapping[str, str] | None = None
) -> ResolvedLink:
    """Resolve a post's linked URL (or, without one, the first URL in its text).

    >>> resolve_link("https://www.example.com/a/?utm_source=x").url
    'https://www.example.com/a'
    >>> resolve_link("https://t.co/abc", "Read it https://t.co/abc (www.example.com/a)").status
    'expanded'
    """
    in_text = urls_in_text(text)
    raw = (linked or "").strip() or (in_text[0] if in_text else "")
    if not raw:
        return ResolvedLink(None, None, "none")
    if "://" not in raw:
        raw = "https://" + raw
    url = _unwrap(raw)
    if not is_short_link(url):
        return ResolvedLink(normalize_url(url), None, "direct")
    short = url
    expanded = (known or {}).get(short)
    if expanded is None:
        expanded = next((u for u in in_text if not is_short_link(u)), None)
    if expanded is None:
        return ResolvedLink(short, short, "unresolved")
    return ResolvedLink(normalize_url(_unwrap(expanded)), short, "expanded")
