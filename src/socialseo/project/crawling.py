"""Crawling the site and auditing its pages and the brand's profiles."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from socialseo.analysis.audit import summarise
from socialseo.analysis.audit.profiles import (
    audit_profiles,
    avatar_urls,
    links_to_check,
    live_profile_urls,
    read_profiles,
)
from socialseo.analysis.audit.rules import load_config, rules_frame
from socialseo.analysis.audit.site import run_site_audit
from socialseo.crawl.crawler import CrawledPage, CrawlOptions
from socialseo.crawl.extract import PageExtract, extract_page
from socialseo.crawl.fetch import FetchLimits
from socialseo.crawl.policy import AddressPolicy
from socialseo.crawl.profiles import check_links, fetch_images, fetch_profile_pages
from socialseo.crawl.store import run_crawl
from socialseo.ingest.backlinks.pages import FETCH_TIMEOUT, MAX_FETCH_BYTES, Fetcher, page_limits
from socialseo.project.base import ProjectBase


class Crawling(ProjectBase):
    """Crawling the site and auditing its pages and the brand's profiles."""

    def crawl(
        self,
        start_url: str,
        *,
        options: CrawlOptions | None = None,
        fresh: bool = False,
        on_page: Callable[[CrawledPage], None] | None = None,
        **settings: Any,
    ) -> pd.DataFrame:
        """Crawl a site politely into the warehouse; an unfinished crawl of the same URL is resumed.

        ``settings`` are :class:`~socialseo.crawl.crawler.CrawlOptions` fields (``max_pages=50, allow_private=True``)
        or :class:`~socialseo.crawl.fetch.FetchLimits` fields (``user_agent=..., timeout=...``).
        """
        limit_fields = set(FetchLimits.__dataclass_fields__)
        limits = {k: settings.pop(k) for k in list(settings) if k in limit_fields}
        base = options or CrawlOptions()
        options = replace(base, limits=replace(base.limits, **limits), **settings)
        return run_crawl(self.warehouse, start_url, options, fresh=fresh, on_page=on_page)

    def crawl_pages(self, crawl_id: str | None = None) -> pd.DataFrame:
        """The pages of one crawl (the latest by default)."""
        return self.warehouse.sql(
            "SELECT * EXCLUDE (crawl_id) FROM crawl_pages WHERE crawl_id = coalesce(?, "
            "(SELECT crawl_id FROM crawls ORDER BY started_at DESC LIMIT 1)) ORDER BY depth, url",
            [crawl_id],
        )

    def audit_site(self, config: str | Path | None = None, crawl_id: str | None = None) -> pd.DataFrame:
        """Run the page and site rules over a crawl; one row per finding (stored in ``audit_findings``)."""
        return run_site_audit(self.warehouse.con, load_config(Path(config) if config else None), crawl_id)

    def audit_profiles(self, profiles: str | Path, *, allow_private: bool = False, allow_hosts: Sequence[str] = ()
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Audit the brand profiles listed in a TOML file: (one row per profile, findings).

        Live profile pages, avatars and site links are fetched within the address policy (``allow_private``,
        ``allow_hosts``); saved pages are read offline.
        """
        config = load_config(Path(profiles))
        live = live_profile_urls(config)
        policy = AddressPolicy(allow_private=allow_private, allow_hosts=tuple(allow_hosts))
        policy.validate()
        limits = FetchLimits()
        reads = read_profiles(config, fetch_profile_pages(live, policy, limits))
        avatars = fetch_images(avatar_urls(reads), policy, limits)
        checks = check_links(links_to_check(reads), policy, limits)
        return audit_profiles(self.warehouse.con, config, reads, avatars, checks)

    @staticmethod
    def audit_summary(findings: pd.DataFrame) -> pd.DataFrame:
        """One row per rule of :meth:`audit_site`'s findings: severity, pages affected, the first affected URLs."""
        return summarise(findings)

    @staticmethod
    def audit_rules() -> pd.DataFrame:
        """Every audit rule: id, scope, severity, title and fix."""
        return rules_frame()
def inspect(
    page: str | Path, *, url: str | None = None, delay: float = 0.0, allow_private: bool = False,
    allow_hosts: Sequence[str] = (), timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_FETCH_BYTES,
) -> PageExtract:
    """What the extractor reads from one page: a saved file or a URL (fetched politely, public addresses only
    unless ``allow_private`` or ``allow_hosts`` say otherwise)."""
    text = str(page)
    if text.startswith(("http://", "https://")):
        policy = AddressPolicy(allow_private=allow_private, allow_hosts=tuple(allow_hosts))
        body, content_type = Fetcher(delay=delay, limits=page_limits(timeout, max_bytes), policy=policy).fetch(text)
        return extract_page(body, text, content_type=content_type)
    path = Path(text)
    from socialseo.ingest._files import check_readable

    return extract_page(check_readable(path).read_bytes(), url or path.resolve().as_uri())


