"""The state agent: a Mesa ``Agent`` that chooses one action a step through its doctrine.

The doctrine's scores for every state are computed in bulk by the model (see
:meth:`sim.model.model.CrisisModel.decide`); each agent turns its row into logit choice
probabilities and draws from its **own** random stream (counter-based, keyed by its code: see
:mod:`sim.model.streams`), so that its draws do not depend on how many other actors the scenario
has (common random numbers across what-if variants). A model may step several replications at
once; an agent then draws one set of uniforms per replication, each from that run's stream.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from sim.model.streams import uniform

__all__ = ["StateAgent"]


class StateAgent(mesa.Agent):
    """A state: its code, doctrine, modifiers and random stream.

    Attributes:
        code: COW state abbreviation.
        index: Row of this state in the world's arrays.
        doctrine_name: Name of its doctrine (theory lens).
        modifiers: Its modifier objects.
        key: The key of its random stream (a stable hash of its code).
    """

    _SLOTS = np.arange(3, dtype=np.uint64)

    def __init__(self, model, code: str, index: int, doctrine_name: str, modifiers: tuple, key: int):
        super().__init__(model)
        self.code = code
        self.index = index
        self.doctrine_name = doctrine_name
        self.modifiers = modifiers
        self.key = np.uint64(key)

    def decide(self) -> None:
        """Draw this step's uniforms: the action choice, the threshold test and attention.

        Three uniforms are drawn every step whatever happens, so that the stream stays aligned
        across variants. The model turns the doctrine's scores into logit choice probabilities and
        picks the action each agent's first uniform selects (vectorised, see
        :meth:`~sim.model.model.CrisisModel.decide`). With a response lag, a state attends to the
        crisis in a step with probability 1 − exp(−Δt/lag); otherwise it holds.
        """
        m = self.model
        i = self.index
        u = m.draws[:, i] if m.draws is not None else uniform(m.keys[:, None], "decide", m.steps_done, self.key, self._SLOTS)
        m.u_choice[:, i] = u[:, 0]
        m.cross_draw[:, i] = u[:, 1]
        lag = m.params.decision.response_lag_weeks
        m.attending[:, i] = True if lag <= 0 else u[:, 2] <= 1.0 - math.exp(-m.weeks / lag)
