"""The impact analyses through the warehouse: the loader, the CLI commands, the report sections."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.analysis.conftest import world

import socialseo
from socialseo.analysis.impact import load_panel
from socialseo.cli import main
from socialseo.demo.panel import world_panel, world_platform_panel
from socialseo.store.warehouse import Warehouse


def _fill(wh: Warehouse) -> None:
    """``page_daily`` and ``page_daily_platform`` as the materialising step writes them, plus the backlinks."""
    w = world(seed=11, effect=0.5)
    panel, platforms = world_panel(w), world_platform_panel(w)
    wh.con.register("panel_df", panel)
    wh.con.register("platform_df", platforms)
    wh.con.execute("DELETE FROM page_daily")
    wh.con.execute("INSERT INTO page_daily BY NAME SELECT page, CAST(date AS DATE) AS date, * EXCLUDE (page, date) "
                   "FROM panel_df")
    wh.con.execute("DELETE FROM page_daily_platform")
    wh.con.execute("INSERT INTO page_daily_platform BY NAME SELECT page, CAST(date AS DATE) AS date, platform, posts, "
                   "engagement, link_clicks, sessions FROM platform_df")
    links = w.backlinks.assign(
        target_page=w.backlinks["target_url"].str.replace("https://www.example.com", "", regex=False).str.rstrip("/")
        .replace("", "/"),
        source_platform=w.backlinks["source_url"].str.extract(r"(x|facebook|linkedin|reddit|pinterest|tiktok)\.com")[0],
        is_followed=w.backlinks["rel"].fillna("").str.contains("nofollow|ugc|sponsored") == False,  # noqa: E712
    )
    wh.con.register("links_df", links)
    wh.con.execute("INSERT INTO backlinks (source_url, source_platform, target_url, target_page, rel, is_followed, "
                   "found_by, first_seen) SELECT source_url, source_platform, target_url, target_page, rel, "
                   "is_followed, 'export', first_seen FROM links_df")


@pytest.fixture
def filled_db(tmp_path: Path) -> Path:
    path = tmp_path / "impact.duckdb"
    with Warehouse(path) as wh:
        _fill(wh)
    return path


def test_loader_reads_the_panel_that_imports_keep_up_to_date(tmp_path: Path) -> None:
    export = tmp_path / "gsc.csv"
    export.write_text(
        "date,page,query,country,device,clicks,impressions,ctr,position\n"
        "2026-03-01,https://www.example.com/a/,q,usa,MOBILE,2,10,0.2,3.0\n"
        "2026-03-01,https://www.example.com/a/?utm_source=x,q2,usa,DESKTOP,1,10,0.1,5.0\n"
        "2026-03-03,https://www.example.com/b,q,usa,MOBILE,0,4,0,8.0\n"
        "2026-03-03,https://www.example.com/a,q,usa,MOBILE,1,5,0.2,2.0\n"
    )
    with socialseo.open(tmp_path / "w.duckdb") as project:
        project.ingest_gsc([export])
        panel = load_panel(project.warehouse.con)
    pages = sorted(panel["page"].unique())
    assert len(pages) == 2 and pages[0].endswith("/a") and pages[1].endswith("/b")
    a1 = panel[(panel["page"] == pages[0]) & (panel["date"] == pd.Timestamp("2026-03-01"))].iloc[0]
    # tracking parameters are stripped from the page key; position is impression-weighted
    assert a1["search_clicks"] == 3 and a1["search_impressions"] == 20 and a1["search_position"] == 4.0
    a2 = panel[(panel["page"] == pages[0]) & (panel["date"] == pd.Timestamp("2026-03-02"))]
    assert len(a2) == 1 and a2.iloc[0]["search_clicks"] == 0, "complete panel: the day between is present"


def test_analyze_commands_print_json_with_intervals(filled_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "panel", "--db", str(filled_db), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    overall = rows[0]
    assert overall["scope"] == "all platforms" and overall["ci_low"] > 0 and overall["assumptions"]
    assert main(["analyze", "events", "--db", str(filled_db), "--json", "--profile"]) == 0
    assert {r["week"] for r in json.loads(capsys.readouterr().out)} >= {-4, -1, 0, 5}
    assert main(["analyze", "pagerank", "--db", str(filled_db), "--json"]) == 0
    ranks = json.loads(capsys.readouterr().out)
    assert abs(sum(r["pagerank_followed"] for r in ranks) - len(ranks)) < 1e-6
    assert main(["analyze", "platforms", "--db", str(filled_db), "--json"]) == 0
    platforms = json.loads(capsys.readouterr().out)
    assert {r["platform"] for r in platforms} >= {"x", "linkedin"}
    assert main(["analyze", "lags", "--db", str(filled_db), "--json"]) == 0
    assert {r["lag"] for r in json.loads(capsys.readouterr().out)} == set(range(29))


def test_analyze_impact_on_a_page_and_its_refusal_on_a_short_history(filled_db: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "impact", "--page", "https://www.example.com/", "--after", "2026-06-01",
                 "--db", str(filled_db), "--json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert row["estimable"] and row["ci_low"] <= row["relative_effect"] <= row["ci_high"]
    assert main(["analyze", "impact", "--page", "/", "--after", "2026-03-10", "--db", str(filled_db), "--json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert not row["estimable"] and row["relative_effect"] is None and "at least 28 days" in row["reason"]
    assert main(["analyze", "impact", "--page", "/", "--after", "June", "--db", str(filled_db)]) == 2
    assert "--after must be a date" in capsys.readouterr().err


def test_report_shows_the_impact_sections_with_intervals_and_escapes_page_names(filled_db: Path,
                                                                                tmp_path: Path) -> None:
    with Warehouse(filled_db) as wh:
        # many social links, so that the hostile page tops the "would gain most" table
        wh.con.execute("INSERT INTO backlinks (source_url, source_platform, target_url, target_page, is_followed, "
                       "found_by) SELECT 'https://x.com/' || i, 'x', 'u', '/<script>alert(1)</script>', false, 'export' "
                       "FROM range(200) t(i)")
    with socialseo.open(filled_db) as project:
        html = project.report(tmp_path / "out").read_text()
    assert 'id="impact" data-has-data="true"' in html
    assert 'id="equity" data-has-data="true"' in html and 'id="platforms" data-has-data="true"' in html
    assert "95% interval" in html and "Assumes:" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_report_hides_impact_sections_without_data(warehouse: Warehouse, tmp_path: Path) -> None:
    from socialseo.report.html import write_report

    html = write_report(warehouse.con, tmp_path / "r").read_text()
    assert 'id="impact" data-has-data="false"' in html and "import Search Console" in html


def test_validate_command_prints_the_coverage_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--seeds", "1", "--pages", "80", "--pages-per-site", "1", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["analysis"], r["placebo"]) for r in rows} == {
        ("impact: single page", 1), ("panel", 1), ("events", 1), ("impact: page group", 1)}
    assert main(["validate", "--seeds", "0"]) == 2
    assert "--seeds must be >= 1" in capsys.readouterr().err
