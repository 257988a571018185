"""The state agent: a Mesa ``Agent`` that chooses one action a step through its doctrine.

The doctrine's scores for every state are computed in bulk by the model (see
:meth:`sim.model.model.CrisisModel.decide`); each agent turns its row into logit choice
probabilities and draws from its **own** random stream, so that its draws do not depend on how many
other actors the scenario has (common random numbers across what-if variants).
"""

from __future__ import annotations

import math

import mesa
import numpy as np

__all__ = ["StateAgent"]


class StateAgent(mesa.Agent):
    """A state: its code, doctrine, modifiers and random stream.

    Attributes:
        code: COW state abbreviation.
        index: Row of this state in the world's arrays.
        doctrine_name: Name of its doctrine (theory lens).
        modifiers: Its modifier objects.
        stream: Its own ``numpy.random.Generator``.
    """

    def __init__(self, model, code: str, index: int, doctrine_name: str, modifiers: tuple, stream: np.random.Generator):
        super().__init__(model)
        self.code = code
        self.index = index
        self.doctrine_name = doctrine_name
        self.modifiers = modifiers
        self.stream = stream

    def decide(self) -> None:
        """Draw this step's uniforms: the action choice, the threshold test and attention.

        Three uniforms are drawn every step whatever happens, so that the stream stays aligned
        across variants. The model turns the doctrine's scores into logit choice probabilities and
        picks the action each agent's first uniform selects (vectorised, see
        :meth:`~sim.model.model.CrisisModel.decide`). With a response lag, a state attends to the
        crisis in a step with probability 1 − exp(−Δt/lag); otherwise it holds.
        """
        m = self.model
        u_choice, u_cross, u_attend = self.stream.random(3)
        i = self.index
        m.u_choice[i] = u_choice
        m.cross_draw[i] = u_cross
        lag = m.params.decision.response_lag_weeks
        m.attending[i] = lag <= 0 or u_attend <= 1.0 - math.exp(-m.weeks / lag)
