"""Read Apache/Nginx access logs (combined and common formats) into the ``hits`` table.

The hot path never loops over lines in Python: DuckDB's CSV reader splits each line on spaces while honouring
quotes (the fastest parse measured here), parsing and classification happen in SQL, and Python only looks at
*distinct* referrers and user agents (see :mod:`socialseo.classify.bulk`). Lines the CSV reader rejects are
quarantined with their line numbers from DuckDB's reject tables; lines that split but do not make sense (a bad
timestamp, a request that is not ``METHOD TARGET PROTOCOL``) are quarantined with the reason.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from socialseo.classify.bulk import attribute_relation
from socialseo.classify.pageviews import pageview_sql
from socialseo.errors import FormatNotRecognisedError, InputFileError
from socialseo.ingest.sources import check_readable, compression_of, head_lines
from socialseo.store.warehouse import ImportResult, Warehouse


@dataclass(frozen=True)
class LogFormat:
    """A space-separated, quote-aware log layout: the column names in order."""

    name: str
    columns: tuple[str, ...]
    sniff: re.Pattern[str]


_COMMON_HEAD = r'^\S+ \S+ \S+ \[[^\]]+\] "[^"]*" \d{3} (?:\d+|-)'
COMBINED = LogFormat(
    "combined",
    ("ip", "ident", "authuser", "ts_day", "ts_zone", "request", "status", "bytes", "referrer", "user_agent"),
    re.compile(_COMMON_HEAD + r' "[^"]*" "[^"]*"'),
)
COMMON = LogFormat(
    "common",
    ("ip", "ident", "authuser", "ts_day", "ts_zone", "request", "status", "bytes"),
    re.compile(_COMMON_HEAD + r"\s*$"),
)
FORMATS = {f.name: f for f in (COMBINED, COMMON)}

# Timestamps outside this window are typos or clock faults, not traffic.
_EARLIEST = "1995-01-01"
_LATEST_DAYS_AHEAD = 2


def detect_format(path: Path) -> LogFormat:
    """Pick the format that most of the first lines match; fail clearly when none does."""
    lines = head_lines(path)
    if not lines:
        raise FormatNotRecognisedError(f"{path}: file is empty")
    scores = {name: sum(bool(f.sniff.match(line)) for line in lines) for name, f in FORMATS.items()}
    best = max(scores, key=lambda name: scores[name])
    if scores[best] * 2 < len(lines):
        raise FormatNotRecognisedError(
            f"{path}: not an access log in a known format (tried {', '.join(FORMATS)}); "
            f"first line: {lines[0][:120]!r}"
        )
    return FORMATS[best]


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _read_csv_sql(fmt: LogFormat, path: Path, compression: str) -> str:
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in fmt.columns)
    return (
        f"read_csv('{_quoted(path)}', delim=' ', quote='\"', escape='\\', header=false, auto_detect=false, "
        f"columns={{{columns}}}, compression='{compression}', store_rejects=true, "
        f"rejects_table='_log_rejects_errors', rejects_scan='_log_rejects_scans', max_line_size=4194304, "
        f"strict_mode=false, null_padding=false)"
    )


# A line with an odd number of unescaped quotes was cut off inside a quoted field. Left in, it would make the CSV
# reader run on into the next line and merge the two, so such lines are found first, among the raw lines.
_UNESCAPED = "replace(replace(line, '\\\\', ''), '\\\"', '')"
_ODD_QUOTES_SQL = f"(length({_UNESCAPED}) - length(replace({_UNESCAPED}, '\"', ''))) % 2 = 1"


def _split_off_cut_lines(
    con: duckdb.DuckDBPyConnection, path: Path, compression: str, workdir: Path
) -> tuple[Path, str, list[tuple[int | None, str, str]]]:
    """Quarantine lines cut inside a quote; return the file to parse (a cleaned copy when any were found)."""
    con.execute("DROP TABLE IF EXISTS _lines")
    try:
        con.execute(
            f"CREATE TEMP TABLE _lines AS SELECT * FROM read_csv('{_quoted(path)}', delim='\\x01', quote='', "
            f"escape='', header=false, auto_detect=false, columns={{'line': 'VARCHAR'}}, "
            f"compression='{compression}', store_rejects=true, rejects_table='_line_rejects_errors', "
            f"rejects_scan='_line_rejects_scans', max_line_size=4194304, strict_mode=false)"
        )
    except duckdb.Error as exc:
        raise InputFileError(f"{path}: cannot be read as a log ({str(exc).splitlines()[0]})") from exc
    # rowid follows file order; temporary tables number from an offset, hence the subtraction.
    odd = con.execute(
        f"SELECT rowid - (SELECT min(rowid) FROM _lines), line FROM _lines WHERE {_ODD_QUOTES_SQL} ORDER BY rowid"
    ).fetchall()
    if not odd:
        con.execute("DROP TABLE _lines")
        return path, compression, []
    # Rows of _lines are in file order; lines the line reader itself rejected (bad encoding) shift the numbering.
    skipped = sorted(int(r[0]) for r in con.execute("SELECT DISTINCT line FROM _line_rejects_errors").fetchall())
    bad: list[tuple[int | None, str, str]] = [
        (_line_number(int(rowid), skipped), str(line), "line ends inside a quoted field (cut off)")
        for rowid, line in odd
    ]
    cleaned = workdir / "lines.log"
    con.execute(
        f"COPY (SELECT line FROM _lines WHERE NOT ({_ODD_QUOTES_SQL}) ORDER BY rowid) TO '{_quoted(cleaned)}' "
        "(FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\\x01')"
    )
    con.execute("DROP TABLE _lines")
    return cleaned, "none", bad


def _line_number(rowid: int, skipped: list[int]) -> int:
    """The file line of the ``rowid``-th line read, given the (sorted) line numbers the reader skipped."""
    line = rowid + 1
    for skipped_line in skipped:
        if skipped_line <= line:
            line += 1
        else:
            break
    return line


def _load_raw(con: duckdb.DuckDBPyConnection, fmt: LogFormat, path: Path, compression: str) -> int:
    """Split the file into ``_raw_lines``; returns the number of lines the reader accepted."""
    con.execute("DROP TABLE IF EXISTS _raw_lines")
    try:
        con.execute(f"CREATE TEMP TABLE _raw_lines AS SELECT * FROM {_read_csv_sql(fmt, path, compression)}")
    except duckdb.Error as exc:
        raise InputFileError(f"{path}: cannot be read as a log ({str(exc).splitlines()[0]})") from exc
    row = con.execute("SELECT count(*) FROM _raw_lines").fetchone()
    return int(row[0]) if row else 0


def _rejected_lines(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[int | None, str, str]]:
    """DuckDB's reject records, one quarantine row per rejected line."""
    rows = con.execute(
        f"SELECT line, any_value(csv_line), string_agg(DISTINCT error_type, ', ' ORDER BY error_type) "
        f"FROM {table} GROUP BY line ORDER BY line"
    ).fetchall()
    return [(int(n), str(raw or ""), f"unreadable log line ({str(errors).lower()})") for n, raw, errors in rows]


