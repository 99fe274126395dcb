"""The simulated world: deterministic, fast, and carrying exactly the effect its truth says it carries."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from socialseo.demo import DemoConfigError, World, WorldConfig, simulate_world
from socialseo.demo.platforms import PLATFORM_NAMES


@pytest.fixture(scope="module")
def world() -> World:
    return simulate_world(WorldConfig())


def _post_period(world: World, group: str) -> tuple[float, float, float]:
    """(actual, expected, expected-without-effect) clicks of a group from its effect start on."""
    pages = world.pages
    day = np.arange(world.config.days)
    actual = expected = no_effect = 0.0
    for i in np.flatnonzero((pages["group"] == group).to_numpy()):
        first = (
            pages.at[i, "campaign_start"] - pd.Timestamp(world.config.start)
        ).days + world.config.lag_days
        mask = day >= first
        actual += world.search.clicks[i, mask].sum()
        expected += world.search.expected_clicks[i, mask].sum()
        no_effect += world.search.expected_clicks_no_effect[i, mask].sum()
    return actual, expected, no_effect


def test_same_seed_gives_identical_world_and_other_seed_does_not() -> None:
    a = simulate_world(WorldConfig(seed=5, n_pages=50, days=90))
    b = simulate_world(WorldConfig(seed=5, n_pages=50, days=90))
    c = simulate_world(WorldConfig(seed=6, n_pages=50, days=90))
    pd.testing.assert_frame_equal(a.daily, b.daily)
    pd.testing.assert_frame_equal(a.posts, b.posts)
    assert json.dumps(a.truth) == json.dumps(b.truth)
    assert not a.daily["clicks"].equals(c.daily["clicks"])


def test_groups_have_the_configured_sizes_and_home_is_a_control(world: World) -> None:
    assert world.truth["groups"] == {"effect": 30, "null": 30, "sporadic": 60, "control": 80}
    assert world.pages.at[0, "path"] == "/"
    assert world.pages.at[0, "group"] == "control"
    assert world.pages["url"].is_unique


def test_campaigns_start_between_day_60_and_45_days_before_the_end(world: World) -> None:
    starts = world.pages.loc[world.pages["group"].isin(["effect", "null"]), "campaign_start"]
    offsets = (starts - pd.Timestamp(world.config.start)).dt.days
    assert offsets.min() >= 60
    assert offsets.max() <= world.config.days - 45
    assert offsets.nunique() > 10, "campaign starts should be staggered"


def test_effect_pages_get_more_clicks_after_the_lag_than_the_no_effect_model(world: World) -> None:
    actual, expected, no_effect = _post_period(world, "effect")
    assert expected == pytest.approx(no_effect * 1.25)
    assert actual / no_effect > 1.12


def test_null_pages_get_what_the_no_effect_model_predicts(world: World) -> None:
    actual, expected, no_effect = _post_period(world, "null")
    assert expected == pytest.approx(no_effect)
    assert 0.9 < actual / no_effect < 1.1


def test_effect_also_lifts_impressions_from_the_effect_start(world: World) -> None:
    i = int(np.flatnonzero((world.pages["group"] == "effect").to_numpy())[0])
    first = int(np.argmax(world.search.effect_active[i]))
    ratio = world.search.expected_clicks[i] / world.search.expected_clicks_no_effect[i]
    assert np.allclose(ratio[:first], 1.0)
    assert np.allclose(ratio[first:], 1.25)
    assert (world.daily["clicks"] <= world.daily["impressions"]).all()


def test_zero_relative_effect_plants_nothing() -> None:
    flat = simulate_world(WorldConfig(seed=3, relative_effect=0.0))
    assert flat.truth["effect"]["expected_extra_clicks_total"] == 0.0
    assert np.allclose(flat.search.expected_clicks, flat.search.expected_clicks_no_effect)


def test_truth_extra_clicks_are_the_relative_effect_of_the_no_effect_expectation(world: World) -> None:
    for page in world.truth["pages"]:
        if page["group"] == "effect":
            assert page["expected_extra_clicks_per_day"] == pytest.approx(
                0.25 * page["expected_clicks_per_day_post_no_effect"], rel=1e-4
            )
            assert page["effect_start"] == page["post_period_start"]
        else:
            assert page["expected_extra_clicks_total"] == 0.0


def test_effect_and_null_campaigns_follow_the_same_recipe(world: World) -> None:
    by_group = {p["group"]: [] for p in world.truth["pages"]}
    for page in world.truth["pages"]:
        by_group[page["group"]].append(page["n_posts"])
    for group in ("effect", "null"):
        assert min(by_group[group]) >= 3 and max(by_group[group]) <= 8
    assert abs(np.mean(by_group["effect"]) - np.mean(by_group["null"])) < 1.5
    assert set(by_group["control"]) == {0}
    assert min(by_group["sporadic"]) >= 1 and max(by_group["sporadic"]) <= 3


def test_social_visits_only_reach_posted_pages_and_only_after_the_first_post(world: World) -> None:
    daily = world.daily
    social = daily[[f"social_sessions_{p}" for p in PLATFORM_NAMES]].sum(axis=1)
    first_post = world.posts[world.posts["page"] >= 0].groupby("page")["day"].min()
    day = (daily["date"] - pd.Timestamp(world.config.start)).dt.days.to_numpy()
    page = np.repeat(np.arange(len(world.pages)), world.config.days)
    first = first_post.reindex(range(len(world.pages))).to_numpy()[page]
    assert social[np.isnan(first)].sum() == 0
    assert social[~np.isnan(first) & (day < np.nan_to_num(first))].sum() == 0
    assert social.sum() > 1000


def test_every_platform_has_posts_and_posts_look_like_exports(world: World) -> None:
    posts = world.posts
    assert set(posts["platform"]) == set(PLATFORM_NAMES)
    assert posts["post_id"].is_unique
    assert (posts["link_clicks"] <= posts["impressions"]).all()
    assert str(posts["published_at"].dt.tz) == "UTC"
    x_urls = posts.loc[posts["platform"] == "x", "post_url"]
    assert x_urls.str.match(r"^https://x\.com/examplebrand/status/\d{19}$").all()


def test_truth_is_plain_json(world: World) -> None:
    text = json.dumps(world.truth)
    assert json.loads(text)["config"]["start"] == "2026-03-01"
    assert world.truth["start"] == "2026-03-01" and world.truth["end"] == "2026-08-27"


def test_short_periods_shrink_the_campaign_window() -> None:
    short = simulate_world(WorldConfig(seed=1, n_pages=40, days=60, start=date(2026, 1, 5)))
    starts = short.pages["campaign_start"].dropna()
    offsets = (starts - pd.Timestamp(date(2026, 1, 5))).dt.days
    assert offsets.min() >= 20 and offsets.max() <= 33


@pytest.mark.parametrize(
    "config",
    [WorldConfig(effect_share=0.6, null_share=0.6), WorldConfig(n_pages=3), WorldConfig(days=10)],
)
def test_impossible_configs_are_refused_with_a_reason(config: WorldConfig) -> None:
    with pytest.raises(DemoConfigError, match="must"):
        simulate_world(config)
