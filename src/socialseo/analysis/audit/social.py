"""Recognising a brand's social profiles: in links, in schema.org ``sameAs``, and across spellings of a URL.

Platforms are recognised by host through :func:`socialseo.classify.classify_referrer` (the one platform list in
``classify/data/platforms.yaml``); a share link is not a profile (see :mod:`socialseo.crawl.widgets`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from socialseo.classify import classify_referrer
from socialseo.crawl.widgets import share_link_platform

# schema.org types whose sameAs names the site owner's profiles (Organization's and Person's common subtypes).
OWNER_TYPES = frozenset({
    "Organization", "Corporation", "LocalBusiness", "NewsMediaOrganization", "OnlineBusiness", "OnlineStore",
    "NGO", "EducationalOrganization", "Brand", "Person", "Store", "ProfessionalService", "MusicGroup",
    "PerformingGroup", "SportsTeam", "SportsOrganization",
})
# Paths that are platform pages, not anyone's profile.
_NOT_PROFILES = frozenset({"", "share", "sharer", "intent", "home", "login", "signup", "search", "hashtag"})


def platform_of(url: str) -> str | None:
    """The social platform a URL is on, or None."""
    found = classify_referrer(url)
    return found.platform if found.channel == "social" else None


def profile_key(url: str) -> str | None:
    """A key equal for two spellings of one profile URL: platform plus lower-cased path, no trailing slash.

    >>> profile_key("https://twitter.com/AcmeTools/") == profile_key("https://x.com/acmetools")
    True
    """
    platform = platform_of(url)
    if platform is None:
        return None
    path = urlsplit(url).path.strip("/").lower()
    if path.split("/", 1)[0].lstrip("@") in _NOT_PROFILES:
        return None
    return f"{platform}:{path.lstrip('@')}"


def profile_links(hrefs: Iterable[str]) -> dict[str, str]:
    """Profile key -> first URL, for the links among ``hrefs`` that point at a social profile (share links excluded)."""
    found: dict[str, str] = {}
    for href in hrefs:
        if share_link_platform(href) is not None:
            continue
        key = profile_key(href)
        if key is not None:
            found.setdefault(key, href)
    return found


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1] for v in values}


def _nodes(value: Any) -> Iterable[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _nodes(item)
    elif isinstance(value, dict):
        yield value
        for key in ("@graph", "publisher", "author", "mainEntity", "brand"):
            if key in value:
                yield from _nodes(value[key])


def same_as(jsonld: list[Any]) -> list[str]:
    """The ``sameAs`` URLs of the Organization/Person nodes in a page's JSON-LD (``@graph`` and nesting read)."""
    urls: list[str] = []
    for node in _nodes(jsonld):
        if _types(node) & OWNER_TYPES:
            value = node.get("sameAs", [])
            urls.extend(str(v) for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
    return list(dict.fromkeys(urls))
