"""``socialseo ingest posts repo.car``: a Bluesky account's repository export read as its posts.

The fixture is built here, from records shaped per the public lexicons (app.bsky.feed.post, app.bsky.richtext.facet,
app.bsky.embed.external, app.bsky.embed.recordWithMedia) in a repository per the atproto repository spec (a signed
commit over a Merkle Search Tree), written as CAR v1 by ``tests/ingest/car_writer.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import TEST_DATA
from tests.ingest.car_writer import Car, Link, mst_node

from socialseo.cli import main

DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
SITE = "https://www.example.com"
UTM = SITE + "/blog/how-to-measure-utm-parameters"
WEBHOOKS = SITE + "/docs/api/webhooks"
CHECKLIST = SITE + "/guides/link-building"
POST = "app.bsky.feed.post"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _facet_post(text: str, shown: str, uri: str, when: str) -> dict[str, object]:
    start = text.encode().index(shown.encode())
    return {"$type": POST, "text": text, "createdAt": when, "langs": ["en"], "facets": [{
        "$type": "app.bsky.richtext.facet",
        "index": {"byteStart": start, "byteEnd": start + len(shown.encode())},
        "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}],
    }]}


def build_repo(*, posts: bool = True, drop_record: bool = False) -> bytes:
    """A repository with a profile, a like, five posts (one without its date) and a follow, over three MST nodes."""
    car = Car()
    records: dict[str, dict[str, object]] = {
        "app.bsky.actor.profile/self": {"$type": "app.bsky.actor.profile", "displayName": "Example Co"},
        "app.bsky.feed.like/3lbq22nkxnk2a": {"$type": "app.bsky.feed.like", "createdAt": "2026-03-01T08:00:00.000Z",
                                             "subject": {"uri": f"at://{DID}/{POST}/3lbp", "cid": "bafyrei"}},
        "app.bsky.graph.follow/3lbq7tbmjbc2a": {"$type": "app.bsky.graph.follow", "subject": "did:plc:abc",
                                                "createdAt": "2026-03-04T08:00:00.000Z"},
    }
    if posts:
        records.update({
            # the text shows the link cut short, as the app writes it; the facet holds the whole address
            f"{POST}/3lbq2a2dks22a": _facet_post("New guide: example.com/blog/how-to-meas... read it",
                                                 "example.com/blog/how-to-meas...",
                                                 UTM + "?utm_source=bluesky&utm_medium=social",
                                                 "2026-03-02T09:15:00.000Z"),
            f"{POST}/3lbq3c4vlxk2b": {"$type": POST, "text": "Webhooks, explained", "createdAt":
                                      "2026-03-02T18:40:12.345Z", "embed": {
                                          "$type": "app.bsky.embed.external", "external": {
                                              "uri": WEBHOOKS, "title": "Webhooks", "description": "How to"}}},
            f"{POST}/3lbq4d5ewyl2c": {"$type": POST, "text": "Good morning, no link today",
                                      "createdAt": "2026-03-03T07:00:00Z"},
            f"{POST}/3lbq5e6fxzm2d": {"$type": POST, "text": "Quoting this with our checklist",
                                      "createdAt": "2026-03-03T12:00:00.000Z", "embed": {
                                          "$type": "app.bsky.embed.recordWithMedia",
                                          "record": {"$type": "app.bsky.embed.record", "record": {
                                              "uri": f"at://{DID}/{POST}/3lbq3c4vlxk2b", "cid": "bafyrei"}},
                                          "media": {"$type": "app.bsky.embed.external", "external": {
                                              "uri": CHECKLIST, "title": "Checklist", "description": ""}}}},
            f"{POST}/3lbq6f7gyan2e": {"$type": POST, "text": "a post whose date was lost"},
        })
    links = {key: car.add(value) for key, value in sorted(records.items())}
    if drop_record:
        car.blocks = [b for b in car.blocks if Link(b[0]) != links[f"{POST}/3lbq3c4vlxk2b"]]
    keys = sorted(links)
    # a root node with a left subtree and a subtree after each of its entries, keys in order across them
    first, rest = keys[:2], keys[2:]
    left = car.add(mst_node(None, [(k, links[k], None) for k in first]))
    if len(rest) >= 4:
        middle = car.add(mst_node(None, [(k, links[k], None) for k in rest[1:3]]))
        right = car.add(mst_node(None, [(k, links[k], None) for k in rest[4:]]))
        root = car.add(mst_node(left, [(rest[0], links[rest[0]], middle), (rest[3], links[rest[3]], right)]))
    else:
        root = car.add(mst_node(left, [(k, links[k], None) for k in rest]))
    commit = car.add({"did": DID, "version": 3, "data": root, "rev": "3lbq7tbmjbc2a", "prev": None,
                      "sig": bytes(64)})
    return car.write(commit)


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """A warehouse that knows the site (www.example.com) from a Search Console export."""
    option = ["--db", str(tmp_path / "w.duckdb")]
    assert run(["ingest", "gsc", str(TEST_DATA / "exports" / "gsc_bulk_url_impression.csv"), *option], capsys)[0] == 0
    return option


def posts(db: list[str], capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, _ = run(["sql", "select post_id, post_url, account, published_at, linked_page, unlinked_reason, text "
                               "from social_posts where platform = 'bluesky' order by published_at", "--json", *db],
                       capsys)
    assert code == 0
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def test_a_repository_export_imports_its_posts_linked_from_facets_and_cards(
    tmp_path: Path, db: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo.car"
    repo.write_bytes(build_repo())
    code, out, _ = run(["ingest", "posts", str(repo), *db], capsys)
    assert code == 0
    assert "Bluesky repository export (CAR)" in out and DID in out
    assert "4 rows loaded, 1 quarantined of 5 read" in out
    assert "posts linked to a page: 3 of 4 (not linked: 1 no link)" in out
    rows = posts(db, capsys)
    assert [r["linked_page"] or r["unlinked_reason"] for r in rows] == [UTM, WEBHOOKS, "no link", CHECKLIST]
    first = rows[0]
    assert first["post_id"] == f"at://{DID}/{POST}/3lbq2a2dks22a"
    assert first["post_url"] == f"https://bsky.app/profile/{DID}/post/3lbq2a2dks22a"
    assert first["account"] == DID and str(first["published_at"]).startswith("2026-03-02")
    assert str(first["text"]).startswith("New guide")


def test_a_post_without_its_date_is_quarantined_with_its_record_key(
    tmp_path: Path, db: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo.car"
    repo.write_bytes(build_repo())
    assert run(["ingest", "posts", str(repo), "--platform", "bluesky", *db], capsys)[0] == 0
    code, out, _ = run(["sql", "select source_file, line_no, raw, reason from quarantine", "--json", *db], capsys)
    assert code == 0
    (row,) = [r for r in json.loads(out) if str(r["source_file"]).endswith("repo.car")]
    assert row["raw"] == f"{POST}/3lbq6f7gyan2e" and row["line_no"] == 7
    assert row["reason"].startswith("createdAt: missing")


def test_posts_reach_the_pages_timeline(tmp_path: Path, db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo.car"
    repo.write_bytes(build_repo())
    assert run(["ingest", "posts", str(repo), *db], capsys)[0] == 0
    assert run(["rebuild", "--from", "2026-01-01", "--to", "2026-12-31", *db], capsys)[0] == 0
    code, out, _ = run(["pages", "--json", *db], capsys)
    found = {r["page"]: r["social_posts"] for r in json.loads(out) if r["social_posts"]}
    assert code == 0 and found == {UTM.removeprefix(SITE): 1, WEBHOOKS.removeprefix(SITE): 1,
                                   CHECKLIST.removeprefix(SITE): 1}


@pytest.mark.parametrize(("cut", "said"), [
    (-40, "not a readable Bluesky repository export (CAR file)"),  # the last block cut short
    (30, "not a readable Bluesky repository export (CAR file)"),  # the header cut short
])
def test_a_cut_export_is_one_line_exit_2_and_nothing_imported(
    cut: int, said: str, tmp_path: Path, db: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo.car"
    repo.write_bytes(build_repo()[:cut])
    code, _, err = run(["ingest", "posts", str(repo), "--platform", "bluesky", *db], capsys)
    assert code == 2 and said in err and err.strip().count("\n") == 0
    assert posts(db, capsys) == []


def test_an_export_missing_a_record_is_refused_whole(
    tmp_path: Path, db: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo.car"
    repo.write_bytes(build_repo(drop_record=True))
    code, _, err = run(["ingest", "posts", str(repo), *db], capsys)
    assert code == 2 and f"the record {POST}/3lbq3c4vlxk2b is missing from the CAR file" in err
    assert posts(db, capsys) == []


def test_a_repository_without_posts_says_what_it_holds(
    tmp_path: Path, db: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo.car"
    repo.write_bytes(build_repo(posts=False))
    code, _, err = run(["ingest", "posts", str(repo), *db], capsys)
    assert code == 2 and f"the repository of {DID} holds no posts" in err and "1 app.bsky.feed.like" in err


def test_platform_bluesky_names_the_export_it_reads(tmp_path: Path, db: list[str],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    csv = TEST_DATA / "exports" / "platforms" / "x_tweet_activity.csv"
    code, _, err = run(["ingest", "posts", str(csv), "--platform", "bluesky", *db], capsys)
    assert code == 2 and "repository export" in err and ".car" in err
    repo = tmp_path / "repo.car"
    repo.write_bytes(build_repo())
    code, _, err = run(["ingest", "posts", str(repo), "--platform", "x", *db], capsys)
    assert code == 2 and "--platform bluesky" in err
