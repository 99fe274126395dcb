"""Page timelines: for the pages social sends most visitors to, social activity above and search below."""

from __future__ import annotations

import duckdb
from markupsafe import Markup

from socialseo.analysis.engagement import session_filter
from socialseo.analysis.filters import Filters
from socialseo.analysis.pages import page_timeline
from socialseo.report import charts
from socialseo.report.marks import chart_marks
from socialseo.report.sections.base import Section

TOP_PAGES = 3


def sections(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> list[Section]:
    where, params = session_filter(filters)
    pages = [r[0] for r in con.execute(
        f"SELECT landing_page FROM sessions WHERE channel = 'social' AND landing_page IS NOT NULL AND {where} "
        f"GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {TOP_PAGES}",
        params,
    ).fetchall()]
    section = Section(
        "timelines", "Page timelines",
        "social sessions by landing page, social posts by linked page, Search Console rows by page",
        bool(pages),
        missing="No social sessions yet, so no page to follow over time: import access logs with social visits "
                "(`socialseo ingest logs PATH`).",
    )
    section.paragraphs = [
        f"The {len(pages)} page(s) social platforms send most visitors to: social activity above, search "
        "performance below, on one time axis. The dashboard's Pages view draws this for any page."
    ] if pages else []
    for i, page in enumerate(pages):
        frame = page_timeline(con, page, filters)
        section.charts.append(Markup(charts.fragment(charts.page_timeline(frame, page), f"chart-timeline-{i}",
                                                            chart_marks(con, filters, page))))
    return [section]
