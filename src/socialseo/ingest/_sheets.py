"""Read a small spreadsheet-like export (CSV in any common encoding and delimiter, or XLSX) into rows of cells.

Platform exports are made for spreadsheet users: UTF-8 with or without a byte-order mark, UTF-16 from some
"Excel" buttons, ``;`` as the delimiter in locales whose decimal mark is a comma, description lines above the
header. This module only gets the cells out; finding the header row is the caller's job, because only the
caller knows which headers it is looking for.

Everything is read within :mod:`socialseo.ingest.limits`: the file's size, a CSV field's length (a row with a
longer field is set aside in ``Sheet.rejected`` with its line, and the rows after it are read), and a workbook's
zip members, rows and cells (openpyxl's read-only mode, counted row by row, so a sheet without a ``<dimension>``
or with a bogus one cannot grow without bound).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from socialseo.errors import InputFileError
from socialseo.ingest._files import read_whole
from socialseo.ingest.limits import current, shown
from socialseo.ingest.zips import checked_members, open_zip

_MAX_ROWS_SNIFF = 30


@dataclass
class Sheet:
    """The cells of one sheet; ``line_numbers[i]`` is the 1-based line (or spreadsheet row) of ``rows[i]``."""

    name: str
    rows: list[list[object]]
    line_numbers: list[int]
    rejected: list[tuple[int | None, str, str]] = field(default_factory=list)
    """Rows that could not be read, as ``(line, raw, reason)`` for the quarantine."""


def is_xlsx(path: Path) -> bool:
    if not zipfile.is_zipfile(path):
        return False
    with open_zip(path) as archive:
        return "xl/workbook.xml" in archive.namelist()


def decode(data: bytes, path: Path) -> str:
    """Text of a CSV export: BOMs honoured, UTF-16 recognised, Windows-1252 as the last resort."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _unquoted_counts(line: str, delimiters: str) -> dict[str, int]:
    counts = dict.fromkeys(delimiters, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return counts


def guess_delimiter(sample: str, delimiters: str = ",;\t") -> str:
    """The delimiter that splits the sample's lines most consistently (``,`` when none does).

    Linear in the sample, unlike ``csv.Sniffer``, whose quote-guessing regular expression took 20 s on a 13 KB file
    with an unclosed quote. A delimiter scores by how many lines it splits into the same number of cells as the
    header line does; ties go to the order of ``delimiters``.
    """
    lines = [line for line in sample.splitlines() if line.strip()][:_MAX_ROWS_SNIFF]
    if not lines:
        return ","
    per_line = [_unquoted_counts(line, delimiters) for line in lines]
    best, best_score = ",", (0, 0)
    for delimiter in delimiters:
        first = per_line[0][delimiter]
        if first == 0:
            continue
        score = (sum(1 for counts in per_line if counts[delimiter] == first), first)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_text(text: str, name: str) -> Sheet:
    """Rows of a CSV text with its delimiter sniffed from the first lines (``,``, ``;`` or tab).

    Blank lines are left out (``line_numbers`` keep every row's true line). A row holding a field longer than the
    field limit goes to ``rejected``; a row the CSV reader cannot split at all fails the file with its line number.
    """
    limits = current()
    csv.field_size_limit(limits.max_field_bytes)
    sample = "\n".join(line[:4096] for line in text[: 1 << 20].splitlines()[:_MAX_ROWS_SNIFF])
    delimiter = guess_delimiter(sample)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    sheet = Sheet(name, [], [])
    line, cells = 1, 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field limit" not in str(exc):
                raise InputFileError(f"{name}: not a readable CSV file near line {reader.line_num} ({exc})") from exc
            sheet.rejected.append((line, _line_head(text, line), f"csv: a field longer than the limit of "
                                   f"{limits.max_field_bytes:,} bytes (set SOCIALSEO_MAX_FIELD_BYTES to raise it)"))
            line = reader.line_num + 1
            continue
        if not record:  # a blank line: nothing to keep (line numbers stay true), however many there are
            line = reader.line_num + 1
            continue
        cells += len(record)
        if len(record) > limits.max_sheet_columns:
            raise limits.exceeded("max_sheet_columns", f"{name}: line {line:,} has {len(record):,} cells")
        if cells > limits.max_sheet_cells:
            raise limits.exceeded("max_sheet_cells", f"{name}: the file has more cells")
        sheet.rows.append(list(record))
        sheet.line_numbers.append(line)
        line = reader.line_num + 1
    return sheet


def _line_head(text: str, line: int) -> str:
    """The start of line ``line`` (1-based) of ``text``, cut for the quarantine."""
    at = 0
    for _ in range(line - 1):
        at = text.find("\n", at) + 1
        if at == 0:
            return ""
    return text[at : at + 200] + "…"


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
    return [read_csv_text(decode(read_whole(path), path), path.name)]


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

    limits = current()
    with open_zip(path) as archive:
        checked_members(archive, path, limits)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InputFileError(f"{path}: not a readable XLSX workbook ({shown(str(exc), 120)})") from exc
    names = list(book.sheetnames)
    if prefer_sheet:
        names.sort(key=lambda n: n.strip().lower() != prefer_sheet.lower())
    sheets = []
    cells = 0
    try:
        for name in names:
            rows: list[list[object]] = []
            lines: list[int] = []
            for number, values in enumerate(book[name].iter_rows(values_only=True), start=1):
                if number > limits.max_sheet_rows:
                    raise limits.exceeded("max_sheet_rows", f"{path}: sheet {name!r} has more rows")
                cells += len(values)
                if len(_trimmed(values)) > limits.max_sheet_columns:
                    raise limits.exceeded("max_sheet_columns", f"{path}: sheet {name!r} row {number:,} has more cells")
                if cells > limits.max_sheet_cells:
                    raise limits.exceeded("max_sheet_cells", f"{path}: the workbook has more cells")
                kept = _trimmed(values)
                if kept:  # an empty row is left out, as a CSV file's blank line is (line numbers stay true)
                    rows.append(["" if v is None else v for v in kept])
                    lines.append(number)
            sheets.append(Sheet(name, rows, lines))
    except InputFileError:
        raise
    except Exception as exc:  # a damaged sheet's XML, a cell openpyxl cannot convert
        raise InputFileError(f"{path}: not a readable XLSX workbook ({shown(str(exc), 120)})") from exc
    finally:
        book.close()
    return sheets


def _trimmed(values: tuple[object, ...]) -> tuple[object, ...]:
    """A row without its trailing empty cells (a bogus ``<dimension>`` pads every row to its width)."""
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return values[:end]


def normalise_header(cell: object) -> str:
    """Headers compare case-insensitively with runs of whitespace collapsed."""
    return " ".join(str(cell).replace("\ufeff", "").split()).lower()
