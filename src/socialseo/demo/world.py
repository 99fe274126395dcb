"""The simulated world behind the demo files: pages, search demand, posts, social visits and backlinks.

``simulate_world`` is pure numpy/pandas and writes nothing, so that a validation harness can draw hundreds of
sites with different seeds and effect sizes in seconds and compare an estimator's answers with
``World.truth``.

>>> world = simulate_world(WorldConfig(seed=3, n_pages=30, days=90))
>>> sorted(world.truth["groups"])
['control', 'effect', 'null', 'sporadic']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd

from socialseo.demo.backlinks import build_backlinks
from socialseo.demo.campaigns import assign_groups, campaign_window, schedule_posts
from socialseo.demo.platforms import PLATFORM_NAMES
from socialseo.demo.posts import build_posts
from socialseo.demo.search import SearchPanel, simulate_search
from socialseo.demo.site import build_pages
from socialseo.demo.social import SocialPanel, simulate_social
from socialseo.demo.truth import world_truth
from socialseo.errors import SocialSeoError

# Independent random streams per component: changing how posts are drawn must not reshuffle search demand.
_STREAM_PAGES, _STREAM_GROUPS, _STREAM_POSTS, _STREAM_SEARCH, _STREAM_SOCIAL, _STREAM_LINKS = range(6)


class DemoConfigError(SocialSeoError, ValueError):
    """A demo configuration that cannot describe a site (shares over 1, too few pages or days)."""


@dataclass(frozen=True)
class WorldConfig:
    """Everything that shapes a simulated site. Defaults give the documented 200-page, 180-day demo."""

    seed: int = 7
    n_pages: int = 200
    days: int = 180
    start: date = date(2026, 3, 1)
    site_host: str = "www.example.com"
    effect_share: float = 0.15
    """Fraction of (non-home) pages with a social campaign and a real search uplift."""
    null_share: float = 0.15
    """Fraction of pages with an identical-looking campaign and no uplift."""
    sporadic_share: float = 0.30
    """Fraction of pages with a few unrelated posts and no uplift; the rest are never posted (controls)."""
    relative_effect: float = 0.25
    """Multiplier minus one on expected search impressions and clicks once the effect starts."""
    lag_days: int = 7
    """Days from the first campaign post to the start of the uplift."""
    mean_daily_clicks: float = 0.6
    """Mean expected Google clicks per page and day before trend and effect (the home page gets 6x)."""
    trend_per_year: float = 0.12
    """Mild site-wide growth of search demand, as a fraction per year."""
    demand_noise_sd: float = 0.10
    """Day-to-day log-normal demand noise (mean one) on top of Poisson counting noise."""
    campaign_earliest_day: int = 60
    campaign_latest_margin: int = 45
    """A campaign starts no later than ``days - campaign_latest_margin`` (window shrinks on short periods)."""
    campaign_posts: tuple[int, int] = (3, 8)
    campaign_platforms: tuple[int, int] = (2, 4)
    campaign_span_days: int = 14
    utc_offset_minutes: int = -300
    """The site's local time: log timestamps are written in it and days are local days."""

    def validate(self) -> None:
        """Raise ``DemoConfigError`` with the fix when the configuration cannot describe a site."""
        shares = (self.effect_share, self.null_share, self.sporadic_share)
        if min(shares) < 0 or sum(shares) > 1.0 + 1e-9:
            raise DemoConfigError(
                f"effect, null and sporadic shares must be >= 0 and sum to <= 1, got {shares}"
            )
        if self.n_pages < 10:
            raise DemoConfigError(f"n_pages must be at least 10, got {self.n_pages}")
        if self.days < 28:
            raise DemoConfigError(
                f"days must be at least 28 to leave a pre and a post period, got {self.days}"
            )
        if self.lag_days < 0 or self.relative_effect <= -1.0:
            raise DemoConfigError("lag_days must be >= 0 and relative_effect > -1")
        if self.mean_daily_clicks <= 0:
            raise DemoConfigError(f"mean_daily_clicks must be positive, got {self.mean_daily_clicks}")

    @property
    def end(self) -> date:
        """Last simulated (local) day, inclusive."""
        return self.start + timedelta(days=self.days - 1)

    def rng(self, stream: int) -> np.random.Generator:
        """The random generator of one component; same seed and stream give the same draws."""
        return np.random.default_rng([self.seed, stream])


