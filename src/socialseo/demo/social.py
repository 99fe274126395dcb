"""Referral visits that posts send to the site, day by day.

Each linked post's link clicks arrive as visits (most clicks load the page; some are abandoned) spread over
the days after publishing with a geometric decay whose half-life is the platform's. Visits after the end of
the period are lost, as they would be in a real six-month export.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from socialseo.demo.platforms import BY_NAME, PLATFORM_NAMES

ARRIVAL_RATE = 0.85
"""Share of link clicks that become a page view: the rest close the tab or lose the connection."""


@dataclass(frozen=True)
class SocialPanel:
    """Page x day x platform counts (platform axis in ``PLATFORM_NAMES`` order)."""

    posts: npt.NDArray[np.int64]
    sessions: npt.NDArray[np.int64]
    expected_sessions: npt.NDArray[np.float64]


def decay_weights(half_life_days: float, days: int) -> npt.NDArray[np.float64]:
    """Share of a post's visits on day 0, 1, ... after publishing (sums to < 1 over a finite window).

    >>> round(float(decay_weights(1.0, 60).sum()), 6)
    1.0
    """
    ratio = 0.5 ** (1.0 / half_life_days)
    return (1.0 - ratio) * ratio ** np.arange(days)


def simulate_social(posts: pd.DataFrame, n_pages: int, days: int, rng: np.random.Generator) -> SocialPanel:
    """Count posts and draw Poisson referral sessions per page, day and platform."""
    n_platforms = len(PLATFORM_NAMES)
    platform_index = {name: i for i, name in enumerate(PLATFORM_NAMES)}
    counts = np.zeros((n_pages, days, n_platforms), dtype=np.int64)
    expected = np.zeros((n_pages, days, n_platforms), dtype=np.float64)
    linked = posts[posts["page"] >= 0]
    for page, day, platform, clicks in zip(
        linked["page"], linked["day"], linked["platform"], linked["link_clicks"], strict=True
    ):
        k = platform_index[str(platform)]
        counts[int(page), int(day), k] += 1
        weights = decay_weights(BY_NAME[str(platform)].half_life_days, days - int(day))
        expected[int(page), int(day) :, k] += ARRIVAL_RATE * float(clicks) * weights
    sessions = rng.poisson(expected).astype(np.int64)
    return SocialPanel(posts=counts, sessions=sessions, expected_sessions=expected)
