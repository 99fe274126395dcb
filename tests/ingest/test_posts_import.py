"""Importing the platforms' post exports: detection, mapping, bad rows, overlap, short links."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from tests.conftest import TEST_DATA

from socialseo.errors import FormatNotRecognisedError, InputFileError
from socialseo.ingest.posts.importer import import_posts
from socialseo.store.warehouse import Warehouse

EXPORTS = TEST_DATA / "exports"
SAMPLES = {
    "facebook": "facebook_posts.csv",
    "instagram": "instagram_posts.csv",
    "x": "x_tweet_activity.csv",
    "pinterest": "pinterest_analytics.csv",
    "youtube": "youtube_table_data.csv",
    "tiktok": "tiktok_content.csv",
    "reddit": "reddit_posts.csv",
}


def write_linkedin_xlsx(path: Path) -> Path:
    """LinkedIn's content export: an XLSX whose 'All posts' sheet has a description line above the header."""
    book = openpyxl.Workbook()
    book.active.title = "Metrics"
    book.active.append(["Date", "Impressions (organic)"])
    sheet = book.create_sheet("All posts")
    sheet.append(["All posts", "Learn more about the metrics in this report"])
    sheet.append(["Post title", "Post link", "Post type", "Posted by", "Created date", "Impressions",
                  "Clicks", "Click through rate (CTR)", "Likes", "Comments", "Reposts", "Engagement rate"])
    sheet.append(["We just published our webhooks guide https://lnkd.in/eAbCdE",
                  "https://www.linkedin.com/feed/update/urn:li:activity:7170000000000000001/", "Organic",
                  "Example Brand", datetime(2026, 3, 3), 2450, 61, 0.0249, 48, 6, 5, 0.049])
    sheet.append(["Hiring!", "https://www.linkedin.com/feed/update/urn:li:activity:7170000000000000002/",
                  "Organic", "Example Brand", "03/05/2026", "1,020", 3, "0.29%", 20, 1, 0, "2.3%"])
    book.save(path)
    return path


@pytest.mark.parametrize("platform", sorted(SAMPLES))
def test_each_platform_export_is_recognised_from_its_header(warehouse: Warehouse, platform: str) -> None:
    (result,) = import_posts(warehouse, [EXPORTS / SAMPLES[platform]])
    assert result.rows_loaded > 0
    stored = warehouse.sql("SELECT DISTINCT platform FROM social_posts")["platform"].tolist()
    assert stored == [platform]
    assert warehouse.sql("SELECT count(*) AS n FROM social_posts WHERE published_at IS NULL")["n"][0] == 0


