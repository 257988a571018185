"""Submodel 2, ``perceive_threat``: balance of threat (Walt 1987), every state's threat from every other, in bulk (docs/model.md §7.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model import explain

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["perceive_threat", "relationship"]

#: clip((rung − 2)/5, 0, 1) for every value of an int8 rung, indexed by the rung (negative rungs
#: wrap to the table's end, as numpy indexing does; a rung is 0–10): one gather instead of a
#: subtraction, a division and a clip over every dyad (195 states, 10 replications: 2.7 → 1.1 ms CPU a step)
_CONFLICT = np.clip((np.arange(-128, 128, dtype=np.int8).astype(np.int8) - 2) / 5.0, 0.0, 1.0)
_CONFLICT = np.roll(_CONFLICT, -128)


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
    prior = m.params.spiral.prior_greedy
    hostility_ji = np.ascontiguousarray(w.hostility.transpose(0, 2, 1))  # read across once, used twice
    intent = np.maximum(0.1, 1.0 + p.hostility_weight * hostility_ji + 2.0 * p.intent_weight * (w.belief - prior))
    friend = relationship(m, hostility_ji)
    raw = power * prox
    # with no force deployed anywhere the posture factor is 1.0 everywhere, and x·1.0 is x: skipped
    # (195 states: most steps of a quiet world; a pass over the posture instead of two transposed ones)
    offense = 1.0 + p.offense_weight * w.posture.transpose(0, 2, 1) if (m.explain or w.posture.any()) else None
    if offense is not None:
        raw = raw * offense
    raw = raw * intent * friend
    raw[:, d, d] = 0.0
    prev_raw = m.threat_raw
    prev_comp = m.components
    if m.explain:  # lane 0's threat before this step, for the perception records
        m.threat_prev = (w.threat[0] if not initial else raw[0] / (1.0 + raw[0])).copy()
    m.threat_raw_prev = raw if initial else m.threat_raw
    if initial:
        m.threat_ref = raw
    else:
        # the remembered threat a rise is measured against for decide's cause rule: the raw threat
        # with a half-life of ``decision.rise_memory`` weeks (at most one step: last step's threat),
        # so a months-long climb counts as a cause and one week's noise around a steady level does not
        h = m.params.decision.rise_memory
        alpha = 1.0 if h <= m.weeks else 1.0 - 0.5 ** (m.weeks / h)
        m.threat_ref = m.threat_raw if alpha == 1.0 else m.threat_ref + alpha * (m.threat_raw - m.threat_ref)
    m.threat_raw = raw
    m.agg, m.own = agg, own
    if m.explain:
        m.components = {"power": power[0], "proximity": prox, "offense": offense[0], "intent": (intent * friend)[0]}
    w.threat = raw / (1.0 + raw)
    if not initial and m.explain:
        explain.perception(m, prev_raw[0], prev_comp)
    m.causes.clear()
    m.power_causes.clear()


def relationship(m: CrisisModel, hostility_ji: np.ndarray | None = None) -> np.ndarray:
    """Q_ij: how far i reads j's power as a threat, from their relationship; ``[R, N, N]``.

    ``Q = (q₀ + (1 − q₀)·e_ij + w_id·(1 − a_ij)) · (1 − δ·f_ij·(1 − e_ij))`` where

    * e_ij ∈ [0, 1] is enmity: 1 for a strategic rival (Thompson 2001), else the larger of the
      dyad's conflict (rung − 2)/5 (a war makes an adversary) and j's recent hostility toward i
      over ``adversary_hostility``;
    * a_ij is UN-voting affinity (Bailey, Strezhnev & Voeten 2017), so distant identities weigh more;
    * f_ij ∈ [0, 1] is friendship: the strongest of a defence pledge in force either way,
      alignment, and half the alignment through a common partner (ROK and JPN through the USA);
    * q₀ = ``neutral_share``, w_id = ``identity_weight``, δ = ``alignment_discount``.

    An ally's power is then hardly a threat (Walt 1987) unless its own acts make it an adversary.
    With the ``relationship`` submodel switched off, Q is 1 for every dyad (capability, distance,
    posture and intent alone). ``hostility_ji`` is ``hostility`` transposed (``[r, i, j]`` = j's
    toward i), when the caller has it.
    """
    w, p = m.world, m.params.threat
    if "relationship" in m.switched_off:
        return np.ones_like(w.pledge)
    d = m._d
    if hostility_ji is None:
        hostility_ji = w.hostility.transpose(0, 2, 1)
    conflict = _CONFLICT[w.level]  # clip((rung − 2)/5, 0, 1), looked up
    acts = np.minimum(1.0, hostility_ji / p.adversary_hostility)
    enmity = np.maximum(np.maximum(conflict, acts), m._rival_f)
    common = w.align @ w.align
    np.minimum(1.0, common, out=common)
    common[:, d, d] = 0.0
    amity = np.maximum(np.maximum(w.pledge, w.pledge.transpose(0, 2, 1)), np.maximum(w.align, 0.5 * common))
    q0 = p.neutral_share
    # m._identity_term is identity_weight·(1 − affinity), fixed for the run
    q = (q0 + (1.0 - q0) * enmity + m._identity_term) * (1.0 - p.alignment_discount * amity * (1.0 - enmity))
    q[:, d, d] = 0.0
    return q
