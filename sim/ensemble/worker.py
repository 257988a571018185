"""What a worker does: run a batch of seeded replications and digest each one.

This module is imported once per worker process (the pool's initializer, :func:`init_worker`,
imports the model so that no run pays the import cost). A task is a :class:`Task`: one scenario
(a variant already applied) and a list of ``(replication index, seed)`` pairs. :func:`run_batch`
steps them together in one model (:func:`run_lanes`) and returns their digests stacked in a
:class:`~sim.analysis.digest.RunBatch` and the error text of any run that raised — a run that
raises never stops the others.
"""

from __future__ import annotations

import gc
import os
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.analysis.digest import BAND_RUNGS, RunBatch, RunDigest

__all__ = ["Task", "BatchResult", "RunFn", "LANE_CELLS", "digest_run", "dyad_tension", "lanes_for", "run_lanes", "run_one",
           "run_batch", "init_worker", "warm_catalog"]

#: A run function: ``(scenario, seed, dyad_levels) -> RunDigest``.
RunFn = Callable[[Any, int, bool], RunDigest]


@dataclass
class Task:
    """A batch of replications of one scenario, shipped to a worker."""

    job: int
    scenario: Any
    items: list[tuple[int, int]]
    dyad_levels: bool = True
    run_fn: RunFn | None = None
    retry: bool = False
    #: Run with no other task in flight (a suspect after a worker died).
    solo: bool = False


@dataclass
class BatchResult:
    """What came back from a :class:`Task`: the runs that finished, the runs that raised, the time.

    ``parts`` pairs replication indices with a :class:`~sim.analysis.digest.RunBatch` of their
    runs (index ``k`` of the list is run ``k`` of the batch); ``errors`` holds
    ``(index, seed, error text)`` of each run that raised.
    """

    job: int
    parts: list[tuple[list[int], RunBatch]] = field(default_factory=list)
    errors: list[tuple[int, int, str]] = field(default_factory=list)
    seconds: float = 0.0


