"""The page a social post links to: found in any of its text cells, unwrapped, normalised.

Exports put the link in different places: a link column (Pinterest's destination, Reddit's url), the post text
(Facebook's description or title, Instagram's caption, X's tweet text, YouTube's and TikTok's video title). Captions
often write the site without a scheme (``example.org/blog/post/``), so a URL without one counts when its host is
one of the site's hosts or a link shortener (or starts with ``www.``): "file.txt" or "Node.js" in a caption must
not become links.

Short links (``t.co``, ``lnkd.in``, ``bit.ly``) cannot be followed offline and socialseo never reaches for the
network, so a short link is resolved only from what the data itself says: a map of short -> expanded URLs (the
access log's referrers, the user's ``--links`` file, pairs seen in exports and texts), or an expanded URL written in
the same post. Otherwise the post keeps its short URL and says why it links to no page. Redirect wrappers that
carry their target in the query (``l.facebook.com/l.php?u=...``, ``google.com/url?q=...``) are unwrapped
directly. Shortener hosts come from ``data/platforms.yaml`` (each platform's ``shorteners`` and the general
``link_shorteners``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import NamedTuple
from urllib.parse import parse_qs, unquote

from socialseo.classify import catalog
from socialseo.classify._data import load
from socialseo.classify.hosts import HostTable, parse_host
from socialseo.classify.urls import normalize_url
from socialseo.classify.wrappers import unwrap_url

_URL_CHARS = r"[^\s<>\"'()\[\]{}|\\^`]"
_URL_IN_TEXT = re.compile(rf"(?:https?://|www\.){_URL_CHARS}+", re.IGNORECASE)
# A host name with at least one dot and a letter-only top label, then an optional path: example.org/blog/post/
_BARE_URL = re.compile(
    rf"(?<![\w@/.:-])((?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+[a-z]{{2,24}})(?::[0-9]{{1,5}})?(?:[/?#]{_URL_CHARS}*)?",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?…»”’"
_WRAPPER_PARAMS = ("u", "url", "q", "target", "dest")
# Phrases that send readers to the profile's link instead of writing one (TikTok and Instagram captions).
_LINK_IN_BIO = re.compile(r"\blink\s+(?:is\s+)?in\s+(?:my\s+|our\s+|the\s+)?(?:bio|profile)\b|\blinkinbio\b",
                          re.IGNORECASE)

# Why a post links to no page of the site (``social_posts.unlinked_reason``).
SHORT_LINK_NOT_SEEN = "short link not seen in logs"
LINK_IN_BIO = "link in bio"
NO_LINK = "no link"
OTHER_SITE = "links to another site"
SELF_POST = "links to the post itself"


class ResolvedLink(NamedTuple):
    """``url`` is the normalised target (or the short link when unresolved); ``status`` says which.

    ``reason`` says why a post links to no page of the site (None when it does).
    """

    url: str | None
    short_url: str | None
    status: str  # none, direct, expanded, unresolved, other
    reason: str | None = None


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


def _is_short_host(host: str) -> bool:
    return bool(_shorteners().lookup(host))


def urls_in_text(text: str | None, site: frozenset[str] = frozenset()) -> list[str]:
    """The URLs written in a text, in order, without trailing punctuation, each with a scheme.

    A URL written without a scheme counts when its host is in ``site``, is a link shortener, or starts with
    ``www.``.

    >>> urls_in_text("New post: example.org/blog/post/. More at https://t.co/x!", frozenset({"example.org"}))
    ['https://example.org/blog/post/', 'https://t.co/x']
    """
    if not text:
        return []
    found: list[tuple[int, str]] = []
    masked = list(text)
    for match in _URL_IN_TEXT.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        found.append((match.start(), url if "://" in url else "https://" + url))
        masked[match.start() : match.end()] = " " * (match.end() - match.start())
    rest = "".join(masked)
    for match in _BARE_URL.finditer(rest):
        host = match.group(1).lower()
        if host in site or _is_short_host(host):
            found.append((match.start(), "https://" + match.group(0).rstrip(_TRAILING)))
    return [url for _, url in sorted(found)]


def _unwrap(url: str) -> str:
    """The target inside a redirect wrapper's query (``?u=https%3A...``, ``google.com/url?q=``), or ``url``."""
    target = unwrap_url(url)
    if target != url or "?" not in url:
        return target
    host = host_of(url) or ""
    if not (is_short_link(url) or (re.fullmatch(r"(?:www\.)?google\.[a-z.]+", host) and "/url?" in url)):
        return url
    params = parse_qs(url.split("?", 1)[1])
    for name in _WRAPPER_PARAMS:
        for value in params.get(name, []):
            candidate = unquote(value) if "%3a" in value.lower() else value
            if re.match(r"^https?://", candidate, re.IGNORECASE):
                return candidate
    return url


