"""The social profile audit: does each brand profile link to the site, say the keywords, look and read the same?

Most platforms answer crawlers with a login wall, a 403 or LinkedIn's 999, so a profile can be given as a saved
HTML page (``saved = "x.html"``) and read offline with the same extractor the crawler uses. A live profile that
cannot be read is reported as such (``profile-unreadable``), never silently passed.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

import aiohttp
import duckdb
import imagehash
import pandas as pd
from PIL import Image, UnidentifiedImageError

from socialseo.analysis.audit.rules import (
    FINDING_COLUMNS,
    AuditConfig,
    ProfileEntry,
    finding,
    store_findings,
    thresholds,
)
from socialseo.analysis.audit.social import profile_key, same_as
from socialseo.crawl.extract import PageExtract, extract_page
from socialseo.crawl.fetch import FetchLimits, fetch, open_session
from socialseo.crawl.frontier import site_host
from socialseo.crawl.policy import AddressPolicy
from socialseo.errors import InputFileError

# Platform suffixes in profile titles: "Acme (@acme) / X", "Acme | LinkedIn", "Acme (@acme) • Instagram photos".
_TITLE_TAIL = re.compile(r"\s+(?:[/|•·–—-]|on)\s+.*$")
_HANDLE_IN_TITLE = re.compile(r"\s*\(@[^)]*\)")
_URL_IN_TEXT = re.compile(r"(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/[^\s\"'<>]*)?", re.IGNORECASE)
_NOT_NAME = re.compile(r"[\W_]+")
_AVATAR_BYTES = 5 << 20


@dataclass
class ProfileRead:
    entry: ProfileEntry
    source: str  # saved, live, unreadable
    page: PageExtract | None = None
    problem: str | None = None
    name: str | None = None
    handle: str | None = None
    bio: str = ""
    site_links: list[str] = field(default_factory=list)
    avatar: Image.Image | None = None


def display_name(page: PageExtract) -> str | None:
    """The profile's display name: JSON-LD ``name`` if present, else og:title/title without the platform's suffix."""
    for node in page.jsonld:
        if isinstance(node, dict):
            entity = node.get("mainEntity", node)
            if isinstance(entity, dict) and isinstance(entity.get("name"), str):
                return entity["name"].strip()
    raw = (page.opengraph.get("og:title") or [page.title or ""])[0]
    name = _TITLE_TAIL.sub("", _HANDLE_IN_TITLE.sub("", raw)).strip()
    return name or None


def handle_of(url: str | None) -> str | None:
    """The handle in a profile URL: its last path segment without ``@`` (``/company/acme`` gives ``acme``)."""
    if not url:
        return None
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return parts[-1].lstrip("@").lower() if parts else None


def _bio(page: PageExtract) -> str:
    texts = [*page.opengraph.get("og:description", []), page.meta_description or "",
             *page.twitter.get("twitter:description", [])]
    for node in page.jsonld:
        entity = node.get("mainEntity", node) if isinstance(node, dict) else None
        if isinstance(entity, dict) and isinstance(entity.get("description"), str):
            texts.append(entity["description"])
    return " ".join(t for t in texts if t)


def _unwrap(href: str) -> list[str]:
    """A link and the URLs wrapped in its query (l.instagram.com/?u=..., t.co targets are opaque)."""
    found = [href]
    for _key, value in parse_qsl(urlsplit(href).query):
        value = unquote(value)
        if value.startswith(("http://", "https://")):
            found.append(value)
    return found


def site_links(page: PageExtract, bio: str, site: str) -> list[str]:
    """URLs on the profile (links, or written in the bio) that point at the brand's site."""
    host = site_host(urlsplit(site if "://" in site else "https://" + site).netloc)
    candidates = [u for link in page.links for u in _unwrap(link.href)]
    candidates += [m if "://" in m else "https://" + m for m in _URL_IN_TEXT.findall(bio)]
    return list(dict.fromkeys(u for u in candidates if site_host(urlsplit(u).netloc) == host))


