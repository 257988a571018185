"""Flashpoint: a what-if engine for interstate crises.

The public API, used alike by the command line, the Streamlit app and notebooks:

- :func:`load_scenario` / :func:`parse_scenario` — YAML → a validated, frozen :class:`Scenario`
  (errors are located: ``FILE:LINE:COL: field: what is wrong``);
- :func:`run_scenario` — one seeded run → :class:`RunResult` (event log with causes, tidy tables,
  narrative);
- :mod:`sim.ensemble` and :mod:`sim.analysis` — Monte Carlo ensembles and paired comparisons.

Layers (dependencies flow one way): front ends (``sim.cli``, ``app.py``) → ensemble/analysis →
model (``sim.model``, ``sim.doctrines``) → scenario (``sim.scenario``) and catalog (``sim.catalog``).
"""

from sim.errors import CatalogError, FlashpointError, Issue, LimitError, ScenarioError
from sim.model import RunResult, run_scenario
from sim.scenario.loader import load_scenario, parse_scenario
from sim.scenario.schema import Scenario

__version__ = "0.1.0"

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
