"""Importing files: every source's import, then the derived tables it made stale rebuilt."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from socialseo.crawl.policy import AddressPolicy
from socialseo.ingest.analytics.ga4 import import_ga4
from socialseo.ingest.archives.warc import import_backlinks_parquet, import_warc
from socialseo.ingest.backlinks.exports import import_backlink_exports
from socialseo.ingest.backlinks.pages import FETCH_TIMEOUT, MAX_FETCH_BYTES, import_pages, page_limits, unfetched
from socialseo.ingest.backlinks.rescan import MentionScan, rescan_page_mentions
from socialseo.ingest.logs.importer import import_access_logs
from socialseo.ingest.posts.importer import import_posts, link_summary, read_link_map, resolve_short_links
from socialseo.ingest.posts.mentions import record_post_mentions
from socialseo.ingest.search_console.importer import import_search_console
from socialseo.ingest.search_console.ranks import import_ranks
from socialseo.project.base import ProjectBase
from socialseo.store.warehouse import ImportResult


def _file_callback(
    on_file_done: Callable[[ImportResult], None] | None, on_done: Callable[[ImportResult], None] | None,
) -> Callable[[ImportResult], None] | None:
    """``on_done=`` was this callback's name in earlier releases; code written for them keeps working, warned."""
    if on_done is None:
        return on_file_done
    warnings.warn("on_done= is now named on_file_done=", DeprecationWarning, stacklevel=3)
    return on_file_done or on_done


