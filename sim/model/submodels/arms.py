"""Submodel 9, ``arms_dynamics``: Richardson (1960) arms dynamics for N states, with fatigue (docs/model.md §7.9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["arms_dynamics"]


def arms_dynamics(m: CrisisModel) -> None:
    """Richardson (1960) for N states: dx_i = Δ·(a_i·Σ_j w_ij x_j − m_i·x_i + g_i·G_i).

    x_i is spending above the state's base, as a share of it; w_ij are the state's threat
    weights (normalised over j); G_i is 1 for a state in a rivalry or a crisis at rung ≥ 3.
    Capability follows spending with ``capability_share``; each week at war costs capability.
    """
    w, ap = m.world, m.params.arms
    dt_years = m.weeks / 52.0
    threat = w.threat
    tot = threat.sum(axis=2, keepdims=True)
    wts = np.divide(threat, tot, out=np.zeros_like(threat), where=tot > 0)
    y = (wts * w.spending[:, None, :]).sum(axis=2)
    G = (m._has_rival | (w.level >= 3).any(axis=2)).astype(float)
    w.spending += dt_years * (w.arms_a * y - w.arms_m * w.spending + w.arms_g * G)
    np.maximum(w.spending, -0.5, out=w.spending)
    if "arms" in m.switched_off:  # spending (and so capability) stays at its base
        w.spending[:] = 0.0
    wars = (w.level >= 7).sum(axis=2)
    if wars.any():
        m.attrition *= (1.0 - m.params.bargaining.war_cost / 52.0 * m.weeks) ** wars
        np.maximum(m.attrition, 0.5, out=m.attrition)
    w.cap = w.cap0 * (1.0 + ap.capability_share * w.spending) * m.attrition
