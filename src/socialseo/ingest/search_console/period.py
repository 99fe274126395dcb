"""The period a Search Console web export totals, from its Filters sheet.

The Filters sheet's ``Date`` row says the period as the interface showed it: explicit days
(``"Aug 28, 2026-Sep 3, 2026"``, ``2026-03-02 - 2026-03-05``, ``28.08.2026 - 03.09.2026``), a comparison of two
periods, or a range relative to the day of the export (``Last 3 months``), which the export does not record. A
relative range is therefore resolved from the export's own Dates sheet when it has one (its first and last day are
the period's) and otherwise left open, with the label kept, for ``--period-start/--period-end`` to close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from socialseo.ingest._sheets import Sheet, normalise_header
from socialseo.ingest.search_console.layouts import web_export_names

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_NAME = re.compile(r"\b([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4})\b")  # Aug 28, 2026
_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")  # 28.08.2026


@dataclass
class Period:
    """What the export says of its period; ``start``/``end`` None when it cannot say."""

    start: date | None = None
    end: date | None = None
    label: str | None = None
    search_type: str | None = None
    compare: bool = False
    basis: str = "none"  # where the days came from, said in the import summary
    filters: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        if self.start and self.end:
            return f"{self.start} to {self.end} ({self.basis})"
        return f"{self.label!r}" if self.label else "unknown"


def is_filter_sheet(sheet: Sheet) -> bool:
    return bool(sheet.rows) and normalise_header(sheet.rows[0][0]) in web_export_names()["filter_header"]


def read_period(sheets: dict[str, Sheet]) -> Period:
    """The period, search type and other filters of the export's Filters sheet (an empty Period without one)."""
    names = web_export_names()
    for sheet in sheets.values():
        if not is_filter_sheet(sheet):
            continue
        rows = {names["filters"].get(normalise_header(r[0]), normalise_header(r[0])): str(r[1]).strip()
                for r in sheet.rows[1:] if len(r) >= 2 and str(r[0]).strip()}
        kind = rows.get("search_type")
        period = Period(search_type=names["search_types"].get(normalise_header(kind or ""), kind), filters=rows)
        label = rows.get("date")
        if not label:
            return period
        period.label = label
        if any(word in label.lower() for word in names["compare"]):
            period.compare = True
            return period
        days = explicit_days(label)
        if len(days) == 2:
            period.start, period.end = min(days), max(days)
            period.basis = "from the Filters sheet"
        return period
    return Period()


def explicit_days(text: str) -> list[date]:
    """The days written in a Date filter, in whichever of the interface's forms; [] for a relative range."""
    found = [date(int(y), int(m), int(d)) for y, m, d in _ISO.findall(text)]
    if found:
        return found
    days = []
    for month, day, year in _MONTH_NAME.findall(text):
        parsed = _month_day(month, int(day), int(year))
        if parsed is not None:
            days.append(parsed)
    if days:
        return days
    out = []
    for d, m, y in _DOTTED.findall(text):
        try:
            out.append(date(int(y), int(m), int(d)))
        except ValueError:
            continue
    return out


def _month_day(month: str, day: int, year: int) -> date | None:
    for pattern in ("%b %d %Y", "%B %d %Y"):
        try:
            return datetime.strptime(f"{month[:3] if pattern == '%b %d %Y' else month} {day} {year}", pattern).date()
        except ValueError:
            continue
    return None
