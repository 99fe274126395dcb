"""No address kept: quarantined lines are stored as private as the hits made from good lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.store.logs import make_lines, write

from socialseo.cli import main
from socialseo.ingest.logs.line_privacy import mask_addresses

UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"
BAD = [
    f'203.0.113.10 - - [01/Mar/2026:10:04:00 +0000] "GET /broken HTTP/1.1" 200 5 "-" "{UA[:12]}',  # cut off
    f'203.0.113.12 - - [31/Feb/2026:99:05:00 +0000] "GET /bad-time HTTP/1.1" 200 5 "-" "{UA}"',
    f'2001:db8:85a3::8a2e:370:7334 - - [01/Mar/2026:10:06:00 +0000] "GET /v6 HTTP/1.1" 999 5 "-" "{UA}"',
    f'198.51.100.7 - - [01/Mar/2026:10:07:00 +0000] "BROKEN" 200 5 "http://192.0.2.44/admin" "{UA}"',
]
FULL = ["203.0.113.10", "203.0.113.12", "2001:db8:85a3::8a2e:370:7334", "198.51.100.7", "192.0.2.44"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_quarantined_lines_keep_no_full_address(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.duckdb")
    log = write(tmp_path / "access.log", make_lines(20) + BAD)
    out = run(capsys, "ingest", "logs", str(log), "--site", "www.example.com", "--db", db)
    assert "4 quarantined" in out
    raws = [r["raw"] for r in json.loads(run(capsys, "sql", "select raw from quarantine", "--db", db, "--json"))]
    assert len(raws) == 4
    for address in FULL:
        assert not any(address in raw for raw in raws), address
    assert raws[0].startswith("203.0.0.0 - - [01/Mar/2026:10:04:00 +0000]")  # the rest of the line is kept
    assert any(raw.startswith("2001:db8:85a3:: - -") for raw in raws)
    assert any('"http://192.0.0.0/admin"' in raw for raw in raws)


def test_keep_ip_keeps_addresses_in_the_quarantine_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.duckdb")
    log = write(tmp_path / "access.log", make_lines(20) + BAD)
    run(capsys, "ingest", "logs", str(log), "--site", "www.example.com", "--keep-ip", "--db", db)
    raws = [r["raw"] for r in json.loads(run(capsys, "sql", "select raw from quarantine", "--db", db, "--json"))]
    assert raws[0].startswith("203.0.113.10 ")


def test_a_nul_byte_in_the_address_quarantines_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.duckdb")
    lines = make_lines(10)
    damaged = "198.51.1\x0000.7" + lines[5][lines[5].index(" "):]
    log = write(tmp_path / "access.log", [*lines[:5], damaged, *lines[6:]])
    out = run(capsys, "ingest", "logs", str(log), "--site", "www.example.com", "--db", db)
    assert "9 rows loaded, 1 quarantined" in out
    rows = json.loads(run(capsys, "sql", "select line_no, reason from quarantine", "--db", db, "--json"))
    assert rows == [{"line_no": 6, "reason": "client address holds a control character (NUL or other)"}]
    stored = json.loads(run(capsys, "sql", "select count(*) AS n from hits where ip is null", "--db", db, "--json"))
    assert stored == [{"n": 0}]


@pytest.mark.parametrize(("line", "masked"), [
    ("1.2.3.4 5.6.7.8", "1.2.0.0 5.6.0.0"),
    ("[2001:db8::1]:443 x", "[2001:db8::]:443 x"),
    ("::ffff:10.1.2.3 y", "::ffff:10.1.0.0 y"),
    ("1.2.3.4:80", "1.2.0.0:80"),
    ("[10/Oct/2000:13:55:36 -0700]", "[10/Oct/2000:13:55:36 -0700]"),
])
def test_every_address_in_a_line_is_masked_and_nothing_else(line: str, masked: str) -> None:
    assert mask_addresses(line) == masked
