"""Submodel 4, ``decide``: every state scores its actions through its doctrine; agents draw their choices (docs/model.md §7.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.doctrines import ACTIONS, Features, valid_mask
from sim.doctrines.lenses import design
from sim.model.streams import uniform

_SLOTS3 = np.arange(3, dtype=np.uint64)[None, None, :]

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["features", "relative_rise", "decide", "choose"]


def features(m: CrisisModel) -> Features:
    """The focal dyad of every state and what the state sees of it (vectorised).

    Arrays are flattened over replications and states (``[R·N]``, replication-major), so that
    doctrines score a whole batch at once.
    """
    w = m.world
    R, n = m.R, m.n
    threat = w.threat
    lane, rows = m._lane, m._rows
    # the focal dyad: the one the state's lens makes most pressing (threat for a realist,
    # threat read through the liberal peace for a liberal, threat from the 'other' for a
    # constructivist), plus the rung already reached
    score = threat * m.focus_weight + 0.05 * w.level
    score[:, m._d, m._d] = -1.0
    k = np.argmax(score, axis=2)  # [R, N]
    m.focal = k
    att = m.params.decision.attention
    # balancing partner: another state threatened by k, weighted by alignment and affinity
    aff = m.affinity
    tk = threat.transpose(0, 2, 1)[lane[:, :, None], k[:, :, None], rows[:, None, :]]  # tk[r, i, p] = threat[r, p, k_ri]
    cand = tk + m.params.alignment.affinity_weight * aff + w.align
    mask = tk > att  # p threatened by k_i
    mask[:, m._d, m._d] = False
    mask[lane, rows, k] = False
    cand = np.where(mask, cand, -np.inf)
    partner = np.argmax(cand, axis=2)
    has_partner = np.isfinite(cand[lane, rows, partner])
    m.partner = np.where(has_partner, partner, -1)
    ally = (w.pledge.transpose(0, 2, 1) * w.reliab).max(axis=2)
    power = np.maximum(m.own / np.maximum(m.agg[lane, rows, k], 1e-9), 1e-6)
    alp = m.params.alignment
    weak_alone = (power < alp.weak_ratio) & (ally < alp.credible_ally)
    level_k = w.level[lane, rows, k]

    def flat(a):
        return a.ravel() if a.shape == (R, n) else np.broadcast_to(a, (R, n)).ravel()

    return Features(
        threat=flat(threat[lane, rows, k]),
        threat_rise=flat(relative_rise(m, lane, rows, k)),
        level=flat(level_k.astype(float)),
        power=flat(power),
        ally=flat(ally),
        partner=flat(has_partner.astype(float)),
        hostility=flat(w.hostility[lane, k, rows]),
        belief=flat(w.belief[lane, rows, k]),
        damp=flat(m.damp[rows, k]),
        trade=flat(w.trade[rows, k]),
        democracy=m._flat_static["dem"],
        affinity=flat(aff[rows, k]),
        resolve=m._flat_static["resolve"],
        nuclear=m._flat_static["nuclear"],
        target_nuclear=flat(w.nuclear[k].astype(float)),
        weak_alone=flat(weak_alone.astype(float)),
        at_war=flat((level_k >= 7).astype(float)),
        offer=flat(w.offer[lane, k, rows]),
    )


def relative_rise(m: CrisisModel, lane: np.ndarray, rows: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Relative change of the raw threat index since the last step, clipped to [−1, 1]."""
    now = m.threat_raw[lane, rows, k]
    before = m.threat_raw_prev[lane, rows, k]
    rise = now / np.maximum(before, 1e-12) - 1.0
    rise[before <= 0] = 0.0
    return np.clip(rise, -1.0, 1.0)


def decide(m: CrisisModel) -> None:
    """Every state scores its actions through its doctrine; agents draw their choices."""
    f = m.features()
    m.feat = f
    x = design(f)  # the terms every lens weighs, computed once for all states of all replications
    if len(m.doctrine_groups) == 1:
        u = m.doctrines[0].utilities_from_design(x)
    elif m._tables is not None:
        x3 = x.reshape(m.R, m.n, -1)
        t0, w0 = m._tables[0]
        u = x3[:, :, t0:t0 + 1] * w0
        for t, wt in m._tables[1:]:
            u += x3[:, :, t:t + 1] * wt
    else:
        u = np.empty((m.R * m.n, len(ACTIONS)))
        for doctrine, rows in zip(m.doctrines, m._group_rows, strict=True):
            u[rows] = doctrine.utilities_from_design(x[rows])
    u = u.reshape(m.R, m.n, len(ACTIONS)) + m.mod_offsets
    # liberal peace (a mechanism for every lens): joint democracy, trade and institutions
    # lower the odds of every hostile choice by the dyad's dampening factor
    u[:, :, m._hostile_cols] += np.log(np.maximum(f.damp, 1e-6)).reshape(m.R, m.n)[:, :, None]
    u[~valid_mask(f).reshape(u.shape)] = -np.inf
    # escalation needs a cause: a hostile move toward the focal state needs an open dispute with it
    # (the dyad above rung 0), its recent hostility toward the mover, or a rise in the threat it poses
    dp = m.params.decision
    live = (f.hostility >= dp.cause_hostility) | (f.threat_rise > dp.cause_rise) | (f.level >= 1)
    u[:, :, m._hostile_cols] = np.where(live.reshape(m.R, m.n)[:, :, None], u[:, :, m._hostile_cols], -np.inf)
    m.utilities = u
    # each agent takes its uniforms from its own stream (drawn for all agents at once: a
    # draw is a function of the actor's key, so this is the same as each drawing its own);
    # moves are simultaneous, so the order of the calls does not matter
    m.draws = uniform(m.keys[:, None, None], "decide", m.steps_done, m.akey[None, :, None], _SLOTS3)
    m.agents.do("decide")
    choose(m)


def choose(m: CrisisModel) -> None:
    """Logit choice for all states at once from the uniforms each agent drew."""
    u = m.utilities / m.params.decision.temperature
    u = u - u.max(axis=2, keepdims=True)
    p = np.exp(u)
    c = np.cumsum(p, axis=2)
    pick = (c < (m.u_choice * c[:, :, -1])[:, :, None]).sum(axis=2)
    np.minimum(pick, len(ACTIONS) - 1, out=pick)
    pick[~m.attending] = 0
    m.choice = pick
