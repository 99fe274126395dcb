"""The validation harness: run the effect analyses on simulated sites whose answer is known, and score them.

For every seed it draws one site with a planted effect and one with none (same seed: the same pages, campaigns
and noise draws for everything but the effect), runs the panel model, the event study and the counterfactual
analysis, and compares each interval with the truth computed from the world's *expected* clicks over exactly the
pages and days that estimate covers. Coverage (truth inside the 95% interval) should be about 95%; on the sites
without an effect, the share called significant is the false-positive rate and should be about 5%.

The counterfactual analysis estimates one intervention on one page group, so its sites have every campaign start
on one day (the group is every page with a spike that day); the others use staggered campaigns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from socialseo.analysis.impact.counterfactual import counterfactual_impact
from socialseo.analysis.impact.events import event_study
from socialseo.analysis.impact.fixed_effects import panel_model
from socialseo.analysis.impact.panel import detect_spikes, to_grid
from socialseo.demo import WorldConfig, simulate_world
from socialseo.demo.panel import world_expected, world_panel

PRE, RAMP, POST = 28, 14, 28


@dataclass(frozen=True)
class ValidationConfig:
    """How many simulated sites, how big, and the planted effect (the placebo sites get zero)."""

    seeds: int = 40
    relative_effect: float = 0.25
    lag_days: int = 7
    n_pages: int = 200
    days: int = 180
    first_seed: int = 1000


def _truth(expected: pd.DataFrame, mask: pd.Series) -> float:
    picked = expected[mask]
    return float(picked["expected"].sum() / picked["expected_no_effect"].sum() - 1)


def _panel_truth(panel: pd.DataFrame, expected: pd.DataFrame) -> float:
    grid = to_grid(panel)
    spikes = pd.Series(detect_spikes(grid), index=grid.pages)
    usable = spikes[(spikes >= PRE) & (spikes + RAMP < len(grid.dates))]
    start = expected["page"].map(usable)
    day = (expected["date"] - grid.dates[0]).dt.days
    return _truth(expected, start.notna() & (day >= start + RAMP))


def _events_truth(panel: pd.DataFrame, expected: pd.DataFrame) -> float:
    grid = to_grid(panel)
    spikes = pd.Series(detect_spikes(grid), index=grid.pages)
    usable = spikes[(spikes >= PRE) & (spikes + RAMP + POST <= len(grid.dates))]
    start = expected["page"].map(usable)
    day = (expected["date"] - grid.dates[0]).dt.days
    return _truth(expected, start.notna() & (day >= start + RAMP) & (day < start + RAMP + POST))


def _one_site(config: ValidationConfig, seed: int, effect: float) -> list[dict[str, object]]:
    base = WorldConfig(seed=seed, n_pages=config.n_pages, days=config.days, relative_effect=effect,
                       lag_days=config.lag_days)
    world = simulate_world(base)
    panel, expected = world_panel(world), world_expected(world)
    scenario = "placebo (no effect)" if effect == 0 else f"planted +{effect:.0%}"
    rows = []
    estimators: list[tuple[str, Callable[[], pd.DataFrame], Callable[[], float]]] = [
        ("panel", lambda: panel_model(panel).iloc[[0]], lambda: _panel_truth(panel, expected)),
        ("events", lambda: event_study(panel)[0].iloc[[0]], lambda: _events_truth(panel, expected)),
    ]
    for name, run, truth in estimators:
        rows.append(_score(name, scenario, seed, run(), truth()))

    # one intervention day for the counterfactual: every campaign starts on day `days // 3`
    day0 = config.days // 3
    single = simulate_world(WorldConfig(seed=seed, n_pages=config.n_pages, days=config.days,
                                        relative_effect=effect, lag_days=config.lag_days,
                                        campaign_earliest_day=day0, campaign_latest_margin=config.days - day0))
    s_panel, s_expected = world_panel(single), world_expected(single)
    grid = to_grid(s_panel)
    spikes = detect_spikes(grid)
    group = list(grid.pages[(spikes >= day0) & (spikes <= day0 + 3)])
    after = grid.dates[day0]
    result = counterfactual_impact(s_panel, group, after, post_days=6 * 7).summary
    mask = s_expected["page"].isin(group) & (s_expected["date"] >= after) & (
        s_expected["date"] < after + pd.Timedelta(days=42))
    rows.append(_score("impact", scenario, seed, result, _truth(s_expected, mask)))
    return rows


def _score(name: str, scenario: str, seed: int, result: pd.DataFrame, truth: float) -> dict[str, object]:
    row = result.iloc[0]
    estimable = bool(row["estimable"])
    lo, hi = float(row["ci_low"] or np.nan), float(row["ci_high"] or np.nan)
    return {
        "analysis": name, "scenario": scenario, "seed": seed, "estimable": estimable,
        "estimate": row["relative_effect"], "ci_low": lo, "ci_high": hi, "truth": truth,
        "covered": estimable and lo <= truth <= hi, "significant": estimable and bool(row["significant"]),
    }


def run_validation(config: ValidationConfig, on_site: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Every run: one row per analysis, scenario and seed with the estimate, its interval and the truth."""
    rows: list[dict[str, object]] = []
    for k in range(config.seeds):
        seed = config.first_seed + k
        for effect in (config.relative_effect, 0.0):
            rows.extend(_one_site(config, seed, effect))
        if on_site is not None:
            on_site(k + 1)
    return pd.DataFrame(rows)


def coverage_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Per analysis and scenario: runs, coverage of the 95% interval, share significant, mean estimate and truth."""
    table = runs.groupby(["analysis", "scenario"], as_index=False, sort=False).agg(
        runs=("seed", "count"), estimable=("estimable", "sum"), coverage=("covered", "mean"),
        significant=("significant", "mean"), mean_estimate=("estimate", "mean"), mean_truth=("truth", "mean"),
        mean_width=("ci_high", "mean"))
    table["mean_width"] = (runs.assign(w=runs["ci_high"] - runs["ci_low"])
                           .groupby(["analysis", "scenario"], sort=False)["w"].mean().to_numpy())
    return table
