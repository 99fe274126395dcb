"""``socialseo ingest posts`` links each platform's posts to the site's pages, through the real entry point.

The site is known from a Search Console import (``sc-domain:example.com``, pages on www.example.com), so no
``--site`` is given; short links are resolved from an access log whose hits came from them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import TEST_DATA

from socialseo.cli import main

EXPORTS = TEST_DATA / "exports"
PLATFORMS = EXPORTS / "platforms"
SITE = "https://www.example.com"
UTM = SITE + "/blog/how-to-measure-utm-parameters"
WEBHOOKS = SITE + "/docs/api/webhooks"
CHECKLIST = SITE + "/guides/link-building"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """A warehouse that knows the site from a Search Console bulk export, and nothing else."""
    option = ["--db", str(tmp_path / "w.duckdb")]
    code, _, _ = run(["ingest", "gsc", str(EXPORTS / "gsc_bulk_url_impression.csv"), *option], capsys)
    assert code == 0
    return option


def linked(db: list[str], platform: str, capsys: pytest.CaptureFixture[str]) -> dict[str, str | None]:
    code, out, _ = run(["sql", f"select post_id, linked_page, unlinked_reason from social_posts where platform = "
                               f"'{platform}' order by post_id", "--json", *db], capsys)
    assert code == 0
    return {r["post_id"]: r["linked_page"] or r["unlinked_reason"] for r in json.loads(out)}


# file, platform, printed summary, post -> page (or why it links to none)
CASES = {
    "facebook": ("facebook_posts.csv", "posts linked to a page: 2 of 4 (not linked: 1 no link; 1 short link not seen "
                 "in logs)", {
                     "104857600123456_5234567890123456": UTM,  # bare URL in the Title column, with UTM
                     "104857600123456_6234567890123456": WEBHOOKS,  # l.facebook.com wrapper, fbclid inside
                     "104857600123456_7234567890123456": "short link not seen in logs",
                     "104857600123456_8234567890123456": "no link"}),
    "x": ("x_tweet_activity.csv", "posts linked to a page: 1 of 3 (not linked: 1 no link; 1 short link not seen in "
          "logs)", {
              "1898312345678901234": UTM,  # bare URL in the tweet text
              "1899312345678901234": "short link not seen in logs",
              "1899412345678901234": "no link"}),
    "instagram": ("instagram_posts.csv", "posts linked to a page: 1 of 2 (not linked: 1 link in bio)", {
        "18034567890123458": CHECKLIST,
        "18034567890123459": "link in bio"}),
    "linkedin": ("linkedin_page_content.xlsx", "posts linked to a page: 1 of 3 (not linked: 1 no link; 1 short link "
                 "not seen in logs)", {
                     "urn:li:activity:7170000000000000011": "short link not seen in logs",
                     "urn:li:activity:7170000000000000012": UTM,
                     "urn:li:activity:7170000000000000013": "no link"}),
    "pinterest": ("pinterest_top_pins.csv", "posts linked to a page: 2 of 2", {
        "987654321012345679": CHECKLIST,  # the external link column
        "987654321012345680": UTM}),  # a bare URL in the description
    "reddit": ("reddit_posts.csv", "posts linked to a page: 2 of 3 (not linked: 1 links to the post itself)", {
        "1c2c3d4": UTM,
        "1c2c3d5": WEBHOOKS,  # out.reddit.com wrapper in the body of a self post
        "1c2c3d6": "links to the post itself"}),
    "youtube": ("youtube_table_data.csv", "posts linked to a page: 1 of 2 (not linked: 1 no link)", {
        "eQw4w9WgXcQ": WEBHOOKS,
        "bBcDeFgHiJk": "no link"}),
    "tiktok": ("tiktok_content.csv", "posts linked to a page: 1 of 2 (not linked: 1 link in bio)", {
        "7343123456789012401": UTM,
        "7343123456789012402": "link in bio"}),
}


@pytest.mark.parametrize("platform", sorted(CASES))
def test_each_platform_links_its_posts_to_the_site_known_from_search_console(
    platform: str, db: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    name, summary, expected = CASES[platform]
    code, out, _ = run(["ingest", "posts", str(PLATFORMS / name), *db], capsys)
    assert code == 0, out
    assert summary in out
    assert linked(db, platform, capsys) == expected


def test_short_links_resolve_from_the_access_log_imported_before_or_after(
    db: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    run(["ingest", "posts", str(PLATFORMS / "facebook_posts.csv"), *db], capsys)
    code, _, _ = run(["ingest", "logs", str(PLATFORMS / "access.log"), "--site", "www.example.com", *db], capsys)
    assert code == 0
    assert linked(db, "facebook", capsys)["104857600123456_7234567890123456"] == CHECKLIST
    code, out, _ = run(["ingest", "posts", str(PLATFORMS / "x_tweet_activity.csv"), "--json", *db], capsys)
    summary = json.loads(out)
    assert code == 0
    assert (summary["posts"], summary["linked"], summary["unlinked"]) == (3, 2, {"no link": 1})
    assert summary["files"][0]["rows_loaded"] == 3
    assert linked(db, "x", capsys)["1899312345678901234"] == WEBHOOKS
    code, out, _ = run(["sql", "select source from short_links order by short_url", "--json", *db], capsys)
    assert [r["source"] for r in json.loads(out)] == ["logs", "logs"]


def test_posts_reach_the_pages_timeline(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    for name, _, _ in CASES.values():
        run(["ingest", "posts", str(PLATFORMS / name), *db], capsys)
    # page_daily keeps to the Search Console days; widen it to every post's day
    assert run(["rebuild", "--from", "2020-01-01", "--to", "2030-12-31", *db], capsys)[0] == 0
    code, out, _ = run(["pages", "--json", *db], capsys)
    rows = json.loads(out)
    posts: dict[str, int] = {}
    for row in rows:
        posts[row["page"]] = posts.get(row["page"], 0) + row["social_posts"]
    assert code == 0
    # pages are keyed by path, as every table that stores pages keys them
    assert posts == {UTM.removeprefix(SITE): 6, WEBHOOKS.removeprefix(SITE): 3, CHECKLIST.removeprefix(SITE): 2}


def test_without_any_known_site_the_site_option_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(tmp_path / "w.duckdb")]
    code, out, _ = run(["ingest", "posts", str(PLATFORMS / "tiktok_content.csv"), "--site", "example.com", *db],
                       capsys)
    assert code == 0 and "posts linked to a page: 1 of 2" in out


def test_linkedin_member_content_reads_both_top_post_tables(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["ingest", "posts", str(PLATFORMS / "linkedin_member_content.xlsx"), *db], capsys)
    assert code == 0
    assert "read as LinkedIn creator analytics" in out and "carries no post text" in out
    assert "3 rows loaded, 0 quarantined of 3 read" in out
    code, out, _ = run(["sql", "select p.post_id, cast(p.published_at as date) as day, m.engagements, m.impressions "
                               "from social_posts p join social_post_metrics m using (platform, post_id) "
                               "order by p.post_id", "--json", *db], capsys)
    rows = [(r["post_id"][-1], r["day"][:10], r["engagements"], r["impressions"]) for r in json.loads(out)]
    # engagements from the left table, impressions from the right, one row per post
    assert rows == [("1", "2026-03-03", 88, 2100), ("2", "2026-03-10", 61, 2630), ("3", "2026-03-17", 12, None)]


def test_sheet_option_picks_a_sheet_and_names_the_others(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    path = str(PLATFORMS / "linkedin_member_content.xlsx")
    code, out, _ = run(["ingest", "posts", path, "--sheet", "Top posts", "--layout", "linkedin_member", *db], capsys)
    assert code == 0 and "3 rows loaded" in out
    code, out, _ = run(["sql", "select count(*) as n from social_posts", "--json", *db], capsys)
    assert json.loads(out)[0]["n"] == 3
    code, _, err = run(["ingest", "posts", path, "--sheet", "POSTS", *db], capsys)
    assert code == 2
    assert "no sheet named 'POSTS'" in err and "'TOP POSTS'" in err and "'DISCOVERY'" in err
    code, _, err = run(["ingest", "posts", str(PLATFORMS / "tiktok_content.csv"), "--sheet", "x", *db], capsys)
    assert code == 2 and "CSV file, which has no sheets" in err


def test_a_post_without_a_readable_date_is_quarantined_with_its_line(
    db: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["ingest", "posts", str(PLATFORMS / "pinterest_top_pins.csv"), *db], capsys)
    assert code == 0 and "2 rows loaded, 1 quarantined of 3 read" in out
    code, out, _ = run(["sql", "select source_file, line_no, reason from quarantine where source_file like '%pins%'",
                        "--json", *db], capsys)
    (row,) = json.loads(out)
    assert row["source_file"].endswith("pinterest_top_pins.csv") and row["line_no"] == 7
    assert row["reason"] == "published_at: missing: the post has no readable publish date"


def test_an_unsure_layout_is_refused_with_the_header_and_forced_with_layout(
    tmp_path: Path, db: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    both = tmp_path / "fb.csv"
    text = (PLATFORMS / "facebook_posts.csv").read_text(encoding="utf-8-sig")
    both.write_text(text.replace("Other Clicks", "Impressions", 1), encoding="utf-8")
    code, _, err = run(["ingest", "posts", str(both), *db], capsys)
    assert code == 2
    assert "'views' and 'impressions' would both be impressions" in err
    assert "Header seen: 'Post ID', 'Page ID'" in err and "--layout facebook" in err
    code, out, _ = run(["ingest", "posts", str(both), "--layout", "facebook", *db], capsys)
    assert code == 0 and "4 rows loaded" in out
    nodate = tmp_path / "tt.csv"
    nodate.write_text((PLATFORMS / "tiktok_content.csv").read_text().replace("Post time", "Posted"), encoding="utf-8")
    code, _, err = run(["ingest", "posts", str(nodate), *db], capsys)
    assert code == 2
    assert "lacks required columns: published_at" in err and "'Posted'" in err and "--map COLUMN=FIELD" in err
