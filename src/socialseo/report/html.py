"""Build ``report.html`` from the warehouse.

Every value from the data (page paths, referrers, crawled titles) is untrusted: Jinja2's autoescaping renders it as
text everywhere. Each section says what data it rests on and hides itself, with a note, when that data is missing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from socialseo import __version__
from socialseo.report import charts
from socialseo.report.sections import build_sections


def environment() -> Environment:
    return Environment(
        loader=PackageLoader("socialseo.report", "templates"),
        autoescape=select_autoescape(default_for_string=True, default=True),
    )


def render_report(con: duckdb.DuckDBPyConnection) -> str:
    """The report as one HTML string: styles, charts and plotly.js inlined."""
    sections = build_sections(con)
    period = con.execute("SELECT min(ts), max(ts) FROM hits").fetchone()
    return environment().get_template("report.html.j2").render(
        version=__version__,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        period=period if period and period[0] else None,
        sites=[r[0] for r in con.execute("SELECT host FROM sites ORDER BY 1").fetchall()],
        summary=[line for section in sections for line in section.summary],
        sections=sections,
        plotly_js=Markup(charts.plotly_js()),
    )


def write_report(con: duckdb.DuckDBPyConnection, out_dir: Path) -> Path:
    """Write ``out_dir/report.html`` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.html"
    path.write_text(render_report(con), encoding="utf-8")
    return path