def _same_name(a: str, b: str) -> bool:
    return _NOT_NAME.sub("", a.casefold()) == _NOT_NAME.sub("", b.casefold())


def _open_image(data: bytes | Path) -> Image.Image | None:
    try:
        image = Image.open(data if isinstance(data, Path) else io.BytesIO(data))
        image.load()
        return image
    except (OSError, UnidentifiedImageError, ValueError):
        return None


async def _read_all(entries: tuple[ProfileEntry, ...], site: str, policy: AddressPolicy, limits: FetchLimits
                    ) -> tuple[list[ProfileRead], dict[str, str | None]]:
    async with open_session(policy, limits) as session:
        reads = [await _read_one(session, e, site, limits, policy) for e in entries]
        checks: dict[str, str | None] = {}
        for url in dict.fromkeys(u for r in reads for u in r.site_links[:1]):
            result = await fetch(session, url, limits, policy=policy)
            checks[url] = None if result.ok else (result.error or f"status {result.status}")
    return reads, checks


async def _read_one(session: aiohttp.ClientSession, entry: ProfileEntry, site: str, limits: FetchLimits,
                    policy: AddressPolicy) -> ProfileRead:
    if entry.saved is not None:
        if not entry.saved.is_file():
            raise InputFileError(f"{entry.saved}: saved profile page not found ({entry.platform})")
        read = ProfileRead(entry, "saved", extract_page(entry.saved.read_bytes(), entry.url or entry.saved.as_uri()))
    else:
        assert entry.url is not None
        result = await fetch(session, entry.url, limits, policy=policy)
        if not result.ok or not result.body:
            why = result.error or f"the platform answered {result.status}"
            return ProfileRead(entry, "unreadable", problem=f"could not read {entry.url} live: {why}")
        read = ProfileRead(entry, "live", extract_page(result.body, result.final_url,
                                                       content_type=result.content_type))
    assert read.page is not None
    read.name = display_name(read.page)
    if read.source == "live" and read.name is None and not read.page.opengraph:
        return ProfileRead(entry, "unreadable", problem=f"{entry.url} gave a page without profile data "
                           "(probably a login wall)")
    read.handle = handle_of(entry.url or next(iter(read.page.opengraph.get("og:url", [])), None))
    read.bio = _bio(read.page)
    read.site_links = site_links(read.page, read.bio, site) if site else []
    read.avatar = await _avatar(session, read, limits, policy)
    return read


async def _avatar(session: aiohttp.ClientSession, read: ProfileRead, limits: FetchLimits, policy: AddressPolicy
                  ) -> Image.Image | None:
    if read.entry.avatar is not None:
        return _open_image(read.entry.avatar)
    assert read.page is not None
    image = next(iter(read.page.opengraph.get("og:image") or read.page.twitter.get("twitter:image") or []), None)
    if not image:
        return None
    if read.source == "saved" and read.entry.saved is not None and not image.startswith(("http://", "https://")):
        return _open_image((read.entry.saved.parent / unquote(image)).resolve())
    result = await fetch(session, urljoin(read.page.url, image), limits, policy=policy, max_bytes=_AVATAR_BYTES)
    return _open_image(result.body) if result.ok else None


def _site_same_as(con: duckdb.DuckDBPyConnection, site: str) -> set[str] | None:
    """Profile keys in the sameAs of the latest crawl of ``site``; None when the site was never crawled."""
    host = site_host(urlsplit(site if "://" in site else "https://" + site).netloc)
    crawls = con.execute("SELECT crawl_id, start_url FROM crawls ORDER BY started_at DESC").fetchall()
    crawl_id = next((c for c, start in crawls if site_host(urlsplit(start).netloc) == host), None)
    if crawl_id is None:
        return None
    keys: set[str] = set()
    for (text,) in con.execute("SELECT jsonld::VARCHAR FROM crawl_pages WHERE crawl_id = ? AND jsonld IS NOT NULL",
                               [crawl_id]).fetchall():
        keys.update(k for u in same_as(json.loads(text)) if (k := profile_key(u)) is not None)
    return keys


