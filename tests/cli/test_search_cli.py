"""``socialseo search`` on two weeks of a Search Console bulk export: totals, movers, the CTR curve, branded queries.

Figures by hand from tests/data/compare/gsc_bulk_url_two_weeks.csv (week of 2026-03-08 against the week before):
clicks 50+10+90+66+45 = 261 against 50+60+40+30 = 180; impressions 2,970 against 2,100.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.two_weeks import WEEK, run, two_weeks_db, wide_terminal  # noqa: F401 (a fixture)

from socialseo.cli import main

pytestmark = pytest.mark.usefixtures("wide_terminal")  # every test here reads tables a row per line


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = two_weeks_db(tmp_path / "w.duckdb")
    capsys.readouterr()
    return path


def _cells(out: str, first: str) -> list[str]:
    line = next(line for line in out.splitlines() if f"│ {first} " in line)
    return [c.strip() for c in line.split("│")[1:-1]]


def test_summary_compares_the_week_with_the_week_before(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["search", *WEEK, "--db", db], capsys)
    assert code == 0
    assert _cells(out, "clicks") == ["clicks", "261", "180", "+81", "+45.0%", "<0.001 *"]
    # CTR 261/2970 = 8.79% against 180/2100 = 8.57%: +0.2 points, within chance by the two-proportion test
    assert _cells(out, "ctr") == ["ctr", "8.8%", "8.6%", "+0.2 pt", "+2.5%", "0.788"]
    assert "top pages: /blog/how-to-measure-utm-parameters, /guides/campaign-tracking" in out


def test_rising_and_falling_pages_carry_their_social_activity(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["search", *WEEK, "--show", "rising", "--json", "--db", db], capsys)
    assert code == 0
    pages = json.loads(out)["pages"]
    assert [(p["page"], p["clicks_change"]) for p in pages] == [
        ("/guides/campaign-tracking", 50), ("/blog/how-to-measure-utm-parameters", 46), ("/pricing", 15)]
    utm = pages[1]
    assert (utm["posts"], utm["social_clicks"], utm["social_sessions"]) == (1, 120, 5)
    code, out, _ = run(["search", *WEEK, "--show", "falling", "--db", db], capsys)
    assert _cells(out, "/docs/api/webhooks")[:4] == ["/docs/api/webhooks", "10", "40", "-30"]


def test_opportunities_are_pages_far_below_the_sites_ctr_at_their_position(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["search", *WEEK, "--show", "opportunities", "--json", "--db", db], capsys)
    assert code == 0
    pages = json.loads(out)["pages"]
    # at position 5 the site's pages get (10 + 50) / (900 + 500) = 4.29%; the webhooks docs get 10 / 900 = 1.1%
    assert [p["page"] for p in pages] == ["/docs/api/webhooks"]
    assert pages[0]["expected_ctr"] == pytest.approx(60 / 1400)
    assert pages[0]["missed_clicks"] == pytest.approx(900 * 60 / 1400 - 10)


def test_branded_queries_follow_the_brand_terms(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["search", *WEEK, "--show", "brand", "--json", "--db", db], capsys)
    rows = {r["segment"]: r for r in json.loads(out)["rows"]}
    assert code == 0
    # "examplebrand utm" and "example brand pricing" name the brand: 66 + 45 clicks against 60 + 30
    assert (rows["branded"]["clicks"], rows["branded"]["clicks_before"]) == (111, 90)
    assert (rows["unbranded"]["clicks"], rows["unbranded"]["clicks_before"]) == (150, 90)


def test_without_search_console_data_it_names_the_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.duckdb")
    from tests.cli.two_weeks import DATA

    assert main(["ingest", "logs", str(DATA / "access_two_weeks.log"), "--db", db]) == 0
    capsys.readouterr()
    code, out, err = run(["search", "--db", db], capsys)
    assert code == 0 and out == ""
    assert "socialseo ingest gsc" in err and "socialseo pull gsc" in err


def test_a_period_without_search_data_says_which_days_it_holds(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["search", "--from", "2025-01-01", "--to", "2025-01-31", "--db", db], capsys)
    assert code == 0
    assert "No Search Console data from 2025-01-01 to 2025-01-31 (it holds 2026-03-02 to 2026-03-13)" in \
        " ".join(err.split())
