"""Panel regression with page and day fixed effects: does search move once a page has had its social spike?

The model, for page *i* on day *t*, is multiplicative (Poisson pseudo-maximum likelihood)::

    E[clicks[i, t]] = exp(page[i] + day[t] + page_weekday[i, weekday(t)] + sum_p beta_p * after_p[i, t])

so ``exp(beta) - 1`` is the relative effect. Site-wide movement is multiplicative (a holiday takes a share of
every page's clicks, not the same number from each), and spiked pages tend to be the larger ones: additive page and
day effects in clicks then credit the spiked pages with a "lift" that is only their size times the site's
movement. PPML needs only the mean to be right, not the counts to be Poisson.

``day[t]`` absorbs the site-wide trend and everything that hit all pages on one day (holidays, algorithm
updates); ``page_weekday`` absorbs each page's own weekly pattern (docs are read on weekdays, recipes at
weekends). ``after_p`` is 1 from ``ramp_days`` after the page's first social spike that involved platform *p*.
The days inside the ramp are left out, so an effect that builds up over the first two weeks is neither counted
early nor mistaken for the "before". Standard errors are clustered by page: a page's days are not independent.

The fixed effects are solved exactly for given betas (each set's multiplicative factor is its observed over its
fitted total), alternating with Newton steps for the betas on the partialled-out regressors, so the model has one
column per platform instead of one per page and day. Standard errors are the page-clustered sandwich on the
regressors partialled out of the fixed effects with Poisson weights.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from socialseo.analysis.impact.panel import Grid, detect_spikes, to_grid
from socialseo.analysis.impact.results import effect_row, frame, inconclusive

METHOD = ("page x day fixed-effects Poisson regression (PPML: multiplicative page, day and page-weekday effects), "
          "page-clustered errors")
ASSUMPTIONS = (
    "Pages without a social spike show how pages with one would have moved; nothing else that changes a page's "
    "search traffic happens at the same time as its social spike; the effect is a lasting step, not a blip."
)
MIN_PRE_DAYS = 28


def demean(values: npt.NDArray[np.float64], groupings: list[npt.NDArray[np.int64]], *, tol: float = 1e-10,
           max_iter: int = 500, weights: npt.NDArray[np.float64] | None = None) -> npt.NDArray[np.float64]:
    """Subtract every set of (weighted) group means until none is left (alternating projections)."""
    out = values.copy()
    w = np.ones(len(values)) if weights is None else weights
    counts = [np.bincount(g, weights=w).astype(np.float64) for g in groupings]
    for _ in range(max_iter):
        moved = 0.0
        for g, n in zip(groupings, counts, strict=True):
            for k in range(out.shape[1]):
                means = np.bincount(g, weights=w * out[:, k], minlength=len(n)) / np.maximum(n, 1e-300)
                step = means[g]
                out[:, k] -= step
                moved = max(moved, float(np.abs(step).max(initial=0.0)))
        if moved < tol:
            break
    return out


def platforms_in_burst(platform_panel: pd.DataFrame | None, grid: Grid, spikes: npt.NDArray[np.int64],
                       window: int = 14) -> pd.DataFrame:
    """Which platforms each spiked page was posted on or visited from in the ``window`` days after its spike."""
    if platform_panel is None or platform_panel.empty:
        return pd.DataFrame(columns=["page", "platform"])
    spike_dates = pd.Series(grid.dates[np.maximum(spikes, 0)], index=grid.pages)[spikes >= 0]
    rows = platform_panel[(platform_panel["posts"] > 0) | (platform_panel["sessions"] > 0)]
    rows = rows[rows["page"].isin(spike_dates.index)]
    start = rows["page"].map(spike_dates)
    inside = (rows["date"] >= start) & (rows["date"] < start + pd.Timedelta(days=window))
    return rows.loc[inside, ["page", "platform"]].drop_duplicates()


def panel_model(panel: pd.DataFrame, platform_panel: pd.DataFrame | None = None, *, outcome: str = "search_clicks",
                ramp_days: int = 14, min_pre_days: int = MIN_PRE_DAYS) -> pd.DataFrame:
    """The effect of a social spike on ``outcome``, overall and per platform, with 95% page-clustered intervals.

    ``effect_per_day`` is in the outcome's unit per page and day; ``relative_effect`` divides it by what the
    spiked pages would have had without the effect (their observed mean after the ramp minus the effect).
    """
    name = "panel"
    if panel.empty:
        return inconclusive(name, "all platforms", outcome, "the panel is empty: import Search Console and social "
                            "data first", METHOD, ASSUMPTIONS)
    grid = to_grid(panel)
    spikes = detect_spikes(grid)
    usable = spikes >= min_pre_days
    n_days = len(grid.dates)
    usable &= spikes + ramp_days < n_days
    controls = spikes < 0
    if usable.sum() < 3 or controls.sum() < 3:
        return inconclusive(name, "all platforms", outcome, (
            f"{int(usable.sum())} pages had a social spike with at least {min_pre_days} days of history before it "
            f"and {int(controls.sum())} pages had none; at least 3 of each are needed"), METHOD, ASSUMPTIONS)
    keep_pages = usable | controls
    y = grid.matrix(outcome)
    days = np.arange(n_days)
    spike = np.where(usable, spikes, n_days + ramp_days)[:, None]
    after = days[None, :] >= spike + ramp_days
    in_ramp = (days[None, :] >= spike) & ~after
    observed = np.isfinite(y) & keep_pages[:, None] & ~in_ramp

    page_idx = np.broadcast_to(np.arange(len(grid.pages))[:, None], y.shape)[observed]
    day_idx = np.broadcast_to(days[None, :], y.shape)[observed]
    weekday = np.asarray(grid.dates.day_of_week)[day_idx]
    groupings = [_codes(page_idx), _codes(day_idx), _codes(page_idx * 7 + weekday)]

    columns = {"all platforms": after[observed].astype(np.float64)}
    bursts = platforms_in_burst(platform_panel, grid, np.where(usable, spikes, -1))
    per_platform: dict[str, npt.NDArray[np.float64]] = {}
    members: dict[str, int] = {"all platforms": int(usable.sum())}
    page_pos = {p: i for i, p in enumerate(grid.pages)}
    for platform, pages in bursts.groupby("platform")["page"]:
        member = np.zeros(len(grid.pages), dtype=bool)
        member[[page_pos[p] for p in pages]] = True
        if member.sum() >= 3:
            per_platform[str(platform)] = (after & member[:, None])[observed].astype(np.float64)
            members[str(platform)] = int(member.sum())

    y_obs = y[observed]
    treated_post = after[observed]
    rows = [_fit(y_obs, columns, groupings, page_idx, treated_post, outcome, members, int(controls.sum()))[0]]
    if per_platform:
        rows.extend(_fit(y_obs, per_platform, groupings, page_idx, treated_post, outcome, members,
                         int(controls.sum())))
    return frame(rows)


def _codes(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.unique(values, return_inverse=True)[1].astype(np.int64)


def _fit(y: npt.NDArray[np.float64], regressors: dict[str, npt.NDArray[np.float64]],
         groupings: list[npt.NDArray[np.int64]], clusters: npt.NDArray[np.int64],
         treated_post: npt.NDArray[np.bool_], outcome: str, n_treated: dict[str, int],
         n_control: int) -> list[dict[str, object]]:
    names = list(regressors)
    x = np.column_stack([regressors[n] for n in names])
    beta, cov = ppml(y, x, groupings, clusters)
    se = np.sqrt(np.diag(cov))
    observed_mean = float(y[treated_post].mean())
    rows = []
    for k, name in enumerate(names):
        lo, hi = beta[k] - 1.96 * se[k], beta[k] + 1.96 * se[k]
        relative = [float(np.expm1(v)) for v in (beta[k], lo, hi)]
        p_value = float(2 * stats.norm.sf(abs(beta[k] / se[k]))) if se[k] > 0 else float("nan")
        # clicks per page and day gained: the treated pages' observed mean minus what it would have been
        per_day = observed_mean - observed_mean / float(np.exp(beta[k]))
        rows.append(effect_row(
            analysis="panel", scope=name, outcome=outcome, effect_per_day=per_day,
            relative_effect=relative[0], ci_low=relative[1], ci_high=relative[2], p_value=p_value,
            n_treated=n_treated[name], n_control=n_control, method=METHOD, assumptions=ASSUMPTIONS,
            reason="" if name == "all platforms" else "exploratory: pages whose spike involved this platform; the "
            "platforms of one campaign are estimated jointly, each net of the others",
        ))
    return rows


def ppml(y: npt.NDArray[np.float64], x: npt.NDArray[np.float64], groupings: list[npt.NDArray[np.int64]],
         clusters: npt.NDArray[np.int64], *, tol: float = 1e-8,
         max_iter: int = 200) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Poisson pseudo-maximum-likelihood betas with absorbed fixed effects, and their cluster-robust covariance.

    Observations in a fixed-effect group without a single count carry no information (their effect would be minus
    infinity) and are dropped first.
    """
    keep = np.ones(len(y), dtype=bool)
    for _ in range(3):
        for g in groupings:
            totals = np.bincount(g[keep], weights=y[keep], minlength=int(g.max()) + 1)
            keep &= totals[g] > 0
    y, x, clusters = y[keep], x[keep], clusters[keep]
    groups = [_codes(g[keep]) for g in groupings]
    beta = np.zeros(x.shape[1])
    offset = np.full(len(y), np.log(max(float(y.mean()), 1e-12)))
    for _ in range(max_iter):
        # fixed effects for these betas, exactly: each group's factor makes its fitted total equal its observed one
        for _inner in range(50):
            moved = 0.0
            for g in groups:
                fitted = np.bincount(g, weights=np.exp(offset + x @ beta))
                step = np.log(np.bincount(g, weights=y) / fitted)
                offset += step[g]
                moved = max(moved, float(np.abs(step).max()))
            if moved < tol:
                break
        mu = np.exp(offset + x @ beta)
        x_within = demean(x, groups, weights=mu, tol=1e-9)
        score = x_within.T @ (y - mu)
        hessian = (x_within * mu[:, None]).T @ x_within
        delta = np.linalg.solve(hessian, score)
        beta = beta + delta
        if np.abs(delta).max() < tol:
            break
    mu = np.exp(offset + x @ beta)
    x_within = demean(x, groups, weights=mu, tol=1e-9)
    bread = np.linalg.inv((x_within * mu[:, None]).T @ x_within)
    scores = x_within * (y - mu)[:, None]
    codes = _codes(clusters)
    per_cluster = np.vstack([np.bincount(codes, weights=scores[:, k]) for k in range(scores.shape[1])]).T
    n_clusters = per_cluster.shape[0]
    meat = per_cluster.T @ per_cluster * n_clusters / max(n_clusters - 1, 1)
    return beta, bread @ meat @ bread
