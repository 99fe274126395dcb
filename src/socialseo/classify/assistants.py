"""AI assistants: the referrers, app referrers and utm_source values that mean a visit came from a chat assistant.

The facts live in ``data/assistants.yaml`` (generated from Matomo's AIAssistants.yml by
``scripts/update_assistants.py``). Most assistants are known by their host, like any other source. A few live
inside another site under a path (Grok at ``x.com/i/grok``), so a referrer's origin must keep that path for the
visit to be told apart from the host's own traffic: :func:`origin_path_pattern` is the regular-expression piece
that keeps it, read alike by Python and DuckDB, and :func:`lookup` decides on host and kept path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from socialseo.classify._data import load
from socialseo.classify.channels import Evidence
from socialseo.classify.hosts import HostTable


@dataclass(frozen=True)
class Assistant:
    """One AI assistant and the traces a visit from it leaves (see ``data/assistants.yaml``)."""

    id: str
    name: str
    hosts: tuple[str, ...]
    paths: tuple[tuple[str, str], ...]
    """(host, path prefix) rules, e.g. ``("x.com", "/i/grok")``."""
    apps: tuple[str, ...]
    utm_sources: frozenset[str]


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v).strip().lower() for v in (value or ()))


@cache
def assistants() -> Mapping[str, Assistant]:
    """AI assistants by id (``chatgpt``, ``perplexity``, ``grok`` ...)."""
    found: dict[str, Assistant] = {}
    for key, raw in load("assistants")["assistants"].items():
        aid = str(key)
        hosts = _strings(raw.get("hosts"))
        paths = tuple(_split_rule(rule) for rule in _strings(raw.get("paths")))
        found[aid] = Assistant(
            id=aid,
            name=str(raw["name"]),
            hosts=hosts,
            paths=paths,
            apps=_strings(raw.get("apps")),
            utm_sources=frozenset({aid, str(raw["name"]).lower(), *hosts, *_strings(raw.get("utm_sources"))}),
        )
    return MappingProxyType(found)


def _split_rule(rule: str) -> tuple[str, str]:
    host, slash, path = rule.partition("/")
    if not slash or not path:
        raise ValueError(f"assistants.yaml: path rule {rule!r} must be host/path")
    return host, "/" + path.rstrip("/")


@cache
def _hosts() -> HostTable[str]:
    table: HostTable[str] = HostTable()
    for assistant in assistants().values():
        for host in assistant.hosts:
            table.add(host, assistant.id)
    return table


@cache
def _paths() -> Mapping[tuple[str, str], str]:
    return MappingProxyType({rule: a.id for a in assistants().values() for rule in a.paths})


@cache
def _apps() -> Mapping[str, str]:
    return MappingProxyType({app: a.id for a in assistants().values() for app in a.apps})


@cache
def _utm_sources() -> Mapping[str, str]:
    found: dict[str, str] = {}
    for assistant in assistants().values():  # on a clash the assistant listed first keeps the spelling
        for spelling in assistant.utm_sources:
            found.setdefault(spelling, assistant.id)
    return MappingProxyType(found)


@cache
def origin_path_alternation() -> str:
    """The path-rule prefixes as one alternation, longest first (RE2 and Python alike), ``""`` when there are none.

    >>> origin_path_alternation()
    '/i/grok'
    """
    prefixes = sorted({path for _, path in _paths()}, key=lambda p: (-len(p), p))
    return "|".join(re.escape(p) for p in prefixes)


@cache
def origin_path_pattern() -> str:
    """The piece of the referrer-origin regular expression that keeps a path-rule path (RE2 and Python alike).

    >>> origin_path_pattern()
    '(?:(?:/i/grok)(?:[/?#]|$))?'
    """
    alternation = origin_path_alternation()
    return f"(?:(?:{alternation})(?:[/?#]|$))?" if alternation else ""


def split_path(authority: str) -> tuple[str, str]:
    """Split an origin's authority from the path-rule path it may carry.

    >>> split_path("x.com/i/grok?")
    ('x.com', '/i/grok')
    """
    host, slash, rest = authority.partition("/")
    return (host, ("/" + rest).rstrip("/?#")) if slash else (host, "")


def lookup(
    scheme: str, host: str, path: str = "", site: frozenset[str] = frozenset()
) -> tuple[str, Evidence] | None:
    """(assistant id, evidence) when a referrer's scheme, host and kept path name an AI assistant, else None.

    >>> lookup("https", "chatgpt.com")
    ('chatgpt', 'referrer_host')
    >>> lookup("https", "x.com", "/i/grok"), lookup("https", "x.com")
    (('grok', 'referrer_path'), None)
    """
    if scheme == "android-app":
        found = _apps().get(host)
        return (found, "app_referrer") if found is not None else None
    if host in site:
        return None
    if path:
        bare = host[4:] if host.startswith("www.") else host
        by_path = _paths().get((bare, path))
        if by_path is not None:
            return by_path, "referrer_path"
    by_host = _hosts().lookup(host)
    return (by_host, "referrer_host") if by_host is not None else None


@cache
def _utm_mediums() -> frozenset[str]:
    return frozenset(_strings(load("assistants").get("utm_mediums")))


def from_utm(source: str, medium: str = "") -> str | None:
    """The assistant decoded utm tags name: its id, ``""`` when only the medium says AI assistant, else None.

    >>> from_utm("ChatGPT.com"), from_utm("kimi.com", "ai-assistant"), from_utm("newsletter", "email")
    ('chatgpt', '', None)
    """
    found = _utm_sources().get(source.strip().lower())
    if found is None and medium.strip().lower() in _utm_mediums():
        return ""
    return found
