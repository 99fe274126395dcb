"""Import Search Console performance data into ``search_performance`` (and period totals).

Every shape (see :mod:`socialseo.ingest.search_console.layouts`) is first staged as text in one temporary table, then
checked
and typed by one SQL statement, so big API and bulk exports never pass through a Python loop; only the small
web-export sheets, whose numbers are written for people (``3.4%``, ``1,234``), go through the Python parsers.
Search Console's meanings are kept: dates stay Search Console's own (Pacific) days, ``position`` is 1-based and
stored with ``position_sum`` (position x impressions) so that any aggregate is impression-weighted, and rows say
whether they aggregate by page or by property. A re-import of an overlapping export replaces the rows of the
days it covers (for the same property, dimensions and search type) instead of adding to them.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from socialseo.classify.urls import normalize_url
from socialseo.errors import FormatNotRecognisedError, InputFileError
from socialseo.ingest._files import binary_kind, check_nonempty, compression_of, head_lines, read_whole, utf8_copy
from socialseo.ingest._sheets import decode, read_csv_text
from socialseo.ingest.limits import shown
from socialseo.ingest.search_console.layouts import API_DIMENSIONS, Layout, detect_layout, explain_unknown
from socialseo.ingest.search_console.web_export import stage_ui_sheets
from socialseo.ingest.zips import checked_members, open_zip, read_member
from socialseo.store.frames import register_frame
from socialseo.store.warehouse import ImportContext, ImportResult, Warehouse, file_sha256

STAGE_COLUMNS = (
    "line_no", "date", "page", "query", "country", "device", "clicks", "impressions", "position",
    "sum_position", "search_type", "property", "is_anonymized",
)
_STAGE_DDL = "CREATE OR REPLACE TEMP TABLE _gsc_stage (" + ", ".join(
    f"{c} {'BIGINT' if c == 'line_no' else 'VARCHAR'}" for c in STAGE_COLUMNS
) + ")"


def import_search_console(
    warehouse: Warehouse,
    paths: Sequence[Path],
    *,
    dimensions: Sequence[str] | None = None,
    search_type: str = "web",
    period_start: date | None = None,
    period_end: date | None = None,
    on_file_done: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Import Search Console exports (CSV, zip of web-export sheets, API JSON, bulk-export CSV/JSON lines/Parquet).

    ``period_start``/``period_end`` give the days a web export's period totals cover when its Filters sheet cannot
    (``Last 3 months``); for a file imported before, they set the days of its totals instead of importing it again.
    """
    if period_start and period_end and period_start > period_end:
        raise InputFileError(f"--period-start {period_start} is after --period-end {period_end}")
    for path in paths:
        _check_input(path)
    period = (period_start, period_end)
    options = {"dimensions": list(dimensions or []), "search_type": search_type,
               "period": [str(d) if d else None for d in period]}

    def load(ctx: ImportContext) -> None:
        _import_one(ctx, ctx.path, list(dimensions or []), search_type, period)

    def done(result: ImportResult) -> None:
        if result.skipped and (period_start or period_end):
            set_period(warehouse, Path(result.path), period, result)
        if on_file_done:
            on_file_done(result)

    return warehouse.import_files("gsc", paths, load, options=options, on_file_done=done)


def _check_input(path: Path) -> None:
    """Refuse, before anything is written, an empty file and binary data that is neither a zip nor compressed."""
    check_nonempty(path)
    with path.open("rb") as handle:
        head = handle.read(4096)
    kind = binary_kind(head)
    parquet = head.startswith(b"PAR1")
    if kind is not None and not parquet and compression_of(path) == "none" and not zipfile.is_zipfile(path):
        raise InputFileError(f"{path}: {kind}, not a Search Console export (starts {shown(head)})")