def test_linkedin_xlsx_with_a_description_line_above_the_header(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write_linkedin_xlsx(tmp_path / "linkedin_content.xlsx")
    (result,) = import_posts(warehouse, [path], link_map={"https://lnkd.in/eAbCdE": "https://www.example.com/docs/"})
    assert result.rows_loaded == 2
    posts = warehouse.sql("SELECT post_id, linked_page, link_status FROM social_posts ORDER BY post_id")
    assert posts["post_id"].tolist() == ["urn:li:activity:7170000000000000001", "urn:li:activity:7170000000000000002"]
    assert posts["linked_page"][0] == "https://www.example.com/docs"
    impressions = warehouse.sql("SELECT impressions FROM social_post_metrics ORDER BY post_id")["impressions"]
    assert impressions.tolist() == [2450, 1020]


def test_localised_counts_and_local_publish_times(warehouse: Warehouse) -> None:
    import_posts(warehouse, [EXPORTS / "facebook_posts.csv", EXPORTS / "instagram_posts.csv"])
    views = warehouse.sql(
        "SELECT post_id, impressions FROM social_post_metrics WHERE platform IN ('facebook', 'instagram') "
        "ORDER BY post_id"
    ).set_index("post_id")["impressions"].to_dict()
    assert views["104857600123456_1234567890123456"] == 1234  # "1,234"
    assert views["104857600123456_2234567890123456"] == 1200  # "1.2K"
    assert views["18034567890123457"] == 12500  # "12.5K"
    published = warehouse.sql(
        "SELECT published_at FROM social_posts WHERE post_id = '104857600123456_1234567890123456'"
    )["published_at"][0]
    # 03/02/2026 16:33 in Meta's (Pacific) local time is 00:33 UTC the next day
    assert published.to_pydatetime() == datetime(2026, 3, 3, 0, 33)


def test_bad_rows_are_quarantined_with_line_and_reason(warehouse: Warehouse) -> None:
    (fb,) = import_posts(warehouse, [EXPORTS / "facebook_posts.csv"])
    (x,) = import_posts(warehouse, [EXPORTS / "x_tweet_activity.csv"])
    assert (fb.rows_read, fb.rows_loaded, fb.rows_quarantined) == (4, 2, 2)
    assert (x.rows_read, x.rows_loaded, x.rows_quarantined) == (3, 2, 1)
    quarantine = warehouse.quarantine()
    reasons = dict(zip(quarantine["line_no"].astype(int).astype(str) + quarantine["source_file"].str[-8:],
                       quarantine["reason"], strict=True))
    assert reasons["4osts.csv"] == "impressions: '-5': a count cannot be negative"
    assert reasons["5osts.csv"] == "impressions: 'two hundred' is not a number"
    assert reasons["4vity.csv"] == "duplicate of line 3"
    assert warehouse.count("social_posts") == 4


def test_reimporting_the_same_file_changes_nothing(warehouse: Warehouse) -> None:
    import_posts(warehouse, [EXPORTS / "tiktok_content.csv"])
    (again,) = import_posts(warehouse, [EXPORTS / "tiktok_content.csv"])
    assert again.skipped
    assert warehouse.count("social_post_metrics") == 2


def test_an_overlapping_later_export_updates_metrics_instead_of_duplicating(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    import_posts(warehouse, [EXPORTS / "tiktok_content.csv"])
    later = tmp_path / "tiktok_later.csv"
    text = (EXPORTS / "tiktok_content.csv").read_text(encoding="utf-8").replace('"23,400"', '"31,000"')
    later.write_text(text + "https://www.tiktok.com/@examplebrand/video/7343123456789012399,New one,"
                     "2026-03-20 18:30:00,100,1,0,0,0\n", encoding="utf-8")
    import_posts(warehouse, [later])
    assert warehouse.count("social_posts") == 3
    assert warehouse.count("social_post_metrics") == 3
    views = warehouse.sql(
        "SELECT impressions FROM social_post_metrics WHERE post_id = '7343123456789012345'"
    )["impressions"].tolist()
    assert views == [31000]


def test_missing_required_column_is_named(tmp_path: Path, warehouse: Warehouse) -> None:
    broken = tmp_path / "fb.csv"
    lines = (EXPORTS / "facebook_posts.csv").read_text(encoding="utf-8").splitlines()
    broken.write_text("\n".join([lines[0].replace("Publish time", "When"), *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(FormatNotRecognisedError, match=r"lacks required columns: published_at \(one of: 'publish time'\)"):
        import_posts(warehouse, [broken])
    assert warehouse.count("imports") == 0


def test_empty_and_unknown_files_fail_clearly_and_touch_nothing(tmp_path: Path, warehouse: Warehouse) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputFileError, match="empty"):
        import_posts(warehouse, [empty])
    other = tmp_path / "other.csv"
    other.write_text("colour,size\nred,3\n", encoding="utf-8")
    with pytest.raises(FormatNotRecognisedError, match="--map"):
        import_posts(warehouse, [other])
    assert warehouse.count("imports") == 0


def test_unknown_columns_are_reported_not_fatal(warehouse: Warehouse) -> None:
    (result,) = import_posts(warehouse, [EXPORTS / "x_tweet_activity.csv"])
    assert any("columns not used: engagement rate" in note for note in result.notes)


def test_generic_mapping_reads_any_layout(tmp_path: Path, warehouse: Warehouse) -> None:
    path = tmp_path / "mastodon.csv"
    path.write_text(
        "Toot,When,Boosts,Favs,Link\n"
        "https://mastodon.social/@brand/111,2026-03-02 10:00,4,12,https://www.example.com/a/?utm_source=masto\n"
        "https://mastodon.social/@brand/112,2026-03-03 10:00,-1,3,\n",
        encoding="utf-8",
    )
    (result,) = import_posts(
        warehouse, [path], platform="mastodon",
        column_map=["Toot=post_url", "When=published_at", "Boosts=shares", "Favs=likes", "Link=linked_url"],
    )
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    row = warehouse.sql("SELECT platform, post_id, linked_page FROM social_posts").iloc[0].tolist()
    assert row == ["mastodon", "https://mastodon.social/@brand/111", "https://www.example.com/a"]
    with pytest.raises(InputFileError, match="unknown field"):
        import_posts(warehouse, [path], platform="mastodon", column_map=["Toot=toots"])
    with pytest.raises(InputFileError, match="--platform"):
        import_posts(warehouse, [path], column_map=["Toot=post_url"])


def test_short_links_stay_unresolved_until_a_map_names_them(warehouse: Warehouse, tmp_path: Path) -> None:
    import_posts(warehouse, [EXPORTS / "x_tweet_activity.csv"])
    statuses = warehouse.sql("SELECT post_id, link_status, linked_page FROM social_posts ORDER BY post_id")
    assert statuses["link_status"].tolist() == ["unresolved", "expanded"]  # the second text carries the URL
    assert statuses["linked_page"][1] == "https://www.example.com/docs/api/webhooks"
    other = tmp_path / "x2.csv"
    shutil.copy(EXPORTS / "tiktok_content.csv", other)
    import_posts(warehouse, [other], link_map={"https://t.co/khqCFZUh8r": "https://www.example.com/blog/x/?utm_source=tw"})
    first = warehouse.sql("SELECT link_status, linked_page FROM social_posts WHERE post_id = '1896312345678901234'")
    assert first.iloc[0].tolist() == ["expanded", "https://www.example.com/blog/x"]


def test_a_crash_mid_import_leaves_the_warehouse_as_it_was(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socialseo.ingest.posts.importer as posts_module

    def boom(*args: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(posts_module.ImportContext, "quarantine_rows", boom)
    with pytest.raises(RuntimeError):
        import_posts(warehouse, [EXPORTS / "facebook_posts.csv"])
    assert warehouse.count("social_posts") == 0
    assert warehouse.count("imports") == 0


def test_a_header_padded_with_ten_thousand_blank_columns_reads_the_same_rows(tmp_path: Path) -> None:
    import socialseo

    # A header followed by a run of commas: the same posts, the blank columns ignored (a frame built a column at a
    # time over 10,000 columns took seconds per file).
    text = (EXPORTS / "facebook_posts.csv").read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    wide = tmp_path / "facebook_posts.csv"
    wide.write_text(header + "," * 10_000 + "\n" + rest,
                    encoding="utf-8")
    with socialseo.open(tmp_path / "w.duckdb") as project:
        (result,) = project.ingest_posts([wide])
        assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 2, 2)
        reasons = project.sql("SELECT line_no, reason FROM quarantine ORDER BY line_no").values.tolist()
        assert reasons == [[4, "impressions: '-5': a count cannot be negative"],
                           [5, "impressions: 'two hundred' is not a number"]]
