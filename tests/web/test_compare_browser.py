"""In the real Debian Chromium: the report and the dashboard set a week beside the week before it, show the search
performance section with its chart, and neither scrolls sideways on a wide screen or a phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.cli.two_weeks import WEEK, two_weeks_db

from socialseo.cli import main
from socialseo.web.app import create_app
from socialseo.web.background import serving

pytestmark = pytest.mark.browser

WIDTHS = (1400, 390)
SIDEWAYS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
CHART = """(id) => { const d = document.getElementById(id);
    return d ? {traces: (d.data || []).length, svg: !!d.querySelector('svg.main-svg')} : null; }"""


def _look(browser: Any, url: str, width: int) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    seen = {
        "sideways": page.evaluate(SIDEWAYS),
        "compare": page.locator("#compare").inner_text() if page.locator("#compare").count() else "",
        "search": page.locator("#search-insights").inner_text() if page.locator("#search-insights").count() else "",
        "chart": page.evaluate(CHART, "chart-search-trend"),
        "kpi": page.locator('[data-metric="sessions"]').inner_text() if page.locator(".kpi").count() else "",
        "errors": errors,
    }
    context.close()
    return seen


def test_report_and_dashboard_show_the_comparison_and_search_section_at_any_width(
    browser: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = two_weeks_db(tmp_path / "w.duckdb")
    assert main(["report", *WEEK, "--compare", "previous", "--out", str(tmp_path / "r"), "--db", db]) == 0
    capsys.readouterr()
    report = (tmp_path / "r" / "report.html").as_uri()
    for width in WIDTHS:
        seen = _look(browser, report, width)
        scroll, inner = seen["sideways"]
        assert scroll <= inner, f"report scrolls sideways at {width} px"
        assert "search clicks" in seen["compare"] and "+45.0%" in seen["compare"]
        assert "Rising pages" in seen["search"] and "/guides/campaign-tracking" in seen["search"]
        assert seen["chart"] == {"traces": 4, "svg": True}
        assert seen["errors"] == []
    with serving(create_app(db)) as url:
        for width in WIDTHS:
            home = _look(browser, f"{url}/?start=2026-03-08&end=2026-03-14&compare=previous", width)
            search = _look(browser, f"{url}/search?start=2026-03-08&end=2026-03-14&compare=previous", width)
            for seen in (home, search):
                scroll, inner = seen["sideways"]
                assert scroll <= inner, f"dashboard scrolls sideways at {width} px"
                assert seen["errors"] == []
            assert "2026-03-01 to 2026-03-07: 5 (+60.0%)" in home["kpi"]
            assert "search clicks" in home["compare"]
            assert "Falling pages" in search["search"] and search["chart"] == {"traces": 4, "svg": True}
