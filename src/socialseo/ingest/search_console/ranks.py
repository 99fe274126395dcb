"""Import a rank tracker's CSV (date, keyword, URL, position) into ``rank_positions``.

Rank trackers (SE Ranking, AccuRanker, Semrush Position Tracking, SerpRobot and spreadsheets of hand checks) all
export some spelling of these four columns; the spellings recognised are listed below. A position written as
``-``, ``>100`` or ``not in top 100`` means the URL did not rank within the tracked depth and is kept as NULL,
not dropped: a page falling out of the results is information.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

from socialseo.classify.urls import normalize_url
from socialseo.errors import FormatNotRecognisedError
from socialseo.ingest._files import check_readable
from socialseo.ingest._sheets import normalise_header, read_sheets
from socialseo.ingest._values import day_first_hint, parse_column, parse_date, parse_number
from socialseo.store.frames import register_frame
from socialseo.store.warehouse import ImportContext, ImportResult, Warehouse

COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "check date", "datum"),
    "keyword": ("keyword", "query", "search term", "keyphrase"),
    "url": ("url", "ranking url", "landing page", "page", "found url"),
    "position": ("position", "rank", "ranking", "pos", "google position"),
    "engine": ("search engine", "engine"),
    "location": ("location", "country", "region"),
    "device": ("device",),
}
REQUIRED = ("date", "keyword", "position")
_NOT_RANKING = re.compile(r"^\s*(?:-+|>\s*\d+|not (?:in|ranking).*|n/?a|none|out)\s*$", re.IGNORECASE)


def _position(value: object) -> float | None:
    if value is None or _NOT_RANKING.match(str(value)) or str(value).strip() == "":
        return None
    number = parse_number(value)
    if number is not None and number < 1:
        raise ValueError(f"{value!r}: a position starts at 1")
    return number


def import_ranks(
    warehouse: Warehouse, paths: Sequence[Path], *, on_file_done: Callable[[ImportResult], None] | None = None
) -> list[ImportResult]:
    """Import rank-tracker CSV/XLSX files; re-importing a day's positions for a keyword replaces them."""
    for path in paths:
        check_readable(path)
    return warehouse.import_files("ranks", paths, _load, prepare=_read, on_file_done=on_file_done)


@dataclass
class _Ranks:
    """One rank export read and checked: the rows to store and the ones to quarantine."""

    rows_read: int
    good: pd.DataFrame
    quarantined: list[tuple[int | None, str | None, str]]


def _read(path: Path) -> _Ranks:
    """Read one rank export before its import begins; a file without the needed columns fails here."""
    sheet = read_sheets(path)[0]
    index, header = _header(sheet.rows, path)
    body = sheet.rows[index + 1 :]
    lines = sheet.line_numbers[index + 1 :]
    width = len(header)
    keep = [i for i, row in enumerate(body) if any(str(c).strip() for c in row)]
    # the columns are named even when no row is left (every one quarantined by the reader): an empty export
    raw = pd.DataFrame([(list(body[i]) + [""] * width)[:width] for i in keep], columns=range(width), dtype=object)
    frame = pd.DataFrame({
        name: raw[header.index(h)] if (h := next((h for h in spellings if h in header), None)) else None
        for name, spellings in COLUMNS.items()
    })
    days, date_errors = parse_column(frame["date"], partial(parse_date, day_first=day_first_hint(frame["date"])))
    positions, position_errors = parse_column(frame["position"], _position)
    errors = date_errors.map(lambda e: e and f"date: {e}").fillna(position_errors)
    # An empty date parses to nothing without an error; the table needs a day, so the row is quarantined.
    errors = errors.where(errors.notna() | days.notna(), "date: missing")
    errors = errors.where(frame["keyword"].map(lambda k: bool(str(k).strip())), "keyword: missing")
    frame["date"], frame["position"] = days, positions
    frame["page_url"] = frame["url"].map(_page)
    bad = errors.notna()
    text = raw.map(str).agg(",".join, axis=1)
    quarantined = [*sheet.rejected, *[(lines[keep[i]], text[i], str(errors[i])) for i in errors[bad].index]]
    return _Ranks(len(frame) + len(sheet.rejected), frame[~bad], quarantined)


def _load(ctx: ImportContext) -> None:
    """Replace the positions one rank export gives, inside its import transaction."""
    ranks: _Ranks = ctx.prepared
    ctx.quarantine_rows(ranks.quarantined)
    register_frame(ctx.con, "_ranks_in", ranks.good)
    ctx.con.execute(
        "DELETE FROM rank_positions r USING (SELECT DISTINCT CAST(date AS DATE) AS date, keyword "
        "FROM _ranks_in) n WHERE r.date = n.date AND r.keyword = n.keyword"
    )
    ctx.con.execute(
        "INSERT INTO rank_positions SELECT CAST(date AS DATE), keyword, url, page_url, position, engine, "
        "location, device, ? FROM _ranks_in",
        [ctx.import_id],
    )
    ctx.con.unregister("_ranks_in")
    ctx.result.rows_read, ctx.result.rows_loaded = ranks.rows_read, len(ranks.good)


def _header(rows: list[list[object]], path: Path) -> tuple[int, list[str]]:
    for index, row in enumerate(rows[:25]):
        header = [normalise_header(c) for c in row]
        found = {name for name, spellings in COLUMNS.items() if set(spellings) & set(header)}
        if set(REQUIRED) <= found:
            return index, header
    if not any(any(str(c).strip() for c in row) for row in rows):
        raise FormatNotRecognisedError(f"{path}: file is empty")
    header = [normalise_header(c) for c in rows[0]]
    missing = [n for n in REQUIRED if not set(COLUMNS[n]) & set(header)]
    raise FormatNotRecognisedError(
        f"{path}: not a rank-tracker export; missing columns: "
        + "; ".join(f"{n} (one of {', '.join(COLUMNS[n])})" for n in missing)
    )


def _page(url: object) -> str | None:
    if url is None or not str(url).strip():
        return None
    try:
        return normalize_url(str(url).strip())
    except ValueError:
        return None
