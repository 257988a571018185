"""A quadratic response-surface emulator: ridge least squares on a polynomial basis (NumPy).

Why this emulator: a calibration design has 20–40 points in about ten dimensions. A Gaussian
process needs its length scales estimated from those few points (unreliable at this size, and it
interpolates the simulation noise); a second-order response surface (Box & Wilson 1951) has a
fixed, small number of coefficients, is the local shape of any smooth SMM loss near its minimum,
extrapolates gently to the corners of the box and gives a closed-form leave-one-out error. Two
surfaces are candidates: the additive one (intercept, linear and squared terms) and, when the
design has more points than it has coefficients, the full one with the cross products of the
parameters; for each the ridge penalty (on standardised columns, intercept free) is chosen by exact
leave-one-out cross-validation (the hat-matrix shortcut), and the surface and penalty with the
least leave-one-out error win. ``cv_r2`` then tells how far to trust the surface: 1 perfect, 0 no
better than the mean, negative worse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from sim.errors import FlashpointError

__all__ = ["QuadraticEmulator", "minimise_in_unit_cube"]

_PENALTIES = (0.0, 1e-6, 1e-4, 1e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


@dataclass
class QuadraticEmulator:
    """Fit with :meth:`fit` on points of the unit cube; :meth:`predict`, :meth:`minimise`, ``cv_r2``."""

    interactions: bool | None = None
    penalties: tuple[float, ...] = _PENALTIES
    coef: np.ndarray = field(default_factory=lambda: np.zeros(0))
    penalty: float = 0.0
    cv_r2: float = float("nan")
    r2: float = float("nan")
    loo: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _mu: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _sd: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _pairs: list[tuple[int, int]] = field(default_factory=list)

    def _basis(self, u: np.ndarray) -> np.ndarray:
        u = np.atleast_2d(np.asarray(u, dtype=float)) - 0.5
        cols = [u, u ** 2] + ([np.stack([u[:, i] * u[:, j] for i, j in self._pairs], axis=1)] if self._pairs else [])
        return np.hstack(cols)

    def fit(self, u: np.ndarray, y: np.ndarray) -> QuadraticEmulator:
        """Fit to design points ``u`` (n × d, in the unit cube) and responses ``y`` (n).

        Raises:
            FlashpointError: fewer than 3 points, or non-finite responses.
        """
        u, y = np.atleast_2d(np.asarray(u, dtype=float)), np.asarray(y, dtype=float)
        n, d = u.shape
        if n < 3 or y.shape != (n,):
            raise FlashpointError(f"an emulator needs at least 3 points with one response each, got {u.shape}, {y.shape}")
        if not np.isfinite(y).all():
            raise FlashpointError("an emulator's responses must be finite")
        full = 1 + 2 * d + d * (d - 1) // 2
        if self.interactions is not None:
            choices = [bool(self.interactions)]
        else:  # the additive surface, and the full one when there are more points than its coefficients
            choices = [False] + ([True] if d > 1 and n > full else [])
        best = None
        for inter in choices:  # the basis and penalty with the least leave-one-out error win
            pairs = list(combinations(range(d), 2)) if inter else []
            got = self._fit_basis(u, y, pairs)
            if got is not None and (best is None or got[0] < best[0] - 1e-15):
                best = got
        if best is None:
            raise FlashpointError(f"{n} design points cannot fit this emulator (every penalty interpolates them)")
        press, self.penalty, self.coef, self.loo, self._pairs, self._mu, self._sd = best
        ss = float(((y - y.mean()) ** 2).sum())
        self.cv_r2 = 1.0 - press / ss if ss > 0 else float("nan")
        self.r2 = 1.0 - float(((y - self.predict(u)) ** 2).sum()) / ss if ss > 0 else float("nan")
        return self

    def _fit_basis(self, u: np.ndarray, y: np.ndarray, pairs: list[tuple[int, int]]):
        """Ridge fits of one basis over the penalties: ``(press, penalty, coef, loo, pairs, mu, sd)`` of the best, or None."""
        n = len(y)
        self._pairs = pairs
        z = self._basis(u)
        mu, sd = z.mean(axis=0), z.std(axis=0)
        sd[sd == 0] = 1.0
        x = np.hstack([np.ones((n, 1)), (z - mu) / sd])
        best = None
        for lam in self.penalties:
            reg = lam * n * np.eye(x.shape[1])
            reg[0, 0] = 0.0
            a = np.linalg.pinv(x.T @ x + reg)
            beta = a @ x.T @ y
            h = np.einsum("ij,jk,ik->i", x, a, x)
            if h.max() > 1.0 - 1e-6:
                continue  # the surface passes through a point: its leave-one-out error is undefined
            loo = (y - x @ beta) / np.clip(1.0 - h, 1e-9, None)
            press = float((loo ** 2).sum())
            if best is None or press < best[0] - 1e-15:
                best = (press, lam, beta, y - loo, pairs, mu, sd)
        return best

    # ``loo``: each design point's leave-one-out prediction (the surface fitted without that point)

    def predict(self, u: np.ndarray) -> np.ndarray:
        """Emulated responses at points ``u`` of the unit cube (n × d, or one point)."""
        if self.coef.size == 0:
            raise FlashpointError("the emulator is not fitted")
        z = (self._basis(u) - self._mu) / self._sd
        return self.coef[0] + z @ self.coef[1:]

    def minimise(self, starts: np.ndarray) -> tuple[np.ndarray, float]:
        """The emulator's minimum inside the unit cube (SciPy L-BFGS-B from each start; the best wins).

        Deterministic: the same starts give the same answer on every machine.
        """
        return minimise_in_unit_cube(self.predict, starts)


def minimise_in_unit_cube(predict, starts: np.ndarray) -> tuple[np.ndarray, float]:
    """Minimum of ``predict`` (unit-cube points → values) by SciPy L-BFGS-B from each start; the best wins.

    Deterministic: the same starts give the same answer on every machine.
    """
    from scipy.optimize import minimize

    best = None
    for s in np.atleast_2d(starts):
        res = minimize(lambda v: float(predict(v)[0]), np.clip(s, 0.0, 1.0), method="L-BFGS-B",
                       bounds=[(0.0, 1.0)] * len(s))
        if best is None or res.fun < best[1] - 1e-15:
            best = (np.clip(res.x, 0.0, 1.0), float(res.fun))
    return best