def _normal(url: str) -> str | None:
    try:
        return normalize_url(url)
    except ValueError:
        return None


def find_post_link(
    cells: Sequence[str | None],
    *,
    site: frozenset[str] = frozenset(),
    known: Mapping[str, str] | None = None,
    post_url: str | None = None,
) -> ResolvedLink:
    """The page of the site a post links to, from every text-bearing cell of its row (link columns first).

    ``site`` is the site's hosts with their www twins; empty means "unknown", and then any link counts. ``known``
    maps short links to their expansions.

    >>> site = frozenset({"example.org", "www.example.org"})
    >>> find_post_link(["", "Read example.org/blog/post/?utm_source=x"], site=site).url
    'https://example.org/blog/post'
    >>> find_post_link(["UTM in 60 seconds, link in bio"], site=site).reason
    'link in bio'
    """
    candidates: list[str] = []
    for cell in cells:
        if not cell:
            continue
        text = cell.strip()
        if "://" not in text and " " not in text and "." in text and not candidates and _BARE_URL.fullmatch(text):
            # A link column holding a bare host/path (Pinterest's destination written without a scheme).
            candidates.append("https://" + text)
            continue
        candidates.extend(urls_in_text(text, site))
    own = _normal(post_url) if post_url else None
    links = [_unwrap(u) for u in candidates]
    pages = [u for u in links if not is_short_link(u)]
    shorts = [u for u in links if is_short_link(u)]

    def on_site(url: str) -> bool:
        host = host_of(url)
        return not site or (host is not None and host in site)

    ours = [p for p in (_normal(u) for u in pages if on_site(u)) if p and p != own]
    if shorts:
        short = shorts[0]
        expanded = (known or {}).get(short)
        if expanded is not None:
            target = _normal(_unwrap(expanded))
            if target and on_site(target):
                return ResolvedLink(target, short, "expanded")
            if target:
                return ResolvedLink(target, short, "other", OTHER_SITE)
        if ours:
            return ResolvedLink(ours[0], short, "expanded")
        if not pages:
            return ResolvedLink(short, short, "unresolved", SHORT_LINK_NOT_SEEN)
    if ours:
        return ResolvedLink(ours[0], None, "direct")
    others = [p for p in (_normal(u) for u in pages) if p and p != own]
    if others:
        return ResolvedLink(others[0], None, "other", OTHER_SITE)
    if pages:
        return ResolvedLink(None, None, "none", SELF_POST)
    if any(cell and _LINK_IN_BIO.search(cell) for cell in cells):
        return ResolvedLink(None, None, "none", LINK_IN_BIO)
    return ResolvedLink(None, None, "none", NO_LINK)


def resolve_link(
    linked: str | None, text: str | None = None, known: Mapping[str, str] | None = None
) -> ResolvedLink:
    """Resolve a post's linked URL (or, without one, the first URL in its text), for any site.

    >>> resolve_link("https://www.example.com/a/?utm_source=x").url
    'https://www.example.com/a'
    >>> resolve_link("https://t.co/abc", "Read it https://t.co/abc (www.example.com/a)").status
    'expanded'
    """
    return find_post_link([linked, text], known=known)
