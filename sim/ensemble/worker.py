"""What a worker does: run a batch of seeded replications and digest each one.

This module is imported once per worker process (the pool's initializer, :func:`init_worker`,
imports the model so that no run pays the import cost). A task is a :class:`Task`: one scenario
(a variant already applied) and a list of ``(replication index, seed)`` pairs. :func:`run_batch`
runs them one after the other and returns, for each, either a
:class:`~sim.analysis.digest.RunDigest` or the error text — a run that raises never stops the
others.
"""

from __future__ import annotations

import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.analysis.digest import RunDigest

__all__ = ["Task", "BatchResult", "RunFn", "digest_run", "dyad_tension", "run_one", "run_batch", "init_worker"]

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


@dataclass
class BatchResult:
    """What came back from a :class:`Task`: per replication a digest or an error, and the time."""

    job: int
    done: list[tuple[int, int, RunDigest | None, str | None]] = field(default_factory=list)
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
    ip, fp = result.initial_pledge, result.final_pledge
    if ip is not None and fp is not None:
        ip2 = np.maximum(ip, ip.T)[iu] >= 0.5
        fp2 = np.maximum(fp, fp.T)[iu] >= 0.5
        new, lost = fp2 & ~ip2, ip2 & ~fp2
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
        first=np.stack([np.asarray(fc[r][iu], dtype=np.int16) for r in (5, 7, 9)]),
        alliance_new=new,
        alliance_lost=lost,
        milex_change=(milex[-1] / start - 1.0).astype(np.float32),
        series=np.stack([np.asarray(s[k], dtype=np.float32) for k in ("milex", "capability", "max_threat")]),
        actor_level=np.asarray(s["max_level"], dtype=np.int8),
        system=np.stack([np.asarray(sy[k], dtype=np.float32) for k in ("max_level", "mean_threat", "dyads_violent", "dyads_war")]),
        levels=levels,
        tension=tension,
        seconds=float(result.meta.get("seconds", 0.0)) if getattr(result, "meta", None) else 0.0,
    )


def run_one(scenario: Any, seed: int, dyad_levels: bool = True) -> RunDigest:
    """Run ``scenario`` once with ``seed`` and digest the result.

    The model runs in its lean ``record="summary"`` mode (no narrative explanations, no N×N
    histories; outcomes are the same as in ``"full"`` mode). When ``dyad_levels`` is true the run is
    stepped here, the Mesa way (``model.step()`` to the horizon), and the rung of every dyad is
    read after each step, with its tension (the higher of the two directed threats) — the per-dyad
    trajectories that fan charts and heat maps need, without the cost of the full mode's
    explanations.
    """
    from sim.model import CrisisModel, run_scenario

    t0 = time.perf_counter()
    if not dyad_levels:
        dg = digest_run(run_scenario(scenario, seed=int(seed), record="summary"), False)
        dg.seconds = time.perf_counter() - t0
        return dg
    model = CrisisModel(scenario, int(seed), record="summary")
    w = model.world
    iu = np.triu_indices(w.n, 1)
    horizon = scenario.calendar.horizon
    levels = np.empty((horizon + 1, len(iu[0])), dtype=np.int8)
    tension = np.empty((horizon + 1, len(iu[0])), dtype=np.float32)
    levels[0] = w.level[iu]
    tension[0] = dyad_tension(w.threat, iu)
    initial_pledge = w.pledge.copy()
    for t in range(1, horizon + 1):
        model.step()
        levels[t] = w.level[iu]
        tension[t] = dyad_tension(w.threat, iu)
    dg = digest_run(_ModelView(model, initial_pledge), False)
    dg.levels = levels
    dg.tension = tension
    dg.seconds = time.perf_counter() - t0
    return dg


class _ModelView:
    """The fields of a :class:`~sim.model.RunResult` that :func:`digest_run` reads, from a model."""

    def __init__(self, model: Any, initial_pledge: np.ndarray):
        w = model.world
        self.seed = model.seed
        self.codes = list(w.codes)
        self.peak = model.peak
        self.final_level = w.level
        self.first_cross = model.first_cross
        self.initial_pledge = initial_pledge
        self.final_pledge = w.pledge
        self.series = model.series
        self.system = model.system
        self.level_hist = None
        self.meta = None


def _error_text(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" (at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno} in {tb[-1].name})" if tb else ""
    return f"{type(exc).__name__}: {exc}{where}"


def run_batch(task: Task) -> BatchResult:
    """Run every replication of ``task``; a run that raises is recorded with its error text."""
    fn = task.run_fn or run_one
    out = BatchResult(job=task.job)
    t0 = time.perf_counter()
    for index, seed in task.items:
        try:
            out.done.append((index, seed, fn(task.scenario, seed, task.dyad_levels), None))
        except Exception as exc:  # noqa: BLE001 — a failing run is data, reported with its seed
            out.done.append((index, seed, None, _error_text(exc)))
    out.seconds = time.perf_counter() - t0
    return out


def init_worker() -> None:
    """Initialise a worker process: import the model once; leave Ctrl-C to the parent.

    The parent process handles ``KeyboardInterrupt`` (it stops submitting, keeps finished runs and
    shuts the pool down), so workers ignore SIGINT and finish the batch they are running.
    """
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):  # not the main thread of the worker (e.g. some executors)
        pass
    import sim.model  # noqa: F401 — pay the import once per worker, not per run
