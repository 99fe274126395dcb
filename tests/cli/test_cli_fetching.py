"""Every command that fetches (``crawl``, ``ingest pages``, ``inspect``, ``audit profiles``) through the real entry
point, against servers on 127.0.0.1: the address policy, the whole-request deadline and the size limit.

Refused targets are refused before any connection: the second local server's hit count stays empty.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.crawl.sites import Handler, drip, hits, html, raw, redirect, serve

from socialseo.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _host(base: str) -> str:
    return base.split("/")[2]


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_a_refused_crawl_says_why_in_one_line_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.duckdb")
    with serve({"/": html("hi")}) as site:
        code, out, err = run(["crawl", site + "/", "--db", db], capsys)
        assert code == 2 and out == ""
        line = _one_line(err)
        assert f"refused {_host(site)}: 127.0.0.1 is a loopback address" in line
        assert f"--allow-host {_host(site)}" in line
        assert hits(site) == {}
        code, out, err = run(["crawl", site + "/", "--allow-host", _host(site), "--rate", "0", "--db", db], capsys)
    assert code == 0 and "1 URLs stored" in out, err
    code, _, err = run(["crawl", "http://example.com/", "--allow-host", "a b:c", "--db", db], capsys)
    assert code == 2 and "--allow-host 'a b:c'" in _one_line(err)


def test_ingest_pages_refuses_private_addresses_and_redirects_to_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "w.duckdb")
    routes: dict[str, Handler] = {}
    with serve({"/secret": html('<a href="https://www.example.com/">x</a>')}) as other, serve(routes) as site:
        routes["/review"] = redirect(f"{other}/secret", 302)
        routes["/meta"] = redirect("http://169.254.169.254/latest/meta-data/iam/", 302)
        code, _, err = run(["ingest", "pages", f"{site}/review", "--site", "www.example.com", "--delay", "0",
                            "--db", db], capsys)
        assert code == 2 and f"refused {_host(site)}" in _one_line(err) and hits(site) == {}
        allowed = ["--allow-host", _host(site), "--site", "www.example.com", "--delay", "0", "--db", db]
        code, _, err = run(["ingest", "pages", f"{site}/review", *allowed], capsys)
        assert code == 2 and f"refused {_host(other)}: 127.0.0.1 is a loopback address" in _one_line(err)
        code, _, err = run(["ingest", "pages", f"{site}/meta", *allowed], capsys)
        assert code == 2 and "169.254.169.254 is a cloud metadata address; not connected" in _one_line(err)
    assert hits(other) == {}
    code, out, _ = run(["backlinks", "--by", "link", "--json", "--db", db], capsys)
    assert code == 0 and json.loads(out) == []


def test_inspect_refuses_a_redirect_to_a_mapped_loopback_address(capsys: pytest.CaptureFixture[str]) -> None:
    routes = {"/": redirect("http://[::ffff:127.0.0.1]/admin", 302)}
    with serve(routes) as site:
        code, _, err = run(["inspect", site + "/", "--allow-host", _host(site)], capsys)
    assert code == 2
    assert "refused [::ffff:127.0.0.1]:80: ::ffff:7f00:1 is a loopback address; not connected" in _one_line(err)


def test_inspect_follows_no_redirect_into_a_path_robots_txt_disallows(capsys: pytest.CaptureFixture[str]) -> None:
    routes = {"/go": redirect("/private/x", 302), "/private/x": html("secret"),
              "/robots.txt": raw(b"User-agent: *\nDisallow: /private/\n", "text/plain")}
    with serve(routes) as site:
        code, _, err = run(["inspect", site + "/go", "--allow-host", _host(site)], capsys)
        served = hits(site)
    assert code == 2 and "/private/x" not in served
    assert f"disallowed by robots.txt: the redirect to {site}/private/x was not followed" in _one_line(err)


def test_a_slow_drip_server_is_cut_at_the_whole_request_deadline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "w.duckdb")
    with serve({"/drip": drip(30)}) as site:
        code, _, err = run(["ingest", "pages", f"{site}/drip", "--allow-host", _host(site), "--timeout", "1",
                            "--site", "www.example.com", "--delay", "0", "--db", db], capsys)
        assert code == 2 and "timed out after 1 s" in _one_line(err)
        code, _, err = run(["inspect", f"{site}/drip", "--allow-private", "--timeout", "1"], capsys)
        assert code == 2 and "timed out after 1 s" in _one_line(err)


def test_a_page_over_the_size_limit_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.duckdb")
    with serve({"/big": html("<p>" + "y" * 20_000 + '</p><a href="https://www.example.com/">x</a>')}) as site:
        args = ["--allow-host", _host(site), "--max-bytes", "4096"]
        code, _, err = run(["ingest", "pages", f"{site}/big", *args, "--site", "www.example.com", "--delay", "0",
                            "--db", db], capsys)
        assert code == 2 and "larger than 4,096 bytes; not imported" in _one_line(err)
        code, _, err = run(["inspect", f"{site}/big", *args], capsys)
        assert code == 2 and "larger than 4,096 bytes" in _one_line(err)
        code, out, _ = run(["inspect", f"{site}/big", "--allow-host", _host(site), "--json"], capsys)
    assert code == 0 and json.loads(out)["links"][0]["href"] == "https://www.example.com/"


def test_audit_profiles_does_not_fetch_a_profile_on_a_private_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "w.duckdb")
    with serve({"/acme": html("", head='<meta property="og:title" content="Acme">')}) as platform:
        (tmp_path / "profiles.toml").write_text(
            f'[brand]\nname = "Acme"\n\n[[profiles]]\nplatform = "x"\nurl = "{platform}/acme"\n', encoding="utf-8")
        code, out, err = run(["audit", "profiles", str(tmp_path / "profiles.toml"), "--json", "--db", db], capsys)
        assert code == 0, err
        [finding] = json.loads(out)
        assert finding["rule_id"] == "profile-unreadable"
        assert f"refused {_host(platform)}: 127.0.0.1 is a loopback address" in finding["message"]
        assert hits(platform) == {}
        code, out, err = run(["audit", "profiles", str(tmp_path / "profiles.toml"), "--allow-host", _host(platform),
                              "--json", "--db", db], capsys)
    assert code == 0 and "profile-unreadable" not in {f["rule_id"] for f in json.loads(out)}
    assert hits(platform)["/acme"] == 1
