"""Ensembles: seeded replications of a scenario on one core, local processes or a Dask cluster.

Key parts: :func:`run_ensemble` and :class:`EnsembleResult` (:mod:`sim.ensemble.ensemble`),
:func:`child_seeds` (:mod:`sim.ensemble.seeds`: the seed hierarchy), the executors
(:mod:`sim.ensemble.executors`), the scheduling loop that keeps results in replication order
(:mod:`sim.ensemble.engine`), what a worker does (:mod:`sim.ensemble.worker`) and parameter sweeps
over a scenario's uncertainties (:mod:`sim.ensemble.sweep`). Statistics live in :mod:`sim.analysis`,
files in :mod:`sim.storage`.
"""

from sim.ensemble.ensemble import DYAD_LEVELS_LIMIT, EnsembleResult, run_ensemble, run_many
from sim.ensemble.executors import open_executor
from sim.ensemble.seeds import child_seeds
from sim.ensemble.sweep import SweepResult, latin_hypercube, run_sweep

__all__ = [
    "DYAD_LEVELS_LIMIT",
    "EnsembleResult",
    "SweepResult",
    "child_seeds",
    "latin_hypercube",
    "open_executor",
    "run_ensemble",
    "run_many",
    "run_sweep",
]