def dyad_tension(threat: np.ndarray, iu: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Tension of each unordered dyad ``i < j``: ``max(threat[..., i, j], threat[..., j, i])``, float32."""
    t = np.asarray(threat)
    return np.maximum(t[..., iu[0], iu[1]], t[..., iu[1], iu[0]]).astype(np.float32)


def digest_run(result: Any, dyad_levels: bool = True) -> RunDigest:
    """Reduce a :class:`~sim.model.RunResult` to the :class:`RunDigest` an ensemble keeps."""
    n = len(result.codes)
    iu = np.triu_indices(n, 1)
    fc = result.first_cross
    initial, final_pledge = result.initial_pledge, result.final_pledge
    if initial is not None and final_pledge is not None:
        pledged_before = np.maximum(initial, initial.T)[iu] >= 0.5
        pledged_after = np.maximum(final_pledge, final_pledge.T)[iu] >= 0.5
        new, lost = pledged_after & ~pledged_before, pledged_before & ~pledged_after
    else:
        new = lost = np.zeros(len(iu[0]), dtype=bool)
    s = result.series
    milex = np.asarray(s["milex"], dtype=float)
    start = np.where(milex[0] != 0, milex[0], 1.0)
    sy = result.system
    levels = tension = None
    if dyad_levels and result.level_hist is not None:
        levels = np.asarray(result.level_hist[:, iu[0], iu[1]], dtype=np.int8)
        th = getattr(result, "threat_hist", None)
        if th is not None:
            tension = dyad_tension(th, iu)
    return RunDigest(
        seed=int(result.seed),
        codes=tuple(result.codes),
        peak=np.asarray(result.peak[iu], dtype=np.int8),
        final=np.asarray(result.final_level[iu], dtype=np.int8),
        first=np.stack([np.asarray(fc[r][iu], dtype=np.int16) for r in BAND_RUNGS.values()]),
        alliance_new=new,
        alliance_lost=lost,
        milex_change=(milex[-1] / start - 1.0).astype(np.float32),
        series=np.stack([np.asarray(s[k], dtype=np.float32) for k in ("milex", "capability", "max_threat")]),
        actor_level=np.asarray(s["max_level"], dtype=np.int8),
        system=np.stack([np.asarray(sy[k], dtype=np.float32) for k in ("max_level", "mean_threat", "dyads_violent", "dyads_war")]),
        levels=levels,
        tension=tension,
        support=None if getattr(result, "support_max", None) is None else np.asarray(result.support_max, dtype=np.int8),
        seconds=float(result.meta.get("seconds", 0.0)) if getattr(result, "meta", None) else 0.0,
    )


#: Most dyad cells (replications × N × N) stepped together in one model: bounds a worker's memory
#: (about 40 arrays of that many float64 cells) — 8 actors allow 6,250 replications at once, the
#: 195-state world 10.
LANE_CELLS = 400_000


def lanes_for(n_actors: int) -> int:
    """How many replications of an ``n_actors`` scenario one model steps together."""
    return max(1, LANE_CELLS // max(1, n_actors * n_actors))


def run_lanes(scenario: Any, seeds: list[int], dyad_levels: bool = True) -> RunBatch:
    """Run ``scenario`` once per seed, the replications stepped together, and digest them.

    One :class:`~sim.model.CrisisModel` holds all the replications (arrays ``[runs, N, N]``) and is
    stepped the Mesa way, ``model.step()`` to the horizon. Replication ``r`` depends on its own
    seed only: its digest (``batch.digest(r)``) is the same as :func:`run_one` gives for that seed
    (tested). When ``dyad_levels`` is true every dyad's rung and tension (the higher of its two
    directed threats) is kept for every step — the per-dyad trajectories that fan charts and heat
    maps need.

    Returns:
        A :class:`~sim.analysis.digest.RunBatch`, run ``r`` for ``seeds[r]``.
    """
    from sim.model import CrisisModel

    t0 = time.perf_counter()
    model = CrisisModel(scenario, seeds=[int(s) for s in seeds], record="dyads" if dyad_levels else "summary")
    for _ in range(scenario.calendar.horizon):
        model.step()
    w = model.world
    iu = np.triu_indices(w.n, 1)
    pledged_before = np.maximum(model.initial_pledge, model.initial_pledge.transpose(0, 2, 1))[:, iu[0], iu[1]] >= 0.5
    pledged_after = np.maximum(w.pledge, w.pledge.transpose(0, 2, 1))[:, iu[0], iu[1]] >= 0.5
    milex = model.series["milex"]
    start = np.where(milex[0] != 0, milex[0], 1.0)

    def runs_first(a: np.ndarray, axis: int, dtype: Any) -> np.ndarray:
        return np.ascontiguousarray(np.moveaxis(a, axis, 0), dtype=dtype)

    batch = RunBatch(
        seeds=np.array([int(s) for s in seeds], dtype=np.int64),
        codes=tuple(w.codes),
        peak=model.peak[:, iu[0], iu[1]].astype(np.int8),
        final=w.level[:, iu[0], iu[1]].astype(np.int8),
        first=runs_first(np.stack([model.first_cross[b][:, iu[0], iu[1]] for b in BAND_RUNGS.values()]), 1, np.int16),
        alliance_new=pledged_after & ~pledged_before,
        alliance_lost=pledged_before & ~pledged_after,
        milex_change=(milex[-1] / start - 1.0).astype(np.float32),
        series=runs_first(np.stack([model.series[k] for k in ("milex", "capability", "max_threat")]), 2, np.float32),
        actor_level=runs_first(model.series["max_level"], 1, np.int8),
        system=runs_first(np.stack([model.system[k] for k in ("max_level", "mean_threat", "dyads_violent",
                                                               "dyads_war")]), 2, np.float32),
        levels=runs_first(model.dyad_level, 1, np.int8) if dyad_levels else None,
        tension=runs_first(model.dyad_tension, 1, np.float32) if dyad_levels else None,
        support=model.support_max.astype(np.int8),
    )
    batch.seconds = np.full(len(seeds), (time.perf_counter() - t0) / len(seeds))
    return batch


def run_one(scenario: Any, seed: int, dyad_levels: bool = True) -> RunDigest:
    """Run ``scenario`` once with ``seed`` and digest the result (a batch of one, see :func:`run_lanes`)."""
    return run_lanes(scenario, [int(seed)], dyad_levels).digest(0)


def _error_text(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" (at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno} in {tb[-1].name})" if tb else ""
    return f"{type(exc).__name__}: {exc}{where}"


def run_batch(task: Task) -> BatchResult:
    """Run every replication of ``task``; a run that raises is recorded with its error text.

    With the model's own run function the replications are stepped together
    (:func:`run_lanes`, at most :func:`lanes_for` at a time). If a batch raises, its runs are
    repeated one at a time so that each failure is reported with its own seed.
    """
    out = BatchResult(job=task.job)
    t0 = time.perf_counter()
    if _BLAS_LIMITED:
        _run_task(task, out)
    else:
        with _one_blas_thread():
            _run_task(task, out)
    _collect_garbage(task)
    out.seconds = time.perf_counter() - t0
    return out


#: Collect garbage after a task once the process has grown by this much since the last collection.
GC_GROWTH_BYTES = 64 * 2**20
_rss_after_gc: int | None = None


def _rss() -> int | None:
    """Resident memory of this process in bytes (Linux ``/proc``; ``None`` elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _collect_garbage(task: Task) -> None:
    """Free the finished models now: they sit in reference cycles that only a full GC pass breaks.

    The cycle collector counts objects, not bytes, so a worker that steps a few large models
    (arrays of ``runs × N × N``) grew by hundreds of MB before a pass ran (measured: 120 actors,
    12 tasks of 27 runs: 301 → 743 MB; with a collection after each task flat at 276 MB). A full
    pass costs tens of milliseconds, so it runs only when the process has grown by
    :data:`GC_GROWTH_BYTES` since the last one (where the resident size cannot be read: after
    tasks with a large model).
    """
    global _rss_after_gc
    cells = min(len(task.items), lanes_for(len(task.scenario.actors))) * len(task.scenario.actors) ** 2
    now = _rss()
    if cells >= LANE_CELLS // 4 or now is None:  # a large model (its arrays alone tens of MB)
        if cells >= LANE_CELLS // 4:
            gc.collect()
            _rss_after_gc = _rss()
        return
    if _rss_after_gc is None:
        _rss_after_gc = now
    if now - _rss_after_gc >= GC_GROWTH_BYTES:
        gc.collect()
        _rss_after_gc = _rss()


#: True in a worker process whose BLAS is limited to one thread for good (see :func:`init_worker`).
_BLAS_LIMITED = False


def _one_blas_thread():
    """Limit BLAS to one thread while a task runs (restored afterwards).

    Workers already fill the cores; BLAS threads competing with other workers made the 195-state
    world five times slower (measured: 1.64 s against 0.42 s per run on 2 cores). A local pool's
    workers set the limit once (:func:`init_worker`); other executors' tasks (Dask workers, the
    calling process) set it per task, which costs a scan of the loaded libraries (~10 ms).
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1, user_api="blas")


#: Fault injection for tests only: a worker that is about to run one of these seeds (a
#: comma-separated list in this environment variable) kills itself with SIGKILL, as the kernel's
#: out-of-memory killer would. Read once per process; unset in normal use.
KILL_SEEDS_ENV = "FLASHPOINT_TEST_KILL_SEEDS"
_KILL_SEEDS = frozenset(int(x) for x in os.environ.get(KILL_SEEDS_ENV, "").split(",") if x.strip().isdigit())


def _fault_injection(task: Task) -> None:
    if _KILL_SEEDS and any(s in _KILL_SEEDS for _, s in task.items) and hasattr(signal, "SIGKILL"):
        os.kill(os.getpid(), signal.SIGKILL)


def _run_task(task: Task, out: BatchResult) -> None:
    _fault_injection(task)
    if task.run_fn is None:
        size = lanes_for(len(task.scenario.actors))
        for a in range(0, len(task.items), size):
            chunk = task.items[a:a + size]
            try:
                batch = run_lanes(task.scenario, [s for _, s in chunk], task.dyad_levels)
            except Exception:  # noqa: BLE001 — find the failing runs one by one
                _one_by_one(out, task, chunk, run_one)
            else:
                out.parts.append(([index for index, _ in chunk], batch))
    else:
        _one_by_one(out, task, task.items, task.run_fn)


def _one_by_one(out: BatchResult, task: Task, items: list[tuple[int, int]], fn: RunFn) -> None:
    indices: list[int] = []
    digests: list[RunDigest] = []
    for index, seed in items:
        try:
            dg = fn(task.scenario, seed, task.dyad_levels)
        except Exception as exc:  # noqa: BLE001 — a failing run is data, reported with its seed
            out.errors.append((index, seed, _error_text(exc)))
        else:
            indices.append(index)
            digests.append(dg)
    if digests:
        out.parts.append((indices, RunBatch.stack(digests)))


def init_worker() -> None:
    """Initialise a worker process: import the model, one BLAS thread, the catalog read; no Ctrl-C.

    The parent process handles ``KeyboardInterrupt`` (it stops submitting, keeps finished runs and
    shuts the pool down), so workers ignore SIGINT and finish the batch they are running.
    """
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):  # not the main thread of the worker (e.g. some executors)
        pass
    import sim.model  # noqa: F401 — pay the import once per worker, not per run

    global _BLAS_LIMITED
    _one_blas_thread()  # for the life of this worker process, which does nothing else
    _BLAS_LIMITED = True
    warm_catalog()


def warm_catalog() -> None:
    """Read the catalog tables a world is built from (states, ATOP, distances, contiguity, rivalries), once per process."""
    try:
        from sim.catalog import load_catalog

        cat = load_catalog()
        codes = cat.codes(2010)[:2]
        cat.state(codes[0], 2010)
        cat.alliances(codes, 2010)
        cat.contiguity(codes, 2010)
        cat.min_distance(codes)
        cat.rivalries(codes, 2010)
    except Exception:  # noqa: BLE001 — warming is an optimisation; a task reads them if need be
        pass
