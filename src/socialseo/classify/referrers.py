"""Classify one referrer: internal, a search engine, a social platform, webmail, an ad server, another site.

Only the referrer's scheme and host decide, never its path or query: ``https://example.org/facebook`` is a
referral from example.org. The exceptions are an AI assistant's path rule (``x.com/i/grok``, see
:mod:`socialseo.classify.assistants`), which the origin keeps and which is checked, with AI assistants, first, and
a Mastodon post's path shape (``/@alice/113456789012345678``, see :mod:`socialseo.classify.fediverse`), which the
origin keeps too and which counts only for a host that no list names.
The *origin* (everything before the first ``/``, ``?`` or ``#`` after the scheme, bar such a path) is cut
with one regular expression that Python and DuckDB read alike (:func:`referrer_origin_sql`), so the bulk path
classifies each distinct origin once.

Order within the referrer step: internal (one of the site's hosts, or its www/non-www twin) first, then the
most specific host entry across search engines, social platforms, webmail and ad servers (on a tie in that
order), then a Mastodon post's path on an unlisted host (evidence ``referrer_shape``), then hosts whose first
label says webmail, then any other host is a referral. ``-``, empty strings and
text without a host are no referrer at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from socialseo.classify import assistants, catalog, fediverse
from socialseo.classify.channels import Channel, Evidence
from socialseo.classify.hosts import HostTable, parse_host, pattern_key, site_host_set, split_host

_KEPT_PATHS = "|".join(p for p in (assistants.origin_path_alternation(), fediverse.status_path_pattern()) if p)
_ORIGIN = (r"^[ \t\r\n]*((?:[A-Za-z][A-Za-z0-9+.-]*:)?(?://)?[^/?#]*"
           + (f"(?:(?:{_KEPT_PATHS})(?:[/?#]|$))?" if _KEPT_PATHS else "") + ")")
_ORIGIN_RE = re.compile(_ORIGIN)
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*)://(.*)", re.DOTALL)
_WEB_SCHEMES = frozenset({"http", "https"})
_APP_SCHEMES = frozenset({"android-app"})


@dataclass(frozen=True)
class ReferrerClass:
    """What a referrer says. ``channel`` is None when there is no usable referrer."""

    channel: Channel | None
    platform: str | None
    evidence: Evidence
    host: str | None


NO_REFERRER = ReferrerClass(None, None, "none", None)

# Priorities on a tie between equally specific host entries: the order of the precedence rules.
_SEARCH, _SOCIAL, _EMAIL, _PAID = range(4)


@cache
def _host_table() -> HostTable[tuple[Channel, str | None, Evidence]]:
    table: HostTable[tuple[Channel, str | None, Evidence]] = HostTable()
    portals = {pattern_key(p) for p in catalog.portal_domains()}
    for engine in catalog.search_engines().values():
        for pattern in engine.hosts:
            exact = pattern_key(pattern) in portals
            table.add(pattern, ("organic_search", engine.id, "referrer_host"), priority=_SEARCH, exact=exact)
    for platform in catalog.platforms().values():
        for pattern in platform.domains:
            table.add(pattern, ("social", platform.id, "referrer_host"), priority=_SOCIAL)
        for pattern in platform.shorteners:
            table.add(pattern, ("social", platform.id, "shortener"), priority=_SOCIAL)
    for provider, patterns in catalog.email_hosts().items():
        for pattern in patterns:
            table.add(pattern, ("email", provider, "referrer_host"), priority=_EMAIL)
    for pattern, (channel, network) in catalog.paid_hosts().items():
        table.add(pattern, (channel, network, "referrer_host"), priority=_PAID)
    return table


@cache
def _app_table() -> dict[str, tuple[Channel, str | None]]:
    apps: dict[str, tuple[Channel, str | None]] = {}
    # In precedence order; a package listed twice keeps its first meaning.
    for package, engine in catalog.search_apps().items():
        apps.setdefault(package, ("organic_search", engine))
    for platform in catalog.platforms().values():
        for package in platform.apps:
            apps.setdefault(package, ("social", platform.id))
    for package, provider in catalog.email_apps().items():
        apps.setdefault(package, ("email", provider))
    return apps


def referrer_origin(referrer: str | None) -> str | None:
    """The part of a referrer that classification reads: scheme and authority, as written.

    >>> referrer_origin("https://www.facebook.com/l.php?u=https%3A%2F%2Fexample.com")
    'https://www.facebook.com'
    """
    if referrer is None:
        return None
    found = _ORIGIN_RE.match(referrer)
    return found[1] if found else ""


def referrer_origin_sql(column: str) -> str:
    """A DuckDB SQL expression computing :func:`referrer_origin` of ``column``."""
    return f"regexp_extract({column}, '{_ORIGIN}', 1)"


def classify_referrer(referrer: str | None, site_hosts: Iterable[str] = ()) -> ReferrerClass:
    """Classify a referrer URL for a site whose own hosts are ``site_hosts``.

    >>> classify_referrer("https://t.co/").platform
    'x'
    >>> classify_referrer("-") == NO_REFERRER
    True
    """
    return classify_origin(referrer_origin(referrer), site_host_set(site_hosts))


@lru_cache(maxsize=131072)
def classify_origin(origin: str | None, site: frozenset[str] = frozenset()) -> ReferrerClass:
    """Classify a referrer's origin (see :func:`referrer_origin`); ``site`` from :func:`site_host_set`."""
    if not origin:
        return NO_REFERRER
    text = origin.strip().lower()
    scheme_match = _SCHEME.fullmatch(text)
    if scheme_match:
        scheme, authority = scheme_match[1], scheme_match[2]
    elif ":" not in text and "." in text:  # "www.example.com": a referrer some clients send without a scheme
        scheme, authority = "", text
    else:
        return NO_REFERRER
    authority, path = assistants.split_path(authority)
    host = parse_host(authority)
    if host is None:
        return NO_REFERRER
    if (assistant := assistants.lookup(scheme, host, path, site)) is not None:
        return ReferrerClass("ai_assistant", assistant[0], assistant[1], host)
    if scheme in _APP_SCHEMES:
        channel, platform = _app_table().get(host, ("referral", None))  # an unknown app is a referral
        return ReferrerClass(channel, platform, "app_referrer", host)
    if scheme and scheme not in _WEB_SCHEMES:
        return ReferrerClass("referral", None, "referrer_host", host)
    if host in site:
        return ReferrerClass("internal", None, "internal", host)
    found = _host_table().lookup(host)
    if found is not None:
        channel, platform, evidence = found
        return ReferrerClass(channel, platform, evidence, host)
    if path and fediverse.is_status_path(path):  # a post on a Mastodon server no list names yet
        return ReferrerClass("social", fediverse.platform(), "referrer_shape", host)
    name, _ = split_host(host)
    if "." in name and catalog.webmail_label().fullmatch(name.split(".", 1)[0]):
        return ReferrerClass("email", None, "referrer_host", host)
    return ReferrerClass("referral", None, "referrer_host", host)
