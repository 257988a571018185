"""The scenario language (pure data: no Mesa, no Streamlit).

Key parts: :mod:`~sim.scenario.schema` (frozen pydantic models, variants, semantic checks),
:mod:`~sim.scenario.events` (event types as a discriminated union with their CAMEO/Goldstein coding),
:mod:`~sim.scenario.parameters` (every model parameter with default, range and source),
:mod:`~sim.scenario.loader` (safe YAML with located errors and limits) and
:mod:`~sim.scenario.quiet` (a scenario's start without its scheduled events; one-year horizons).
"""

from sim.scenario.events import EVENT_SPECS, EVENT_TYPES
from sim.scenario.loader import load_scenario, parse_scenario
from sim.scenario.parameters import Parameters, parameter_table
from sim.scenario.quiet import one_year, quiet_scenario
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
    "one_year",
    "parameter_table",
    "parse_scenario",
    "quiet_scenario",
]
