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
