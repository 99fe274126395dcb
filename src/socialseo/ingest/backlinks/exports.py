"""Backlink exports (Ahrefs, Semrush, Moz, Majestic, Search Console, generic CSV) into the ``backlinks`` inventory.

The layout is recognised from the header (or forced, or completed with ``--map``) by
:mod:`socialseo.ingest.backlinks.layouts`, which refuses a reading that would drop a column. DuckDB reads the
file (``all_varchar``, its own dialect sniffing) and keeps rows it cannot split in its reject table, from where they
go to the quarantine with their line numbers; rows without a usable source or target URL are quarantined too.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from socialseo.errors import InputFileError
from socialseo.ingest._files import check_text, utf8_copy
from socialseo.ingest._sheets import guess_delimiter
from socialseo.ingest.backlinks.layouts import Layout, detect_layout, export_formats
from socialseo.ingest.backlinks.long_lines import masked_copy
from socialseo.ingest.backlinks.store import merge_links
from socialseo.ingest.limits import current
from socialseo.store.warehouse import ImportContext, ImportResult, Warehouse

_TRUE = "('true', 'yes', 'y', '1', 'x', '+', 'nofollow')"  # Majestic writes flags as + and -




_PREAMBLE_LINES = 20
"""How far down a file its header row is looked for: some exports put a title and a date above it."""


def _parse_header(line: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(line), delimiter=guess_delimiter(line)), [])
    except csv.Error:
        return []  # a line the csv module cannot read is no header row


def _first_lines(path: Path, n: int) -> list[str]:
    """The first ``n`` lines, each read no further than the field limit (a longer line is no header row)."""
    limit = current().max_field_bytes
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        lines = []
        for _ in range(n):
            line = handle.readline(limit)
            if len(line) == limit and not line.endswith("\n"):
                while (more := handle.readline(limit)) and not more.endswith("\n"):
                    pass
                line = "\n"
            lines.append(line)
    return lines


def _header(path: Path, mapped: Sequence[str] = ()) -> tuple[int, list[str]]:
    """The header row and the number of lines above it: the first of the file's first lines that a known export
    format fits, or that holds every ``--map`` column (older Moz exports start with a title and a date), else the
    first line."""
    lines = _first_lines(path, _PREAMBLE_LINES)
    if not any(line.strip() for line in lines):
        raise InputFileError(f"{path}: empty file, no header row")
    wanted = {c.strip().lower() for c in mapped}
    for skip, line in enumerate(lines):
        if not line.strip():
            continue
        cells = _parse_header(line)
        if any(fmt.resolve(cells) is not None for fmt in export_formats()):
            return skip, cells
        if wanted and wanted <= {c.strip().lower() for c in cells}:
            return skip, cells
    return 0, _parse_header(lines[0])


def _delimiter(line: str) -> str:
    return max(",;\t", key=line.count)


def _col(mapping: dict[str, str], name: str) -> str:
    return '"' + mapping[name].replace('"', '""') + '"' if name in mapping else "NULL"


def _date_sql(mapping: dict[str, str], name: str) -> str:
    """ISO dates and timestamps, and the English month-name form Search Console writes ("Sep 15, 2026")."""
    col = _col(mapping, name)
    return (f"coalesce(TRY_CAST({col} AS TIMESTAMP), TRY_CAST(TRY_CAST({col} AS DATE) AS TIMESTAMP), "
            f"try_strptime(trim({col}), '%b %d, %Y'), try_strptime(trim({col}), '%d %b %Y'))")


def _rel_sql(mapping: dict[str, str]) -> str:
    parts = []
    if "rel" in mapping:
        parts.append(f"lower(trim(replace({_col(mapping, 'rel')}, ',', ' ')))")
    for flag in ("nofollow", "ugc", "sponsored"):
        if flag in mapping:
            parts.append(f"CASE WHEN lower(trim({_col(mapping, flag)})) IN {_TRUE} THEN '{flag}' END")
    if not parts:
        return "NULL"
    # "follow"/"dofollow" labels (Moz) are not rel tokens: they mean no restricting rel at all.
    return f"nullif(trim(regexp_replace(concat_ws(' ', {', '.join(parts)}), '\\b(do)?follow\\b', '', 'g')), '')"


def import_backlink_exports(
    warehouse: Warehouse,
    paths: Sequence[Path],
    *,
    target: str | None = None,
    layout: str | None = None,
    column_map: Sequence[str] | None = None,
    on_file_done: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Import each export; ``target`` is the linked page for Search Console's per-page export. ``layout`` forces a
    layout by name; ``column_map`` (``COLUMN=FIELD`` pairs) adds or overrides columns of the detected layout."""
    mapped = [pair.rpartition("=")[0] for pair in column_map or []]
    for path in paths:
        check_text(path, "a backlink export (CSV text)")

    def prepare(path: Path) -> tuple[Path, int, Layout, str | None]:
        """The export as UTF-8, the lines above its header, its layout and target, before its import begins."""
        copies = Path(tmp) / str(len(list(Path(tmp).iterdir())))  # one folder per file: names may repeat
        copies.mkdir()
        readable = utf8_copy(path, copies)
        skip, header = _header(readable, mapped)
        found = detect_layout(header, path, layout=layout, column_map=column_map)
        default_target = target or next(iter(warehouse.site_hosts()), None)
        if "target" not in found.mapping and not default_target:
            raise InputFileError(
                f"{path}: the export names no target page; pass --target URL (or add the site first with --site)"
            )
        return readable, skip, found, default_target

    def load(ctx: ImportContext) -> None:
        readable, skip, found, default_target = ctx.prepared
        ctx.options.update({"format": found.name, "target": default_target, "mapping": found.mapping})
        _load(ctx, readable, skip, found, default_target)
        ctx.result.notes.append(f"format {found.name}")
        if skip:
            ctx.result.notes.append(f"header found on line {skip + 1}; the {skip} line(s) above skipped")

    with tempfile.TemporaryDirectory() as tmp:
        return warehouse.import_files("backlinks", paths, load, prepare=prepare, on_file_done=on_file_done)


