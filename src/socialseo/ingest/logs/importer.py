"""Import access logs of any layout socialseo knows into the ``hits`` table, block by block.

The file is read in blocks of whole lines (:mod:`socialseo.ingest.logs.blocks`), so memory stays flat however long
the log is, by three threads: one reads and splits each block (by quotes with Polars for Apache/Nginx-style
layouts, :mod:`socialseo.ingest.logs.quoted_reader`, else by :mod:`socialseo.ingest.logs.general_reader` and DuckDB),
one checks, attributes and encodes it (:mod:`socialseo.ingest.logs.hit_encoder`: Python only ever loops over values
new to the import, and over the rare lines that need a closer look), and this one writes it
(:mod:`socialseo.store.hits`). Every line is loaded or quarantined with its line number and the reason; the
whole file commits in one transaction. Every line is also fingerprinted (:mod:`socialseo.store.line_prints`), so
that lines an earlier import stored, from a rotated, compressed or grown copy of the log, are not stored twice;
and quarantined lines are stored with their addresses masked as the hits' are, unless ``keep_ip``.
See docs/access-logs.md for the measurements behind the design.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from socialseo.classify.behaviour import flag_bot_behaviour
from socialseo.ingest._files import check_readable, head_lines
from socialseo.ingest.logs.blocks import Block, LongLineSink, decode_line, index_lines, iter_chunks, prefetched
from socialseo.ingest.logs.formats import LogFormat, detect_format, named_format, nginx_format
from socialseo.ingest.logs.general_reader import parse_block
from socialseo.ingest.logs.hit_encoder import PARTS_SEPARATOR, REQUEST_LINE, EncodedBlock, HitEncoder
from socialseo.ingest.logs.line_privacy import mask_addresses
from socialseo.ingest.logs.quoted_reader import QuotedSplit, split_by_quotes, splits_by_quotes
from socialseo.store.hits import HitIds, HitWriter
from socialseo.store.kill_points import kill_point
from socialseo.store.line_prints import LinePrints, fingerprint_lines
from socialseo.store.warehouse import ImportContext, ImportResult, Warehouse


def resolve_format(path: Path, log_format: str = "auto", nginx_spec: str | None = None) -> LogFormat:
    """The layout to read ``path`` with: an Nginx ``log_format`` string, a named layout, or detection."""
    if nginx_spec:
        return nginx_format(nginx_spec)
    if log_format != "auto":
        return named_format(log_format)
    return detect_format(head_lines(path), str(path))


def _col(fmt: LogFormat, name: str) -> str:
    return f'"{name}"' if name in fmt.columns or name in fmt.json_paths else "CAST(NULL AS VARCHAR)"


def _has(fmt: LogFormat, name: str) -> bool:
    return name in fmt.columns or name in fmt.json_paths


def _canonical_sql(fmt: LogFormat) -> str:
    """SELECT turning one block's fields (table ``_fields``) into the canonical columns, unchecked."""
    ts = fmt.ts_sql.format(
        ts=_col(fmt, "ts"), ts_day=_col(fmt, "ts_day"), ts_zone=_col(fmt, "ts_zone"),
        date=_col(fmt, "date"), time=_col(fmt, "time"),
    )
    if _has(fmt, "ip"):
        ip = _col(fmt, "ip")
    else:  # ALB's client:port, IPv6 in brackets
        ip = "regexp_replace(regexp_replace(\"client_port\", ':[0-9]+$', ''), '^\\[|\\]$', '', 'g')"
    method, url, protocol = _col(fmt, "method"), _col(fmt, "url"), _col(fmt, "protocol")
    if _has(fmt, "query"):
        url = f"{url} || CASE WHEN \"query\" IN ('-', '') OR \"query\" IS NULL THEN '' ELSE '?' || \"query\" END"
    req = "NULL"
    if _has(fmt, "request"):
        # JSON layouts may carry either the request line or its parts: take the parts when present.
        req = f"regexp_extract(\"request\", '{REQUEST_LINE}', ['method', 'target', 'protocol'])"
        parts = _has(fmt, "method")
        method = f"coalesce({method}, req.method)" if parts else "req.method"
        url = f"coalesce({url}, req.target)" if parts else "req.target"
        protocol = f"coalesce({protocol}, req.protocol)" if parts else "req.protocol"
    referrer, agent = _col(fmt, "referrer"), _col(fmt, "user_agent")
    if "referrer" in fmt.url_encoded:
        referrer = f"url_decode({referrer})"
    if "user_agent" in fmt.url_encoded:
        agent = f"url_decode({agent})"
    return f"""
    WITH split AS (SELECT *, {ip} AS ip_raw, {ts} AS tstz, {req} AS req FROM _fields)
    SELECT
        line_no,
        ip_raw AS ip,
        CAST(timezone('UTC', tstz) AS TIMESTAMP) AS ts,
        concat_ws(chr({ord(PARTS_SEPARATOR)}), coalesce({method}, ''), coalesce({url}, ''), coalesce({protocol}, ''))
            AS request,
        TRY_CAST(TRY_CAST({_col(fmt, 'status')} AS DOUBLE) AS BIGINT) AS status,
        {_col(fmt, 'status')} AS status_text,
        TRY_CAST(TRY_CAST(nullif({_col(fmt, 'bytes')}, '-') AS DOUBLE) AS BIGINT) AS bytes,
        {referrer} AS referrer,
        {agent} AS user_agent
    FROM split
    """


