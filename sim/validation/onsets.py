"""New disputes per dyad at each MID hostility level, measured over seeded runs.

The Militarized Interstate Dispute data code a dispute's hostility as *threat* of force, *display*
of force, *use* of force and *war* (Palmer et al. 2022, hostlev 2–5). A model dyad has a **new
dispute at a level** in a run when its rung reaches the first rung of that level from below at some
step (``level[t] ≥ r`` and ``level[t-1] < r``): a dyad that starts at war has no new war unless it
leaves the war band and enters it again. :func:`hostility_rungs` maps the levels to the model's
ladder (the model's own mapping when it publishes one, else the documented default).

:func:`measure_onsets` runs one or more scenarios over the **same seeds** on the ensemble
executors (batches of runs stepped together, replication order kept, so results are identical on
any executor and worker count) and folds each batch at once into per-dyad counts; per-run
indicators are kept for the dyads asked for (paired comparisons).

For the kept dyads it also keeps two **time-averaged** per-run measures, which respond to what
happens in a dyad that already sits at a high rung (where a new dispute or a higher peak cannot be
seen): the dyad's rung averaged over the steps of the run (steps 1…H; step 0, the common start, is
left out) and the share of those steps spent at or above the first rung of each level.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.scales import MID_RUNGS, SUPPORT_LEVELS

__all__ = ["LEVELS", "DEFAULT_RUNGS", "hostility_rungs", "Onsets", "fought_for_partner", "measure_onsets"]

#: MID hostility levels measured, in order.
LEVELS: tuple[str, ...] = ("threat", "display", "force", "war")
#: First rung of each level on the ladder, from its bands (:data:`sim.scales.BANDS`, docs/model.md):
#: 2 formal threats, 4 show of force, 5 use of force (limited violence, blockade, strikes), 7 war.
DEFAULT_RUNGS: dict[str, int] = {level: MID_RUNGS[level] for level in LEVELS}
#: Names under which a model may publish the first rung of a level (``sim.model.HOSTILITY`` or
#: ``sim.model.BANDS``).
_ALIASES: dict[str, tuple[str, ...]] = {
    "threat": ("threat",), "display": ("display", "show_of_force"),
    "force": ("force", "use_of_force", "violence"), "war": ("war",),
}

Progress = Callable[[int, int], None]


def hostility_rungs() -> dict[str, int]:
    """First rung of each MID hostility level on the model's ladder.

    Read from the model's published bands (``sim.model.HOSTILITY`` first, then
    ``sim.model.BANDS``) where they name a level; :data:`DEFAULT_RUNGS` for the others.
    """
    import sim.model as model

    out = dict(DEFAULT_RUNGS)
    for source in (getattr(model, "BANDS", None), getattr(model, "HOSTILITY", None)):
        if not isinstance(source, dict):
            continue
        for level, names in _ALIASES.items():
            for name in names:
                if isinstance(source.get(name), int):
                    out[level] = int(source[name])
                    break
    return out


@dataclass
class Onsets:
    """New disputes per dyad over the runs of one scenario (see the module docstring).

    Attributes:
        label: Name of the scenario's run set.
        codes: Actor codes in scenario order.
        dyads: Dyad names ``A–B`` (upper triangle, ``numpy.triu_indices`` order).
        rungs: First rung of each level used.
        runs: Runs that finished.
        years: Length of one run in years.
        start: Rung of each dyad at step 0 (of the first run).
        count: Runs with a new dispute at each level, per dyad: ``{level: (D,) int}``.
        joined: Of the runs counted in ``count["war"]``, those in which one side of the dyad fought
            (troops or joining, support level ≥ 3) for a partner that reached war with the other side
            in the same run: war by alliance support rather than between the pair alone, per dyad
            (``(D,) int``; zeros when the runs carry no support record).
        crossings: New disputes at each level summed over runs (a dyad may have several in a run).
        kept: Per-run indicators of the kept dyads: ``{level: (runs, K) bool}``, K = ``len(keep)``.
        kept_peak: Highest rung of the kept dyads per run, ``(runs, K)``.
        kept_mean: Rung of the kept dyads averaged over steps 1…H per run, ``(runs, K)``.
        kept_share: Share of steps 1…H at or above each level's first rung, per run:
            ``{level: (runs, K) float}``.
        keep: Indices of the kept dyads.
        failures: ``(index, seed, error)`` of runs that raised.
    """

    label: str
    codes: tuple[str, ...]
    dyads: list[str]
    rungs: dict[str, int]
    runs: int = 0
    years: float = 1.0
    start: np.ndarray | None = None
    count: dict[str, np.ndarray] = field(default_factory=dict)
    joined: np.ndarray | None = None
    crossings: dict[str, np.ndarray] = field(default_factory=dict)
    kept: dict[str, list[np.ndarray]] = field(default_factory=dict)
    kept_peak: list[np.ndarray] = field(default_factory=list)
    kept_mean: list[np.ndarray] = field(default_factory=list)
    kept_share: dict[str, list[np.ndarray]] = field(default_factory=dict)
    keep: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    failures: list[tuple[int, int, str]] = field(default_factory=list)

    def dyad_index(self, name: str) -> int:
        """Index of dyad ``A–B`` (either order)."""
        a, b = name.replace("-", "–").split("–")
        i, j = sorted((self.codes.index(a), self.codes.index(b)))
        n = len(self.codes)
        return i * n - i * (i + 1) // 2 + (j - i - 1)

    def rate(self, level: str) -> np.ndarray:
        """Share of runs with a new dispute at ``level``, per dyad."""
        return self.count[level] / max(1, self.runs)

    def yearly(self, level: str) -> np.ndarray:
        """Yearly probability of a new dispute at ``level``, per dyad (``1 − (1 − p)^(1/years)``)."""
        p = np.clip(self.rate(level), 0.0, 1.0)
        return 1.0 - (1.0 - p) ** (1.0 / self.years) if not math.isclose(self.years, 1.0) else p

    def per_run(self, level: str, dyad: str) -> np.ndarray:
        """Per-run indicator of a new dispute at ``level`` for a kept dyad."""
        k = int(np.flatnonzero(self.keep == self.dyad_index(dyad))[0])
        return np.concatenate(self.kept[level])[:, k] if self.kept[level] else np.zeros(0, dtype=bool)

    def peaks(self, dyad: str) -> np.ndarray:
        """Per-run highest rung of a kept dyad."""
        k = int(np.flatnonzero(self.keep == self.dyad_index(dyad))[0])
        return np.concatenate(self.kept_peak)[:, k] if self.kept_peak else np.zeros(0, dtype=np.int8)

    def mean_rung(self, dyad: str) -> np.ndarray:
        """Per-run rung of a kept dyad averaged over steps 1…H (the time-averaged rung)."""
        k = int(np.flatnonzero(self.keep == self.dyad_index(dyad))[0])
        return np.concatenate(self.kept_mean)[:, k] if self.kept_mean else np.zeros(0)

    def share(self, level: str, dyad: str) -> np.ndarray:
        """Per-run share of steps 1…H a kept dyad spends at or above the first rung of ``level``."""
        k = int(np.flatnonzero(self.keep == self.dyad_index(dyad))[0])
        return np.concatenate(self.kept_share[level])[:, k] if self.kept_share.get(level) else np.zeros(0)

    # ---------------------------------------------------------------- folding
    def add_batch(self, indices: list[int], batch: Any) -> None:
        """Fold a :class:`~sim.analysis.digest.RunBatch` (with per-step dyad rungs) into the counts."""
        lv = batch.levels
        if lv is None:
            raise ValueError("onsets need the per-step dyad rungs (run with dyad_levels=True)")
        if self.start is None:
            self.start = np.asarray(lv[0, 0], dtype=np.int8).copy()
        for level in LEVELS:
            above = lv >= self.rungs[level]
            new = above[:, 1:] & ~above[:, :-1]                 # (R, H, D)
            n_new = new.sum(axis=1)                             # (R, D)
            self.count[level] = self.count.get(level, 0) + (n_new > 0).sum(axis=0)
            self.crossings[level] = self.crossings.get(level, 0) + n_new.sum(axis=0)
            if len(self.keep):
                self.kept.setdefault(level, []).append(n_new[:, self.keep] > 0)
            if level == "war":
                via = fought_for_partner(np.asarray(batch.peak), getattr(batch, "support", None), self.rungs["war"], len(self.codes))
                self.joined = (0 if self.joined is None else self.joined) + ((n_new > 0) & via).sum(axis=0)
        if len(self.keep):
            self.kept_peak.append(np.asarray(batch.peak)[:, self.keep])
            path = np.asarray(lv[:, 1:, self.keep])             # (R, H, K), the start left out (H ≥ 1)
            self.kept_mean.append(path.mean(axis=1, dtype=float))
            for level in LEVELS:
                self.kept_share.setdefault(level, []).append((path >= self.rungs[level]).mean(axis=1))
        self.runs += len(batch)

    def add(self, index: int, seed: int, digest: Any, error: str | None) -> None:
        """Fold one run (the engine's per-run sink); a failed run is recorded."""
        if digest is None:
            self.failures.append((index, seed, error or ""))
            return
        from sim.analysis.digest import RunBatch

        self.add_batch([index], RunBatch.stack([digest]))


def fought_for_partner(peak: np.ndarray, support: np.ndarray | None, war: int, n: int) -> np.ndarray:
    """``(R, D)``: dyad (i, j) had a side that fought for a partner at war with the other side in the run.

    ``peak`` is the runs' highest rung per dyad (``(R, D)``, upper-triangle order), ``support`` the
    highest support each state gave each partner (``(R, N, N)``, row the supporter; ``troops`` or
    ``join`` of :data:`sim.scales.SUPPORT_LEVELS` is fighting the partner's fight). True for (i, j) when
    i fought for some k whose dyad with j reached war, or j for some k whose dyad with i did.
    """
    none = np.zeros(peak.shape, dtype=bool)
    if support is None:
        return none
    rn, i, k = np.nonzero(np.asarray(support) >= SUPPORT_LEVELS.index("troops"))
    if rn.size == 0:  # nobody fought for anyone: the common case, and no N × N work
        return none
    iu, ju = np.triu_indices(n, 1)
    at_war = np.zeros((peak.shape[0], n, n), dtype=bool)
    at_war[:, iu, ju] = peak >= war
    at_war |= at_war.transpose(0, 2, 1)
    # i fought for k: i's row gains k's enemies at war (over the few such pairs, not a product over all k:
    # 3× faster than the einsum it replaced for 30 runs of 160 states, the same result on random inputs)
    via = np.zeros_like(at_war)
    np.logical_or.at(via, (rn, i), at_war[rn, k])
    via |= via.transpose(0, 2, 1)
    return via[:, iu, ju]


def measure_onsets(scenarios: Sequence[Any], runs: int, seed: int = 0, *, labels: Sequence[str] | None = None,
                   keep: Sequence[str] = (), executor: Any = "process", workers: int | None = None,
                   progress: Progress | None = None, batch_size: int | None = None) -> list[Onsets]:
    """Run each scenario ``runs`` times on the same seeds and count new disputes per dyad and level.

    Args:
        scenarios: Validated scenarios (variants applied); run ``k`` of each uses seed
            ``child_seeds(seed, runs)[k]`` (common random numbers across scenarios).
        runs: Replications per scenario.
        seed: Master seed.
        labels: Names of the scenarios' run sets.
        keep: Dyads (``A–B``) whose per-run indicators are kept (must be in every scenario).
        executor: ``"process"``, ``"inprocess"``, ``"dask"`` or an executor (see
            :func:`sim.ensemble.open_executor`).
        workers: Worker processes.
        progress: ``progress(done, total)`` over all runs.
        batch_size: Runs per task (default: adaptive).

    Returns:
        One :class:`Onsets` per scenario, in order.
    """
    from sim.ensemble.engine import Job, execute
    from sim.ensemble.executors import ExecutorHandle, open_executor
    from sim.ensemble.seeds import child_seeds
    from sim.errors import FlashpointError

    if int(runs) < 1:
        raise FlashpointError(f"runs must be at least 1, got {runs}")
    seeds = child_seeds(int(seed), int(runs))
    rungs = hostility_rungs()
    names = list(labels) if labels is not None else [sc.id for sc in scenarios]
    outs, jobs = [], []
    for sc, name in zip(scenarios, names, strict=True):
        codes = tuple(sc.codes)
        n = len(codes)
        iu = np.triu_indices(n, 1)
        dyads = [f"{codes[a]}–{codes[b]}" for a, b in zip(iu[0].tolist(), iu[1].tolist(), strict=True)]
        o = Onsets(label=name, codes=codes, dyads=dyads, rungs=rungs,
                   years=sc.calendar.horizon * sc.calendar.step_days / 365.25)
        o.keep = np.array([o.dyad_index(d) for d in keep], dtype=np.int64)
        outs.append(o)
        jobs.append(Job(scenario=sc, seeds=seeds, sink=o.add, batch_sink=o.add_batch, dyad_levels=True, label=name))
    handle = executor if isinstance(executor, ExecutorHandle) else open_executor(executor, workers)
    try:
        execute(jobs, handle, progress=progress, batch_size=batch_size)
    finally:
        if not isinstance(executor, ExecutorHandle):
            handle.close()
    return outs