@dataclass(frozen=True)
class World:
    """One simulated site. ``truth`` is JSON-serialisable; the tables follow the column lists in the docs."""

    config: WorldConfig
    pages: pd.DataFrame
    daily: pd.DataFrame
    posts: pd.DataFrame
    backlinks: pd.DataFrame
    truth: dict[str, Any]
    search: SearchPanel = field(repr=False)
    social: SocialPanel = field(repr=False)


def simulate_world(config: WorldConfig) -> World:
    """Simulate one site with a planted social-to-search effect. Pure and fast: no files, under a second."""
    config.validate()
    pages, queries = build_pages(
        config.n_pages, config.site_host, config.mean_daily_clicks, config.rng(_STREAM_PAGES)
    )
    window = campaign_window(
        config.days, config.campaign_earliest_day, config.campaign_latest_margin, config.lag_days
    )
    design = assign_groups(
        config.n_pages,
        (config.effect_share, config.null_share, config.sporadic_share),
        window,
        config.rng(_STREAM_GROUPS),
    )
    effect_start = np.where(design.group == "effect", design.campaign_start + config.lag_days, -1)
    effect_start = np.where(effect_start >= config.days, -1, effect_start)

    posts_rng = config.rng(_STREAM_POSTS)
    plan = schedule_posts(
        design,
        config.days,
        config.campaign_posts,
        config.campaign_platforms,
        config.campaign_span_days,
        posts_rng,
    )
    start_dt = datetime.combine(config.start, time())
    posts, shortlinks = build_posts(plan, pages, start_dt, config.utc_offset_minutes, posts_rng)

    search = simulate_search(
        pages,
        effect_start,
        config.relative_effect,
        config.start,
        config.days,
        config.trend_per_year,
        config.demand_noise_sd,
        config.rng(_STREAM_SEARCH),
    )
    social = simulate_social(posts, config.n_pages, config.days, config.rng(_STREAM_SOCIAL))
    backlinks = build_backlinks(
        posts, pages, shortlinks, config.start, config.days, config.rng(_STREAM_LINKS)
    )

    dates = pd.date_range(config.start, periods=config.days, freq="D")
    pages["queries"] = [tuple(q) for q in queries]
    pages["group"] = design.group
    pages["campaign_start"] = [dates[s] if s >= 0 else pd.NaT for s in design.campaign_start]
    pages["effect_start"] = [dates[s] if s >= 0 else pd.NaT for s in effect_start]

    daily = _daily_table(pages, dates, search, social)
    truth = world_truth(config, pages, posts, search, design.campaign_start, shortlinks, window)
    return World(
        config=config,
        pages=pages,
        daily=daily,
        posts=posts,
        backlinks=backlinks,
        truth=truth,
        search=search,
        social=social,
    )


def _daily_table(
    pages: pd.DataFrame, dates: pd.DatetimeIndex, search: SearchPanel, social: SocialPanel
) -> pd.DataFrame:
    """Long page x day table, page-major, in the column order documented in ``docs/demo-data.md``."""
    n_pages, days = search.clicks.shape
    columns: dict[str, Any] = {
        "url": np.repeat(pages["url"].to_numpy(), days),
        "date": np.tile(dates.to_numpy(), n_pages),
    }
    for k, name in enumerate(PLATFORM_NAMES):
        columns[f"posts_{name}"] = social.posts[:, :, k].ravel()
    for k, name in enumerate(PLATFORM_NAMES):
        columns[f"social_sessions_{name}"] = social.sessions[:, :, k].ravel()
    columns["impressions"] = search.impressions.ravel()
    columns["clicks"] = search.clicks.ravel()
    columns["position"] = search.position.ravel()
    columns["expected_clicks"] = search.expected_clicks.ravel()
    columns["expected_clicks_no_effect"] = search.expected_clicks_no_effect.ravel()
    columns["effect_active"] = search.effect_active.ravel()
    return pd.DataFrame(columns)
