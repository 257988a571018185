"""Interval estimates an analyst can trust, on plain arrays of per-run values.

* Proportions: the **Wilson score interval** (Wilson 1927), which keeps its coverage near 0 % and
  100 % where the textbook Wald interval collapses.
* Differences of proportions: **Newcombe's hybrid score interval** (Newcombe 1998, *Stat. Med.*
  17:873–890 and 2635–2650, method 10 in both papers), built from the two Wilson intervals. For
  paired runs (common random numbers) the correlation ``φ`` of the two indicators enters the
  formula; with ``φ = 0`` it is the interval for independent samples ("square and add").
* Means, medians and their differences: the **percentile bootstrap** (Efron & Tibshirani 1993),
  seeded so that the same runs always give the same interval. Paired differences resample
  replications jointly (one index set for baseline and variant); unpaired intervals resample the
  two samples independently.
* Monte Carlo error: the standard error of the estimate; the runs needed for a requested
  half-width ``h`` of a 95 % interval are ``⌈z²·v/h²⌉`` with ``v = p̃(1−p̃)`` for a proportion
  (``p̃ = (x+2)/(n+4)``, Agresti–Coull, so that 0 % does not promise zero runs) and ``v`` the
  sample variance (of the paired differences, for a comparison) otherwise.

Bootstrap resampling draws replication indices with ``numpy.random.default_rng(seed).integers``
in chunks of whole resamples (see :func:`bootstrap_indices`).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterator

import numpy as np

__all__ = [
    "Z95",
    "wilson",
    "newcombe",
    "phi",
    "bootstrap_indices",
    "resample_counts",
    "bootstrap_means",
    "bootstrap_ci",
    "bootstrap_diff",
    "runs_needed",
    "se_proportion",
]

#: The normal quantile of a two-sided 95 % interval.
Z95 = 1.959963984540054
#: Bootstrap resamples used unless told otherwise.
BOOTSTRAP = 2000


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float, float]:
    """Wilson score interval of a proportion.

    Returns:
        ``(estimate, lo, hi)``; all NaN when ``n == 0``.
    """
    if n <= 0:
        return (math.nan, math.nan, math.nan)
    p = successes / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    lo = 0.0 if successes <= 0 else max(0.0, centre - half)
    hi = 1.0 if successes >= n else min(1.0, centre + half)
    return (p, lo, hi)


def phi(x: np.ndarray, y: np.ndarray) -> float:
    """Correlation of two paired 0/1 samples (the φ coefficient); 0 when either is constant."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.size == 0 or x.std() == 0 or y.std() == 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


def newcombe(x1: int, n1: int, x2: int, n2: int, corr: float = 0.0, z: float = Z95) -> tuple[float, float, float]:
    """Newcombe's hybrid score interval for ``p1 − p2``.

    Args:
        x1: Successes of the first sample (e.g. the variant).
        n1: Runs of the first sample.
        x2: Successes of the second sample (e.g. the baseline).
        n2: Runs of the second sample.
        corr: φ, the correlation of paired indicators (0 for independent samples).
        z: Normal quantile.

    Returns:
        ``(difference, lo, hi)``.
    """
    p1, l1, u1 = wilson(x1, n1, z)
    p2, l2, u2 = wilson(x2, n2, z)
    if math.isnan(p1) or math.isnan(p2):
        return (math.nan, math.nan, math.nan)
    d = p1 - p2
    lo_r = (p1 - l1) ** 2 - 2 * corr * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2
    hi_r = (u1 - p1) ** 2 - 2 * corr * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2
    return (d, max(-1.0, d - math.sqrt(max(0.0, lo_r))), min(1.0, d + math.sqrt(max(0.0, hi_r))))


def se_proportion(successes: int, n: int) -> float:
    """Monte Carlo (standard) error of a proportion."""
    if n <= 0:
        return math.nan
    p = successes / n
    return math.sqrt(p * (1 - p) / n)


