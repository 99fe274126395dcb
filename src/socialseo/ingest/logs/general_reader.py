"""Split one block of log lines into the fields of its layout, as an Arrow table with each line's number.

Delimited layouts go through Polars' CSV reader (the fastest split measured here, see PERF.md). The few lines
a CSV reader would misread are found first, in bulk, by :mod:`socialseo.ingest.logs.blocks`: lines cut inside a
quote are quarantined; lines with a ``\\\\"`` escape, and any block the CSV reader refuses, are split by a regular
expression instead. JSON layouts are read by DuckDB's JSON functions, one parse per line for all the roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb
import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

from socialseo.ingest.logs.blocks import Block, decode_line, invalid_utf8_lines, quote_counts
from socialseo.ingest.logs.formats import LogFormat

CUT_OFF = "line ends inside a quoted field (cut off)"


@dataclass
class ParsedBlock:
    """The block's fields (all strings) plus ``line_no``; lines set aside; counts for the import's notes."""

    table: pa.Table
    quarantined: list[tuple[int | None, str, str]] = field(default_factory=list)
    recoded_lines: int = 0
    lines_read: int = 0


def parse_block(block: Block, fmt: LogFormat) -> ParsedBlock:
    """Fields of every line of ``block`` that can be split; the others go to ``quarantined`` with a reason."""
    data = block.data
    lengths = block.ends - block.starts
    keep = lengths > 0
    if fmt.comment:
        first = np.frombuffer(data, dtype=np.uint8)[np.minimum(block.starts, len(data) - 1)]
        keep &= ~((first == ord(fmt.comment)) & (lengths > 0))
    out = ParsedBlock(table=pa.table({}), lines_read=int(keep.sum()))

    recoded = invalid_utf8_lines(block)
    out.recoded_lines = len(recoded)
    if recoded:
        data = recode_lines(block, recoded)
        block = _reindex(block, data)

    if not fmt.is_json:
        odd = (quote_counts(block) % 2 == 1) & keep
        for i in np.flatnonzero(odd).tolist():
            out.quarantined.append((block.first_line + i, block.text(i), CUT_OFF))
        keep &= ~odd

    rows = np.flatnonzero(keep)
    line_nos = pa.array(rows + block.first_line, pa.int64())
    if fmt.is_json:
        out.table = _json_fields(block, rows, fmt).append_column("line_no", line_nos)
        return out
    kept = _kept_bytes(block, keep)
    table = _csv_fields(kept, fmt, len(rows))
    if table is None:
        table = regex_fields([block.text(i) for i in rows.tolist()], fmt)
    out.table = table.append_column("line_no", line_nos)
    return out


def recode_lines(block: Block, lines: list[int]) -> bytes:
    """The block with the given lines re-encoded as UTF-8 from their Windows-1252 reading."""
    parts: list[bytes] = []
    pos = 0
    for i in lines:
        start, end = int(block.starts[i]), int(block.ends[i])
        parts += [block.data[pos:start], decode_line(block.data[start:end]).encode("utf-8")]
        pos = end
    parts.append(block.data[pos:])
    return b"".join(parts)


def _reindex(block: Block, data: bytes) -> Block:
    from socialseo.ingest.logs.blocks import index_lines

    return index_lines(data, block.first_line)


def _kept_bytes(block: Block, keep: npt.NDArray[np.bool_]) -> bytes:
    """Only the kept lines, each ending in a newline; \\" escapes become CSV's doubled quotes."""
    if keep.all():
        data = block.data
    else:
        # Dropped lines are few (cut-off and blank ones): copy the runs between them, not byte by byte.
        view = memoryview(block.data)
        dropped = np.flatnonzero(~keep)
        parts, pos = [], 0
        for i in dropped.tolist():
            parts.append(view[pos : int(block.starts[i])])
            pos = int(block.starts[i + 1]) if i + 1 < block.n_lines else len(block.data)
        parts.append(view[pos:])
        data = b"".join(parts)
    return data.replace(b'\\"', b'""') if b'\\"' in data else data


def _csv_fields(data: bytes, fmt: LogFormat, expected_rows: int) -> pa.Table | None:
    """Polars' CSV split; ``None`` when it refuses the block or its rows do not match the lines."""
    if expected_rows == 0:
        return pa.table({c: pa.array([], pa.string()) for c in fmt.columns})
    try:
        frame = pl.read_csv(
            data,
            has_header=False,
            separator=fmt.separator,
            quote_char='"' if fmt.separator == " " else None,
            schema={c: pl.String for c in fmt.columns},
            truncate_ragged_lines=True,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.PolarsError):
        return None
    if frame.height != expected_rows or (b"\\\\" in data and _has_escaped_backslash_quote(data)):
        return None
    return frame.to_arrow()


def _has_escaped_backslash_quote(data: bytes) -> bool:
    # A field ending in an escaped backslash (\\") was split wrongly by the "" rewrite: read such blocks by regex.
    return b'\\\\""' in data


def _field_pattern(fmt: LogFormat) -> re.Pattern[str]:
    if fmt.separator == " ":
        return re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)')
    return re.compile(r"()([^\t]*)")


def regex_fields(lines: list[str], fmt: LogFormat) -> pa.Table:
    """The slow, exact split for blocks the CSV reader cannot take: one regular expression per line."""
    pattern = _field_pattern(fmt)
    n = len(fmt.columns)
    columns: list[list[str | None]] = [[] for _ in range(n)]
    for line in lines:
        if fmt.separator == " ":
            found = [q.replace('\\"', '"') if q or not u else u for q, u in pattern.findall(line)]
        else:
            found = line.split(fmt.separator)
        found = (found + [None] * n)[:n]  # type: ignore[list-item]
        for column, value in zip(columns, found, strict=True):
            column.append(value)
    return pa.table({name: pa.array(values, pa.string()) for name, values in zip(fmt.columns, columns, strict=True)})


def _json_fields(block: Block, rows: npt.NDArray[np.int64], fmt: LogFormat) -> pa.Table:
    """Each role's first JSON path that has a value; lines that are not JSON get no fields at all.

    DuckDB parses each line once and extracts every path of every role from that parse (a list of paths to
    ``json_extract_string``); asking a JSON-path matcher once per path would parse each line a dozen times.
    """
    _lines = pa.table({"line": pa.array([block.text(i) for i in rows.tolist()], pa.string())})
    paths: list[str] = []
    roles: list[str] = []
    for role, role_paths in fmt.json_paths.items():
        first = len(paths) + 1
        paths += role_paths
        picks = ", ".join(f"v[{first + k}]" for k in range(len(role_paths)))
        roles.append(f"coalesce({picks}) AS \"{role}\"" if len(role_paths) > 1 else f"{picks} AS \"{role}\"")
    listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
    with duckdb.connect() as con:
        return con.sql(
            f"SELECT {', '.join(roles)} FROM ("
            f"  SELECT CASE WHEN json_valid(line) THEN json_extract_string(line, [{listed}]) END AS v FROM _lines"
            ")"
        ).to_arrow_table()
