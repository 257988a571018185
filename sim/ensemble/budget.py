"""What a request will cost, before it runs: worker count, time and memory, with limits.

A scenario may be large but legal (hundreds of actors, thousands of steps), and an ensemble may ask
for a million runs with every trajectory kept. :func:`estimate` gives a rough figure for the time
and memory of ``runs`` replications (``runs=1, single=True``: one ``flashpoint run`` with full
histories), and :func:`check` turns it into a verdict: fine, a warning to show, or a
:class:`~sim.errors.LimitError` that a caller can override (``--force`` in the CLI).

The cost model is deliberately simple — the model's work grows with the dyads (``N²``) times the
steps — with constants measured on the project's 2-core machine (see docs/performance.md):

* an ensemble run: ``ENSEMBLE_RUN_SECONDS + ENSEMBLE_CELL_SECONDS · N² · steps`` CPU seconds
  (replications stepped together in a worker); a single run with full histories
  ``SINGLE_RUN_SECONDS + SINGLE_CELL_SECONDS · N² · steps``;
* memory of the calling process: the per-run indicators every ensemble keeps (about ten bytes per
  dyad, one per ordered pair and four per actor), plus, with ``keep_runs``, each run's trajectories (rung and tension per
  dyad per step, three series per actor per step) and the Python objects that hold them; a single
  run with full histories keeps about ``SINGLE_CELL_BYTES`` per dyad and step.

Estimates are rough (within about a factor of two of what was measured) and meant for orders of
magnitude: minutes or hours, megabytes or gigabytes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sim.ensemble.executors import default_workers
from sim.errors import LimitError

__all__ = ["Estimate", "estimate", "check", "plan_workers", "available_memory", "MEMORY_SHARE", "MAX_CPU_HOURS"]

#: CPU seconds of one replication in an ensemble, fixed part and per dyad-step (N² · steps).
ENSEMBLE_RUN_SECONDS = 1e-3
ENSEMBLE_CELL_SECONDS = 2.5e-6
#: CPU seconds of one run with full histories (``flashpoint run``), fixed and per dyad-step.
SINGLE_RUN_SECONDS = 0.3
SINGLE_CELL_SECONDS = 4e-6
#: Bytes a single run with full histories holds per dyad-step (measured: 1.3 GB for 250 actors ×
#: 2,000 steps), and a worker process's baseline.
SINGLE_CELL_BYTES = 11
PROCESS_BYTES = 250 * 2**20
#: Refuse (without an override) when the estimate exceeds this share of the available memory.
MEMORY_SHARE = 0.5
#: Warn above a quarter of it.
WARN_MEMORY_SHARE = 0.25
#: Refuse (without an override) above this many CPU hours; warn above a minute of wall time.
MAX_CPU_HOURS = 6.0
WARN_SECONDS = 60.0


@dataclass(frozen=True)
class Estimate:
    """Rough cost of a request: CPU seconds, wall seconds on ``workers``, bytes in this process."""

    cpu_seconds: float
    wall_seconds: float
    memory_bytes: int
    workers: int
    what: str

    def text(self) -> str:
        """The estimate in words, e.g. ``about 3 min on 2 workers and 1.2 GB`` or ``under a second on 1 worker …``."""
        wall = _duration(self.wall_seconds)
        wall = wall if self.wall_seconds < 1 else f"about {wall}"  # "under a second" needs no "about"
        workers = f"{self.workers} worker{'' if self.workers == 1 else 's'}"
        return f"{self.what}: {wall} on {workers} and {_size(self.memory_bytes)} of memory"


def available_memory() -> int:
    """Bytes of memory available to new work (``MemAvailable`` on Linux; else physical memory)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 8 * 2**30


