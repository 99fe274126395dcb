"""Running discovery: each chosen network in turn, its failure recorded, never stopping the others."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlsplit

from socialseo.classify.hosts import site_host_set
from socialseo.errors import SocialSeoError
from socialseo.ingest.networks import bluesky, hackernews, mastodon, reddit
from socialseo.ingest.networks.client import JsonClient, NetworkError
from socialseo.ingest.networks.posts import DiscoveredPost, Malformed
from socialseo.ingest.networks.store import store_posts
from socialseo.store.warehouse import ImportResult, Warehouse

Search = Callable[[JsonClient, str, int], Awaitable[tuple[list[DiscoveredPost], list[Malformed]]]]


@dataclass(frozen=True)
class Network:
    name: str
    env: str
    default_base: str
    search: Search
    platform: str


NETWORKS: dict[str, Network] = {
    m.NAME: Network(m.NAME, m.ENV, m.DEFAULT_BASE, m.discover, getattr(m, "PLATFORM", m.NAME))
    for m in (bluesky, mastodon, reddit, hackernews)
}


@dataclass
class SourceOutcome:
    """How one source of a run went: ``ok`` or not, a one-line ``message``, and the import it made if any."""

    name: str
    ok: bool
    message: str
    results: list[ImportResult] = field(default_factory=list)

    @property
    def line(self) -> str:
        return f"{self.name}: {'ok' if self.ok else 'FAILED'}: {self.message}"


def api_base(name: str, env: Mapping[str, str] | None = None) -> str:
    """The API base for a network: its environment variable (e.g. ``SOCIALSEO_BLUESKY_API_BASE``) or the public one."""
    network = NETWORKS[name]
    return ((env if env is not None else os.environ).get(network.env) or network.default_base).rstrip("/")


def discover(
    warehouse: Warehouse,
    *,
    site_hosts: Sequence[str] = (),
    networks: Sequence[str] = tuple(NETWORKS),
    max_pages: int = 5,
    mastodon_tags: Sequence[str] = (),
    reddit_urls: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    on_source_done: Callable[[SourceOutcome], None] | None = None,
) -> list[SourceOutcome]:
    """Ask each network for posts linking to the site and store those that do; one outcome per network."""
    unknown = [n for n in networks if n not in NETWORKS]
    if unknown:
        raise SocialSeoError(f"unknown network {unknown[0]!r}; choose from {', '.join(NETWORKS)}")
    for host in site_hosts:
        warehouse.add_site(host)
    hosts = warehouse.site_hosts()
    if not hosts:
        raise SocialSeoError("which site do the posts link to? pass --site HOST (once is enough; it is remembered)")
    if max_pages < 1:
        raise SocialSeoError("--max-pages must be at least 1")
    domain = _domain(hosts)
    outcomes = []
    for name in networks:
        outcome = _one(warehouse, name, api_base(name, env), domain, hosts, max_pages, tuple(mastodon_tags),
                       tuple(reddit_urls))
        outcomes.append(outcome)
        if on_source_done is not None:
            on_source_done(outcome)
    return outcomes


def _domain(hosts: Sequence[str]) -> str:
    """The host the networks are asked about: the site's first host without www. (the APIs match subdomains)."""
    first = sorted(site_host_set(hosts[:1]))
    bare = [h for h in first if not h.startswith("www.")]
    return (bare or first or [urlsplit(f"//{hosts[0]}").hostname or hosts[0]])[0]


def _one(
    warehouse: Warehouse, name: str, base: str, domain: str, hosts: list[str], max_pages: int,
    tags: tuple[str, ...], urls: tuple[str, ...],
) -> SourceOutcome:
    search = NETWORKS[name].search
    if name == mastodon.NAME:
        search = partial(mastodon.discover, tags=tags)
    elif name == reddit.NAME:
        search = partial(reddit.discover, urls=urls)

    async def ask() -> tuple[list[DiscoveredPost], list[Malformed], int]:
        async with JsonClient(base, name) as client:
            posts, bad = await search(client, domain, max_pages)
            return posts, bad, client.requests

    try:
        posts, bad, requests = asyncio.run(ask())
    except NetworkError as exc:
        return SourceOutcome(name, False, str(exc).removeprefix(f"{name}: "))
    platform = NETWORKS[name].platform
    result = store_posts(warehouse, platform, posts, bad, hosts, f"{name} ({base})")
    stored = warehouse.sql(
        "SELECT count(DISTINCT post_id) AS n FROM discovered_posts WHERE platform = ?", [platform]
    )["n"].iloc[0]
    note = "; ".join(result.notes)
    quarantined = f"; {len(bad):,} malformed item(s) quarantined" if bad else ""
    message = f"{requests:,} request(s), {note}{quarantined}; {int(stored):,} linking post(s) held in all"
    if not posts and not bad:
        message = (f"{requests:,} request(s), no posts found for {domain}; check the site host, or the API base "
                   f"({NETWORKS[name].env}={base})")
    return SourceOutcome(name, True, message, [result])
