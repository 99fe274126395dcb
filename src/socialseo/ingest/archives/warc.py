"""``socialseo ingest warc`` and ``ingest backlinks-parquet``: web archives into the backlink inventory.

WARC/WAT files are read record by record (:mod:`socialseo.ingest.archives.links`); the links kept are merged like every
other source's. Each source page read from a WARC response is a re-check of that page. The Parquet files written by
the Spark job (:mod:`socialseo.spark.backlinks_job`) hold the same rows and load in one DuckDB statement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from socialseo.errors import InputFileError
from socialseo.ingest._files import check_nonempty, check_readable
from socialseo.ingest.archives.links import ErrorSink, FoundLink, FoundText, LinkFilter, read_archive
from socialseo.ingest.backlinks.pages import record_document_mentions
from socialseo.ingest.backlinks.store import RAW_COLUMNS, merge_links
from socialseo.ingest.decompress import BoundedReader
from socialseo.ingest.limits import shown
from socialseo.store.warehouse import ImportContext, ImportResult, Warehouse

PARQUET_COLUMNS = ("record", "source_file", "record_no", "source_url", "raw_target", "anchor", "rel", "seen",
                   "link_tag", "page_text", "raw", "reason")  # socialseo.spark.backlinks_job.COLUMNS


def _site(warehouse: Warehouse, site_hosts: Sequence[str] | None) -> list[str]:
    for host in site_hosts or ():
        warehouse.add_site(host)
    hosts = warehouse.site_hosts()
    if not hosts:
        raise InputFileError("which site do the links point to? pass --site HOST (once is enough; it is remembered)")
    return hosts


def check_archive(path: Path) -> Path:
    """Refuse, before anything is written, a file that is empty or does not start as a WARC (or WAT) record."""
    check_nonempty(path)
    with BoundedReader(path) as reader:
        head = reader.read(16)
    if not head:
        raise InputFileError(f"{path}: file is empty once decompressed")
    if not head.startswith(b"WARC/"):
        raise InputFileError(f"{path}: not a WARC or WAT file: it does not start with a WARC/1.x record "
                             f"(starts {shown(head)})")
    return path


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
    on_file_done: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Import WARC and WAT files: links from social pages (or, with ``all_referrers``, any site) to the site."""
    hosts = _site(warehouse, site_hosts)
    keep = LinkFilter(hosts, all_referrers=all_referrers)
    for path in paths:
        check_archive(path)

    def load(ctx: ImportContext) -> None:
        errors: list[tuple[int | None, str | None, str]] = []
        links: list[FoundLink] = []
        texts: list[FoundText] = []
        for item in read_archive(str(ctx.path), keep, _collector(errors), want_text=True):
            if isinstance(item, FoundLink):
                links.append(item)
            else:
                texts.append(item)
        ctx.quarantine_rows(errors)
        frame = pd.DataFrame(
            [(x.source_url, x.raw_target, x.anchor, x.rel, x.seen, x.link_tag) for x in links],
            columns=["source_url", "raw_target", "anchor", "rel", "seen", "link_tag"],
        )
        _merge_found(ctx, frame, [(t.source_url, t.text, t.seen) for t in texts], hosts,
                     social_only=not all_referrers)

    return warehouse.import_files("warc", paths, load, options={"site": hosts, "all_referrers": all_referrers},
                                  on_file_done=on_file_done)


def _merge_found(
    ctx: ImportContext,
    links: pd.DataFrame,
    pages: Sequence[tuple[str, str, datetime | None]],
    hosts: Sequence[str],
    *,
    social_only: bool,
) -> None:
    """Links (``source_url, raw_target, anchor, rel, seen, link_tag``) and the pages read in full, into the inventory.

    Shared by the WARC import and the Spark job's Parquet, so both give the same inventory from the same archives.
    """
    frame = links.assign(first_seen=links["seen"], last_seen=links["seen"], lost=False)
    ctx.result.rows_read = len(frame)
    ctx.result.rows_loaded = merge_links(
        ctx.con, frame.reindex(columns=list(RAW_COLUMNS)).astype(object), found_by="warc",
        import_id=ctx.import_id, site_hosts=hosts, checked_sources=[p[0] for p in pages], social_only=social_only,
    )
    mentions = record_document_mentions(ctx, pages, "warc", hosts)
    ctx.result.notes.append(f"{mentions} brand mention(s)")


def import_backlinks_parquet(
    warehouse: Warehouse,
    paths: Sequence[Path],
    *,
    site_hosts: Sequence[str] | None = None,
    on_file_done: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Load the Spark job's Parquet output (a directory of part files, or one file) into the inventory.

    ``link`` rows are merged, ``page`` rows mark their missing links lost and give brand mentions, ``error`` rows
    go to the quarantine naming the archive they came from: the same outcome as ``ingest warc`` on the archives.
    """
    hosts = _site(warehouse, site_hosts)
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.parquet"))
            if not found:
                raise InputFileError(f"{path}: no .parquet files in it (is it the Spark job's output directory?)")
            files.extend(found)
        else:
            files.append(check_readable(path))

    def load(ctx: ImportContext) -> None:
        frame = _read_job_parquet(ctx, ctx.path)
        kind = frame["record"]
        errors = frame[kind == "error"]
        ctx.quarantine_rows([
            (None if pd.isna(n) else int(n), raw, f"{source}: {reason}")
            for n, raw, source, reason in errors[["record_no", "raw", "source_file", "reason"]].itertuples(index=False)
        ])
        pages = frame[kind == "page"]
        documents = [(u, t or "", None if pd.isna(s) else s) for u, t, s in
                     pages[["source_url", "page_text", "seen"]].itertuples(index=False)]
        _merge_found(ctx, frame[kind == "link"], documents, hosts, social_only=False)

    return warehouse.import_files("backlinks-parquet", files, load, options={"site": hosts},
                                  on_file_done=on_file_done)


def _read_job_parquet(ctx: ImportContext, file: Path) -> pd.DataFrame:
    try:
        return ctx.con.execute(
            f"SELECT {', '.join(PARQUET_COLUMNS)} FROM read_parquet(?)", [str(file)]
        ).df().astype(object)
    except duckdb.Error as exc:
        raise InputFileError(
            f"{file}: not the Spark backlink job's Parquet (columns {', '.join(PARQUET_COLUMNS)}): "
            f"{str(exc).splitlines()[0]}"
        ) from exc