def set_period(
    warehouse: Warehouse, path: Path, period: tuple[date | None, date | None], result: ImportResult
) -> None:
    """Set the days of the period totals an earlier import of the same bytes stored."""
    sha = file_sha256(path)
    with warehouse.transaction() as con:
        ids = [r[0] for r in con.execute(
            "SELECT import_id FROM imports WHERE kind = 'gsc' AND sha256 = ?", [sha]).fetchall()]
        row = con.execute(
            "SELECT count(*) FROM search_period_totals WHERE list_contains(?, import_id)", [ids]).fetchone()
        changed = int(row[0]) if row else 0
        con.execute(
            "UPDATE search_period_totals SET date_from = coalesce(?, date_from), date_to = coalesce(?, date_to) "
            "WHERE list_contains(?, import_id)",
            [period[0], period[1], ids],
        )
    result.notes.append(
        f"period of its {changed} period totals set to {period[0] or '(unchanged)'} to {period[1] or '(unchanged)'}"
        if changed else "it holds no period totals: --period-start/--period-end changed nothing"
    )


def _import_one(
    ctx: ImportContext, path: Path, dimensions: list[str], search_type: str,
    period: tuple[date | None, date | None] = (None, None),
) -> None:
    ctx.con.execute(_STAGE_DDL)
    if _is_parquet(path):
        layout = _stage_parquet(ctx, path, search_type)
        _finish(ctx, layout, "bulk_export" if layout.kind.startswith("bulk") else "api", search_type)
        return
    if zipfile.is_zipfile(path):
        meta = stage_ui_sheets(ctx, _zip_sheets(path), search_type, period)
        _finish(ctx, Layout("ui", (), "date"), meta["source"], search_type)
        return
    head = head_lines(path, n=3)
    if not head:
        raise InputFileError(f"{path}: file is empty")
    first = head[0].lstrip("\ufeff").lstrip()
    if first.startswith(("{", "[")):
        layout = _stage_json(ctx, path, dimensions, search_type)
    else:
        header_sheet = read_csv_text(head[0], path.name)
        if not header_sheet.rows:
            raise InputFileError(f"{path}: the header row cannot be read ({header_sheet.rejected[0][2]})")
        header = [str(c) for c in header_sheet.rows[0]]
        layout_or_none = detect_layout(header)
        if layout_or_none is None:
            raise FormatNotRecognisedError(f"{path}: {explain_unknown(header)}")
        layout = layout_or_none
        if layout.kind == "ui":  # a single web-export sheet: small, written for people
            sheet = read_csv_text(decode(read_whole(path), path), path.name)
            stage_ui_sheets(ctx, {path.name: sheet}, search_type, period)
        else:
            _stage_csv(ctx, path, layout, search_type)
    source = {"ui": "ui_export", "api": "api"}.get(layout.kind, "bulk_export")
    _finish(ctx, layout, source, search_type)


def _zip_sheets(path: Path) -> dict[str, Any]:
    """The CSV sheets of a web-export zip, read within the limits (names, member count and sizes checked first)."""
    sheets = {}
    with open_zip(path) as archive:
        for info in checked_members(archive, path):
            if info.filename.lower().endswith(".csv"):
                data = read_member(archive, info, path, "max_whole_file_bytes")
                sheets[info.filename] = read_csv_text(decode(data, path), info.filename)
    if not sheets:
        raise FormatNotRecognisedError(f"{path}: a zip without CSV sheets is not a Search Console web export")
    return sheets


def _stage_csv(ctx: ImportContext, path: Path, layout: Layout, search_type: str) -> None:
    # DuckDB reads UTF-8 only: an export saved in another encoding (Latin-1 from a spreadsheet) is transcoded.
    with tempfile.TemporaryDirectory() as tmp:
        readable = utf8_copy(path, Path(tmp)) if compression_of(path) == "none" else path
        quoted = str(readable).replace("'", "''")
        try:
            ctx.con.execute(
                f"CREATE OR REPLACE TEMP TABLE _gsc_raw AS SELECT * FROM read_csv('{quoted}', all_varchar=true, "
                "header=true, auto_detect=true, normalize_names=false, strict_mode=false)"
            )
        except duckdb.Error as exc:
            raise InputFileError(f"{path}: not a readable CSV file ({shown(str(exc).splitlines()[0], 160)})") from exc
    _stage_table(ctx, layout, search_type)


