"""The eight social platforms of the demo world and how their audiences behave.

The numbers are plausible orders of magnitude, not measurements. What matters is that the platforms differ in
a known direction (LinkedIn visitors read on, TikTok visitors leave after one page; Pinterest traffic trickles
in for weeks, X traffic is gone in a day), so that an engagement or decay analysis has something true to find.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PAGES_PER_SESSION = 8


@dataclass(frozen=True)
class Platform:
    """One social platform: how the site posts there and how the people it sends behave."""

    name: str
    post_weight: float
    """Share of the site's posts made on this platform."""
    median_impressions: float
    impressions_sigma: float
    """Log-normal spread of impressions between posts; viral outliers are what real exports look like."""
    like_rate: float
    comment_rate: float
    share_rate: float
    link_ctr: float
    """Link clicks per impression."""
    half_life_days: float
    """How fast the referral visits of one post fade: X is over in hours, Pinterest pins live for weeks."""
    bounce: float
    """Planted probability that a visit from this platform views a single page."""
    stop: float
    """Planted probability of leaving after each further page, once a visitor did not bounce."""
    utm_source: str
    shortener: str | None
    """Host the platform wraps links in, if it does."""

    @property
    def expected_pages_per_session(self) -> float:
        """Mean page views per visit implied by ``bounce`` and ``stop`` (visits are capped at 8 pages)."""
        return expected_pages(self.bounce, self.stop)


def expected_pages(bounce: float, stop: float, max_pages: int = MAX_PAGES_PER_SESSION) -> float:
    """Mean of the page-count law used everywhere in the demo.

    A visit bounces with probability ``bounce``; otherwise it views ``min(max_pages, 2 + G)`` pages where
    ``G`` is geometric (failures before the first success) with success probability ``stop``.

    >>> round(expected_pages(1.0, 0.5), 3)
    1.0
    """
    tail = sum((1.0 - stop) ** k for k in range(1, max_pages - 1))
    return bounce * 1.0 + (1.0 - bounce) * (2.0 + tail)


PLATFORMS: tuple[Platform, ...] = (
    Platform("facebook", 0.22, 2500, 0.9, 0.020, 0.0030, 0.0020, 0.0065, 0.8, 0.58, 0.50, "facebook", None),
    Platform("x", 0.20, 3000, 1.0, 0.010, 0.0020, 0.0030, 0.0050, 0.4, 0.62, 0.50, "twitter", "t.co"),
    Platform("instagram", 0.12, 4000, 0.8, 0.040, 0.0040, 0.0010, 0.0025, 1.0, 0.72, 0.55, "instagram", None),
    Platform(
        "linkedin", 0.18, 2000, 0.8, 0.015, 0.0030, 0.0020, 0.0100, 1.5, 0.32, 0.33, "linkedin", "lnkd.in"
    ),
    Platform(
        "pinterest", 0.08, 1500, 1.1, 0.010, 0.0005, 0.0040, 0.0100, 12.0, 0.66, 0.55, "pinterest", "pin.it"
    ),
    Platform("reddit", 0.08, 3000, 1.2, 0.020, 0.0080, 0.0010, 0.0050, 0.6, 0.52, 0.45, "reddit", None),
    Platform("youtube", 0.05, 3000, 1.0, 0.030, 0.0040, 0.0010, 0.0040, 6.0, 0.60, 0.50, "youtube", None),
    Platform("tiktok", 0.07, 8000, 1.2, 0.050, 0.0030, 0.0040, 0.0012, 1.0, 0.82, 0.65, "tiktok", None),
)

PLATFORM_NAMES: tuple[str, ...] = tuple(p.name for p in PLATFORMS)
BY_NAME: dict[str, Platform] = {p.name: p for p in PLATFORMS}
