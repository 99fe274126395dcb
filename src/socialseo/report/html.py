"""Build ``report.html`` (and optionally ``report.pdf``) from the warehouse.

Every value from the data (page paths, referrers, crawled titles) is untrusted: Jinja2's autoescaping renders it as
text everywhere. Each section says what data it rests on and hides itself, with a note, when that data is missing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from socialseo._version import __version__
from socialseo.analysis.filters import Filters
from socialseo.errors import SocialSeoError
from socialseo.report import charts
from socialseo.report.browser import html_to_pdf
from socialseo.report.sections import Section, build_sections

FORMATS = ("html", "pdf")


def environment() -> Environment:
    return Environment(
        loader=PackageLoader("socialseo.report", "templates"),
        autoescape=select_autoescape(default_for_string=True, default=True),
    )


def frame_context(con: duckdb.DuckDBPyConnection, sections: list[Section]) -> dict[str, Any]:
    """What the report's frame shows around the sections: sites, period, the executive summary."""
    period = con.execute("SELECT min(ts), max(ts) FROM hits").fetchone()
    return {
        "version": __version__,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "period": period if period and period[0] else None,
        "sites": [r[0] for r in con.execute("SELECT host FROM sites ORDER BY 1").fetchall()],
        "summary": [line for section in sections for line in section.summary],
        "hidden": [section.title for section in sections if not section.has_data],
    }


def render_report(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> str:
    """The report as one HTML string: styles, charts and plotly.js inlined."""
    sections = build_sections(con, filters)
    return environment().get_template("report.html.j2").render(
        **frame_context(con, sections),
        sections=sections,
        filters=filters,
        plotly_js=Markup(charts.plotly_js()),
    )


def write_report(
    con: duckdb.DuckDBPyConnection, out_dir: Path, *, fmt: str = "html", filters: Filters | None = None
) -> Path:
    """Write ``out_dir/report.html`` (and ``report.pdf`` for ``fmt="pdf"``); return the path asked for."""
    if fmt not in FORMATS:
        raise SocialSeoError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.html"
    path.write_text(render_report(con, filters), encoding="utf-8")
    if fmt == "pdf":
        return html_to_pdf(path, out_dir / "report.pdf")
    return path
