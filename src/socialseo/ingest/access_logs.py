"""Import access logs of any layout socialseo knows into the ``hits`` table, block by block.

The file is read in blocks of whole lines (:mod:`socialseo.ingest.chunks`), so memory stays flat however long
the log is. Each block is split into fields by Polars (:mod:`socialseo.ingest.logparse`), turned into canonical
columns, checked, classified and stored by DuckDB; Python only ever loops over *distinct* referrers, user agents
and campaign keys (:mod:`socialseo.classify.bulk`) and over the rare lines that need a closer look. Every line
is loaded or quarantined with its line number and the reason; the whole file commits in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from socialseo.classify.behaviour import flag_bot_behaviour
from socialseo.classify.bulk import attribute_into
from socialseo.classify.pageviews import pageview_sql
from socialseo.ingest.chunks import Block, iter_blocks
from socialseo.ingest.logformats import LogFormat, detect_format, named_format, nginx_format
from socialseo.ingest.logparse import parse_block
from socialseo.ingest.sources import check_readable, head_lines
from socialseo.store.warehouse import ImportContext, ImportResult, Warehouse

# Timestamps outside this window are typos or clock faults, not traffic.
_EARLIEST = "1995-01-01"
_LATEST_DAYS_AHEAD = 2


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
    """SELECT turning one block's fields (table ``_fields``) into the canonical columns plus ``problem``."""
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
        req = "regexp_extract(\"request\", '^([A-Za-z]+) (\\S+)(?: (\\S+))?$', ['method', 'target', 'protocol'])"
        parts = _has(fmt, "method")
        method = f"coalesce({method}, req.method)" if parts else "req.method"
        url = f"coalesce({url}, req.target)" if parts else "req.target"
        protocol = f"coalesce({protocol}, req.protocol)" if parts else "req.protocol"
    referrer, agent = _col(fmt, "referrer"), _col(fmt, "user_agent")
    if "referrer" in fmt.url_encoded:
        referrer = f"url_decode({referrer})"
    if "user_agent" in fmt.url_encoded:
        agent = f"url_decode({agent})"
    status = f"TRY_CAST(TRY_CAST({_col(fmt, 'status')} AS DOUBLE) AS INTEGER)"
    return f"""
    WITH split AS (
        SELECT *, {ip} AS ip_raw, {ts} AS tstz, {req} AS req, {status} AS status_code,
            {_col(fmt, 'status')} AS status_text, {_col(fmt, 'bytes')} AS bytes_text,
            {referrer} AS referrer_text, {agent} AS agent_text
        FROM _fields
    ), canon AS (
        SELECT *,
            upper(nullif({method}, '')) AS c_method, nullif({url}, '') AS c_url,
            nullif(nullif({protocol}, ''), '-') AS c_protocol
        FROM split
    )
    SELECT
        line_no AS seq,
        coalesce(ip_raw, '') AS ip_raw,
        CAST(timezone('UTC', tstz) AS TIMESTAMP) AS ts,
        c_method AS method, c_url AS url, c_protocol AS protocol,
        status_code AS status,
        TRY_CAST(TRY_CAST(nullif(bytes_text, '-') AS DOUBLE) AS BIGINT) AS bytes,
        nullif(nullif(referrer_text, '-'), '') AS referrer,
        nullif(nullif(agent_text, '-'), '') AS user_agent,
        CASE
            WHEN tstz IS NULL THEN 'timestamp missing or does not parse'
            WHEN tstz < TIMESTAMPTZ '{_EARLIEST}' OR tstz > current_timestamp + INTERVAL {_LATEST_DAYS_AHEAD} DAY
                THEN 'timestamp out of range: ' || CAST(tstz AS VARCHAR)
            WHEN status_code IS NULL OR status_code NOT BETWEEN 100 AND 599
                THEN 'status is not an HTTP status: ' || coalesce(status_text, '(missing)')
            WHEN c_url IS NULL THEN 'request is not METHOD TARGET PROTOCOL'
            ELSE NULL
        END AS problem
    FROM canon
    """


_INSERT_HITS_SQL = """
INSERT INTO hits
SELECT
    ?, seq, ts,
    substr(sha256(? || '|' || ip_raw || '|' || coalesce(user_agent, '')), 1, 20) AS visitor_id,
    {ip_expr} AS ip,
    method, url, page, protocol, status, bytes, referrer, referrer_host, user_agent,
    is_bot, bot_name,
    (NOT is_bot) AND {pageview} AS is_pageview,
    channel, platform, evidence
FROM ({attributed})
"""

# Matomo-style masking: keep the network, drop the host part, so that no raw address is ever written.
_MASKED_IP_SQL = (
    "CASE WHEN regexp_matches(ip_raw, '^\\d+\\.\\d+\\.\\d+\\.\\d+$') "
    "THEN regexp_replace(ip_raw, '^(\\d+\\.\\d+)\\.\\d+\\.\\d+$', '\\1.0.0') "
    "WHEN contains(ip_raw, ':') "
    "THEN array_to_string(list_slice(string_split(ip_raw, ':'), 1, 3), ':') || '::' ELSE NULL END"
)


