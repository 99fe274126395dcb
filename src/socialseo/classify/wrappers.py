"""Unwrapping outbound-link wrappers: ``l.facebook.com/l.php?u=<target>`` is a link to ``<target>``.

Platforms route outbound clicks through their own redirectors; a backlink inventory wants the page linked *to*.
The wrappers (host, path, parameter) are data in ``data/platforms.yaml``; pure shorteners such as t.co and lnkd.in
carry no target in the URL and are returned unchanged.
"""

from __future__ import annotations

from functools import cache, lru_cache
from urllib.parse import parse_qs, urlsplit

from socialseo.classify import catalog
from socialseo.classify.hosts import HostTable, parse_host

_MAX_DEPTH = 4  # a wrapper inside a wrapper happens (a YouTube redirect shared on Facebook); loops do not end


@cache
def _table() -> HostTable[list[catalog.RedirectWrapper]]:
    table: HostTable[list[catalog.RedirectWrapper]] = HostTable()
    grouped: dict[str, list[catalog.RedirectWrapper]] = {}
    for wrapper in catalog.redirect_wrappers():
        grouped.setdefault(wrapper.host, []).append(wrapper)
    for host, wrappers in grouped.items():
        table.add(host, wrappers)
    return table


def _unwrap_once(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = parse_host(parts.netloc)
    if host is None or not parts.query:
        return None
    wrappers = _table().lookup(host)
    if not wrappers:
        return None
    query = parse_qs(parts.query)
    path = parts.path.lower().rstrip("/") or "/"
    for wrapper in wrappers:
        if wrapper.path is not None and path != wrapper.path.rstrip("/"):
            continue
        for name in wrapper.params:
            for value in query.get(name, ()):
                target = value.strip()
                if target.lower().startswith(("http://", "https://")):
                    return target
    return None


@lru_cache(maxsize=65536)
def is_wrapper_host(host: str) -> bool:
    """Whether a host has outbound-link wrappers at all: most links are not wrapped, and need no unwrapping."""
    return bool(_table().lookup(host))


@lru_cache(maxsize=65536)
def unwrap_url(url: str) -> str:
    """The real target of a wrapped outbound link, or ``url`` itself when it is not a wrapper with a target.

    >>> unwrap_url("https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.com%2Fa%3Fb%3D1&h=AT0")
    'https://example.com/a?b=1'
    >>> unwrap_url("https://t.co/abc123")
    'https://t.co/abc123'
    """
    current = url
    for _ in range(_MAX_DEPTH):
        target = _unwrap_once(current)
        if target is None:
            break
        current = target
    return current
