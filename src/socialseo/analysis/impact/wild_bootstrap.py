"""Wild cluster score bootstrap for one coefficient of the panel's Poisson model, with the null imposed.

Why not the sandwich alone: the panel's estimate rests on the few dozen spiked pages, of very different sizes, and a
page-clustered sandwich with a t distribution (CR2, Bell-McCaffrey) only approximates how its t statistic spreads.
The score bootstrap of Kline and Santos (2012) draws that spread from the data: fit the model with the coefficient
held at a hypothesised value, take each page's score (its share of the estimating equation) under that fit, flip
the pages' scores with random signs (Rademacher weights: a page's days move together, pages independently), and
recompute the t statistic each time. The p-value is the share of draws at least as extreme as the data's; the 95%
interval is every value the test does not reject (test inversion). No model is refitted per draw, so 999 draws
cost one matrix product; the refits are one per value tried while inverting.

The t statistic is the score test's with a one-step variance: ``t = S / sqrt(sum_g (s_g - h_g S / H)^2)`` over pages
``g``, where ``s_g`` is page g's score and ``h_g`` its share of the information ``H``. That is the page-clustered
Wald t of the one-step estimate, so the same formula serves the data (all weights one) and every draw.

Reference: Kline, P. and Santos, A. (2012), "A Score Based Approach to Wild Bootstrap Inference", Journal of
Econometric Methods 1(1), 23-41.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize

from socialseo.analysis.impact.poisson import demean, fit_ppml

Array = npt.NDArray[np.float64]

DRAWS = 999
SEED = 20120101
"""Fixed, so the same data always give the same p-value and interval."""


@dataclass(frozen=True)
class BootstrapResult:
    """The bootstrap p-value of ``beta = 0`` and the 95% interval of ``beta`` by test inversion."""

    p_value: float
    ci_low: float
    ci_high: float
    draws: int


def rademacher(n_clusters: int, draws: int = DRAWS, seed: int = SEED) -> Array:
    """``draws`` x ``n_clusters`` random signs, the same for the same sizes and seed."""
    rng = np.random.default_rng(seed)
    return np.where(rng.random((draws, n_clusters)) < 0.5, -1.0, 1.0)


def t_statistics(scores: Array, information: Array, weights: Array) -> Array:
    """The one-step clustered t statistic for each row of sign weights (a row of ones gives the data's)."""
    total = weights @ scores
    step = total / information.sum()
    resid = weights * scores[None, :] - step[:, None] * information[None, :]
    spread = np.sqrt((resid ** 2).sum(axis=1))
    return np.asarray(np.where(spread > 0, total / np.maximum(spread, 1e-300), 0.0), dtype=np.float64)


class ScoreBootstrap:
    """Score bootstrap tests of ``beta_k = b`` for a PPML fit with absorbed fixed effects, clustered by page.

    The arrays are those :func:`poisson.fit_ppml` was fitted on (uninformative observations already
    dropped); ``offset`` is that fit's fixed-effect offset, used to start every refit close to its answer.
    """

    def __init__(self, y: Array, x: Array, groups: list[npt.NDArray[np.int64]], clusters: npt.NDArray[np.int64],
                 offset: Array, *, draws: int = DRAWS, seed: int = SEED) -> None:
        self.y, self.x, self.groups, self.offset = y, x, groups, offset
        self.codes = np.unique(clusters, return_inverse=True)[1].astype(np.int64)
        self.n_clusters = int(self.codes.max()) + 1
        self.weights = rademacher(self.n_clusters, draws, seed)
        self.ones = np.ones((1, self.n_clusters))

    def _parts(self, k: int, value: float) -> tuple[Array, Array]:
        """Each page's score for ``beta_k`` and its information, under the fit with ``beta_k`` held at ``value``."""
        others = [j for j in range(self.x.shape[1]) if j != k]
        fixed = value * self.x[:, k]
        free = self.x[:, others]
        beta, offset = fit_ppml(self.y, free, self.groups, fixed=fixed, offset=self.offset)
        mu = np.exp(offset + fixed + free @ beta)
        within = demean(self.x, self.groups, weights=mu, tol=1e-9)
        xk = within[:, k]
        if others:
            xo = within[:, others]
            xk = xk - xo @ np.linalg.solve((xo * mu[:, None]).T @ xo, (xo * mu[:, None]).T @ xk)
        scores = np.bincount(self.codes, weights=xk * (self.y - mu), minlength=self.n_clusters).astype(np.float64)
        information = np.bincount(self.codes, weights=mu * xk ** 2, minlength=self.n_clusters).astype(np.float64)
        return scores, information

    def _test(self, k: int, value: float) -> tuple[float, Array]:
        scores, information = self._parts(k, value)
        observed = float(t_statistics(scores, information, self.ones)[0])
        return observed, np.abs(t_statistics(scores, information, self.weights))

    def p_value(self, k: int, value: float = 0.0) -> float:
        """Share of sign draws whose |t| reaches the data's, with ``beta_k = value`` imposed.

        The data count as one draw, so the smallest p-value 999 draws can state is 0.001, never zero.
        """
        observed, draws = self._test(k, value)
        return float((1 + np.sum(draws >= abs(observed))) / (1 + len(draws)))

    def _excess(self, k: int, value: float, level: float) -> float:
        """How far the data's |t| is past the bootstrap's critical value: positive exactly when the p-value of
        ``beta_k = value`` is below ``1 - level``, so the interval and the p-value always agree."""
        observed, draws = self._test(k, value)
        rank = max(int(np.ceil((1 - level) * (len(draws) + 1) - 1e-9)) - 1, 1)
        return abs(observed) - float(np.sort(draws)[-rank])

    def interval(self, k: int, estimate: float, se: float, level: float = 0.95) -> tuple[float, float]:
        """The values of ``beta_k`` the test does not reject at ``1 - level``, found on each side of ``estimate``.

        ``se`` (the sandwich's) only sets where the search starts; a bound that cannot be bracketed is infinite.
        """
        scale = se if np.isfinite(se) and se > 0 else 0.1
        bounds = []
        for side in (-1.0, 1.0):
            near, far = estimate, estimate + side * 2.5 * scale
            for _ in range(6):
                if self._excess(k, far, level) > 0:
                    break
                near, far = far, estimate + side * 2 * abs(far - estimate)
            else:
                bounds.append(side * np.inf)
                continue
            bounds.append(float(optimize.brentq(lambda v: self._excess(k, v, level), near, far,
                                                xtol=0.002 * scale)))
        return bounds[0], bounds[1]

    def result(self, k: int, estimate: float, se: float) -> BootstrapResult:
        """p-value of ``beta_k = 0`` and the 95% interval of ``beta_k``."""
        low, high = self.interval(k, estimate, se)
        return BootstrapResult(self.p_value(k, 0.0), low, high, len(self.weights))
