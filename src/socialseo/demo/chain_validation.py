"""Can the crawl chain's interval be trusted? Its coverage of the planted truth over many simulated sites.

For every seed a small demo site is generated twice: once with the Googlebot fetches planted after posts (the
truth then says, per recrawled page and day, how much sooner the first verified fetch is expected to come) and
once without (the true change is zero everywhere). Each site's files go through the imports a user runs, and the
estimate is what :meth:`Project.crawl_chain` returns, the method behind ``socialseo analyze crawl-chain``. The
truth for a site is the mean over the spiked pages the estimate used of the planted change in their expected wait
on the spike day against their own before period, the quantity the estimate targets. (The change realised in the
site's one draw of random crawls is kept beside it, as ``realised_truth``: it also carries that draw's luck on
the spike day, which the planted fetch takes out of the spiked page's own difference, so it is not what an
interval should be scored against.)

A 95% interval should cover that truth on about 95 sites in 100, planted or not; on the null sites it should
exclude zero on about 5.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from socialseo.api import open as open_project
from socialseo.demo.generate import generate

PLANTED, NULL = "recrawls planted", "no recrawl planted"


@dataclass(frozen=True)
class ChainValidationConfig:
    """How many simulated sites and how big: the small sizes keep a site to a few seconds."""

    seeds: int = 40
    first_seed: int = 2000
    n_pages: int = 40
    days: int = 60
    target_log_lines: int = 20_000


def planted_change(truth: dict[str, Any], page: str, spike: str, pre_days: int = 28, *,
                   key: str = "latency_change_hours") -> float:
    """The planted change in a page's wait for a verified fetch on its spike day, against its before period.

    ``truth`` is a generated site's ``truth.json``; pages not recrawled, and sites without planting, give 0.
    ``key`` picks the expected change (the default, what the estimate targets) or
    ``realised_latency_change_hours``, the change for the crawls the site happened to get.
    """
    changes = {k.rstrip("/") or "/": v for k, v in truth["crawl_chain"].get(key, {}).items()}
    by_day = changes.get(page, {})
    day = date.fromisoformat(spike)
    before = [by_day.get((day - timedelta(days=k)).isoformat(), 0.0) for k in range(1, pre_days + 1)]
    return float(by_day.get(spike, 0.0) - sum(before) / pre_days)


def run_site(seed: int, plant_recrawls: bool, config: ChainValidationConfig, directory: Path) -> dict[str, object]:
    """Generate, import and estimate one site; the wait estimate, its interval and the planted truth."""
    out = directory / f"site-{seed}-{int(plant_recrawls)}"
    files = generate(out, seed=seed, n_pages=config.n_pages, days=config.days,
                     target_log_lines=config.target_log_lines, plant_recrawls=plant_recrawls)
    truth = json.loads(Path(files.truth).read_text(encoding="utf-8"))
    row: dict[str, object] = {"case": PLANTED if plant_recrawls else NULL, "seed": seed, "estimable": False,
                              "spiked": 0, "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "truth": np.nan,
                              "realised_truth": np.nan}
    with open_project(out / "w.duckdb") as project:
        project.ingest_logs([files.access_log], site=truth["site_host"])
        project.ingest_gsc([files.search_console])
        project.ingest_posts(list(files.posts.values()),
                             link_map={str(k): str(v) for k, v in truth["shortlinks"].items()})
        found = project.crawl_chain()
    if found.summary.empty:
        return row
    wait = found.summary[found.summary["measure"] == "first_fetch_hours"].iloc[0].to_dict()
    spiked = list(zip(found.pages["page"].astype(str), found.pages["spike_date"].astype(str), strict=True))
    planted = [planted_change(truth, p, s) for p, s in spiked]
    realised = [planted_change(truth, p, s, key="realised_latency_change_hours") for p, s in spiked]
    row.update(estimable=True, spiked=int(wait["spiked"]), estimate=float(wait["effect"]),
               ci_low=float(wait["ci_low"]), ci_high=float(wait["ci_high"]), truth=float(np.mean(planted)),
               realised_truth=float(np.mean(realised)))
    return row


def run_chain_validation(config: ChainValidationConfig,
                         on_site: Callable[[int], None] | None = None) -> pd.DataFrame:
    """One row per simulated site and case (planted, null): estimate, interval, truth, whether it covered."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="socialseo-chain-") as tmp:
        for k, seed in enumerate(range(config.first_seed, config.first_seed + config.seeds)):
            for plant in (True, False):
                rows.append(run_site(seed, plant, config, Path(tmp)))
            if on_site is not None:
                on_site(k + 1)
    runs = pd.DataFrame(rows)
    runs["covered"] = runs["estimable"] & (runs["ci_low"] <= runs["truth"]) & (runs["truth"] <= runs["ci_high"])
    runs["excludes_zero"] = runs["estimable"] & ((runs["ci_low"] > 0) | (runs["ci_high"] < 0))
    return runs


def chain_coverage_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Per case: sites, estimable sites, coverage of the truth, share excluding zero, mean error and width."""
    rows = []
    for case, part in runs.groupby("case", sort=False):
        ok = part[part["estimable"]]
        rows.append({
            "case": case, "sites": len(part), "estimable": len(ok),
            "coverage": float(ok["covered"].mean()) if len(ok) else np.nan,
            "excludes_zero": float(ok["excludes_zero"].mean()) if len(ok) else np.nan,
            "mean_truth_hours": float(ok["truth"].mean()) if len(ok) else np.nan,
            "mean_error_hours": float((ok["estimate"] - ok["truth"]).mean()) if len(ok) else np.nan,
            "mean_width_hours": float((ok["ci_high"] - ok["ci_low"]).mean()) if len(ok) else np.nan,
        })
    return pd.DataFrame(rows)
