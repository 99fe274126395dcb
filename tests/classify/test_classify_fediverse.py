"""Mastodon posts on servers in no list are told by their address's shape, less surely than a listed host."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from socialseo.classify.bulk import attribute_relation
from socialseo.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def classify(referrer: str, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    assert main(["classify", referrer, "--json"]) == 0
    found: dict[str, str] = json.loads(capsys.readouterr().out)
    return found


@pytest.mark.parametrize(
    "referrer",
    [
        "https://some.unlisted.social/@alice/113456789012345678",
        "https://some.unlisted.social/@alice/113456789012345678?reply=1",
        "https://toot.example-town.org/@bob@mas.to/113456789012345679",
        "https://social.campers.net/users/carol/statuses/113456789012345680",
        "https://Some.Unlisted.Social/@Alice_B/113456789012345678/",
    ],
)
def test_a_post_address_on_an_unlisted_server_is_mastodon_by_its_shape(
    referrer: str, capsys: pytest.CaptureFixture[str]
) -> None:
    found = classify(referrer, capsys)
    assert (found["channel"], found["platform"], found["evidence"]) == ("social", "mastodon", "referrer_shape")
    assert "not in the host list" in found["evidence_means"]


def test_a_listed_server_keeps_the_surer_evidence_of_its_host(capsys: pytest.CaptureFixture[str]) -> None:
    found = classify("https://mastodon.social/@dave/113456789012345681", capsys)
    assert (found["platform"], found["evidence"]) == ("mastodon", "referrer_host")


@pytest.mark.parametrize(
    ("referrer", "channel", "platform"),
    [
        ("https://medium.com/@erin/113456789012345678", "social", "medium"),  # a known host decides first
        ("https://www.tiktok.com/@frank/video/7234567890123456789", "social", "tiktok"),
        ("https://www.youtube.com/@gina/113456789012345678", "social", "youtube"),
        ("https://blog.gearlab.example/@gina/2024", "referral", None),  # no snowflake id
        ("https://shop.example.net/@hank", "referral", None),
        ("https://shop.example.net/@hank/about", "referral", None),
        ("https://shop.example.net/@hank/video/113456789012345678", "referral", None),
        ("https://shop.example.net/blog/@hank/113456789012345678", "referral", None),  # not at the path's start
    ],
)
def test_ordinary_sites_with_at_names_are_not_mastodon(
    referrer: str, channel: str, platform: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    found = classify(referrer, capsys)
    assert (found["channel"], found["platform"]) == (channel, platform)


def test_the_bulk_path_gives_the_same_answers() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (referrer VARCHAR, user_agent VARCHAR, url VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, 'Mozilla/5.0', ?)", [
        ("https://some.unlisted.social/@alice/113456789012345678", "/a"),
        ("https://social.campers.net/users/carol/statuses/113456789012345680#top", "/b"),
        ("https://blog.gearlab.example/@gina/2024", "/c"),
        ("https://mastodon.social/@dave/113456789012345681", "/d"),
    ])
    attribute_relation(con, "t", ["www.example.com"])
    got = con.execute("SELECT referrer_host, channel, platform, evidence FROM t ORDER BY url").fetchall()
    assert got == [
        ("some.unlisted.social", "social", "mastodon", "referrer_shape"),
        ("social.campers.net", "social", "mastodon", "referrer_shape"),
        ("blog.gearlab.example", "referral", None, "referrer_host"),
        ("mastodon.social", "social", "mastodon", "referrer_host"),
    ]


def test_a_log_import_counts_unlisted_servers_as_mastodon_in_channels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    log = FIXTURES / "mastodon_unlisted_servers.log"
    assert main(["ingest", "logs", str(log), "--site", "www.example.com", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["channels", "--db", str(db), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    sessions = {(r["channel"], r["platform"]): r["sessions"] for r in rows}
    assert sessions[("social", "mastodon")] == 4  # three by their post address, one by its listed host
    assert sessions[("social", "medium")] == 1 and sessions[("social", "tiktok")] == 1
    assert sessions[("referral", None)] == 2
