"""Streaming per-step distributions with bounded memory, for fan charts.

Two estimators, both vectorised over *cells* (a cell is one metric of one actor, dyad or the
system at one step; every run adds one value to every cell):

:class:`CountHistogram` — for integer rungs 0–10 (dyad levels, an actor's highest rung, the
    system's highest rung). Counts per cell and rung give **exact** quantiles and means at any
    number of runs, in ``cells × 11`` counters.

:class:`StreamingQuantiles` — for continuous metrics (military spending, capability, threat,
    number of violent dyads). The first ``buffer_runs`` values of each cell are kept, so quantiles
    are exact (numpy's default linear interpolation) up to that many runs. After that each
    requested quantile is tracked by the P² algorithm (Jain & Chlamtac 1985, *CACM* 28:1076–1085):
    five markers per quantile per cell, initialised at the order statistics of the buffer, which
    is then freed. Memory is ``cells × (buffer_runs × 4 + quantiles × 5 × 16)`` bytes at most and
    does not grow with runs. P² is deterministic given the order of the values, and values are
    always added in replication order, so every executor gives the same estimates.
    Running sums give exact means.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CountHistogram", "StreamingQuantiles", "QUANTILES", "quantile_from_counts"]

#: Quantiles reported for fan charts: the median and the 50 % and 90 % bands.
QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)


def quantile_from_counts(counts: np.ndarray, p: float) -> np.ndarray:
    """Return the ``p`` quantile (inverse of the empirical CDF, numpy's ``inverted_cdf``) from counts.

    Args:
        counts: ``(..., K)`` counts of the values ``0 … K-1``.
        p: A probability in [0, 1].

    Returns:
        ``(...)`` the smallest value ``v`` with ``cumcount(v) >= p · n`` (NaN where ``n == 0``).
    """
    cum = np.cumsum(counts, axis=-1)
    n = cum[..., -1]
    target = np.maximum(p * n, 1e-12)  # p = 0 gives the smallest observed value
    q = (cum < target[..., None]).sum(axis=-1).astype(float)
    return np.where(n > 0, q, np.nan)


class CountHistogram:
    """Exact per-cell counts of small non-negative integers (rungs 0–10)."""

    def __init__(self, shape: tuple[int, ...], levels: int = 11):
        self.shape = tuple(shape)
        self.levels = levels
        self.counts = np.zeros((*self.shape, levels), dtype=np.uint32)
        self._flat = self.counts.reshape(-1)
        self._base = np.arange(int(np.prod(self.shape)), dtype=np.int64) * levels
        self.n = 0

    def add(self, values: np.ndarray) -> None:
        """Add one run's values (shape ``self.shape``, integers in ``0 … levels-1``)."""
        v = np.clip(np.asarray(values).reshape(-1), 0, self.levels - 1).astype(np.int64)
        self._flat[self._base + v] += 1  # one value per cell: no repeated index
        self.n += 1

    def add_many(self, values: np.ndarray) -> None:
        """Add several runs' values at once (shape ``(runs, *self.shape)``): the same as :meth:`add` for each."""
        v = np.asarray(values).reshape(len(values), -1)
        if v.shape[1] != len(self._base):
            raise ValueError(f"expected runs of shape {self.shape}, got {np.shape(values)[1:]}")
        idx = self._base + np.clip(v, 0, self.levels - 1).astype(np.int64)
        self._flat += np.bincount(idx.reshape(-1), minlength=self._flat.size).astype(self._flat.dtype)
        self.n += len(v)

    def quantile(self, p: float) -> np.ndarray:
        """Exact ``p`` quantile per cell."""
        return quantile_from_counts(self.counts, p)

    def mean(self) -> np.ndarray:
        """Exact mean per cell."""
        if self.n == 0:
            return np.full(self.shape, np.nan)
        return (self.counts * np.arange(self.levels)).sum(axis=-1) / self.n

    def share_at_least(self, level: int) -> np.ndarray:
        """Share of runs with a value ``>= level`` per cell."""
        if self.n == 0:
            return np.full(self.shape, np.nan)
        return self.counts[..., level:].sum(axis=-1) / self.n

    @property
    def nbytes(self) -> int:
        """Bytes held."""
        return int(self.counts.nbytes + self._base.nbytes)


class StreamingQuantiles:
    """Per-cell quantiles of a continuous metric: exact up to ``buffer_runs`` runs, then P²."""

    def __init__(self, shape: tuple[int, ...], probs: tuple[float, ...] = QUANTILES, buffer_runs: int = 64):
        if buffer_runs < 8:
            raise ValueError("buffer_runs must be at least 8")
        self.shape = tuple(shape)
        self.cells = int(np.prod(self.shape))
        self.probs = np.asarray(probs, dtype=float)
        self.buffer_runs = int(buffer_runs)
        self.n = 0
        self.sum = np.zeros(self.cells)
        self.sumsq = np.zeros(self.cells)
        self.buffer: np.ndarray | None = np.zeros((self.buffer_runs, self.cells), dtype=np.float32)
        self.q: np.ndarray | None = None        # (P, C, 5) marker heights
        self.pos: np.ndarray | None = None      # (P, C, 5) marker positions (1-based)
        self.want: np.ndarray | None = None     # (P, 5) desired positions (the same for every cell)
        self.dwant = np.stack([np.zeros_like(self.probs), self.probs / 2, self.probs, (1 + self.probs) / 2,
                               np.ones_like(self.probs)], axis=1)
        self.frozen: np.ndarray | None = None   # (P, C) final estimates once no more runs will come
        self._was_exact = True
        self.finished = False                   # no more runs: freeze at the first read

    # ---------------------------------------------------------------- updates
    def add(self, values: np.ndarray) -> None:
        """Add one run's values (shape ``self.shape``)."""
        if self.frozen is not None or self.finished:
            raise RuntimeError("no run can be added after finish() or freeze()")
        x = np.asarray(values, dtype=float).reshape(-1)
        self.sum += x
        self.sumsq += x * x
        if self.buffer is not None and self.n < self.buffer_runs:
            self.buffer[self.n] = x
            self.n += 1
            return
        if self.buffer is not None:  # the buffer is full: P² from here on, markers at its order statistics
            self._start_p2()
        self.n += 1
        self._p2(x)

    def add_many(self, values: np.ndarray) -> None:
        """Add several runs' values in order (shape ``(runs, *self.shape)``).

        The same, to the bit, as :meth:`add` for each run in turn: sums are accumulated run by run
        (in order, as floating-point addition is not associative), the buffer is filled in one
        copy, and P² (once the buffer is full) takes the runs one by one.
        """
        if self.frozen is not None or self.finished:
            raise RuntimeError("no run can be added after finish() or freeze()")
        x = np.asarray(values, dtype=float).reshape(len(values), -1)
        if x.shape[1] != self.cells:
            raise ValueError(f"expected runs of shape {self.shape}, got {np.shape(values)[1:]}")
        for row in x:
            self.sum += row
        sq = x * x
        for row in sq:
            self.sumsq += row
        k = 0
        if self.buffer is not None and self.n < self.buffer_runs:
            k = min(len(x), self.buffer_runs - self.n)
            self.buffer[self.n:self.n + k] = x[:k]
            self.n += k
        for row in x[k:]:
            if self.buffer is not None:
                self._start_p2()
            self.n += 1
            self._p2(row)

    def _start_p2(self) -> None:
        b, c, m = self.buffer_runs, self.cells, len(self.probs)
        srt = np.sort(self.buffer.astype(float), axis=0)  # (B, C)
        want = 1.0 + (b - 1) * self.dwant                   # (P, 5)
        pos = np.rint(want).astype(np.int64)
        pos[:, 0], pos[:, 4] = 1, b
        for i in (1, 2, 3):
            pos[:, i] = np.clip(pos[:, i], pos[:, i - 1] + 1, b - (4 - i))
        # markers first, then (quantile, cell) flattened: q[i] is contiguous
        self.q = np.ascontiguousarray(srt[pos.T - 1].reshape(5, m * c))          # (5, P·C)
        self.pos = np.repeat(pos.T.astype(float), c, axis=1)                      # (5, P·C)
        self.want = np.ascontiguousarray(want.T)                                  # (5, P)
        self.buffer = None

    def _p2(self, x: np.ndarray) -> None:
        q, pos = self.q, self.pos
        m, c = len(self.probs), self.cells
        xb = np.tile(x, m)
        k = (xb >= q[1]).astype(np.int8)
        k += xb >= q[2]
        k += xb >= q[3]                                                           # q[k] <= x < q[k+1]
        np.minimum(q[0], xb, out=q[0])
        np.maximum(q[4], xb, out=q[4])
        pos[1] += k < 1
        pos[2] += k < 2
        pos[3] += k < 3
        pos[4] += 1.0
        self.want += self.dwant.T
        for i in (1, 2, 3):
            ni, nm, npl = pos[i], pos[i - 1], pos[i + 1]
            d = (self.want[i][:, None] - ni.reshape(m, c)).reshape(-1)
            up = (d >= 1) & (npl - ni > 1)
            down = (d <= -1) & (nm - ni < -1)
            move = up | down
            if not move.any():
                continue
            idx = np.flatnonzero(move)
            s = np.where(up[idx], 1.0, -1.0)
            ni, nm, npl = ni[idx], nm[idx], npl[idx]
            qi, qm, qp = q[i, idx], q[i - 1, idx], q[i + 1, idx]
            par = qi + s / (npl - nm) * ((ni - nm + s) * (qp - qi) / (npl - ni) + (npl - ni - s) * (qi - qm) / (ni - nm))
            lin = np.where(s > 0, qi + (qp - qi) / (npl - ni), qi - (qm - qi) / (nm - ni))
            q[i, idx] = np.where((qm < par) & (par < qp), par, lin)
            pos[i, idx] = ni + s

    def finish(self) -> None:
        """No more runs will come: the estimates are frozen (and the buffer freed) when first read."""
        self.finished = True

    def freeze(self) -> None:
        """Keep the final estimates and free the buffer and markers (no run can be added after).

        An ensemble calls this when its last run is in: a finished result then holds
        ``quantiles × cells`` numbers instead of the buffer (for the founding scenario about 1 MB
        instead of 25 MB).
        """
        if self.frozen is None:
            self._was_exact = self.buffer is not None
            self.frozen = self._estimate().reshape(len(self.probs), self.cells)
            self.buffer = self.q = self.pos = self.want = None
            self.finished = True

    # ---------------------------------------------------------------- estimates
    @property
    def exact(self) -> bool:
        """True while quantiles are exact (no more runs than the buffer holds)."""
        return self.buffer is not None if self.frozen is None else self._was_exact

    def quantiles(self) -> np.ndarray:
        """``(P, *shape)`` estimates of every requested quantile (NaN before the first run)."""
        if self.frozen is None and self.finished:
            self.freeze()
        if self.frozen is not None:
            return self.frozen.reshape(len(self.probs), *self.shape)
        return self._estimate()

    def _estimate(self) -> np.ndarray:
        if self.n == 0:
            return np.full((len(self.probs), *self.shape), np.nan)
        if self.buffer is not None:
            out = np.quantile(self.buffer[: self.n].astype(float), self.probs, axis=0)
        else:
            out = self.q[2].reshape(len(self.probs), self.cells)
        return out.reshape(len(self.probs), *self.shape)

    def mean(self) -> np.ndarray:
        """Exact mean per cell."""
        if self.n == 0:
            return np.full(self.shape, np.nan)
        return (self.sum / self.n).reshape(self.shape)

    @property
    def nbytes(self) -> int:
        """Bytes held (constant while runs come in: the buffer, or the markers once the buffer is freed)."""
        arrays = [self.sum, self.sumsq, self.buffer, self.q, self.pos, self.want, self.frozen]
        return int(sum(a.nbytes for a in arrays if a is not None))
