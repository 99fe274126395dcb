"""Filter values through the real entry point: a platform nobody knows is refused with the nearest names, before
any answer can blame the data for being empty."""

from __future__ import annotations

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


def test_a_misspelt_platform_is_refused_with_the_nearest_name(db: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["report", "--platform", "linkdin", "--out", str(tmp_path / "r"), "--db", str(db)], capsys)
    assert code == 2 and out == ""
    assert err.strip() == "error: no platform linkdin; did you mean linkedin?"
    assert not (tmp_path / "r" / "report.html").exists()
    code, _, err = run(["metrics", "--platform", "facebok", "--db", str(db)], capsys)
    assert code == 2 and "did you mean facebook?" in err


def test_a_platform_far_from_every_name_lists_the_warehouse_platforms_by_channel(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["report", "--platform", "qqqqqq", "--out", str(tmp_path / "r"), "--db", str(db)], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "organic_search: google" in err and "social: facebook, x" in err


def test_a_known_platform_in_any_case_is_accepted(db: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["report", "--platform", "LinkedIn", "--platform", "x", "--out", str(tmp_path / "r"),
                        "--db", str(db)], capsys)
    assert code == 0 and "report.html" in out.replace("\n", "")  # Rich may wrap a long path
