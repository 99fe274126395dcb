"""Simulated sites in the warehouse's ``page_daily`` shape, shared by the impact tests."""

from __future__ import annotations

from functools import cache

import pandas as pd

from socialseo.demo import World, WorldConfig, simulate_world
from socialseo.demo.panel import world_panel, world_platform_panel


@cache
def world(seed: int = 11, effect: float = 0.5, **kwargs: int) -> World:
    return simulate_world(WorldConfig(seed=seed, relative_effect=effect, **kwargs))


def panel_of(w: World) -> tuple[pd.DataFrame, pd.DataFrame]:
    return world_panel(w), world_platform_panel(w)
