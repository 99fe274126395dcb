"""Annotations: dated notes drawn on every time chart and listed by ``socialseo annotate list``.

Five sources, one shape (``id, date, source, text, page, platform``): the user's own notes (``user``, stored) and
four computed from the data each time (``post`` campaign starts, ``spike`` social spikes, ``import`` import days,
``search_update`` Google's confirmed ranking updates). A note about one page or platform (``page``/``platform``
set) is shown where that page or platform is; one without is shown everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import duckdb
import pandas as pd

from socialseo.analysis.annotations.automatic import COLUMNS, campaign_starts, import_days, social_spikes
from socialseo.analysis.annotations.search_updates import search_updates
from socialseo.analysis.annotations.user import UnknownAnnotationError, add_note, notes, remove_note
from socialseo.analysis.impact.panel import table_exists

SOURCES = ("user", "post", "spike", "import", "search_update")

__all__ = [
    "COLUMNS", "SOURCES", "UnknownAnnotationError", "add_note", "list_annotations", "remove_note", "search_updates",
]


def _updates() -> pd.DataFrame:
    updates = search_updates()
    text = [f"Google {name} (rolled out {start} to {end or 'ongoing'})"
            for name, start, end in updates[["name", "start", "end"]].itertuples(index=False)]
    return pd.DataFrame({"id": None, "date": updates["start"], "source": "search_update", "text": text,
                         "page": None, "platform": None}, columns=COLUMNS)


def list_annotations(
    con: duckdb.DuckDBPyConnection,
    *,
    page: str | None = None,
    platforms: Iterable[str] = (),
    start: date | None = None,
    end: date | None = None,
    sources: Iterable[str] = SOURCES,
) -> pd.DataFrame:
    """Every annotation, oldest first, narrowed to what applies to ``page`` (a page key: its own and the site's),
    to ``platforms`` (theirs and those of no platform) and to days ``start``..``end`` (inclusive).

    >>> import socialseo
    >>> with socialseo.open(":memory:") as project:
    ...     list_annotations(project.warehouse.con, start=date(2024, 3, 1), end=date(2024, 3, 31))["source"].tolist()
    ['search_update', 'search_update']
    """
    wanted = set(sources)
    parts = []
    if "user" in wanted and table_exists(con, "annotations"):
        parts.append(notes(con))
    if "post" in wanted:
        parts.append(campaign_starts(con))
    if "spike" in wanted:
        parts.append(social_spikes(con, page))
    if "import" in wanted:
        parts.append(import_days(con))
    if "search_update" in wanted:
        parts.append(_updates())
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    frame = pd.concat([p.astype(object) for p in parts], ignore_index=True)[COLUMNS]
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    for column in ("page", "platform"):  # None, not NaN, where a note is about no page or platform
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    keep = pd.Series(True, index=frame.index)
    if page is not None:
        keep &= frame["page"].isna() | (frame["page"] == page)
    chosen = [p.lower() for p in platforms]
    if chosen:
        keep &= frame["platform"].isna() | frame["platform"].isin(chosen)
    if start is not None:
        keep &= frame["date"] >= start
    if end is not None:
        keep &= frame["date"] <= end
    order = {s: i for i, s in enumerate(SOURCES)}
    frame = frame[keep]
    frame = frame.assign(_order=frame["source"].map(order))  # on the kept rows: an empty frame adopts any index
    frame = frame.sort_values(["date", "_order", "text"], kind="stable").drop(columns="_order")
    frame["id"] = frame["id"].astype("Int64")
    return frame.reset_index(drop=True)
