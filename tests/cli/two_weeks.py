"""A warehouse of two weeks of one site (tests/data/compare), imported through the command line, for the tests of
period comparisons and the search section."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import TEST_DATA

from socialseo.cli import common, main

DATA = TEST_DATA / "compare"
WEEK = ["--from", "2026-03-08", "--to", "2026-03-14"]


def two_weeks_db(path: Path, *, brand: bool = True) -> str:
    """Import the fixture's access log, Search Console bulk export and Facebook posts (and set the brand)."""
    db = str(path)
    steps = [["ingest", "logs", str(DATA / "access_two_weeks.log"), "--site", "www.example.com"],
             ["ingest", "gsc", str(DATA / "gsc_bulk_url_two_weeks.csv")],
             ["ingest", "posts", str(DATA / "facebook_posts_two_weeks.csv")]]
    if brand:
        steps.append(["brand", "set", "--name", "Example Brand", "--handle", "@examplebrand"])
    for args in steps:
        assert main([*args, "--db", db]) == 0, args
    return db


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """One table row per line, whatever the terminal running the tests (the consoles may have fixed their width
    when they were made, so it is set on them too)."""
    monkeypatch.setenv("COLUMNS", "250")
    for shown in (common.console, common.err_console):
        monkeypatch.setattr(shown, "_width", 250)
