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
    costly reassurance by L_r < 1 (Jervis 1978; Kydd 2005).
    """
    w, sp = m.world, m.params.spiral
    if "beliefs" in m.switched_off:
        m.acts_off[:] = 0.0
        m.acts_def[:] = 0.0
        m.acts_reassure[:] = 0.0
        return
    if not (m.acts_off.any() or m.acts_def.any() or m.acts_reassure.any()):
        return
    lh = math.log(sp.hostile_likelihood)
    lr = math.log(sp.reassurance_likelihood)
    # only where there is evidence: the dyads in which j acted toward i this step (a few percent of
    # a 195-state world's); elsewhere the log-odds are 0 and the belief stays as it was
    rn, j, i = np.nonzero((m.acts_off != 0.0) | (m.acts_def != 0.0) | (m.acts_reassure != 0.0))
    logodds = (m.acts_off[rn, j, i] * lh + m.acts_def[rn, j, i] * (lh * (1.0 - sp.distinguishability))
               + m.acts_reassure[rn, j, i] * lr)
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