def _unique(header: list[str]) -> list[str]:
    """Header names made distinct for the reader (a repeated name gets `` (2)``, `` (3)``…); the first keeps its
    name, so the layout's mapping reads the first of two same-named columns, as the csv module would."""
    seen: dict[str, int] = {}
    names = []
    for number, name in enumerate(header, start=1):
        name = name if name.strip() else f"column {number}"  # a trailing delimiter makes a column with no name
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


def _load(ctx: ImportContext, readable: Path, skip: int, found: Layout, default_target: str | None) -> None:
    con, mapping = ctx.con, found.mapping
    header_line = _first_lines(readable, skip + 1)[-1]
    delimiter = _delimiter(header_line)
    header = _unique(_parse_header(header_line))
    columns = "{" + ", ".join(f"'{h.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for h in header) + "}"
    limit = max(current().max_field_bytes, 4096)
    with tempfile.TemporaryDirectory() as folder:
        source, long = masked_copy(readable, Path(folder), limit, delimiter, len(header))
        try:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _bx_read AS SELECT row_number() OVER () AS data_row, * FROM "
                f"read_csv(?, columns = {columns}, auto_detect = false, header = true, skip = {int(skip)}, delim = ?, "
                f"quote = '\"', escape = '\"', ignore_errors = true, max_line_size = {limit}, "
                "store_rejects = true, rejects_table = '_bx_rejects', rejects_scan = '_bx_scans')",
                [str(source), delimiter],
            )
        except duckdb.InvalidInputException as exc:
            # DuckDB's strict CSV reader gives up on some broken quoting instead of rejecting rows: refuse the file.
            raise InputFileError(
                f"{ctx.result.path}: not a readable CSV file ({str(exc).splitlines()[0][:160]}); check its quoting"
            ) from exc
    rejects = con.execute(
        "SELECT line, left(any_value(csv_line), 300), any_value(error_message) FROM _bx_rejects GROUP BY line "
        "ORDER BY line"
    ).fetchall()
    too_long = f"csv: line size over the limit of {limit:,} bytes (set SOCIALSEO_MAX_FIELD_BYTES to raise it)"
    ctx.quarantine_rows(sorted(
        [(int(line), str(raw), f"csv: {msg.splitlines()[0][:120]}") for line, raw, msg in rejects
         if int(line) not in long.heads]
        + [(line, head, too_long) for line, head in long.heads.items()]
    ))
    # The n-th row read sits on the n-th line that was neither above the data nor rejected.
    first = skip + 2
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _bx AS WITH lines AS ("
        " SELECT row_number() OVER (ORDER BY l) AS data_row, l AS line_no"
        f" FROM range({first}, (SELECT count(*) FROM _bx_read) + (SELECT count(DISTINCT line) FROM _bx_rejects)"
        f" + {first}) t(l)"
        " WHERE l NOT IN (SELECT line FROM _bx_rejects))"
        " SELECT lines.line_no, r.* EXCLUDE (data_row) FROM _bx_read r JOIN lines USING (data_row)"
    )
    target_sql = _col(mapping, "target") if "target" in mapping else "?"
    target_text = default_target or ""
    if target_text and "://" not in target_text:
        target_text = "https://" + target_text + "/"
    params = [] if "target" in mapping else [target_text]
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _bx_rows AS
        SELECT line_no, trim({_col(mapping, 'source')}) AS source_url, trim({target_sql}) AS raw_target,
               {_col(mapping, 'anchor')} AS anchor, {_rel_sql(mapping)} AS rel,
               {_date_sql(mapping, 'first_seen')} AS first_seen,
               {_date_sql(mapping, 'last_seen')} AS last_seen,
               NULL AS link_tag,
               coalesce(nullif(lower(trim({_col(mapping, 'lost')})), '') NOT IN ('false', '0', 'no', 'n'), false)
                   AS lost
        FROM _bx
        """,
        params,
    )
    ctx.quarantine_from(
        "SELECT line_no, concat_ws(',', source_url, raw_target) AS raw, 'no source or target http(s) URL' AS reason "
        "FROM _bx_rows WHERE NOT (regexp_matches(coalesce(source_url, ''), '^https?://') "
        "AND regexp_matches(coalesce(raw_target, ''), '^https?://'))"
    )
    frame = con.execute(
        "SELECT * EXCLUDE (line_no) FROM _bx_rows WHERE regexp_matches(coalesce(source_url, ''), '^https?://') "
        "AND regexp_matches(coalesce(raw_target, ''), '^https?://')"
    ).df()
    read = con.execute("SELECT count(*) FROM _bx").fetchall()[0][0]
    ctx.result.rows_read = int(read) + len(rejects)
    ctx.result.rows_loaded = merge_links(
        con, frame, found_by="export", import_id=ctx.import_id, site_hosts=None, source_tool=found.name
    )
    for name in ("_bx", "_bx_read", "_bx_rows", "_bx_rejects", "_bx_scans"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
