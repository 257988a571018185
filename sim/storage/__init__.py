"""Results on disk: Parquet/CSV tables with a manifest, and reading them back for analysis.

Key parts: :func:`write_ensemble`, :func:`write_comparison`, :func:`write_sweep` and
:func:`load_ensemble` (:mod:`sim.storage.results`); :func:`scenario_hash` and :func:`environment`
for the manifest (:mod:`sim.storage.manifest`).
"""

from sim.storage.manifest import canonical_json, environment, scenario_hash
from sim.storage.results import (
    StoredEnsemble,
    load_ensemble,
    read_table,
    write_comparison,
    write_ensemble,
    write_sweep,
    write_table,
)

__all__ = [
    "StoredEnsemble",
    "canonical_json",
    "environment",
    "load_ensemble",
    "read_table",
    "scenario_hash",
    "write_comparison",
    "write_ensemble",
    "write_sweep",
    "write_table",
]
