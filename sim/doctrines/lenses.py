"""The three theory lenses: realist, liberal and constructivist decision rules.

Each is a small class with traits (``classifier``) and a table of **weights**: the score of every
action is a weighted sum of named terms of the state's situation (:data:`TERMS`, computed by
:func:`design` from :class:`~sim.doctrines.base.Features`). The tables are the doctrines'
parameters; docs/model.md prints them. Scoring is one matrix product for all the states that follow
a lens, so it costs the same for 8 states or 200.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from sim.doctrines.base import ACTIONS, Doctrine, Features

__all__ = ["TERMS", "design", "TableDoctrine", "Realist", "Liberal", "Constructivist", "TableScorer"]

#: The terms a doctrine's weights may use, with their meaning (all computed per deciding state).
TERMS: dict[str, str] = {
    "const": "1 (the action's baseline score)",
    "threat": "t, normalised threat from the focal state (0–1)",
    "threat_rise": "relative rise of that threat since the last step (−1…1)",
    "level": "the focal dyad's rung / 10",
    "strength": "s = clip(ln(own/aggregate power), −2, 2)/2: −1 much weaker … +1 much stronger",
    "parity": "1 − |s|: 1 at parity (Blainey 1973)",
    "deterred": "max(0, −s): how far the state is outmatched (Huth 1988)",
    "weak_alone": "1 if far weaker than the threat, even with its balancing partner, and without a credible ally (Walt 1987)",
    "weak_alone*threat": "weak_alone × t",
    "weak_alone*resolve*at_war": "weak_alone × resolve × (dyad at war)",
    "1-belief": "1 − π, belief that the focal state is a security seeker",
    "resolve*level": "resolve × rung/10",
    "nuclear_deterred": "1 if the focal state has nuclear weapons and the deciding state has none (one-sided deterrence; Snyder 1965)",
    "offer": "generosity of a settlement offer received from the focal state",
    "1-resolve": "1 − resolve",
    "threat*damp": "t × liberal-peace dampening of the dyad",
    "1-threat*damp": "1 − t × dampening",
    "trade": "trade dependence of the dyad",
    "enemy_image": "(1 − affinity) × (0.5 + min(hostility, 1.5)): the other as enemy (Wendt 1999)",
    "affinity": "UN-voting affinity with the focal state (0–1)",
    "affinity*threat": "affinity × t",
    "1-threat": "1 − t",
}
_INDEX = {name: k for k, name in enumerate(TERMS)}


def design(f: Features) -> np.ndarray:
    """The terms of :data:`TERMS` for every state (n × len(TERMS)).

    Stored term by term (the transpose of a ``[terms, n]`` array, so each term's column is
    contiguous), which is how :class:`TableScorer` reads it.
    """
    t = f.threat
    x = np.empty((len(TERMS), len(t))).T
    lv = f.level * 0.1
    strong = np.clip(np.log(f.power), -2.0, 2.0) * 0.5
    td = t * f.damp
    wa = f.weak_alone
    x[:, 0] = 1.0
    x[:, 1] = t
    x[:, 2] = f.threat_rise
    x[:, 3] = lv
    x[:, 4] = strong
    x[:, 5] = 1.0 - np.abs(strong)
    x[:, 6] = np.maximum(0.0, -strong)
    x[:, 7] = wa
    x[:, 8] = wa * t
    x[:, 9] = wa * f.resolve * f.at_war
    x[:, 10] = 1.0 - f.belief
    x[:, 11] = f.resolve * lv
    # one-sided nuclear deterrence: between two nuclear powers mutual deterrence keeps the low
    # rungs open (the stability–instability paradox, Snyder 1965; Jervis 1984)
    x[:, 12] = f.target_nuclear * (1.0 - f.nuclear)
    x[:, 13] = f.offer
    x[:, 14] = 1.0 - f.resolve
    x[:, 15] = td
    x[:, 16] = 1.0 - td
    x[:, 17] = f.trade
    x[:, 18] = (1.0 - f.affinity) * (0.5 + np.minimum(f.hostility, 1.5))
    x[:, 19] = f.affinity
    x[:, 20] = f.affinity * t
    x[:, 21] = 1.0 - t
    return x


class TableDoctrine(Doctrine):
    """A doctrine whose scores are a weighted sum of :data:`TERMS` (one weights row per action)."""

    weights: ClassVar[dict[str, dict[str, float]]] = {}
    _matrix: ClassVar[np.ndarray | None] = None

    @classmethod
    def matrix(cls) -> np.ndarray:
        """The weights as a len(TERMS) × len(ACTIONS) matrix."""
        if cls.__dict__.get("_matrix") is None:
            w = np.zeros((len(TERMS), len(ACTIONS)))
            for a, row in cls.weights.items():
                for term, val in row.items():
                    w[_INDEX[term], ACTIONS.index(a)] = val
            cls._matrix = w
        return cls._matrix

    def utilities(self, f: Features) -> np.ndarray:
        """Scores of every action for every state: design(f) @ weights."""
        return self.utilities_from_design(design(f))

    def utilities_from_design(self, x: np.ndarray) -> np.ndarray:
        """Scores from a precomputed design matrix (the model computes it once for all lenses).

        The product is taken term by term (elementwise), not by BLAS: each state's scores then
        depend on its own row only, bit for bit, however many states and replications are scored
        together.
        """
        m = self.matrix()
        u = x[:, :1] * m[0]
        for t in range(1, m.shape[0]):
            if m[t].any():
                u += x[:, t:t + 1] * m[t]
        return u


class TableScorer:
    """Scores of every action for states with weight tables of their own, summed term by term, zero weights skipped.

    ``tables`` is ``[N, terms, actions]`` (state ``i``'s doctrine's :meth:`TableDoctrine.matrix`).
    :meth:`scores` gives, bit for bit, what the term-by-term sum gives (``u = x_0·w_0``, then
    ``u += x_t·w_t`` for every later term whose weights are not all zero, in term order): for each
    action it adds only the terms that some state weighs for that action. Adding ``x·0`` to a sum
    that started from ``x_0·w_0`` with ``x_0 = 1`` (the constant) never changes it (``s + (±0) = s``
    for ``s ≠ 0``, and ``+0 + (±0) = +0``), so skipping it is exact for finite terms — and the
    terms are finite (:func:`design`). Measured (founding scenario, 250 replications, 8 states,
    22 terms × 12 actions, of which 62 pairs after the constant are weighed): 0.84 ms → 0.30 ms CPU a call; the same sum as
    one matrix product would be faster still but is not the same sum bit for bit (BLAS reorders
    and fuses the additions), and results must not change.
    """

    def __init__(self, tables: np.ndarray):
        tables = np.asarray(tables, dtype=float)
        self.n, n_terms, self.n_actions = tables.shape
        used = [t for t in range(n_terms) if tables[:, t, :].any()]
        self.first = used[0] if used else 0
        self.start = np.ascontiguousarray(tables[:, self.first, :].T)  # [actions, N]
        self.plan = [[(t, np.ascontiguousarray(tables[:, t, a])) for t in used if t > self.first and tables[:, t, a].any()]
                     for a in range(self.n_actions)]

    def scores(self, x: np.ndarray, lanes: int) -> np.ndarray:
        """Scores ``[lanes, N, actions]`` from the design matrix ``x`` (``[lanes·N, terms]``, replication-major)."""
        n = self.n
        xt = np.ascontiguousarray(x.T).reshape(x.shape[1], lanes, n)  # term-major: each term's values contiguous
        u = np.empty((self.n_actions, lanes, n))
        tmp = np.empty((lanes, n))
        x0 = xt[self.first]
        for a, terms in enumerate(self.plan):
            ua = u[a]
            np.multiply(x0, self.start[a], out=ua)
            for t, wt in terms:
                np.multiply(xt[t], wt, out=tmp)
                ua += tmp
        return u.transpose(1, 2, 0)


class Realist(TableDoctrine):
    """Power and threat decide (Waltz 1979; Walt 1987; Mearsheimer 2001).

    A realist state answers threat by balancing (allies, arms) and by matching the other side's
    moves; it bandwagons only when weak and alone; it ignores regime type and trade. Its
    willingness to threaten and use force is highest at parity, where the sides disagree about who
    would win (Blainey 1973; Organski & Kugler 1980), and lowest under preponderance.
    """

    name = "realist"
    summary = "Balance against threat; arm; match force with force, most readily at parity; ignore regime and trade."
    references = ("Waltz 1979", "Walt 1987", "Mearsheimer 2001")
    classifier = {"responds_to_power": True, "responds_to_trade": False, "responds_to_regime": False, "responds_to_identity": False}

    weights = {
        "hold": {"const": 0.8, "threat": -2.5},
        "protest": {"const": 0.4, "threat": 0.6, "threat_rise": 1.5},
        "threaten": {"const": -0.4, "threat": 1.2, "parity": 0.6, "deterred": -1.5, "threat_rise": 1.0},
        "sanction": {"const": -0.6, "threat": 0.8, "strength": 0.4},
        "show_force": {"const": -0.6, "threat": 1.2, "parity": 0.8, "deterred": -1.5, "level": 1.2, "threat_rise": 1.5},
        "arm": {"const": -0.2, "threat": 1.5, "threat_rise": 0.6},
        "balance": {"const": -0.2, "threat": 1.8, "threat_rise": 2.0},
        "bandwagon": {"const": -2.0, "weak_alone": 1.7, "weak_alone*threat": 1.2, "weak_alone*resolve*at_war": -1.5},
        "reassure": {"const": -0.5, "1-belief": 0.8, "threat": -1.0},
        "clash": {"const": -2.4, "threat": 1.5, "parity": 1.2, "deterred": -2.0, "resolve*level": 2.0, "nuclear_deterred": -1.5},
        "nuclear_signal": {"const": -3.0, "threat": 2.0, "level": 1.5},
        "settle": {"const": -1.2, "offer": 2.5, "1-resolve": 0.8, "strength": -0.6},
    }


class Liberal(TableDoctrine):
    """Interdependence, institutions and regime type decide (Keohane & Nye 1977; Russett & Oneal 2001).

    A liberal state prefers economic and diplomatic instruments to force, escalates less against
    democracies and trade partners (the dyad's liberal-peace dampening multiplies its hostile
    scores' threat terms), and takes settlements readily.
    """

    name = "liberal"
    summary = "Prefer sanctions, diplomacy and settlement; restrain force, most of all toward democracies and trade partners."
    references = ("Keohane & Nye 1977", "Doyle 1986", "Russett & Oneal 2001")
    classifier = {"responds_to_power": False, "responds_to_trade": True, "responds_to_regime": True, "responds_to_identity": False}

    weights = {
        "hold": {"const": 0.9, "threat*damp": -2.2},
        "protest": {"const": 0.6, "threat*damp": 1.2, "threat_rise": 1.5},
        "threaten": {"const": -0.8, "threat*damp": 0.8},
        "sanction": {"const": -0.2, "threat*damp": 1.4, "threat_rise": 0.5, "trade": -1.5},
        "show_force": {"const": -0.9, "threat*damp": 0.9, "level": 0.6, "threat_rise": 0.8},
        "arm": {"const": -0.6, "threat*damp": 0.9},
        "balance": {"const": 0.0, "threat*damp": 1.6, "threat_rise": 1.5},
        "bandwagon": {"const": -1.5, "threat*damp": 0.5},
        "reassure": {"const": -0.1, "1-threat*damp": 0.8, "trade": 0.8},
        "clash": {"const": -3.2, "threat*damp": 1.2, "resolve*level": 1.0, "nuclear_deterred": -1.5},
        "nuclear_signal": {"const": -4.0, "threat*damp": 1.5, "level": 1.0},
        "settle": {"const": -0.4, "offer": 3.0, "1-resolve": 0.6, "trade": 0.8},
    }

    def focus(self, damp: np.ndarray, affinity: np.ndarray) -> np.ndarray:
        """Threat read through the liberal peace: democracies and trade partners weigh less."""
        return damp


class Constructivist(TableDoctrine):
    """Identity and shared understandings decide (Wendt 1992, 1999; Hopf 1998).

    A constructivist state reads the other through identity: affinity (distance of UN-voting ideal
    points) and the history of hostile acts make an enemy, friend or rival image. It escalates against
    those it sees as 'other' and reassures those it sees as 'self', whatever the balance of power.
    """

    name = "constructivist"
    summary = "Read the other through identity: escalate against the 'other', reassure the 'self', whatever the power balance."
    references = ("Wendt 1992", "Wendt 1999", "Hopf 1998")
    classifier = {"responds_to_power": False, "responds_to_trade": False, "responds_to_regime": False, "responds_to_identity": True}

    weights = {
        "hold": {"const": 0.8, "threat": -1.5, "enemy_image": -0.8},
        "protest": {"const": 0.3, "enemy_image": 1.2, "threat_rise": 1.0},
        "threaten": {"const": -0.6, "enemy_image": 1.2, "threat": 0.4},
        "sanction": {"const": -0.8, "enemy_image": 1.0, "threat": 0.3},
        "show_force": {"const": -0.8, "enemy_image": 1.0, "threat": 0.6, "level": 0.8},
        "arm": {"const": -0.6, "threat": 0.6, "enemy_image": 0.5},
        "balance": {"const": -0.2, "threat": 1.2, "enemy_image": 0.6, "threat_rise": 1.0},
        "bandwagon": {"const": -0.5, "affinity*threat": 1.5, "enemy_image": -1.0},
        "reassure": {"const": -0.6, "affinity": 1.6, "1-threat": 0.3},
        "clash": {"const": -2.8, "enemy_image": 1.5, "resolve*level": 1.5, "nuclear_deterred": -1.5},
        "nuclear_signal": {"const": -4.0, "enemy_image": 1.2, "level": 1.0},
        "settle": {"const": -1.0, "offer": 2.5, "affinity": 1.2},
    }

    def focus(self, damp: np.ndarray, affinity: np.ndarray) -> np.ndarray:
        """Threat from the 'other' weighs more: 0.5 + (1 − affinity)."""
        return 0.5 + (1.0 - affinity)
