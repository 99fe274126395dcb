"""A simulated world in the shape of the warehouse's ``page_daily`` and ``page_daily_platform`` tables.

The impact analyses read that shape, so the validation harness can run them on many simulated sites without
writing files or a warehouse. Page keys are paths, as the warehouse keys pages.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialseo.classify.urls import page_key
from socialseo.demo.platforms import PLATFORM_NAMES
from socialseo.demo.world import World


def world_panel(world: World) -> pd.DataFrame:
    """One row per page and day with the ``page_daily`` columns; engagement fields this world lacks are zero."""
    daily = world.daily
    paths = {url: page_key(path) for url, path in zip(world.pages["url"], world.pages["path"], strict=True)}
    posts = daily[[f"posts_{p}" for p in PLATFORM_NAMES]].sum(axis=1)
    sessions = daily[[f"social_sessions_{p}" for p in PLATFORM_NAMES]].sum(axis=1)
    impressions = daily["impressions"].astype("int64")
    clicks = daily["clicks"].astype("int64")
    return pd.DataFrame({
        "page": daily["url"].map(paths),
        "date": pd.to_datetime(daily["date"]),
        "social_posts": posts.astype("int32"),
        "social_engagement": np.zeros(len(daily), dtype="int64"),
        "social_link_clicks": np.zeros(len(daily), dtype="int64"),
        "social_impressions": np.zeros(len(daily), dtype="int64"),
        "social_sessions": sessions.astype("int32"),
        "social_bounce_rate": np.nan,
        "backlinks_new": np.zeros(len(daily), dtype="int32"),
        "search_clicks": clicks,
        "search_impressions": impressions,
        "search_ctr": (clicks / impressions.where(impressions > 0)).astype("float64"),
        "search_position": daily["position"].astype("float64"),
    })


def world_platform_panel(world: World) -> pd.DataFrame:
    """Posts and social sessions per page, day and platform (long form, rows with activity only)."""
    daily = world.daily
    paths = {url: page_key(path) for url, path in zip(world.pages["url"], world.pages["path"], strict=True)}
    parts = []
    for name in PLATFORM_NAMES:
        part = pd.DataFrame({
            "page": daily["url"].map(paths),
            "date": pd.to_datetime(daily["date"]),
            "platform": name,
            "posts": daily[f"posts_{name}"].astype("int64"),
            "engagement": 0,
            "link_clicks": 0,
            "sessions": daily[f"social_sessions_{name}"].astype("int64"),
        })
        parts.append(part[(part["posts"] > 0) | (part["sessions"] > 0)])
    return pd.concat(parts, ignore_index=True)


def world_expected(world: World) -> pd.DataFrame:
    """Expected clicks with and without the planted effect per page (path) and day: the yardstick for estimates."""
    paths = {url: page_key(path) for url, path in zip(world.pages["url"], world.pages["path"], strict=True)}
    return pd.DataFrame({
        "page": world.daily["url"].map(paths),
        "date": pd.to_datetime(world.daily["date"]),
        "expected": world.daily["expected_clicks"].astype("float64"),
        "expected_no_effect": world.daily["expected_clicks_no_effect"].astype("float64"),
    })
