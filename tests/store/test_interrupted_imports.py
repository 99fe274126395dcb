"""Nothing lost: a log import killed at any point leaves a warehouse whose next answer is a clean import's.

The real command runs in a subprocess and kills itself with SIGKILL at a named point
(``SOCIALSEO_TEST_KILL_AT``, see :mod:`socialseo.store.kill_points`); the next commands run in-process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO
from tests.store.logs import make_lines, write

from socialseo.cli import main

BEFORE_COMMIT = ["block-written", "import-before-commit"]
AFTER_COMMIT = ["import-committed", "derived-before-commit", "derived-committed"]
STATE = {
    "hits": "SELECT count(*) AS n FROM hits",
    "sessions": "SELECT count(*) AS n FROM sessions",
    "bounces": "SELECT count(*) FILTER (WHERE is_bounce) AS n FROM sessions",
    "page_daily": "SELECT count(*) AS n FROM page_daily",
    "social_sessions": "SELECT coalesce(sum(social_sessions), 0) AS n FROM page_daily",
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def ingest_args(log: Path, db: Path) -> list[str]:
    return ["ingest", "logs", str(log), "--site", "www.example.com", "--db", str(db)]


def state(capsys: pytest.CaptureFixture[str], db: Path) -> dict[str, int]:
    """What the next commands answer: each is a command of its own, opening the warehouse read-only."""
    return {name: json.loads(run(capsys, "sql", sql, "--db", str(db), "--json"))[0]["n"] for name, sql in STATE.items()}


def killed_import(log: Path, db: Path, point: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "SOCIALSEO_TEST_KILL_AT": point,
           "SOCIALSEO_NO_PROGRESS": "1"}
    done = subprocess.run([sys.executable, "-m", "socialseo", *ingest_args(log, db)], env=env,
                          capture_output=True, timeout=120, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A day's log as first imported, and the same log grown by the rest of the day."""
    folder = tmp_path_factory.mktemp("logs")
    lines = make_lines(3000, seed=5)
    return write(folder / "morning.log", lines[:1800]), write(folder / "access.log", lines)


@pytest.fixture(scope="module")
def clean(logs: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, int], dict[str, int]]:
    """The answers after clean imports: of the first log alone, and of both."""
    folder = tmp_path_factory.mktemp("clean")
    answers = []
    for upto in (1, 2):
        db = folder / f"clean{upto}.duckdb"
        for log in logs[:upto]:
            assert main(ingest_args(log, db)) == 0
        answers.append(_state_quiet(db))
    return answers[0], answers[1]


def _state_quiet(db: Path) -> dict[str, int]:
    import socialseo

    with socialseo.open(db, read_only=True) as project:
        return {name: int(project.sql(sql)["n"][0]) for name, sql in STATE.items()}


@pytest.mark.parametrize("point", BEFORE_COMMIT + AFTER_COMMIT)
def test_a_killed_import_is_repaired_by_the_next_command(
    point: str, logs: tuple[Path, Path], clean: tuple[dict[str, int], dict[str, int]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, grown = logs
    clean_first, clean_both = clean
    assert clean_both["sessions"] > clean_first["sessions"] and clean_both["page_daily"] > 0
    db = tmp_path / "w.duckdb"
    run(capsys, *ingest_args(first, db))
    killed_import(grown, db, point)
    # The next command, a read, answers as if the import had been whole (committed) or had never begun.
    assert state(capsys, db) == (clean_both if point in AFTER_COMMIT else clean_first)
    # The next import finishes the work, or finds it done; either way the warehouse is a clean import's.
    out = run(capsys, *ingest_args(grown, db))
    assert ("nothing changed" in out) == (point in AFTER_COMMIT)
    assert state(capsys, db) == clean_both


def test_the_next_import_repairs_before_it_imports(
    logs: tuple[Path, Path], clean: tuple[dict[str, int], dict[str, int]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, grown = logs
    db = tmp_path / "w.duckdb"
    killed_import(first, db, "import-committed")
    out = run(capsys, *ingest_args(grown, db))
    assert "1,200 rows loaded" in out and "1,800 lines were already imported" in out
    assert state(capsys, db) == clean[1]


def test_a_repair_blocked_by_another_reader_says_what_to_do(
    logs: tuple[Path, Path], clean: tuple[dict[str, int], dict[str, int]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, _ = logs
    db = tmp_path / "w.duckdb"
    killed_import(first, db, "import-committed")
    holder = subprocess.Popen(  # another reader, as a running dashboard is
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
         "print('open', flush=True); time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        code = main(["sql", "SELECT count(*) AS n FROM sessions", "--db", str(db), "--json"])
        out, err = capsys.readouterr()
        assert code == 2 and out == ""
        assert len(err.strip().splitlines()) == 1
        assert "must be rebuilt after an interrupted import" in err and "run the command again" in err
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert state(capsys, db) == clean[0]  # once the other reader is gone, the next command repairs and answers
