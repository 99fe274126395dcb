"""The crawler's sink: pages, links, queue and image probes written to the warehouse in small transactions.

Each flush writes the pages fetched since the last one, their links, the URLs they added to the queue, and marks
those pages done, all in one transaction. A crawl killed between flushes loses at most one batch of work, and the
next ``socialseo crawl`` of the same start URL resumes from the stored queue without refetching stored pages.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import pandas as pd

from socialseo.crawl.crawler import CrawledPage, CrawlOptions, CrawlStats, QueueEntry, crawl
from socialseo.crawl.images import ImageProbe
from socialseo.errors import InputFileError
from socialseo.store.warehouse import Warehouse

FLUSH_EVERY = 100
FLUSH_SECONDS = 2.0  # a slow crawl still commits its work often: a kill loses seconds, not minutes
_PAGE_COLUMNS = [
    "crawl_id", "url", "final_url", "status", "fetched_at", "content_type", "canonical", "title",
    "meta_description", "opengraph", "twitter", "jsonld", "error", "url_key", "depth", "bytes", "elapsed_ms",
    "redirects", "share_widgets",
]
_LINK_COLUMNS = ["crawl_id", "page_url", "href", "text", "rel", "tag", "internal"]
_QUEUE_COLUMNS = ["crawl_id", "url_key", "url", "depth", "source"]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class CrawlStore:
    """Stores one crawl (new, or resumed when the last crawl of ``start_url`` did not finish)."""

    def __init__(self, warehouse: Warehouse, start_url: str, options: dict[str, Any], *, fresh: bool = False) -> None:
        self.warehouse = warehouse
        self.con = warehouse.con
        self.start_url = start_url
        unfinished = None if fresh else self.con.execute(
            "SELECT crawl_id FROM crawls WHERE start_url = ? AND finished_at IS NULL ORDER BY started_at DESC LIMIT 1",
            [start_url],
        ).fetchone()
        self.resumed = unfinished is not None
        if unfinished is not None:
            self.crawl_id = str(unfinished[0])
        else:
            row = self.con.execute("SELECT nextval('crawl_id_seq')").fetchone()
            assert row is not None
            self.crawl_id = f"crawl-{int(row[0])}"
            self.con.execute(
                "INSERT INTO crawls (crawl_id, start_url, options, started_at) VALUES (?, ?, ?, ?)",
                [self.crawl_id, start_url, json.dumps(options, default=str), _now()],
            )
        self._pages: list[list[Any]] = []
        self._links: list[list[Any]] = []
        self._queue: list[list[Any]] = []
        self._done: list[str] = []
        self._flushed = time.monotonic()

    # -- what the crawler asks ------------------------------------------------------------------------------
    def known_keys(self) -> Iterable[str]:
        rows = self.con.execute("SELECT url_key FROM crawl_queue WHERE crawl_id = ?", [self.crawl_id]).fetchall()
        return [str(r[0]) for r in rows]

    def pending(self) -> list[QueueEntry]:
        rows = self.con.execute(
            "SELECT url_key, url, depth, source FROM crawl_queue WHERE crawl_id = ? AND NOT done ORDER BY depth, url",
            [self.crawl_id],
        ).fetchall()
        return [QueueEntry(str(k), str(u), int(d), str(s)) for k, u, d, s in rows]

    def done_count(self) -> int:
        return self.warehouse.con.execute(
            "SELECT count(*) FROM crawl_queue WHERE crawl_id = ? AND done", [self.crawl_id]
        ).fetchone()[0]  # type: ignore[index]

    def og_images(self) -> list[str]:
        # Relative og:image values are resolved for the probe (the audit still flags them: scrapers do not).
        rows = self.con.execute(
            "SELECT DISTINCT final_url, opengraph->>'$.\"og:image\"[0]' AS image FROM crawl_pages "
            "WHERE crawl_id = ? AND image IS NOT NULL",
            [self.crawl_id],
        ).fetchall()
        probed = {str(r[0]) for r in self.con.execute(
            "SELECT url FROM crawl_images WHERE crawl_id = ?", [self.crawl_id]).fetchall()}
        wanted = {urljoin(str(page), str(image).strip()) for page, image in rows}
        return sorted(u for u in wanted - probed if u.startswith(("http://", "https://")))

    # -- what the crawler hands over ----------------------------------------------------------------------------
    def add_discovered(self, entries: list[QueueEntry]) -> None:
        self._queue.extend([self.crawl_id, e.key, e.url, e.depth, e.source] for e in entries)
        self.flush()

    def add(self, crawled: CrawledPage, discovered: list[QueueEntry]) -> None:
        result, page, entry = crawled.fetch, crawled.page, crawled.entry
        errors = [e for e in [result.error, *(page.errors if page else [])] if e]
        self._pages.append([
            self.crawl_id, entry.url, result.final_url, result.status, _now(), result.content_type,
            page.canonical if page else None, page.title if page else None,
            page.meta_description if page else None,
            json.dumps(page.opengraph) if page else None, json.dumps(page.twitter) if page else None,
            json.dumps(page.jsonld, default=str) if page else None,
            "; ".join(errors) or None, entry.key, entry.depth, len(result.body), result.elapsed_ms,
            result.redirects, crawled.widgets,
        ])
        if page is not None:
            internal_host = entry.url.split("/")[2].removeprefix("www.")
            self._links.extend(
                [self.crawl_id, result.final_url, link.href, link.text, list(link.rel), link.tag,
                 link.href.split("/")[2].removeprefix("www.") == internal_host]
                for link in page.links
            )
        self._queue.extend([self.crawl_id, e.key, e.url, e.depth, e.source] for e in discovered)
        self._done.append(entry.key)
        if len(self._done) >= FLUSH_EVERY or time.monotonic() - self._flushed > FLUSH_SECONDS:
            self.flush()

    def add_images(self, probes: list[ImageProbe]) -> None:
        if not probes:
            return
        frame = pd.DataFrame([{"crawl_id": self.crawl_id, **asdict(p)} for p in probes])
        with self.warehouse.transaction() as con:
            con.register("probe_frame", frame)
            con.execute(
                "INSERT INTO crawl_images SELECT crawl_id, url, status, content_type, width, height, error "
                "FROM probe_frame ON CONFLICT DO NOTHING"
            )
            con.unregister("probe_frame")

    def flush(self) -> None:
        """Write everything buffered in one transaction (Arrow-backed frames: no per-row inserts)."""
        if not (self._pages or self._queue):
            return
        with self.warehouse.transaction() as con:
            if self._queue:
                self._insert(con, "crawl_queue", _QUEUE_COLUMNS, self._queue, "ON CONFLICT DO NOTHING")
            if self._pages:
                self._insert(con, "crawl_pages", _PAGE_COLUMNS, self._pages)
                con.execute(
                    "UPDATE crawl_queue SET done = true WHERE crawl_id = ? AND url_key IN (SELECT unnest(?))",
                    [self.crawl_id, self._done],
                )
            if self._links:
                self._insert(con, "page_links", _LINK_COLUMNS, self._links)
        self._pages, self._links, self._queue, self._done = [], [], [], []
        self._flushed = time.monotonic()

    @staticmethod
    def _insert(con: Any, table: str, columns: list[str], rows: list[list[Any]], suffix: str = "") -> None:
        frame = pd.DataFrame(rows, columns=columns)
        name = f"{table}_frame"
        con.register(name, frame)
        try:
            con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM {name} {suffix}")
        finally:
            con.unregister(name)

    def finish(self, stats: CrawlStats) -> None:
        """Mark the crawl complete: the next crawl of this start URL starts afresh."""
        self.flush()
        self.con.execute(
            "UPDATE crawls SET finished_at = ?, "
            "pages = (SELECT count(*) FROM crawl_pages WHERE crawl_id = ?), "
            "errors = (SELECT count(*) FROM crawl_pages WHERE crawl_id = ? AND (error IS NOT NULL OR status >= 400)) "
            "WHERE crawl_id = ?",
            [_now(), self.crawl_id, self.crawl_id, self.crawl_id],
        )


def run_crawl(
    warehouse: Warehouse,
    start_url: str,
    options: CrawlOptions,
    *,
    fresh: bool = False,
    on_page: Callable[[CrawledPage], None] | None = None,
) -> pd.DataFrame:
    """Crawl ``start_url`` into the warehouse (resuming an unfinished crawl of it) and return a one-row summary."""
    parts = urlsplit(start_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputFileError(f"{start_url!r} is not an http(s) URL")
    for pattern in (*options.include, *options.exclude):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise InputFileError(f"--include/--exclude {pattern!r} is not a regular expression: {exc}") from exc
    options.policy.check_start(start_url)  # refused before a crawl row exists: nothing to resume, exit 2
    store = CrawlStore(warehouse, start_url, asdict(options), fresh=fresh)
    try:
        stats = crawl(start_url, store, options, on_page)
    finally:
        store.flush()  # on Ctrl-C too: what was fetched is kept for the resume
    store.finish(stats)
    row = warehouse.con.execute(
        "SELECT crawl_id, start_url, pages, errors, started_at, finished_at FROM crawls WHERE crawl_id = ?",
        [store.crawl_id],
    ).df()
    return row.assign(
        resumed=store.resumed,
        fetched_now=stats.fetched,
        skipped=json.dumps(stats.skipped),
        notes="; ".join(stats.notes),
    )
