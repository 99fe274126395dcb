"""Every failure of the command line is one line on stderr and exit status 2, never a traceback."""

from __future__ import annotations

import csv
import zlib
from pathlib import Path

import pytest

from socialseo.cli import main
from socialseo.errors import InputFileError

RANKS = Path(__file__).resolve().parents[1] / "data" / "exports" / "ranks.csv"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("error", [
    csv.Error("field larger than field limit (131072)"),
    UnicodeDecodeError("utf-8", b"\xe9", 0, 1, "invalid continuation byte"),
    zlib.error("Error -3 while decompressing data: invalid stored block lengths"),
    EOFError("Compressed file ended before the end-of-stream marker was reached"),
])
def test_reader_error_is_one_line_and_exit_2(
    error: Exception, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr("socialseo.ingest.search_console.ranks.read_sheets", fail)
    code, _out, err = run(["ingest", "ranks", str(RANKS), "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2
    assert err.strip().startswith("error: the input could not be read (") and type(error).__name__ in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_debug_shows_the_reader_error_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise csv.Error("field larger than field limit (131072)")

    monkeypatch.setattr("socialseo.ingest.search_console.ranks.read_sheets", fail)
    with pytest.raises(csv.Error):
        main(["--debug", "ingest", "ranks", str(RANKS), "--db", str(tmp_path / "w.duckdb")])


def test_a_message_with_line_breaks_is_printed_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise InputFileError("ranks.csv: first\nsecond\r\nthird")

    monkeypatch.setattr("socialseo.ingest.search_console.ranks.read_sheets", fail)
    code, _out, err = run(["ingest", "ranks", str(RANKS), "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2
    assert err.strip() == "error: ranks.csv: first second third"
