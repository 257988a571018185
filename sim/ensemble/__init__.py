"""Ensembles: seeded replications of a scenario on one core, local processes or a Dask cluster.

Key parts: :func:`run_ensemble` and :class:`EnsembleResult` (:mod:`sim.ensemble.ensemble`),
:func:`child_seeds` (:mod:`sim.ensemble.seeds`: the seed hierarchy), the executors
(:mod:`sim.ensemble.executors`), the scheduling loop that keeps results in replication order
(:mod:`sim.ensemble.engine`), what a worker does (:mod:`sim.ensemble.worker`) and parameter sweeps
over a scenario's uncertainties (:mod:`sim.ensemble.sweep`), comparisons run on common seeds
(:func:`compare`, :mod:`sim.ensemble.comparison`). Statistics live in :mod:`sim.analysis`,
files in :mod:`sim.storage`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim._lazy import lazy_exports

if TYPE_CHECKING:
    from sim.ensemble.comparison import ComparisonResult, compare
    from sim.ensemble.ensemble import DYAD_LEVELS_LIMIT, EnsembleResult, run_ensemble, run_many
    from sim.ensemble.executors import open_executor
    from sim.ensemble.seeds import child_seeds
    from sim.ensemble.sweep import SweepResult, latin_hypercube, run_sweep

#: Where each public name lives. Imported on first use (PEP 562), so that a command can open a
#: process pool — :mod:`sim.ensemble.executors` needs only the standard library — before this
#: process imports pandas and the statistics, and its workers import the model meanwhile.
_HOME = {
    "DYAD_LEVELS_LIMIT": "ensemble", "EnsembleResult": "ensemble", "run_ensemble": "ensemble",
    "run_many": "ensemble", "open_executor": "executors", "child_seeds": "seeds",
    "SweepResult": "sweep", "latin_hypercube": "sweep", "run_sweep": "sweep",
    "compare": "comparison", "ComparisonResult": "comparison",
}


__getattr__, __dir__ = lazy_exports(__name__, _HOME)


__all__ = [
    "ComparisonResult",
    "DYAD_LEVELS_LIMIT",
    "EnsembleResult",
    "SweepResult",
    "child_seeds",
    "compare",
    "latin_hypercube",
    "open_executor",
    "run_ensemble",
    "run_many",
    "run_sweep",
]
