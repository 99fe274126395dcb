"""The whole loop on a generated site: what the pipeline measures must equal what the generator planted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import socialseo
from socialseo.demo.pipeline import DemoRun, run_demo


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    return run_demo(tmp_path_factory.mktemp("demo"), seed=11, target_log_lines=40_000)


def truth_of(run: DemoRun) -> dict:  # type: ignore[type-arg]
    return json.loads(run.files.truth.read_text())["access_log"]


def test_sessions_per_channel_equal_the_planted_counts(demo_run: DemoRun) -> None:
    with socialseo.open(demo_run.db, read_only=True) as project:
        measured = dict(project.sql("SELECT channel, count(*) FROM sessions GROUP BY 1").itertuples(index=False))
    assert measured == truth_of(demo_run)["sessions_by_channel"]


def test_social_sessions_per_platform_equal_the_planted_counts(demo_run: DemoRun) -> None:
    with socialseo.open(demo_run.db, read_only=True) as project:
        frame = project.sql("SELECT platform, count(*) FROM sessions WHERE channel = 'social' GROUP BY 1")
    assert dict(frame.itertuples(index=False)) == truth_of(demo_run)["social_sessions_by_platform"]


def test_channels_recover_the_planted_ai_assistant_and_open_network_visits(demo_run: DemoRun) -> None:
    truth = truth_of(demo_run)
    with socialseo.open(demo_run.db, read_only=True) as project:
        frame = project.channels()
    sessions = {(r.channel, r.platform): r.sessions for r in frame.itertuples(index=False)}
    assistants = {p: n for (c, p), n in sessions.items() if c == "ai_assistant"}
    assert assistants == truth["ai_assistant_sessions_by_platform"]
    assert {"chatgpt", "perplexity", "gemini", "grok"} <= set(assistants)
    assert 0.01 < sum(assistants.values()) / truth["sessions"] < 0.06  # a few percent, as in 2026 logs
    for network in ("bluesky", "threads", "mastodon"):
        assert sessions[("social", network)] == truth["social_sessions_by_platform"][network] > 0


def test_bots_page_views_and_malformed_lines_are_counted_exactly(demo_run: DemoRun) -> None:
    truth = truth_of(demo_run)
    with socialseo.open(demo_run.db, read_only=True) as project:
        assert project.sql("SELECT count(*) FROM hits WHERE is_bot").iloc[0, 0] == truth["bot_hits"]
        assert project.sql("SELECT count(*) FROM hits WHERE is_pageview").iloc[0, 0] == truth["human_page_views"]
        assert project.warehouse.count("quarantine") == truth["malformed_lines"]
        (result,) = demo_run.imports
        assert result.rows_read == truth["total_lines"]


def test_bounce_rate_per_platform_matches_the_generated_visits(demo_run: DemoRun) -> None:
    engagement = json.loads(demo_run.files.truth.read_text())["access_log"]["engagement_by_platform"]
    with socialseo.open(demo_run.db, read_only=True) as project:
        frame = project.channels()
    social = frame[frame["channel"] == "social"].set_index("platform")
    assert set(social.index) == set(engagement)
    for platform, numbers in engagement.items():
        # truth.json rounds to six decimals
        assert social.loc[platform, "bounce_rate"] == pytest.approx(numbers["bounce_rate"], abs=1e-6)
        assert social.loc[platform, "pages_per_session"] == pytest.approx(numbers["pages_per_session"], abs=1e-6)


def test_running_the_demo_again_imports_nothing_twice(demo_run: DemoRun, tmp_path: Path) -> None:
    again = run_demo(demo_run.db.parent, seed=11, target_log_lines=40_000)
    assert all(result.skipped for result in again.imports)
    assert again.sessions == demo_run.sessions
    assert again.report.exists()
