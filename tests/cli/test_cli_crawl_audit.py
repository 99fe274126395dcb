"""``socialseo crawl`` and ``socialseo audit ...`` through the real entry point, against a local site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.crawl.sites import html, serve

from socialseo.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_crawl_then_audit_site_and_list_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    db = str(tmp_path / "w.duckdb")
    hostile = "[bold red]Pwned[/bold red] <script>x</script>"
    routes = {"/": html('<a href="/post">p</a>', head=f"<title>{hostile}</title>"),
              "/post": html("text", head='<meta property="og:title" content="Post">')}
    with serve(routes) as base:
        code, out, _ = run(["crawl", base + "/", "--allow-private", "--rate", "0", "--db", db, "--json"], capsys)
        assert code == 0
        summary = json.loads(out)[0]
        assert summary["pages"] == 2 and summary["resumed"] is False
        code, out, err = run(["crawl", base + "/", "--db", db], capsys)  # no --allow-private: refused, said why
        assert code == 2 and "--allow-private" in err and len(err.strip().splitlines()) == 1, err
    code, out, _ = run(["audit", "site", "--db", db, "--json"], capsys)
    assert code == 0
    findings = json.loads(out)
    assert {f["rule_id"] for f in findings} >= {"og-image-missing", "sameas-missing", "twitter-card-missing"}
    code, out, _ = run(["sql", "SELECT title FROM crawl_pages WHERE title IS NOT NULL", "--db", db], capsys)
    assert "[bold red]Pwned[/bold red]" in out  # crawled text is printed as text, never as terminal markup
    code, out, _ = run(["audit", "site", "--db", db], capsys)
    assert code == 0 and "og-image-missing" in out and "findings:" in out
    code, out, _ = run(["audit", "rules", "--json"], capsys)
    assert len(json.loads(out)) >= 25


def test_user_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.duckdb")
    code, _, err = run(["audit", "site", "--db", db], capsys)
    assert code == 2 and "socialseo crawl" in err and "Traceback" not in err
    code, _, err = run(["crawl", "not a url", "--db", db], capsys)
    assert code == 2 and "not an http" in err
    code, _, err = run(["audit", "profiles", str(tmp_path / "missing.toml"), "--db", db], capsys)
    assert code == 2 and "no such file" in err
