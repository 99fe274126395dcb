"""GA4 events and Search Console bulk-export rows read from BigQuery, imported as their exported files are.

Each daily GA4 table (``events_YYYYMMDD``) and each Search Console day (a ``data_date`` partition) is downloaded
to a temporary Parquet file by :class:`~socialseo.ingest.bigquery_tables.TableReader` and handed to the importer of
exported files, so a table read in place and the same table exported give the same rows. One import per table or
day: a day read again with the same rows is skipped as the same content, one with changed rows replaces it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from socialseo.errors import SocialSeoError
from socialseo.ingest.analytics.ga4_bigquery import import_ga4_bigquery
from socialseo.ingest.bigquery_tables import TableName, TableReader
from socialseo.ingest.search_console.importer import import_search_console
from socialseo.store.warehouse import ImportResult, Warehouse

MAX_DAYS = 500
"""Search Console's bulk export keeps every day since it was set up; a range longer than this is likely a typo."""

Done = Callable[[ImportResult], None]


def import_ga4_tables(
    warehouse: Warehouse, table: str, start: date | None, end: date | None, *, credentials: Path | None,
    on_table_done: Done | None = None,
) -> list[ImportResult]:
    """Read ``PROJECT.DATASET.events_*`` (the days from ``start`` to ``end``) or one ``events_YYYYMMDD`` table."""
    name = TableName.parse(table, "--table")
    _check_span(start, end)
    reader = TableReader(name, credentials)
    tables = reader.daily_tables(start, end) if name.wildcard else [name.table]
    results = []
    for table_id in tables:
        label = f"bigquery:{name.project}.{name.dataset}.{table_id}"
        with tempfile.TemporaryDirectory(prefix="socialseo-bq-") as tmp:
            path = Path(tmp) / f"{table_id}.parquet"
            rows = reader.download(table_id, path)
            result = (import_ga4_bigquery(warehouse, path, replaces=label) if rows else
                      _empty(label, "ga4-bigquery", "the table holds no events; nothing imported"))
        _relabel(warehouse, result, label)
        results.append(result)
        if on_table_done:
            on_table_done(result)
    return results


def import_gsc_table(
    warehouse: Warehouse, table: str, start: date | None, end: date | None, *, credentials: Path | None,
    on_table_done: Done | None = None,
) -> list[ImportResult]:
    """Read ``PROJECT.DATASET.searchdata_url_impression`` (or ``searchdata_site_impression``): the ``data_date``
    partitions from ``start`` to ``end``, or the whole table without them."""
    name = TableName.parse(table, "--bigquery-table")
    if name.wildcard:
        raise SocialSeoError(f"--bigquery-table {table}: name one table (searchdata_url_impression or "
                             "searchdata_site_impression), not a wildcard")
    if (start is None) != (end is None):
        raise SocialSeoError("--start and --end go together for a Search Console table (its data_date days)")
    _check_span(start, end)
    reader = TableReader(name, credentials)
    days: list[date | None] = [None]
    if start is not None and end is not None:
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    results = []
    for day in days:
        label = f"bigquery:{name}" + (f"${day:%Y%m%d}" if day else "")
        with tempfile.TemporaryDirectory(prefix="socialseo-bq-") as tmp:
            path = Path(tmp) / f"{name.table}{'_' + day.isoformat() if day else ''}.parquet"
            rows = reader.download(name.table, path, partition=day)
            if rows:
                [result] = import_search_console(warehouse, [path])
            else:
                result = _empty(label, "gsc", f"no rows {'on ' + day.isoformat() if day else 'in the table'}; "
                                "the bulk export may not have written that day yet")
        _relabel(warehouse, result, label)
        results.append(result)
        if on_table_done:
            on_table_done(result)
    return results


def _relabel(warehouse: Warehouse, result: ImportResult, label: str) -> None:
    """Name the table, not the temporary file it passed through, in the result, the ledger and the quarantine."""
    result.path = label
    if result.import_id is not None:
        with warehouse.transaction() as con:
            con.execute("UPDATE imports SET path = ? WHERE import_id = ?", [label, result.import_id])
            con.execute("UPDATE quarantine SET source_file = ? WHERE import_id = ?", [label, result.import_id])


def _check_span(start: date | None, end: date | None) -> None:
    if start and end and start > end:
        raise SocialSeoError(f"--start {start} is after --end {end}")
    if start and end and (end - start).days >= MAX_DAYS:
        raise SocialSeoError(f"--start {start} to --end {end}: more than {MAX_DAYS} days; read them in parts")


def _empty(label: str, kind: str, note: str) -> ImportResult:
    return ImportResult(path=label, kind=kind, import_id=None, notes=[note])
