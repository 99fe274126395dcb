"""A small warehouse built by real imports of fixture files: Search Console rows, a Meta posts export with a
tagged campaign (three posts of one page in four days, a social spike) and an access log."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import TEST_DATA

from socialseo.cli import main

FIXTURES = TEST_DATA / "annotations"


def build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "site.duckdb"
    for args in (
        ["ingest", "gsc", str(FIXTURES / "gsc_api_rows.json")],
        ["ingest", "posts", str(FIXTURES / "facebook_posts.csv"), "--site", "www.example.com"],
        ["ingest", "logs", str(TEST_DATA / "exports" / "platforms" / "access.log"), "--site", "www.example.com"],
    ):
        assert main([*args, "--db", str(db)]) == 0
    capsys.readouterr()
    return db
