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
regressors partialled out of the fixed effects with Poisson weights, with each page's residuals scaled up by its
leverage (CR2), and intervals use a t distribution whose degrees of freedom count the pages that carry the
estimate (Bell-McCaffrey, under the working Poisson variance): when a few large spiked pages carry most of the
estimate, it rests on fewer pages than the panel has, and the normal's 1.96 would be too short.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from socialseo.analysis.impact.panel import Grid, detect_spikes, to_grid
from socialseo.analysis.impact.poisson import codes as _codes
from socialseo.analysis.impact.poisson import demean, drop_uninformative, fit_ppml
from socialseo.analysis.impact.results import effect_row, frame, inconclusive
from socialseo.analysis.impact.wild_bootstrap import ScoreBootstrap
from socialseo.errors import SocialSeoError

METHOD = ("page x day fixed-effects Poisson regression (PPML: multiplicative page, day and page-weekday effects), "
          "page-clustered errors (CR2, Bell-McCaffrey t)")
ASSUMPTIONS = (
    "Pages without a social spike show how pages with one would have moved; nothing else that changes a page's "
    "search traffic happens at the same time as its social spike; the effect is a lasting step, not a blip."
)
METHOD_BOOTSTRAP = ("page x day fixed-effects Poisson regression (PPML: multiplicative page, day and page-weekday "
                    "effects), wild cluster score bootstrap by page (Kline-Santos, null imposed, 999 draws)")
CR2, BOOTSTRAP = "cr2", "bootstrap"
INFERENCES: tuple[str, ...] = (CR2, BOOTSTRAP)
MIN_PRE_DAYS = 28


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
                ramp_days: int = 14, min_pre_days: int = MIN_PRE_DAYS, inference: str = CR2) -> pd.DataFrame:
    """The effect of a social spike on ``outcome``, overall and per platform, with 95% page-clustered intervals.

    ``effect_per_day`` is in the outcome's unit per page and day; ``relative_effect`` divides it by what the
    spiked pages would have had without the effect (their observed mean after the ramp minus the effect).

    ``inference`` is how the overall row's interval and p-value are found: ``"cr2"`` (the page-clustered sandwich
    with Bell-McCaffrey t, the default) or ``"bootstrap"`` (the wild cluster score bootstrap of
    :mod:`~socialseo.analysis.impact.wild_bootstrap`, about twice the time). Both are calibrated on the validation's
    simulated sites (docs/impact.md); per-platform rows always use the sandwich.
    """
    if inference not in INFERENCES:
        raise SocialSeoError(f"inference must be one of {', '.join(INFERENCES)}, got {inference!r}")
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
    rows = [_fit(y_obs, columns, groupings, page_idx, treated_post, outcome, members, int(controls.sum()),
                 inference)[0]]
    if per_platform:
        rows.extend(_fit(y_obs, per_platform, groupings, page_idx, treated_post, outcome, members,
                         int(controls.sum()), CR2))
    return frame(rows)


def _fit(y: npt.NDArray[np.float64], regressors: dict[str, npt.NDArray[np.float64]],
         groupings: list[npt.NDArray[np.int64]], clusters: npt.NDArray[np.int64],
         treated_post: npt.NDArray[np.bool_], outcome: str, n_treated: dict[str, int],
         n_control: int, inference: str) -> list[dict[str, object]]:
    names = list(regressors)
    observed_mean = float(y[treated_post].mean())
    x = np.column_stack([regressors[n] for n in names])
    y, x, groups, clusters = drop_uninformative(y, x, groupings, clusters)
    beta, offset = fit_ppml(y, x, groups)
    cov, dof = sandwich(y, x, groups, clusters, beta, offset)
    se = np.sqrt(np.diag(cov))
    bootstrap = ScoreBootstrap(y, x, groups, clusters, offset) if inference == BOOTSTRAP else None
    rows = []
    for k, name in enumerate(names):
        if bootstrap is not None:
            lo, hi = bootstrap.interval(k, float(beta[k]), float(se[k]))
            p_value, method = bootstrap.p_value(k), METHOD_BOOTSTRAP
        else:
            critical = float(stats.t.ppf(0.975, dof[k]))
            lo, hi = beta[k] - critical * se[k], beta[k] + critical * se[k]
            p_value = float(2 * stats.t.sf(abs(beta[k] / se[k]), dof[k])) if se[k] > 0 else float("nan")
            method = METHOD
        relative = [float(np.expm1(v)) for v in (beta[k], lo, hi)]
        # clicks per page and day gained: the treated pages' observed mean minus what it would have been
        per_day = observed_mean - observed_mean / float(np.exp(beta[k]))
        rows.append(effect_row(
            analysis="panel", scope=name, outcome=outcome, effect_per_day=per_day,
            relative_effect=relative[0], ci_low=relative[1], ci_high=relative[2], p_value=p_value,
            n_treated=n_treated[name], n_control=n_control, method=method, assumptions=ASSUMPTIONS,
            reason="" if name == "all platforms" else "exploratory: pages whose spike involved this platform; the "
            "platforms of one campaign are estimated jointly, each net of the others",
        ))
    return rows


