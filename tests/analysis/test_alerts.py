"""Alert rules on planted data, through the public API (``Project.alerts``) and ``socialseo refresh --check-alerts``."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

import socialseo
from socialseo.api import Project
from socialseo.cli import main

RULES = """
site = "www.example.com"
db = "w.duckdb"
dashboard_url = "https://dash.example.com/"
[sources.logs]
directory = "logs"
[[alerts.rules]]
kind = "search_change"
k = 3
[[alerts.rules]]
kind = "social_spike"
metric = "social_sessions"
min_change = 5
[[alerts.rules]]
kind = "lost_backlinks"
days = 3
[[alerts.rules]]
kind = "crawl_errors"
"""


def _plant_days(project: Project, page: str, clicks: list[int], sessions: list[int]) -> date:
    last = date.today()
    for i, (c, s) in enumerate(zip(clicks, sessions, strict=True)):
        day = last - timedelta(days=len(clicks) - 1 - i)
        project.warehouse.con.execute(
            "INSERT INTO page_daily (page, date, social_posts, social_engagement, social_link_clicks, "
            "social_impressions, social_sessions, backlinks_new, search_clicks, search_impressions) "
            "VALUES (?, ?, 0, 0, 0, 0, ?, 0, ?, 100)", [page, day, s, c],
        )
    return last


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    path = tmp_path / "socialseo.toml"
    path.write_text(RULES, encoding="utf-8")
    project = socialseo.open(tmp_path / "w.duckdb")
    steady = [20 + (i % 3) for i in range(28)]
    last = _plant_days(project, "/blog/launch", [*steady, 80], [2 + (i % 2) for i in range(28)] + [40])
    _plant_days(project, "/steady", [*steady, 21], [3] * 29)
    project.warehouse.con.execute(
        "INSERT INTO backlinks (source_url, source_platform, target_url, target_page, is_followed, found_by, "
        "first_seen, last_seen, lost) VALUES ('https://www.reddit.com/r/x/comments/1/', 'reddit', "
        "'https://www.example.com/pricing', '/pricing', false, 'discover', ?, ?, true)",
        [last - timedelta(days=40), last],
    )
    project.warehouse.con.execute(
        "INSERT INTO crawls (crawl_id, start_url, started_at) VALUES ('c1', 'https://www.example.com/', now())")
    project.warehouse.con.execute(
        "INSERT INTO crawl_pages (crawl_id, url, status, fetched_at) VALUES ('c1', 'https://www.example.com/', 200, "
        "now()), ('c1', 'https://www.example.com/gone', 404, now()), ('c1', 'https://www.example.com/x', 500, now())")
    project.close()
    return path


def test_rules_find_the_planted_changes_and_nothing_on_steady_pages(planted: Path) -> None:
    with socialseo.open(planted.parent / "w.duckdb") as project:
        found = project.alerts(planted)
    by_rule = {r: found[found["rule"] == r] for r in found["rule"].unique()}
    assert set(by_rule) == {"search_change", "social_spike", "lost_backlinks", "crawl_errors"}
    search = by_rule["search_change"].iloc[0]
    assert list(by_rule["search_change"]["subject"]) == ["/blog/launch"]
    assert "search_clicks of /blog/launch spiked to 80" in search["alert"] and "usual 18.45–23.48 (trailing 28-day mean 20.96" in search["alert"]
    assert search["link"] == "https://dash.example.com/pages?page=%2Fblog%2Flaunch"
    assert "social_sessions of /blog/launch spiked to 40" in by_rule["social_spike"].iloc[0]["alert"]
    assert "1 lost social backlink to /pricing" in by_rule["lost_backlinks"].iloc[0]["alert"]
    assert "2 of 3 pages failing" in by_rule["crawl_errors"].iloc[0]["alert"]
    assert not found["sent"].any()


def test_a_fall_below_the_usual_range_is_a_search_change_but_not_a_spike(tmp_path: Path) -> None:
    path = tmp_path / "socialseo.toml"
    path.write_text(RULES, encoding="utf-8")
    with socialseo.open(tmp_path / "w.duckdb") as project:
        _plant_days(project, "/falls", [50 + (i % 4) for i in range(28)] + [5], [30 + (i % 3) for i in range(28)] + [0])
        found = project.alerts(path)
    assert list(found["rule"]) == ["search_change"]
    assert "fell to 5" in found.iloc[0]["alert"]


def test_check_alerts_prints_each_alert_and_sends_nothing(planted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["refresh", "--project", str(planted), "--check-alerts"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "search_change [new]: search_clicks of /blog/launch spiked to 80" in out
    assert "crawl_errors [new]: the crawl of https://www.example.com/ found 2 of 3 pages failing" in out
    with socialseo.open(planted.parent / "w.duckdb") as project:
        assert project.alerts_sent().empty
