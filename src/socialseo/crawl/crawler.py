"""The crawl loop: robots and sitemaps first, then workers that fetch, extract and hand pages to a sink.

Stages, each replaceable: :class:`~socialseo.crawl.frontier.Frontier` decides what to fetch,
:func:`~socialseo.crawl.fetch.fetch` fetches politely, :func:`~socialseo.crawl.extract.extract_page` reads the
page, and a :class:`CrawlSink` stores it. The sink also remembers the queue, which is what makes a killed crawl
resumable: URLs it already holds pages for are never fetched again.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from socialseo.crawl.extract import PageExtract, extract_page
from socialseo.crawl.fetch import FetchLimits, FetchResult, fetch, open_session
from socialseo.crawl.frontier import Frontier
from socialseo.crawl.images import ImageProbe, probe_image
from socialseo.crawl.policy import AddressPolicy, BlockedAddressError
from socialseo.crawl.robots import DISALLOWED, ROBOTS_MAX_BYTES, RobotsRules, parse_sitemap, robots_from_fetch
from socialseo.crawl.throttle import HostThrottle
from socialseo.crawl.widgets import find_widgets

HTML_TYPES = ("text/html", "application/xhtml+xml")
_MAX_SITEMAPS = 50


@dataclass(frozen=True)
class CrawlOptions:
    """Everything ``socialseo crawl`` lets a user set."""

    max_pages: int = 500
    max_depth: int = 10
    concurrency: int = 8
    rate: float = 5.0
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()
    sitemaps: bool = True
    trap_limit: int = 200
    probe_images: bool = True
    limits: FetchLimits = field(default_factory=FetchLimits)

    @property
    def policy(self) -> AddressPolicy:
        """Where this crawl may connect (``--allow-private``, ``--allow-host``)."""
        return AddressPolicy(allow_private=self.allow_private, allow_hosts=self.allow_hosts)


@dataclass
class QueueEntry:
    key: str
    url: str
    depth: int
    source: str


@dataclass
class CrawledPage:
    """One fetched URL with what was read from it (``page`` is None for non-HTML and failures)."""

    entry: QueueEntry
    fetch: FetchResult
    page: PageExtract | None
    widgets: list[str]


class CrawlSink(Protocol):
    """Where pages go; the warehouse implementation is :class:`socialseo.crawl.store.CrawlStore`."""

    def pending(self) -> list[QueueEntry]: ...  # queued earlier, not yet fetched (resume)

    def known_keys(self) -> Iterable[str]: ...  # every URL key queued so far, fetched or not

    def done_count(self) -> int: ...

    def add_discovered(self, entries: list[QueueEntry]) -> None: ...

    def add(self, page: CrawledPage, discovered: list[QueueEntry]) -> None: ...

    def og_images(self) -> list[str]: ...  # distinct og:image URLs of this crawl not probed yet

    def add_images(self, probes: list[ImageProbe]) -> None: ...

    def flush(self) -> None: ...


@dataclass
class CrawlStats:
    fetched: int = 0
    errors: int = 0
    resumed: int = 0
    notes: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)


class Crawler:
    """Crawl one site from ``start_url`` into ``sink``; call :meth:`run` (or :func:`crawl` from sync code)."""

    def __init__(
        self,
        start_url: str,
        sink: CrawlSink,
        options: CrawlOptions,
        on_page: Callable[[CrawledPage], None] | None = None,
    ) -> None:
        self.options = options
        self.sink = sink
        self.on_page = on_page
        self.frontier = Frontier(
            start_url,
            max_depth=options.max_depth,
            trap_limit=options.trap_limit,
            include=[re.compile(p) for p in options.include],
            exclude=[re.compile(p) for p in options.exclude],
        )
        self.start_url = start_url
        self.policy = options.policy
        self.throttle = HostThrottle(options.rate)
        self.robots: dict[str, RobotsRules] = {}
        self.stats = CrawlStats()
        self._queue: asyncio.Queue[QueueEntry] = asyncio.Queue()
        self._scheduled = 0

    async def run(self) -> CrawlStats:
        """Crawl to the end; a start URL the address policy refuses raises :class:`BlockedAddressError`."""
        self.policy.check_start(self.start_url)
        async with open_session(self.policy, self.options.limits, concurrency=self.options.concurrency) as session:
            self.session = session
            await self._seed()
            workers = [asyncio.create_task(self._worker()) for _ in range(self.options.concurrency)]
            await self._queue.join()
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            self.sink.flush()
            if self.options.probe_images:
                await self._probe_images()
        self.stats.skipped = dict(self.frontier.skipped)
        return self.stats

    # -- seeding ------------------------------------------------------------------------------------------------
    async def _seed(self) -> None:
        for key in self.sink.known_keys():
            self.frontier.remember(key)
        self._scheduled = self.sink.done_count()
        pending = self.sink.pending()
        if pending:
            self.stats.resumed = len(pending)
            for entry in pending:
                self._enqueue(entry)
            return
        rules = await self._robots_for(self.start_url)
        found: list[QueueEntry] = []
        first = self._admit(self.start_url, 0, "start")
        if first is not None:
            found.append(first)
        if self.options.sitemaps:
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.start_url))
            candidates = list(dict.fromkeys([*rules.sitemaps, origin + "/sitemap.xml"]))
            listed = [self._admit(url, 1, "sitemap") for url in await self._sitemap_urls(candidates)]
            found.extend(e for e in listed if e is not None)
        queued = [entry for entry in found if self._enqueue(entry)]
        self.sink.add_discovered(queued)

    async def _sitemap_urls(self, sitemaps: list[str]) -> list[str]:
        urls: list[str] = []
        todo, done = list(sitemaps), set[str]()
        while todo and len(done) < _MAX_SITEMAPS:
            sitemap = todo.pop(0)
            if sitemap in done:
                continue
            done.add(sitemap)
            result = await fetch(self.session, sitemap, self.options.limits, self.throttle, policy=self.policy)
            if not result.ok:
                continue
            parsed = parse_sitemap(result.body)
            (todo if parsed.is_index else urls).extend(parsed.locations)
        return urls

    async def _robots_for(self, url: str) -> RobotsRules:
        parts = urlsplit(url)
        if parts.netloc not in self.robots:
            result = await fetch(
                self.session, f"{parts.scheme}://{parts.netloc}/robots.txt", self.options.limits, self.throttle,
                policy=self.policy, max_bytes=ROBOTS_MAX_BYTES,
            )
            rules = robots_from_fetch(result)
            if rules.note:
                self.stats.notes.append(f"{parts.netloc}: {rules.note}")
            self.throttle.set_crawl_delay(parts.netloc, rules.crawl_delay(self.options.limits.user_agent))
            self.robots[parts.netloc] = rules
        return self.robots[parts.netloc]

    # -- the queue ----------------------------------------------------------------------------------------------
    def _admit(self, url: str, depth: int, source: str) -> QueueEntry | None:
        key = self.frontier.admit(url, depth)
        return None if key is None else QueueEntry(key, url.split("#", 1)[0], depth, source)

    def _enqueue(self, entry: QueueEntry) -> bool:
        if self._scheduled >= self.options.max_pages:
            self.frontier.skipped["beyond --max-pages"] += 1
            return False
        self._scheduled += 1
        self._queue.put_nowait(entry)
        return True

    async def _worker(self) -> None:
        while True:
            entry = await self._queue.get()
            try:
                await self._crawl_one(entry)
            finally:
                self._queue.task_done()

    async def _crawl_one(self, entry: QueueEntry) -> None:
        rules = await self._robots_for(entry.url)
        if not rules.allowed(entry.url, self.options.limits.user_agent):
            result = FetchResult(url=entry.url, final_url=entry.url, error=rules.refused or DISALLOWED)
        else:
            result = await fetch(self.session, entry.url, self.options.limits, self.throttle, policy=self.policy,
                                 accept=HTML_TYPES, hop_check=self._redirect_allowed)
        page: PageExtract | None = None
        widgets: list[str] = []
        discovered: list[QueueEntry] = []
        if result.ok or (result.truncated and result.body):
            page = extract_page(result.body, result.final_url, content_type=result.content_type_header)
            widgets = find_widgets(result.body)
            # nofollow links are followed too: rel is a ranking hint, and an audit must see every page
            if self.frontier.is_internal(result.final_url):
                for link in page.links:
                    admitted = self._admit(link.href, entry.depth + 1, "link")
                    if admitted is not None and self._enqueue(admitted):
                        discovered.append(admitted)
        self.stats.fetched += 1
        self.stats.errors += result.error is not None or not (result.status and result.status < 400)
        crawled = CrawledPage(entry, result, page, widgets)
        self.sink.add(crawled, discovered)
        if self.on_page is not None:
            self.on_page(crawled)

    async def _redirect_allowed(self, target: str) -> str | None:
        """The target's robots.txt decides, as for a link: an allowed URL cannot lead into a disallowed one."""
        rules = await self._robots_for(target)
        if rules.allowed(target, self.options.limits.user_agent):
            return None
        return rules.refused or f"{DISALLOWED}: the redirect to {target} was not followed"

    # -- og:image probes ----------------------------------------------------------------------------------------
    async def _probe_images(self) -> None:
        images = self.sink.og_images()
        if not images:
            return
        semaphore = asyncio.Semaphore(self.options.concurrency)

        async def one(url: str) -> ImageProbe:
            async with semaphore:
                try:  # refused before its host's robots.txt is asked for: nothing is sent to that host at all
                    self.policy.check_url(url)
                except BlockedAddressError as exc:
                    return ImageProbe(url, None, None, None, None, str(exc))
                # The image's host may be another (a CDN): its own robots.txt decides, as for any page.
                rules = await self._robots_for(url)
                if not rules.allowed(url, self.options.limits.user_agent):
                    return ImageProbe(url, None, None, None, None, rules.refused or DISALLOWED)
                probe = await probe_image(self.session, url, self.options.limits, self.throttle, policy=self.policy,
                                          hop_check=self._redirect_allowed)
                if probe.error is not None and probe.error.startswith(DISALLOWED):
                    return ImageProbe(url, probe.status, None, None, None, DISALLOWED)  # unknown, as above
                return probe

        self.sink.add_images(list(await asyncio.gather(*(one(u) for u in images))))


def crawl(start_url: str, sink: CrawlSink, options: CrawlOptions,
          on_page: Callable[[CrawledPage], None] | None = None) -> CrawlStats:
    """Run a crawl to the end from synchronous code."""
    return asyncio.run(Crawler(start_url, sink, options, on_page).run())
