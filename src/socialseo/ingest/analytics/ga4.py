"""Read a Google Analytics 4 "Traffic acquisition" CSV export into ``ga4_traffic``.

For users without server logs: GA4's report (Reports → Acquisition → Traffic acquisition, dimension "Session
source / medium", Share → Download CSV) gives sessions and engagement per source/medium. socialseo gives each
source/medium its own channel and platform with the same rules as for logs — the source/medium are read as
``utm_source``/``utm_medium``, and a source that is a host (``m.facebook.com``, ``t.co``) as a referrer — so
GA4's numbers can be set beside the logs' by platform, which GA4's own channel groups cannot do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import polars as pl

from socialseo.classify.attribution import attribute_source_medium
from socialseo.errors import FormatNotRecognisedError, InputFileError
from socialseo.ingest._files import check_text, read_whole
from socialseo.ingest.limits import current, shown
from socialseo.ingest.logs.blocks import decode_line
from socialseo.store.warehouse import ImportContext, ImportResult, Warehouse

# GA4 column titles (English UI) and what they hold.
_SOURCE_MEDIUM = ("Session source / medium", "First user source / medium", "Source / medium")
_COLUMNS = {
    "Sessions": "sessions",
    "Engaged sessions": "engaged_sessions",
    "Engagement rate": "engagement_rate",
    "Average engagement time per session": "avg_engagement_s",
    "Date": "date",
}
_HEADER_DATE = re.compile(r"^#\s*(Start|End) date:\s*(\d{8})", re.I)
_QUOTED = re.compile(r'"[^"]*"')
_HEADER = re.compile('^"?(?:' + "|".join(re.escape(c) for c in (*_SOURCE_MEDIUM, "Date,")) + ")")


@cache
def classify_source_medium(source: str | None, medium: str | None) -> tuple[str, str | None, str]:
    """Channel, platform and evidence of one GA4 source/medium pair, by the precedence every hit goes through
    (:func:`socialseo.classify.attribution.combine`); only GA4's own "(direct) / (none)" and "host / referral" are
    read here.

    >>> classify_source_medium("m.facebook.com", "referral")
    ('social', 'facebook', 'referrer_host')
    >>> classify_source_medium("(direct)", "(none)")
    ('direct', None, 'none')
    """
    src = (source or "").strip()
    med = (medium or "").strip()
    # GA4's own labels: no source and no medium is its "(direct) / (none)".
    if src in ("(direct)", "(not set)", "") and med in ("(none)", "(not set)", ""):
        return "direct", None, "none"
    # GA4 writes medium "referral" when the source is the referring host: read it as the referrer, as in logs.
    if med == "referral" and "." in src:
        referred = attribute_source_medium(None, None, f"https://{src}/")
        if referred.evidence != "none":
            return referred.channel, referred.platform, referred.evidence
    found = attribute_source_medium(src, med)
    return found.channel, found.platform, found.evidence


def import_ga4_traffic(warehouse: Warehouse, path: Path) -> ImportResult:
    """Import one Traffic acquisition CSV; rows whose numbers do not parse are quarantined with their line."""
    [result] = import_ga4(warehouse, [path])
    return result


def import_ga4(
    warehouse: Warehouse, paths: Sequence[Path], *, on_file_done: Callable[[ImportResult], None] | None = None
) -> list[ImportResult]:
    """Import Traffic acquisition CSVs, one result per file; files imported before (same bytes) are skipped."""
    for path in paths:
        check_text(path, "a GA4 CSV export")
    return warehouse.import_files("ga4", paths, _load, prepare=_read, on_file_done=on_file_done)


def _read(path: Path) -> tuple[pl.DataFrame, dict[str, str]]:
    """One export's rows, each with its source/medium classified, and the report's dates (before the import)."""
    # Blank lines are dropped before decoding, each line keeping its number: two million of them took seconds.
    kept = [(n, line) for n, raw in enumerate(read_whole(path).splitlines(), 1)
            if raw.strip() and (line := decode_line(raw)).strip()]
    dates = {m.group(1).lower(): m.group(2) for _, line in kept if line[:1] == "#" and (m := _HEADER_DATE.match(line))}
    header_at = next((k for k, (_, line) in enumerate(kept) if _HEADER.match(line)), None)
    if header_at is None:
        raise FormatNotRecognisedError(
            f"{path}: not a GA4 Traffic acquisition export (no 'Session source / medium' column); export the "
            "report with that dimension (Share → Download file → CSV)"
        )
    header_no, header = kept[header_at]
    rows = [(n, line) for n, line in kept[header_at + 1 :] if not line.startswith("#")]
    _check_size(path, header, header_no, len(rows))
    body = "\n".join([header, *(line for _, line in rows)])
    try:
        frame = pl.read_csv(body.encode(), infer_schema=False, truncate_ragged_lines=True)
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(f"{path}: not a readable CSV file ({shown(str(exc).splitlines()[0], 160)})") from exc
    sm = next((c for c in _SOURCE_MEDIUM if c in frame.columns), None)
    if sm is None or "Sessions" not in frame.columns:
        raise FormatNotRecognisedError(f"{path}: the export needs 'Session source / medium' and 'Sessions' columns")
    numbers = [n for n, _ in rows]
    frame = frame.with_columns(pl.Series("line_no", numbers[: frame.height], pl.Int64))
    # A row with a cell over the field limit is quarantined whole, its source/medium not classified (URL-decoding
    # a 1 MB source took 3 s and 800 MB), its raw text cut.
    limit = current().max_field_bytes
    too_long = pl.any_horizontal([pl.col(c).str.len_bytes() > limit for c in frame.columns if c != "line_no"])
    frame = frame.with_columns(too_long.fill_null(False).alias("too_long"))
    frame = frame.with_columns(
        pl.when(pl.col("too_long")).then(pl.col(sm).str.slice(0, 200) + "…").otherwise(pl.col(sm)).alias("_raw"),
        pl.when(pl.col("too_long")).then(None).otherwise(pl.col(sm)).alias(sm),
    )
    parts = frame[sm].str.split_exact(" / ", 1)
    frame = frame.with_columns(parts.struct.field("field_0").alias("source"),
                               parts.struct.field("field_1").alias("medium"))
    pairs = frame.select("source", "medium").unique().rows()
    classes = pl.DataFrame(
        [(s, m, *classify_source_medium(s, m)) for s, m in pairs],
        schema={"source": pl.String, "medium": pl.String, "channel": pl.String, "platform": pl.String,
                "evidence": pl.String},
        orient="row",
    )
    frame = frame.join(classes, on=["source", "medium"], how="left", nulls_equal=True)
    keep = ["line_no", "source", "medium", "channel", "platform", "evidence", "_raw", "too_long",
            *[c for c in _COLUMNS if c in frame.columns]]
    frame = frame.select(keep).rename({c: _COLUMNS[c] for c in _COLUMNS if c in frame.columns})
    frame = frame.rename({"_raw": "raw"})
    return frame, dates


def _check_size(path: Path, header: str, header_no: int, rows: int) -> None:
    """Refuse a header with more columns than a sheet may have, a header cell over the field limit, or more cells
    than a sheet may hold, before Polars makes a column of each: a 2 MB line of commas made two million columns and
    took 4.6 GB and minutes."""
    limits = current()
    # Quoted sections are taken out first, so a comma inside a quoted title is not a column; an unclosed quote
    # leaves the rest counted, an upper bound.
    columns = _QUOTED.sub("", header).count(",") + 1
    if columns > limits.max_sheet_columns:
        raise limits.exceeded("max_sheet_columns", f"{path}: the header (line {header_no:,}) has {columns:,} columns")
    longest = max(len(c.encode()) for c in header.split(",")) if len(header) > limits.max_field_bytes else 0
    if longest > limits.max_field_bytes:
        raise limits.exceeded("max_field_bytes", f"{path}: the header (line {header_no:,}) has a longer column name")
    if columns * rows > limits.max_sheet_cells:
        raise limits.exceeded("max_sheet_cells", f"{path}: {rows:,} rows of {columns:,} columns")


def _load(ctx: ImportContext) -> None:
    """Store one export's rows, inside its import transaction; numbers that do not parse are quarantined."""
    frame, dates = ctx.prepared
    ctx.options.update({"start": dates.get("start"), "end": dates.get("end")})
    con = ctx.con
    con.execute("SELECT 1").fetchall()
    con.register("_ga4", frame.to_arrow())
    try:
        def num(col: str, typ: str) -> str:
            if col not in frame.columns:
                return f"CAST(NULL AS {typ})"
            return f"TRY_CAST(replace(replace({col}, ',', ''), '%', '') AS {typ})"
        parsed = f"""
            SELECT line_no, raw, too_long, source, medium, channel, platform, evidence,
                {num('sessions', 'DOUBLE')} AS sessions, {num('engaged_sessions', 'DOUBLE')} AS engaged,
                {num('engagement_rate', 'DOUBLE')} AS rate, {num('avg_engagement_s', 'DOUBLE')} AS avg_s,
                {"try_strptime(date, '%Y%m%d')" if 'date' in frame.columns else 'NULL'} AS day
            FROM _ga4
        """
        too_long = (f"a field longer than the limit of {current().max_field_bytes:,} bytes "
                    "(set SOCIALSEO_MAX_FIELD_BYTES to raise it)")
        ctx.quarantine_from("SELECT line_no, raw, ? AS reason FROM _ga4 WHERE too_long", [too_long])
        ctx.quarantine_from(f"SELECT line_no, raw, 'sessions is not a number' AS reason FROM ({parsed}) "
                            "WHERE sessions IS NULL AND NOT too_long")
        con.execute(
            f"""INSERT INTO ga4_traffic SELECT ?, line_no, TRY_CAST(strptime(?, '%Y%m%d') AS DATE),
                TRY_CAST(strptime(?, '%Y%m%d') AS DATE), CAST(day AS DATE), source, medium,
                CAST(sessions AS BIGINT), CAST(engaged AS BIGINT), rate, avg_s, channel, platform, evidence
                FROM ({parsed}) WHERE sessions IS NOT NULL AND NOT too_long""",
            [ctx.import_id, dates.get("start"), dates.get("end")],
        )
    finally:
        con.unregister("_ga4")
    ctx.result.rows_read = frame.height
    ctx.result.rows_loaded = frame.height - ctx.result.rows_quarantined
