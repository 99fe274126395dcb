"""The report reads as matrices, charts and short tables: pivots keep every number, folded rows stay in the page."""

from __future__ import annotations

import html
import re
from pathlib import Path

import duckdb
import pandas as pd
from tests.ingest.test_access_logs import LINES, write_log

from socialseo.analysis.backlinks import backlinks_over_time
from socialseo.api import Project
from socialseo.report import charts
from socialseo.report.html import environment, render_report
from socialseo.report.sections import Section, Table, backlinks, traffic
from socialseo.report.sections.base import SHOWN_ROWS, pivot
from socialseo.store.warehouse import Warehouse

PLATFORMS = ["facebook", "linkedin", "x", "reddit", None]


def _seed_backlinks(con: duckdb.DuckDBPyConnection) -> None:
    """600 links: five sources, rel values cycling, first seen across 14 months, every seventh one lost."""
    con.execute(
        """
        INSERT INTO backlinks (source_url, source_platform, source_domain, target_url, target_page, anchor, rel,
                               is_followed, found_by, first_seen, last_seen, lost)
        SELECT 'https://src.example/' || i, list_extract($platforms, i % 5 + 1), 'src.example',
               'https://www.example.com/p' || (i % 30), '/p' || (i % 30), 'anchor ' || (i % 9),
               list_extract(['', 'nofollow', 'ugc', 'nofollow ugc', 'sponsored'], i % 5 + 1), i % 5 = 0, 'export',
               TIMESTAMP '2025-01-03' + INTERVAL (i % 420) DAY, TIMESTAMP '2026-03-01' + INTERVAL (i % 50) DAY,
               i % 7 = 0
        FROM range(600) t(i)
        """,
        {"platforms": PLATFORMS},
    )


def test_pivot_has_one_row_per_platform_and_keeps_every_count() -> None:
    long = pd.DataFrame({"platform": ["x", "x", "reddit", "facebook", "facebook", "facebook"],
                         "evidence": ["utm", "click_id", "utm", "utm", "click_id", "shortener"],
                         "sessions": [3, 5, 7, 1, 2, 40]})
    table = pivot(long, "platform", "evidence", "sessions", "matrix")
    assert [row[0] for row in table.rows] == ["facebook", "x", "reddit"]  # largest total first
    assert table.header == ["platform", "shortener", "utm", "click_id", "total"]  # largest column first
    assert table.rows[2] == ["reddit", "–", "7", "–", "7"]
    assert [row[-1] for row in table.rows] == ["43", "8", "7"]


def test_evidence_matrix_matches_the_sessions_table(warehouse: Warehouse, tmp_path: Path) -> None:
    Project(warehouse).ingest_logs([write_log(tmp_path, LINES)], site=["www.example.com"])
    social = next(s for s in traffic.sections(warehouse.con) if s.key == "social")
    matrix = next(t for t in social.tables if t.caption.startswith("How social sessions were recognised"))
    expected = dict(warehouse.con.execute(
        "SELECT coalesce(platform, 'unknown'), count(*) FROM sessions WHERE channel = 'social' GROUP BY 1").fetchall())
    assert {row[0]: int(row[-1].replace(",", "")) for row in matrix.rows} == expected
    assert len(matrix.rows) == len(expected)


def test_folded_rows_are_all_in_the_page_inside_details() -> None:
    rows = [[f"/page-{i}", str(i)] for i in range(37)]
    section = Section("t", "Test", "a list", True, tables=[Table("Pages", ["page", "sessions"], rows)])
    page = environment().get_template("_section.html.j2").render(s=section)
    visible, folded = page.split("<details", 1)
    assert all(f"/page-{i}<" in visible for i in range(SHOWN_ROWS))
    assert all(f"/page-{i}<" in folded for i in range(SHOWN_ROWS, 37))
    assert f"{37 - SHOWN_ROWS} more row(s) of Pages" in folded
    assert page.count('<td class="num">') == 37  # the number column is right-aligned, the path column is not


def test_short_tables_do_not_fold() -> None:
    section = Section("t", "Test", "a list", True, tables=[Table("Few", ["a"], [["1"], ["2"]])])
    assert "<details" not in environment().get_template("_section.html.j2").render(s=section)


def test_folded_cells_are_escaped() -> None:
    rows = [[f"/p{i}"] for i in range(SHOWN_ROWS)] + [["<script>alert(1)</script>"]]
    section = Section("t", "Test", "a list", True, tables=[Table("Pages", ["page"], rows)])
    page = environment().get_template("_section.html.j2").render(s=section)
    assert "<script>alert(1)</script>" not in page and html.escape("<script>alert(1)</script>") in page


def test_backlink_section_charts_and_month_matrix(warehouse: Warehouse) -> None:
    _seed_backlinks(warehouse.con)
    section = backlinks.sections(warehouse.con)[0]
    charts_html = "".join(section.charts)
    assert 'id="chart-backlinks-rel"' in charts_html and 'id="chart-backlinks-monthly"' in charts_html
    months = next(t for t in section.tables if t.caption.startswith("New / lost"))
    over_time = backlinks_over_time(warehouse.con, "month")
    assert len(months.rows) == over_time["period"].nunique()
    assert [r[0] for r in months.rows] == sorted((r[0] for r in months.rows), reverse=True)
    new, lost = zip(*(map(int, r[-1].replace(",", "").split(" / ")) for r in months.rows), strict=True)
    assert sum(new) == over_time["new"].sum() and sum(lost) == over_time["lost"].sum()
    anchors = next(t for t in section.tables if t.caption.startswith("Top anchors"))
    assert len(anchors.rows) == len({p or "(other sites)" for p in PLATFORMS})


def test_new_and_lost_chart_puts_lost_links_below_zero(warehouse: Warehouse) -> None:
    _seed_backlinks(warehouse.con)
    over_time = backlinks_over_time(warehouse.con, "month")
    fig = charts.backlinks_new_lost(over_time)
    ups = sum(float(sum(t.y)) for t in fig.data if not t.name.endswith("(lost)"))
    downs = sum(float(sum(t.y)) for t in fig.data if t.name.endswith("(lost)"))
    assert ups == over_time["new"].sum() and -downs == over_time["lost"].sum() > 0


def test_engagement_measures_each_get_their_own_axis() -> None:
    frame = pd.DataFrame({"platform": ["x", "reddit"], "bounce_rate": [0.5, 0.25],
                          "avg_duration_s": [120.0, 30.0], "pages_per_session": [2.0, 1.5]})
    fig = charts.engagement_bars(frame)
    assert len({t.yaxis for t in fig.data}) == 3
    assert [list(t.y) for t in fig.data] == [[50.0, 25.0], [2.0, 0.5], [2.0, 1.5]]


def test_report_marks_sections_without_data_in_the_contents(warehouse: Warehouse) -> None:
    page = render_report(warehouse.con)
    nav = page.split("<nav>", 1)[1].split("</nav>", 1)[0]
    assert re.search(r'<a href="#backlinks" class="empty"', nav)
    assert nav.count('class="empty"') == page.count('data-has-data="false"')