def _is_parquet(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PAR1"


def _stage_parquet(ctx: ImportContext, path: Path, search_type: str) -> Layout:
    """A bulk-export table (or API rows) exported as Parquet (``bq extract --destination_format PARQUET``), read
    by DuckDB in row groups; its rows are numbered from 1."""
    try:
        ctx.con.execute("CREATE OR REPLACE TEMP TABLE _gsc_raw AS SELECT * FROM read_parquet(?)", [str(path)])
    except duckdb.Error as exc:
        raise InputFileError(f"{path}: not a readable Parquet file ({shown(str(exc).splitlines()[0], 160)})") from exc
    layout = _staged_layout(ctx, path)
    _stage_table(ctx, layout, search_type, first_line=1)
    return layout


def _raw_columns(ctx: ImportContext) -> list[str]:
    return [str(r[0]) for r in ctx.con.execute("DESCRIBE _gsc_raw").fetchall()]


def _stage_json(ctx: ImportContext, path: Path, dimensions: list[str], search_type: str) -> Layout:
    """API responses (``{"rows": [{"keys": [...], ...}]}``, with the request's dimensions) or named rows."""
    if _stage_json_lines(ctx, path):
        layout = _staged_layout(ctx, path)
        _stage_table(ctx, layout, search_type, first_line=1)
        return layout
    text = decode(read_whole(path), path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        # newline-delimited JSON: the bulk export as `bq extract` writes it
        try:
            frame = pd.read_json(io.StringIO(text), lines=True, dtype=False)
        except ValueError as exc:
            raise InputFileError(f"{path}: not valid JSON ({str(exc)[:80]})") from exc
        return _stage_frame(ctx, path, frame, search_type)
    rows = data.get("rows", []) if isinstance(data, dict) else data
    if isinstance(data, dict):
        request: dict[str, Any] = data["request"] if isinstance(data.get("request"), dict) else data
        dimensions = dimensions or [str(d) for d in request.get("dimensions", [])]
        search_type = str(request.get("type", request.get("searchType", search_type)))
    if not isinstance(rows, list):
        raise InputFileError(f"{path}: expected a list of rows or an object with 'rows'")
    if rows and isinstance(rows[0], dict) and "keys" in rows[0]:
        if not dimensions:
            raise InputFileError(
                f"{path}: API rows carry positional 'keys' but the file does not say which dimensions they are; "
                "pass --dimensions date,page,... in the order of the request"
            )
        bad = [d for d in dimensions if d.lower() not in API_DIMENSIONS]
        if bad:
            raise InputFileError(f"--dimensions: unknown {bad}; use {', '.join(API_DIMENSIONS)}")
        flat = [{**dict(zip(dimensions, r.get("keys", []), strict=False)), **r} for r in rows]
        frame = pd.DataFrame(flat).drop(columns=["keys"], errors="ignore")
    else:
        frame = pd.DataFrame(rows)
    return _stage_frame(ctx, path, frame, search_type)


def _stage_json_lines(ctx: ImportContext, path: Path) -> bool:
    """Stage newline-delimited JSON (the bulk export as ``bq extract`` writes it) with DuckDB's reader, which
    is several times faster than building a DataFrame; False when the file is not that, or not UTF-8."""
    head = head_lines(path, n=1)
    try:
        first = json.loads(head[0].lstrip("\ufeff")) if head else None
    except json.JSONDecodeError:
        return False
    if not isinstance(first, dict) or "rows" in first:
        return False
    try:
        ctx.con.execute(
            "CREATE OR REPLACE TEMP TABLE _gsc_raw AS "
            "SELECT * FROM read_json(?, format = 'newline_delimited', sample_size = -1)",
            [str(path)],
        )
    except duckdb.Error:
        return False
    return True


def _staged_layout(ctx: ImportContext, path: Path) -> Layout:
    columns = [c.strip().lower() for c in _raw_columns(ctx)]
    layout = detect_layout(columns)
    if layout is None:
        raise FormatNotRecognisedError(f"{path}: {explain_unknown(columns)}")
    return layout


def _stage_frame(ctx: ImportContext, path: Path, frame: pd.DataFrame, search_type: str) -> Layout:
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    layout = detect_layout(list(frame.columns))
    if layout is None:
        raise FormatNotRecognisedError(f"{path}: {explain_unknown(list(frame.columns))}")
    text_frame = frame.astype(object).where(frame.notna(), None).map(lambda v: None if v is None else str(v))
    register_frame(ctx.con, "_gsc_frame", text_frame)
    ctx.con.execute("CREATE OR REPLACE TEMP TABLE _gsc_raw AS SELECT * FROM _gsc_frame")
    ctx.con.unregister("_gsc_frame")
    _stage_table(ctx, layout, search_type)
    return layout


def _stage_table(ctx: ImportContext, layout: Layout, search_type: str, first_line: int = 2) -> None:
    """Stage the text table ``_gsc_raw`` (API or bulk-export columns) into ``_gsc_stage``; its first row is on
    line ``first_line`` of the file (after a CSV header, the second)."""
    cols = {c.strip().lower(): f'"{c}"' for c in _raw_columns(ctx)}

    def col(*names: str) -> str:
        return next((cols[n] for n in names if n in cols), "NULL")

    literal = "'" + search_type.replace("'", "''") + "'"
    if layout.kind == "api":
        exprs = [
            col("date"), col("page"), col("query"), col("country"), col("device"), col("clicks"),
            col("impressions"), col("position"), "NULL", f"coalesce({col('search_type', 'type')}, {literal})",
            col("property", "site_url"), "NULL",
        ]
    else:
        exprs = [
            col("data_date"), col("url") if layout.kind == "bulk_url" else "NULL", f"nullif({col('query')}, '')",
            col("country"), col("device"), col("clicks"), col("impressions"), "NULL",
            col("sum_position") if layout.kind == "bulk_url" else col("sum_top_position"),
            f"coalesce({col('search_type')}, {literal})", col("site_url"), col("is_anonymized_query"),
        ]
    select = ", ".join(f"CAST({e} AS VARCHAR) AS {name}" for e, name in zip(exprs, STAGE_COLUMNS[1:], strict=True))
    # A view, not a copy: the typed table below is the one materialisation of the rows.
    ctx.con.execute("DROP TABLE IF EXISTS _gsc_stage")
    first = ctx.con.execute("SELECT min(rowid) FROM _gsc_raw").fetchall()[0][0] or 0
    ctx.con.execute(
        f"CREATE TEMP VIEW _gsc_stage AS SELECT rowid - {int(first)} + {int(first_line)} AS line_no, {select} "
        "FROM _gsc_raw"
    )


_TYPED = """
CREATE OR REPLACE TEMP TABLE _gsc_typed AS
SELECT *,
    CASE
        WHEN d IS NULL THEN 'date: ' || coalesce('''' || date || '''', 'missing') || ' is not a YYYY-MM-DD day'
        WHEN c IS NULL OR i IS NULL THEN 'clicks/impressions: not numbers (' || coalesce(clicks, '') || ', '
                                         || coalesce(impressions, '') || ')'
        WHEN c < 0 OR i < 0 THEN 'clicks/impressions: negative'
        WHEN c <> floor(c) OR i <> floor(i) THEN 'clicks/impressions: not whole numbers'
        WHEN c > i THEN 'more clicks than impressions'
        WHEN i > 0 AND psum IS NULL THEN 'position: missing or not a number'
        WHEN i > 0 AND psum / i < 1 THEN 'position: below 1'
    END AS reason
FROM (
    SELECT *, TRY_CAST(date AS DATE) AS d, TRY_CAST(clicks AS DOUBLE) AS c, TRY_CAST(impressions AS DOUBLE) AS i,
        CASE WHEN sum_position IS NOT NULL
             THEN TRY_CAST(sum_position AS DOUBLE) + TRY_CAST(impressions AS DOUBLE)  -- zero-based sum
             ELSE TRY_CAST(position AS DOUBLE) * TRY_CAST(impressions AS DOUBLE) END AS psum
    FROM _gsc_stage
)
"""


def _finish(ctx: ImportContext, layout: Layout, source: str, search_type: str) -> None:
    con = ctx.con
    con.execute(_TYPED)
    raw = "concat_ws(',', date, page, query, country, device, clicks, impressions, position, sum_position)"
    ctx.quarantine_from(f"SELECT line_no, {raw} AS raw, reason FROM _gsc_typed WHERE reason IS NOT NULL")
    names = ("date", "page", "query", "country", "device")
    present = con.execute(f"SELECT {', '.join(f'count({d})' for d in names)} FROM _gsc_typed").fetchall()[0]
    dims_present = [
        d for d, n in zip(names, present, strict=True) if n or (d == "query" and layout.kind == "bulk_url")
    ]
    dims = ",".join(dims_present)
    aggregation = "page" if "page" in dims_present else "property"
    pages = [str(r[0]) for r in con.execute("SELECT DISTINCT page FROM _gsc_typed WHERE page IS NOT NULL").fetchall()]
    page_urls = pd.DataFrame({"page": pages, "page_url": [_normalise(p) for p in pages]})
    register_frame(con, "_gsc_pages", page_urls)
    con.execute(
        "DELETE FROM search_performance WHERE aggregation = ? AND dims = ? AND search_type IN "
        "(SELECT DISTINCT lower(coalesce(search_type, ?)) FROM _gsc_typed WHERE reason IS NULL) "
        "AND coalesce(property, '') IN (SELECT DISTINCT coalesce(property, '') FROM _gsc_typed WHERE reason IS NULL) "
        "AND date IN (SELECT DISTINCT d FROM _gsc_typed WHERE reason IS NULL)",
        [aggregation, dims, search_type],
    )
    con.execute(
        "INSERT INTO search_performance (date, page, query, country, device, clicks, impressions, position, "
        "import_id, aggregation, source, dims, search_type, property, page_url, position_sum, is_anonymized) "
        "SELECT t.d, t.page, t.query, lower(t.country), upper(t.device), CAST(t.c AS BIGINT), CAST(t.i AS BIGINT), "
        "CASE WHEN t.i > 0 THEN t.psum / t.i END, ?, ?, ?, ?, lower(coalesce(t.search_type, ?)), t.property, "
        "p.page_url, "
        "coalesce(t.psum, 0), TRY_CAST(t.is_anonymized AS BOOLEAN) "
        "FROM _gsc_typed t LEFT JOIN _gsc_pages p ON p.page = t.page WHERE t.reason IS NULL",
        [ctx.import_id, aggregation, source, dims, search_type],
    )
    con.unregister("_gsc_pages")
    counts = con.execute("SELECT count(*), count(*) FILTER (WHERE reason IS NULL) FROM _gsc_typed").fetchone()
    assert counts is not None
    ctx.result.rows_read += int(counts[0])
    ctx.result.rows_loaded += int(counts[1])
    if counts[0]:
        ctx.result.notes.append(f"{aggregation}-level rows by {dims} ({source})")
    if "query" in dims_present and aggregation == "page":
        ctx.result.notes.append(
            "rows by query leave out the queries Search Console anonymises: their sums can undercount page totals"
        )
    con.execute("DROP TABLE _gsc_typed")
    kinds = dict(con.execute(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_name IN ('_gsc_stage', '_gsc_raw')"
    ).fetchall())
    for name, kind in kinds.items():
        con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} {name}")


def _normalise(page: str) -> str | None:
    try:
        return normalize_url(page)
    except ValueError:
        return None
