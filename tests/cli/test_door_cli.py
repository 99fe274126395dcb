"""Commands that now go through the Project door print what they printed before, for every file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import TEST_DATA

from socialseo.cli import main

GA4 = TEST_DATA / "ga4" / "traffic_acquisition.csv"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_ga4_prints_one_line_per_file_the_copy_said_skipped(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy.csv"
    shutil.copy(GA4, copy)
    code, out, _ = run(["ingest", "ga4", str(GA4), str(copy), "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 0
    assert "10 rows loaded, 1 quarantined of 11 read" in out
    assert f"{copy}: already imported (same content)" in out.replace("\n", "")


def test_classify_explains_one_hit_without_a_warehouse(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["classify", "https://t.co/abc", "--url", "https://www.example.com/a", "--json"], capsys)
    assert code == 0 and '"platform": "x"' in out
    assert not (tmp_path / "socialseo.duckdb").exists()


def test_audit_rules_lists_rules_without_a_warehouse(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["audit", "rules", "--json"], capsys)
    assert code == 0 and '"id": "og-title-missing"' in out and '"severity": "error"' in out


def test_posts_with_a_bad_link_map_exit_2_and_import_nothing(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    links = tmp_path / "links.csv"
    links.write_text("short,expanded\n")
    db = ["--db", str(tmp_path / "w.duckdb")]
    posts = str(TEST_DATA / "exports" / "facebook_posts.csv")
    code, _, err = run(["ingest", "posts", posts, "--links", str(links), *db], capsys)
    assert code == 2 and "no short_url,expanded_url pairs found" in err
    code, out, _ = run(["sql", "select count(*) as n from imports", "--json", *db], capsys)
    assert code == 0 and '"n": 0' in out
