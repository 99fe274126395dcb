"""``report``, ``export`` and ``serve`` from the command line: files written, filters honoured, one-line errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tests.cli.test_cli import run
from tests.ingest.test_access_logs import LINES, write_log

from socialseo.cli import main


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "w.duckdb"
    assert main(["ingest", "logs", str(write_log(tmp_path, LINES)), "--site", "www.example.com", "--db", str(path)]) == 0
    capsys.readouterr()
    return path


def test_export_table_to_csv_and_query_to_parquet(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["export", "sessions", "--out", str(tmp_path / "s.csv"), "--db", str(db)], capsys)
    assert code == 0 and "rows written" in out
    rows = list(csv.DictReader((tmp_path / "s.csv").open()))
    code, out, _ = run(["sql", "SELECT count(*) AS n FROM sessions", "--db", str(db), "--json"], capsys)
    assert f'"n": {len(rows)}' in out
    code, out, _ = run(["export", "SELECT channel, count(*) AS n FROM sessions GROUP BY 1", "--format", "parquet",
                        "--out", str(tmp_path / "c.out"), "--db", str(db)], capsys)
    assert code == 0 and (tmp_path / "c.out").read_bytes()[:4] == b"PAR1"


def test_export_errors_are_one_line(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["export", "nope", "--out", str(tmp_path / "x.csv"), "--db", str(db)], capsys)
    assert code == 2 and err.count("\n") == 1 and "no table named 'nope'" in err


def test_report_with_platform_filter_says_so(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(["report", "--out", str(tmp_path / "r"), "--platform", "x", "--from", "2026-03-01",
                      "--db", str(db)], capsys)
    assert code == 0
    assert "filtered: 2026-03-01 to end; platforms: x" in (tmp_path / "r" / "report.html").read_text()
    code, _, err = run(["report", "--format", "docx", "--out", str(tmp_path / "r"), "--db", str(db)], capsys)
    assert code == 2 and "unknown report format" in err


def test_serve_without_a_warehouse_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["serve", "--db", str(tmp_path / "missing.duckdb")], capsys)
    assert code == 2 and "no warehouse" in err
