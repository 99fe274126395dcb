"""``socialseo ingest pages``: saved HTML files or URLs into the backlink inventory and the mentions table.

A page is read in full, so it is a *re-check* of its source: a link to the site it carried before and no longer
carries is marked lost. URLs are fetched politely and safely, with the crawler's own client: robots.txt is obeyed
(for every redirect hop too), requests to one host are spaced by ``delay`` seconds, each page has a deadline and a
size limit, and every connection and redirect passes the address policy (:mod:`socialseo.crawl.policy`). A fetched
page is saved to a temporary file and imported like a saved one, so the import ledger's rule holds: the same bytes
twice are one import.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import duckdb
import pandas as pd

from socialseo._version import __version__
from socialseo.classify.links import host_of
from socialseo.crawl.extract import PageExtract, extract_page
from socialseo.crawl.fetch import FetchLimits, fetch, open_session
from socialseo.crawl.policy import AddressPolicy
from socialseo.crawl.robots import DISALLOWED, ROBOTS_MAX_BYTES, RobotsRules, robots_from_fetch
from socialseo.crawl.throttle import HostThrottle
from socialseo.errors import InputFileError, SocialSeoError
from socialseo.ingest._files import check_text
from socialseo.ingest.backlinks.store import merge_links, source_facts
from socialseo.ingest.limits import current, shown
from socialseo.ingest.posts.mentions import brand_terms, find_mentions
from socialseo.store.warehouse import ImportContext, ImportResult, Warehouse, file_sha256, scalar

USER_AGENT = f"socialseo/{__version__} (+https://github.com/socialseo/socialseo)"
MAX_FETCH_BYTES = 50 * 1024 * 1024
FETCH_TIMEOUT = 20.0
NOT_FETCHED = "not fetched"
MAX_STORED_TEXT = 1_000_000
"""Characters of a page's visible text kept for finding brand mentions again (a long article is ~50,000)."""
"""How an import result of a URL that could not be fetched begins its note (see :func:`unfetched`)."""


def page_limits(timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_FETCH_BYTES) -> FetchLimits:
    """The limits of one page fetch for ``ingest pages`` and ``inspect``: ``timeout`` seconds in all."""
    return FetchLimits(timeout=timeout, max_bytes=max_bytes, user_agent=USER_AGENT)


@dataclass
class Fetcher:
    """A polite, sequential fetcher: robots.txt per host and per redirect hop, ``delay`` seconds between requests
    to a host, the address policy on every connection; every failure is one :class:`InputFileError` line."""

    delay: float = 1.0
    limits: FetchLimits = field(default_factory=page_limits)
    policy: AddressPolicy = field(default_factory=AddressPolicy)
    _robots: dict[str, RobotsRules] = field(default_factory=dict, init=False)
    _throttle: HostThrottle | None = field(default=None, init=False)

    def fetch(self, url: str) -> tuple[bytes, str | None]:
        """The body and Content-Type of ``url``; refused, disallowed, failed, slow or oversized pages raise."""
        self.policy.check_start(url)
        return asyncio.run(self._fetch(url))

    async def _fetch(self, url: str) -> tuple[bytes, str | None]:
        if self._throttle is None:
            self._throttle = HostThrottle(1.0 / self.delay if self.delay > 0 else 0.0)
        async with open_session(self.policy, self.limits, concurrency=1) as session:

            async def hop_allowed(target: str) -> str | None:
                rules = await self._rules(session, target)
                if rules.allowed(target, USER_AGENT):
                    return None
                return rules.refused or f"{DISALLOWED}: the redirect to {target} was not followed"

            rules = await self._rules(session, url)
            if rules.refused:
                raise InputFileError(rules.refused)
            if not rules.allowed(url, USER_AGENT):
                why = rules.note if rules.disallow_all and rules.note else "disallowed by the site's robots.txt"
                raise InputFileError(f"{url}: {why}; not fetched")
            result = await fetch(session, url, self.limits, self._throttle, policy=self.policy,
                                 hop_check=hop_allowed)
        if result.truncated:
            raise InputFileError(f"{url}: the page is larger than {self.limits.max_bytes:,} bytes; not imported "
                                 "(raise --max-bytes to read it)")
        if result.error is not None:
            raise InputFileError(f"{url}: could not be fetched ({result.error})")
        if not result.ok:
            raise InputFileError(f"{url}: the server answered {result.status}; not imported")
        return result.body, result.content_type_header

    async def _rules(self, session: aiohttp.ClientSession, url: str) -> RobotsRules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            result = await fetch(session, origin + "/robots.txt", self.limits, policy=self.policy,
                                 max_bytes=ROBOTS_MAX_BYTES)
            self._robots[origin] = robots_from_fetch(result)
        return self._robots[origin]