_PARSE_SQL = """
CREATE TEMP TABLE _parsed AS
WITH split AS (
    SELECT *,
        try_strptime(ts_day || ' ' || ts_zone, '[%d/%b/%Y:%H:%M:%S %z]') AS tstz,
        regexp_extract(request, '^([A-Za-z]+) (\\S+)(?: (\\S+))?$', ['method', 'target', 'protocol']) AS req
    FROM _raw_lines
)
SELECT
    row_number() OVER () AS seq,
    ip AS ip_raw,
    CAST(timezone('UTC', tstz) AS TIMESTAMP) AS ts,
    upper(nullif(req.method, '')) AS method,
    nullif(req.target, '') AS url,
    nullif(req.protocol, '') AS protocol,
    TRY_CAST(status AS INTEGER) AS status,
    TRY_CAST(nullif(bytes, '-') AS BIGINT) AS bytes,
    {referrer} AS referrer,
    {user_agent} AS user_agent,
    CASE
        WHEN tstz IS NULL THEN 'timestamp does not parse: ' || coalesce(ts_day || ' ' || ts_zone, '')
        WHEN tstz < TIMESTAMPTZ '{earliest}' OR tstz > current_timestamp + INTERVAL {ahead} DAY
            THEN 'timestamp out of range: ' || ts_day || ' ' || ts_zone
        WHEN TRY_CAST(status AS INTEGER) IS NULL OR TRY_CAST(status AS INTEGER) NOT BETWEEN 100 AND 599
            THEN 'status is not an HTTP status: ' || coalesce(status, '')
        WHEN req.target = '' THEN 'request is not METHOD TARGET PROTOCOL'
        ELSE NULL
    END AS problem,
    concat_ws(' ', ip, ident, authuser, ts_day, ts_zone, '"' || request || '"', status, bytes
        {raw_tail}) AS raw
FROM split
"""


