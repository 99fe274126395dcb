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
from socialseo.report.sections import ProgressCallback, Section, build_sections
from socialseo.report.verdict import VerdictCard, build_card

FORMATS = ("html", "pdf")


def environment() -> Environment:
    return Environment(
        loader=PackageLoader("socialseo.report", "templates"),
        autoescape=select_autoescape(default_for_string=True, default=True),
    )


# Sections whose first lines the verdict card already states; repeating them below it would bury the rest.
ON_THE_CARD = ("impact", "actions")


def verdict_of(sections: list[Section]) -> VerdictCard:
    """The card that opens the page: the impact section's evidence and the action list's first actions."""
    evidence = next((s.verdict for s in sections if s.verdict is not None), None)
    impact = next((s for s in sections if s.key == "impact"), None)
    actions = [a for s in sections for a in s.actions]
    return build_card(evidence, actions, impact.missing if impact is not None and not impact.has_data else "")


def frame_context(con: duckdb.DuckDBPyConnection, sections: list[Section]) -> dict[str, Any]:
    """What the report's frame shows around the sections: sites, period, the verdict card, the key findings."""
    period = con.execute("SELECT min(ts), max(ts) FROM hits").fetchone()
    findings = [(s.key, s.title, s.summary) for s in sections if s.summary and s.key not in ON_THE_CARD]
    return {
        "version": __version__,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "period": period if period and period[0] else None,
        "sites": [r[0] for r in con.execute("SELECT host FROM sites ORDER BY 1").fetchall()],
        "verdict": verdict_of(sections),
        # the findings under the card, grouped by the section they come from, which each links to
        "findings": findings,
        "summary": [line for _, _, lines in findings for line in lines],
        "hidden": [section.title for section in sections if not section.has_data],
    }


def render_report(con: duckdb.DuckDBPyConnection, filters: Filters | None = None,
                  on_progress: ProgressCallback | None = None) -> str:
    """The report as one HTML string: styles, charts and plotly.js inlined (``on_progress``: see
    :func:`~socialseo.report.sections.build_sections`)."""
    sections = build_sections(con, filters, on_progress)
    return environment().get_template("report.html.j2").render(
        **frame_context(con, sections),
        sections=sections,
        filters=filters,
        plotly_js=Markup(charts.plotly_js()),
    )


def write_report(
    con: duckdb.DuckDBPyConnection, out_dir: Path, *, fmt: str = "html", filters: Filters | None = None,
    on_progress: ProgressCallback | None = None,
) -> Path:
    """Write ``out_dir/report.html`` (and ``report.pdf`` for ``fmt="pdf"``); return the path asked for."""
    if fmt not in FORMATS:
        raise SocialSeoError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.html"
    path.write_text(render_report(con, filters, on_progress), encoding="utf-8")
    if fmt == "pdf":
        return html_to_pdf(path, out_dir / "report.pdf")
    return path
