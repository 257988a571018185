"""Submodel 2, ``perceive_threat``: balance of threat (Walt 1987), every state's threat from every other, in bulk (docs/model.md §7.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model import explain

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["perceive_threat"]


def perceive_threat(m: CrisisModel, initial: bool = False) -> None:
    """Balance of threat (Walt 1987): T_ij = R_ij^α · prox_ij · (1 + κ·O_ji) · I_ij.

    R_ij is j's aggregate power (own plus pledged allies', not counting i) over i's own power
    (plus its allies' weighted by reliability); prox_ij = exp(−d_ij/λ_j) with λ_j longer for
    major and nuclear powers; O_ji is j's offensive posture near i; I_ij = 1 + ρ·H_ji +
    2·w_π·(π_ij − π₀) is perceived intent (at least 0.1); alignment, direct or through a common
    partner, discounts the threat. The normalised threat is raw/(1+raw).
    """
    w, p = m.world, m.params.threat
    d = m._d
    if not initial:
        decay = p.hostility_retention ** m.weeks
        w.hostility *= decay
        # sanctions in force keep a floor of hostility
        np.maximum(w.hostility, 0.5 * w.sanctions, out=w.hostility)
    cap = w.cap  # [R, N]
    pledge = w.pledge  # [R, N, N]
    prox = m.prox  # [N, N]
    # j's aggregate power as i sees it: j plus each ally k's pledged capability, as far as it
    # reaches i (loss-of-strength gradient); i does not count itself among j's allies
    pc = pledge * cap[:, :, None]  # pc[r, k, j] = pledge[k, j] · cap[k]
    agg = cap[:, None, :] + prox @ pc - pc * m._prox_diag[None, :, None]
    # i's own power: itself plus its allies' pledged capability, discounted by their reliability
    backing = pledge.transpose(0, 2, 1) * w.reliab * prox
    own = cap + p.own_alliance_weight * (backing @ cap[:, :, None])[:, :, 0]
    ratio = np.maximum(agg, 1e-9) / own[:, :, None]
    power = ratio ** p.power_exponent
    offense = 1.0 + p.offense_weight * w.posture.transpose(0, 2, 1)
    prior = m.params.spiral.prior_greedy
    intent = np.maximum(0.1, 1.0 + p.hostility_weight * w.hostility.transpose(0, 2, 1) + 2.0 * p.intent_weight * (w.belief - prior))
    # allies' power is not a threat (Walt 1987): alignment discounts it, and so, by half, does
    # alignment through a common partner (the friend of my friend: ROK and JPN through the USA)
    common = np.minimum(1.0, w.align @ w.align)
    common[:, d, d] = 0.0
    friend = 1.0 - p.alignment_discount * np.maximum(w.align, 0.5 * common)
    raw = power * prox * offense * intent * friend
    raw[:, d, d] = 0.0
    prev_raw = m.threat_raw
    prev_comp = m.components
    if m.explain:  # lane 0's threat before this step, for the perception records
        m.threat_prev = (w.threat[0] if not initial else raw[0] / (1.0 + raw[0])).copy()
    m.threat_raw_prev = raw if initial else m.threat_raw
    m.threat_raw = raw
    m.agg, m.own = agg, own
    if m.explain:
        m.components = {"power": power[0], "proximity": prox, "offense": offense[0], "intent": (intent * friend)[0]}
    w.threat = raw / (1.0 + raw)
    if not initial and m.explain:
        explain.perception(m, prev_raw[0], prev_comp)
    m.causes.clear()
    m.power_causes.clear()
