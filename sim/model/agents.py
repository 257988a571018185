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
        """Draw this step's action from the logit of the doctrine's scores.

        Two uniforms are drawn every step whatever happens (the action and the threshold test), so
        that the stream stays aligned across variants. With a response lag, a state only attends
        to the crisis with probability 1 − exp(−Δt/lag) in a step; otherwise it holds.
        """
        m = self.model
        u_choice, u_cross, u_attend = self.stream.random(3)
        i = self.index
        m.cross_draw[i] = u_cross
        lag = m.params.decision.response_lag_weeks
        if lag > 0 and u_attend > 1.0 - math.exp(-m.weeks / lag):
            m.choice[i] = 0
            return
        row = m.utilities[i] / m.params.decision.temperature
        row = row - row[np.isfinite(row)].max()
        p = np.exp(row)
        c = np.cumsum(p)
        m.choice[i] = int(np.searchsorted(c, u_choice * c[-1], side="right"))
        if m.choice[i] >= len(p):
            m.choice[i] = len(p) - 1
