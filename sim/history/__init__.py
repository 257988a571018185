"""Real crises as scenarios, and predictions scored against what happened.

Key parts: the reader of the International Crisis Behavior (ICB) layout with located errors
(:mod:`sim.history.icb`), the mapping of one crisis onto the scenario language
(:mod:`sim.history.mapping`), the collection builder with its manifest (:mod:`sim.history.build`),
the shipped training crises (:mod:`sim.history.training`), the model's outcome classes
(:mod:`sim.history.outcomes`), proper scores (:mod:`sim.history.scores`), the reference models
(:mod:`sim.history.reference`) and the out-of-sample evaluation (:mod:`sim.history.evaluate`,
which runs ensembles). See docs/history.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim._lazy import lazy_exports

if TYPE_CHECKING:
    from sim.history.build import BuildReport, build_collection, map_icb, read_index
    from sim.history.evaluate import Evaluation, evaluate
    from sim.history.icb import IcbData, IcbDataError, read_icb
    from sim.history.mapping import MappedCrisis, Unmapped, map_crisis

_HOME = {
    "Evaluation": "evaluate", "evaluate": "evaluate",
    "BuildReport": "build", "build_collection": "build", "map_icb": "build", "read_index": "build",
    "IcbData": "icb", "IcbDataError": "icb", "read_icb": "icb",
    "MappedCrisis": "mapping", "Unmapped": "mapping", "map_crisis": "mapping",
}

__getattr__, __dir__ = lazy_exports(__name__, _HOME)

__all__ = [
    "BuildReport",
    "Evaluation",
    "IcbData",
    "IcbDataError",
    "MappedCrisis",
    "Unmapped",
    "build_collection",
    "evaluate",
    "map_crisis",
    "map_icb",
    "read_icb",
    "read_index",
]