def split_blocks(
    path: Path, fmt: LogFormat, on_long_line: LongLineSink | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Iterator[tuple[QuotedSplit | Block, int, pa.Table]]:
    """The file's blocks, split by quotes when the layout allows (see :mod:`socialseo.ingest.logs.quoted_reader`),
    else indexed for the general reader; numbered lines run on across blocks. Each comes with the bytes of the
    file read by then and the fingerprints of its lines. Lines over the line limit are left out (empty) and told
    to ``on_long_line``. The fingerprints are computed on ``con`` when given (opening an in-memory DuckDB takes
    tens of milliseconds, which a caller reading many small files pays once), else on a connection of its own."""
    by_quotes = splits_by_quotes(fmt)
    next_line = 1
    own = con is None
    con = duckdb.connect() if con is None else con
    try:
        for data, position in iter_chunks(path, on_long_line=on_long_line):
            prints = fingerprint_lines(con, data, next_line)
            split = split_by_quotes(data, fmt, next_line) if by_quotes else None
            if split is not None:
                next_line += split.n_lines
                yield split, position, prints
            else:
                block = index_lines(data, next_line)
                next_line += block.n_lines
                yield block, position, prints
    finally:
        if own:
            con.close()


class _BlockEncoder:
    """Encodes the blocks of one file, in a thread of its own: the import's connection only writes."""

    def __init__(self, fmt: LogFormat, ids: HitIds, import_id: int, hosts: list[str], salt: str,
                 keep_ip: bool) -> None:
        self.fmt = fmt
        self.canonical = _canonical_sql(fmt)
        self.con = duckdb.connect()
        self.by_line = HitEncoder(ids, import_id, hosts, salt, keep_ip, "line", self.con)
        self.by_parts = HitEncoder(ids, import_id, hosts, salt, keep_ip, "parts", self.con)

    def blocks(self, path: Path, on_long_line: LongLineSink | None = None) -> Iterator[tuple[EncodedBlock, pa.Table]]:
        try:
            for item, position, prints in prefetched(split_blocks(path, self.fmt, on_long_line)):
                encoded = self.encode(item)
                encoded.source_position = position
                yield encoded, prints
        finally:
            self.con.close()

    def encode(self, item: QuotedSplit | Block) -> EncodedBlock:
        if isinstance(item, QuotedSplit):
            encoded = self.by_line.encode(item.frame, item.line_text)
            encoded.quarantined[:0] = item.quarantined
            encoded.lines_read, encoded.recoded_lines = item.lines_read, item.recoded_lines
            return encoded
        # Any other layout: fields by CSV reader, regular expression or JSON path, canonical columns by DuckDB.
        parsed = parse_block(item, self.fmt)
        _fields = parsed.table
        frame = pl.from_arrow(self.con.sql(self.canonical).to_arrow_table())
        assert isinstance(frame, pl.DataFrame)
        first = item.first_line
        encoded = self.by_parts.encode(frame, lambda n: item.text(n - first))
        encoded.quarantined[:0] = parsed.quarantined
        encoded.lines_read, encoded.recoded_lines = parsed.lines_read, parsed.recoded_lines
        return encoded


def _write_block(ctx: ImportContext, writer: HitWriter, block: EncodedBlock, keep_ip: bool) -> None:
    writer.add_attributions(block.attributions)
    for table, rows in block.lookups:
        writer.add_lookup(table, rows)
    quarantined = block.quarantined
    if not keep_ip:  # every stored copy of a line is as private as the hits made from it
        quarantined = [(line_no, mask_addresses(raw), reason) for line_no, raw, reason in quarantined]
    ctx.quarantine_rows(quarantined)
    writer.add_rows(block.rows)
    ctx.result.rows_read += block.lines_read


def _quarantine_long_lines(ctx: ImportContext, long_lines: list[tuple[int | None, str, str]], keep_ip: bool) -> None:
    """Quarantine (and count as read) the over-long lines the reading thread has set aside so far."""
    taken = [long_lines.pop(0) for _ in range(len(long_lines))]
    if not keep_ip:  # the start of a long line is as private as any other stored copy of it
        taken = [(line_no, mask_addresses(raw), reason) for line_no, raw, reason in taken]
    if taken:
        ctx.quarantine_rows(taken)
        ctx.result.rows_read += len(taken)


def import_access_log(
    warehouse: Warehouse,
    path: Path,
    *,
    log_format: str = "auto",
    nginx_spec: str | None = None,
    site_hosts: Sequence[str] = (),
    keep_ip: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import one access log file; a no-op when the same bytes were imported before, and lines that earlier
    imports stored (the file is a rotated, compressed or grown copy) are counted in ``rows_repeated``, not stored.

    ``site_hosts`` are the site's own hosts (self-referrals are internal traffic). When empty, the warehouse's
    configured sites are used, and when there are none the host is inferred from the log and recorded.
    ``nginx_spec`` is an Nginx ``log_format`` string, for logs in a layout of the user's own. ``on_progress``
    is called after each stored block with the bytes of the file (as stored on disk) read so far.

    Derived tables are only marked stale here: :meth:`socialseo.api.Project.ingest_logs` rebuilds them.
    """
    [result] = import_access_logs(
        warehouse, [path], log_format=log_format, nginx_spec=nginx_spec, site_hosts=site_hosts, keep_ip=keep_ip,
        on_progress=None if on_progress is None else (lambda done, _total: on_progress(done)),
    )
    return result


def import_access_logs(
    warehouse: Warehouse,
    paths: Sequence[Path],
    *,
    log_format: str = "auto",
    nginx_spec: str | None = None,
    site_hosts: Sequence[str] = (),
    keep_ip: bool = False,
    on_file_done: Callable[[ImportResult], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[ImportResult]:
    """Import several logs; every file is checked (readable, layout known) before the first is imported.

    ``on_progress(done, total)`` counts bytes of all the files as stored on disk (compressed ones compressed).
    """
    formats = {}
    for path in paths:
        check_readable(path)
        formats[path] = resolve_format(path, log_format, nginx_spec)

    def options(path: Path) -> dict[str, object]:
        return {"format": formats[path].name, "keep_ip": keep_ip, **({"log_format": nginx_spec} if nginx_spec else {})}

    def load(ctx: ImportContext) -> None:
        _load_log(warehouse, ctx, formats[ctx.path], site_hosts, keep_ip)

    return warehouse.import_files("logs", paths, load, options=options, hash_alongside=True,
                                  on_file_done=on_file_done, on_progress=on_progress)


def _load_log(
    warehouse: Warehouse, ctx: ImportContext, fmt: LogFormat, site_hosts: Sequence[str], keep_ip: bool
) -> None:
    """Read, encode and write one log inside its import transaction."""
    hosts = list(site_hosts) or warehouse.site_hosts()
    for host in hosts:
        warehouse.add_site(host)
    writer = HitWriter(ctx.con)
    prints = LinePrints(ctx.con, ctx.import_id)
    encoder = _BlockEncoder(fmt, HitIds(ctx.con), ctx.import_id, hosts, warehouse.ip_salt(), keep_ip)
    recoded = impostors = 0
    long_lines: list[tuple[int | None, str, str]] = []  # filled by the reading thread

    def on_long_line(number: int, head: bytes, length: int) -> None:
        long_lines.append((number, decode_line(head) + "…", f"line of {length:,} bytes, over the line limit"))

    # Three threads: one reads and splits, one encodes, this one writes (see docs/access-logs.md).
    for block, block_prints in prefetched(encoder.blocks(ctx.path, on_long_line)):
        _quarantine_long_lines(ctx, long_lines, keep_ip)
        _write_block(ctx, writer, block, keep_ip)
        prints.add(block_prints)
        kill_point("block-written")
        recoded += block.recoded_lines
        impostors += block.impostors
        if block.inferred_host:
            ctx.result.notes.append(f"site host inferred as {block.inferred_host} (set it with --site)")
            warehouse.add_site(block.inferred_host)
        ctx.progress(block.source_position)
        ctx.check_not_duplicate()
    _quarantine_long_lines(ctx, long_lines, keep_ip)
    writer.flush()
    repeated_hits, repeated_quarantined = prints.settle()
    ctx.result.rows_quarantined -= repeated_quarantined
    ctx.result.rows_repeated = repeated_hits + repeated_quarantined
    if not prints.comparable:
        ctx.result.notes.append(
            "this DuckDB fingerprints lines differently from the one that imported earlier logs: lines of "
            "those imports are not recognised if they come again"
        )
    flagged = flag_bot_behaviour(ctx.con, ctx.import_id)
    if flagged:
        ctx.result.notes.append(f"{flagged:,} hits flagged as bots by behaviour")
    if impostors:
        ctx.result.notes.append(f"{impostors:,} hit{'s' if impostors != 1 else ''} claimed a search engine's "
                                "or AI operator's crawler from outside its published addresses "
                                "(bot_verified = false)")
    if recoded:
        ctx.result.notes.append(f"{recoded:,} lines were not UTF-8 and were read as Windows-1252")
    ctx.result.rows_loaded = writer.rows_written - repeated_hits
