"""Why a question found nothing, and what to run to fill it.

An empty table with exit status 0 leaves a new user guessing whether the data is missing, the filter excluded
everything or the feature does not work. Each listing asks here instead: the answer names what the warehouse lacks
for that question and the command that imports it, or says that the data is there and simply holds no such rows.
"""

from __future__ import annotations

import duckdb

from socialseo.analysis.filters import Filters
from socialseo.store.warehouse import scalar

QUESTIONS = ("channels", "metrics", "backlinks", "mentions", "opportunities", "sessions", "pagerank", "lags",
             "panel", "platforms")


def _rows(con: duckdb.DuckDBPyConnection, table: str, where: str = "TRUE", params: list[object] | None = None) -> int:
    exists = scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
                         "AND table_name = ?", [table])
    if not exists:
        return 0
    return int(scalar(con, f'SELECT count(*) FROM "{table}" WHERE {where}', params or []) or 0)


def _traffic(con: duckdb.DuckDBPyConnection) -> str:
    """Why there are no sessions: no log, a log of bots only, or GA4 alone (which has no visits to session)."""
    if _rows(con, "hits") == 0:
        ga4 = " (GA4 imports are summed per channel in the report, not listed as visits)" \
            if _rows(con, "ga4_traffic") else ""
        return "no access log imported: run socialseo ingest logs ACCESS.log" + ga4
    return ("the access logs hold no visits by people (every hit was a bot, an asset or an error): import a log of "
            "the site's pages with socialseo ingest logs ACCESS.log")


def _filtered(filters: Filters | None) -> str:
    return f" for {filters.describe()}" if filters is not None and filters.active else ""


def why_empty(con: duckdb.DuckDBPyConnection, question: str, *, platform: str | None = None,
              filters: Filters | None = None) -> str:
    """One line: why ``question`` (one of :data:`QUESTIONS`) found nothing here, with the command that fills it.

    >>> why_empty(duckdb.connect(), "metrics")  # doctest: +SKIP
    'no social posts imported: run socialseo ingest posts EXPORT.csv (a platform's post export)'
    """
    posts = _rows(con, "social_posts")
    links = _rows(con, "backlinks")
    if question in ("channels", "sessions"):
        if _rows(con, "sessions"):
            return f"no sessions{_filtered(filters)}: widen the period or the platforms"
        return _traffic(con)
    if question == "metrics":
        if not posts:
            return "no social posts imported: run socialseo ingest posts EXPORT.csv (a platform's post export)"
        if platform:
            return f"no posts from {platform}: the imported posts come from other platforms (socialseo metrics)"
        if filters is not None and filters.active:
            return f"no post metrics{_filtered(filters)}: widen the period or the platforms"
        return "the imported posts carry no metrics"
    if question == "backlinks":
        if not links:
            return ("no backlinks yet: run socialseo ingest backlinks EXPORT.csv (Ahrefs, Semrush, Search Console "
                    "links…), socialseo ingest pages URL, or socialseo crawl")
        return "no backlinks from social platforms: every stored link comes from other sites (--by link lists all)"
    if question in ("mentions", "opportunities"):
        if not _rows(con, "brand_terms"):
            return ("no brand set: run socialseo brand set --name NAME (mentions in posts and pages imported "
                    "before are found again)")
        if not posts and not _rows(con, "imports", "kind IN ('pages', 'warc')"):
            return "no posts or pages to look in: run socialseo ingest posts EXPORT.csv or socialseo ingest pages URL"
        if question == "opportunities" and _rows(con, "mentions"):
            return "every page and post that mentions the brand already links to the site"
        fetched = _rows(con, "imports", "kind = 'pages' AND path LIKE 'http%'")
        again = (f"; {fetched:,} page(s) fetched from URLs keep no text, so a brand set after them is looked for "
                 "only when socialseo ingest pages reads them again" if fetched else "")
        return "no imported post or page mentions the brand's names or handles (socialseo brand show)" + again
    if question == "pagerank":
        if not links and not _rows(con, "crawl_pages"):
            return ("no link graph to rank: import backlinks (socialseo ingest backlinks EXPORT.csv) or crawl the "
                    "site (socialseo crawl https://SITE/)")
        return "the stored links do not form a graph between the site's pages: crawl the site (socialseo crawl)"
    if question in ("lags", "panel"):
        if not _rows(con, "search_performance"):
            return ("no daily search data: these analyses compare social activity with search, so import Search "
                    "Console per day (socialseo ingest gsc EXPORT or socialseo pull gsc)")
        if not posts and not _rows(con, "sessions", "channel = 'social'"):
            return ("no social activity: import posts (socialseo ingest posts EXPORT.csv) or access logs with social "
                    "visits (socialseo ingest logs ACCESS.log)")
        return "no page has both social activity and at least 42 days of search data: import a longer period"
    if question == "platforms":
        if not _rows(con, "sessions", "channel = 'social'") and not links:
            return ("no social sessions or platform backlinks: import access logs (socialseo ingest logs ACCESS.log) "
                    "or backlinks (socialseo ingest backlinks EXPORT.csv)")
        return "no platform has enough data to rank"
    raise ValueError(f"no explanation for {question!r}; one of {', '.join(QUESTIONS)}")
