"""The data files as typed, indexed facts: platforms, search engines, email, paid traffic, tracking params.

Each function reads its YAML once (through :func:`socialseo.classify._data.load`) and returns immutable
structures that the classifiers index further. Derived spellings (a platform's domains also count as
``utm_source`` values, every click id is also a tracking parameter) are computed here so the files never say a
fact twice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any, cast

from socialseo.classify._data import load
from socialseo.classify.channels import CHANNELS, Channel


@dataclass(frozen=True)
class Platform:
    """A social platform and the traces a visit from it leaves (see ``data/platforms.yaml``)."""

    id: str
    name: str
    domains: tuple[str, ...]
    shorteners: tuple[str, ...]
    apps: tuple[str, ...]
    ua_tokens: tuple[str, ...]
    click_ids: Mapping[str, Channel]
    utm_sources: frozenset[str]


@dataclass(frozen=True)
class SearchEngine:
    """A search engine: its id, display name and host patterns (see ``data/search_engines.yaml``)."""

    id: str
    name: str
    hosts: tuple[str, ...]
    utm_sources: frozenset[str]


@dataclass(frozen=True)
class ClickId:
    """A click-id query parameter and what it says: the channel and the platform or engine behind it."""

    name: str
    channel: Channel
    platform: str


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v).strip() for v in (value or ()))


def _channel(value: Any, where: str) -> Channel:
    if value not in CHANNELS:
        raise ValueError(f"{where}: unknown channel {value!r}; use one of {', '.join(CHANNELS)}")
    return cast(Channel, value)


def _spellings(*groups: tuple[str, ...] | list[str]) -> frozenset[str]:
    return frozenset(s.lower() for group in groups for s in group if "{" not in s)


@cache
def platforms() -> Mapping[str, Platform]:
    """Social platforms by id (``facebook``, ``x``, ``linkedin`` ...)."""
    found: dict[str, Platform] = {}
    for key, raw in load("platforms")["platforms"].items():
        pid = str(key)
        domains, shorteners = _strings(raw.get("domains")), _strings(raw.get("shorteners"))
        found[pid] = Platform(
            id=pid,
            name=str(raw["name"]),
            domains=domains,
            shorteners=shorteners,
            apps=_strings(raw.get("apps")),
            ua_tokens=_strings(raw.get("ua_tokens")),
            click_ids=MappingProxyType(
                {
                    str(k).lower(): _channel(v, f"platforms.yaml {pid}.click_ids")
                    for k, v in (raw.get("click_ids") or {}).items()
                }
            ),
            utm_sources=_spellings(
                [pid, str(raw["name"])], domains, shorteners, _strings(raw.get("utm_sources"))
            ),
        )
    return MappingProxyType(found)


@cache
def search_engines() -> Mapping[str, SearchEngine]:
    """Search engines by id (``google``, ``bing``, ``duckduckgo`` ...)."""
    found: dict[str, SearchEngine] = {}
    for key, raw in load("search_engines")["engines"].items():
        eid = str(key)
        hosts = _strings(raw.get("hosts"))
        found[eid] = SearchEngine(
            id=eid,
            name=str(raw["name"]),
            hosts=hosts,
            utm_sources=_spellings([eid, str(raw["name"])], hosts, _strings(raw.get("utm_sources"))),
        )
    return MappingProxyType(found)


@cache
def portal_domains() -> frozenset[str]:
    """Registered domains whose search-engine entry matches only exactly (see ``search_engines.yaml``)."""
    return frozenset(s.lower() for s in _strings(load("search_engines").get("portal_domains")))


@cache
def search_apps() -> Mapping[str, str]:
    """Android package -> search engine id."""
    return MappingProxyType({str(k): str(v) for k, v in (load("search_engines").get("apps") or {}).items()})


@cache
def email_hosts() -> Mapping[str, tuple[str, ...]]:
    """Email provider id -> webmail host patterns."""
    return MappingProxyType({str(k): _strings(v) for k, v in load("email")["hosts"].items()})


@cache
def email_apps() -> Mapping[str, str | None]:
    """Android mail app package -> provider id (None for apps that serve any provider)."""
    return MappingProxyType(
        {str(k): (None if v is None else str(v)) for k, v in (load("email").get("apps") or {}).items()}
    )


@cache
def webmail_label() -> re.Pattern[str]:
    """Matches a host's first label that marks webmail (``webmail``, ``mail3`` ...)."""
    return re.compile("|".join(f"(?:{p})" for p in _strings(load("email").get("host_labels"))))


