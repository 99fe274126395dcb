"""The dashboard and report.html in the real Debian Chromium: no console errors, charts drawn with data, filters
that change the numbers, and a crawled ``<script>`` title shown as text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from tests.web.conftest import EVIL_TITLE

from socialseo.report.html import write_report
from socialseo.web.views import VIEWS

pytestmark = pytest.mark.browser

CHARTS_WITH_DATA = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(d => ({
    id: d.id, traces: (d.data || []).length, svg: !!d.querySelector('svg.main-svg'),
    points: (d._fullData || []).reduce((n, t) => n + (t._length || 0), 0)}))"""


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.errors = errors
    yield tab
    context.close()


def test_every_dashboard_page_loads_without_console_errors(page: Any, dashboard: str) -> None:
    for view in VIEWS:
        page.goto(f"{dashboard}/{'' if view.name == 'overview' else view.name}", wait_until="networkidle")
        assert page.locator("h1").inner_text().endswith(view.title)
    assert page.errors == []


def test_charts_render_with_data(page: Any, dashboard: str) -> None:
    page.goto(f"{dashboard}/channels", wait_until="networkidle")
    charts = page.evaluate(CHARTS_WITH_DATA)
    assert charts and all(c["svg"] and c["traces"] > 0 and c["points"] > 0 for c in charts)
    page.goto(f"{dashboard}/platforms", wait_until="networkidle")
    assert {"chart-social-sessions", "chart-engagement"} <= {c["id"] for c in page.evaluate(CHARTS_WITH_DATA)}
    assert page.errors == []


def test_platform_filter_changes_the_overview_numbers(page: Any, dashboard: str) -> None:
    page.goto(dashboard + "/", wait_until="networkidle")
    before = page.locator('[data-metric="sessions"] b').inner_text()
    page.select_option('select[name="platform"]', ["linkedin"])
    page.click('button[type="submit"]')
    page.wait_for_load_state("networkidle")
    after = page.locator('[data-metric="sessions"] b').inner_text()
    assert "platform=linkedin" in page.url
    assert int(after.replace(",", "")) < int(before.replace(",", ""))
    assert page.locator('[data-metric="social-share"] b').inner_text() == "100.0%"


def test_crawled_script_title_is_text_and_page_timeline_draws(page: Any, dashboard: str, evil_page: str) -> None:
    page.goto(f"{dashboard}/pages?q=Evil", wait_until="networkidle")
    assert page.get_by_text(EVIL_TITLE, exact=True).count() == 1
    assert page.evaluate("window.__pwned") is None
    page.click(f'a:text-is("{evil_page}")')
    page.wait_for_load_state("networkidle")
    timeline = [c for c in page.evaluate(CHARTS_WITH_DATA) if c["id"] == "chart-page-timeline"]
    assert timeline and timeline[0]["points"] > 0 and timeline[0]["traces"] == 4
    assert page.errors == []


def test_report_html_opens_offline_with_charts(page: Any, demo_db: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(demo_db), read_only=True)
    path = write_report(con, tmp_path)
    con.close()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("document.querySelectorAll('.plotly-graph-div svg.main-svg').length > 0")
    charts = page.evaluate(CHARTS_WITH_DATA)
    assert charts and all(c["points"] > 0 for c in charts)
    assert all(url.startswith("file://") or url.startswith("data:") for url in requests)
    assert page.locator("#actions").count() == 1 and page.locator("#summary li").count() > 0
    assert page.errors == []


def test_report_pdf_is_printed_by_chromium(browser: Any, demo_db: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(demo_db), read_only=True)
    pdf = write_report(con, tmp_path, fmt="pdf")
    con.close()
    assert pdf.name == "report.pdf" and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000
