"""Event study: each page's social spike against matched pages that had no social activity at the time.

Spikes happen at different times on different pages, and a two-way fixed-effects event study is biased then
(pages treated earlier end up as controls for pages treated later). We use the *stacked, clean-control*
difference-in-differences (Cengiz, Dube, Lindner and Zipperer 2019): every spiked page gets its own little
experiment, with controls chosen only from pages that had **no** post or social session anywhere in its window, so
no already-treated page is ever a control. It is valid under staggered timing and effects that differ between
pages, like Sun and Abraham's estimator, and simple enough to explain.

For a spike on day *s*: the "before" is the ``pre_days`` before *s*, the first ``ramp_days`` after it are left
out, the "after" is the ``post_days`` that follow. The page's counterfactual in the after period is its own before
level times the growth of its ``n_controls`` matched controls (same content segment first, then the nearest level
of clicks in the ``pre_days`` before the before period: matched on the before period itself, a page's noise in
those days would be matched too and regress away in the controls, which biased the effect upwards by about a
point). The effect is total observed over total counterfactual, minus one, across spiked pages, so large pages
weigh more, as they do in the site's totals. Its interval treats spiked pages as independent clusters and adds the
counting noise of the control growth. The weekly profile and a placebo "effect" inside the before period (second
half against the first) check the pre-trend: if the pages were already moving apart before the spike, the placebo
says so and the result should not be trusted.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from socialseo.analysis.impact.panel import Grid, detect_spikes, segment_of, to_grid
from socialseo.analysis.impact.results import CANNOT_CONCLUDE, EFFECT, effect_row, frame, inconclusive

MATCH_MIN_DAYS = 14
"""Fewest days before the before period to match controls on; with fewer, the before period itself is used."""
METHOD = "stacked difference-in-differences with clean, matched control pages (valid under staggered timing)"
ASSUMPTIONS = (
    "Without the spike, a page's search traffic would have grown like that of similar pages with no social "
    "activity at the time (parallel trends, checked by the placebo before the spike); controls are not affected "
    "by the spiked page."
)


def event_study(panel: pd.DataFrame, *, outcome: str = "search_clicks", pre_days: int = 28, ramp_days: int = 14,
                post_days: int = 28, n_controls: int = 20) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Overall effect (with the placebo row) and the weekly event-time profile, both as DataFrames.

    The profile has one row per week relative to the spike (negative weeks are before it) with the relative
    difference between spiked pages and their counterfactual and a 95% interval.
    """
    if panel.empty:
        return inconclusive("events", "all spikes", outcome, "the panel is empty", METHOD, ASSUMPTIONS), _no_profile()
    grid = to_grid(panel)
    spikes = detect_spikes(grid)
    span = pre_days + ramp_days + post_days
    n_days = len(grid.dates)
    eligible = np.flatnonzero((spikes >= pre_days) & (spikes - pre_days + span <= n_days))
    y = np.nan_to_num(grid.matrix(outcome))
    social = (grid.matrix("social_posts") + grid.matrix("social_sessions")) > 0
    busy = np.concatenate([np.zeros((len(y), 1)), np.cumsum(social, axis=1)], axis=1)
    segments = segment_of(grid.pages)
    treated_blocks: list[npt.NDArray[np.float64]] = []
    control_blocks: list[npt.NDArray[np.float64]] = []
    control_counts: list[int] = []
    for i in eligible:  # one small experiment per spiked page: tens of pages, not millions of rows
        lo = spikes[i] - pre_days
        clean = (busy[:, lo + span] - busy[:, lo]) == 0
        clean[i] = False
        candidates = np.flatnonzero(clean)
        if len(candidates) == 0:
            continue
        # Matched on the days *before* the before period, when there are enough of them: matching on the same
        # noisy days the baseline is read from carries regression to the mean into the control growth.
        match = slice(max(0, lo - pre_days), lo) if lo >= MATCH_MIN_DAYS else slice(lo, spikes[i])
        level = np.log1p(y[:, match].mean(axis=1))
        distance = np.abs(level[candidates] - level[i]) + (segments[candidates] != segments[i])
        chosen = candidates[np.argsort(distance, kind="stable")[:n_controls]]
        treated_blocks.append(y[i, lo:lo + span])
        control_blocks.append(y[chosen, lo:lo + span].sum(axis=0))
        control_counts.append(len(chosen))
    if len(treated_blocks) < 3:
        return inconclusive("events", "all spikes", outcome, (
            f"{len(treated_blocks)} social spikes had {pre_days} days before and {ramp_days + post_days} days after "
            "them inside the data, with clean control pages; at least 3 are needed"), METHOD, ASSUMPTIONS), \
            _no_profile()
    treated = np.vstack(treated_blocks)
    control = np.vstack(control_blocks)
    pre = slice(0, pre_days)
    post = slice(pre_days + ramp_days, span)
    main = _did(treated, control, pre, post)
    half = pre_days // 2
    placebo = _did(treated, control, slice(0, half), slice(half, pre_days))
    n_ctrl = int(np.median(control_counts))
    check = effect_row(analysis="events", scope="placebo before the spike", outcome=outcome,
                       n_treated=len(treated), n_control=n_ctrl, method=METHOD, assumptions=ASSUMPTIONS,
                       reason="second half of the before period against the first; should be close to zero", **placebo)
    overall = effect_row(analysis="events", scope="all spikes", outcome=outcome, n_treated=len(treated),
                         n_control=n_ctrl, method=METHOD, assumptions=ASSUMPTIONS, reason="", **main)
    if check["verdict"] == EFFECT:
        # the pages were already drifting apart from their controls before the spike: parallel trends fail
        overall.update(verdict=CANNOT_CONCLUDE, verdict_reason=(
            f"the spiked pages already moved apart from their controls before the spike (placebo "
            f"{check['relative_effect']:+.1%}, 95% interval {check['ci_low']:+.1%} to {check['ci_high']:+.1%}), "
            "so the comparison after it is not trustworthy"))
    rows = [overall, check]
    profile = []
    for week in range(-(pre_days // 7), (ramp_days + post_days) // 7):
        start = pre_days + 7 * week
        est = _did(treated, control, pre, slice(start, start + 7))
        profile.append({"week": week, **est})
    return frame(rows), pd.DataFrame(profile)


def _no_profile() -> pd.DataFrame:
    return pd.DataFrame(columns=["week", "effect_per_day", "relative_effect", "ci_low", "ci_high", "p_value"])


def _did(treated: npt.NDArray[np.float64], control: npt.NDArray[np.float64], pre: slice,
         post: slice) -> dict[str, float]:
    """Ratio estimator: sum(observed) / sum(counterfactual) - 1, page-clustered variance plus control noise."""
    n_post = post.stop - post.start
    y_pre, y_post = treated[:, pre].sum(axis=1), treated[:, post].sum(axis=1)
    c_pre, c_post = control[:, pre].sum(axis=1), control[:, post].sum(axis=1)
    valid = c_pre > 0
    y_pre, y_post, c_pre, c_post = y_pre[valid], y_post[valid], c_pre[valid], c_post[valid]
    growth = c_post / c_pre
    cf = y_pre * growth
    total_cf = cf.sum()
    if total_cf <= 0 or len(cf) < 2:
        nan = float("nan")
        return {"effect_per_day": nan, "relative_effect": nan, "ci_low": nan, "ci_high": nan, "p_value": nan}
    ratio = y_post.sum() / total_cf
    resid = y_post - ratio * cf
    n = len(cf)
    var_pages = n / (n - 1) * float((resid**2).sum()) / total_cf**2
    # counting noise of each page's control growth (Poisson on the controls' totals), not in the page residuals
    var_growth = float(((ratio * cf) ** 2 * (1 / np.maximum(c_post, 1) + 1 / c_pre)).sum()) / total_cf**2
    se = float(np.sqrt(var_pages + var_growth))
    rel = float(ratio - 1)
    p = float(2 * stats.norm.sf(abs(rel) / se)) if se > 0 else float("nan")
    return {
        "effect_per_day": float((y_post.sum() - total_cf) / (n * n_post)),
        "relative_effect": rel, "ci_low": rel - 1.96 * se, "ci_high": rel + 1.96 * se, "p_value": p,
    }


def spike_table(grid: Grid) -> pd.DataFrame:
    """Each page's first social spike date (pages without one are left out)."""
    spikes = detect_spikes(grid)
    has = spikes >= 0
    return pd.DataFrame({"page": grid.pages[has], "spike_date": grid.dates[spikes[has]]})
