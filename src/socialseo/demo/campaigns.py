"""Who gets posted about, and when: the experimental design hidden in the demo site.

Pages are split at random into four groups. *effect* pages get a social campaign and a real search uplift;
*null* pages get a campaign that looks the same but changes nothing, so that a method which simply credits
every campaign is caught out; *sporadic* pages get a few unrelated posts; *control* pages are never posted.
Random assignment is deliberate: it makes the planted effect the one true answer a sound method should find.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from socialseo.demo.platforms import PLATFORM_NAMES, PLATFORMS

GROUPS: tuple[str, ...] = ("effect", "null", "sporadic", "control")


@dataclass(frozen=True)
class CampaignDesign:
    """Group of every page (index-aligned with the page table) and campaign start day (-1 for none)."""

    group: npt.NDArray[np.str_]
    campaign_start: npt.NDArray[np.int64]


def campaign_window(days: int, earliest_day: int, latest_margin: int, lag_days: int) -> tuple[int, int]:
    """First and last day a campaign may start on.

    The default window (day 60 to ``days - 45``) leaves two months of history before and six weeks of
    follow-up after. Short demo periods cannot honour that, so the window shrinks to start after the first
    third and end by two thirds of the period, minus the lag, keeping both a pre and a post period.

    >>> campaign_window(180, 60, 45, 7)
    (60, 135)
    >>> campaign_window(60, 60, 45, 7)
    (20, 33)
    """
    earliest = min(earliest_day, days // 3)
    latest = days - latest_margin
    if latest < earliest:
        latest = max(earliest, (2 * days) // 3 - lag_days)
    return earliest, latest


def assign_groups(
    n_pages: int,
    shares: tuple[float, float, float],
    window: tuple[int, int],
    rng: np.random.Generator,
) -> CampaignDesign:
    """Randomly assign pages 1..n-1 to effect/null/sporadic/control; the home page (0) is always control."""
    n_other = n_pages - 1
    counts = [round(share * n_other) for share in shares]
    order = rng.permutation(np.arange(1, n_pages))
    group = np.full(n_pages, "control", dtype="<U8")
    position = 0
    for name, count in zip(GROUPS[:3], counts, strict=True):
        group[order[position : position + count]] = name
        position += count
    start = np.full(n_pages, -1, dtype=np.int64)
    campaigned = np.flatnonzero((group == "effect") | (group == "null"))
    start[campaigned] = rng.integers(window[0], window[1] + 1, size=campaigned.size)
    return CampaignDesign(group=group, campaign_start=start)


def _local_time_of_day(rng: np.random.Generator, size: int) -> npt.NDArray[np.int64]:
    """Seconds after local midnight: social teams post in office hours, 08:00 to 18:00."""
    return rng.integers(8 * 3600, 18 * 3600, size=size).astype(np.int64)


def schedule_posts(
    design: CampaignDesign,
    days: int,
    posts_range: tuple[int, int],
    platforms_range: tuple[int, int],
    span_days: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Plan every post: page (-1 when it links nowhere), platform, local day and local second of day.

    Effect and null pages get the same campaign recipe, so the two groups cannot be told apart by their posts.
    A share of posts carries no link at all (greetings, behind-the-scenes), as on any brand account.
    """
    weights = np.array([p.post_weight for p in PLATFORMS])
    weights = weights / weights.sum()
    page_col: list[int] = []
    platform_col: list[int] = []
    day_col: list[int] = []
    campaign_col: list[bool] = []

    for page in np.flatnonzero(design.campaign_start >= 0):
        start = int(design.campaign_start[page])
        n_posts = int(rng.integers(posts_range[0], posts_range[1] + 1))
        k = int(rng.integers(platforms_range[0], platforms_range[1] + 1))
        chosen = rng.choice(len(PLATFORMS), size=k, replace=False, p=weights)
        offsets = np.sort(rng.integers(0, span_days, size=n_posts))
        offsets[0] = 0
        for i, offset in enumerate(offsets):
            page_col.append(int(page))
            platform_col.append(int(chosen[i % k]))
            day_col.append(min(days - 1, start + int(offset)))
            campaign_col.append(True)

    for page in np.flatnonzero(design.group == "sporadic"):
        for _ in range(int(rng.integers(1, 4))):
            page_col.append(int(page))
            platform_col.append(int(rng.choice(len(PLATFORMS), p=weights)))
            day_col.append(int(rng.integers(0, days)))
            campaign_col.append(False)

    n_unlinked = max(len(PLATFORMS), days // 4)
    for _ in range(n_unlinked):
        page_col.append(-1)
        platform_col.append(int(rng.choice(len(PLATFORMS), p=weights)))
        day_col.append(int(rng.integers(0, days)))
        campaign_col.append(False)

    platform_arr = np.array(platform_col, dtype=np.int64)
    page_arr = np.array(page_col, dtype=np.int64)
    _cover_every_platform(platform_arr, page_arr, rng)
    plan = pd.DataFrame(
        {
            "page": page_arr,
            "platform": np.array(PLATFORM_NAMES)[platform_arr],
            "day": np.array(day_col, dtype=np.int64),
            "local_second": _local_time_of_day(rng, len(page_col)),
            "campaign": np.array(campaign_col, dtype=bool),
        }
    )
    return plan.sort_values(["day", "local_second", "platform"], kind="stable").reset_index(drop=True)


def _cover_every_platform(
    platform: npt.NDArray[np.int64], page: npt.NDArray[np.int64], rng: np.random.Generator
) -> None:
    """Move posts so that every platform has at least one linked post.

    Small demo sites would otherwise miss a platform by chance, and the demo must exercise every referrer
    form of every platform. Posts are only taken from platforms that keep at least one linked post.
    """
    for target in range(len(PLATFORMS)):
        linked = page >= 0
        if np.any(linked & (platform == target)):
            continue
        counts = np.bincount(platform[linked], minlength=len(PLATFORMS))
        donors = np.flatnonzero(linked & (counts[platform] >= 2))
        if donors.size:
            platform[int(rng.choice(donors))] = target
