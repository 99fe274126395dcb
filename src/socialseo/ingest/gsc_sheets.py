"""The sheets of a Search Console web export (Performance > Export > CSV/zip).

``Dates`` (``Chart`` in some versions) holds the property's daily totals and is staged as property-level daily
rows. ``Queries``, ``Pages``, ``Countries``, ``Devices`` and ``Search appearance`` total the whole period chosen
in the interface, so they go to ``search_period_totals`` with the period read from the ``Filters`` sheet; they
can never be spread over days. Numbers are written for people (``3.4%``, localised decimal marks) and are read
with :mod:`socialseo.ingest.values`.
"""

from __future__ import annotations

import re
from datetime import date
from functools import partial
from typing import Any

import pandas as pd

from socialseo.classify.urls import normalize_url
from socialseo.ingest.gsc_layouts import UI_METRICS, detect_layout
from socialseo.ingest.sheets import Sheet, normalise_header
from socialseo.ingest.values import parse_column, parse_count, parse_date, parse_number
from socialseo.store.frames import register_frame


def _period(sheets: dict[str, Sheet]) -> tuple[date | None, date | None, str | None]:
    """(first day, last day, search type) from a Filters sheet; None where it does not say."""
    for sheet in sheets.values():
        if not sheet.rows or normalise_header(sheet.rows[0][0]) != "filter":
            continue
        values = {normalise_header(r[0]): str(r[1]).strip() for r in sheet.rows[1:] if len(r) >= 2}
        search_type = values.get("search type")
        found = re.findall(r"\d{4}-\d{2}-\d{2}", values.get("date", ""))
        if len(found) >= 2:
            return date.fromisoformat(found[0]), date.fromisoformat(found[1]), search_type
        return None, None, search_type
    return None, None, None


def stage_ui_sheets(ctx: Any, sheets: dict[str, Sheet], search_type: str) -> dict[str, str]:
    """Stage the Dates sheet into ``_gsc_stage``; write period sheets to ``search_period_totals``."""
    first, last, filtered_type = _period(sheets)
    search_type = (filtered_type or search_type).lower()
    for name, sheet in sheets.items():
        ctx.quarantine_rows([(n, f"{name}: {raw}", reason) for n, raw, reason in sheet.rejected])
        ctx.result.rows_read += len(sheet.rejected)
        if not sheet.rows:
            continue
        layout = detect_layout([str(c) for c in sheet.rows[0]])
        if layout is None or layout.kind != "ui":
            continue
        header = [normalise_header(c) for c in sheet.rows[0]]
        columns = {UI_METRICS.get(h, h): i for i, h in enumerate(header)}
        width = len(header)
        body = [(list(r) + [""] * width)[:width] for r in sheet.rows[1:] if any(str(c).strip() for c in r)]
        rows = zip(sheet.rows[1:], sheet.line_numbers[1:], strict=True)
        lines = [n for r, n in rows if any(str(c).strip() for c in r)]
        frame = pd.DataFrame(body, dtype=object)
        if frame.empty:
            continue
        clicks, e1 = parse_column(frame[columns["clicks"]], parse_count)
        impressions, e2 = parse_column(frame[columns["impressions"]], parse_count)
        position = (
            parse_column(frame[columns["position"]], parse_number) if "position" in columns
            else (pd.Series([None] * len(frame)), pd.Series([None] * len(frame)))
        )
        errors = e1.fillna(e2).fillna(position[1])
        missing = clicks.isna() | impressions.isna()  # a row cut short: no numbers to store
        errors = errors.where(errors.notna() | ~missing, "clicks/impressions: missing")
        values = frame[0].map(lambda v: str(v).strip() or None)
        if layout.dimension == "date":
            days, e3 = parse_column(frame[0], partial(parse_date))
            errors = errors.fillna(e3.map(lambda e: None if e is None else f"date: {e}"))
            staged = pd.DataFrame({
                "line_no": lines, "date": days.map(lambda d: None if d is None else d.isoformat()),
                "clicks": clicks.map(_text), "impressions": impressions.map(_text),
                "position": position[0].map(_text), "reason": errors,
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
            continue
        failed = errors.notna()
        ctx.quarantine_rows([(int(lines[i]), f"{name}: {values[i]}", str(errors[i])) for i in errors[failed].index])
        totals = pd.DataFrame({
            "dimension": layout.dimension, "value": values,
            "page_url": values.map(_page) if layout.dimension == "page" else None,
            "clicks": clicks, "impressions": impressions, "position": position[0],
        })[~failed]
        register_frame(ctx.con, "_ui_totals", totals)
        ctx.con.execute(
            "INSERT INTO search_period_totals SELECT ?, dimension, value, page_url, clicks, impressions, position, "
            "?, ?, ? FROM _ui_totals",
            [ctx.import_id, first, last, search_type],
        )
        ctx.con.unregister("_ui_totals")
        ctx.result.rows_read += len(frame)
        ctx.result.rows_loaded += len(totals)
        ctx.result.notes.append(f"{name}: {len(totals)} period totals by {layout.dimension}")
    return {"source": "ui_export"}


def _text(value: object) -> str | None:
    return None if value is None or value != value else str(value)


def _page(value: object) -> str | None:
    try:
        return normalize_url(str(value)) if value else None
    except ValueError:
        return None