def ppml(y: npt.NDArray[np.float64], x: npt.NDArray[np.float64], groupings: list[npt.NDArray[np.int64]],
         clusters: npt.NDArray[np.int64], *, tol: float = 1e-8,
         max_iter: int = 200) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Poisson pseudo-maximum-likelihood betas with absorbed fixed effects, their cluster-robust covariance (CR2)
    and the degrees of freedom of each beta's t statistic.

    Observations in a fixed-effect group without a single count carry no information (their effect would be minus
    infinity) and are dropped first.
    """
    y, x, groups, clusters = drop_uninformative(y, x, groupings, clusters)
    beta, offset = fit_ppml(y, x, groups, tol=tol, max_iter=max_iter)
    cov, dof = sandwich(y, x, groups, clusters, beta, offset)
    return beta, cov, dof


def sandwich(y: npt.NDArray[np.float64], x: npt.NDArray[np.float64], groups: list[npt.NDArray[np.int64]],
             clusters: npt.NDArray[np.int64], beta: npt.NDArray[np.float64],
             offset: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The page-clustered CR2 covariance of a PPML fit and the Bell-McCaffrey degrees of freedom of each beta."""
    mu = np.exp(offset + x @ beta)
    x_within = demean(x, groups, weights=mu, tol=1e-9)
    bread = np.asarray(np.linalg.inv((x_within * mu[:, None]).T @ x_within), dtype=np.float64)
    codes = _codes(clusters)
    per_cluster = _cr2_scores(x_within, mu, y, codes, bread)
    # Bell-McCaffrey degrees of freedom under the working model (Poisson variance, independent days): the number
    # of clusters, discounted by how unequally they carry the estimate. With about 80 spiked pages of very
    # different sizes the estimate rests on fewer pages than it has, and the normal's 1.96 is too short.
    root_mu = np.sqrt(mu)[:, None]
    influence = (x_within * root_mu) @ bread
    carried = np.vstack([np.bincount(codes, weights=influence[:, k] ** 2) for k in range(x.shape[1])]).T
    spread = carried.var(axis=0) / np.maximum(carried.mean(axis=0) ** 2, 1e-300)
    dof = np.maximum(len(carried) / (1 + spread) - 1, 1.0)
    return bread @ (per_cluster.T @ per_cluster) @ bread, dof


def _cr2_scores(x_within: npt.NDArray[np.float64], mu: npt.NDArray[np.float64], y: npt.NDArray[np.float64],
                codes: npt.NDArray[np.int64], bread: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Each cluster's score with its residuals scaled up by its leverage (CR2, Bell and McCaffrey).

    A page that carries much of the estimate pulls the fit towards itself, so its raw residuals understate its
    noise; ``(I - H_gg)^(-1/2)`` undoes that. The fixed effects are nested in the pages or orthogonal to the
    partialled-out regressors, so only the regressors' own hat matrix enters, and it has rank k per cluster.
    """
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    out = []
    root = np.sqrt(mu)
    for rows in np.split(order, bounds):
        a = x_within[rows] * root[rows, None]
        e = (y[rows] - mu[rows]) / root[rows]
        u, sv, vt = np.linalg.svd(a, full_matrices=False)
        m = (sv[:, None] * vt) @ bread @ (vt.T * sv[None, :])
        lam, q = np.linalg.eigh(m)
        f = 1 / np.sqrt(np.clip(1 - lam, 1e-6, None)) - 1
        uq = u @ q
        adj = e + uq @ (f * (uq.T @ e))
        out.append(a.T @ adj)
    return np.vstack(out)