def audit_profiles(con: duckdb.DuckDBPyConnection, config: AuditConfig, *, allow_private: bool = False,
                   allow_hosts: tuple[str, ...] = (), limits: FetchLimits | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Audit the configured profiles; returns (one row per profile, findings) and stores the findings.

    Live pages, avatars and site links are fetched within the address policy (``allow_private``, ``allow_hosts``).
    """
    if not config.profiles:
        raise InputFileError("the profiles file lists no [[profiles]]")
    policy = AddressPolicy(allow_private=allow_private, allow_hosts=tuple(allow_hosts))
    policy.validate()
    brand, lim = config.brand, thresholds()
    reads, link_checks = asyncio.run(_read_all(config.profiles, brand.site, policy, limits or FetchLimits()))
    logo = _open_image(brand.logo) if brand.logo is not None else None
    hashes = {i: imagehash.phash(r.avatar) for i, r in enumerate(reads) if r.avatar is not None}
    reference = imagehash.phash(logo) if logo is not None else (next(iter(hashes.values())) if hashes else None)
    handles = Counter(r.handle for r in reads if r.handle)
    usual_handle = handles.most_common(1)[0][0] if handles else None
    declared = _site_same_as(con, brand.site) if brand.site else None
    rows, found = [], []

    def add(rule_id: str, read: ProfileRead, message: str, detail: Any = None) -> None:
        if config.enabled(rule_id):
            found.append({**finding(rule_id, read.entry.url or str(read.entry.saved), message, detail),
                          "platform": read.entry.platform})

    for index, read in enumerate(reads):
        entry = read.entry
        distance = int(hashes[index] - reference) if index in hashes and reference is not None else None
        missing_kw = [k for k in brand.keywords if k.casefold() not in read.bio.casefold()]
        key = profile_key(entry.url) if entry.url else None
        rows.append({"platform": entry.platform, "url": entry.url, "source": read.source, "name": read.name,
                     "handle": read.handle, "site_link": read.site_links[0] if read.site_links else None,
                     "site_link_ok": (link_checks.get(read.site_links[0]) is None) if read.site_links else None,
                     "keywords_missing": ", ".join(missing_kw) if read.source != "unreadable" else None,
                     "avatar_distance": distance,
                     "in_same_as": None if declared is None or key is None else key in declared,
                     "problem": read.problem})
        if read.source == "unreadable":
            add("profile-unreadable", read, read.problem or "could not be read")
            continue
        if brand.site and not read.site_links:
            add("profile-no-site-link", read, f"no link to {brand.site} on the {entry.platform} profile")
        elif read.site_links and link_checks.get(read.site_links[0]):
            add("profile-site-link-broken", read,
                f"{read.site_links[0]} does not work: {link_checks[read.site_links[0]]}")
        if missing_kw:
            add("profile-keywords-missing", read, "bio lacks " + ", ".join(repr(k) for k in missing_kw),
                {"missing": missing_kw})
        if brand.name and read.name and not _same_name(brand.name, read.name):
            add("profile-name-inconsistent", read, f"display name {read.name!r}, brand name {brand.name!r}")
        if usual_handle and read.handle and read.handle != usual_handle:
            add("profile-handle-inconsistent", read, f"handle {read.handle!r}; most profiles use {usual_handle!r}")
        if distance is not None and distance > lim["avatar_max_distance"]:
            against = "the brand logo" if logo is not None else "the first profile's avatar"
            add("profile-avatar-inconsistent", read, f"avatar differs from {against} (perceptual distance {distance})")
        if declared is not None and key is not None and key not in declared:
            add("profile-not-in-sameas", read, f"{entry.url} is not in the site's sameAs")
    findings = pd.DataFrame(found, columns=[*FINDING_COLUMNS, "platform"])
    store_findings(con, findings, f"profiles-{datetime.now(UTC):%Y%m%dT%H%M%S%f}")
    return pd.DataFrame(rows), findings
