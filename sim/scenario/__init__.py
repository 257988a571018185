"""The scenario language (pure data: no Mesa, no Streamlit).

Key parts: :mod:`~sim.scenario.schema` (frozen pydantic models, variants, semantic checks),
:mod:`~sim.scenario.events` (event types as a discriminated union with their CAMEO/Goldstein coding),
:mod:`~sim.scenario.parameters` (every model parameter with default, range and source) and
:mod:`~sim.scenario.loader` (safe YAML with located errors and limits).
"""

from sim.scenario.events import EVENT_SPECS, EVENT_TYPES
from sim.scenario.loader import load_scenario, parse_scenario
from sim.scenario.parameters import Parameters, parameter_table
from sim.scenario.schema import LIMITS, Scenario, Variant, apply_variant

__all__ = [
    "EVENT_SPECS",
    "EVENT_TYPES",
    "LIMITS",
    "Parameters",
    "Scenario",
    "Variant",
    "apply_variant",
    "load_scenario",
    "parameter_table",
    "parse_scenario",
]
