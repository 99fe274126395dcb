"""Nothing counted twice: a log line stored once is never stored again, whatever file brings it back."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from tests.store.logs import make_lines, write

from socialseo.cli import main
from socialseo.ingest.logs import blocks as chunks
from socialseo.store.line_prints import fingerprint_lines, print_check


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def ingest(capsys: pytest.CaptureFixture[str], db: Path, *paths: Path) -> str:
    return cli(capsys, "ingest", "logs", *map(str, paths), "--site", "www.example.com", "--db", str(db))


def query(capsys: pytest.CaptureFixture[str], db: Path, sql: str) -> list[dict[str, object]]:
    rows = json.loads(cli(capsys, "sql", sql, "--db", str(db), "--json"))
    assert isinstance(rows, list)
    return rows


def hits(capsys: pytest.CaptureFixture[str], db: Path) -> int:
    return int(query(capsys, db, "SELECT count(*) AS n FROM hits")[0]["n"])  # type: ignore[call-overload]


def channels(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, object]]:
    return json.loads(cli(capsys, "channels", "--db", str(db), "--json"))  # type: ignore[no-any-return]


def test_gzip_of_an_imported_log_adds_no_hit_and_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = make_lines(500)
    db = tmp_path / "w.duckdb"
    ingest(capsys, db, write(tmp_path / "access.log", lines))
    out = ingest(capsys, db, write(tmp_path / "access.log.gz", lines))
    assert hits(capsys, db) == 500
    assert "0 rows loaded" in out and "500 lines were already imported" in out
    ledger = query(capsys, db, "SELECT rows_loaded, rows_repeated FROM imports ORDER BY import_id")
    assert ledger == [{"rows_loaded": 500, "rows_repeated": 0}, {"rows_loaded": 0, "rows_repeated": 500}]
    strings = query(capsys, db, "SELECT import_id, count(*) AS n FROM hit_requests GROUP BY ALL")
    assert [row["n"] for row in strings] == [6]  # the copy leaves none of its strings behind


def test_a_grown_log_adds_only_its_new_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = make_lines(3000)
    db, clean = tmp_path / "w.duckdb", tmp_path / "clean.duckdb"
    ingest(capsys, db, write(tmp_path / "access.log", lines[:2000]))
    out = ingest(capsys, db, write(tmp_path / "access.log", lines))
    assert "1,000 rows loaded" in out and "2,000 lines were already imported" in out
    assert hits(capsys, db) == 3000
    ingest(capsys, clean, write(tmp_path / "whole.log", lines))
    assert channels(capsys, db) == channels(capsys, clean)  # sessions and bounce rates as from one clean import


def test_lines_repeat_across_blocks_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chunks, "BLOCK_BYTES", 4096)  # dozens of blocks: a repeat's block does not matter
    lines = make_lines(1200, seed=3)
    db = tmp_path / "w.duckdb"
    ingest(capsys, db, write(tmp_path / "access.log", lines[:700]))
    ingest(capsys, db, write(tmp_path / "access.log.gz", lines))
    assert hits(capsys, db) == 1200


def test_logrotate_sequence_stores_each_line_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    day = [make_lines(400, seed=s) for s in range(1, 6)]  # five stretches of traffic, in order
    for k in range(1, 5):
        day[k] = make_lines(400, seed=k + 1, start=_after(day[k - 1]))
    db, rotated = tmp_path / "w.duckdb", tmp_path / "rotated"
    rotated.mkdir()
    log, log1, log2 = rotated / "access.log", rotated / "access.log.1", rotated / "access.log.2.gz"
    # Day 1: imported while it is still being written.
    ingest(capsys, db, write(log, day[0]))
    # Rotation: what was written since is in access.log.1; access.log starts again.
    write(log1, day[0] + day[1])
    write(log, day[2])
    ingest(capsys, db, log, log1)
    # Next rotation: access.log.1 is compressed to access.log.2.gz, access.log (grown) becomes access.log.1.
    write(log2, day[0] + day[1])
    write(log1, day[2] + day[3])
    write(log, day[4])
    ingest(capsys, db, log, log1, log2)
    assert hits(capsys, db) == 2000
    # Everything at once, as `zcat -f access.log*` gives it: every line is somewhere else than before.
    out = ingest(capsys, db, write(tmp_path / "all.log", day[0] + day[1] + day[2] + day[3] + day[4]))
    assert "2,000 lines were already imported" in out
    assert hits(capsys, db) == 2000
    repeats = query(capsys, db, "SELECT count(*) AS n FROM (SELECT ts, url, visitor_id FROM hits GROUP BY ALL "
                                "HAVING count(*) > 1)")
    assert repeats == [{"n": 0}]


def test_identical_lines_within_one_file_are_all_hits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = make_lines(50, seed=9)
    twice = lines[:10] + [lines[10]] * 3 + lines[11:]  # one client asked for one page three times in one second
    db = tmp_path / "w.duckdb"
    ingest(capsys, db, write(tmp_path / "access.log", twice[:30]))
    assert hits(capsys, db) == 30
    ingest(capsys, db, write(tmp_path / "access.log", [*twice, lines[10]]))  # and once more, later
    assert hits(capsys, db) == len(twice) + 1
    url = lines[10].split('"')[1].split()[1]
    kept = query(capsys, db, f"SELECT count(*) AS n FROM hits WHERE url = '{url}' AND seq BETWEEN 11 AND 13")
    assert kept == [{"n": 3}]


def _after(lines: list[str]) -> datetime:
    last = lines[-1].split("[", 1)[1].split(" ", 1)[0]
    return datetime.strptime(last, "%d/%b/%Y:%H:%M:%S") + timedelta(minutes=5)


def test_fingerprints_are_those_stored_by_earlier_versions() -> None:
    # Fingerprints are kept for good: if an upgrade of DuckDB changes them, this fails before any user sees it.
    con = duckdb.connect()
    assert fingerprint_lines(con, b"a\nb\n\na\n", 1).to_pylist() == [
        {"line_no": 1, "line_hash": 5927478574678984336}, {"line_no": 2, "line_hash": 11535844266540954374},
        {"line_no": 3, "line_hash": 14960696914948620293}, {"line_no": 4, "line_hash": 5927478574678984336},
    ]
    assert print_check(con) == "6822953635052083535"


def test_a_duckdb_that_fingerprints_differently_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = make_lines(100)
    db = tmp_path / "w.duckdb"
    ingest(capsys, db, write(tmp_path / "access.log", lines))
    with duckdb.connect(str(db)) as con:  # as if the fingerprints had been made by another DuckDB
        con.execute("UPDATE settings SET value = '1' WHERE key = 'line_print_check'")
    out = ingest(capsys, db, write(tmp_path / "access.log.gz", lines))
    assert "fingerprints lines differently" in out
    out = ingest(capsys, db, write(tmp_path / "part.log", lines[:50]))  # from then on, lines are recognised
    assert "50 lines were already imported" in out and "differently" not in out