def links_frame(page: PageExtract, source_url: str, seen: datetime | None) -> pd.DataFrame:
    """A page's links as the raw rows :func:`merge_links` takes."""
    return pd.DataFrame(
        [(source_url, link.href, link.text, " ".join(link.rel) or None, seen, seen, link.tag, False)
         for link in page.links],
        columns=["source_url", "raw_target", "anchor", "rel", "first_seen", "last_seen", "link_tag", "lost"],
    ).astype(object)


def record_document_mentions(
    ctx: ImportContext, documents: Sequence[tuple[str, str, datetime | None]], kind: str, site_hosts: Sequence[str]
) -> int:
    """Mentions in ``(source_url, text, seen)`` documents; linked when the source links to the site."""
    terms = brand_terms(ctx.con)
    if not terms or not documents:
        return 0
    rows = []
    for url, text, seen in documents:
        for term, snippet in find_mentions(text, terms):
            rows.append((url, term, snippet, seen))
    if not rows:
        return 0
    facts = source_facts(r[0] for r in rows).set_index("source_url")
    frame = pd.DataFrame(rows, columns=["source_url", "term", "snippet", "seen_at"]).astype(object)
    frame["platform"] = frame["source_url"].map(facts["source_platform"])
    frame["source_domain"] = frame["source_url"].map(facts["source_domain"])
    ctx.con.register("_mentions_new", frame)
    ctx.con.register("_mentions_hosts", pd.DataFrame({"host": list(site_hosts)}, dtype=object))
    try:
        ctx.con.execute(
            """
            INSERT INTO mentions (source_url, source_kind, platform, source_domain, term, is_linked, snippet, seen_at,
                                  import_id)
            SELECT m.source_url, ?, m.platform, m.source_domain, m.term,
                   EXISTS (SELECT 1 FROM backlinks b WHERE b.source_url = m.source_url AND NOT b.lost),
                   m.snippet, TRY_CAST(m.seen_at AS TIMESTAMP), ?
            FROM _mentions_new m
            """,
            [kind, ctx.import_id],
        )
    finally:
        ctx.con.unregister("_mentions_new")
        ctx.con.unregister("_mentions_hosts")
    return len(rows)


def refind_page_mentions(con: duckdb.DuckDBPyConnection, import_id: int, source: str, text: str,
                         seen: datetime | None, site_hosts: Sequence[str]) -> int:
    """Replace the mentions one earlier page import found with those in ``text`` (the brand may have changed)."""
    con.execute("DELETE FROM mentions WHERE source_kind = 'page' AND import_id = ?", [import_id])
    row = con.execute("SELECT path FROM imports WHERE import_id = ?", [import_id]).fetchall()
    ctx = ImportContext(con=con, import_id=import_id, path=Path(str(row[0][0]) if row else source),
                        result=ImportResult(path=source, kind="pages", import_id=import_id))
    return record_document_mentions(ctx, [(source, text, seen)], "page", site_hosts)


def _load_page(ctx: ImportContext, url: str | None, content_type: str | None, site_hosts: list[str]) -> None:
    """Store the links and brand mentions of one page, inside its import transaction."""
    path = ctx.path
    data = path.read_bytes()  # a saved page was checked by check_page, a fetched one is bounded
    page = extract_page(data, url or path.resolve().as_uri(), content_type=content_type)
    source = url or _declared_url(page) or path.resolve().as_uri()
    ctx.quarantine_rows([(None, source, f"html: {e}") for e in page.errors])
    seen = datetime.now(UTC).replace(tzinfo=None) if url else _mtime(path)
    ctx.result.rows_read = len(page.links)
    ctx.result.rows_loaded = merge_links(
        ctx.con, links_frame(page, source, seen), found_by="crawl", import_id=ctx.import_id,
        site_hosts=site_hosts, checked_sources=[source],
    )
    mentions = record_document_mentions(ctx, [(source, page.text, seen)], "page", site_hosts)
    ctx.result.notes.append(f"{mentions} brand mention(s)")
    store_page_text(ctx.con, ctx.import_id, source, seen, page.text)


def store_page_text(con: duckdb.DuckDBPyConnection, import_id: int, source: str, seen: datetime | None,
                    text: str) -> None:
    """Keep the page's visible text (bounded), so a brand set later finds its mentions without a new fetch."""
    con.execute(
        "INSERT OR REPLACE INTO page_texts (import_id, source_url, seen_at, text, truncated) VALUES (?, ?, ?, ?, ?)",
        [import_id, source, seen, text[:MAX_STORED_TEXT], len(text) > MAX_STORED_TEXT],
    )


def check_page(path: Path) -> Path:
    """Refuse, in one line, a saved page that is empty, binary, too large to read whole, or holds no markup."""
    check_text(path, "a saved HTML page")
    limits = current()
    if path.stat().st_size > limits.max_whole_file_bytes:
        raise limits.exceeded("max_whole_file_bytes", f"{path}: {path.stat().st_size:,} bytes, read whole")
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if b"<" not in head:
        raise InputFileError(f"{path}: not an HTML page: no markup in its first 64 KiB (starts {shown(head)})")
    return path


