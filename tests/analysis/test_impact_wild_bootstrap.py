"""The panel model's wild cluster score bootstrap: honest p-values under a planted null, power under a planted lift."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from tests.analysis.conftest import panel_of, world

from socialseo.analysis.impact import panel_model
from socialseo.analysis.impact.poisson import drop_uninformative, fit_ppml
from socialseo.analysis.impact.wild_bootstrap import ScoreBootstrap, rademacher
from socialseo.errors import SocialSeoError

Arrays = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], list[npt.NDArray[np.int64]], npt.NDArray[np.int64]]


def _pages(seed: int, lift: float, n_pages: int = 40, n_days: int = 60) -> Arrays:
    """Pages x days of overdispersed clicks with page and day effects; half the pages are "after" from day 30."""
    rng = np.random.default_rng(seed)
    page = np.repeat(np.arange(n_pages), n_days)
    day = np.tile(np.arange(n_days), n_pages)
    size = rng.lognormal(1.5, 0.8, n_pages)
    after = ((page < n_pages // 2) & (day >= 30)).astype(np.float64)
    mean = size[page] * (1 + 0.3 * np.sin(day / 5.0)) * np.exp(np.log1p(lift) * after)
    y = rng.poisson(mean * rng.gamma(4.0, 0.25, len(mean))).astype(np.float64)
    return drop_uninformative(y, after[:, None], [page, day], page)


def _p_value(seed: int, lift: float) -> float:
    y, x, groups, clusters = _pages(seed, lift)
    _, offset = fit_ppml(y, x, groups)
    return ScoreBootstrap(y, x, groups, clusters, offset).p_value(0)


def test_bootstrap_p_values_under_a_planted_null_are_spread_not_piled_at_zero_or_one() -> None:
    p = np.array([_p_value(seed, 0.0) for seed in range(30)])
    assert (p < 0.05).sum() <= 4, f"at 5% about 1.5 of 30 nulls are rejected, not {(p < 0.05).sum()}"
    assert 0.3 < p.mean() < 0.7, "null p-values are uniform: mean one half"
    assert (p > 0.5).sum() >= 8, "a test that never reaches large p-values is too eager"


def test_bootstrap_rejects_a_large_planted_lift() -> None:
    assert max(_p_value(seed, 0.5) for seed in range(3)) < 0.05


def test_sign_draws_are_the_same_for_the_same_seed() -> None:
    first, again = rademacher(50, 99), rademacher(50, 99)
    assert first.shape == (99, 50) and np.array_equal(first, again)
    assert set(np.unique(first)) == {-1.0, 1.0}


def test_panel_model_bootstrap_finds_a_large_planted_effect_and_states_its_method() -> None:
    panel, platforms = panel_of(world(effect=0.5))
    result = panel_model(panel, platforms, inference="bootstrap")
    overall = result.iloc[0]
    assert overall["verdict"] == "effect" and overall["p_value"] < 0.05, overall
    assert overall["ci_low"] < overall["relative_effect"] < overall["ci_high"]
    assert "bootstrap" in overall["method"]
    assert "CR2" in result.iloc[1]["method"], "per-platform rows keep the sandwich"


def test_panel_model_bootstrap_on_a_site_with_no_effect_sees_none() -> None:
    panel, platforms = panel_of(world(seed=12, effect=0.0, mean_daily_clicks=4.0))
    overall = panel_model(panel, platforms, inference="bootstrap").iloc[0]
    assert overall["estimable"] and overall["p_value"] > 0.05, overall
    assert overall["ci_low"] < 0 < overall["ci_high"]
    assert overall["verdict"] == "no_effect_detected"


def test_panel_model_refuses_an_unknown_inference_by_name() -> None:
    panel, _ = panel_of(world(effect=0.5))
    with pytest.raises(SocialSeoError, match="cr2, bootstrap"):
        panel_model(panel, inference="jackknife")
