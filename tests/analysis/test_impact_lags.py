"""Lagged association: finds a planted lagged relation, and stays quiet on independent noise."""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialseo.analysis.impact.lags import lag_summary, lagged_association


def _panel(pages: int, days: int, lag: int, strength: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    social = rng.poisson(3.0, size=(pages, days + lag)).astype(float)
    search = rng.poisson(20.0, size=(pages, days)) + strength * social[:, :days]  # social leads by `lag` days
    search = np.concatenate([np.zeros((pages, lag)), search], axis=1)[:, :days] if lag else search
    dates = pd.date_range("2026-01-01", periods=days)
    return pd.DataFrame({
        "page": np.repeat([f"/p{i}" for i in range(pages)], days), "date": np.tile(dates, pages),
        "social_posts": social[:, :days].ravel(), "social_engagement": 0, "social_sessions": 0,
        "search_clicks": search.ravel(), "search_impressions": search.ravel() * 10, "search_position": 5.0,
    })


def test_a_planted_five_day_lag_is_the_most_significant_lag() -> None:
    found = lagged_association(_panel(20, 120, 5, 3.0, 1), social=("social_posts",), search=("search_clicks",))
    summary = lag_summary(found)
    best = summary.sort_values("share_significant", ascending=False).iloc[0]
    assert best["lag"] == 5 and best["share_significant"] > 0.8


def test_independent_series_give_few_discoveries_after_correction() -> None:
    found = lagged_association(_panel(40, 120, 0, 0.0, 2), social=("social_posts",), search=("search_clicks",))
    assert len(found) == 40 * 29
    assert found["significant"].mean() < 0.01
    assert (found["q_value"] >= found["p_value"] - 1e-12).all()


def test_too_short_a_panel_gives_an_empty_answer() -> None:
    assert lagged_association(_panel(5, 30, 0, 0.0, 3)).empty
