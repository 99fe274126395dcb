"""Single-page counterfactual impact: socialseo against bsts-causalimpact 1.7.0, on the same series, one run.

    python benchmarks/bench_impact.py [--seeds 8] [--first-seed 1000] [--effect 0.3] [--pages-per-site 8]
                                      [--scale 4.0] [--lifts 0.15,0.25,0.35] [--no-peer]

The peer is a Gibbs-sampled port of Google's R CausalImpact (R's default priors: 1,000 draws, level prior
0.01 x sd). It is installed into its own environment, ``benchmarks/.venv-peer``, created on the first run, so the
project's environment never holds it. Both methods see exactly the same page series (clicks from the page's
social spike's pre-period to the end of the data) and the same control series (the pages with no social activity,
summed per content segment); socialseo chooses its controls among them on the pre-period, the peer by its
spike-and-slab prior.

The sites are simulated with planted truth (``socialseo.demo``): per seed, the campaign pages with a real uplift
are the treated pages, the look-alike campaign pages without one the placebo pages. ``--scale`` sets the pages'
mean daily clicks (the simulator's traffic scale), ``--lifts`` the planted lifts, taken in turn by the seeds.
Printed per method: coverage of the true lift, placebo pages flagged, mean 95% interval width (relative), mean
absolute error, seconds per page. ``--no-peer`` scores socialseo alone, without creating or running the peer's
environment: the peer sees the same simulated series whatever socialseo's model, so its figures from an earlier run
with the same arguments still stand.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from socialseo.analysis.impact.counterfactual import counterfactual_impact
from socialseo.analysis.impact.panel import any_social, segment_of, to_grid
from socialseo.demo import simulate_world
from socialseo.demo.panel import world_panel
from socialseo.demo.validation import PLACEBO, ValidationConfig, page_cases, world_config

PEER = "bsts-causalimpact==1.7.0"
PEER_ENV = Path(__file__).resolve().parent / ".venv-peer"
PEER_SCRIPT = """
import json, sys, time
import numpy as np, pandas as pd
from causal_impact import CausalImpact
out = []
for case in json.load(open(sys.argv[1])):
    data = pd.DataFrame(np.column_stack([case["y"], np.asarray(case["x"])]))
    start = time.perf_counter()
    ci = CausalImpact(data, [0, case["n_pre"] - 1], [case["n_pre"], len(case["y"]) - 1])
    r = ci._results
    out.append({"estimate": r.relative_effect_mean, "ci_low": r.relative_effect_lower,
                "ci_high": r.relative_effect_upper, "seconds": time.perf_counter() - start})
json.dump(out, open(sys.argv[2], "w"))
"""


def peer_python() -> Path:
    """The peer environment's interpreter, creating the environment and installing the peer on first use."""
    python = PEER_ENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_ENV)], check=True)
        (PEER_ENV / ".gitignore").write_text("*\n")
    if subprocess.run([str(python), "-c", "import causal_impact"], capture_output=True).returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", PEER], check=True)
    return python


def series_of(panel: pd.DataFrame, page: str, after: pd.Timestamp) -> dict[str, object]:
    """The page's clicks and the per-segment control sums, as socialseo reads them."""
    grid = to_grid(panel)
    y_all = grid.matrix("search_clicks")
    quiet = ~np.isin(grid.pages, [page]) & ~any_social(grid) & (y_all.sum(axis=1) > 0)
    controls = pd.DataFrame(y_all[quiet]).groupby(segment_of(grid.pages[quiet])).sum().to_numpy().T
    y = y_all[list(grid.pages).index(page)]
    return {"y": y.tolist(), "x": controls.tolist(), "n_pre": int((grid.dates < after).sum())}


def score(frame: pd.DataFrame) -> dict[str, float]:
    frame = frame.assign(covered=(frame["ci_low"] <= frame["truth"]) & (frame["truth"] <= frame["ci_high"]),
                         flagged=(frame["ci_low"] > 0) | (frame["ci_high"] < 0))
    treated, placebo = frame[frame["role"] != PLACEBO], frame[frame["role"] == PLACEBO]
    return {
        "coverage": float(frame["covered"].mean()), "treated_covered": float(treated["covered"].mean()),
        "placebo_flagged": float(placebo["flagged"].mean()), "treated_found": float(treated["flagged"].mean()),
        "width": float((frame["ci_high"] - frame["ci_low"]).mean()),
        "abs_error": float((frame["estimate"] - frame["truth"]).abs().mean()),
        "seconds": float(frame["seconds"].mean()),
    }


def signed_error(frame: pd.DataFrame) -> str:
    """Mean estimate minus truth, with its standard error, on placebo and on treated pages."""
    parts = []
    for role, part in (("placebo", frame[frame["role"] == PLACEBO]), ("treated", frame[frame["role"] != PLACEBO])):
        error = (part["estimate"] - part["truth"]).dropna()
        parts.append(f"{role} {error.mean():+.4f} (se {error.std() / np.sqrt(max(len(error), 1)):.4f})")
    return ", ".join(parts)


