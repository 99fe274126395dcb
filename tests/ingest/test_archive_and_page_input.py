"""WARC archives and saved pages: empty, garbage and cut input is said in one line or quarantined, never silent."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from socialseo.cli import main

WARC = Path(__file__).resolve().parents[1] / "data" / "resiliparse-warc" / "warcfile.warc.gz"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def sql(db: Path, query: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, err = run(["sql", query, "--db", str(db), "--json"], capsys)
    assert code == 0, err
    return list(json.loads(out))


def one_line_exit_2(code: int, err: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err


def warc(path: Path, *args: str) -> list[str]:
    return ["ingest", "warc", str(path), "--site", "example.com", "--db", str(path.parent / "w.duckdb"), *args]


def test_empty_warc_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"")
    code, _out, err = run(warc(path), capsys)
    one_line_exit_2(code, err)
    assert "file is empty" in err


def test_gzip_of_nothing_is_refused_as_empty_once_decompressed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(gzip.compress(b""))
    code, _out, err = run(warc(path), capsys)
    one_line_exit_2(code, err)
    assert "empty once decompressed" in err


def test_garbage_given_as_warc_is_refused_with_its_start_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "crawl.warc"
    path.write_bytes(b"\x00\x01garbage\xff" * 100)
    code, _out, err = run(warc(path), capsys)
    one_line_exit_2(code, err)
    assert "not a WARC or WAT file" in err and "\\x00\\x01" in err
    assert not (tmp_path / "w.duckdb").exists() or sql(tmp_path / "w.duckdb", "SELECT count(*) AS n FROM imports",
                                                       capsys) == [{"n": 0}]


@pytest.mark.parametrize("name", ["cut.warc.gz", "cut-without-extension"])
def test_warc_cut_inside_a_gzip_member_quarantines_a_clear_line(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = WARC.read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: len(data) // 2])
    code, out, err = run(warc(path), capsys)
    assert code == 0, err
    assert "1 quarantined" in out
    reasons = sql(tmp_path / "w.duckdb", "SELECT reason FROM quarantine", capsys)
    assert "truncated gzip member" in str(reasons[0]["reason"])


def test_uncompressed_warc_cut_inside_a_record_quarantines_a_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = gzip.decompress(WARC.read_bytes())
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) // 2])
    code, out, err = run(warc(path), capsys)
    assert code == 0, err
    assert "1 quarantined" in out
    reasons = sql(tmp_path / "w.duckdb", "SELECT reason FROM quarantine", capsys)
    assert "cut short" in str(reasons[0]["reason"])


def test_whole_uncompressed_warc_quarantines_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "whole.warc"
    path.write_bytes(gzip.decompress(WARC.read_bytes()))
    code, out, err = run(warc(path), capsys)
    assert code == 0, err
    assert "0 quarantined" in out


def pages(path: Path) -> list[str]:
    return ["ingest", "pages", str(path), "--site", "example.com", "--db", str(path.parent / "w.duckdb")]


def test_empty_saved_page_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"")
    code, _out, err = run(pages(path), capsys)
    one_line_exit_2(code, err)
    assert "file is empty" in err


@pytest.mark.parametrize(("content", "said"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "a PNG image"),
    (b"\x00\x13\x37garbage" * 40, "binary data"),
    (b"just some words, no markup at all\n" * 10, "no markup"),
])
def test_garbage_saved_page_is_refused_in_one_line(
    content: bytes, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(content)
    code, _out, err = run(pages(path), capsys)
    one_line_exit_2(code, err)
    assert said in err and "\x00" not in err


def test_a_bad_page_among_good_ones_is_refused_before_any_is_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.html"
    good.write_text('<html><body><a href="https://example.com/x">x</a></body></html>')
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"")
    code, _out, err = run(["ingest", "pages", str(good), str(bad), "--site", "example.com",
                           "--db", str(tmp_path / "w.duckdb")], capsys)
    one_line_exit_2(code, err)
    assert sql(tmp_path / "w.duckdb", "SELECT count(*) AS n FROM imports", capsys) == [{"n": 0}]
