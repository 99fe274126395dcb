"""Imports through the Project door: one result per file, one callback name, derived tables rebuilt, bad input
refused before anything is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import TEST_DATA

import socialseo
from socialseo.api import ImportResult
from socialseo.errors import InputFileError

GA4 = TEST_DATA / "ga4" / "traffic_acquisition.csv"
POSTS = TEST_DATA / "exports" / "facebook_posts.csv"


def test_every_file_gets_a_result_and_a_callback_and_a_copy_is_skipped_by_its_bytes(tmp_path: Path) -> None:
    copy = tmp_path / "renamed.csv"
    shutil.copy(GA4, copy)
    done: list[ImportResult] = []
    with socialseo.open(tmp_path / "w.duckdb") as project:
        results = project.ingest_ga4([GA4, copy], on_file_done=done.append)
        assert done == results
        assert [r.skipped for r in results] == [False, True]
        assert results[0].rows_loaded == 10 and results[1].rows_loaded == 0
        assert "already imported (same content)" in results[1].message
        assert project.imports()["path"].tolist() == [str(GA4)]


def test_a_link_map_without_pairs_is_refused_before_any_post_is_imported(tmp_path: Path) -> None:
    links = tmp_path / "links.csv"
    links.write_text("short,expanded\nnot a url,nor this\n")
    with socialseo.open(tmp_path / "w.duckdb") as project:
        with pytest.raises(InputFileError, match="no short_url,expanded_url pairs"):
            project.ingest_posts([POSTS], links=links)
        assert project.count("imports") == 0 and project.count("social_posts") == 0


def test_posts_imported_through_the_door_say_how_many_link_to_a_page(tmp_path: Path) -> None:
    with socialseo.open(tmp_path / "w.duckdb") as project:
        results = project.ingest_posts([POSTS], site=["www.example.com"])
        summary = project.post_links(results)
        assert summary["posts"] == results[0].rows_loaded > 0
        assert project.post_links([]) == {"posts": 0, "linked": 0, "unlinked": {}}
        assert project.rebuild_stale() == []  # the import rebuilt what it made stale: nothing is left to rebuild
        assert project.warehouse.stale_tables() == []


def test_the_earlier_callback_name_still_works_with_a_warning(tmp_path: Path) -> None:
    page = tmp_path / "post.html"
    page.write_text('<html><body><a href="https://example.com/pricing">pricing</a></body></html>')
    done: list[ImportResult] = []
    with socialseo.open(tmp_path / "w.duckdb") as project:
        with pytest.warns(DeprecationWarning, match="on_file_done"):
            results = project.ingest_pages([page], site="example.com", on_done=done.append)
        assert done == results and len(done) == 1
