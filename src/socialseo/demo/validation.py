"""The validation harness: run the effect analyses on simulated sites whose answer is known, and score them.

Every estimate goes through the door a user opens: the simulated site's page x day panel is written to a real
warehouse, pages are named the way a user types them (a path with a trailing slash and tracking parameters,
resolved by :meth:`Project.resolve_page`), and the numbers are what :meth:`Project.impact`,
:meth:`Project.panel_model` and :meth:`Project.events` return, the methods behind ``socialseo analyze``.

For every seed:

- one site with a planted effect: each of its campaign pages with a real uplift is a *treated* single page, each
  look-alike campaign page without one a *placebo* page; both are analysed from their social spike to the end of
  the data (the full after-period), as a user would ask about one page. The panel model and the event study run
  on the whole site;
- the same site with no effect anywhere: the panel model and the event study on placebo pages alone;
- a site whose campaigns all start on one day, with and without the effect: the counterfactual analysis of the
  page group that had its spike that day, over the full after-period.

Each interval is compared with the truth computed from the world's *expected* clicks over exactly the pages and
days the estimate covers. Per method: coverage of the truth, the false-positive rate on placebo pages, the mean
interval width and the mean absolute error.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from socialseo.analysis.impact.counterfactual import MIN_PER_DAY, MIN_PRE_DAYS
from socialseo.analysis.impact.panel import detect_spikes, to_grid
from socialseo.api import Project
from socialseo.api import open as open_project
from socialseo.demo import WorldConfig, simulate_world
from socialseo.demo.panel import world_expected, world_panel, world_platform_panel
from socialseo.demo.world import World

PRE, RAMP, POST = 28, 14, 28
TREATED, PLACEBO = "treated", "placebo"


@dataclass(frozen=True)
class ValidationConfig:
    """How many simulated sites, how big, and the planted effect (placebo pages and sites get zero)."""

    seeds: int = 40
    relative_effect: float = 0.25
    lag_days: int = 7
    n_pages: int = 200
    days: int = 180
    first_seed: int = 1000
    pages_per_site: int = 8
    """Treated and placebo single pages analysed per site (each)."""
    mean_daily_clicks: float = 4.0
    """Clicks per page and day: single pages need about two a day before the counterfactual will estimate."""


@dataclass(frozen=True)
class PageCase:
    """One single page of a simulated site to analyse from ``after`` to the end, with the true relative lift."""

    seed: int
    role: str
    page: str
    after: pd.Timestamp
    truth: float


def world_config(config: ValidationConfig, seed: int, effect: float, *, campaign_day: int | None = None) -> WorldConfig:
    """The simulated site of ``seed``; with ``campaign_day`` every campaign starts on that day."""
    base = WorldConfig(seed=seed, n_pages=config.n_pages, days=config.days, relative_effect=effect,
                       lag_days=config.lag_days, mean_daily_clicks=config.mean_daily_clicks)
    if campaign_day is None:
        return base
    return dataclasses.replace(base, campaign_earliest_day=campaign_day,
                               campaign_latest_margin=config.days - campaign_day)


def _truth(expected: pd.DataFrame, mask: pd.Series) -> float:
    picked = expected[mask]
    return float(picked["expected"].sum() / picked["expected_no_effect"].sum() - 1)


def page_cases(world: World, seed: int, per_role: int) -> list[PageCase]:
    """Up to ``per_role`` treated and placebo campaign pages with enough history and clicks to analyse alone."""
    panel, expected = world_panel(world), world_expected(world)
    grid = to_grid(panel)
    spikes = detect_spikes(grid)
    clicks = grid.matrix("search_clicks")
    group = dict(zip(world_panel_keys(world), world.pages["group"], strict=True))
    cases: list[PageCase] = []
    for role, name in ((TREATED, "effect"), (PLACEBO, "null")):
        picked = 0
        for i, page in enumerate(grid.pages):
            start = int(spikes[i])
            if group.get(page) != name or start < MIN_PRE_DAYS or clicks[i, :start].mean() < MIN_PER_DAY:
                continue
            after = grid.dates[start]
            truth = _truth(expected, (expected["page"] == page) & (expected["date"] >= after))
            cases.append(PageCase(seed, role, str(page), after, truth))
            picked += 1
            if picked >= per_role:
                break
    return cases


def world_panel_keys(world: World) -> list[str]:
    """The page keys of ``world`` in its page order, as the panel stores them."""
    from socialseo.classify.urls import page_key

    return [page_key(path) for path in world.pages["path"]]


def as_typed(page: str) -> str:
    """A page the way a user pastes it: with a trailing slash and a tracking parameter."""
    return page.rstrip("/") + "/?utm_source=newsletter&utm_medium=email"


def site_warehouse(world: World, directory: Path) -> Project:
    """A warehouse whose ``page_daily`` tables hold ``world``: what the imports would have built from its files."""
    project = open_project(directory / f"site-{world.config.seed}-{world.config.relative_effect:g}.duckdb")
    con = project.warehouse.con
    panel, platforms = world_panel(world), world_platform_panel(world)
    con.register("_panel", panel)
    con.register("_platforms", platforms)
    con.execute("CREATE OR REPLACE TABLE page_daily AS SELECT * FROM _panel")
    con.execute("CREATE OR REPLACE TABLE page_daily_platform AS SELECT * FROM _platforms")
    con.unregister("_panel")
    con.unregister("_platforms")
    return project


def _score(method: str, role: str, seed: int, result: pd.DataFrame, truth: float) -> dict[str, object]:
    row = result.iloc[0]
    estimable = bool(row["estimable"])
    lo, hi = float(row["ci_low"] if row["ci_low"] is not None else np.nan), float(
        row["ci_high"] if row["ci_high"] is not None else np.nan)
    estimate = float(row["relative_effect"] if row["relative_effect"] is not None else np.nan)
    return {
        "analysis": method, "role": role, "seed": seed, "estimable": estimable, "estimate": estimate,
        "ci_low": lo, "ci_high": hi, "truth": truth, "covered": estimable and lo <= truth <= hi,
        "significant": estimable and (lo > 0 or hi < 0),
    }


def panel_truth(panel: pd.DataFrame, expected: pd.DataFrame) -> float:
    """The true lift over what the panel model estimates: every usable spiked page's days after its ramp."""
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