def _declared_url(page: PageExtract) -> str | None:
    """A saved page says where it lives in its canonical link or og:url."""
    for candidate in (page.canonical, *(page.opengraph.get("og:url") or [])):
        if candidate and candidate.startswith(("http://", "https://")) and host_of(candidate):
            return candidate
    return None


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)


def unfetched(results: Sequence[ImportResult]) -> list[ImportResult]:
    """The results of ``import_pages`` whose URL could not be fetched (each quarantined with its reason)."""
    return [r for r in results if any(n.startswith(NOT_FETCHED + ":") for n in r.notes)]


def import_pages(
    warehouse: Warehouse,
    targets: Sequence[str],
    *,
    site_hosts: Sequence[str] | None = None,
    delay: float = 1.0,
    on_file_done: Callable[[ImportResult], None] | None = None,
    policy: AddressPolicy | None = None,
    limits: FetchLimits | None = None,
) -> list[ImportResult]:
    """Import saved pages (paths) and pages fetched from URLs; links to the site become backlinks.

    A URL that cannot be fetched (unreachable, refused by the address policy or robots.txt, too large, an error
    status) is quarantined with the reason and the others are still imported; :func:`unfetched` picks those results.
    URLs are fetched within ``policy`` (default: public addresses only) and ``limits`` (default: :func:`page_limits`).
    """
    for host in site_hosts or ():
        warehouse.add_site(host)
    hosts = warehouse.site_hosts()
    if not hosts:
        raise InputFileError("which site do the links point to? pass --site HOST (once is enough; it is remembered)")
    for target in targets:
        if not target.startswith(("http://", "https://")):
            check_page(Path(target))
    fetcher = Fetcher(delay=delay, limits=limits or page_limits(), policy=policy or AddressPolicy())
    fetcher.policy.validate()
    fetched: dict[Path, tuple[str, str | None]] = {}  # a fetched page's temporary file -> its URL, content type
    failed: dict[Path, tuple[str, str]] = {}  # a URL that could not be fetched: its stand-in file -> URL, reason

    def refind_if_imported(path: Path, url: str | None, content_type: str | None) -> None:
        """The same bytes are skipped as imported, but the brand may have been set since: the text is in hand
        now, so the page's mentions are found again (and its text kept, if an older import did not keep it)."""
        earlier = scalar(warehouse.con, "SELECT import_id FROM imports WHERE kind = 'pages' AND sha256 = ?",
                         [file_sha256(path)])
        if earlier is None or not brand_terms(warehouse.con):
            return
        page = extract_page(path.read_bytes(), url or path.resolve().as_uri(), content_type=content_type)
        source = url or _declared_url(page) or path.resolve().as_uri()
        seen = datetime.now(UTC).replace(tzinfo=None) if url else _mtime(path)
        with warehouse.transaction() as con:
            refind_page_mentions(con, int(earlier), source, page.text, seen, hosts)
            store_page_text(con, int(earlier), source, seen, page.text)

    def files(tmp: Path) -> Iterator[Path]:
        """Each target as a file, fetching URLs one at a time (politely, as the fetcher's delay says). A URL that
        cannot be fetched becomes a stand-in file whose import quarantines it with the reason, and the batch goes
        on: one dead link never costs the other pages."""
        for number, target in enumerate(targets):
            if not target.startswith(("http://", "https://")):
                refind_if_imported(Path(target), None, None)
                yield Path(target)
                continue
            try:
                body, content_type = fetcher.fetch(target)
            except SocialSeoError as exc:
                stand_in = tmp / f"unfetched-{number}.txt"
                # The attempt's time makes each failure its own ledger entry, so a later retry is never "already
                # imported".
                stand_in.write_text(f"{target}\n{exc}\n{datetime.now(UTC).isoformat()}\n")
                failed[stand_in] = (target, str(exc))
                yield stand_in
                continue
            saved = tmp / f"page-{number}.html"
            saved.write_bytes(body)
            fetched[saved] = (target, content_type)
            refind_if_imported(saved, target, content_type)
            yield saved

    def load(ctx: ImportContext) -> None:
        if ctx.path in failed:
            target, reason = failed[ctx.path]
            ctx.quarantine_rows([(None, target, f"fetch: {reason}")])
            ctx.result.notes.append(f"{NOT_FETCHED}: {reason}")
            return
        url, content_type = fetched.get(ctx.path, (None, None))
        _load_page(ctx, url, content_type, hosts)

    def options(path: Path) -> dict[str, object]:
        if path in failed:
            return {"url": failed[path][0], "site": hosts, "fetch_error": failed[path][1]}
        return {"url": fetched.get(path, (None, None))[0], "site": hosts}

    def name(path: Path) -> str:
        if path in failed:
            return failed[path][0]
        return fetched[path][0] if path in fetched else str(path)

    with tempfile.TemporaryDirectory() as tmp:
        return warehouse.import_files("pages", files(Path(tmp)), load, options=options, names=name,
                                      on_file_done=on_file_done)
