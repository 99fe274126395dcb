"""The effect estimators on simulated sites with a known answer, and their honest refusals."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from tests.analysis.conftest import panel_of, world

from socialseo.analysis.impact import counterfactual_impact, event_study, panel_model
from socialseo.analysis.impact.fixed_effects import ppml
from socialseo.analysis.impact.panel import detect_spikes, to_grid
from socialseo.demo import WorldConfig, simulate_world
from socialseo.demo.panel import world_expected, world_panel


def test_spikes_are_found_on_every_campaign_page_and_dated_to_the_campaign_start() -> None:
    w = world()
    panel, _ = panel_of(w)
    grid = to_grid(panel)
    spikes = pd.Series(detect_spikes(grid), index=grid.pages)
    pages = w.pages.assign(key=panel["page"].unique())
    campaigned = pages[pages["group"].isin(["effect", "null"])]
    start_day = (campaigned["campaign_start"] - pd.Timestamp(w.config.start)).dt.days.to_numpy()
    assert (spikes.loc[campaigned["key"]].to_numpy() == start_day).all()
    assert (spikes.loc[pages.loc[pages["group"] == "control", "key"]] == -1).all()


def test_panel_model_interval_holds_a_large_planted_effect_and_excludes_zero() -> None:
    panel, platforms = panel_of(world(effect=0.5))
    result = panel_model(panel, platforms)
    overall = result.iloc[0]
    assert overall["scope"] == "all platforms" and overall["estimable"] and overall["verdict"] == "effect"
    assert overall["ci_low"] > 0, "a +50% effect on a quarter of the pages must be detected"
    assert set(result["scope"]) > {"all platforms"}, "platforms estimated jointly"
    assert (result["ci_low"] <= result["relative_effect"]).all() and (result["relative_effect"] <= result["ci_high"]).all()


def test_event_study_placebo_is_near_zero_and_the_profile_is_flat_before_the_spike() -> None:
    panel, _ = panel_of(world(effect=0.5))
    summary, profile = event_study(panel)
    main, placebo = summary.iloc[0], summary.iloc[1]
    assert main["ci_low"] > 0
    assert placebo["ci_low"] < 0 < placebo["ci_high"]
    before = profile[profile["week"] < 0]
    after = profile[profile["week"] >= 2]
    assert before["relative_effect"].abs().mean() < after["relative_effect"].mean()


def test_counterfactual_recovers_the_planted_uplift_of_a_page_group() -> None:
    w = world(seed=5, effect=0.6, campaign_earliest_day=60, campaign_latest_margin=120)
    panel, _ = panel_of(w)
    grid = to_grid(panel)
    spikes = detect_spikes(grid)
    group = list(grid.pages[(spikes >= 60) & (spikes <= 63)])
    result = counterfactual_impact(panel, group, grid.dates[60], post_days=42)
    row = result.summary.iloc[0]
    expected = world_expected(w)
    window = expected["page"].isin(group) & (expected["date"] >= grid.dates[60]) & (
        expected["date"] < grid.dates[60] + pd.Timedelta(days=42))
    truth = expected.loc[window, "expected"].sum() / expected.loc[window, "expected_no_effect"].sum() - 1
    assert row["ci_low"] <= truth <= row["ci_high"]
    assert row["ci_low"] > 0
    series = result.series
    assert series["post_period"].sum() == 42
    assert np.isclose(series["cumulative_effect"].iloc[-1], (series["observed"] - series["predicted"])[series["post_period"]].sum())


def test_counterfactual_refuses_a_short_pre_period_and_a_site_without_controls() -> None:
    panel, _ = panel_of(world())
    page = panel["page"].iloc[-1]
    short = counterfactual_impact(panel, [page], panel["date"].min() + pd.Timedelta(days=10)).summary.iloc[0]
    assert not short["estimable"] and "10 days of data before" in short["reason"]
    assert short["verdict"] == "cannot_conclude" and short["verdict_reason"] == short["reason"]
    assert pd.isna(short["relative_effect"])
    noisy = panel.assign(social_sessions=1)
    alone = counterfactual_impact(noisy, [page], panel["date"].min() + pd.Timedelta(days=60)).summary.iloc[0]
    assert not alone["estimable"] and "no control page" in alone["reason"]


def test_panel_and_events_refuse_a_site_where_nothing_was_posted() -> None:
    panel, _ = panel_of(world())
    quiet = panel.assign(social_posts=0, social_sessions=0)
    assert not panel_model(quiet).iloc[0]["estimable"]
    summary, profile = event_study(quiet)
    assert not summary.iloc[0]["estimable"] and profile.empty
    assert "at least 3" in summary.iloc[0]["reason"]


def test_counterfactual_refuses_a_page_with_too_few_clicks_a_day_for_a_daily_model() -> None:
    w = world()
    panel, _ = panel_of(w)
    daily = panel.groupby("page")["search_clicks"].mean()
    small = str(daily[daily < 1].index[0])
    row = counterfactual_impact(panel, [small], panel["date"].min() + pd.Timedelta(days=60)).summary.iloc[0]
    assert not row["estimable"] and "per day before the date" in row["reason"] and "group of pages" in row["reason"]


def _synthetic_panel(effect: float, seed: int = 3) -> pd.DataFrame:
    """60 pages, 120 days; the 20 largest get a social spike on day 60 and, from day 60, ``effect``.

    Site-wide movement is multiplicative (a day's factor scales every page), the case additive effects misread.
    """
    rng = np.random.default_rng(seed)
    n_pages, n_days = 60, 120
    size = np.sort(rng.lognormal(1.0, 0.8, n_pages))[::-1]
    day = np.exp(0.3 * np.sin(np.arange(n_days) / 9.0)) * np.linspace(1.0, 1.6, n_days)
    treated = np.arange(n_pages) < 20
    lift = np.where(treated[:, None] & (np.arange(n_days)[None, :] >= 60), 1 + effect, 1.0)
    clicks = rng.poisson(size[:, None] * day[None, :] * lift)
    posts = np.zeros((n_pages, n_days), dtype=int)
    posts[treated, 60] = 3
    dates = pd.date_range("2026-01-01", periods=n_days)
    frame = pd.DataFrame({
        "page": np.repeat([f"/blog/p{i}" for i in range(n_pages)], n_days), "date": np.tile(dates, n_pages),
        "search_clicks": clicks.ravel(), "social_posts": posts.ravel(),
    })
    for column in ("social_engagement", "social_link_clicks", "social_impressions", "social_sessions",
                   "backlinks_new", "search_impressions"):
        frame[column] = 0
    frame["social_bounce_rate"] = frame["search_ctr"] = frame["search_position"] = np.nan
    return frame


def test_panel_model_reads_a_multiplicative_site_wide_rise_as_no_effect_on_large_spiked_pages() -> None:
    row = panel_model(_synthetic_panel(0.0)).iloc[0]
    assert row["estimable"] and row["ci_low"] < 0 < row["ci_high"], row
    assert abs(row["relative_effect"]) < 0.03
    assert "Poisson" in row["method"]


def test_panel_model_states_a_planted_lift_as_a_relative_effect() -> None:
    row = panel_model(_synthetic_panel(0.2)).iloc[0]
    assert row["verdict"] == "effect" and row["ci_low"] < 0.2 < row["ci_high"], row


def test_counterfactual_refuses_a_fit_whose_noise_collapsed_rather_than_print_a_narrow_interval() -> None:
    panel = _synthetic_panel(0.0)
    # a page that is an exact multiple of a control page has no noise of its own: any interval would be a lie
    copy = panel[panel["page"] == "/blog/p40"].assign(page="/blog/copy", search_clicks=lambda f: 3 * f["search_clicks"])
    panel = pd.concat([panel[panel["page"] != "/blog/p40"].assign(
        search_clicks=lambda f: np.where(f["page"].str.match(r"/blog/p([23]\d|4[1-9]|5\d)$"), 0, f["search_clicks"])),
        panel[panel["page"] == "/blog/p40"], copy], ignore_index=True)
    row = counterfactual_impact(panel, ["/blog/copy"], "2026-03-01").summary.iloc[0]
    assert not row["estimable"] and row["verdict"] == "cannot_conclude"
    assert "collapsed" in row["reason"]


def test_a_page_group_on_a_fast_growing_site_is_not_credited_with_the_sites_growth() -> None:
    # no effect anywhere, search demand growing 60% a year: the group's 120 days after its campaigns grew exactly
    # like every other page, and the controls' day-to-day noise must not hide part of that growth
    w = simulate_world(WorldConfig(seed=3, relative_effect=0.0, mean_daily_clicks=4.0, trend_per_year=0.6,
                                   campaign_earliest_day=60, campaign_latest_margin=120))
    panel = world_panel(w)
    grid = to_grid(panel)
    spikes = detect_spikes(grid)
    group = list(grid.pages[(spikes >= 60) & (spikes <= 63)])
    assert len(group) > 30
    row = counterfactual_impact(panel, group, grid.dates[60]).summary.iloc[0]
    assert row["estimable"] and row["ci_low"] < 0 < row["ci_high"], row
    assert abs(row["relative_effect"]) < 0.02, "a free intercept credited this group with +5%"


def test_single_pages_on_a_fast_growing_site_are_not_credited_with_the_sites_growth() -> None:
    # no effect anywhere, 100 clicks a page and day, demand growing 60% a year: a page's own free level would
    # carry part of its size, grow less than the controls in the fitted relation, and read the growth as lift
    # (the free level gave these ten pages +8.6% on average and three intervals excluding zero)
    w = simulate_world(WorldConfig(seed=3, relative_effect=0.0, mean_daily_clicks=100.0, trend_per_year=0.6,
                                   campaign_earliest_day=60, campaign_latest_margin=120))
    panel = world_panel(w)
    grid = to_grid(panel)
    spikes = detect_spikes(grid)
    pages = list(grid.pages[(spikes >= 60) & (spikes <= 63)])[:10]
    rows = pd.DataFrame([counterfactual_impact(panel, [page], grid.dates[60]).summary.iloc[0] for page in pages])
    assert len(rows) == 10 and rows["estimable"].all()
    assert abs(rows["relative_effect"].mean()) < 0.03, rows["relative_effect"].tolist()
    assert ((rows["ci_low"] < 0) & (rows["ci_high"] > 0)).sum() >= 9, rows[["ci_low", "ci_high"]]


def _cluster_panel(sizes: npt.NDArray[np.float64], seed: int = 1) -> tuple[npt.NDArray[np.float64], ...]:
    """Pages (clusters) x 60 days; the first half of the pages are "after" from day 30, with no effect."""
    rng = np.random.default_rng(seed)
    n_pages, n_days = len(sizes), 60
    page = np.repeat(np.arange(n_pages), n_days)
    day = np.tile(np.arange(n_days), n_pages)
    y = rng.poisson(sizes[page] * (1 + 0.3 * np.sin(day / 5.0))).astype(np.float64)
    after = ((page < n_pages // 2) & (day >= 30)).astype(np.float64)[:, None]
    return y, after, page, day


def test_panel_t_intervals_count_the_pages_that_carry_the_estimate() -> None:
    even = np.full(40, 5.0)
    y, x, page, day = _cluster_panel(even)
    _, _, dof_even = ppml(y, x, [page, day], page)
    one_large = even.copy()
    one_large[0] = 100.0  # one spiked page with 20 times the others' clicks carries much of the estimate
    y, x, page, day = _cluster_panel(one_large)
    _, cov, dof_large = ppml(y, x, [page, day], page)
    assert dof_even[0] > 35, "40 equal pages are about 39 degrees of freedom"
    assert dof_large[0] < 25, "one dominant page leaves fewer: a longer t interval than the normal's 1.96"
    assert cov[0, 0] > 0
