"""``socialseo ingest warc`` and ``ingest backlinks-parquet``: web archives into the backlink inventory.

WARC/WAT files are read record by record (:mod:`socialseo.ingest.warc_links`); the links kept are merged like every
other source's. Each source page read from a WARC response is a re-check of that page. The Parquet files written by
the Spark job (:mod:`socialseo.spark.backlinks`) hold the same rows and load in one DuckDB statement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from socialseo.errors import InputFileError
from socialseo.ingest.backlink_store import RAW_COLUMNS, merge_links
from socialseo.ingest.pages import record_document_mentions
from socialseo.ingest.sources import check_readable
from socialseo.ingest.warc_links import ErrorSink, FoundLink, FoundText, LinkFilter, read_archive
from socialseo.store.warehouse import ImportResult, Warehouse

PARQUET_COLUMNS = ("source_url", "raw_target", "anchor", "rel", "seen", "link_tag", "found_by")


def _site(warehouse: Warehouse, site_hosts: Sequence[str] | None) -> list[str]:
    for host in site_hosts or ():
        warehouse.add_site(host)
    hosts = warehouse.site_hosts()
    if not hosts:
        raise InputFileError("which site do the links point to? pass --site HOST (once is enough; it is remembered)")
    return hosts


def _collector(errors: list[tuple[int | None, str | None, str]]) -> ErrorSink:
    def sink(number: int | None, raw: str, reason: str) -> None:
        errors.append((number, raw, reason))

    return sink


def import_warc(
    warehouse: Warehouse,
    paths: Sequence[Path],
    *,
    site_hosts: Sequence[str] | None = None,
    all_referrers: bool = False,
    on_done: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Import WARC and WAT files: links from social pages (or, with ``all_referrers``, any site) to the site."""
    hosts = _site(warehouse, site_hosts)
    keep = LinkFilter(hosts, all_referrers=all_referrers)
    results = []
    for path in paths:
        check_readable(path)
        options = {"site": hosts, "all_referrers": all_referrers}
        with warehouse.importing("warc", path, options) as ctx:
            if ctx is not None:
                errors: list[tuple[int | None, str | None, str]] = []
                links: list[FoundLink] = []
                texts: list[FoundText] = []
                for item in read_archive(str(path), keep, _collector(errors), want_text=True):
                    if isinstance(item, FoundLink):
                        links.append(item)
                    else:
                        texts.append(item)
                ctx.quarantine_rows(errors)
                frame = pd.DataFrame(
                    [(x.source_url, x.raw_target, x.anchor, x.rel, x.seen, x.seen, x.link_tag, False) for x in links],
                    columns=list(RAW_COLUMNS),
                ).astype(object)
                checked = [t.source_url for t in texts]
                ctx.result.rows_read = len(links)
                ctx.result.rows_loaded = merge_links(
                    ctx.con, frame, found_by="warc", import_id=ctx.import_id, site_hosts=hosts,
                    checked_sources=checked, social_only=not all_referrers,
                )
                mentions = record_document_mentions(
                    ctx, [(t.source_url, t.text, t.seen) for t in texts], "warc", hosts
                )
                ctx.result.notes.append(f"{mentions} brand mention(s)")
        results.append(warehouse.last_import)
        if on_done is not None:
            on_done(warehouse.last_import)
    return results


def import_backlinks_parquet(
    warehouse: Warehouse,
    paths: Sequence[Path],
    *,
    site_hosts: Sequence[str] | None = None,
    on_done: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Load the Spark job's Parquet output (a file or a directory of part files) into the inventory."""
    hosts = _site(warehouse, site_hosts)
    results = []
    for path in paths:
        files = sorted(path.glob("*.parquet")) if path.is_dir() else [check_readable(path)]
        if not files:
            raise InputFileError(f"{path}: no .parquet files in it (is it the Spark job's output directory?)")
        for file in files:
            with warehouse.importing("backlinks-parquet", file, {"site": hosts}) as ctx:
                if ctx is not None:
                    try:
                        frame = ctx.con.execute(
                            "SELECT source_url, raw_target, anchor, rel, seen AS first_seen, seen AS last_seen, "
                            "link_tag, false AS lost FROM read_parquet(?)",
                            [str(file)],
                        ).df().astype(object)
                    except Exception as exc:  # duckdb raises several classes for foreign files
                        raise InputFileError(
                            f"{file}: not the Spark job's Parquet (columns {', '.join(PARQUET_COLUMNS)}): "
                            f"{str(exc).splitlines()[0]}"
                        ) from exc
                    ctx.result.rows_read = len(frame)
                    ctx.result.rows_loaded = merge_links(
                        ctx.con, frame, found_by="warc", import_id=ctx.import_id, site_hosts=hosts
                    )
            results.append(warehouse.last_import)
            if on_done is not None:
                on_done(warehouse.last_import)
    return results