def _lifts(text: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--lifts takes numbers separated by commas, got {text!r}") from exc
    if not values or min(values) <= -1:
        raise argparse.ArgumentTypeError(f"--lifts needs at least one lift above -1, got {text!r}")
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--first-seed", type=int, default=1000)
    parser.add_argument("--effect", type=float, default=0.3)
    parser.add_argument("--pages-per-site", type=int, default=8)
    parser.add_argument("--scale", type=float, default=ValidationConfig.mean_daily_clicks,
                        help="mean daily clicks per page before trend and effect")
    parser.add_argument("--lifts", type=_lifts, default=None,
                        help="planted lifts, comma-separated, taken in turn by the seeds (default: --effect)")
    parser.add_argument("--no-peer", action="store_true",
                        help="score socialseo alone; the peer's figures for the same arguments do not change")
    args = parser.parse_args()
    lifts = args.lifts or [args.effect]
    config = ValidationConfig(seeds=args.seeds, first_seed=args.first_seed, relative_effect=lifts[0],
                              pages_per_site=args.pages_per_site, mean_daily_clicks=args.scale)
    python = None if args.no_peer else peer_python()
    ours, inputs = [], []
    for k, seed in enumerate(range(args.first_seed, args.first_seed + args.seeds)):
        world = simulate_world(world_config(config, seed, lifts[k % len(lifts)]))
        panel = world_panel(world)
        for case in page_cases(world, seed, args.pages_per_site):
            start = time.perf_counter()
            row = counterfactual_impact(panel, [case.page], case.after).summary.iloc[0]
            seconds = time.perf_counter() - start
            ours.append({"role": case.role, "truth": case.truth, "estimate": row["relative_effect"],
                         "ci_low": row["ci_low"], "ci_high": row["ci_high"], "seconds": seconds,
                         "estimable": bool(row["estimable"])})
            if python is not None:
                inputs.append(series_of(panel, case.page, case.after))
    ours_frame = pd.DataFrame(ours)
    if python is None:
        report(args, lifts, ours_frame, None)
        return
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "in.json").write_text(json.dumps(inputs))
        subprocess.run([str(python), "-c", PEER_SCRIPT, str(Path(tmp) / "in.json"), str(Path(tmp) / "out.json")],
                       check=True)
        theirs = json.loads((Path(tmp) / "out.json").read_text())
    report(args, lifts, ours_frame, ours_frame[["role", "truth"]].join(pd.DataFrame(theirs)))


def report(args: argparse.Namespace, lifts: list[float], ours_frame: pd.DataFrame,
           peer_frame: pd.DataFrame | None) -> None:
    """The table: one row per method, then the ratios and signed errors (socialseo's alone without the peer)."""
    n_treated = int((ours_frame["role"] != PLACEBO).sum())
    truths = ours_frame.loc[ours_frame["role"] != PLACEBO, "truth"]
    print(f"{args.seeds} sites (seeds {args.first_seed}-{args.first_seed + args.seeds - 1}, {args.scale:g} clicks a "
          f"page and day, planted {', '.join(f'{v:+.0%}' for v in lifts)}), {n_treated} treated "
          f"pages (true lifts {truths.min():+.0%} to {truths.max():+.0%}), {len(ours_frame) - n_treated} placebo "
          f"pages; socialseo estimable on {int(ours_frame['estimable'].sum())} of {len(ours_frame)}")
    header = ("method", "coverage", "treated covered", "placebo flagged", "treated found", "mean width",
              "mean abs error", "s/page")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    methods = [("socialseo", ours_frame)] + ([] if peer_frame is None else [("bsts-causalimpact 1.7.0", peer_frame)])
    for name, frame in methods:
        s = score(frame)
        print(f"| {name} | {s['coverage']:.2f} | {s['treated_covered']:.2f} | {s['placebo_flagged']:.1%} | "
              f"{s['treated_found']:.2f} | {s['width']:.3f} | {s['abs_error']:.3f} | {s['seconds']:.2f} |")
    if peer_frame is None:
        print("mean signed error (estimate - truth; a bias shows as a mean further from 0 than its standard error): "
              f"socialseo {signed_error(ours_frame)}")
        return
    a, b = score(ours_frame), score(peer_frame)
    print(f"ratio socialseo / peer: width {a['width'] / b['width']:.2f}x, "
          f"abs error {a['abs_error'] - b['abs_error']:+.3f}, time {a['seconds'] / b['seconds']:.2f}x")
    print("mean signed error (estimate - truth; a bias shows as a mean further from 0 than its standard error): "
          + "; ".join(f"{name} {signed_error(frame)}" for name, frame in (("socialseo", ours_frame),
                                                                          ("peer", peer_frame))))


if __name__ == "__main__":
    main()
