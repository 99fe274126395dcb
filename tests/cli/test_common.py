"""Tables format numbers by what their column means; --json keeps the raw numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.test_cli import run
from tests.ingest.test_access_logs import LINES, write_log

import socialseo

QUERY = ("SELECT 501965.0 AS sessions, 0.123 AS bounce_rate, 0.5 AS share, 0.0456 AS ctr, 3.14159 AS search_position, "
         "12 AS shares, 1.5 AS pages_per_session")


@pytest.fixture
def db(tmp_path: Path) -> str:
    socialseo.open(tmp_path / "w.duckdb").close()
    return str(tmp_path / "w.duckdb")


def test_tables_show_rates_as_percentages_counts_whole_and_positions_to_one_decimal(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["sql", QUERY, "--db", db], capsys)
    assert code == 0
    cells = [c.strip() for c in out.splitlines()[3].strip("│ ").split("│")]
    assert cells == ["501,965", "12.3%", "50.0%", "4.6%", "3.1", "12", "1.50"]
    assert "501,965.00" not in out and "0.123" not in out


def test_json_keeps_the_raw_numbers(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["sql", QUERY, "--json", "--db", db], capsys)
    assert code == 0
    [row] = json.loads(out)
    assert row["bounce_rate"] == 0.123 and row["sessions"] == 501965 and row["search_position"] == 3.14159


def test_channels_shows_share_and_bounce_rate_as_percentages(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.duckdb")
    assert run(["ingest", "logs", str(write_log(tmp_path, LINES)), "--site", "www.example.com", "--db", db],
               capsys)[0] == 0
    code, out, _ = run(["channels", "--db", db], capsys)
    assert code == 0
    facebook = next(line for line in out.splitlines() if "facebook" in line)
    assert "25.0%" in facebook and "0.0%" in facebook and "0.25" not in facebook
