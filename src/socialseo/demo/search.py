"""Daily Google search demand of every page, with the planted step effect.

Expected impressions are ``base x weekday x trend x effect``; realised impressions are Poisson around that
times a small mean-one log-normal demand noise, and clicks are a binomial draw of impressions at the page's
click-through rate (so clicks are Poisson too, and never exceed impressions). Keeping the expected values next
to the draws lets tests and validation compare a method's estimate with what was planted, not with one noisy
draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from socialseo.demo.site import ctr_at

# Monday..Sunday. Work-related pages (docs, products) drop at weekends; blog posts barely do.
_WEEKDAY: dict[str, tuple[float, ...]] = {
    "home": (1.10, 1.10, 1.08, 1.05, 0.98, 0.82, 0.87),
    "blog": (1.00, 1.04, 1.03, 1.00, 0.95, 0.95, 1.03),
    "guides": (1.08, 1.10, 1.08, 1.04, 0.95, 0.85, 0.90),
    "products": (1.15, 1.15, 1.12, 1.08, 0.98, 0.72, 0.80),
    "docs": (1.20, 1.20, 1.18, 1.12, 1.00, 0.62, 0.68),
}


@dataclass(frozen=True)
class SearchPanel:
    """Page x day matrices of the search side of the world."""

    impressions: npt.NDArray[np.int64]
    clicks: npt.NDArray[np.int64]
    position: npt.NDArray[np.float64]
    """Impression-weighted average position; NaN on days without impressions, as Search Console has no row."""
    expected_clicks: npt.NDArray[np.float64]
    expected_clicks_no_effect: npt.NDArray[np.float64]
    effect_active: npt.NDArray[np.bool_]


def weekday_factors(segments: pd.Series, start: date, days: int) -> npt.NDArray[np.float64]:
    """Page x day weekday multipliers, each segment's seven factors normalised to mean one."""
    weekday = (start.weekday() + np.arange(days)) % 7
    table = {name: np.array(f) / np.mean(f) for name, f in _WEEKDAY.items()}
    return np.vstack([table.get(str(s), table["blog"])[weekday] for s in segments])


def simulate_search(
    pages: pd.DataFrame,
    effect_start: npt.NDArray[np.int64],
    relative_effect: float,
    start: date,
    days: int,
    trend_per_year: float,
    demand_noise_sd: float,
    rng: np.random.Generator,
) -> SearchPanel:
    """Draw impressions, clicks and positions for every page and day.

    ``effect_start`` is the first day of the uplift per page (-1 for pages without one): from that day on the
    page's expected impressions, and so its expected clicks, are multiplied by ``1 + relative_effect``.
    """
    n_pages = len(pages)
    day = np.arange(days)
    trend = 1.0 + trend_per_year * day / 365.0
    base = pages["base_impressions"].to_numpy()[:, None] * weekday_factors(pages["segment"], start, days)
    base = base * trend[None, :]
    active = (effect_start[:, None] >= 0) & (day[None, :] >= effect_start[:, None])
    multiplier = np.where(active, 1.0 + relative_effect, 1.0)
    noise = np.exp(demand_noise_sd * rng.standard_normal((n_pages, days)) - demand_noise_sd**2 / 2.0)
    impressions = rng.poisson(base * multiplier * noise).astype(np.int64)
    ctr = ctr_at(pages["base_position"].to_numpy())[:, None]
    clicks = rng.binomial(impressions, np.broadcast_to(ctr, impressions.shape)).astype(np.int64)
    position = pages["base_position"].to_numpy()[:, None] * np.exp(
        0.06 * rng.standard_normal((n_pages, days))
    )
    position = np.where(impressions > 0, np.maximum(position, 1.0), np.nan)
    return SearchPanel(
        impressions=impressions,
        clicks=clicks,
        position=position,
        expected_clicks=base * multiplier * ctr,
        expected_clicks_no_effect=base * ctr,
        effect_active=active,
    )