def infer_site_host(con: duckdb.DuckDBPyConnection, _parsed: object) -> str | None:
    """Guess the site's own host: on any real site, its own pages are the most common referrer."""
    row = con.execute(
        "SELECT lower(regexp_extract(referrer, '^https?://([^/:?#]+)', 1)) AS host, count(*) AS n "
        "FROM _parsed WHERE referrer IS NOT NULL AND host <> '' "
        "GROUP BY host ORDER BY n DESC, host LIMIT 1"
    ).fetchone()
    return str(row[0]) if row else None


class _BlockLoader:
    """Loads the blocks of one file inside its import transaction."""

    def __init__(self, warehouse: Warehouse, ctx: ImportContext, fmt: LogFormat, hosts: list[str],
                 keep_ip: bool) -> None:
        self.warehouse, self.ctx, self.fmt, self.hosts = warehouse, ctx, fmt, hosts
        self.canonical = _canonical_sql(fmt)
        self.ip_expr = "ip_raw" if keep_ip else _MASKED_IP_SQL
        self.salt = warehouse.ip_salt()
        self.recoded = 0

    def load(self, block: Block) -> None:
        con, ctx = self.ctx.con, self.ctx
        parsed = parse_block(block, self.fmt)
        ctx.result.rows_read += parsed.lines_read
        self.recoded += parsed.recoded_lines
        ctx.quarantine_rows(parsed.quarantined)
        # Tables stay Python variables that DuckDB finds by name (replacement scan), never registered: a
        # registration dropped inside the import's transaction keeps its table in memory until the commit.
        _fields = parsed.table
        con.execute("SELECT 1").fetchall()
        _canon = con.sql(self.canonical).to_arrow_table()
        problems = con.execute("SELECT seq, problem FROM _canon WHERE problem IS NOT NULL ORDER BY seq").fetchall()
        if problems:
            first = block.first_line
            ctx.quarantine_rows([(int(n), block.text(int(n) - first), str(p)) for n, p in problems])
        good = con.sql("SELECT * EXCLUDE (problem) FROM _canon WHERE problem IS NULL").to_arrow_table()
        del _fields, _canon
        if not self.hosts:
            guessed = infer_site_host(con, good)
            if guessed:
                self.hosts.append(guessed)
                ctx.result.notes.append(f"site host inferred as {guessed} (set it with --site)")
                self.warehouse.add_site(guessed)
        insert = _INSERT_HITS_SQL.format(ip_expr=self.ip_expr, pageview=pageview_sql(), attributed="{attributed}")
        attribute_into(con, good, self.hosts, insert, [ctx.import_id, self.salt], row_id="seq")


def import_access_log(
    warehouse: Warehouse,
    path: Path,
    *,
    log_format: str = "auto",
    nginx_spec: str | None = None,
    site_hosts: Sequence[str] = (),
    keep_ip: bool = False,
) -> ImportResult:
    """Import one access log file; a no-op when the same bytes were imported before.

    ``site_hosts`` are the site's own hosts (self-referrals are internal traffic). When empty, the warehouse's
    configured sites are used, and when there are none the host is inferred from the log and recorded.
    ``nginx_spec`` is an Nginx ``log_format`` string, for logs in a layout of the user's own.
    """
    check_readable(path)
    fmt = resolve_format(path, log_format, nginx_spec)
    options = {"format": fmt.name, "keep_ip": keep_ip, **({"log_format": nginx_spec} if nginx_spec else {})}
    with warehouse.importing("logs", path, options) as ctx:
        if ctx is None:
            return warehouse.last_import
        hosts = list(site_hosts) or warehouse.site_hosts()
        for host in hosts:
            warehouse.add_site(host)
        loader = _BlockLoader(warehouse, ctx, fmt, hosts, keep_ip)
        for block in iter_blocks(path):
            loader.load(block)
        flagged = flag_bot_behaviour(ctx.con, ctx.import_id)
        if flagged:
            ctx.result.notes.append(f"{flagged:,} hits flagged as bots by behaviour")
        if loader.recoded:
            ctx.result.notes.append(f"{loader.recoded:,} lines were not UTF-8 and were read as Windows-1252")
        loaded = ctx.con.execute("SELECT count(*) FROM hits WHERE import_id = ?", [ctx.import_id]).fetchone()
        ctx.result.rows_loaded = int(loaded[0]) if loaded else 0
    return warehouse.last_import


def import_access_logs(
    warehouse: Warehouse,
    paths: Sequence[Path],
    *,
    log_format: str = "auto",
    nginx_spec: str | None = None,
    site_hosts: Sequence[str] = (),
    keep_ip: bool = False,
    on_file_done: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Import several logs; every file is checked (readable, layout known) before the first is imported."""
    for path in paths:
        check_readable(path)
        resolve_format(path, log_format, nginx_spec)
    results = []
    for path in paths:
        result = import_access_log(
            warehouse, path, log_format=log_format, nginx_spec=nginx_spec, site_hosts=site_hosts,
            keep_ip=keep_ip,
        )
        results.append(result)
        if on_file_done:
            on_file_done(result)
    return results
