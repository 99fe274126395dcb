"""Split the lines of Apache/Nginx-style logs by their quotes, with Polars, for the fastest import.

In ``combined`` and every layout like it (``common``, most Nginx ``log_format`` strings) the double quotes
delimit the free-text fields and nothing else: a well-formed line has exactly two quotes per quoted field.
So each line is split at its quotes (``str.splitn``), the short unquoted stretches between them on spaces,
and the timestamp parsed, all as Polars column operations over the whole block. The split also shows, per
line, what a CSV reader would have to guess at: a line with too few quotes was cut off inside a quoted field;
one with extra quotes carries ``\\"`` escapes. Those rare lines are split one by one by the exact regular
expression (:func:`socialseo.ingest.logs.general_reader.regex_fields`), so no line is read wrongly.

Each block is read as one column of lines (the separator is a byte the block does not hold), so every
physical line is one row: row ``i`` of the block is line ``first_line + i``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from socialseo.ingest.logs.blocks import index_lines, invalid_utf8_lines
from socialseo.ingest.logs.formats import TS_CLF, TS_CLF_BARE, LogFormat
from socialseo.ingest.logs.general_reader import CUT_OFF, recode_lines, regex_fields

_TS_FORMATS = (TS_CLF, TS_CLF_BARE)
_SEPARATORS = (b"\x00", b"\x01", b"\x02", b"\x1e", b"\x1f")
_ESCAPE = re.compile(r"\\.")

CANONICAL = ("line_no", "ip", "ts", "request", "status", "status_text", "bytes", "referrer", "user_agent")
"""The columns :class:`socialseo.ingest.logs.hit_encoder.HitEncoder` reads."""


def splits_by_quotes(fmt: LogFormat) -> bool:
    """Whether ``fmt`` can take this path: quoted free text, a request line and a CLF timestamp."""
    return (
        bool(fmt.quoted) and not fmt.is_json and fmt.separator == " " and fmt.ts_sql in _TS_FORMATS
        and "request" in fmt.columns and {"ts_day", "ts_zone"} <= set(fmt.columns)
    )


@dataclass
class QuotedSplit:
    """One block: canonical columns of the lines that split, lines set aside, counts for the notes."""

    frame: pl.DataFrame
    n_lines: int
    lines_read: int
    line_text: Callable[[int], str]
    quarantined: list[tuple[int | None, str, str]] = field(default_factory=list)
    recoded_lines: int = 0


def _segments(fmt: LogFormat) -> list[tuple[str, ...] | str]:
    """The layout as alternating unquoted runs of columns (tuples) and quoted columns (strings)."""
    segments: list[tuple[str, ...] | str] = []
    run: list[str] = []
    for column in fmt.columns:
        if column in fmt.quoted:
            segments += [tuple(run), column]
            run = []
        else:
            run.append(column)
    segments.append(tuple(run))
    return segments


def split_by_quotes(data: bytes, fmt: LogFormat, first_line: int) -> QuotedSplit | None:
    """Canonical columns of every line of ``data`` (whole lines); None when the block needs the general path."""
    separator = next((s for s in _SEPARATORS if s not in data), None)
    if separator is None:
        return None
    recoded = 0
    try:
        lines = _read_lines(data, separator)
    except pl.exceptions.ComputeError:
        block = index_lines(data, first_line)
        bad = invalid_utf8_lines(block)
        if not bad:
            return None
        recoded = len(bad)
        lines = _read_lines(recode_lines(block, bad), separator)
    text = lines.get_column("line")

    def line_text(line_no: int) -> str:
        return str(text[line_no - first_line]).rstrip("\r")

    segments = _segments(fmt)
    last = f"field_{len(segments) - 1}"
    line = pl.col("line").str.strip_chars_end("\r") if b"\r" in data else pl.col("line")
    parts = (
        lines.lazy()
        .select(pl.int_range(first_line, first_line + pl.len(), dtype=pl.Int64).alias("line_no"), line.alias("line"))
        .filter(pl.col("line") != "")
        .with_columns(pl.col("line").str.splitn('"', len(segments)).alias("parts"))
        .unnest("parts")
        .with_columns((pl.col(last).is_not_null() & ~pl.col(last).str.contains('"', literal=True)).alias("_regular"))
    )
    regular = parts.filter(pl.col("_regular"))
    frame, irregular, read = pl.collect_all([
        canonical(_columns_of(regular, segments), fmt),
        parts.filter(~pl.col("_regular")).select("line_no", "line"),
        parts.select(pl.len()),
    ])
    out = QuotedSplit(frame=frame, n_lines=lines.height, lines_read=int(read.item()), line_text=line_text,
                      recoded_lines=recoded)
    if irregular.height:
        extra = canonical(_irregular(irregular, fmt, out).lazy(), fmt).collect()
        out.frame = pl.concat([frame, extra], how="vertical_relaxed")
    return out


def _read_lines(data: bytes, separator: bytes) -> pl.DataFrame:
    return pl.read_csv(
        data, has_header=False, separator=separator.decode(), quote_char=None, schema={"line": pl.String},
        truncate_ragged_lines=True, empty_string_is_null=False, encoding="utf8",
    )


def _columns_of(parts: pl.LazyFrame, segments: list[tuple[str, ...] | str]) -> pl.LazyFrame:
    """The layout's columns from the quote-split parts: quoted ones as they are, runs split on single spaces.

    A run after a quoted field starts with the space that follows the quote, and the first run starts the line.
    """
    exprs: list[pl.Expr] = [pl.col("line_no")]
    for k, segment in enumerate(segments):
        part = pl.col(f"field_{k}")
        if isinstance(segment, str):
            exprs.append(part.alias(segment))
        elif segment:
            lead = 0 if k == 0 else 1
            fields = part.str.splitn(" ", lead + len(segment) + 1)
            exprs += [fields.struct.field(f"field_{lead + i}").alias(name) for i, name in enumerate(segment)]
    return parts.select(exprs)


def _irregular(lines: pl.DataFrame, fmt: LogFormat, out: QuotedSplit) -> pl.DataFrame:
    """Lines with too few or too many quotes: cut off (an odd count of unescaped quotes), or split exactly."""
    kept_nos: list[int] = []
    kept: list[str] = []
    for line_no, line in lines.iter_rows():
        if _ESCAPE.sub("", line).count('"') % 2:
            out.quarantined.append((line_no, line, CUT_OFF))
        else:
            kept_nos.append(line_no)
            kept.append(line)
    table = pl.from_arrow(regex_fields(kept, fmt))
    assert isinstance(table, pl.DataFrame)
    return table.with_columns(pl.Series("line_no", kept_nos, dtype=pl.Int64))


def canonical(columns: pl.LazyFrame, fmt: LogFormat) -> pl.LazyFrame:
    """The canonical columns from a CLF-like layout's fields (see :data:`CANONICAL`).

    The local time parses without its zone (Polars' fast path), and the ``+hhmm`` offset is applied as numbers:
    a zone that is not five characters of sign and digits leaves the time NULL.
    """
    names = columns.collect_schema().names()

    def text(name: str) -> pl.Expr:
        return pl.col(name) if name in names else pl.lit(None, dtype=pl.String)

    bracketed = fmt.ts_sql == TS_CLF
    zone = text("ts_zone")
    if bracketed:
        zone = pl.when(zone.str.ends_with("]")).then(zone.str.slice(0, 5))
    sign = pl.when(zone.str.starts_with("-")).then(-1).when(zone.str.starts_with("+")).then(1)
    hours = zone.str.slice(1, 2).cast(pl.Int64, strict=False)
    minutes = zone.str.slice(3, 2).cast(pl.Int64, strict=False)
    offset = pl.when(zone.str.len_bytes() == 5).then(sign * (hours * 60 + minutes))
    local = text("ts_day").str.strptime(pl.Datetime("us"), "[%d/%b/%Y:%H:%M:%S" if bracketed else "%d/%b/%Y:%H:%M:%S",
                                        strict=False)
    return columns.select(
        pl.col("line_no"),
        text("ip").alias("ip"),
        (local - pl.duration(minutes=offset)).alias("ts"),
        text("request").alias("request"),
        text("status").cast(pl.Int64, strict=False).alias("status"),
        text("status").alias("status_text"),
        text("bytes").cast(pl.Int64, strict=False).alias("bytes"),
        text("referrer").alias("referrer"),
        text("user_agent").alias("user_agent"),
    )
