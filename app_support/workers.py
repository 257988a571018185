"""Run in each worker process of the app's pool when the pool starts: every worker starts warm.

No Streamlit here. :func:`app_support.state.executor` maps :func:`warm` over the new pool's
workers (in the background thread that starts the pool), so that each worker has stepped one
replication of the founding scenario — every first-use cost of building a world and stepping the
model — before the first ensemble is asked for (the pool's initializer,
:func:`sim.ensemble.worker.init_worker`, has already imported the model and read the catalog).
Without this, the first task of every worker paid those costs on the first click after a server
start (measured before the initializer read the catalog: the first 200-run ensemble took 1.19 s
against 0.63 s with warm workers, on a loaded 2-vCPU machine). A failure here is ignored: a worker
then warms up on its first task.
"""

from __future__ import annotations

__all__ = ["warm"]

_warm = False


def warm(_: object = None) -> bool:
    """Run one replication of the founding scenario, once per process."""
    global _warm
    if _warm:
        return True
    _warm = True  # a failure below is not retried
    try:
        from app_support import library
        from sim.ensemble.worker import Task, run_batch

        path = library.SCENARIO_DIR / "korea-russia-2024.yaml"
        if path.exists():
            scenario = library.parse_text(path.read_text("utf-8"), f"scenarios/{path.name}")
            run_batch(Task(job=0, scenario=scenario, items=[(0, 0)]))
    except Exception:  # noqa: BLE001 — warming is an optimisation, never a reason to fail
        pass
    return True
