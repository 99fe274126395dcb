"""The plain data types and limits the door's callers use, named in one place so they need import nothing else."""

from __future__ import annotations

from socialseo.analysis.compare import Comparison
from socialseo.analysis.filters import Filters
from socialseo.analysis.search_performance import SearchPerformance
from socialseo.analysis.timeline import Window
from socialseo.crawl.crawler import CrawledPage, CrawlOptions
from socialseo.crawl.extract import PageExtract
from socialseo.crawl.fetch import FetchLimits
from socialseo.ingest.backlinks.pages import FETCH_TIMEOUT, MAX_FETCH_BYTES
from socialseo.report.sections import Section
from socialseo.store.export import ExportResult
from socialseo.store.warehouse import ImportResult

__all__ = [
    "FETCH_TIMEOUT",
    "MAX_FETCH_BYTES",
    "Comparison",
    "CrawlOptions",
    "CrawledPage",
    "ExportResult",
    "FetchLimits",
    "Filters",
    "ImportResult",
    "PageExtract",
    "SearchPerformance",
    "Section",
    "Window",
]
