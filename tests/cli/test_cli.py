"""The command line, run in-process through its real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.ingest.test_access_logs import LINES, write_log

from socialseo import __version__
from socialseo.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.strip() == f"socialseo {__version__}"


def test_ingest_then_query_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    log = write_log(tmp_path, LINES)
    code, out, _ = run(["ingest", "logs", str(log), "--site", "www.example.com", "--db", str(db)], capsys)
    assert code == 0
    assert "quarantined" in out and "sessions" in out
    code, out, _ = run(["sql", "SELECT count(*) AS n FROM hits", "--db", str(db), "--json"], capsys)
    assert code == 0
    assert json.loads(out) == [{"n": len(LINES) - 2}]
    code, out, _ = run(["channels", "--db", str(db), "--json"], capsys)
    rows = json.loads(out)
    assert {r["channel"] for r in rows} >= {"social", "organic_search"}
    assert abs(sum(r["share"] for r in rows) - 1) < 1e-9


def test_reingest_says_already_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    log = write_log(tmp_path, LINES)
    run(["ingest", "logs", str(log), "--db", str(db)], capsys)
    code, out, _ = run(["ingest", "logs", str(log), "--db", str(db)], capsys)
    assert code == 0 and "already imported" in out


def test_missing_file_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(["ingest", "logs", str(tmp_path / "missing.log"), "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2
    assert "no such file" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_unmatched_glob_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["ingest", "logs", str(tmp_path / "*.log"), "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2 and "no file matches" in err


def test_bad_sql_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    run(["ingest", "logs", str(write_log(tmp_path, LINES)), "--db", str(db)], capsys)
    code, _, err = run(["sql", "SELECT nope FROM hits", "--db", str(db)], capsys)
    assert code == 2 and "nope" in err and "Traceback" not in err


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    from socialseo.errors import InputFileError

    with pytest.raises(InputFileError):
        main(["--debug", "ingest", "logs", str(tmp_path / "missing.log"), "--db", str(tmp_path / "w.duckdb")])


def test_report_writes_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    run(["ingest", "logs", str(write_log(tmp_path, LINES)), "--site", "www.example.com", "--db", str(db)], capsys)
    code, out, _ = run(["report", "--db", str(db), "--out", str(tmp_path / "r")], capsys)
    assert code == 0 and "report.html" in out
    html = (tmp_path / "r" / "report.html").read_text()
    assert "Social referral traffic" in html and "chart-social-sessions" in html


def test_unknown_option_is_a_usage_error_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["channels", "--bogus"], capsys)
    assert code == 2
    assert "No such option" in err and "Traceback" not in err
def test_classify_prints_channel_platform_and_evidence_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["classify", "-", "--user-agent", "Mozilla/5.0 (iPhone) Mobile/15E148 [FBAN/FBIOS;FBAV/450.0]",
                        "--url", "https://www.example.com/post?utm_campaign=x", "--json"], capsys)
    assert code == 0
    found = json.loads(out)
    assert (found["channel"], found["platform"], found["evidence"]) == ("social", "facebook", "ua_inapp")
    assert "dark social" in found["label"] and found["page"] == "/post"


def test_classify_says_no_referrer_rather_than_direct(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["classify", "-", "--json"], capsys)
    found = json.loads(out)
    assert code == 0 and found["evidence"] == "none" and found["label"].startswith("no referrer")


def test_classify_matches_the_host_not_the_path(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["classify", "https://blog.example.org/why-facebook-is-down", "--json"], capsys)
    found = json.loads(out)
    assert code == 0
    assert (found["channel"], found["platform"], found["referrer_host"]) == ("referral", None, "blog.example.org")


def test_ingest_with_an_nginx_log_format_and_unknown_format_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    log = write_log(tmp_path, [line.rsplit(' "', 2)[0] + ' "x"' for line in LINES[:3]])
    spec = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer"'
    code, out, _ = run(["ingest", "logs", str(log), "--log-format", spec, "--db", str(db)], capsys)
    assert code == 0 and "3 rows loaded, 0 quarantined of 3 read" in " ".join(out.split())
    code, _, err = run(["ingest", "logs", str(log), "--format", "w3c", "--db", str(db)], capsys)
    assert code == 2 and "unknown log format" in err
    code, out, _ = run(["channels", "--by", "landing", "--db", str(db), "--json"], capsys)
    assert code == 0 and {"landing_page", "sessions", "bounce_rate"} <= set(json.loads(out)[0])
