"""Submodel 3, ``update_beliefs``: spiral and deterrence (Jervis 1976; Kydd 2005), beliefs about intent by Bayes (docs/model.md §7.3)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["update_beliefs"]


def update_beliefs(m: CrisisModel) -> None:
    """Spiral and deterrence: Bayesian update of π_ij = Pr(j is greedy) from j's acts toward i.

    Offensive acts multiply the odds by L_h; acts that a security seeker might also take
    (arming, exercises, alliances) by L_h^(1−δ), δ being offence–defence distinguishability;
    costly reassurance by L_r < 1 (Jervis 1978; Kydd 2005). A state also learns from what a
    state it fears does *not* do (Kydd 2005, ch. 2): if a security seeker makes an ambiguous move
    toward it in a given week with probability q (``ambiguous_rate``) and a greedy state with
    q·L_h^(1−δ), a week without any hostile or ambiguous move multiplies the odds by
    (1 − q·L_h^(1−δ))/(1 − q) < 1. So beliefs climb only where j's moves outrun a security
    seeker's, and a world where states arm at that rate does not spiral on its own.
    """
    w, sp = m.world, m.params.spiral
    if "beliefs" in m.switched_off:
        m.acts_off[:] = 0.0
        m.acts_def[:] = 0.0
        m.acts_reassure[:] = 0.0
        return
    lh = math.log(sp.hostile_likelihood)
    ld = lh * (1.0 - sp.distinguishability)
    q = sp.ambiguous_rate
    # log-likelihood ratio of a quiet step (m.weeks weeks without a hostile or ambiguous move)
    lq = m.weeks * math.log((1.0 - min(0.95, q * math.exp(ld))) / (1.0 - q)) if q > 0.0 and ld > 0.0 else 0.0
    evidence = (m.acts_off != 0.0) | (m.acts_def != 0.0) | (m.acts_reassure != 0.0)
    if lq != 0.0:
        # quiet evidence only where i watches j: j's threat to i is above the attention threshold
        # (the same states that read j's arming as evidence, submodel 5)
        quiet = (w.threat > m.params.decision.attention) & ~evidence.transpose(0, 2, 1)
        quiet[:, m._d, m._d] = False
        if quiet.any():
            rq, iq, jq = np.nonzero(quiet)
            b = np.clip(w.belief[rq, iq, jq], 1e-4, 1 - 1e-4)
            odds = b / (1 - b) * math.exp(lq)
            w.belief[rq, iq, jq] = odds / (1 + odds)
    if not evidence.any():
        return
    lr = math.log(sp.reassurance_likelihood)
    # only where there is evidence: the dyads in which j acted toward i this step (a few percent of
    # a 195-state world's); elsewhere the log-odds are 0 and the belief stays as it was
    rn, j, i = np.nonzero(evidence)
    logodds = (m.acts_off[rn, j, i] * lh + m.acts_def[rn, j, i] * ld + m.acts_reassure[rn, j, i] * lr)
    b = np.clip(w.belief[rn, i, j], 1e-4, 1 - 1e-4)
    odds = b / (1 - b) * np.exp(np.clip(logodds, -20, 20))
    # beliefs without new evidence stay exactly as they were (a replication's result must not
    # depend on whether other replications stepped with it saw acts this step)
    new = logodds != 0.0
    w.belief[rn[new], i[new], j[new]] = (odds / (1 + odds))[new]
    w.belief[:, m._d, m._d] = 0.0
    m.acts_off[:] = 0.0
    m.acts_def[:] = 0.0
    m.acts_reassure[:] = 0.0
