"""Access logs read within the reader limits: over-long lines are quarantined, bombs and cut streams refused."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import zstandard
from tests.ingest.test_access_logs import LINES, UA, write_log

from socialseo.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def sql(db: Path, query: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, err = run(["sql", query, "--db", str(db), "--json"], capsys)
    assert code == 0, err
    return list(json.loads(out))


def _hit(n: int, agent: str = UA) -> str:
    return f'198.51.100.{n} - - [01/Mar/2026:10:{n:02d}:00 +0000] "GET /p{n} HTTP/1.1" 200 5 "-" "{agent}"'


def test_gzip_line_over_the_line_limit_is_quarantined_and_the_others_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALSEO_MAX_LINE_BYTES", "4096")
    huge = _hit(2, "A" * 3_000_000)  # 3 MB of one line, a few kB compressed
    log = write_log(tmp_path, [_hit(1), huge, _hit(3)], name="bomb.log.gz", gz=True)
    assert log.stat().st_size < 20_000
    db = tmp_path / "w.duckdb"
    code, out, err = run(["ingest", "logs", str(log), "--site", "www.example.com", "--db", str(db)], capsys)
    assert code == 0, err
    assert "2 rows loaded, 1 quarantined of 3 read" in out
    rows = sql(db, "SELECT line_no, reason, length(raw) AS n FROM quarantine", capsys)
    assert rows[0]["line_no"] == 2 and "3,000,0" in str(rows[0]["reason"]) and int(str(rows[0]["n"])) < 1000
    assert sql(db, "SELECT count(*) AS n FROM hits", capsys) == [{"n": 2}]


def test_user_agent_beyond_the_default_line_limit_is_quarantined(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long = _hit(9, "Mozilla/5.0 " + "x" * 70_000)
    log = write_log(tmp_path, [*LINES[:3], long, LINES[3]])
    db = tmp_path / "w.duckdb"
    code, out, err = run(["ingest", "logs", str(log), "--site", "www.example.com", "--db", str(db)], capsys)
    assert code == 0, err
    assert "4 rows loaded, 1 quarantined of 5 read" in out
    rows = sql(db, "SELECT line_no, reason FROM quarantine", capsys)
    assert rows == [{"line_no": 4, "reason": f"line of {len(long):,} bytes, over the line limit"}]


def test_long_line_inside_a_block_keeps_the_line_numbers_after_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALSEO_MAX_LINE_BYTES", "1000")
    lines = [_hit(1), _hit(2, "B" * 2000), _hit(3), LINES[5], _hit(4)]  # LINES[5] is cut inside a quote
    db = tmp_path / "w.duckdb"
    code, _out, err = run(["ingest", "logs", str(write_log(tmp_path, lines)), "--db", str(db)], capsys)
    assert code == 0, err
    assert [r["line_no"] for r in sql(db, "SELECT line_no FROM quarantine ORDER BY 1", capsys)] == [2, 4]


def test_gzip_bomb_is_refused_in_one_line_and_nothing_is_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALSEO_RATIO_AFTER_BYTES", str(1 << 20))
    log = tmp_path / "zeros.log.gz"
    log.write_bytes(gzip.compress(("\n".join(LINES) + "\n").encode() + b"0" * (30 << 20)))
    db = tmp_path / "w.duckdb"
    code, _out, err = run(["ingest", "logs", str(log), "--db", str(db)], capsys)
    assert code == 2
    assert "times its size" in err and "SOCIALSEO_MAX_RATIO" in err and len(err.strip().splitlines()) == 1
    assert sql(db, "SELECT count(*) AS n FROM imports", capsys) == [{"n": 0}]


def test_truncated_zst_is_said_to_be_truncated_not_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = zstandard.ZstdCompressor().compress(("\n".join(LINES * 2000) + "\n").encode())
    log = tmp_path / "access.log.zst"
    log.write_bytes(data[: len(data) // 2])
    db = tmp_path / "w.duckdb"
    code, _out, err = run(["ingest", "logs", str(log), "--db", str(db)], capsys)
    assert code == 2
    assert "truncated or corrupt compressed file" in err and "empty" not in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert sql(db, "SELECT count(*) AS n FROM imports", capsys) == [{"n": 0}]


def test_truncated_gzip_is_refused_and_leaves_no_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = gzip.compress(("\n".join(LINES * 2000) + "\n").encode())
    log = tmp_path / "access.log.gz"
    log.write_bytes(data[: len(data) - 100])
    db = tmp_path / "w.duckdb"
    code, _out, err = run(["ingest", "logs", str(log), "--db", str(db)], capsys)
    assert code == 2 and "truncated or corrupt compressed file" in err
    assert sql(db, "SELECT count(*) AS n FROM imports", capsys) == [{"n": 0}]


def test_multi_member_gzip_and_zstd_frames_read_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = ("\n".join(LINES[:4]) + "\n").encode(), ("\n".join(LINES[4:]) + "\n").encode()
    gz = tmp_path / "two.log.gz"
    gz.write_bytes(gzip.compress(first) + gzip.compress(second))
    zst = tmp_path / "two.log.zst"
    zst.write_bytes(zstandard.ZstdCompressor().compress(first) + zstandard.ZstdCompressor().compress(second))
    for path in (gz, zst):
        db = tmp_path / f"{path.suffix}.duckdb"
        code, out, err = run(["ingest", "logs", str(path), "--site", "www.example.com", "--db", str(db)], capsys)
        assert code == 0, err
        assert f"of {len(LINES)} read" in out
