"""The three theory lenses: realist, liberal and constructivist decision rules.

Each is a small class with traits (``classifier``) and one vectorised scoring method. The scores
are linear in the features of :class:`~sim.doctrines.base.Features`; the coefficients are the
doctrine's parameters, documented in docs/model.md §7 (Decide) and in docs/explanation/.
"""

from __future__ import annotations

import numpy as np

from sim.doctrines.base import ACTIONS, Doctrine, Features

__all__ = ["Realist", "Liberal", "Constructivist"]


def _table(n: int) -> np.ndarray:
    return np.zeros((n, len(ACTIONS)))


class Realist(Doctrine):
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

    def utilities(self, f: Features) -> np.ndarray:
        u = _table(len(f.threat))
        t, lv = f.threat, f.level / 10.0
        strong = np.clip(np.log(f.power), -2, 2) / 2  # −1 (much weaker) … +1 (much stronger)
        parity = 1.0 - np.abs(strong)  # 1 at parity: disagreement about relative power (Blainey 1973)
        deterred = np.maximum(0.0, -strong)  # the weaker side is deterred from challenging (Huth 1988)
        weak_alone = f.weak_alone > 0
        u[:, 0] = 0.8 - 2.5 * t
        u[:, 1] = 0.4 + 0.6 * t + 1.5 * f.threat_rise
        u[:, 2] = -0.4 + 1.2 * t + 0.6 * parity - 1.5 * deterred + 1.0 * f.threat_rise
        u[:, 3] = -0.6 + 0.8 * t + 0.4 * strong
        u[:, 4] = -0.6 + 1.2 * t + 0.8 * parity - 1.5 * deterred + 1.2 * lv + 1.5 * f.threat_rise
        u[:, 5] = -0.2 + 1.5 * t + 0.6 * f.threat_rise
        u[:, 6] = -0.2 + 1.8 * t + 2.0 * f.threat_rise
        u[:, 7] = np.where(weak_alone, -0.3 + 1.2 * t - 1.5 * f.resolve * f.at_war, -2.0)
        u[:, 8] = -0.5 + 0.8 * (1 - f.belief) - 1.0 * t
        u[:, 9] = -2.4 + 1.5 * t + 1.2 * parity - 2.0 * deterred + 2.0 * f.resolve * lv - 1.5 * f.target_nuclear
        u[:, 10] = -3.0 + 2.0 * t + 1.5 * lv
        u[:, 11] = -1.2 + 2.5 * f.offer + 0.8 * (1 - f.resolve) - 0.6 * strong
        return u


class Liberal(Doctrine):
    """Interdependence, institutions and regime type decide (Keohane & Nye 1977; Russett & Oneal 2001).

    A liberal state prefers economic and diplomatic instruments to force, escalates less against
    democracies and trade partners (the dyad's liberal-peace dampening multiplies its hostile
    scores' threat terms), and takes settlements readily.
    """

    name = "liberal"
    summary = "Prefer sanctions, diplomacy and settlement; restrain force, most of all toward democracies and trade partners."
    references = ("Keohane & Nye 1977", "Doyle 1986", "Russett & Oneal 2001")
    classifier = {"responds_to_power": False, "responds_to_trade": True, "responds_to_regime": True, "responds_to_identity": False}

    def utilities(self, f: Features) -> np.ndarray:
        u = _table(len(f.threat))
        t = f.threat * f.damp  # threat read through interdependence and shared regime
        lv = f.level / 10.0
        u[:, 0] = 0.9 - 2.2 * t
        u[:, 1] = 0.6 + 1.2 * t + 1.5 * f.threat_rise
        u[:, 2] = -0.8 + 0.8 * t
        u[:, 3] = -0.2 + 1.4 * t + 0.5 * f.threat_rise - 1.5 * f.trade
        u[:, 4] = -0.9 + 0.9 * t + 0.6 * lv + 0.8 * f.threat_rise
        u[:, 5] = -0.6 + 0.9 * t
        u[:, 6] = 0.0 + 1.6 * t + 1.5 * f.threat_rise
        u[:, 7] = -1.5 + 0.5 * t
        u[:, 8] = -0.1 + 0.8 * (1 - t) + 0.8 * f.trade
        u[:, 9] = -3.2 + 1.2 * t + 1.0 * f.resolve * lv - 1.5 * f.target_nuclear
        u[:, 10] = -4.0 + 1.5 * t + lv
        u[:, 11] = -0.4 + 3.0 * f.offer + 0.6 * (1 - f.resolve) + 0.8 * f.trade
        return u


class Constructivist(Doctrine):
    """Identity and shared understandings decide (Wendt 1992, 1999; Hopf 1998).

    A constructivist state reads the other through identity: affinity (distance of UN-voting ideal
    points) and the history of hostile acts make an enemy, friend or rival image. It escalates against
    those it sees as 'other' and reassures those it sees as 'self', whatever the balance of power.
    """

    name = "constructivist"
    summary = "Read the other through identity: escalate against the 'other', reassure the 'self', whatever the power balance."
    references = ("Wendt 1992", "Wendt 1999", "Hopf 1998")
    classifier = {"responds_to_power": False, "responds_to_trade": False, "responds_to_regime": False, "responds_to_identity": True}

    def utilities(self, f: Features) -> np.ndarray:
        u = _table(len(f.threat))
        other = (1 - f.affinity) * (0.5 + np.clip(f.hostility, 0, 1.5))  # enemy image
        t, lv = f.threat, f.level / 10.0
        u[:, 0] = 0.8 - 1.5 * t - 0.8 * other
        u[:, 1] = 0.3 + 1.2 * other + 1.0 * f.threat_rise
        u[:, 2] = -0.6 + 1.2 * other + 0.4 * t
        u[:, 3] = -0.8 + 1.0 * other + 0.3 * t
        u[:, 4] = -0.8 + 1.0 * other + 0.6 * t + 0.8 * lv
        u[:, 5] = -0.6 + 0.6 * t + 0.5 * other
        u[:, 6] = -0.2 + 1.2 * t + 0.6 * other + 1.0 * f.threat_rise
        u[:, 7] = -0.5 + 1.5 * f.affinity * t - 1.0 * other
        u[:, 8] = -0.6 + 1.6 * f.affinity + 0.3 * (1 - t)
        u[:, 9] = -2.8 + 1.5 * other + 1.5 * f.resolve * lv - 1.5 * f.target_nuclear
        u[:, 10] = -4.0 + 1.2 * other + lv
        u[:, 11] = -1.0 + 2.5 * f.offer + 1.2 * f.affinity
        return u
