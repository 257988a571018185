"""Flashpoint: a what-if engine for interstate crises.

The public API, used alike by the command line, the Streamlit app and notebooks:

- :func:`load_scenario` (a path) / :func:`parse_scenario` (YAML text or bytes) — YAML → a
  validated, frozen :class:`Scenario` (errors are located: ``FILE:LINE:COL: field: what is
  wrong``; the wrong kind of argument is a clear :class:`FlashpointError`, see :mod:`sim.api`);
- :func:`run_scenario` — one seeded run → :class:`RunResult` (event log with causes, tidy tables,
  narrative); ``seed`` is a non-negative integer (``None``: 0), never rounded;
- :mod:`sim.ensemble` and :mod:`sim.analysis` — Monte Carlo ensembles and paired comparisons.

Layers (dependencies flow one way): front ends (``sim.cli``, ``app.py``) → ensemble/analysis →
model (``sim.model``, ``sim.doctrines``) → scenario (``sim.scenario``) and catalog (``sim.catalog``).
"""

from typing import Any

from sim.errors import CatalogError, FlashpointError, Issue, LimitError, ScenarioError

__version__ = "0.1.0"

# The model (and Mesa with it) is imported on first use, so that light commands (validate, schema)
# and ``import sim.errors`` start fast.
_LAZY = {
    "RunResult": "sim.model",
    "run_scenario": "sim.api",
    "load_scenario": "sim.api",
    "parse_scenario": "sim.api",
    "Scenario": "sim.scenario.schema",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")

__all__ = [
    "CatalogError",
    "FlashpointError",
    "Issue",
    "LimitError",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "__version__",
    "load_scenario",
    "parse_scenario",
    "run_scenario",
]
