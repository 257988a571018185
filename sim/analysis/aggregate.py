"""Streaming aggregation of an ensemble: runs are folded in as they finish, in replication order.

An :class:`EnsembleAggregator` keeps two things:

* a :class:`RunTable` — the outcome indicators of every run (per dyad: peak rung, final rung,
  first step in each ladder band, alliance formed or lapsed; per actor: change in military
  spending; per ordered pair: the highest degree of support given; the system's peak rung),
  columnar and compact (``D × 10 + N² + N × 4 + 17`` bytes per run: 393 bytes for the
  founding scenario's 8 actors). These are
  what paired comparisons and bootstrap intervals need, so they grow with the number of runs,
  slowly; and
* the **fan-chart state**, whose size is fixed before the first run: exact count histograms of
  rungs per step (per dyad when dyad trajectories are recorded, per actor, for the system) and
  streaming quantiles of the continuous series — per actor, for the system and, with the dyad
  trajectories, each dyad's tension (see :mod:`sim.analysis.quantiles`).

Full digests are kept only when asked (``keep_runs``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.digest import SERIES, SYSTEM, Layout, RunBatch, RunDigest
from sim.analysis.quantiles import QUANTILES, CountHistogram, StreamingQuantiles

__all__ = ["RunTable", "EnsembleAggregator", "FAN_METRICS"]

#: Metrics with fan-chart data, and what they are indexed by.
FAN_METRICS: dict[str, str] = {
    "level": "dyad",
    "tension": "dyad",
    "max_level": "actor or system",
    "milex": "actor",
    "capability": "actor",
    "max_threat": "actor",
    "mean_threat": "system",
    "dyads_violent": "system",
    "dyads_war": "system",
}
_QCOLS = [f"q{round(p * 100):02d}" for p in QUANTILES]


class RunTable:
    """Per-run outcome indicators, in columnar numpy arrays grown by doubling."""

    def __init__(self, n: int, d: int, capacity: int = 64):
        self.n_actors, self.n_dyads = n, d
        self.size = 0
        self._cap = 0
        self._cols: dict[str, np.ndarray] = {}
        self._spec = {
            "index": ((), np.int64),
            "seed": ((), np.int64),
            "peak": ((d,), np.int8),
            "final": ((d,), np.int8),
            "first": ((3, d), np.int16),
            "alliance_new": ((d,), np.bool_),
            "alliance_lost": ((d,), np.bool_),
            "milex_change": ((n,), np.float32),
            "system_peak": ((), np.int8),
            "support": ((n, n), np.int8),
        }
        self._grow(capacity)

    def _grow(self, cap: int) -> None:
        for k, (shape, dt) in self._spec.items():
            new = np.zeros((cap, *shape), dtype=dt)
            if k in self._cols:
                new[: self.size] = self._cols[k][: self.size]
            self._cols[k] = new
        self._cap = cap

    def extend(self, indices: list[int], batch: RunBatch) -> None:
        """Add the runs of ``batch`` (replications ``indices``)."""
        m = len(batch)
        cap = self._cap
        while self.size + m > cap:
            cap *= 2
        if cap != self._cap:
            self._grow(cap)
        a, b = self.size, self.size + m
        c = self._cols
        c["index"][a:b] = indices
        c["seed"][a:b] = batch.seeds
        for k in ("peak", "final", "first", "alliance_new", "alliance_lost", "milex_change"):
            c[k][a:b] = getattr(batch, k)
        c["support"][a:b] = 0 if batch.support is None else batch.support
        c["system_peak"][a:b] = batch.system[:, 0].max(axis=1) if batch.system.shape[2] else 0
        self.size = b

    def __getitem__(self, key: str) -> np.ndarray:
        return self._cols[key][: self.size]

    def keys(self) -> list[str]:
        """Column names."""
        return list(self._spec)

    @property
    def bytes_per_run(self) -> int:
        """Bytes one run adds."""
        return int(sum(np.dtype(dt).itemsize * int(np.prod(shape)) for shape, dt in self._spec.values()))

    @property
    def nbytes(self) -> int:
        """Bytes allocated."""
        return int(sum(a.nbytes for a in self._cols.values()))

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> RunTable:
        """Rebuild a table from stored columns (see :meth:`arrays`)."""
        n = arrays["milex_change"].shape[1]
        d = arrays["peak"].shape[1]
        t = cls(n, d, capacity=max(1, len(arrays["index"])))
        for k in t._spec:
            if k in arrays:  # results stored before a column existed (``support``) read it as zeros
                t._cols[k][: len(arrays["index"])] = arrays[k]
        t.size = len(arrays["index"])
        return t

    def arrays(self) -> dict[str, np.ndarray]:
        """Return the filled part of every column."""
        return {k: self[k] for k in self._spec}


#: Bytes a streaming-quantile buffer may hold: quantiles are exact until it is full, then come
#: from fixed bins that take at most as many bytes.
EXACT_BUFFER_BYTES = 32_000_000


def _exact_runs(cells: int) -> int:
    """Runs whose values a buffer of :data:`EXACT_BUFFER_BYTES` holds for ``cells`` float32 cells."""
    return int(np.clip(EXACT_BUFFER_BYTES // (4 * max(1, cells)), 16, 2048))


def _bins(cells: int) -> int:
    """Bins per cell whose uint32 counts fit in :data:`EXACT_BUFFER_BYTES` (16 to 1,024)."""
    return int(np.clip(EXACT_BUFFER_BYTES // (4 * max(1, cells)) - 2, 16, 1024))


class EnsembleAggregator:
    """Folds :class:`RunDigest` s into outcome indicators and fan-chart state (bounded memory).

    Args:
        layout: Actors, horizon and dates (known before the first run).
        dyad_levels: Keep per-dyad per-step rung histograms (fan charts and heat maps per dyad) and
            streaming quantiles of each dyad's tension.
        keep_runs: Also keep every digest (full per-run trajectories).
        buffer_runs: Runs for which continuous quantiles stay exact (see
            :class:`~sim.analysis.quantiles.StreamingQuantiles`); default: as many as
            :data:`EXACT_BUFFER_BYTES` hold (2,048 at most, 16 at least) — 2,048 for the founding
            scenario, about 250 for the 195-state world.
    """

    def __init__(self, layout: Layout, *, dyad_levels: bool = True, keep_runs: bool = False,
                 buffer_runs: int | None = None):
        self.layout = layout
        h1, n, d = layout.horizon + 1, layout.n, layout.d
        cells = 3 * h1 * n + 3 * h1
        if buffer_runs is None:
            buffer_runs = _exact_runs(cells)
        self.table = RunTable(n, d)
        self.dyad_levels = dyad_levels
        self.dyad_hist = CountHistogram((h1, d)) if dyad_levels and d else None
        self.actor_hist = CountHistogram((h1, n))
        self.system_hist = CountHistogram((h1,))
        self.series = StreamingQuantiles((3, h1, n), buffer_runs=buffer_runs, bins=_bins(cells))
        self.system = StreamingQuantiles((3, h1), buffer_runs=buffer_runs, bins=_bins(cells))
        self.dyad_tension = None
        if dyad_levels and d:
            # its own buffer, sized like the others' from its own cell count
            tbuf = min(_exact_runs(h1 * d), buffer_runs)
            self.dyad_tension = StreamingQuantiles((h1, d), buffer_runs=tbuf, bins=_bins(h1 * d))
        self.keep_runs = keep_runs
        self.runs: list[RunDigest] = []
        self.failed: list[dict] = []
        self.run_seconds = 0.0

    # ---------------------------------------------------------------- folding in
    def add(self, index: int, seed: int, dg: RunDigest | None, error: str | None = None) -> None:
        """Fold in replication ``index``: its digest (a batch of one, see :meth:`add_batch`), or its failure."""
        if dg is None:
            self.failed.append({"index": int(index), "seed": int(seed), "error": error or "no result"})
            return
        batch = RunBatch.stack([dg])
        batch.seeds[0] = seed
        self.add_batch([index], batch)

    __call__ = add

    def add_batch(self, indices: list[int], batch: RunBatch) -> None:
        """Fold in replications ``indices``, the runs of ``batch`` in order, in bulk.

        The result is the same, to the bit, as :meth:`add` for each run in turn (tested), so an
        ensemble does not depend on how its runs were batched.
        """
        if len(indices) != len(batch):
            raise ValueError(f"{len(indices)} replication indices for {len(batch)} runs")
        if not len(batch):
            return
        if tuple(batch.codes) != tuple(self.layout.codes):
            raise ValueError(f"runs {indices[0]}… have actors {batch.codes}, the ensemble {self.layout.codes}")
        if self.dyad_hist is not None and batch.levels is None:
            raise ValueError("dyad trajectories were requested but the runs did not record them")
        if self.dyad_tension is not None and batch.tension is None:
            if self.dyad_tension.n == 0 and self.table.size == 0:
                self.dyad_tension = None  # runs from a run function that records no tension: no tension fans
            else:
                raise ValueError("dyad trajectories were requested but the runs did not record their dyads' tension")
        self.table.extend(indices, batch)
        if self.dyad_hist is not None:
            self.dyad_hist.add_many(batch.levels)
        if self.dyad_tension is not None:
            self.dyad_tension.add_many(batch.tension)
        self.actor_hist.add_many(batch.actor_level)
        self.system_hist.add_many(batch.system[:, 0])
        self.series.add_many(batch.series)
        self.system.add_many(batch.system[:, 1:])
        if batch.seconds is not None:
            self.run_seconds += float(batch.seconds.sum())
        if self.keep_runs:
            self.runs.extend(batch.digest(r) for r in range(len(batch)))

    def finish(self) -> None:
        """Mark the end of the runs: quantile states freeze when first read.

        Each keeps its final estimates and frees its buffer then (a finished ensemble of the
        founding scenario holds about 1 MB instead of 25 MB).
        """
        for q in (self.series, self.system, self.dyad_tension):
            if q is not None:
                q.finish()

    @property
    def n(self) -> int:
        """Runs folded in (successful ones)."""
        return self.table.size

    @property
    def state_nbytes(self) -> int:
        """Bytes of the fan-chart state (fixed at construction; it does not grow with runs)."""
        parts = [self.actor_hist, self.system_hist, self.series, self.system]
        if self.dyad_hist is not None:
            parts.append(self.dyad_hist)
        if self.dyad_tension is not None:
            parts.append(self.dyad_tension)
        return int(sum(p.nbytes for p in parts))

    # ---------------------------------------------------------------- fan charts
    def fan(self, metric: str = "level", dyad: str | None = None, actor: str | None = None) -> pd.DataFrame:
        """Per-step quantiles of ``metric``: columns step, date, q05, q25, q50, q75, q95, mean, n.

        ``level`` and ``tension`` (the higher of the two threats the states of a dyad perceive from
        each other, 0–1) need a ``dyad``; ``milex``, ``capability`` and ``max_threat`` an ``actor``;
        ``max_level`` an actor or nothing (the system); ``mean_threat``, ``dyads_violent`` and
        ``dyads_war`` nothing. Rungs are exact (count histograms); continuous metrics are exact up
        to the buffer size and binned beyond it, within a stated error bound (see
        :class:`~sim.analysis.quantiles.StreamingQuantiles`).

        Raises:
            KeyError: unknown metric, dyad or actor.
            ValueError: the metric needs (or takes no) dyad/actor, or dyad trajectories were not
                recorded.
        """
        lay = self.layout
        if metric not in FAN_METRICS:
            raise KeyError(f"unknown metric '{metric}' (known: {', '.join(FAN_METRICS)})")
        if metric in ("level", "tension"):
            store = self.dyad_hist if metric == "level" else self.dyad_tension
            if dyad is None:
                raise ValueError(f"the '{metric}' fan needs a dyad, e.g. dyad='USA–RUS'")
            if store is None:
                raise ValueError("per-dyad trajectories were not recorded for this ensemble "
                                 "(too many dyads, or dyad_levels=False)")
            k = lay.dyad_index(dyad)
            if metric == "level":
                return self._fan_counts(store.counts[:, k, :])
            return self._frame(store.quantiles()[:, :, k], store.mean()[:, k], store.n)
        if metric == "max_level":
            if actor is None:
                return self._fan_counts(self.system_hist.counts)
            return self._fan_counts(self.actor_hist.counts[:, self._actor(actor), :])
        if metric in SERIES:
            if actor is None:
                raise ValueError(f"the '{metric}' fan needs an actor, e.g. actor='{lay.codes[0]}'")
            m = SERIES.index(metric)
            a = self._actor(actor)
            q = self.series.quantiles()[:, m, :, a]
            mean = self.series.mean()[m, :, a]
            return self._frame(q, mean, self.series.n)
        if actor is not None or dyad is not None:
            raise ValueError(f"'{metric}' is a system metric: give no actor or dyad")
        m = SYSTEM.index(metric) - 1
        return self._frame(self.system.quantiles()[:, m, :], self.system.mean()[m], self.system.n)

    def _actor(self, code: str) -> int:
        codes = [c.upper() for c in self.layout.codes]
        try:
            return codes.index(code.upper())
        except ValueError:
            raise KeyError(f"no actor '{code}' (actors: {', '.join(self.layout.codes)})") from None

    def _fan_counts(self, counts: np.ndarray) -> pd.DataFrame:
        from sim.analysis.quantiles import quantile_from_counts

        q = np.stack([quantile_from_counts(counts, p) for p in QUANTILES])
        n = counts.sum(axis=-1)
        mean = np.where(n > 0, (counts * np.arange(counts.shape[-1])).sum(axis=-1) / np.maximum(n, 1), np.nan)
        return self._frame(q, mean, int(n[0]) if n.size else 0)

    def _frame(self, q: np.ndarray, mean: np.ndarray, n: int) -> pd.DataFrame:
        lay = self.layout
        df = pd.DataFrame({"step": np.arange(lay.horizon + 1), "date": list(lay.dates)})
        for name, row in zip(_QCOLS, q, strict=True):
            df[name] = row
        df["mean"] = mean
        df["n"] = n
        return df

    def heatmap(self) -> pd.DataFrame:
        """Mean rung per dyad (rows) and step (columns)."""
        if self.dyad_hist is None:
            raise ValueError("per-dyad trajectories were not recorded for this ensemble "
                             "(too many dyads, or dyad_levels=False)")
        m = self.dyad_hist.mean()  # (H+1, D)
        df = pd.DataFrame(m.T, index=pd.Index(self.layout.dyads, name="dyad"),
                          columns=pd.Index(range(self.layout.horizon + 1), name="step"))
        return df

    def fan_table(self) -> pd.DataFrame:
        """Every fan in one long table: metric, dyad, actor, step, date, q05 … q95, mean, n."""
        lay = self.layout
        parts = []
        steps = np.arange(lay.horizon + 1)

        def block(metric: str, who_d: list[str], who_a: list[str], q: np.ndarray, mean: np.ndarray, n: int) -> None:
            # q: (P, H+1, K), mean: (H+1, K)
            k = q.shape[-1]
            df = pd.DataFrame({
                "metric": metric,
                "dyad": np.repeat(who_d, len(steps)) if who_d else "",
                "actor": np.repeat(who_a, len(steps)) if who_a else "",
                "step": np.tile(steps, k),
                "date": np.tile(np.asarray(lay.dates), k),
            })
            for name, arr in zip(_QCOLS, q, strict=True):
                df[name] = arr.T.reshape(-1)
            df["mean"] = mean.T.reshape(-1)
            df["n"] = n
            parts.append(df)

        from sim.analysis.quantiles import quantile_from_counts

        def counts_q(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            q = np.stack([quantile_from_counts(counts, p) for p in QUANTILES])
            tot = counts.sum(axis=-1)
            mean = np.where(tot > 0, (counts * np.arange(counts.shape[-1])).sum(axis=-1) / np.maximum(tot, 1), np.nan)
            return q, mean

        n = self.n
        if self.dyad_hist is not None:
            q, mean = counts_q(self.dyad_hist.counts)
            block("level", lay.dyads, [], q, mean, n)
        if self.dyad_tension is not None:
            block("tension", lay.dyads, [], self.dyad_tension.quantiles(), self.dyad_tension.mean(), n)
        q, mean = counts_q(self.actor_hist.counts)
        block("max_level", [], list(lay.codes), q, mean, n)
        q, mean = counts_q(self.system_hist.counts[:, None, :])
        block("max_level", [], [""], q, mean, n)
        sq, sm = self.series.quantiles(), self.series.mean()
        for m, name in enumerate(SERIES):
            block(name, [], list(lay.codes), sq[:, m], sm[m], n)
        yq, ym = self.system.quantiles(), self.system.mean()
        for m, name in enumerate(SYSTEM[1:]):
            block(name, [], [""], yq[:, m][:, :, None], ym[m][:, None], n)
        out = pd.concat(parts, ignore_index=True)
        out.loc[out["metric"].isin(["max_level"]) & (out["actor"] == ""), "actor"] = ""
        return out
