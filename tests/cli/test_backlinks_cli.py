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


def test_an_unreachable_url_is_quarantined_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.crawl.sites import html, serve

    page = tmp_path / "saved.html"
    page.write_text('<link rel="canonical" href="https://x.com/a/status/1"><a href="https://www.example.com/a">a</a>',
                    encoding="utf-8")
    db = str(tmp_path / "w.duckdb")
    with serve({"/review": html('<a href="https://www.example.com/b">b</a>')}) as site:
        host = site.split("/")[2]
        code = main(["ingest", "pages", f"{site}/gone", f"{site}/review", str(page), "--site", "www.example.com",
                     "--allow-host", host, "--delay", "0", "--db", db])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert f"{site}/gone" in out and "not fetched" in out
    assert "1 of 3 page(s) not fetched and quarantined" in err and "404" in err and len(err.strip().splitlines()) == 1
    assert main(["backlinks", "--by", "link", "--json", "--db", db]) == 0
    targets = sorted(r["target_url"] for r in json.loads(capsys.readouterr().out))
    assert targets == ["https://www.example.com/a", "https://www.example.com/b"]
    assert main(["sql", "SELECT raw, reason FROM quarantine", "--json", "--db", db]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["raw"] == f"{site}/gone" and row["reason"].startswith("fetch:") and "404" in row["reason"]


def test_setting_the_brand_after_ingest_pages_finds_the_mentions_in_pages_read_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.crawl.sites import html, serve

    saved = tmp_path / "forum.html"
    saved.write_text('<link rel="canonical" href="https://forum.example.org/t/1"><p>Brandly tents are great</p>',
                     encoding="utf-8")
    db = str(tmp_path / "w.duckdb")
    with serve({"/review": html("<p>I bought a Brandly tent</p>")}) as site:
        fetch = [f"{site}/review", "--allow-host", site.split("/")[2], "--delay", "0"]
        assert main(["ingest", "pages", str(saved), *fetch, "--site", "www.example.com", "--db", db]) == 0
        capsys.readouterr()
    saved.unlink()  # neither the saved file nor the site is needed again: the text was kept
    assert main(["mentions", "--opportunities", "--json", "--db", db]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["brand", "set", "--name", "Brandly", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "2 imported page(s) read again" in out and "could not be read again" not in out
    assert main(["mentions", "--opportunities", "--json", "--db", db]) == 0
    assert sorted(r["source_url"] for r in json.loads(capsys.readouterr().out)) == sorted([
        "https://forum.example.org/t/1", f"{site}/review"])
    assert main(["brand", "set", "--name", "Tentco", "--db", db]) == 0  # a new brand drops the old mentions
    capsys.readouterr()
    assert main(["mentions", "--opportunities", "--json", "--db", db]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_page_imported_without_kept_text_is_read_from_its_file_or_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Warehouses written before page texts were kept: saved pages are read from their files, fetched ones named."""
    from tests.crawl.sites import html, serve

    import socialseo

    saved = tmp_path / "forum.html"
    saved.write_text('<link rel="canonical" href="https://forum.example.org/t/1"><p>Brandly tents are great</p>',
                     encoding="utf-8")
    db = str(tmp_path / "w.duckdb")
    with serve({"/review": html("<p>I bought a Brandly tent</p>")}) as site:
        fetch = [f"{site}/review", "--allow-host", site.split("/")[2], "--delay", "0"]
        assert main(["ingest", "pages", str(saved), *fetch, "--site", "www.example.com", "--db", db]) == 0
        capsys.readouterr()
        with socialseo.open(db) as project:
            project.warehouse.con.execute("DELETE FROM page_texts")
        assert main(["brand", "set", "--name", "Brandly", "--db", db]) == 0
        out = capsys.readouterr().out
        assert "1 imported page(s) read again" in out
        assert "1 page(s) imported before could not be read again" in out and f"{site}/review" in out
        assert main(["mentions", "--opportunities", "--json", "--db", db]) == 0
        assert [r["source_url"] for r in json.loads(capsys.readouterr().out)] == ["https://forum.example.org/t/1"]
        assert main(["ingest", "pages", *fetch, "--db", db]) == 0  # the same bytes: skipped, mentions found again
        assert "already imported" in capsys.readouterr().out
    assert main(["mentions", "--opportunities", "--json", "--db", db]) == 0
    assert sorted(r["source_url"] for r in json.loads(capsys.readouterr().out)) == sorted([
        "https://forum.example.org/t/1", f"{site}/review"])
