"""Doctrines: decision rules as small classes with traits, a registry, and composable modifiers.

A doctrine scores every action of :data:`ACTIONS` for a batch of states at once (vectorised over
the states that follow it), from the :class:`Features` of each state's focal dyad. The model turns
scores into choice probabilities with a logit (softmax) rule and draws one action per state from
that state's own random stream. Modifiers (hawkish, dovish, risk-acceptant, risk-averse) add to the
scores and scale the willingness to cross ladder thresholds; they compose with any doctrine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

__all__ = ["ACTIONS", "A", "HOSTILE", "Features", "Doctrine", "Modifier", "MODIFIERS", "valid_mask"]

#: The action menu, in a fixed order (columns of every utility matrix).
ACTIONS: tuple[str, ...] = (
    "hold",
    "protest",
    "threaten",
    "sanction",
    "show_force",
    "arm",
    "balance",
    "bandwagon",
    "reassure",
    "clash",
    "nuclear_signal",
    "settle",
)
#: Column index of each action.
A = {name: k for k, name in enumerate(ACTIONS)}
#: Actions that are hostile toward the focal state.
HOSTILE = frozenset({"protest", "threaten", "sanction", "show_force", "clash", "nuclear_signal"})


@dataclass
class Features:
    """What each deciding state sees of its focal dyad (arrays of length n, one per state).

    Attributes:
        threat: Normalised threat from the focal state, 0–1 (balance of threat).
        threat_rise: Relative change of the raw threat index since the last step, clipped to [−1, 1].
        level: Current rung of the focal dyad, 0–10.
        power: Own capability (with allies) over the focal state's aggregate, >0.
        ally: Best credible ally's pledge × reliability, 0–1.
        partner: Whether a balancing partner exists (another state threatened by the focal one).
        hostility: Focal state's recent hostility toward this state.
        belief: Belief that the focal state is greedy, 0–1.
        damp: Liberal-peace dampening of the dyad, 0–1 (1 = none).
        trade: Trade dependence of the dyad, 0–1.
        democracy: Own democracy (V-Dem polyarchy), 0–1.
        affinity: Identity affinity from UN voting, 0–1 (1 = same ideal point).
        resolve: Own resolve/stake, 0–1.
        nuclear: Own nuclear status (0/1).
        target_nuclear: The focal state's nuclear status (0/1): nuclear deterrence.
        weak_alone: 1 for a state far weaker than its main threat with no credible ally and no
            balancing partner (Walt 1987): the only states that may bandwagon.
        at_war: Whether the dyad is at war (rung ≥ 7).
        offer: Generosity of a settlement offer received from the focal state, 0–1.
        sustained_rise: Relative change of the raw threat index over its remembered level
            (``decision.rise_memory``), clipped to [−1, 1]: the cause rule's rise (``None``: ``threat_rise``).
    """

    threat: np.ndarray
    threat_rise: np.ndarray
    level: np.ndarray
    power: np.ndarray
    ally: np.ndarray
    partner: np.ndarray
    hostility: np.ndarray
    belief: np.ndarray
    damp: np.ndarray
    trade: np.ndarray
    democracy: np.ndarray
    affinity: np.ndarray
    resolve: np.ndarray
    nuclear: np.ndarray
    target_nuclear: np.ndarray
    weak_alone: np.ndarray
    at_war: np.ndarray
    offer: np.ndarray
    sustained_rise: np.ndarray | None = None


def valid_mask(f: Features) -> np.ndarray:
    """Which actions each state may take in its situation (n × len(ACTIONS) booleans).

    Rules: clashes need a dyad at rung ≥ 4; nuclear signals need nuclear weapons and a dyad at war (rung ≥ 7);
    settling needs a dyad at rung ≥ 3; balancing needs a partner; bandwagoning needs a threat and
    a state that is weak and alone (``weak_alone``: far weaker than the threat, with no credible
    ally and no partner to balance with). Bandwagoning — yielding to the threatening state — is the
    choice of weak, isolated states; strong states, and states with allies available, balance
    (Walt 1987, pp. 29–31), whatever lens scores the options.
    """
    n = len(f.threat)
    m = np.ones((n, len(ACTIONS)), dtype=bool)
    m[:, A["clash"]] = f.level >= 4
    m[:, A["nuclear_signal"]] = (f.nuclear > 0) & (f.level >= 7)
    m[:, A["settle"]] = f.level >= 3
    m[:, A["balance"]] = f.partner > 0
    m[:, A["bandwagon"]] = (f.threat > 0.05) & (f.weak_alone > 0)
    m[:, A["reassure"]] = f.level >= 1
    return m


class Doctrine:
    """A theory lens: how a state weighs its options.

    Subclasses set ``name``, ``classifier`` (traits, checked by the contract tests), ``summary`` and
    ``references``, and implement :meth:`utilities`.
    """

    name: ClassVar[str] = "base"
    summary: ClassVar[str] = ""
    references: ClassVar[tuple[str, ...]] = ()
    classifier: ClassVar[dict[str, object]] = {}

    def utilities(self, f: Features) -> np.ndarray:
        """Scores of every action for every state (n × len(ACTIONS)); higher is likelier."""
        raise NotImplementedError

    def focus(self, damp: np.ndarray, affinity: np.ndarray) -> np.ndarray:
        """How much weight each of its followers gives each other state's threat when it picks the dyad to answer.

        ``damp`` and ``affinity`` are the followers' rows (``[members, N]``) of the liberal-peace
        dampening and the UN-voting affinity. The default weighs threat as it is (1 everywhere).
        """
        return np.ones_like(damp)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


@dataclass(frozen=True)
class Modifier:
    """A trait that composes with any doctrine: score offsets and a risk multiplier."""

    name: str
    summary: str
    offsets: dict[str, float]
    risk: float = 1.0

    def offset_vector(self) -> np.ndarray:
        """The offsets as a row over :data:`ACTIONS`."""
        v = np.zeros(len(ACTIONS))
        for k, val in self.offsets.items():
            v[A[k]] = val
        return v


#: The modifiers, by name.
MODIFIERS: dict[str, Modifier] = {
    m.name: m
    for m in (
        Modifier("hawkish", "Prefers firmness: threats, shows of force and arms over reassurance.",
                 {"threaten": 0.6, "show_force": 0.6, "arm": 0.4, "clash": 0.4, "reassure": -0.6, "settle": -0.5, "bandwagon": -0.5}),
        Modifier("dovish", "Prefers reassurance and settlement over firmness.",
                 {"threaten": -0.6, "show_force": -0.6, "clash": -0.8, "reassure": 0.6, "settle": 0.6, "protest": 0.2}),
        Modifier("risk_acceptant", "More willing to cross ladder thresholds.", {"clash": 0.3, "show_force": 0.2}, risk=1.6),
        Modifier("risk_averse", "Less willing to cross ladder thresholds.", {"clash": -0.4, "show_force": -0.2, "hold": 0.2}, risk=0.5),
    )
}
