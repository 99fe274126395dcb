"""A warehouse another process holds: commands wait a moment, then say in one line who holds it and what to do."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.ingest.test_access_logs import LINES, write_log

from socialseo.cli import main
from socialseo.store import connect

HOLD = "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('holding', flush=True); sys.stdin.read()"


@pytest.fixture
def held(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A warehouse held writable by another process (as a notebook or a second import would)."""
    db = tmp_path / "w.duckdb"
    assert main(["ingest", "logs", str(write_log(tmp_path, LINES)), "--site", "www.example.com", "--db", str(db)]) == 0
    capsys.readouterr()
    monkeypatch.setattr(connect, "LOCK_WAIT_S", 0.3)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        yield db
    finally:
        holder.communicate(timeout=20)  # closing its stdin lets it exit


def test_an_import_into_a_held_warehouse_says_who_holds_it(
    held: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write_log(tmp_path, LINES[:2], name="two.log")
    code = main(["ingest", "logs", str(log), "--site", "www.example.com", "--db", str(held)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    line = " ".join(err.split())
    assert "is held by process" in line and "then run this again" in line
    assert "IO Error" not in line and "Conflicting lock" not in line


def test_a_query_of_a_held_warehouse_says_why_it_cannot_read(held: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["sql", "SELECT count(*) FROM sessions", "--db", str(held)])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and "is being written by process" in err and "IO Error" not in err
