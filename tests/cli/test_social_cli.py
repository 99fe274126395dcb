"""``socialseo ingest posts|gsc|ranks``, ``pages`` and ``metrics`` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import TEST_DATA

from socialseo.cli import main

EXPORTS = TEST_DATA / "exports"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_everything_then_read_the_timeline_and_metrics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(tmp_path / "w.duckdb")]
    code, out, _ = run(["ingest", "gsc", str(EXPORTS / "gsc_api_rows.json"), *db], capsys)
    assert code == 0 and "page-level rows by date,page" in out and "page_daily: 2 pages" in out
    links = tmp_path / "links.csv"
    links.write_text("short_url,expanded_url\nhttps://t.co/khqCFZUh8r,https://www.example.com/blog/how-to-measure-utm-parameters/\n")
    code, out, _ = run(["ingest", "posts", str(EXPORTS / "x_tweet_activity.csv"), "--links", str(links), *db], capsys)
    assert code == 0 and "1 quarantined" in out
    code, out, _ = run(["ingest", "ranks", str(EXPORTS / "ranks.csv"), *db], capsys)
    assert code == 0 and "3 rows loaded, 2 quarantined" in out
    code, out, _ = run(["pages", "--url", "https://www.example.com/blog/how-to-measure-utm-parameters/", "--json", *db],
                       capsys)
    rows = json.loads(out)
    assert code == 0
    assert [(r["date"][:10], r["social_posts"], r["search_clicks"]) for r in rows] == [
        ("2026-03-02", 1, 40), ("2026-03-03", 0, 35)]
    code, out, _ = run(["metrics", "--by", "post", "--json", *db], capsys)
    posts = json.loads(out)
    assert code == 0 and len(posts) == 2
    assert posts[0]["ctr"] == pytest.approx(28 / 2310)
    code, out, _ = run(["metrics", *db], capsys)
    assert code == 0 and "social metrics by platform" in out


def test_user_errors_are_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(tmp_path / "w.duckdb")]
    code, _, err = run(["ingest", "gsc", str(EXPORTS / "gsc_ui" / "Filters.csv"), *db], capsys)
    assert code == 2 and "Filters sheet" in err and "Traceback" not in err
    code, _, err = run(["ingest", "posts", str(EXPORTS / "ranks.csv"), *db], capsys)
    assert code == 2 and "no header row of a known post export" in err
    code, _, err = run(["ingest", "posts", str(EXPORTS / "ranks.csv"), "--platform", "myspace", *db], capsys)
    assert code == 2 and "unknown platform 'myspace'" in err
    code, _, err = run(["metrics", "--by", "week", *db], capsys)
    assert code == 2 and "--by 'week'" in err
