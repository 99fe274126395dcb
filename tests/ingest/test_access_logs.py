"""Access-log import on hand-made and real third-party logs, with the real DuckDB."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from tests.conftest import shared_sample

from socialseo.errors import FormatNotRecognisedError, InputFileError
from socialseo.ingest.logs.importer import import_access_log
from socialseo.store.warehouse import Warehouse

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
LINES = [
    f'198.51.100.7 - - [01/Mar/2026:10:00:00 +0000] "GET /blog/post?fbclid=abc HTTP/1.1" 200 512 "https://l.facebook.com/l.php?u=x" "{UA}"',
    f'198.51.100.7 - - [01/Mar/2026:10:00:30 +0000] "GET /static/site.css HTTP/1.1" 200 99 "https://www.example.com/blog/post" "{UA}"',
    f'198.51.100.7 - - [01/Mar/2026:10:01:00 +0000] "GET /products/tent HTTP/1.1" 200 512 "https://www.example.com/blog/post" "{UA}"',
    f'203.0.113.9 - - [01/Mar/2026:05:02:00 -0500] "GET / HTTP/1.1" 200 512 "https://www.google.com/" "{UA}"',
    '66.249.66.1 - - [01/Mar/2026:10:03:00 +0000] "GET /robots.txt HTTP/1.1" 200 20 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"',
    f'203.0.113.10 - - [01/Mar/2026:10:04:00 +0000] "GET /broken HTTP/1.1" 200 5 "-" "{UA[:20]}',
    f'203.0.113.11 - - [01/Mar/2026:10:05:00 +0000] "GET /after-broken HTTP/1.1" 200 5 "https://t.co/AbC" "{UA}"',
    f'203.0.113.12 - - [31/Feb/2026:99:05:00 +0000] "GET /bad-time HTTP/1.1" 200 5 "-" "{UA}"',
    f'203.0.113.13 - - [01/Mar/2026:10:06:00 +0000] "GET /ok HTTP/1.1" 200 5 "-" "{UA}"',
]


def write_log(tmp_path: Path, lines: list[str], name: str = "access.log", gz: bool = False) -> Path:
    path = tmp_path / name
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def test_every_line_is_either_loaded_or_quarantined_with_its_line_number(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    result = import_access_log(warehouse, write_log(tmp_path, LINES), site_hosts=["www.example.com"])
    assert result.rows_read == len(LINES)
    assert result.rows_loaded + result.rows_quarantined == len(LINES)
    quarantined = warehouse.con.execute("SELECT line_no, reason FROM quarantine ORDER BY line_no NULLS LAST").fetchall()
    assert quarantined[0][0] == 6 and "cut off" in quarantined[0][1]
    assert any("timestamp" in reason for _, reason in quarantined)
    pages = {r[0] for r in warehouse.con.execute("SELECT url FROM hits").fetchall()}
    assert "/after-broken" in pages  # the line after an unterminated quote is not lost
    assert "/broken" not in pages and "/bad-time" not in pages


def test_timestamps_are_stored_in_utc(warehouse: Warehouse, tmp_path: Path) -> None:
    import_access_log(warehouse, write_log(tmp_path, LINES), site_hosts=["www.example.com"])
    (ts,) = warehouse.con.execute("SELECT ts FROM hits WHERE url = '/'").fetchone() or (None,)
    assert str(ts) == "2026-03-01 10:02:00"


def test_raw_ip_addresses_are_never_written_by_default(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write_log(tmp_path, LINES)
    import_access_log(warehouse, path, site_hosts=["www.example.com"])
    stored = " ".join(str(v) for row in warehouse.con.execute("SELECT * FROM hits").fetchall() for v in row)
    for ip in re.findall(r"^\S+", "\n".join(LINES), flags=re.M):
        assert ip not in stored
    assert warehouse.con.execute("SELECT DISTINCT ip FROM hits WHERE url = '/'").fetchall() == [("203.0.0.0",)]


def test_keep_ip_stores_the_address(warehouse: Warehouse, tmp_path: Path) -> None:
    import_access_log(warehouse, write_log(tmp_path, LINES), site_hosts=["www.example.com"], keep_ip=True)
    assert ("203.0.113.9",) in warehouse.con.execute("SELECT DISTINCT ip FROM hits").fetchall()


def test_reimporting_the_same_file_does_not_double_count(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write_log(tmp_path, LINES)
    first = import_access_log(warehouse, path, site_hosts=["www.example.com"])
    hits = warehouse.count("hits")
    again = import_access_log(warehouse, path, site_hosts=["www.example.com"])
    assert again.skipped and not first.skipped
    assert warehouse.count("hits") == hits
    assert warehouse.count("quarantine") == first.rows_quarantined


def test_gzip_logs_read_like_plain_ones(warehouse: Warehouse, tmp_path: Path) -> None:
    result = import_access_log(warehouse, write_log(tmp_path, LINES, "a.log.gz", gz=True), site_hosts=["www.example.com"])
    assert result.rows_loaded == len(LINES) - 2


def test_truncated_gzip_fails_cleanly_and_leaves_the_warehouse_untouched(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    big = [LINES[0]] * 20000
    path = write_log(tmp_path, big, "big.log.gz", gz=True)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(InputFileError):
        import_access_log(warehouse, path, site_hosts=["www.example.com"])
    assert warehouse.count("hits") == 0
    assert warehouse.count("imports") == 0
    assert warehouse.count("quarantine") == 0


def test_missing_file_is_a_clear_error(warehouse: Warehouse, tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        import_access_log(warehouse, tmp_path / "nope.log")


def test_a_file_that_is_not_a_log_is_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("date,page,clicks\n2026-01-01,/a,3\n")
    with pytest.raises(FormatNotRecognisedError, match="not an access log"):
        import_access_log(warehouse, path)
    assert warehouse.count("imports") == 0


def test_common_format_without_referrer_is_read(warehouse: Warehouse, tmp_path: Path) -> None:
    common = [line.rsplit(' "', 2)[0] for line in LINES[:4]]
    result = import_access_log(warehouse, write_log(tmp_path, common), site_hosts=["www.example.com"])
    assert result.rows_loaded == 4
    assert warehouse.con.execute("SELECT count(*) FROM hits WHERE referrer IS NOT NULL").fetchone() == (0,)


def test_site_host_is_inferred_from_self_referrals_when_not_given(warehouse: Warehouse, tmp_path: Path) -> None:
    result = import_access_log(warehouse, write_log(tmp_path, LINES))
    assert warehouse.site_hosts() == ["www.example.com"]
    assert any("inferred" in note for note in result.notes)


def test_real_apache_log_keeps_every_line(warehouse: Warehouse) -> None:
    path = shared_sample("elastic-apache-logs", "apache_logs")
    raw_lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    result = import_access_log(warehouse, path, site_hosts=["semicomplete.com", "www.semicomplete.com"])
    assert result.rows_read == len(raw_lines) == 10000
    assert result.rows_loaded + result.rows_quarantined == len(raw_lines)
    # One line in this sample is cut off inside its user agent; it alone is quarantined.
    truncated = [i + 1 for i, line in enumerate(raw_lines) if line.count('"') % 2]
    assert [r[0] for r in warehouse.con.execute("SELECT line_no FROM quarantine").fetchall()] == truncated
    statuses = {}
    for line in raw_lines:
        match = re.search(r'" (\d{3}) ', line)
        if match and line.count('"') % 2 == 0:
            statuses[match.group(1)] = statuses.get(match.group(1), 0) + 1
    stored = dict(warehouse.con.execute("SELECT CAST(status AS VARCHAR), count(*) FROM hits GROUP BY 1").fetchall())
    assert stored == statuses
