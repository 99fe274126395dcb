"""``page_daily`` on a generated site: every column must give back what the generator planted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import socialseo
from socialseo.api import Project
from socialseo.classify.urls import page_key, page_key_sql
from socialseo.demo import WorldConfig, generate, simulate_world

SEED, PAGES, DAYS = 5, 30, 60


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, dict[str, Any], pd.DataFrame]]:
    out = tmp_path_factory.mktemp("timeline")
    files = generate(out / "data", seed=SEED, n_pages=PAGES, days=DAYS, target_log_lines=15_000)
    truth = json.loads(files.truth.read_text())
    project = socialseo.open(out / "t.duckdb")
    project.ingest_logs([files.access_log], site=truth["site_host"])
    project.ingest_gsc([files.search_console])
    project.ingest_posts(list(files.posts.values()), link_map=truth["shortlinks"])
    world = simulate_world(WorldConfig(seed=SEED, n_pages=PAGES, days=DAYS))
    yield project, truth, world.posts
    project.close()


def test_search_clicks_and_impressions_equal_the_world_per_page_and_day(
    site: tuple[Project, dict[str, Any], pd.DataFrame],
) -> None:
    project, _, _ = site
    world = simulate_world(WorldConfig(seed=SEED, n_pages=PAGES, days=DAYS)).daily
    expected = world.assign(page=world["url"].map(page_key), date=world["date"].dt.date)
    expected = expected[expected["impressions"] > 0].set_index(["page", "date"])[["clicks", "impressions"]]
    got = project.pages().assign(date=lambda f: f["date"].dt.date).set_index(["page", "date"])
    joined = expected.join(got[["search_clicks", "search_impressions"]], how="left")
    assert (joined["clicks"] == joined["search_clicks"]).all()
    assert (joined["impressions"] == joined["search_impressions"]).all()
    assert got["search_clicks"].sum() == world["clicks"].sum()


def test_search_position_is_the_impression_weighted_mean_of_the_rows(
    site: tuple[Project, dict[str, Any], pd.DataFrame],
) -> None:
    project, _, _ = site
    check = project.sql(
        "SELECT d.search_position AS got, sum(s.position * s.impressions) / sum(s.impressions) AS want "
        f"FROM page_daily d JOIN search_performance s ON {page_key_sql('s.page_url')} = d.page AND s.date = d.date "
        "GROUP BY d.page, d.date, d.search_position"
    )
    assert len(check) > 100
    assert (check["got"] - check["want"]).abs().max() < 1e-9


def test_posts_per_page_and_day_equal_the_planted_posts(site: tuple[Project, dict[str, Any], pd.DataFrame]) -> None:
    project, truth, posts = site
    start = pd.Timestamp(truth["start"])
    linked = posts[posts["page"] >= 0]
    expected = (
        linked.assign(page=linked["target_url"].map(page_key), date=(start + pd.to_timedelta(linked["day"], "D")))
        .groupby(["page", "date"]).size()
    )
    got = project.pages().set_index(["page", "date"])["social_posts"]
    got = got[got > 0]
    assert got.sum() == len(linked)
    assert got.to_dict() == {(p, pd.Timestamp(d)): n for (p, d), n in expected.items()}


def test_social_sessions_and_platform_table_add_up(site: tuple[Project, dict[str, Any], pd.DataFrame]) -> None:
    project, truth, _ = site
    pages = project.pages()
    assert pages["social_sessions"].sum() == truth["access_log"]["sessions_by_channel"]["social"]
    by_platform = project.pages_by_platform()
    assert by_platform["sessions"].sum() == pages["social_sessions"].sum()
    assert by_platform["posts"].sum() == pages["social_posts"].sum()
    assert by_platform["engagement"].sum() == pages["social_engagement"].sum()
    with_sessions = pages[pages["social_sessions"] > 0]
    assert with_sessions["social_bounce_rate"].between(0, 1).all()
    assert pages.loc[pages["social_sessions"] == 0, "social_bounce_rate"].isna().all()


def test_the_panel_is_complete_between_each_pages_first_and_last_day(
    site: tuple[Project, dict[str, Any], pd.DataFrame],
) -> None:
    project, _, _ = site
    spans = project.sql(
        "SELECT page, count(*) AS n, max(date) - min(date) + 1 AS span FROM page_daily GROUP BY page"
    )
    assert len(spans) == PAGES
    assert (spans["n"] == spans["span"]).all()
    assert project.sql("SELECT count(*) - count(DISTINCT (page, date)) AS d FROM page_daily")["d"][0] == 0


def test_pages_lookup_accepts_any_spelling_of_the_url(site: tuple[Project, dict[str, Any], pd.DataFrame]) -> None:
    project, truth, _ = site
    path = truth["pages"][3]["path"]
    messy = f"HTTP://{truth['site_host'].upper()}{path}?utm_source=newsletter"
    frame = project.pages(messy)
    assert len(frame) > 0
    assert frame["page"].nunique() == 1


def test_metrics_rates_are_ratios_of_sums(site: tuple[Project, dict[str, Any], pd.DataFrame]) -> None:
    project, _, posts = site
    by_platform = project.metrics(by="platform").set_index("platform")
    for platform, group in posts.groupby("platform"):
        row = by_platform.loc[platform]
        assert row["posts"] == len(group)
        if platform not in ("pinterest",):  # Pinterest exports neither likes nor comments
            assert row["likes"] == group["likes"].sum()
        if platform not in ("youtube", "tiktok", "reddit", "instagram"):  # exports without link clicks
            assert row["ctr"] == pytest.approx(group["link_clicks"].sum() / group["impressions"].sum())
    by_post = project.metrics(by="post", platform="x")
    assert set(by_post["platform"]) == {"x"}
    assert len(by_post) == (posts["platform"] == "x").sum()


def test_rebuilt_after_each_import_inside_the_search_window(tmp_path: Path) -> None:
    from tests.conftest import TEST_DATA

    with socialseo.open(tmp_path / "w.duckdb") as project:
        project.ingest_gsc([TEST_DATA / "exports" / "gsc_api_rows.json"])
        before = project.pages()
        project.ingest_posts([TEST_DATA / "exports" / "reddit_posts.csv"])
        after = project.pages()
        window = project.pages_window()
    assert len(before) == 3 and window.basis == "search"
    assert (str(window.first), str(window.last)) == ("2026-03-02", "2026-03-03")
    # the Reddit post (2026-03-10) is after the last search day: the panel keeps to the days search covers
    assert after["date"].max() == pd.Timestamp("2026-03-03") and after["social_posts"].sum() == 0
    assert len(after) == len(before)


def test_backlinks_first_seen_before_the_search_window_are_there_on_its_first_day(tmp_path: Path) -> None:
    from tests.conftest import TEST_DATA

    links = tmp_path / "links.csv"
    links.write_text("source_url,target_url,first_seen\n"
                     "https://www.reddit.com/r/SEO/comments/1/,https://www.example.com/docs/api/webhooks/,2023-05-01\n"
                     "https://x.com/a/status/2,https://www.example.com/docs/api/webhooks,2026-03-03\n"
                     "https://x.com/a/status/3,https://www.example.com/docs/api/webhooks,2027-01-01\n")
    with socialseo.open(tmp_path / "w.duckdb") as project:
        project.ingest_gsc([TEST_DATA / "exports" / "gsc_api_rows.json"])
        project.ingest_backlinks([links])
        timeline = project.pages("/docs/api/webhooks")
    assert [str(d.date()) for d in timeline["date"]] == ["2026-03-02", "2026-03-03"]
    assert timeline["backlinks_new"].tolist() == [1, 1]


def test_pages_json_shows_the_platforms_that_touched_a_page_each_day(tmp_path: Path) -> None:
    from tests.conftest import TEST_DATA

    links = tmp_path / "links.csv"
    links.write_text("short_url,expanded_url\n"
                     "https://t.co/khqCFZUh8r,https://www.example.com/blog/how-to-measure-utm-parameters/\n")
    with socialseo.open(tmp_path / "w.duckdb") as project:
        project.ingest_gsc([TEST_DATA / "exports" / "gsc_api_rows.json"])
        project.ingest_posts([TEST_DATA / "exports" / "x_tweet_activity.csv"],
                             link_map={"https://t.co/khqCFZUh8r":
                                       "https://www.example.com/blog/how-to-measure-utm-parameters/"})
        frame = project.pages("https://www.example.com/blog/how-to-measure-utm-parameters/", platforms=True)
    by_day = dict(zip([str(d.date()) for d in frame["date"]], frame["platforms"], strict=True))
    assert set(by_day["2026-03-02"]) == {"x"}
    assert by_day["2026-03-02"]["x"]["posts"] == 1 and by_day["2026-03-03"] == {}


def test_dashboard_page_search_takes_a_pasted_url(site: tuple[Project, dict[str, Any], pd.DataFrame]) -> None:
    from socialseo.analysis.pages import page_timeline, pages_overview

    project, truth, _ = site
    path = truth["pages"][3]["path"]
    pasted = f"https://{truth['site_host']}{path}?utm_source=newsletter"
    found = pages_overview(project.warehouse.con, pasted)
    assert page_key(path) in set(found["page"])
    assert not page_timeline(project.warehouse.con, pasted).empty
