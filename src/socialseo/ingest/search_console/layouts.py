"""Which Search Console export a file is, from its header: API rows, a web-export sheet or a bulk-export table.

Search Console hands out the same numbers in three shapes, and each keeps its own meaning:

- **API rows** (``searchanalytics.query``): one row per combination of the requested dimensions (``date``,
  ``page``, ``query``, ``country``, ``device``, ``searchAppearance``) with ``clicks``, ``impressions``, ``ctr``
  and a 1-based ``position``. With ``page`` among the dimensions Search Console aggregates by page, otherwise by
  property; the two never add up to each other.
- **Web-export sheets** (the Performance report's Export: a zip or workbook of ``Queries``, ``Pages``,
  ``Countries``, ``Devices``, ``Search appearance``, ``Dates`` and ``Filters``, with names localised in the
  interface's language: ``data/gsc_web_export.yaml``): totals over the whole chosen period except ``Dates``, which
  holds the property's daily totals.
- **Bulk-export tables** (BigQuery ``searchdata_url_impression`` and ``searchdata_site_impression``): one row
  per day and key with ``sum_position`` / ``sum_top_position``, a **zero-based** sum of positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from socialseo.ingest._sheets import normalise_header

API_DIMENSIONS = ("date", "page", "query", "country", "device", "searchappearance")
METRICS = ("clicks", "impressions")



@cache
def web_export_names() -> dict[str, Any]:
    """``data/gsc_web_export.yaml``: the web export's sheet, metric and filter names in each language, lower-cased."""
    text = resources.files("socialseo").joinpath("ingest/data/gsc_web_export.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)

    def lookup(section: dict[str, list[str]]) -> dict[str, str]:
        return {normalise_header(name): key for key, names in section.items() for name in names}

    return {
        "sheets": lookup(raw["sheets"]), "metrics": lookup(raw["metrics"]),
        "filter_header": {normalise_header(n) for n in raw["filters"]["header"]},
        "filters": lookup({k: v for k, v in raw["filters"].items() if k != "header"}),
        "compare": tuple(str(w).lower() for w in raw["compare"]),
        "search_types": lookup(raw["search_types"]),
    }


UI_SHEETS: dict[str, str] = web_export_names()["sheets"]
UI_METRICS: dict[str, str] = web_export_names()["metrics"]
OTHER_SHEETS = {
    **dict.fromkeys(
        web_export_names()["filter_header"],
        "the Filters sheet of a web export (it describes the export; import the zip, or the Dates or Pages sheet)",
    ),
    "url": "a page-indexing or URL-inspection export, not a Performance report",
    "why pages aren't indexed": "a page-indexing report, not a Performance report",
    "reason": "a page-indexing report, not a Performance report",
}


@dataclass(frozen=True)
class Layout:
    """``kind`` is api, ui or bulk_url / bulk_site; ``dimension`` names a web-export sheet's dimension."""

    kind: str
    header: tuple[str, ...]
    dimension: str | None = None


def detect_layout(header_cells: list[str]) -> Layout | None:
    """The layout a header row belongs to, or None when it is no Search Console performance export."""
    header = tuple(normalise_header(c) for c in header_cells)
    present = set(header)
    if "data_date" in present and {"impressions", "clicks"} <= present:
        if "sum_position" in present and "url" in present:
            return Layout("bulk_url", header)
        if "sum_top_position" in present:
            return Layout("bulk_site", header)
    # A web-export sheet is one dimension column followed by metrics only ("Date,Clicks,Impressions,CTR,Position"
    # is also what an API request by date alone gives: the same property-level daily totals either way).
    metrics = [UI_METRICS.get(h) for h in header[1:]]
    if header and header[0] in UI_SHEETS and None not in metrics and {"clicks", "impressions"} <= set(metrics):
        return Layout("ui", header, UI_SHEETS[header[0]])
    if set(METRICS) <= present and present & set(API_DIMENSIONS):
        return Layout("api", header)
    return None


def explain_unknown(header_cells: list[str]) -> str:
    """Why a header is not a performance export, said as precisely as possible."""
    header = [normalise_header(c) for c in header_cells]
    first = header[0] if header else ""
    if first in OTHER_SHEETS:
        return f"this is {OTHER_SHEETS[first]}"
    if header and header[0] in UI_SHEETS:
        return f"the {header[0]!r} sheet lacks the Clicks and Impressions columns"
    shown = ", ".join(header[:8])
    return (
        f"not a Search Console performance export (header: {shown}); expected API rows (date/page/query/"
        "country/device with clicks, impressions, ctr, position), a web-export sheet (Queries, Pages, Countries, "
        "Devices, Dates) or a bulk-export table (data_date ... sum_position)"
    )
