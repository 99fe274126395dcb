"""Every listing that finds nothing says why and what to run, with exit status 0 and a clean stdout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.test_cli import run
from tests.conftest import TEST_DATA
from tests.ingest.test_access_logs import LINES, write_log

from socialseo.cli import main


@pytest.fixture
def log_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "w.duckdb")
    assert main(["ingest", "logs", str(write_log(tmp_path, LINES)), "--site", "www.example.com", "--db", db]) == 0
    capsys.readouterr()
    return db


@pytest.mark.parametrize(("command", "words"), [
    (["analyze", "lags"], ["no daily search data", "socialseo ingest gsc"]),
    (["analyze", "pagerank"], ["no link graph", "socialseo ingest backlinks", "socialseo crawl"]),
    (["metrics"], ["no social posts imported", "socialseo ingest posts"]),
    (["backlinks"], ["no backlinks yet", "socialseo ingest backlinks"]),
    (["mentions"], ["no brand set", "socialseo brand set --name"]),
    (["mentions", "--opportunities"], ["no brand set", "socialseo brand set --name"]),
])
def test_an_empty_answer_on_a_log_only_warehouse_says_why_and_what_to_run(
    log_only: str, command: list[str], words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run([*command, "--db", log_only], capsys)
    assert code == 0 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("nothing to show: ")
    for word in words:
        assert word in err, err
    code, out, err = run([*command, "--json", "--db", log_only], capsys)
    assert code == 0 and json.loads(out) == [] and words[0] in err


def test_channels_after_a_ga4_import_alone_asks_for_an_access_log(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.duckdb")
    assert main(["ingest", "ga4", str(TEST_DATA / "ga4" / "traffic_acquisition.csv"), "--db", db]) == 0
    capsys.readouterr()
    code, out, err = run(["channels", "--db", db], capsys)
    assert code == 0 and out == "" and "no access log imported: run socialseo ingest logs" in err


def test_metrics_for_a_platform_without_posts_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.duckdb")
    assert main(["ingest", "posts", str(TEST_DATA / "exports" / "facebook_posts.csv"), "--site", "www.example.com",
                 "--db", db]) == 0
    capsys.readouterr()
    code, out, err = run(["metrics", "--platform", "linkedin", "--db", db], capsys)
    assert code == 0 and out == "" and "no posts from linkedin" in err


@pytest.mark.parametrize("source", ["ga4", "ranks", "logs without social visits"])
def test_every_empty_report_section_names_the_command_that_fills_it(tmp_path: Path, source: str) -> None:
    import socialseo

    with socialseo.open(tmp_path / "w.duckdb") as project:
        if source == "ga4":
            project.ingest_ga4([TEST_DATA / "ga4" / "traffic_acquisition.csv"])
        elif source == "ranks":
            project.ingest_ranks([TEST_DATA / "exports" / "ranks.csv"])
        else:
            direct = [line for line in LINES if "facebook" not in line and "t.co" not in line]
            project.ingest_logs([write_log(tmp_path, direct)], site="www.example.com")
        empty = [s for s in project.sections() if not s.has_data]
    assert empty
    for section in empty:
        assert "socialseo " in section.missing, (section.key, section.missing)
    notes = {s.key: s.missing for s in empty}
    if source == "ga4":
        assert "GA4 traffic is imported" in notes["channels"] and "--source ga4" in notes["channels"]
    if source == "ranks":
        assert "Rank-tracker positions are imported" in notes["search"]
    if source == "logs without social visits":
        assert "No social sessions were found in the imported logs" in notes["social"]


def test_a_report_filtered_to_a_platform_without_data_blames_the_filter_not_the_import(
    log_only: str, tmp_path: Path
) -> None:
    import socialseo
    from socialseo.api import Filters

    with socialseo.open(log_only, read_only=True) as project:
        notes = {s.key: s.missing for s in project.sections(Filters(platforms=("tiktok",))) if not s.has_data}
    assert notes["channels"].startswith("No sessions match the filters (platforms: tiktok)")


def test_channels_from_ga4(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.duckdb")
    assert main(["ingest", "ga4", str(TEST_DATA / "ga4" / "traffic_acquisition.csv"), "--db", db]) == 0
    capsys.readouterr()
    code, out, _ = run(["channels", "--source", "ga4", "--json", "--db", db], capsys)
    rows = json.loads(out)
    assert code == 0 and rows and abs(sum(r["share"] for r in rows) - 1) < 1e-9
