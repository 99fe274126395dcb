"""The Search Console export: the world's daily clicks and impressions split by query, country and device.

Each page-day's impressions are split over (query, country, device) cells by a multinomial draw, and its
clicks over those impressions by a multivariate hypergeometric draw, so the rows of a page-day sum exactly to
the world's numbers and no row has more clicks than impressions. Cell positions are spread around the day's
position so that their impression-weighted mean is exactly the world's position, as Search Console defines it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from socialseo.demo.site import BRAND

if TYPE_CHECKING:
    from socialseo.demo.world import World

GSC_COLUMNS: tuple[str, ...] = (
    "date",
    "page",
    "query",
    "country",
    "device",
    "clicks",
    "impressions",
    "ctr",
    "position",
)
COUNTRIES: tuple[str, ...] = ("usa", "gbr", "ind", "can", "deu")
_COUNTRY_SHARES = np.array([0.50, 0.17, 0.15, 0.10, 0.08])
DEVICES: tuple[str, ...] = ("DESKTOP", "MOBILE", "TABLET")
_DEVICE_SHARES: dict[str, tuple[float, float, float]] = {
    "home": (0.55, 0.42, 0.03),
    "blog": (0.40, 0.56, 0.04),
    "guides": (0.50, 0.46, 0.04),
    "products": (0.68, 0.29, 0.03),
    "docs": (0.75, 0.23, 0.02),
}
_DEVICE_RANK = np.array([0.95, 1.05, 1.10])


def _cell_tables(
    world: World, rng: np.random.Generator
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], list[list[str]]]:
    """Per page: cell probabilities, cell position factors and the query text of each query slot."""
    queries: list[list[str]] = [list(q) for q in world.pages["queries"]]
    q_max = max(len(q) for q in queries)
    n_pages = len(queries)
    q_weight = np.zeros((n_pages, q_max))
    q_rank = np.ones((n_pages, q_max))
    for i, qs in enumerate(queries):
        w = 1.0 / np.arange(1, len(qs) + 1) ** 1.2
        q_weight[i, : len(qs)] = w / w.sum()
        q_rank[i, : len(qs)] = [0.15 if q.startswith(BRAND) and i != 0 else 1.0 for q in qs]
        q_rank[i, 1 : len(qs)] *= rng.lognormal(0.0, 0.35, len(qs) - 1)
        queries[i] = qs + [""] * (q_max - len(qs))
    d_weight = np.array([_DEVICE_SHARES.get(str(s), _DEVICE_SHARES["blog"]) for s in world.pages["segment"]])
    c_weight = _COUNTRY_SHARES / _COUNTRY_SHARES.sum()
    probs = q_weight[:, :, None, None] * c_weight[None, None, :, None] * d_weight[:, None, None, :]
    c_rank = rng.lognormal(0.0, 0.1, (n_pages, len(COUNTRIES)))
    c_rank[:, 0] = 1.0
    rank = q_rank[:, :, None, None] * c_rank[:, None, :, None] * _DEVICE_RANK[None, None, None, :]
    return probs.reshape(n_pages, -1), rank.reshape(n_pages, -1), queries


def search_console_rows(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """All rows of the export, sorted by date, page, query, country and device."""
    impressions = world.search.impressions.T  # day x page, so rows come out date-major
    clicks = world.search.clicks.T
    position = world.search.position.T
    day_idx, page_idx = np.nonzero(impressions)
    impr = impressions[day_idx, page_idx]
    clk = clicks[day_idx, page_idx]
    pos = position[day_idx, page_idx]

    probs, rank, queries = _cell_tables(world, rng)
    cell_impr = rng.multinomial(impr, probs[page_idx])
    cell_clicks = np.zeros_like(cell_impr)
    left_clicks, left_impr = clk.copy(), impr.copy()
    for c in range(cell_impr.shape[1]):
        good = cell_impr[:, c]
        drawn = rng.hypergeometric(good, left_impr - good, left_clicks)
        cell_clicks[:, c] = drawn
        left_clicks -= drawn
        left_impr -= good
    m = rank[page_idx]
    weighted = (cell_impr * m).sum(axis=1) / impr
    cell_pos = 1.0 + (pos - 1.0)[:, None] * m / weighted[:, None]

    row, cell = np.nonzero(cell_impr)
    n_countries, n_devices = len(COUNTRIES), len(DEVICES)
    q_slot = cell // (n_countries * n_devices)
    country = (cell // n_devices) % n_countries
    device = cell % n_devices
    query_text = np.array(queries, dtype=object)[page_idx[row], q_slot]
    dates = pd.date_range(world.config.start, periods=world.config.days, freq="D").strftime("%Y-%m-%d")
    frame = pd.DataFrame(
        {
            "date": np.asarray(dates)[day_idx[row]],
            "page": world.pages["url"].to_numpy()[page_idx[row]],
            "query": query_text,
            "country": np.array(COUNTRIES)[country],
            "device": np.array(DEVICES)[device],
            "clicks": cell_clicks[row, cell],
            "impressions": cell_impr[row, cell],
        }
    )
    frame["ctr"] = frame["clicks"] / frame["impressions"]
    frame["position"] = cell_pos[row, cell]
    return frame.sort_values(["date", "page", "query", "country", "device"], kind="stable").reset_index(
        drop=True
    )