def _site_methods(project: Project, world: World, role: str, seed: int) -> list[dict[str, object]]:
    panel, expected = world_panel(world), world_expected(world)
    return [
        _score("panel", role, seed, project.panel_model().iloc[[0]], panel_truth(panel, expected)),
        _score("events", role, seed, project.events().iloc[[0]], _events_truth(panel, expected)),
    ]


def _group_run(config: ValidationConfig, seed: int, effect: float, directory: Path) -> dict[str, object]:
    day0 = config.days // 3
    world = simulate_world(world_config(config, seed, effect, campaign_day=day0))
    panel, expected = world_panel(world), world_expected(world)
    grid = to_grid(panel)
    spikes = detect_spikes(grid)
    group = [str(p) for p in grid.pages[(spikes >= day0) & (spikes <= day0 + 3)]]
    after = grid.dates[day0]
    with site_warehouse(world, directory) as project:
        result = project.impact([as_typed(p) for p in group], after.date().isoformat())
    mask = expected["page"].isin(group) & (expected["date"] >= after)
    return _score("impact: page group", TREATED if effect else PLACEBO, seed, result, _truth(expected, mask))


def _one_seed(config: ValidationConfig, seed: int, directory: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    world = simulate_world(world_config(config, seed, config.relative_effect))
    with site_warehouse(world, directory) as project:
        for case in page_cases(world, seed, config.pages_per_site):
            result = project.impact([as_typed(case.page)], case.after.date().isoformat())
            rows.append(_score("impact: single page", case.role, seed, result, case.truth))
        rows.extend(_site_methods(project, world, TREATED, seed))
    null_world = simulate_world(world_config(config, seed, 0.0))
    with site_warehouse(null_world, directory) as project:
        rows.extend(_site_methods(project, null_world, PLACEBO, seed))
    rows.append(_group_run(config, seed, config.relative_effect, directory))
    rows.append(_group_run(config, seed, 0.0, directory))
    return rows


def seeds_of(config: ValidationConfig) -> Iterator[int]:
    return iter(range(config.first_seed, config.first_seed + config.seeds))


def run_validation(config: ValidationConfig, on_site: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Every run: one row per analysis, role (treated or placebo) and case with the estimate, interval and truth."""
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="socialseo-validate-") as tmp:
        for k, seed in enumerate(seeds_of(config)):
            rows.extend(_one_seed(config, seed, Path(tmp)))
            if on_site is not None:
                on_site(k + 1)
    return pd.DataFrame(rows)


def coverage_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Per analysis: coverage of the truth, false-positive rate on placebo pages, mean width and absolute error.

    Coverage, width and error are over every estimable run (treated and placebo); ``found`` is the share of treated
    runs called significant, ``false_positives`` the share of placebo runs.
    """
    runs = runs.assign(width=runs["ci_high"] - runs["ci_low"], error=(runs["estimate"] - runs["truth"]).abs())
    rows = []
    for name, part in runs.groupby("analysis", sort=False):
        ok = part[part["estimable"]]
        treated, placebo = part[part["role"] == TREATED], part[part["role"] == PLACEBO]
        rows.append({
            "analysis": name, "treated": len(treated), "placebo": len(placebo),
            "estimable": int(part["estimable"].sum()),
            "coverage": float(ok["covered"].mean()) if len(ok) else np.nan,
            "false_positives": float(placebo["significant"].mean()) if len(placebo) else np.nan,
            "found": float(treated["significant"].mean()) if len(treated) else np.nan,
            "mean_width": float(ok["width"].mean()) if len(ok) else np.nan,
            "mean_abs_error": float(ok["error"].mean()) if len(ok) else np.nan,
            "mean_truth": float(treated["truth"].mean()) if len(treated) else np.nan,
        })
    return pd.DataFrame(rows)
