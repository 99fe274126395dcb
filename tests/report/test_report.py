"""The HTML report: self-contained, escaped, and honest about missing data."""

from __future__ import annotations

import re
from pathlib import Path

from tests.ingest.test_access_logs import LINES, UA, write_log

from socialseo.api import Project
from socialseo.report.html import write_report
from socialseo.store.warehouse import Warehouse


def test_empty_warehouse_report_says_what_is_missing(warehouse: Warehouse, tmp_path: Path) -> None:
    html = write_report(warehouse.con, tmp_path).read_text()
    assert "No access log has been imported" in html
    assert 'data-has-data="false"' in html


def test_report_is_self_contained(warehouse: Warehouse, tmp_path: Path) -> None:
    Project(warehouse).ingest_logs([write_log(tmp_path, LINES)], site=["www.example.com"])
    html = write_report(warehouse.con, tmp_path / "out").read_text()
    # no external scripts, styles or fonts: it must open offline
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', html)
    assert "Plotly" in html and 'id="chart-social-sessions"' in html


def test_untrusted_text_from_logs_is_escaped(warehouse: Warehouse, tmp_path: Path) -> None:
    evil = (
        '198.51.100.7 - - [01/Mar/2026:10:00:00 +0000] "GET /<script>alert(1)</script> HTTP/1.1" 200 5 '
        f'"https://t.co/x" "{UA}"'
    )
    Project(warehouse).ingest_logs([write_log(tmp_path, [evil, *LINES])], site=["www.example.com"])
    html = write_report(warehouse.con, tmp_path / "out").read_text()
    assert "/&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


def test_providers_with_and_without_filters_both_work(warehouse: Warehouse, tmp_path: Path) -> None:
    from socialseo.analysis.filters import Filters
    from socialseo.report.sections import Section, call_provider

    seen: list[object] = []

    def old_style(con: object) -> list[Section]:
        return [Section("old", "Old", "nothing", False)]

    def new_style(con: object, filters: Filters | None = None) -> list[Section]:
        seen.append(filters)
        return []

    wanted = Filters(platforms=("x",))
    assert call_provider(old_style, warehouse.con, wanted)[0].key == "old"
    call_provider(new_style, warehouse.con, wanted)
    assert seen == [wanted]


def test_platform_filter_narrows_the_report(warehouse: Warehouse, tmp_path: Path) -> None:
    from socialseo.analysis.filters import Filters
    from socialseo.report.html import render_report

    Project(warehouse).ingest_logs([write_log(tmp_path, LINES)], site=["www.example.com"])
    everything = render_report(warehouse.con)
    only_search = render_report(warehouse.con, Filters(platforms=("google",)))
    assert "Social platforms sent" in everything
    assert "No session came from a social platform." in only_search


def test_report_draws_timelines_of_the_top_social_landing_pages(warehouse: Warehouse, tmp_path: Path) -> None:
    Project(warehouse).ingest_logs([write_log(tmp_path, LINES)], site=["www.example.com"])
    top = warehouse.con.execute(
        "SELECT landing_page FROM sessions WHERE channel = 'social' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()
    assert top is not None
    html = write_report(warehouse.con, tmp_path / "out").read_text()
    # plotly writes "/" as "\u002f" inside its JSON, so that "</script>" can never appear there
    assert 'id="chart-timeline-0"' in html and "Social activity: " + top[0].replace("/", "\\u002f") in html
