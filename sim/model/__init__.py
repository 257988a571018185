"""The Mesa model of a crisis and one run's results.

Key parts: :class:`CrisisModel` (a ``mesa.Model`` whose ``step()`` is the documented schedule),
:class:`StateAgent`, :class:`World` (numpy arrays of per-actor and dyadic state),
:func:`run_scenario` and :class:`RunResult`; :class:`Decision`, :data:`ACTION_MENU` and
``CrisisModel.peek_decisions`` / ``step(overrides=...)`` for front ends that let a person play a state.
"""

from sim.model.agents import StateAgent
from sim.model.decisions import ACTION_MENU, Decision, action_menu
from sim.model.model import CrisisModel
from sim.model.result import BANDS, RunResult, run_scenario
from sim.model.world import LADDER, World, build_world

__all__ = ["ACTION_MENU", "BANDS", "CrisisModel", "Decision", "LADDER", "RunResult", "StateAgent", "World", "action_menu", "build_world", "run_scenario"]