@cache
def email_utm() -> tuple[frozenset[str], frozenset[str]]:
    """(utm_medium spellings, utm_source spellings) that mean email."""
    data = load("email")
    return _spellings(_strings(data.get("utm_mediums"))), _spellings(_strings(data.get("utm_sources")))


@cache
def social_utm_mediums() -> frozenset[str]:
    """utm_medium spellings that mean organic social."""
    return _spellings(_strings(load("platforms").get("utm_mediums")))


@cache
def organic_utm_mediums() -> frozenset[str]:
    """utm_medium spellings that mean organic search."""
    return _spellings(_strings(load("search_engines").get("utm_mediums")))


@cache
def referral_utm_mediums() -> frozenset[str]:
    """utm_medium spellings that mean a link from another site."""
    return _spellings(_strings(load("tracking_params").get("referral_utm_mediums")))


@cache
def paid_medium() -> re.Pattern[str]:
    """Matches a normalised utm_medium that marks paid traffic (``cpc``, ``ppc``, ``paid_social`` ...)."""
    return re.compile("|".join(f"(?:{p})" for p in _strings(load("paid").get("utm_medium_patterns"))))


@cache
def paid_hosts() -> Mapping[str, tuple[Channel, str]]:
    """Ad servers' redirect host -> (channel, engine id)."""
    return MappingProxyType(
        {
            str(host): (_channel(raw["channel"], f"paid.yaml hosts.{host}"), str(raw["platform"]))
            for host, raw in load("paid")["hosts"].items()
        }
    )


@cache
def click_ids() -> Mapping[str, ClickId]:
    """Every click-id parameter (lower case) -> what it says; social platforms' and ad networks' together."""
    found: dict[str, ClickId] = {}
    for platform in platforms().values():
        for name, channel in platform.click_ids.items():
            found[name] = ClickId(name, channel, platform.id)
    for name, raw in load("paid")["click_ids"].items():
        key = str(name).lower()
        found[key] = ClickId(
            key, _channel(raw["channel"], f"paid.yaml click_ids.{name}"), str(raw["platform"])
        )
    return MappingProxyType(found)


@cache
def tracking_params() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(name prefixes, exact names), lower case, of the parameters stripped from page keys, click ids too."""
    data = load("tracking_params")
    prefixes = tuple(sorted({p.lower() for p in _strings(data.get("prefixes"))}))
    names = tuple(sorted({n.lower() for n in _strings(data.get("names"))} | set(click_ids())))
    return prefixes, names


@cache
def social_utm_sources() -> Mapping[str, str]:
    """utm_source spelling -> social platform id."""
    found: dict[str, str] = {}
    for platform in platforms().values():  # on a clash the platform listed first keeps the spelling
        for spelling in platform.utm_sources:
            found.setdefault(spelling, platform.id)
    return MappingProxyType(found)


@cache
def search_utm_sources() -> Mapping[str, str]:
    """utm_source spelling -> search engine id."""
    found: dict[str, str] = {}
    for engine in search_engines().values():
        for spelling in engine.utm_sources:
            found.setdefault(spelling, engine.id)
    return MappingProxyType(found)


@dataclass(frozen=True)
class RedirectWrapper:
    """An outbound-link wrapper whose query holds the real target (see ``platforms.yaml`` redirect_wrappers)."""

    host: str
    path: str | None
    params: tuple[str, ...]


@cache
def redirect_wrappers() -> tuple[RedirectWrapper, ...]:
    """The platforms' outbound-link wrappers, in file order."""
    return tuple(
        RedirectWrapper(
            host=str(raw["host"]).strip().lower(),
            path=(str(raw["path"]).lower() if raw.get("path") else None),
            params=_strings(raw.get("params")),
        )
        for raw in load("platforms").get("redirect_wrappers") or ()
    )
