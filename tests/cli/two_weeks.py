"""A warehouse of two weeks of one site (tests/data/compare), imported through the command line, for the tests of
period comparisons and the search section."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import TEST_DATA

from socialseo.cli import main

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
