"""Annotations and the grouped platform filter in the real Debian Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.cli.annotated_site import build

import socialseo
from socialseo.web.app import create_app
from socialseo.web.background import serving

pytestmark = pytest.mark.browser


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    context.close()


def test_report_marks_an_annotation_and_shows_it_on_hover(tab: Any, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    db = build(tmp_path, capsys)
    with socialseo.open(db) as project:
        project.add_annotation("2026-03-05", "price cut")
        path = project.report(tmp_path / "r")
    tab.goto(path.as_uri(), wait_until="load")
    tab.wait_for_function("document.querySelectorAll('#chart-channel-mix svg.main-svg').length > 0")
    chart = tab.locator("#chart-channel-mix")
    # one dotted line per marked day inside the chart's days (2026-03-04 and 2026-03-05), each topped by a glyph
    assert chart.locator(".layer-above .shapelayer path").count() == 2
    glyph = chart.locator("g.annotation", has_text="✎")
    assert glyph.count() == 1
    glyph.hover()
    tab.wait_for_function(
        "document.querySelector('#chart-channel-mix .hoverlayer')?.textContent.includes('price cut')")
    assert tab.errors == []


def test_platform_choice_is_grouped_by_channel_and_filters(tab: Any, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    db = build(tmp_path, capsys)
    with serving(create_app(db)) as url:
        tab.goto(url + "/", wait_until="networkidle")
        groups = tab.evaluate("""() => Array.from(document.querySelectorAll('select[name=platform] optgroup'))
            .map(g => [g.label, Array.from(g.querySelectorAll('option')).map(o => o.value)])""")
        assert ["social", ["facebook", "linkedin", "x"]] in groups
        tab.select_option('select[name="platform"]', ["x"])
        tab.click('button[type="submit"]')
        tab.wait_for_load_state("networkidle")
        assert "platform=x" in tab.url
        assert tab.locator('optgroup[label="social"] option[value="x"]').evaluate("o => o.selected")
    assert tab.errors == []
