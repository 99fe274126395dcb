"""The backlink commands through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socialseo.cli import main


def test_inspect_json_brand_and_backlinks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "p.html"
    page.write_text('<link rel="canonical" href="https://x.com/a/status/1"><p>Try Brandly</p>'
                    '<a href="https://www.example.com/x" rel="NoFollow">x</a>', encoding="utf-8")
    db = str(tmp_path / "w.duckdb")
    assert main(["inspect", str(page), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["links"] == [{"href": "https://www.example.com/x", "text": "x", "rel": ["nofollow"], "tag": "a",
                              "followed": False}]
    assert main(["brand", "set", "--name", "Brandly", "--db", db]) == 0
    assert main(["ingest", "pages", str(page), "--site", "www.example.com", "--db", db]) == 0
    capsys.readouterr()
    assert main(["backlinks", "--json", "--db", db]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["platform"] == "x" and row["backlinks"] == 1 and row["followed_share"] == 0
    assert main(["backlinks", "--by", "nonsense", "--db", db]) == 2
    assert main(["ingest", "backlinks", str(page), "--db", db]) == 2
    assert "not a backlink export" in capsys.readouterr().err