class Ingesting(ProjectBase):
    """Importing files: every source's import, then the derived tables it made stale rebuilt."""

    def ingest_logs(
        self,
        paths: Sequence[str | Path],
        *,
        log_format: str = "auto",
        nginx_format: str | None = None,
        site: str | Sequence[str] | None = None,
        keep_ip: bool = False,
        on_file_done: Callable[[ImportResult], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> list[ImportResult]:
        """Import access logs, then rebuild sessions. Files imported before (same bytes) are skipped, and so are
        lines an earlier import stored (a rotated, compressed or grown copy of a log).

        ``log_format`` is ``auto``, ``combined``, ``common``, ``json``, ``alb`` or ``cloudfront``;
        ``nginx_format`` an Nginx ``log_format`` string for a layout of your own. ``on_progress(done, total)``
        reports bytes of the files read, block by block.
        """
        hosts = [site] if isinstance(site, str) else list(site or [])
        results = import_access_logs(
            self.warehouse,
            [Path(p) for p in paths],
            log_format=log_format,
            nginx_spec=nginx_format,
            site_hosts=hosts,
            keep_ip=keep_ip,
            on_file_done=on_file_done,
            on_progress=on_progress,
        )
        # Posts imported before the log learn where their short links led (cheap when none wait; run after an
        # interrupted import too, as the next import of any log comes here whatever it skips).
        resolve_short_links(self.warehouse)
        self.rebuild_stale()
        return results

    def ingest_backlinks(
        self, paths: Sequence[str | Path], *, target: str | None = None, layout: str | None = None,
        column_map: Sequence[str] | None = None, on_file_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Import backlink exports (Ahrefs, Semrush, Moz, Majestic, Ubersuggest, Search Console, generic CSV).

        ``layout`` forces a layout by name; ``column_map`` holds ``COLUMN=FIELD`` pairs that add or override columns
        (a header whose detected layout would drop a column is refused until one of the two says what to do)."""
        return self._refreshed(import_backlink_exports(
            self.warehouse, [Path(p) for p in paths], target=target, layout=layout, column_map=column_map,
            on_file_done=on_file_done,
        ))

    def ingest_pages(
        self, targets: Sequence[str | Path], *, site: str | Sequence[str] | None = None, delay: float = 1.0,
        on_file_done: Callable[[ImportResult], None] | None = None, allow_private: bool = False,
        allow_hosts: Sequence[str] = (), timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_FETCH_BYTES,
        on_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Import saved HTML pages or fetch URLs (politely, public addresses only unless allowed); links to the
        site become backlinks. A URL that cannot be fetched is quarantined with the reason and the others are still
        imported (see :meth:`pages_not_fetched`)."""
        hosts = [site] if isinstance(site, str) else list(site or [])
        policy = AddressPolicy(allow_private=allow_private, allow_hosts=tuple(allow_hosts))
        return self._refreshed(
            import_pages(self.warehouse, [str(t) for t in targets], site_hosts=hosts, delay=delay,
                         on_file_done=_file_callback(on_file_done, on_done), policy=policy,
                         limits=page_limits(timeout, max_bytes))
        )

    @staticmethod
    def pages_not_fetched(results: Sequence[ImportResult]) -> list[ImportResult]:
        """Of :meth:`ingest_pages`' results, the URLs that could not be fetched; each note says why."""
        return unfetched(results)

    def ingest_warc(
        self, paths: Sequence[str | Path], *, site: str | Sequence[str] | None = None, all_referrers: bool = False,
        on_file_done: Callable[[ImportResult], None] | None = None,
        on_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Import WARC/WAT files: links from social platforms (or any site) to the site."""
        hosts = [site] if isinstance(site, str) else list(site or [])
        return self._refreshed(import_warc(
            self.warehouse, [Path(p) for p in paths], site_hosts=hosts, all_referrers=all_referrers,
            on_file_done=_file_callback(on_file_done, on_done),
        ))

    def ingest_backlinks_parquet(
        self, paths: Sequence[str | Path], *, site: str | Sequence[str] | None = None,
        on_file_done: Callable[[ImportResult], None] | None = None,
        on_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Load the Parquet written by the Spark backlink job."""
        hosts = [site] if isinstance(site, str) else list(site or [])
        return self._refreshed(
            import_backlinks_parquet(self.warehouse, [Path(p) for p in paths], site_hosts=hosts,
                                     on_file_done=_file_callback(on_file_done, on_done))
        )

    def ingest_posts(
        self,
        paths: Sequence[str | Path],
        *,
        platform: str = "auto",
        column_map: Sequence[str] | None = None,
        timezone: str | None = None,
        link_map: dict[str, str] | None = None,
        links: str | Path | None = None,
        sheet: str | None = None,
        layout: str | None = None,
        site: Sequence[str] = (),
        on_file_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Import social post exports (any supported platform, or ``column_map`` pairs ``"Column=field"``).

        ``layout`` forces one layout of ``ingest/data/post_exports.yaml``; ``sheet`` reads one sheet of a
        workbook; ``site`` names the site's hosts when no Search Console or log import has. ``links`` is a CSV of
        ``short_url,expanded_url`` pairs (read, and refused with one line, before any file is imported) that adds to
        ``link_map``.
        """
        if links is not None:
            link_map = {**(link_map or {}), **read_link_map(Path(links))}
        results = import_posts(
            self.warehouse, [Path(p) for p in paths], platform=platform, column_map=column_map,
            timezone=timezone, link_map=link_map, sheet=sheet, layout=layout, site=site,
            on_file_done=on_file_done,
        )
        if any(not r.skipped for r in results):
            with self.warehouse.transaction() as con:
                record_post_mentions(con)
        return self._refreshed(results)

    def ingest_gsc(
        self,
        paths: Sequence[str | Path],
        *,
        dimensions: Sequence[str] | None = None,
        search_type: str = "web",
        period_start: date | None = None,
        period_end: date | None = None,
        on_file_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Import Search Console performance exports (web-export zip/CSV, API JSON rows, bulk-export tables).

        ``period_start``/``period_end``: the days a web export's period totals cover, where its Filters sheet says
        only a relative range such as "Last 3 months"."""
        results = import_search_console(
            self.warehouse, [Path(p) for p in paths], dimensions=dimensions, search_type=search_type,
            period_start=period_start, period_end=period_end, on_file_done=on_file_done,
        )
        return self._refreshed(results)

    def ingest_ranks(
        self, paths: Sequence[str | Path], *, on_file_done: Callable[[ImportResult], None] | None = None
    ) -> list[ImportResult]:
        """Import rank-tracker exports (date, keyword, URL, position)."""
        return self._refreshed(import_ranks(self.warehouse, [Path(p) for p in paths], on_file_done=on_file_done))

    def ingest_ga4(
        self, paths: Sequence[str | Path], *, on_file_done: Callable[[ImportResult], None] | None = None
    ) -> list[ImportResult]:
        """Import GA4 Traffic acquisition CSV exports; each source/medium gets socialseo's channel and platform."""
        return import_ga4(self.warehouse, [Path(p) for p in paths], on_file_done=on_file_done)

    def set_brand(self, names: Sequence[str] = (), handles: Sequence[str] = (), *, refind: bool = True
                  ) -> pd.DataFrame:
        """Replace the brand's names and handles, then (unless ``refind=False``, for a caller that calls it itself)
        re-find mentions in imported posts and saved pages (see :meth:`refind_mentions`, which says what could not
        be read again)."""
        with self.warehouse.transaction() as con:
            con.execute("DELETE FROM brand_terms")
            for kind, terms in (("name", names), ("handle", handles)):
                for term in terms:
                    if term.strip():
                        con.execute("INSERT INTO brand_terms (term, kind) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                    [term.strip(), kind])
        if refind:
            self.refind_mentions()
        return self.brand()

    def refind_mentions(self) -> MentionScan:
        """Find the brand's mentions again in every imported post and page, from the text kept at import; a page
        imported by an older release without kept text is read from its file if still there unchanged, and listed
        in ``not_read`` otherwise (import it again to find its mentions)."""
        with self.warehouse.transaction() as con:
            record_post_mentions(con)
            return rescan_page_mentions(con)

    def brand(self) -> pd.DataFrame:
        return self.warehouse.sql("SELECT term, kind FROM brand_terms ORDER BY kind, term")

    def post_links(self, results: Sequence[ImportResult]) -> dict[str, object]:
        """Of the posts these imports wrote: how many, how many link to a page, and why the others do not
        (``{"posts": 8, "linked": 6, "unlinked": {"link in bio": 1, "no link": 1}}``)."""
        return link_summary(self.warehouse.con, [r.import_id for r in results if r.import_id])
