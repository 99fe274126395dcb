"""The panel model's two ways to an interval, on the same simulated sites: CR2 with Bell-McCaffrey t, and the wild
cluster score bootstrap (Kline-Santos, null imposed).

    python benchmarks/bench_panel_inference.py [--seeds 400] [--treated-every 4] [--first-seed 1000] [--scale 4]
                                               [--csv runs.csv]
    python benchmarks/bench_panel_inference.py --table-from runs.csv

Per seed the site is simulated with no effect anywhere (``socialseo.demo``, the validation's shape: 200 pages, 180
days), where any significant estimate is a false positive, and every ``--treated-every`` seeds also with a planted
+25% on the campaign pages, where the interval should cover the truth computed from the world's expected clicks
over the pages and days the estimate covers. Both variants fit the same model on the same panel. ``--csv`` is
rewritten after every seed, so a long run that is stopped still gives its table with ``--table-from``.
Printed per variant: placebo sites flagged with a 95% Clopper-Pearson interval, the spread of the null t
statistics (should be 1), coverage and share found on treated sites, mean interval width, seconds per site; then
what could drive false positives on the null sites (bias, errors too short, non-uniform p-values, few spiked pages).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy import stats

from socialseo.analysis.impact.fixed_effects import BOOTSTRAP, CR2, panel_model
from socialseo.demo import simulate_world
from socialseo.demo.panel import world_expected, world_panel
from socialseo.demo.validation import ValidationConfig, panel_truth, world_config


def clopper_pearson(hits: int, n: int) -> tuple[float, float]:
    """Exact 95% interval of a rate from ``hits`` of ``n``."""
    low = 0.0 if hits == 0 else float(stats.beta.ppf(0.025, hits, n - hits + 1))
    high = 1.0 if hits == n else float(stats.beta.ppf(0.975, hits + 1, n - hits))
    return low, high


def run(config: ValidationConfig, treated_every: int, csv: str | None = None) -> pd.DataFrame:
    """One row per seed, planted effect (0 or ``config.relative_effect``) and variant."""
    rows: list[dict[str, object]] = []
    for k in range(config.seeds):
        seed = config.first_seed + k
        for effect in (0.0, config.relative_effect) if k % treated_every == 0 else (0.0,):
            world = simulate_world(world_config(config, seed, effect))
            panel = world_panel(world)
            truth = panel_truth(panel, world_expected(world)) if effect else 0.0
            for variant in (CR2, BOOTSTRAP):
                start = time.perf_counter()
                row = panel_model(panel, inference=variant).iloc[0]
                rows.append({"seed": seed, "effect": effect, "variant": variant, "truth": truth,
                             "estimate": row["relative_effect"], "ci_low": row["ci_low"], "ci_high": row["ci_high"],
                             "p_value": row["p_value"], "n_treated": row["n_treated"],
                             "seconds": time.perf_counter() - start})
        if csv:
            pd.DataFrame(rows).to_csv(csv, index=False)
    return pd.DataFrame(rows)


def table(runs: pd.DataFrame) -> list[str]:
    """The comparison as Markdown lines."""
    runs = runs.assign(flagged=(runs["ci_low"] > 0) | (runs["ci_high"] < 0),
                       covered=(runs["ci_low"] <= runs["truth"]) & (runs["truth"] <= runs["ci_high"]),
                       width=runs["ci_high"] - runs["ci_low"])
    lines = ["| variant | placebo sites | flagged | 95% interval | sd of null t | treated sites | coverage | found | "
             "mean width | s/site |", "|" + "---|" * 10]
    for variant in (CR2, BOOTSTRAP):
        part = runs[runs["variant"] == variant]
        null, treated = part[part["effect"] == 0], part[part["effect"] != 0]
        hits = int(null["flagged"].sum())
        low, high = clopper_pearson(hits, len(null))
        # the t statistic each interval implies: the estimate over its half-width in log points, times 1.96
        log_low, log_high = np.log1p(null["ci_low"]), np.log1p(null["ci_high"])
        t = np.log1p(null["estimate"]) / ((log_high - log_low) / 2 / 1.96)
        lines.append(
            f"| {variant} | {len(null)} | {hits} ({hits / len(null):.1%}) | {low:.1%} to {high:.1%} | "
            f"{float(t.std()):.2f} | {len(treated)} | {treated['covered'].mean():.3f} | "
            f"{treated['flagged'].mean():.3f} | {part['width'].mean():.4f} | {part['seconds'].mean():.2f} |")
    return lines


def null_diagnostics(runs: pd.DataFrame) -> list[str]:
    """What could drive false positives, per variant, on the sites with no effect: a bias (mean log estimate), errors
    too short (spread of the estimates over the errors'), p-values that are not uniform, the side and the seeds
    flagged, and the share flagged by how many spiked pages carry the estimate."""
    lines = []
    for variant, null in runs[runs["effect"] == 0].groupby("variant", sort=False):
        log = np.log1p(null["estimate"])
        se = (np.log1p(null["ci_high"]) - np.log1p(null["ci_low"])) / 2 / 1.96
        up, down = null["ci_low"] > 0, null["ci_high"] < 0
        ks = stats.kstest(null["p_value"], "uniform")
        terciles = null.groupby(pd.qcut(null["n_treated"], 3), observed=True)
        counts = ", ".join(f"{int((part['ci_low'] > 0).sum() + (part['ci_high'] < 0).sum())} of {len(part)} with "
                           f"{int(part['n_treated'].min())}-{int(part['n_treated'].max())}"
                           for _, part in terciles)
        lines += [
            f"{variant}: mean log estimate {log.mean():+.5f} (standard error {log.std() / np.sqrt(len(log)):.5f}); "
            f"spread of estimates {log.std():.5f} against standard errors {np.sqrt((se ** 2).mean()):.5f} "
            f"(ratio {log.std() / np.sqrt((se ** 2).mean()):.2f}); p-values against uniform: Kolmogorov-Smirnov "
            f"D = {ks.statistic:.3f}, p = {ks.pvalue:.2f}",
            f"  flagged {int(up.sum())} above zero, {int(down.sum())} below, seeds "
            f"{' '.join(str(v) for v in sorted(null.loc[up | down, 'seed']))}; by spiked pages: {counts}",
        ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=400)
    parser.add_argument("--treated-every", type=int, default=4, help="a planted-effect site every N seeds")
    parser.add_argument("--first-seed", type=int, default=1000)
    parser.add_argument("--effect", type=float, default=0.25)
    parser.add_argument("--scale", type=float, default=ValidationConfig.mean_daily_clicks,
                        help="mean daily clicks per page before trend and effect")
    parser.add_argument("--csv", help="also write every run to this file, after every seed")
    parser.add_argument("--table-from", help="print the table of runs saved with --csv, and run nothing")
    args = parser.parse_args()
    if args.table_from:
        runs = pd.read_csv(args.table_from)
    else:
        config = ValidationConfig(seeds=args.seeds, first_seed=args.first_seed, relative_effect=args.effect,
                                  mean_daily_clicks=args.scale)
        runs = run(config, max(args.treated_every, 1), args.csv)
    seeds = runs.loc[runs["effect"] == 0, "seed"]
    print(f"{seeds.nunique()} placebo sites (seeds {seeds.min()}-{seeds.max()}), "
          f"{runs.loc[runs['effect'] != 0, 'seed'].nunique()} sites with a planted effect")
    print("\n".join(table(runs) + null_diagnostics(runs)))


if __name__ == "__main__":
    main()
