"""The social profile audit: does each brand profile link to the site, say the keywords, look and read the same?

Most platforms answer crawlers with a login wall, a 403 or LinkedIn's 999, so a profile can be given as a saved
HTML page (``saved = "x.html"``) and read offline with the same extractor the crawler uses. A live profile that
cannot be read is reported as such (``profile-unreadable``), never silently passed. Nothing here touches the
network: ``socialseo.crawl.profiles`` fetches the live pages, avatars and site links, and the Project hands them in.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

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
from socialseo.crawl.frontier import site_host
from socialseo.crawl.profiles import FetchedProfile
from socialseo.errors import InputFileError

# Platform suffixes in profile titles: "Acme (@acme) / X", "Acme | LinkedIn", "Acme (@acme) • Instagram photos".
_TITLE_TAIL = re.compile(r"\s+(?:[/|•·–—-]|on)\s+.*$")
_HANDLE_IN_TITLE = re.compile(r"\s*\(@[^)]*\)")
_URL_IN_TEXT = re.compile(r"(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/[^\s\"'<>]*)?", re.IGNORECASE)
_NOT_NAME = re.compile(r"[\W_]+")


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
    avatar_url: str | None = None


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


def live_profile_urls(config: AuditConfig) -> list[str]:
    """The profile pages to fetch: those listed without a saved copy. Checks the file first, so a missing saved
    page or an empty list stops the audit before anything is fetched."""
    if not config.profiles:
        raise InputFileError("the profiles file lists no [[profiles]]")
    for entry in config.profiles:
        if entry.saved is not None and not entry.saved.is_file():
            raise InputFileError(f"{entry.saved}: saved profile page not found ({entry.platform})")
    return [e.url for e in config.profiles if e.saved is None and e.url is not None]


def read_profiles(config: AuditConfig, fetched: Mapping[str, FetchedProfile]) -> list[ProfileRead]:
    """Read every profile from its saved page or from what was fetched of it; images and links stay to fetch."""
    return [_read_one(entry, config.brand.site, fetched) for entry in config.profiles]


def _read_one(entry: ProfileEntry, site: str, fetched: Mapping[str, FetchedProfile]) -> ProfileRead:
    if entry.saved is not None:
        read = ProfileRead(entry, "saved", extract_page(entry.saved.read_bytes(), entry.url or entry.saved.as_uri()))
    else:
        assert entry.url is not None
        got = fetched.get(entry.url) or FetchedProfile(entry.url, problem="it was not fetched")
        if got.page is None:
            return ProfileRead(entry, "unreadable", problem=f"could not read {entry.url} live: {got.problem}")
        read = ProfileRead(entry, "live", got.page)
    assert read.page is not None
    read.name = display_name(read.page)
    if read.source == "live" and read.name is None and not read.page.opengraph:
        return ProfileRead(entry, "unreadable", problem=f"{entry.url} gave a page without profile data "
                           "(probably a login wall)")
    read.handle = handle_of(entry.url or next(iter(read.page.opengraph.get("og:url", [])), None))
    read.bio = _bio(read.page)
    read.site_links = site_links(read.page, read.bio, site) if site else []
    _local_avatar(read)
    return read


def _local_avatar(read: ProfileRead) -> None:
    """Open the avatar given as a file, or saved beside the page; an avatar on the web is left in ``avatar_url``."""
    if read.entry.avatar is not None:
        read.avatar = _open_image(read.entry.avatar)
        return
    assert read.page is not None
    image = next(iter(read.page.opengraph.get("og:image") or read.page.twitter.get("twitter:image") or []), None)
    if not image:
        return
    if read.source == "saved" and read.entry.saved is not None and not image.startswith(("http://", "https://")):
        read.avatar = _open_image((read.entry.saved.parent / unquote(image)).resolve())
        return
    read.avatar_url = urljoin(read.page.url, image)


def avatar_urls(reads: list[ProfileRead]) -> list[str]:
    """The avatars to fetch: those the profile pages point at on the web."""
    return [r.avatar_url for r in reads if r.avatar_url]


def links_to_check(reads: list[ProfileRead]) -> list[str]:
    """The site links to check: the first each profile gives (the one a visitor sees)."""
    return list(dict.fromkeys(u for r in reads for u in r.site_links[:1]))


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


def audit_profiles(con: duckdb.DuckDBPyConnection, config: AuditConfig, reads: list[ProfileRead],
                   avatars: Mapping[str, bytes | None], link_checks: Mapping[str, str | None]
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Audit the profiles read by :func:`read_profiles`; returns (one row per profile, findings) and stores the
    findings.

    ``avatars`` holds the bytes of the :func:`avatar_urls` and ``link_checks`` why each of the :func:`links_to_check`
    fails (None: it works), as ``socialseo.crawl.profiles`` fetched them within the address policy.
    """
    brand, lim = config.brand, thresholds()
    for read in reads:
        if read.avatar is None and read.avatar_url and (data := avatars.get(read.avatar_url)) is not None:
            read.avatar = _open_image(data)
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
