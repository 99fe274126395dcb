"""Which Search Console export a file is, from its header: API rows, a web-export sheet or a bulk-export table.

Search Console hands out the same numbers in three shapes, and each keeps its own meaning:

- **API rows** (``searchanalytics.query``): one row per combination of the requested dimensions (``date``,
  ``page``, ``query``, ``country``, ``device``, ``searchAppearance``) with ``clicks``, ``impressions``, ``ctr``
  and a 1-based ``position``. With ``page`` among the dimensions Search Console aggregates by page, otherwise by
  property; the two never add up to each other.
- **Web-export sheets** (the Performance report's Export: a zip or workbook of ``Queries``, ``Pages``,
  ``Countries``, ``Devices``, ``Search appearance``, ``Dates`` and ``Filters``): totals over the whole chosen
  period except ``Dates``, which holds the property's daily totals.
- **Bulk-export tables** (BigQuery ``searchdata_url_impression`` and ``searchdata_site_impression``): one row
  per day and key with ``sum_position`` / ``sum_top_position``, a **zero-based** sum of positions.
"""

from __future__ import annotations

from dataclasses import dataclass

from socialseo.ingest.sheets import normalise_header

API_DIMENSIONS = ("date", "page", "query", "country", "device", "searchappearance")
METRICS = ("clicks", "impressions")

# First header cell of each web-export sheet -> the dimension it totals. English headers, and the spellings of
# the localised interfaces most often met (German, French, Spanish).
UI_SHEETS: dict[str, str] = {
    "top queries": "query", "häufigste suchanfragen": "query", "requêtes les plus fréquentes": "query",
    "consultas principales": "query",
    "top pages": "page", "häufigste seiten": "page", "pages les plus populaires": "page",
    "páginas principales": "page",
    "country": "country", "land": "country", "pays": "country", "país": "country",
    "device": "device", "gerät": "device", "appareil": "device", "dispositivo": "device",
    "search appearance": "search_appearance", "darstellung in der suche": "search_appearance",
    "date": "date", "datum": "date", "fecha": "date",
}
UI_METRICS: dict[str, str] = {
    "clicks": "clicks", "klicks": "clicks", "clics": "clicks",
    "impressions": "impressions", "impressionen": "impressions", "impresiones": "impressions",
    "ctr": "ctr", "position": "position", "posición": "position",
}
OTHER_SHEETS = {
    "filter": "the Filters sheet of a web export (it describes the export; import the zip, or the Dates or "
    "Pages sheet)",
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
