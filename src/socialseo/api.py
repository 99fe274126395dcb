"""The Python API: the same operations as the CLI, returning pandas DataFrames.

>>> import socialseo
>>> project = socialseo.open(":memory:")
>>> project.channels().empty
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from socialseo.analysis import backlinks as _backlinks
from socialseo.analysis import impact
from socialseo.analysis.actions import run_rules
from socialseo.analysis.audit.profiles import audit_profiles
from socialseo.analysis.audit.rules import load_config, rules_frame
from socialseo.analysis.audit.site import run_site_audit
from socialseo.analysis.derived import refresh_derived
from socialseo.analysis.engagement import channel_engagement
from socialseo.analysis.filters import Filters
from socialseo.analysis.impact.platforms import load_platform_inputs, platform_effectiveness
from socialseo.analysis.page_names import resolve_page
from socialseo.analysis.pagerank import link_equity, load_link_graph
from socialseo.analysis.search_totals import GRANULARITIES, page_period_totals, pages_listing, search_coverage
from socialseo.analysis.social_metrics import social_metrics
from socialseo.analysis.timeline import Window, page_daily_window, rebuild_page_daily, with_platforms
from socialseo.api_live import LiveSources
from socialseo.classify.explain import explain_hit
from socialseo.crawl.crawler import CrawledPage, CrawlOptions
from socialseo.crawl.extract import PageExtract, extract_page
from socialseo.crawl.fetch import FetchLimits
from socialseo.crawl.policy import AddressPolicy
from socialseo.crawl.store import run_crawl
from socialseo.errors import SocialSeoError
from socialseo.ingest.analytics.ga4 import import_ga4_traffic
from socialseo.ingest.archives.warc import import_backlinks_parquet, import_warc
from socialseo.ingest.backlinks.exports import import_backlink_exports
from socialseo.ingest.backlinks.pages import FETCH_TIMEOUT, MAX_FETCH_BYTES, Fetcher, import_pages, page_limits
from socialseo.ingest.logs.importer import import_access_logs
from socialseo.ingest.posts.importer import import_posts, resolve_short_links
from socialseo.ingest.posts.mentions import record_post_mentions
from socialseo.ingest.search_console.importer import import_search_console
from socialseo.ingest.search_console.ranks import import_ranks
from socialseo.report.html import write_report
from socialseo.store.export import ExportResult, export
from socialseo.store.warehouse import DEFAULT_PATH, ImportResult, Warehouse


class Project(LiveSources):
    """One site's data: a warehouse plus the operations over it.

    Opening a project first rebuilds any derived table an interrupted import left stale, so no answer is ever
    read from tables older than the data they are made from.
    """

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        refresh_derived(warehouse)

    # -- ingest ------------------------------------------------------------------------------------------------
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
        refresh_derived(self.warehouse)
        return results

    def _refreshed(self, results: list[ImportResult]) -> list[ImportResult]:
        """Rebuild the derived tables the imports marked stale (sessions, the per-page timeline)."""
        refresh_derived(self.warehouse)
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
        on_done: Callable[[ImportResult], None] | None = None, allow_private: bool = False,
        allow_hosts: Sequence[str] = (), timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_FETCH_BYTES,
    ) -> list[ImportResult]:
        """Import saved HTML pages or fetch URLs (politely, public addresses only unless allowed); links to the
        site become backlinks."""
        hosts = [site] if isinstance(site, str) else list(site or [])
        policy = AddressPolicy(allow_private=allow_private, allow_hosts=tuple(allow_hosts))
        return self._refreshed(
            import_pages(self.warehouse, [str(t) for t in targets], site_hosts=hosts, delay=delay, on_done=on_done,
                         policy=policy, limits=page_limits(timeout, max_bytes))
        )

    def ingest_warc(
        self, paths: Sequence[str | Path], *, site: str | Sequence[str] | None = None, all_referrers: bool = False,
        on_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Import WARC/WAT files: links from social platforms (or any site) to the site."""
        hosts = [site] if isinstance(site, str) else list(site or [])
        return self._refreshed(import_warc(
            self.warehouse, [Path(p) for p in paths], site_hosts=hosts, all_referrers=all_referrers, on_done=on_done
        ))

    def ingest_backlinks_parquet(
        self, paths: Sequence[str | Path], *, site: str | Sequence[str] | None = None,
        on_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Load the Parquet written by the Spark backlink job."""
        hosts = [site] if isinstance(site, str) else list(site or [])
        return self._refreshed(
            import_backlinks_parquet(self.warehouse, [Path(p) for p in paths], site_hosts=hosts, on_done=on_done)
        )

    # -- brand -------------------------------------------------------------------------------------------------
    def set_brand(self, names: Sequence[str] = (), handles: Sequence[str] = ()) -> pd.DataFrame:
        """Replace the brand's names and handles, then re-find mentions in imported posts."""
        with self.warehouse.transaction() as con:
            con.execute("DELETE FROM brand_terms")
            for kind, terms in (("name", names), ("handle", handles)):
                for term in terms:
                    if term.strip():
                        con.execute("INSERT INTO brand_terms (term, kind) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                    [term.strip(), kind])
            record_post_mentions(con)
        return self.brand()

    def brand(self) -> pd.DataFrame:
        return self.warehouse.sql("SELECT term, kind FROM brand_terms ORDER BY kind, term")

    # -- crawl and audits ---------------------------------------------------------------------------------------
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
        """Audit the brand profiles listed in a TOML file: (one row per profile, findings)."""
        return audit_profiles(self.warehouse.con, load_config(Path(profiles)), allow_private=allow_private,
                              allow_hosts=tuple(allow_hosts))

    @staticmethod
    def audit_rules() -> pd.DataFrame:
        """Every audit rule: id, scope, severity, title and fix."""
        return rules_frame()

    # -- social posts and search performance --------------------------------------------------------------------
    def ingest_posts(
        self,
        paths: Sequence[str | Path],
        *,
        platform: str = "auto",
        column_map: Sequence[str] | None = None,
        timezone: str | None = None,
        link_map: dict[str, str] | None = None,
        sheet: str | None = None,
        layout: str | None = None,
        site: Sequence[str] = (),
        on_file_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Import social post exports (any supported platform, or ``column_map`` pairs ``"Column=field"``).

        ``layout`` forces one layout of ``ingest/data/post_exports.yaml``; ``sheet`` reads one sheet of a
        workbook; ``site`` names the site's hosts when no Search Console or log import has.
        """
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
        return import_ranks(self.warehouse, [Path(p) for p in paths], on_file_done=on_file_done)

    def ingest_ga4(self, paths: Sequence[str | Path]) -> list[ImportResult]:
        """Import GA4 Traffic acquisition CSV exports; each source/medium gets socialseo's channel and platform."""
        return [import_ga4_traffic(self.warehouse, Path(p)) for p in paths]

    def ga4_channels(self) -> pd.DataFrame:
        """GA4 sessions and engagement per channel × platform, as socialseo classifies the sources."""
        return self.warehouse.sql(
            """
            SELECT channel, platform, sum(sessions) AS sessions,
                sum(sessions) / sum(sum(sessions)) OVER () AS share,
                sum(engaged_sessions) / sum(sessions) AS engagement_rate,
                sum(avg_engagement_s * sessions) / sum(sessions) AS avg_engagement_s
            FROM ga4_traffic GROUP BY ALL ORDER BY sessions DESC
            """
        )

    # -- questions ---------------------------------------------------------------------------------------------
    def backlinks(self) -> pd.DataFrame:
        """The whole backlink inventory."""
        return self.warehouse.sql(
            "SELECT source_url, source_platform, source_domain, target_url, target_page, anchor, rel, is_followed, "
            "found_by, first_seen, last_seen, lost FROM backlinks ORDER BY source_platform NULLS LAST, source_url"
        )

    def backlink_summary(self) -> pd.DataFrame:
        """Per platform: backlinks, referring pages and domains, followed/nofollow/ugc/sponsored shares, lost."""
        return _backlinks.backlink_summary(self.warehouse.con)

    def backlinks_over_time(self, period: str = "month") -> pd.DataFrame:
        return _backlinks.backlinks_over_time(self.warehouse.con, period)

    def backlink_targets(self, limit: int = 50) -> pd.DataFrame:
        """Per target page: social backlinks next to social referral sessions."""
        return _backlinks.target_pages(self.warehouse.con, limit)

    def top_anchors(self, limit: int = 10) -> pd.DataFrame:
        return _backlinks.top_anchors(self.warehouse.con, limit)

    def mentions(self) -> pd.DataFrame:
        """Linked and unlinked brand mentions per platform."""
        return _backlinks.mention_summary(self.warehouse.con)

    def link_opportunities(self) -> pd.DataFrame:
        """Pages that mention the brand without linking to the site."""
        return _backlinks.link_opportunities(self.warehouse.con)

    def channels(self, by: str | None = None) -> pd.DataFrame:
        """Sessions, share, bounce rate, average duration and pages per session per channel and platform."""
        return channel_engagement(self.warehouse.con, by=by)

    def resolve_page(self, page: str) -> str:
        """The stored page key for any spelling of a page: a path, a full URL, with or without www., a trailing
        slash or tracking parameters. An unknown page raises
        :class:`~socialseo.analysis.page_names.UnknownPageError` listing the nearest stored pages."""
        return resolve_page(self.warehouse.con, page)

    def search_totals(self, url: str | None = None) -> pd.DataFrame:
        """The web exports' page totals, one row per page and period (``period_label`` where the days are unknown);
        ``url`` is one page in any spelling (see :meth:`resolve_page`)."""
        return page_period_totals(self.warehouse.con, None if url is None else self.resolve_page(url))

    def search_coverage(self) -> pd.DataFrame:
        """Per page, whether its Search Console data is daily, period totals only, or both."""
        return search_coverage(self.warehouse.con)

    def pages(self, url: str | None = None, granularity: str = "all", *, platforms: bool = False) -> pd.DataFrame:
        """The per-page timeline: the daily rows of ``page_daily`` (social posts, sessions, backlinks and search per
        day) and the Search Console web exports' page totals over their period, each row marked by ``granularity``
        (``day`` or ``period``) with ``period_start``/``period_end``. ``granularity="day"`` keeps the daily rows
        only, as the impact models read them; summing across both kinds counts the same clicks twice.

        ``url`` is one page in any spelling (see :meth:`resolve_page`). ``platforms`` adds a ``platforms`` column:
        per daily row, ``{platform: {"posts", "engagement", "link_clicks", "sessions"}}`` for each platform that
        touched the page that day (``page_daily_platform``).
        """
        if granularity not in GRANULARITIES:
            raise SocialSeoError(f"granularity must be one of {', '.join(GRANULARITIES)}")
        key = None if url is None else self.resolve_page(url)
        frame = pages_listing(self.warehouse.con, key, granularity)
        return with_platforms(frame, self.pages_by_platform(key)) if platforms else frame

    def pages_by_platform(self, url: str | None = None) -> pd.DataFrame:
        """Posts, engagement, link clicks and social sessions per page, day and platform (``page_daily_platform``)."""
        if url is None:
            return self.warehouse.sql("SELECT * FROM page_daily_platform ORDER BY page, date, platform")
        return self.warehouse.sql("SELECT * FROM page_daily_platform WHERE page = ? ORDER BY date, platform",
                                  [self.resolve_page(url)])

    def pages_window(self) -> Window:
        """The days ``page_daily`` covers and what set them (the search window, a setting, or other sources)."""
        return page_daily_window(self.warehouse.con)

    def set_pages_window(self, start: str | None = None, end: str | None = None) -> Window:
        """Fix the days ``page_daily`` covers (None: the search window again), then rebuild it."""
        for key, value in (("page_daily_from", start), ("page_daily_to", end)):
            if value:
                self.warehouse.set_setting(key, value)
            else:
                self.warehouse.con.execute("DELETE FROM settings WHERE key = ?", [key])
        rebuild_page_daily(self.warehouse.con)
        return self.pages_window()

    def metrics(self, *, platform: str | None = None, by: str = "platform") -> pd.DataFrame:
        """Social metrics (impressions, likes, comments, shares, CTR, engagement rate...) by post, day or platform."""
        return social_metrics(self.warehouse.con, platform=platform, by=by)
    # -- impact: does social activity move search? ------------------------------------------------------------
    def panel(self, *, start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """The page x day panel every impact analysis reads (``page_daily``), optionally cut to ``start``..``end``."""
        panel = impact.load_panel(self.warehouse.con)
        if start:
            panel = panel[panel["date"] >= pd.Timestamp(start)]
        if end:
            panel = panel[panel["date"] <= pd.Timestamp(end)]
        return panel.reset_index(drop=True)

    def lags(self, *, max_lag: int = 28, summary: bool = False, start: str | None = None,
             end: str | None = None) -> pd.DataFrame:
        """Cross-correlations of differenced social and search series per page and lag, FDR-corrected."""
        found = impact.lagged_association(self.panel(start=start, end=end), max_lag=max_lag)
        return impact.lag_summary(found) if summary else found

    def panel_model(self, *, outcome: str = "search_clicks", start: str | None = None,
                    end: str | None = None) -> pd.DataFrame:
        """Fixed-effects estimate of a social spike's effect on ``outcome``, overall and per platform."""
        return impact.panel_model(self.panel(start=start, end=end), impact.load_platform_panel(self.warehouse.con),
                                  outcome=outcome)

    def events(self, *, outcome: str = "search_clicks", profile: bool = False, start: str | None = None,
               end: str | None = None) -> pd.DataFrame:
        """Event study around social spikes against clean matched controls; ``profile`` gives the weekly view."""
        summary, weekly = impact.event_study(self.panel(start=start, end=end), outcome=outcome)
        return weekly if profile else summary

    def verdict(self, *, outcome: str = "search_clicks", start: str | None = None,
                end: str | None = None) -> impact.Headline:
        """One answer to "did social move search?": the panel model and the event study reconciled, saying
        plainly when they disagree and why (see :mod:`socialseo.analysis.impact.verdict`)."""
        panel = self.panel(start=start, end=end)
        model = impact.panel_model(panel, impact.load_platform_panel(self.warehouse.con), outcome=outcome)
        events, _ = impact.event_study(panel, outcome=outcome)
        return impact.headline([model.iloc[0], events.iloc[0]], outcome)

    def impact(self, pages: Sequence[str], after: str, *, outcome: str = "search_clicks",
               series: bool = False, start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """Counterfactual effect on ``pages`` from ``after`` on; each page in any spelling (see
        :meth:`resolve_page`: ``/blog/x``, ``https://www.example.com/blog/x/?utm_source=y``)."""
        keys = list(dict.fromkeys(self.resolve_page(p) for p in pages))
        result = impact.counterfactual_impact(self.panel(start=start, end=end), keys, after, outcome=outcome)
        return result.series if series else result.summary

    def pagerank(self) -> pd.DataFrame:
        """PageRank per page with followed links only and with social links counted as followed."""
        return link_equity(load_link_graph(self.warehouse.con))

    def platforms(self) -> pd.DataFrame:
        """Platforms ranked per content segment by sessions, engagement, backlinks and estimated search effect."""
        sessions, backlinks = load_platform_inputs(self.warehouse.con)
        panel = self.panel()
        effects = None if panel.empty else impact.panel_model(panel, impact.load_platform_panel(self.warehouse.con))
        return platform_effectiveness(sessions, backlinks, effects)
    def classify(
        self, referrer: str | None, user_agent: str | None = None, url: str | None = None
    ) -> pd.DataFrame:
        """One hit's channel, platform and evidence (one row), with this warehouse's site hosts."""
        return pd.DataFrame([explain_hit(referrer, user_agent, url, self.warehouse.site_hosts())])

    def sessions(self) -> pd.DataFrame:
        return self.warehouse.sql("SELECT * FROM sessions ORDER BY start_ts")

    def quarantine(self) -> pd.DataFrame:
        return self.warehouse.quarantine()

    def imports(self) -> pd.DataFrame:
        return self.warehouse.imports()

    def sql(self, query: str) -> pd.DataFrame:
        return self.warehouse.sql(query)

    def actions(self, filters: Filters | None = None) -> pd.DataFrame:
        """The action list: one row per recommended action (rule, priority, title, why, number of items)."""
        records = [a.as_record() for a in run_rules(self.warehouse.con, filters).actions]
        return pd.DataFrame(records, columns=["rule_id", "priority", "title", "why", "items"])

    # -- output ------------------------------------------------------------------------------------------------
    def report(self, out_dir: str | Path, *, fmt: str = "html", filters: Filters | None = None) -> Path:
        """Write the self-contained ``report.html`` (and ``report.pdf`` for ``fmt="pdf"``) into ``out_dir``."""
        return write_report(self.warehouse.con, Path(out_dir), fmt=fmt, filters=filters)

    def export(self, table_or_query: str, out: str | Path, *, fmt: str | None = None) -> ExportResult:
        """Write a table or query to CSV (formula-safe), Parquet or JSON; the format defaults to the file's suffix."""
        return export(self.warehouse.con, table_or_query, Path(out), fmt)

    def close(self) -> None:
        self.warehouse.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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


def open(path: str | Path = DEFAULT_PATH, *, read_only: bool = False) -> Project:
    """Open (creating and migrating if needed) the warehouse at ``path``."""
    return Project(Warehouse(path, read_only=read_only))
