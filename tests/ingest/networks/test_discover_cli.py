"""``socialseo discover`` against local stand-ins of Bluesky, Mastodon, Reddit and Hacker News."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from aiohttp import web
from tests.crawl.sites import hits, serve
from tests.ingest.networks.standins import networks

import socialseo
from socialseo.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_discover_stores_linking_posts_with_engagement_and_ignores_posts_linking_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "w.duckdb")
    with networks() as env:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        code, out, err = run(["discover", "--site", "www.example.com", "--db", db], capsys)
    assert code == 0, err
    lines = [line for line in out.splitlines() if line.strip()]
    assert [line.split(":")[0] for line in lines] == ["bluesky", "mastodon", "reddit", "hackernews"]
    assert "2 of 3 posts link to the site" in lines[0]
    assert "1 of 2 posts link to the site" in lines[3]
    with socialseo.open(db) as project:
        posts = project.discovered_posts()
        links = project.backlinks()
    got = {(r.platform, r.target_page, *(None if pd.isna(v) else int(v) for v in (r.likes, r.reposts, r.replies,
                                                                                 r.score)))
           for r in posts.itertuples()}
    assert ("bluesky", "/blog/launch", 12, 4, 2, None) in got
    assert ("bluesky", "/pricing", 5, 0, 0, None) in got
    assert ("mastodon", "/blog/launch", 7, 4, 1, None) in got
    assert ("mastodon", "/docs", 2, 4, 1, None) in got
    assert ("reddit", "/blog/launch", None, None, 9, 41) in got
    assert ("reddit", "/about", None, None, 9, 8) in got
    assert ("hacker_news", "/blog/launch", None, None, 33, 120) in got
    assert len(posts) == 7
    assert set(posts["author"]) >= {"alice.bsky.social", "dan@social.example", "erin", "pg"}
    assert not any("other" in url or "elsewhere" in url or "evil" in url for url in links["target_url"])
    social = links[links["found_by"] == "discover"]
    assert len(social) == 7 and set(social["source_platform"]) == {"bluesky", "mastodon", "reddit", "hacker_news"}
    assert "https://news.ycombinator.com/item?id=4100" in set(social["source_url"])
    code, _, _ = run(["report", "--out", str(tmp_path / "out"), "--db", db], capsys)
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert code == 0 and "Posts linking to the site on open networks" in page
    assert "7 public posts on 4 open network(s) link to the site." in page


def test_discover_waits_out_a_429_and_then_succeeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "w.duckdb")
    with networks(limited=True) as env:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        code, out, err = run(["discover", "bluesky", "hackernews", "--site", "www.example.com", "--db", db], capsys)
        asked = hits(env["SOCIALSEO_HN_API_BASE"])
    assert code == 0, err
    assert "bluesky: ok" in out and "hackernews: ok" in out
    assert sum(n for path, n in asked.items() if "page=0" in path) == 2  # refused once, asked again
    with socialseo.open(db) as project:
        assert len(project.discovered_posts()) == 3


def test_a_malformed_answer_fails_that_network_in_one_line_and_the_others_still_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(request: web.Request) -> web.Response:
        return web.Response(text="<html>maintenance</html>", content_type="text/html")

    db = str(tmp_path / "w.duckdb")
    with networks() as env, serve({"/xrpc/app.bsky.feed.searchPosts": broken}) as bad:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        monkeypatch.setenv("SOCIALSEO_BLUESKY_API_BASE", bad)
        code, out, err = run(["discover", "--site", "www.example.com", "--db", db], capsys)
    assert code == 1, out + err
    failed = [line for line in out.splitlines() if "FAILED" in line]
    assert len(failed) == 1 and failed[0].startswith("bluesky: FAILED") and "did not answer JSON" in failed[0]
    assert "1 of 4 networks failed: bluesky" in err
    with socialseo.open(db) as project:
        assert set(project.discovered_posts()["platform"]) == {"mastodon", "reddit", "hacker_news"}


def test_malformed_posts_are_quarantined_with_their_request_and_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async def hn(request: web.Request) -> web.Response:
        return web.json_response({"hits": [{"title": "no id"}, {"objectID": "1", "url": "https://www.example.com/a",
                                                                "points": "many"}], "nbPages": 1})

    db = str(tmp_path / "w.duckdb")
    with serve({"/api/v1/search": hn}) as base:
        project = socialseo.open(db)
        outcomes = project.discover(["hackernews"], site="www.example.com", env={"SOCIALSEO_HN_API_BASE": base})
        quarantine = project.quarantine()
        project.close()
    assert outcomes[0].ok and "2 malformed item(s) quarantined" in outcomes[0].message
    assert list(quarantine["line_no"]) == [1, 2]
    assert all(base in f and "restrictSearchableAttributes=url" in f for f in quarantine["source_file"])
    assert "not a count" in " ".join(quarantine["reason"])


def test_discover_without_a_site_says_how_to_name_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["discover", "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2 and "--site HOST" in err


def test_an_unknown_network_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["discover", "myspace", "--site", "example.com", "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2 and "unknown network 'myspace'" in err and len(err.strip().splitlines()) == 1


def test_retries_are_bounded_when_the_network_stays_rate_limited(tmp_path: Path) -> None:
    async def always_limited(request: web.Request) -> web.Response:
        return web.json_response({"error": "slow down"}, status=429, headers={"Retry-After": "0"})

    with serve({"/api/v1/search": always_limited}) as base, socialseo.open(tmp_path / "w.duckdb") as project:
        outcomes = project.discover(["hackernews"], site="www.example.com", env={"SOCIALSEO_HN_API_BASE": base})
    asked = hits(base)
    assert not outcomes[0].ok and "still rate-limited after 3 retries" in outcomes[0].message
    assert sum(asked.values()) == 4


def test_a_mastodon_instance_that_searches_only_for_signed_in_users_still_gives_its_timelines(
    tmp_path: Path
) -> None:
    from tests.ingest.networks.standins import mastodon_public

    async def unauthorised(request: web.Request) -> web.Response:
        return web.json_response({"error": "The access token is invalid"}, status=401)

    routes = {"/api/v2/search": unauthorised, "/api/v1/timelines/public": mastodon_public}
    with serve(routes) as base, socialseo.open(tmp_path / "w.duckdb") as project:
        outcomes = project.discover(["mastodon"], site="www.example.com", env={"SOCIALSEO_MASTODON_INSTANCE": base})
        pages = set(project.discovered_posts()["target_page"])
    assert outcomes[0].ok and pages == {"/docs"}
