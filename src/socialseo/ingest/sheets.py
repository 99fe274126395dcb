"""Read a small spreadsheet-like export (CSV in any common encoding and delimiter, or XLSX) into rows of cells.

Platform exports are made for spreadsheet users: UTF-8 with or without a byte-order mark, UTF-16 from some
"Excel" buttons, ``;`` as the delimiter in locales whose decimal mark is a comma, description lines above the
header. This module only gets the cells out; finding the header row is the caller's job, because only the
caller knows which headers it is looking for.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from socialseo.errors import InputFileError

_MAX_ROWS_SNIFF = 30


@dataclass
class Sheet:
    """The cells of one sheet; ``line_numbers[i]`` is the 1-based line (or spreadsheet row) of ``rows[i]``."""

    name: str
    rows: list[list[object]]
    line_numbers: list[int]


def is_xlsx(path: Path) -> bool:
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return "xl/workbook.xml" in archive.namelist()


def decode(data: bytes, path: Path) -> str:
    """Text of a CSV export: BOMs honoured, UTF-16 recognised, Windows-1252 as the last resort."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv_text(text: str, name: str) -> Sheet:
    """Rows of a CSV text with its delimiter sniffed from the first lines (``,``, ``;`` or tab)."""
    sample = "\n".join(text.splitlines()[:_MAX_ROWS_SNIFF])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[object]] = []
    lines: list[int] = []
    line = 1
    try:
        for record in reader:
            rows.append(list(record))
            lines.append(line)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputFileError(f"{name}: not a readable CSV file near line {reader.line_num} ({exc})") from exc
    return Sheet(name, rows, lines)


def read_sheets(path: Path, *, prefer_sheet: str | None = None, sheet: str | None = None) -> list[Sheet]:
    """The sheets of an XLSX workbook (``prefer_sheet`` first when present), or the one sheet of a CSV file.

    ``sheet`` (the user's ``--sheet NAME``) keeps that sheet alone: see :func:`pick_sheet`.
    """
    if path.stat().st_size == 0:
        raise InputFileError(f"{path}: file is empty")
    if is_xlsx(path):
        sheets = _read_xlsx(path, prefer_sheet)
        return [pick_sheet(sheets, sheet, path)] if sheet else sheets
    if sheet:
        raise InputFileError(f"{path}: --sheet {sheet!r} given, but this is a CSV file, which has no sheets")
    return [read_csv_text(decode(path.read_bytes(), path), path.name)]


def pick_sheet(sheets: list[Sheet], name: str, path: Path) -> Sheet:
    """The sheet called ``name`` (case and surrounding spaces ignored); an error naming the sheets there are.

    Workbooks name sheets for people ("TOP POSTS", "All posts "), so the match forgives case and spaces.
    """
    wanted = " ".join(name.split()).lower()
    for candidate in sheets:
        if " ".join(candidate.name.split()).lower() == wanted:
            return candidate
    names = ", ".join(repr(s.name) for s in sheets)
    raise InputFileError(f"{path}: no sheet named {name!r}; the workbook has {names}")


def table_spans(header: list[str]) -> list[tuple[int, int]]:
    """Column ranges ``[start, end)`` of the tables a header row holds side by side, split at empty cells.

    LinkedIn's creator export puts two tables on one sheet ("Post URL, Post publish date, Engagements", an empty
    column, then "Post URL, Post publish date, Impressions"); each is read on its own.

    >>> table_spans(["post url", "date", "engagements", "", "post url", "date", "impressions"])
    [(0, 3), (4, 7)]
    """
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for index, cell in enumerate([*header, ""]):
        if cell and start is None:
            start = index
        elif not cell and start is not None:
            spans.append((start, index))
            start = None
    return spans


def _read_xlsx(path: Path, prefer_sheet: str | None) -> list[Sheet]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InputFileError(f"{path}: not a readable XLSX workbook ({exc})") from exc
    names = list(book.sheetnames)
    if prefer_sheet:
        names.sort(key=lambda n: n.strip().lower() != prefer_sheet.lower())
    sheets = []
    for name in names:
        rows: list[list[object]] = []
        lines: list[int] = []
        for number, values in enumerate(book[name].iter_rows(values_only=True), start=1):
            rows.append(["" if v is None else v for v in values])
            lines.append(number)
        sheets.append(Sheet(name, rows, lines))
    book.close()
    return sheets


def normalise_header(cell: object) -> str:
    """Headers compare case-insensitively with runs of whitespace collapsed."""
    return " ".join(str(cell).replace("\ufeff", "").split()).lower()