def _parse(con: duckdb.DuckDBPyConnection, fmt: LogFormat) -> None:
    has_ref = "referrer" in fmt.columns
    con.execute("DROP TABLE IF EXISTS _parsed")
    con.execute(
        _PARSE_SQL.format(
            referrer="nullif(nullif(referrer, '-'), '')" if has_ref else "CAST(NULL AS VARCHAR)",
            user_agent="nullif(nullif(user_agent, '-'), '')" if has_ref else "CAST(NULL AS VARCHAR)",
            earliest=_EARLIEST,
            ahead=_LATEST_DAYS_AHEAD,
            raw_tail=", '\"' || referrer || '\"', '\"' || user_agent || '\"'" if has_ref else "",
        )
    )


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
FROM _parsed WHERE problem IS NULL
"""

# Matomo-style masking: keep the network, drop the host part, so that no raw address is ever written.
_MASKED_IP_SQL = (
    "CASE WHEN regexp_matches(ip_raw, '^\\d+\\.\\d+\\.\\d+\\.\\d+$') "
    "THEN regexp_replace(ip_raw, '^(\\d+\\.\\d+)\\.\\d+\\.\\d+$', '\\1.0.0') "
    "WHEN contains(ip_raw, ':') "
    "THEN array_to_string(list_slice(string_split(ip_raw, ':'), 1, 3), ':') || '::' ELSE NULL END"
)


def infer_site_host(con: duckdb.DuckDBPyConnection) -> str | None:
    """Guess the site's own host: on any real site, its own pages are the most common referrer."""
    row = con.execute(
        "SELECT lower(regexp_extract(referrer, '^https?://([^/:?#]+)', 1)) AS host, count(*) AS n "
        "FROM _parsed WHERE problem IS NULL AND referrer IS NOT NULL AND host <> '' "
        "GROUP BY host ORDER BY n DESC, host LIMIT 1"
    ).fetchone()
    return str(row[0]) if row else None


def import_access_log(
    warehouse: Warehouse,
    path: Path,
    *,
    log_format: str = "auto",
    site_hosts: Sequence[str] = (),
    keep_ip: bool = False,
) -> ImportResult:
    """Import one access log file; a no-op when the same bytes were imported before.

    ``site_hosts`` are the site's own hosts (self-referrals are internal traffic). When empty, the warehouse's
    configured sites are used, and when there are none the host is inferred from the log and recorded.
    """
    check_readable(path)
    fmt = detect_format(path) if log_format == "auto" else _named_format(log_format)
    options = {"format": fmt.name, "keep_ip": keep_ip}
    with warehouse.importing("logs", path, options) as ctx:
        if ctx is None:
            return warehouse.last_import
        con = ctx.con
        with tempfile.TemporaryDirectory(prefix="socialseo-") as workdir:
            source, compression, cut = _split_off_cut_lines(con, path, compression_of(path), Path(workdir))
            line_rejects = _rejected_lines(con, "_line_rejects_errors")
            accepted = _load_raw(con, fmt, source, compression)
        csv_rejects = _rejected_lines(con, "_log_rejects_errors")
        if source != path:
            # Line numbers in the cleaned copy are shifted by the lines taken out of it.
            csv_rejects = [(None, raw, reason) for _, raw, reason in csv_rejects]
        # A line the line reader rejected (bad encoding) is rejected by the CSV reader too: count it once.
        seen = {n for n, _, _ in line_rejects}
        csv_rejects = [r for r in csv_rejects if r[0] is None or r[0] not in seen]
        bad = sorted([*cut, *line_rejects, *csv_rejects], key=lambda r: (r[0] is None, r[0] or 0))
        ctx.quarantine_rows(bad)
        _parse(con, fmt)
        ctx.quarantine_from(
            "SELECT NULL AS line_no, raw, problem AS reason FROM _parsed WHERE problem IS NOT NULL"
        )
        hosts = list(site_hosts) or warehouse.site_hosts()
        if not hosts:
            guessed = infer_site_host(con)
            if guessed:
                hosts = [guessed]
                ctx.result.notes.append(f"site host inferred as {guessed} (set it with --site)")
        for host in hosts:
            warehouse.add_site(host)
        attribute_relation(con, "_parsed", hosts)
        ip_expr = "ip_raw" if keep_ip else _MASKED_IP_SQL
        con.execute(
            _INSERT_HITS_SQL.format(ip_expr=ip_expr, pageview=pageview_sql()),
            [ctx.import_id, warehouse.ip_salt()],
        )
        loaded = con.execute("SELECT count(*) FROM hits WHERE import_id = ?", [ctx.import_id]).fetchone()
        ctx.result.rows_loaded = int(loaded[0]) if loaded else 0
        ctx.result.rows_read = accepted + len(bad)
        for table in ("_raw_lines", "_parsed", "_log_rejects_errors", "_log_rejects_scans",
                      "_line_rejects_errors", "_line_rejects_scans"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return warehouse.last_import


def import_access_logs(
    warehouse: Warehouse,
    paths: Sequence[Path],
    *,
    log_format: str = "auto",
    site_hosts: Sequence[str] = (),
    keep_ip: bool = False,
    on_file_done: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Import several logs; every file is checked before the first is imported, so a typo costs nothing."""
    for path in paths:
        check_readable(path)
    results = []
    for path in paths:
        result = import_access_log(
            warehouse, path, log_format=log_format, site_hosts=site_hosts, keep_ip=keep_ip
        )
        results.append(result)
        if on_file_done:
            on_file_done(result)
    return results


def _named_format(name: str) -> LogFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise FormatNotRecognisedError(
            f"unknown log format {name!r}; choose one of: auto, {', '.join(FORMATS)}"
        ) from None
