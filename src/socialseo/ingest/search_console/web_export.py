"""The sheets of a Search Console web export (Performance > Export > CSV/zip).

``Dates`` (``Chart`` in some versions) holds the property's daily totals and is staged as property-level daily
rows. ``Queries``, ``Pages``, ``Countries``, ``Devices`` and ``Search appearance`` total the whole period chosen
in the interface, so they go to ``search_period_totals`` with the period read from the ``Filters`` sheet (see
:mod:`socialseo.ingest.search_console.period`); they can never be spread over days. Numbers are written for people
(``3.4%``, ``12,400``, localised decimal marks) and are read with :mod:`socialseo.ingest._values`. A sheet that is
none of these is named in the import summary, never dropped in silence.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

import pandas as pd

from socialseo.classify.urls import normalize_url
from socialseo.errors import FormatNotRecognisedError
from socialseo.ingest._sheets import Sheet, normalise_header
from socialseo.ingest._values import parse_column, parse_count, parse_date, parse_number
from socialseo.ingest.search_console.layouts import UI_METRICS, Layout, detect_layout
from socialseo.ingest.search_console.period import Period, is_filter_sheet, read_period
from socialseo.store.frames import register_frame


def stage_ui_sheets(
    ctx: Any, sheets: dict[str, Sheet], search_type: str, period_option: tuple[date | None, date | None] = (None, None)
) -> dict[str, str]:
    """Stage the Dates sheet into ``_gsc_stage``; write period sheets to ``search_period_totals`` with the period
    of the Filters sheet, of the Dates sheet (for a relative range) or of ``period_option``, which wins."""
    period = read_period(sheets)
    search_type = (period.search_type or search_type).lower()
    for name, sheet in sheets.items():  # rows the reader could not take whole (a field over the limit)
        ctx.quarantine_rows([(n, f"{name}: {raw}", reason) for n, raw, reason in sheet.rejected])
        ctx.result.rows_read += len(sheet.rejected)
    readable = {name: detect_layout([str(c) for c in sheet.rows[0]]) if sheet.rows else None
                for name, sheet in sheets.items()}
    skipped = [name for name, layout in readable.items()
               if (layout is None or layout.kind != "ui") and not is_filter_sheet(sheets[name])]
    if period.compare:
        ctx.result.notes.append(
            f"the Filters sheet compares two periods ({period.label}): compared sheets are not imported; export one "
            "period at a time"
        )
    ui = {name: layout for name, layout in readable.items() if layout is not None and layout.kind == "ui"}
    if not ui:
        raise FormatNotRecognisedError(
            f"{ctx.path}: no Performance sheet in it (sheets: {', '.join(sheets)}); expected Queries, Pages, "
            "Countries, Devices or Dates sheets of a Search Console export"
        )
    days: list[date] = []
    for name, layout in sorted(ui.items(), key=lambda item: item[1].dimension != "date"):
        if layout.dimension == "date":
            days += _stage_dates(ctx, name, sheets[name], search_type)
    _settle(period, days, period_option)
    totals = [name for name, layout in ui.items() if layout.dimension != "date"]
    for name in totals:
        _stage_totals(ctx, name, sheets[name], ui[name], period, search_type)
    if totals:
        ctx.result.notes.append(_period_note(period))
    for name in skipped:
        header = ", ".join(str(c) for c in sheets[name].rows[0][:6]) if sheets[name].rows else "empty"
        ctx.result.notes.append(f"{name} not imported: not a Performance sheet (header: {header})")
    return {"source": "ui_export"}


def _settle(period: Period, days: list[date], option: tuple[date | None, date | None]) -> None:
    """Fill the period's days: the user's option, else a relative range resolved by the Dates sheet."""
    if option[0] or option[1]:
        period.start, period.end = option[0] or period.start, option[1] or period.end
        period.basis = "--period-start/--period-end"
    elif period.start is None and days and not period.compare:
        period.start, period.end = min(days), max(days)
        period.basis = "first and last day of the Dates sheet"


def _frame(sheet: Sheet) -> tuple[pd.DataFrame, list[int], dict[str, int]]:
    header = [normalise_header(c) for c in sheet.rows[0]]
    columns = {UI_METRICS.get(h, h): i for i, h in enumerate(header)}
    width = len(header)
    kept = [(r, n) for r, n in zip(sheet.rows[1:], sheet.line_numbers[1:], strict=True)
            if any(str(c).strip() for c in r)]
    body = [(list(r) + [""] * width)[:width] for r, _ in kept]
    return pd.DataFrame(body, dtype=object), [n for _, n in kept], columns


def _metrics(frame: pd.DataFrame, columns: dict[str, int]) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    clicks, e1 = parse_column(frame[columns["clicks"]], parse_count)
    impressions, e2 = parse_column(frame[columns["impressions"]], parse_count)
    position = (
        parse_column(frame[columns["position"]], parse_number) if "position" in columns
        else (pd.Series([None] * len(frame)), pd.Series([None] * len(frame)))
    )
    errors = e1.fillna(e2).fillna(position[1])
    missing = clicks.isna() | impressions.isna()  # a row cut short: no numbers to store
    return clicks, impressions, position[0], errors.where(errors.notna() | ~missing, "clicks/impressions: missing")


def _stage_dates(ctx: Any, name: str, sheet: Sheet, search_type: str) -> list[date]:
    """Stage the property's daily totals; returns the days read."""
    frame, lines, columns = _frame(sheet)
    if frame.empty:
        ctx.result.notes.append(f"{name}: no rows")
        return []
    clicks, impressions, position, errors = _metrics(frame, columns)
    days, e3 = parse_column(frame[0], partial(parse_date))
    errors = errors.fillna(e3.map(lambda e: None if e is None else f"date: {e}"))
    staged = pd.DataFrame({
        "line_no": lines, "date": days.map(lambda d: None if d is None else d.isoformat()),
        "clicks": clicks.map(_text), "impressions": impressions.map(_text),
        "position": position.map(_text), "reason": errors,
    })
    bad = staged[staged["reason"].notna()]
    ctx.quarantine_rows([(int(n), f"{name}: {r}", str(e)) for n, r, e in
                         zip(bad["line_no"], bad["date"], bad["reason"], strict=True)])
    good = staged[staged["reason"].isna()].drop(columns="reason")
    register_frame(ctx.con, "_ui_dates", good)
    ctx.con.execute(
        "INSERT INTO _gsc_stage (line_no, date, clicks, impressions, position, search_type) "
        "SELECT line_no, date, clicks, impressions, position, ? FROM _ui_dates",
        [search_type],
    )
    ctx.con.unregister("_ui_dates")
    return [date.fromisoformat(d) for d in good["date"]]


