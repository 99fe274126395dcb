"""Poisson pseudo-maximum likelihood with absorbed fixed effects: the fitting engine of the panel model.

The fixed effects are solved exactly for given betas (each group's multiplicative factor is its observed over its
fitted total), alternating with Newton steps for the betas on the regressors partialled out of the fixed effects,
so a model with a parameter per page and day has one column per regressor. Kept apart from the model so that the
sandwich and the bootstrap can refit it with a coefficient held at a given value.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


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


def codes(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Dense integer codes 0..n-1 of ``values``."""
    return np.unique(values, return_inverse=True)[1].astype(np.int64)


def drop_uninformative(y: npt.NDArray[np.float64], x: npt.NDArray[np.float64],
                       groupings: list[npt.NDArray[np.int64]], clusters: npt.NDArray[np.int64],
                       ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], list[npt.NDArray[np.int64]],
                                  npt.NDArray[np.int64]]:
    """Drop observations in a fixed-effect group without a single count: their effect would be minus infinity."""
    keep = np.ones(len(y), dtype=bool)
    for _ in range(3):
        for g in groupings:
            totals = np.bincount(g[keep], weights=y[keep], minlength=int(g.max()) + 1)
            keep &= totals[g] > 0
    return y[keep], x[keep], [codes(g[keep]) for g in groupings], clusters[keep]


def fit_ppml(y: npt.NDArray[np.float64], x: npt.NDArray[np.float64], groups: list[npt.NDArray[np.int64]], *,
             fixed: npt.NDArray[np.float64] | None = None, offset: npt.NDArray[np.float64] | None = None,
             tol: float = 1e-8, max_iter: int = 200) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The betas of ``x`` and the fixed effects' log offset (without ``fixed``), with ``fixed`` a known part of the
    log mean: ``mu = exp(offset + fixed + x @ beta)``.

    ``fixed`` is how a coefficient is held at a hypothesised value (the bootstrap's null); ``offset`` starts the
    fixed effects from an earlier fit, which makes refits at nearby values cheap.
    """
    known = np.zeros(len(y)) if fixed is None else fixed
    beta = np.zeros(x.shape[1])
    offset = np.full(len(y), np.log(max(float(y.mean()), 1e-12))) if offset is None else offset.copy()
    for _ in range(max_iter):
        # fixed effects for these betas, exactly: each group's factor makes its fitted total equal its observed one
        for _inner in range(50):
            moved = 0.0
            for g in groups:
                fitted = np.bincount(g, weights=np.exp(offset + known + x @ beta))
                step = np.log(np.bincount(g, weights=y) / fitted)
                offset += step[g]
                moved = max(moved, float(np.abs(step).max()))
            if moved < tol:
                break
        if x.shape[1] == 0:
            if moved < tol:
                break
            continue
        mu = np.exp(offset + known + x @ beta)
        x_within = demean(x, groups, weights=mu, tol=1e-9)
        score = x_within.T @ (y - mu)
        hessian = (x_within * mu[:, None]).T @ x_within
        delta = np.linalg.solve(hessian, score)
        beta = beta + delta
        if np.abs(delta).max() < tol:
            break
    return beta, offset
