"""In the real Debian Chromium: the report and the dashboard's overview open with the verdict card, no page scrolls
sideways on a wide screen or a phone, and a channel or platform has the same colour in any two reports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from tests.ingest.test_access_logs import LINES, write_log

import socialseo
from socialseo.report.colours import colour
from socialseo.report.html import write_report
from socialseo.web.views import VIEWS

pytestmark = pytest.mark.browser

WIDTHS = (1400, 390)
SIDEWAYS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
# Each trace's name and colour (a line's, else a bar's single colour) in every chart on the page.
TRACE_COLOURS = """() => Object.fromEntries(Array.from(document.querySelectorAll('.plotly-graph-div')).map(d =>
    [d.id, (d.data || []).map(t => [t.name, (t.line && t.line.color) || (t.marker && t.marker.color) || null])]))"""
# The card is the first block inside <main> that a reader sees (a note that the data is behind may sit above it).
FIRST_BLOCK = """() => { const m = document.querySelector('main');
    const first = Array.from(m.children).find(e => e.id !== 'data-behind');
    const card = document.getElementById('verdict'); const r = card.getBoundingClientRect();
    return {first: first.id, top: r.top, visible: r.height > 100 && getComputedStyle(card).display !== 'none',
            text: card.innerText}; }"""


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    context.close()


@pytest.fixture(scope="module")
def demo_report(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        return write_report(con, tmp_path_factory.mktemp("demo-report"))
    finally:
        con.close()


@pytest.fixture(scope="module")
def small_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report of a warehouse with a handful of log lines: two platforms and three channels, not the demo's mix."""
    tmp = tmp_path_factory.mktemp("small")
    with socialseo.open(tmp / "small.duckdb") as project:
        project.ingest_logs([write_log(tmp, LINES)], site=["www.example.com"])
        return project.report(tmp / "out")


def _check_card(info: dict[str, Any]) -> None:
    assert info["first"] == "verdict" and info["visible"]
    assert info["text"].splitlines()[0].strip().upper() == "DID SOCIAL ACTIVITY MOVE SEARCH?"


def test_report_opens_with_the_effect_card_in_view(tab: Any, demo_report: Path) -> None:
    tab.goto(demo_report.as_uri(), wait_until="load")
    info = tab.evaluate(FIRST_BLOCK)
    _check_card(info)
    assert info["top"] < 300, "the answer is not in the first screen"
    assert "Effect" in info["text"] and "95% interval +" in info["text"]
    # headings are shown in capitals (innerText follows the CSS)
    assert "PLATFORMS THAT CARRY IT" in info["text"] and "DO NEXT" in info["text"]
    assert tab.errors == []


def test_dashboard_overview_opens_with_the_same_card(tab: Any, dashboard: str, demo_report: Path) -> None:
    tab.goto(dashboard + "/", wait_until="networkidle")
    info = tab.evaluate(FIRST_BLOCK)
    _check_card(info)
    tab.goto(demo_report.as_uri(), wait_until="load")
    report = tab.evaluate(FIRST_BLOCK)
    # the same answer, word for word, in the report and on the dashboard
    assert info["text"].split("PLATFORMS THAT CARRY IT")[0] == report["text"].split("PLATFORMS THAT CARRY IT")[0]
    tab.goto(dashboard + "/channels", wait_until="networkidle")
    assert tab.locator("#verdict").count() == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_report_and_every_dashboard_page_fit_without_sideways_scroll(browser: Any, dashboard: str,
                                                                     demo_report: Path, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        urls = [demo_report.as_uri()] + [f"{dashboard}/{'' if v.name == 'overview' else v.name}" for v in VIEWS]
        for url in urls:
            page.goto(url, wait_until="networkidle")
            page.wait_for_timeout(200)  # let the charts lay themselves out to their boxes
            scroll, inner = page.evaluate(SIDEWAYS)
            assert scroll <= inner, f"{url} scrolls sideways at {width} px ({scroll} > {inner})"
    finally:
        context.close()


def test_a_channel_and_a_platform_keep_their_colour_across_reports(tab: Any, demo_report: Path,
                                                                   small_report: Path) -> None:
    seen: list[dict[str, list[list[Any]]]] = []
    for path in (demo_report, small_report):
        tab.goto(path.as_uri(), wait_until="load")
        tab.wait_for_function("document.querySelectorAll('.plotly-graph-div svg.main-svg').length > 0")
        seen.append(tab.evaluate(TRACE_COLOURS))
    demo, small = ({name: c for name, c in charts["chart-social-sessions"]} for charts in seen)
    assert len(small) < len(demo), "the small warehouse should have fewer platforms"
    assert small["facebook"] == demo["facebook"] == colour("facebook")
    demo_ch, small_ch = ({name: c for name, c in charts["chart-channel-mix"]} for charts in seen)
    assert len(small_ch) < len(demo_ch)
    for channel in ("social", "organic_search"):
        assert small_ch[channel] == demo_ch[channel] == colour(channel)
    assert demo["pinterest"] != demo["youtube"]
