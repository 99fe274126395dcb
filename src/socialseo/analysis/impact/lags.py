"""Lagged association: per page, does a change in social activity go with a change in search k days later?

Both series are differenced day on day first, so two pages that merely both grow (or both dip at weekends) do not
look related. For each page, social metric and lag k = 0..28 we compute the correlation of Δsocial[t - k] with
Δsearch[t]. Differenced counts are autocorrelated (a high day is followed by a fall), which makes the textbook
1/n variance of a correlation too small; Bartlett's formula corrects it with the two series' own
autocorrelations. With hundreds of pages and 29 lags, some correlations are "significant" by chance, so p-values
are adjusted across every page and lag by Benjamini-Hochberg (false-discovery rate 5%).

This is association, not effect: the panel model, event study and counterfactual analyses estimate effects.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from socialseo.analysis.impact.panel import to_grid

SOCIAL = ("social_posts", "social_engagement", "social_sessions")
SEARCH = ("search_clicks", "search_impressions", "search_position")
BARTLETT_LAGS = 7


def lagged_association(panel: pd.DataFrame, *, max_lag: int = 28, social: tuple[str, ...] = SOCIAL,
                       search: tuple[str, ...] = SEARCH, min_days: int = 42) -> pd.DataFrame:
    """One row per page, social metric, search metric and lag with ``r``, ``p_value``, ``q_value``, ``significant``.

    Pages whose social metric never changes are left out (there is nothing to correlate). A panel shorter than
    ``min_days`` gives an empty frame: a month and a half is the least that supports 28 lags.
    """
    columns = ["page", "social_metric", "search_metric", "lag", "r", "n", "p_value", "q_value", "significant"]
    if panel.empty or panel["date"].nunique() < min_days:
        return pd.DataFrame(columns=columns)
    grid = to_grid(panel)
    parts = []
    for s_name in social:
        x = np.diff(np.nan_to_num(grid.matrix(s_name)), axis=1)
        active = x.std(axis=1) > 0
        if not active.any():
            continue
        for y_name in search:
            y = np.diff(_fill(grid.matrix(y_name)), axis=1)
            r, n, z = _cross_correlations(x[active], y[active], max_lag)
            n_pages = int(active.sum())
            parts.append(pd.DataFrame({
                "page": np.repeat(grid.pages[active], max_lag + 1),
                "social_metric": s_name, "search_metric": y_name,
                "lag": np.tile(np.arange(max_lag + 1), n_pages),
                "r": r.ravel(), "n": np.tile(n, n_pages), "p_value": (2 * stats.norm.sf(np.abs(z))).ravel(),
            }))
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)
    tested = out["p_value"].notna()
    out["q_value"] = np.nan
    out["significant"] = False
    if tested.any():
        reject, q, _, _ = multipletests(out.loc[tested, "p_value"], alpha=0.05, method="fdr_bh")
        out.loc[tested, "q_value"] = q
        out.loc[tested, "significant"] = reject
    return out[columns]


def lag_summary(associations: pd.DataFrame) -> pd.DataFrame:
    """Per social metric, search metric and lag: pages tested, share significant after correction, median r."""
    if associations.empty:
        return pd.DataFrame(columns=["social_metric", "search_metric", "lag", "pages", "significant_pages",
                                     "share_significant", "median_r"])
    grouped = associations.groupby(["social_metric", "search_metric", "lag"], as_index=False).agg(
        pages=("r", "count"), significant_pages=("significant", "sum"), median_r=("r", "median"))
    grouped["share_significant"] = grouped["significant_pages"] / grouped["pages"].where(grouped["pages"] > 0)
    return grouped[["social_metric", "search_metric", "lag", "pages", "significant_pages", "share_significant",
                    "median_r"]]


def _fill(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Positions are missing on days without impressions: carry the last one forward, then back."""
    frame = pd.DataFrame(values.T).ffill().bfill().fillna(0.0)
    return np.asarray(frame.to_numpy().T, dtype=np.float64)


def _acf(z: npt.NDArray[np.float64], lags: int) -> npt.NDArray[np.float64]:
    n = z.shape[1]
    return np.stack([(z[:, : n - j] * z[:, j:]).sum(axis=1) / n for j in range(1, lags + 1)], axis=1)


def _cross_correlations(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64],
                        max_lag: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64],
                                               npt.NDArray[np.float64]]:
    """Correlations of x[t - k] with y[t] for all pages at once, and z-scores with Bartlett's variance."""
    days = x.shape[1]
    r = np.full((len(x), max_lag + 1), np.nan)
    n = np.zeros(max_lag + 1, dtype=np.int64)
    xs = (x - x.mean(axis=1, keepdims=True)) / np.where(x.std(axis=1, keepdims=True) > 0,
                                                        x.std(axis=1, keepdims=True), 1)
    y_sd = y.std(axis=1, keepdims=True)
    ys = (y - y.mean(axis=1, keepdims=True)) / np.where(y_sd > 0, y_sd, 1)
    for k in range(max_lag + 1):
        a, b = xs[:, : days - k], ys[:, k:]
        a = a - a.mean(axis=1, keepdims=True)
        b = b - b.mean(axis=1, keepdims=True)
        denom = np.sqrt((a**2).sum(axis=1) * (b**2).sum(axis=1))
        r[:, k] = np.where(denom > 0, (a * b).sum(axis=1) / np.where(denom > 0, denom, 1), np.nan)
        n[k] = days - k
    inflation = 1 + 2 * (_acf(xs, BARTLETT_LAGS) * _acf(ys, BARTLETT_LAGS)).sum(axis=1)
    inflation = np.maximum(inflation, 0.1)[:, None]
    z = r * np.sqrt(n[None, :]) / np.sqrt(inflation)
    return r, n, z
