"""Host names: parsing, public suffixes, and matching a host against lists of known hosts.

Platforms are recognised by the referrer's *host*, never by a substring of the whole URL: a path or query that
mentions facebook is not Facebook. The public suffix (``co.uk``, ``com.br``) comes from tldextract's bundled
Public Suffix List snapshot; it is built with ``suffix_list_urls=()`` so it never reaches for the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

import tldextract

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

# A host is labels of word characters and hyphens joined by dots (Unicode letters allowed: IDN hosts often
# arrive undecoded). Anything else in a referrer's authority ("-", "(none)", spaces) is not a host.
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)*")
_PORT = re.compile(r":[0-9]*$")
_WWW = re.compile(r"www[0-9]*|m|mobile")

T = TypeVar("T")


def parse_host(authority: str) -> str | None:
    """The lower-cased host of a URL authority (``user@Host:8080`` gives ``host``), or None if it has none.

    >>> parse_host("User@WWW.Example.COM.:8080")
    'www.example.com'
    >>> parse_host("-") is None
    True
    """
    host = authority.rpartition("@")[2]
    if host.startswith("["):  # IPv6 literal: keep it whole, brackets and all
        end = host.find("]")
        return host[: end + 1].lower() if end > 1 else None
    host = _PORT.sub("", host).rstrip(".").lower()
    if not _HOST.fullmatch(host) or not any(ch.isalnum() for ch in host):
        return None
    return host


@lru_cache(maxsize=65536)
def split_host(host: str) -> tuple[str, str]:
    """Split a host into the part below its public suffix and the suffix itself.

    The suffix is ``""`` when the host has none (``localhost``, IP addresses, unknown top-level domains).

    >>> split_host("www.google.co.uk")
    ('www.google', 'co.uk')
    """
    suffix = _EXTRACT(host).suffix
    if suffix and host.endswith("." + suffix) and len(host) > len(suffix) + 1:
        return host[: -len(suffix) - 1], suffix
    return host, ""


def pattern_key(pattern: str) -> tuple[str, str]:
    """Split a host pattern like :func:`split_host`; Matomo's ``google.{}`` gives ``('google', '{}')``."""
    pattern = pattern.strip().lower()
    return (pattern[:-3], "{}") if pattern.endswith(".{}") else split_host(pattern)


def registered_domain(host: str) -> str | None:
    """The domain a registrant owns: ``news.bbc.co.uk`` gives ``bbc.co.uk``; None without a public suffix."""
    name, suffix = split_host(host)
    if not suffix:
        return None
    return f"{name.rpartition('.')[2]}.{suffix}"


def site_host_set(site_hosts: Iterable[str]) -> frozenset[str]:
    """The hosts that make a referrer internal: each given host (or URL) and its www/non-www twin.

    >>> sorted(site_host_set(["https://Example.com/"]))
    ['example.com', 'www.example.com']
    """
    found: set[str] = set()
    for given in site_hosts:
        text = given.strip()
        authority = text.split("://", 1)[1] if "://" in text else text
        host = parse_host(re.split(r"[/?#]", authority, maxsplit=1)[0])
        if host is None:
            continue
        found.add(host)
        found.add(host[4:] if host.startswith("www.") else "www." + host)
    return frozenset(found)


@dataclass(frozen=True)
class _Entry(Generic[T]):
    value: T
    priority: int
    exact: bool
    strict_subdomain: bool


class HostTable(Generic[T]):
    """Known hosts, matched the way referrer lists are written.

    An entry ``example.com`` matches that host and every subdomain of it; the most specific entry wins
    (``l.facebook.com`` beats ``facebook.com``), and among equally specific entries the lowest ``priority``.
    Entry syntax (Matomo's): ``google.{}`` stands for any public suffix, ``{}.bing.com`` for any one-label
    subdomain. An ``exact`` entry matches only itself, its ``www.``/``wwwN.``/``m.`` form and, with ``{}``,
    its country variants: ``google.{}`` as exact matches ``www.google.de`` but not ``docs.google.com``.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], list[_Entry[T]]] = {}

    def add(self, pattern: str, value: T, *, priority: int = 0, exact: bool = False) -> None:
        """Add one host pattern, e.g. ``t.co``, ``google.{}`` or ``{}.search.yahoo.com``."""
        pattern = pattern.strip().lower()
        strict = pattern.startswith("{}.")
        key = pattern_key(pattern[3:] if strict else pattern)
        if "{" in key[0]:
            raise ValueError(f"host pattern {pattern!r}: {{}} may stand only first or last")
        self._entries.setdefault(key, []).append(_Entry(value, priority, exact, strict))

    def lookup(self, host: str) -> T | None:
        """Return the value of the most specific entry matching ``host``, or None."""
        name, suffix = split_host(host)
        labels = name.split(".")
        keys_suffix = (suffix, "{}") if suffix else (suffix,)
        for level in range(len(labels)):
            candidate = ".".join(labels[level:])
            best: _Entry[T] | None = None
            for key_suffix in keys_suffix:
                for entry in self._entries.get((candidate, key_suffix), ()):
                    if entry.strict_subdomain and level == 0:
                        continue
                    if entry.exact and not (level == 0 or (level == 1 and _WWW.fullmatch(labels[0]))):
                        continue
                    if best is None or entry.priority < best.priority:
                        best = entry
            if best is not None:
                return best.value
        return None