def runs_needed(variance: float, half_width: float, z: float = Z95) -> int:
    """Return the runs for a 95 % interval of half-width ``half_width`` given a per-run ``variance``."""
    if not half_width > 0 or math.isnan(variance):
        return 0
    return int(math.ceil(z * z * max(variance, 0.0) / (half_width * half_width)))


def bootstrap_indices(rng: np.random.Generator, n: int, resamples: int, max_cells: int = 1_000_000) -> Iterator[np.ndarray]:
    """Resampled replication indices, in chunks of whole resamples (``(c, n)`` int arrays)."""
    chunk = max(1, min(resamples, max_cells // max(1, n)))
    done = 0
    while done < resamples:
        c = min(chunk, resamples - done)
        yield rng.integers(0, n, size=(c, n))
        done += c


def _percentile(stats: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    a = (1 - level) / 2
    lo, hi = np.quantile(stats, [a, 1 - a], axis=0)
    return lo, hi


def bootstrap_means(values: np.ndarray, seed: int | np.random.SeedSequence, resamples: int = BOOTSTRAP,
                    level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Percentile-bootstrap intervals of the mean of every column of ``values`` (``(n, m)``).

    All columns share the resampled indices (one draw per resample), which is what a joint
    bootstrap of the runs means.

    Returns:
        ``(mean, lo, hi)``, each of shape ``(m,)`` (NaN when ``n == 0``).
    """
    v = np.asarray(values, dtype=float)
    if v.ndim == 1:
        v = v[:, None]
    n, m = v.shape
    if n == 0:
        nan = np.full(m, np.nan)
        return nan, nan.copy(), nan.copy()
    stats = _boot_stats(v, seed, resamples)
    lo, hi = _percentile(stats, level)
    return v.mean(axis=0), lo, hi


def bootstrap_ci(values: np.ndarray, seed: int | np.random.SeedSequence, stat: str = "mean",
                 resamples: int = BOOTSTRAP, level: float = 0.95) -> tuple[float, float, float]:
    """Percentile-bootstrap interval of the mean or median of a 1-D sample.

    Returns:
        ``(estimate, lo, hi)`` (NaN for an empty sample).
    """
    x = np.asarray(values, dtype=float).ravel()
    if x.size == 0:
        return (math.nan, math.nan, math.nan)
    f = {"mean": np.mean, "median": np.median}[stat]
    rng = np.random.default_rng(seed)
    stats = np.concatenate([f(x[idx], axis=1) for idx in bootstrap_indices(rng, x.size, resamples)])
    lo, hi = _percentile(stats, level)
    return (float(f(x)), float(lo), float(hi))


def bootstrap_diff(x: np.ndarray, y: np.ndarray, seed: int | np.random.SeedSequence, *, paired: bool,
                   resamples: int = BOOTSTRAP, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bootstrap intervals of ``mean(y) − mean(x)`` for every column.

    Args:
        x: ``(n, m)`` baseline values.
        y: ``(n, m)`` variant values; row ``k`` of both is replication ``k`` when ``paired``.
        seed: Bootstrap seed.
        paired: Resample replications jointly (paired) or the two samples independently.
        resamples: Bootstrap resamples.
        level: Confidence level.

    Returns:
        ``(difference, lo, hi)``, each ``(m,)``.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim == 1:
        x, y = x[:, None], y[:, None]
    if paired:
        return bootstrap_means(y - x, seed, resamples, level)
    ss = np.random.SeedSequence(seed) if not isinstance(seed, np.random.SeedSequence) else seed
    sx, sy = ss.spawn(2)
    mx = _boot_stats(x, sx, resamples)
    my = _boot_stats(y, sy, resamples)
    lo, hi = _percentile(my - mx, level)
    return y.mean(axis=0) - x.mean(axis=0), lo, hi


def _boot_stats(v: np.ndarray, seed: int | np.random.SeedSequence, resamples: int) -> np.ndarray:
    """Bootstrap means of every column: ``(resamples, m)``."""
    n, m = v.shape
    w = resample_counts(seed, n, resamples)
    chunk = max(1, min(resamples, 1_000_000 // max(1, n)))  # the chunks of bootstrap_indices
    stats = np.empty((resamples, m))
    for a in range(0, resamples, chunk):
        stats[a:a + chunk] = (w[a:a + chunk].astype(float) @ v) / n
    return stats


#: Bytes of resampling counts kept for reuse (see :func:`resample_counts`).
COUNTS_CACHE_BYTES = 48_000_000
_COUNTS: OrderedDict[tuple, np.ndarray] = OrderedDict()
_COUNTS_LOCK = threading.Lock()


def _seed_key(seed: int | np.random.SeedSequence) -> tuple:
    if isinstance(seed, np.random.SeedSequence):
        return ("seq", repr(seed.entropy), tuple(seed.spawn_key), seed.pool_size)
    return ("int", int(seed))


def resample_counts(seed: int | np.random.SeedSequence, n: int, resamples: int) -> np.ndarray:
    """How often each of ``n`` replications is drawn in each resample: ``(resamples, n)`` counts.

    The resamples are those of :func:`bootstrap_indices` with ``default_rng(seed)``. A comparison
    asks for the same seeds once per variant (the baseline's intervals, and each bootstrap purpose,
    are seeded alike for every variant), so the counts are kept, least recently used first out,
    within :data:`COUNTS_CACHE_BYTES`; the intervals are the same to the bit either way.
    """
    key = (_seed_key(seed), int(n), int(resamples))
    with _COUNTS_LOCK:
        hit = _COUNTS.get(key)
        if hit is not None:
            _COUNTS.move_to_end(key)
            return hit
    rng = np.random.default_rng(seed)
    w = np.empty((resamples, n), dtype=np.uint16 if n < 65_536 else np.uint32)
    at = 0
    for idx in bootstrap_indices(rng, n, resamples):
        c = idx.shape[0]
        w[at:at + c] = np.bincount((idx + (np.arange(c) * n)[:, None]).ravel(), minlength=c * n).reshape(c, n)
        at += c
    w.setflags(write=False)
    if w.nbytes <= COUNTS_CACHE_BYTES:
        with _COUNTS_LOCK:
            _COUNTS[key] = w
            total = sum(a.nbytes for a in _COUNTS.values())
            while total > COUNTS_CACHE_BYTES:
                _, old = _COUNTS.popitem(last=False)
                total -= old.nbytes
    return w


def bootstrap_median_int(values: np.ndarray, seed: int | np.random.SeedSequence, resamples: int = BOOTSTRAP,
                         level: float = 0.95) -> tuple[float, float, float]:
    """Percentile-bootstrap interval of the median of small non-negative integers (e.g. steps).

    A bootstrap resample of ``k`` values is a multinomial draw of ``k`` from the sample's value
    counts, so resampling costs ``O(resamples × distinct values)`` instead of
    ``O(resamples × k)``; the median of each resample is numpy's (mean of the two middle values).

    Returns:
        ``(median, lo, hi)`` (NaN for an empty sample).
    """
    x = np.asarray(values).astype(np.int64).ravel()
    k = x.size
    if k == 0:
        return (math.nan, math.nan, math.nan)
    if x.min() < 0:
        raise ValueError("bootstrap_median_int needs non-negative integers")
    counts = np.bincount(x)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(k, counts / k, size=resamples)
    cum = np.cumsum(draws, axis=1)
    lo_v = (cum <= (k - 1) // 2).sum(axis=1)
    hi_v = (cum <= k // 2).sum(axis=1)
    med = (lo_v + hi_v) / 2.0
    lo, hi = _percentile(med, level)
    return (float(np.median(x)), float(lo), float(hi))
