"""The report's post-metrics and search sections: computed from the data, hidden with a note without it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import TEST_DATA

import socialseo
from socialseo.report.sections import build_sections

EXPORTS = TEST_DATA / "exports"


def test_sections_hide_with_a_note_when_nothing_was_imported() -> None:
    with socialseo.open(":memory:") as project:
        found = {s.key: s for s in build_sections(project.warehouse.con)}
    assert not found["social_posts"].has_data and "ingest posts" in found["social_posts"].missing
    assert not found["search"].has_data and "ingest gsc" in found["search"].missing


def test_search_section_says_how_much_anonymised_queries_hide(tmp_path: Path) -> None:
    with socialseo.open(tmp_path / "w.duckdb") as project:
        project.ingest_gsc([EXPORTS / "gsc_api_rows.json", EXPORTS / "gsc_bulk_url_impression.csv"])
        project.ingest_posts([EXPORTS / "x_tweet_activity.csv", EXPORTS / "facebook_posts.csv"])
        found = {s.key: s for s in build_sections(project.warehouse.con)}
        report = project.report(tmp_path / "out").read_text(encoding="utf-8")
    search = found["search"]
    # page totals of 2026-03-02: 800 + 400 impressions; the bulk rows by query list 500 + 400 of them
    assert any("900 of the 1,200 impressions" in line and "25.0%" in line for line in search.summary)
    social = found["social_posts"]
    assert social.summary[0] == "4 social posts on 2 platforms were imported."
    assert any("facebook" in line and "1.8%" in line for line in social.summary)
    assert "Post metrics by platform" in report and "Search performance" in report


def test_search_section_says_which_pages_have_daily_data_and_which_only_totals(tmp_path: Path) -> None:
    with socialseo.open(tmp_path / "w.duckdb") as project:
        project.ingest_gsc([EXPORTS / "gsc_api_rows.json", EXPORTS / "gsc_web_export_last_3_months.zip"])
        project.ingest_gsc([EXPORTS / "gsc_web_export_custom_dates.zip"])
        found = {s.key: s for s in build_sections(project.warehouse.con)}
        report = project.report(tmp_path / "out").read_text(encoding="utf-8")
    search = found["search"]
    assert "2 page(s) have daily Search Console data; 1 have only period totals" in " ".join(search.summary)
    [table] = [t for t in search.tables if t.caption.startswith("Search Console data per page")]
    rows = {r[0]: r for r in table.rows}
    assert rows["/guide"][1:] == ["period totals only", "–", "–", "–", "12",
                                                         "2026-08-28 to 2026-09-03"]
    utm = rows["/blog/how-to-measure-utm-parameters"]  # pages keyed by path
    assert utm[1:4] == ["daily and period totals", "75", "2026-03-02"] and utm[6] == "Last 3 months (days unknown)"
    assert "Search Console data per page" in report and "period totals only" in report


def test_search_section_shows_with_only_period_totals(tmp_path: Path) -> None:
    with socialseo.open(tmp_path / "w.duckdb") as project:
        project.ingest_gsc([EXPORTS / "gsc_web_export_last_3_months.zip"])
        found = {s.key: s for s in build_sections(project.warehouse.con)}
    assert found["search"].has_data
    assert "0 page(s) have daily Search Console data; 2 have only period totals" in " ".join(found["search"].summary)
