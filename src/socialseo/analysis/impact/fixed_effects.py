"""Panel regression with page and day fixed effects: does search move once a page has had its social spike?

The model, for page *i* on day *t*::

    clicks[i, t] = page[i] + day[t] + page_weekday[i, weekday(t)] + sum_p beta_p * after_p[i, t] + error

``day[t]`` absorbs the site-wide trend and everything that hit all pages on one day (holidays, algorithm
updates); ``page_weekday`` absorbs each page's own weekly pattern (docs are read on weekdays, recipes at
weekends). ``after_p`` is 1 from ``ramp_days`` after the page's first social spike that involved platform *p*.
The days inside the ramp are left out, so an effect that builds up over the first two weeks is neither counted
early nor mistaken for the "before". Standard errors are clustered by page: a page's days are not independent.

The fixed effects are absorbed by alternating projections (the within transformation), so the regression has
one column per platform instead of one per page and day.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
import statsmodels.api as sm

from socialseo.analysis.impact.panel import Grid, detect_spikes, to_grid
from socialseo.analysis.impact.results import effect_row, frame, inconclusive

METHOD = "page x day fixed-effects regression (OLS, page, day and page-weekday effects absorbed)"
ASSUMPTIONS = (
    "Pages without a social spike show how pages with one would have moved; nothing else that changes a page's "
    "search traffic happens at the same time as its social spike; the effect is a lasting step, not a blip."
)
MIN_PRE_DAYS = 28


def demean(values: npt.NDArray[np.float64], groupings: list[npt.NDArray[np.int64]], *, tol: float = 1e-10,
           max_iter: int = 500) -> npt.NDArray[np.float64]:
    """Subtract every set of group means until none is left (alternating projections, columns at once)."""
    out = values.copy()
    counts = [np.bincount(g).astype(np.float64) for g in groupings]
    for _ in range(max_iter):
        moved = 0.0
        for g, n in zip(groupings, counts, strict=True):
            for k in range(out.shape[1]):
                means = np.bincount(g, weights=out[:, k], minlength=len(n)) / np.maximum(n, 1)
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
    matrix = np.column_stack([y, *(regressors[n] for n in names)])
    within = demean(matrix, groupings)
    fit = sm.OLS(within[:, 0], within[:, 1:]).fit(cov_type="cluster", cov_kwds={"groups": clusters})
    params, bse, pvalues = np.atleast_1d(fit.params), np.atleast_1d(fit.bse), np.atleast_1d(fit.pvalues)
    observed_mean = float(y[treated_post].mean())
    rows = []
    for k, name in enumerate(names):
        beta, se = float(params[k]), float(bse[k])
        lo, hi = beta - 1.96 * se, beta + 1.96 * se
        baseline = observed_mean - float(params.sum()) if name == "all platforms" else observed_mean - beta
        relative = [v / baseline if baseline > 0 else np.nan for v in (beta, lo, hi)]
        rows.append(effect_row(
            analysis="panel", scope=name, outcome=outcome, effect_per_day=beta,
            relative_effect=relative[0], ci_low=relative[1], ci_high=relative[2], p_value=float(pvalues[k]),
            n_treated=n_treated[name], n_control=n_control, method=METHOD, assumptions=ASSUMPTIONS,
            reason="" if name == "all platforms" else "exploratory: pages whose spike involved this platform; the "
            "platforms of one campaign are estimated jointly, each net of the others",
        ))
    return rows
