"""Proper scores of probabilistic forecasts of ordered classes, calibration, paired intervals.

* Ranked probability score (Epstein 1969): the mean over the K−1 thresholds of the squared
  difference between the forecast's cumulative probability and the outcome's, 0 (perfect) … 1.
* Brier score (Brier 1950), the multi-class form: Σ_k (p_k − o_k)², 0 … 2.
* Calibration table: forecasts of a cumulative event (e.g. "at least minor clashes") in bins, with
  the mean forecast and the observed share in each.
* Paired bootstrap over cases of a difference of mean scores, with a percentile 95 % interval.
"""

from __future__ import annotations

import numpy as np

__all__ = ["brier", "bootstrap_difference", "calibration_table", "rps"]


def _check(p: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=int)
    if p.ndim != 2 or y.shape != (p.shape[0],):
        raise ValueError(f"forecasts must be cases × classes and outcomes one per case, got {p.shape} and {y.shape}")
    if ((y < 0) | (y >= p.shape[1])).any():
        raise ValueError("an outcome is outside the classes")
    return p, y


def rps(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Ranked probability score of each case (forecasts ``p``: cases × K; outcomes ``y``: 0 … K−1)."""
    p, y = _check(p, y)
    k = p.shape[1]
    f = np.cumsum(p, axis=1)[:, :-1]
    o = (y[:, None] <= np.arange(k - 1)[None, :]).astype(float)
    return ((f - o) ** 2).sum(axis=1) / (k - 1)


def brier(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Multi-class Brier score of each case."""
    p, y = _check(p, y)
    o = np.zeros_like(p)
    o[np.arange(len(y)), y] = 1.0
    return ((p - o) ** 2).sum(axis=1)


def calibration_table(p: np.ndarray, y: np.ndarray, labels: list[str], bins: int = 5) -> list[dict]:
    """Calibration of the cumulative events "class ≥ k" for k = 1 … K−1.

    Args:
        p: Forecasts, cases × K.
        y: Outcomes, 0 … K−1.
        labels: Name of each cumulative event (K−1 of them).
        bins: Equal-width probability bins.

    Returns:
        Rows ``{"event", "bin", "lo", "hi", "n", "mean_forecast", "observed"}`` (bins with cases only).
    """
    p, y = _check(p, y)
    rows = []
    edges = np.linspace(0.0, 1.0, bins + 1)
    for k in range(1, p.shape[1]):
        f = p[:, k:].sum(axis=1)
        o = (y >= k).astype(float)
        idx = np.clip(np.searchsorted(edges, f, side="right") - 1, 0, bins - 1)
        for b in range(bins):
            m = idx == b
            if m.any():
                rows.append({"event": labels[k - 1], "bin": b, "lo": float(edges[b]), "hi": float(edges[b + 1]),
                             "n": int(m.sum()), "mean_forecast": float(f[m].mean()), "observed": float(o[m].mean())})
    return rows


def bootstrap_difference(a: np.ndarray, b: np.ndarray, seed: np.random.SeedSequence | int,
                         resamples: int = 2000) -> dict[str, float]:
    """Mean of ``a − b`` over paired cases with a percentile 95 % interval (cases resampled).

    Returns:
        ``{"mean", "lo", "hi", "n"}``; negative means ``a`` scores better (lower) than ``b``.
    """
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    n = d.size
    if n == 0:
        return {"mean": float("nan"), "lo": float("nan"), "hi": float("nan"), "n": 0}
    rng = np.random.default_rng(seed)
    means = d[rng.integers(0, n, size=(resamples, n))].mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    return {"mean": float(d.mean()), "lo": float(lo), "hi": float(hi), "n": int(n)}
