"""The Project's live sources: Search Console over its API, and BigQuery exports (GA4 events, Search Console), as
files or read in place.

A mixin so that :class:`socialseo.api.Project` gains these methods without growing; they need only
``self.warehouse`` and ``self._refreshed``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from socialseo.analysis.derived import refresh_derived
from socialseo.ingest.analytics.ga4_bigquery import import_ga4_bigquery
from socialseo.ingest.bigquery_imports import import_ga4_tables, import_gsc_table
from socialseo.ingest.search_console.api_pull import pull_search_console

if TYPE_CHECKING:
    from socialseo.store.warehouse import ImportResult, Warehouse


class LiveSources:
    """Pull Search Console over its API; read GA4's BigQuery export files."""

    warehouse: Warehouse

    def pull_gsc(
        self,
        site: str,
        start: date | None,
        end: date | None,
        *,
        credentials: Path | None,
        incremental: bool = True,
        on_progress: Callable[[int, int], None] | None = None,
        dimensions: Sequence[str] | None = None,
        search_type: str = "web",
        data_state: str = "all",
    ) -> ImportResult:
        """Pull ``site`` (``sc-domain:example.com`` or ``https://www.example.com/``) from ``start`` to ``end``
        (default: the last 16 months to today) into ``search_performance``.

        ``incremental`` asks only for the days not pulled final yet, plus the last three days pulled;
        ``credentials`` is a service-account key or authorized-user token file (default:
        ``SOCIALSEO_GOOGLE_CREDENTIALS``). ``on_progress(days_done, days_total)`` follows the pull.
        """
        result = pull_search_console(
            self.warehouse, site, start, end, credentials=credentials, incremental=incremental,
            dimensions=dimensions, search_type=search_type, data_state=data_state, on_progress=on_progress,
        )
        refresh_derived(self.warehouse)
        return result

    def ingest_ga4_bigquery(
        self, paths: Sequence[str | Path], *, on_file_done: Callable[[ImportResult], None] | None = None
    ) -> list[ImportResult]:
        """Import GA4 ``events_*`` tables exported from BigQuery (Parquet or newline-delimited JSON): sessions with
        their traffic source and socialseo's channel, page views per page."""
        results = []
        for path in paths:
            results.append(import_ga4_bigquery(self.warehouse, Path(path)))
            if on_file_done:
                on_file_done(results[-1])
        refresh_derived(self.warehouse)
        return results

    def ingest_ga4_bigquery_table(
        self, table: str, start: date | None = None, end: date | None = None, *, credentials: Path | None = None,
        on_table_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Read GA4's ``PROJECT.DATASET.events_*`` tables (the days from ``start`` to ``end``) straight from BigQuery
        with Google's client (``pip install 'socialseo[bigquery]'``), one import per daily table.

        >>> project.ingest_ga4_bigquery_table("my-project.analytics_123.events_*", date(2026, 3, 1), date(2026, 3, 7),
        ...                                   credentials=Path("key.json"))  # doctest: +SKIP
        """
        results = import_ga4_tables(self.warehouse, table, start, end, credentials=credentials,
                                    on_table_done=on_table_done)
        refresh_derived(self.warehouse)
        return results

    def ingest_gsc_bigquery(
        self, table: str, start: date | None = None, end: date | None = None, *, credentials: Path | None = None,
        on_table_done: Callable[[ImportResult], None] | None = None,
    ) -> list[ImportResult]:
        """Read Search Console's bulk-export table (``PROJECT.DATASET.searchdata_url_impression``) straight from
        BigQuery, one import per ``data_date`` day from ``start`` to ``end`` (the whole table without them)."""
        results = import_gsc_table(self.warehouse, table, start, end, credentials=credentials,
                                   on_table_done=on_table_done)
        refresh_derived(self.warehouse)
        return results