def _stage_totals(ctx: Any, name: str, sheet: Sheet, layout: Layout, period: Period, search_type: str) -> None:
    frame, lines, columns = _frame(sheet)
    if frame.empty:
        ctx.result.notes.append(f"{name}: no rows")
        return
    clicks, impressions, position, errors = _metrics(frame, columns)
    values = frame[0].map(lambda v: str(v).strip() or None)
    failed = errors.notna()
    ctx.quarantine_rows([(int(lines[i]), f"{name}: {values[i]}", str(errors[i])) for i in errors[failed].index])
    totals = pd.DataFrame({
        "dimension": layout.dimension, "value": values,
        "page_url": values.map(_page) if layout.dimension == "page" else None,
        "clicks": clicks, "impressions": impressions, "position": position,
    })[~failed]
    register_frame(ctx.con, "_ui_totals", totals)
    ctx.con.execute(
        "INSERT INTO search_period_totals (import_id, dimension, value, page_url, clicks, impressions, position, "
        "date_from, date_to, search_type, period_label) "
        "SELECT ?, dimension, value, page_url, clicks, impressions, position, ?, ?, ?, ? FROM _ui_totals",
        [ctx.import_id, period.start, period.end, search_type, period.label],
    )
    ctx.con.unregister("_ui_totals")
    ctx.result.rows_read += len(frame)
    ctx.result.rows_loaded += len(totals)
    ctx.result.notes.append(f"{name}: {len(totals)} period totals by {layout.dimension}")


def _period_note(period: Period) -> str:
    if period.start and period.end:
        return f"period {period.describe()}"
    said = (f"says {period.label!r}, relative to the day of the export, which the export does not record"
            if period.label else "is missing")
    return (f"period totals stored WITHOUT days: the Filters sheet's Date {said}; re-run with --period-start "
            "YYYY-MM-DD --period-end YYYY-MM-DD")


def _text(value: object) -> str | None:
    return None if value is None or value != value else str(value)


def _page(value: object) -> str | None:
    try:
        return normalize_url(str(value)) if value else None
    except ValueError:
        return None