def plan_workers(requested: int | None, runs: int | None = None) -> tuple[int, str | None]:
    """Return the local worker count to use and, when the request was cut, why.

    More worker processes than cores only compete for them (and each holds a copy of the model),
    and more than the runs have nothing to do: the count is capped at both.
    """
    cores = default_workers()
    want = cores if requested is None else int(requested)
    n = max(1, min(want, cores, int(runs) if runs else want))
    if requested is None or n == int(requested):
        return n, None
    why = f"the {cores} core(s) available" if n == cores else f"the {runs} run(s) requested"
    return n, f"--workers {requested}: using {n} worker process(es), capped at {why}"


def estimate(n_actors: int, steps: int, runs: int, *, workers: int = 1, keep_runs: bool = False,
             dyad_levels: bool = True, single: bool = False) -> Estimate:
    """Estimate the cost of ``runs`` replications of an ``n_actors`` × ``steps`` scenario.

    Args:
        n_actors: Actors in the scenario (variant applied).
        steps: The horizon in steps.
        runs: Replications (all ensembles of a command together).
        workers: Worker processes sharing the work.
        keep_runs: Every run's trajectories are kept in memory (``--keep-runs``).
        dyad_levels: Per-dyad per-step rungs are recorded (kept runs hold them).
        single: One run with full histories (``flashpoint run``).
    """
    n, s, r = max(1, int(n_actors)), max(1, int(steps)), max(1, int(runs))
    cells = n * n * s
    if single:
        cpu = r * (SINGLE_RUN_SECONDS + SINGLE_CELL_SECONDS * cells)
        mem = PROCESS_BYTES + r * SINGLE_CELL_BYTES * cells
        return Estimate(cpu, cpu, int(mem), 1, f"{r:,} run(s) of {n:,} actors × {s:,} steps")
    d = n * (n - 1) // 2
    per_run = 10 * d + n * n + 4 * n + 64                      # the per-run indicators (n²: support given)
    if keep_runs:
        per_run += (s + 1) * ((5 if dyad_levels else 0) * d + 13 * n + 16) + 13 * 120 + 200
    cpu = r * (ENSEMBLE_RUN_SECONDS + ENSEMBLE_CELL_SECONDS * cells)
    w = max(1, int(workers))
    return Estimate(cpu, cpu / w, int(PROCESS_BYTES + r * per_run), w,
                    f"{r:,} run(s) of {n:,} actors × {s:,} steps" + (" keeping every run" if keep_runs else ""))


def check(est: Estimate, *, force: bool = False, memory: int | None = None) -> str | None:
    """Judge an estimate: ``None`` (fine), a warning to show, or a :class:`LimitError`.

    Raises:
        LimitError: the memory estimate exceeds :data:`MEMORY_SHARE` of the available memory, or
            the CPU time :data:`MAX_CPU_HOURS`, and ``force`` is false.
    """
    avail = available_memory() if memory is None else int(memory)
    over_mem = est.memory_bytes > MEMORY_SHARE * avail
    over_cpu = est.cpu_seconds > MAX_CPU_HOURS * 3600
    if (over_mem or over_cpu) and not force:
        why = (f"more than {MEMORY_SHARE:.0%} of the {_size(avail)} available" if over_mem
               else f"more than the {MAX_CPU_HOURS:g} CPU hours allowed without --force")
        raise LimitError(f"refused — {est.text()}, {why}. Ask for fewer runs or a smaller scenario"
                         + (", drop --keep-runs" if "keeping" in est.what else "")
                         + ", or pass --force to run it anyway.")
    if over_mem or over_cpu or est.memory_bytes > WARN_MEMORY_SHARE * avail or est.wall_seconds > WARN_SECONDS:
        return f"note: {est.text()} (rough estimate)"
    return None


def _duration(sec: float) -> str:
    if sec < 90:
        return f"{max(sec, 0.1):.0f} s" if sec >= 1 else "under a second"
    if sec < 5400:
        return f"{sec / 60:.0f} min"
    if sec < 48 * 3600:
        return f"{sec / 3600:.1f} h"
    return f"{sec / 86400:.1f} days"


def _size(b: float) -> str:
    for unit, k in (("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if b >= k:
            return f"{b / k:.1f} {unit}"
    return f"{b:.0f} B"
