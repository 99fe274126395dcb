"""Export a table or a query to CSV, Parquet or JSON, done by DuckDB's ``COPY`` (streamed, never a Python loop).

CSV files get opened in spreadsheets, and a cell such as ``=HYPERLINK(...)`` from a crawled title or a referrer
would run there as a formula. So text cells starting with ``= + - @`` (or tab / carriage return, which some
spreadsheets skip before looking) are prefixed with ``'``, as OWASP recommends; numbers stay numbers. A text value
that is a plain number (``-12.5``, ``+3e4``) or digit groups joined by hyphens (a session id such as
``-9221…-3``) names no function and no cell, so it is written as it is: prefixing it would break joins with the
Parquet or JSON export of the same table. "Text" is
every column whose CSV cell can hold text someone else wrote: VARCHAR and JSON, but also ENUM labels, UNION
members, BLOBs (written as their bytes), structs and maps; in lists of text each element is neutralised too, for
whoever splits the list into cells. Parquet and JSON keep values as they are: they are read by programs, not
spreadsheets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
from duckdb.sqltypes import DuckDBPyType

from socialseo.errors import QueryError, SocialSeoError

FORMATS = ("csv", "parquet", "json")
FORMULA_PATTERN = r"^[=+\-@\t\r]"
# A value made only of a sign, digits, a decimal point, an exponent or hyphen-joined digit groups: no letters, so no
# function and no cell reference, and nothing a spreadsheet could be made to fetch or run.
PLAIN_NUMBER_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$|^-?[0-9]+(-[0-9]+)+$"
# Types whose CSV cell is a number, a date or a fixed-form value nobody can steer into a formula.
_PLAIN_TYPES = frozenset({
    "boolean", "tinyint", "smallint", "integer", "bigint", "hugeint", "utinyint", "usmallint", "uinteger",
    "ubigint", "uhugeint", "float", "double", "decimal", "varint", "bignum", "date", "time", "time with time zone",
    "time_ns", "timestamp", "timestamp_s", "timestamp_ms", "timestamp_ns", "timestamp with time zone", "interval",
    "uuid", "bit", "null",
})
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class ExportResult:
    path: Path
    format: str
    rows: int
    neutralised_columns: list[str]


def quote_identifier(identifier: str) -> str:
    """A table or column name as a DuckDB identifier, double quotes doubled: safe for any name."""
    return '"' + identifier.replace('"', '""') + '"'


def source_query(con: duckdb.DuckDBPyConnection, table_or_query: str) -> str:
    """``SELECT * FROM table`` for a table or view name, else the text itself as a query."""
    text = table_or_query.strip().rstrip(";").strip()
    if not text:
        raise QueryError("nothing to export: give a table name or a SELECT query")
    if _IDENTIFIER.fullmatch(text):
        names = {r[0].lower(): r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        if text.lower() not in names:
            raise QueryError(f"no table named {text!r}; tables: {', '.join(sorted(names.values()))}")
        return f"SELECT * FROM {quote_identifier(names[text.lower()])}"
    return text


def _prefixed(text: str) -> str:
    """``text`` (a VARCHAR expression) with ``'`` put before a leading formula character."""
    return (f"CASE WHEN regexp_matches({text}, '{FORMULA_PATTERN}') "
            f"AND NOT regexp_matches({text}, '{PLAIN_NUMBER_PATTERN}') THEN '''' || {text} ELSE {text} END")


def _formula_safe(expr: str, column_type: DuckDBPyType) -> str | None:
    """A VARCHAR expression for ``expr`` that no spreadsheet runs as a formula; None when the type cannot hold one."""
    inner = _neutralised(expr, column_type)
    return None if inner is None else _prefixed(f"CAST({inner} AS VARCHAR)")


def _neutralised(expr: str, column_type: DuckDBPyType, depth: int = 0) -> str | None:
    """``expr`` with every text inside it neutralised, lists kept lists (so nested lists print as lists)."""
    kind = column_type.id
    if kind in _PLAIN_TYPES:
        return None
    if kind not in ("list", "array"):
        return _prefixed(f"CAST({expr} AS VARCHAR)")
    element, child = f"x{depth}", dict(column_type.children)["child"]
    assert isinstance(child, DuckDBPyType)  # a list's or an array's "child" is always its element type
    inner = _neutralised(element, child, depth + 1)
    # a list of numbers prints as '[...]' and holds nothing anyone wrote
    return None if inner is None else f"list_transform({expr}, lambda {element}: {inner})"


def format_for(out: Path, fmt: str | None) -> str:
    """The format asked for, else the one the file name ends with."""
    chosen = (fmt or out.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise SocialSeoError(f"unknown export format {chosen or '(none)'!r}; choose one of: {', '.join(FORMATS)}")
    return chosen


def export(
    con: duckdb.DuckDBPyConnection, table_or_query: str, out: Path, fmt: str | None = None
) -> ExportResult:
    """Write ``table_or_query`` to ``out``; the file appears whole or not at all (written aside, then renamed)."""
    chosen = format_for(out, fmt)
    query = source_query(con, table_or_query)
    try:
        relation = con.sql(f"SELECT * FROM ({query})")
        columns = list(zip(relation.columns, relation.types, strict=True))
    except duckdb.Error as exc:
        raise QueryError(str(exc).splitlines()[0]) from exc
    neutralised: list[str] = []
    select = []
    for name, column_type in columns:
        column = quote_identifier(name)
        safe = _formula_safe(column, column_type) if chosen == "csv" else None
        if safe is not None:
            neutralised.append(name)
            column = f"{safe} AS {column}"
        select.append(column)
    options = {
        "csv": "FORMAT csv, HEADER true",
        "parquet": "FORMAT parquet, COMPRESSION zstd",
        "json": "FORMAT json, ARRAY true",
    }[chosen]
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    target = str(part).replace("'", "''")
    try:
        row = con.execute(f"COPY (SELECT {', '.join(select)} FROM ({query})) TO '{target}' ({options})").fetchone()
    except duckdb.Error as exc:
        part.unlink(missing_ok=True)
        raise QueryError(str(exc).splitlines()[0]) from exc
    part.replace(out)
    return ExportResult(out, chosen, int(row[0]) if row else 0, neutralised)
