"""Submodel 4, ``decide``: every state scores its actions through its doctrine; agents draw their choices (docs/model.md §7.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.doctrines import ACTIONS, Features, valid_mask
from sim.doctrines.base import A
from sim.doctrines.lenses import design
from sim.model.streams import uniform
from sim.model.submodels.act import IS_HOSTILE

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["focal_order", "top_k", "features", "best_ally", "utilities", "relative_rise", "decide", "select_slot"]


def focal_order(m: CrisisModel) -> np.ndarray:
    """The dyads each state attends to this step, most pressing first: ``[R, N, K]`` state indices.

    Pressing is the threat as the state's doctrine weighs it (:meth:`Doctrine.focus`: threat for
    a realist, read through the liberal peace for a liberal, from the 'other' for a
    constructivist) plus 0.05 per rung already reached; K = ``decision.max_dyads``.
    """
    w = m.world
    score = w.threat * m.focus_weight + 0.05 * w.level
    score[:, m._d, m._d] = -1.0
    K = max(1, min(m.params.decision.max_dyads, m.n - 1))
    return top_k(score, K)


def top_k(score: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest scores along the last axis, largest first, ties to the lower index.

    The same as ``np.argsort(-score, axis=-1, kind="stable")[..., :k]`` for scores that are not NaN
    (tested), by ``k`` passes of ``argmax`` (each masking the one found): for the K = 2 of the
    default and the 195-state world's rows of 195, 72 ms → 8 ms a step (10 replications), since a
    full sort orders every row only to keep two. ``score`` is overwritten.
    """
    if k == 1:
        return np.argmax(score, axis=-1)[..., None]
    out = np.empty((*score.shape[:-1], k), dtype=np.intp)
    for s in range(k):
        best = np.argmax(score, axis=-1)
        out[..., s] = best
        if s < k - 1:
            np.put_along_axis(score, best[..., None], -np.inf, axis=-1)
    return out


def features(m: CrisisModel, k: np.ndarray | None = None, ally: np.ndarray | None = None,
             threat_t: np.ndarray | None = None) -> Features:
    """What every state sees of its dyad with state ``k`` (``[R, N]``; default: its most pressing one).

    Arrays are flattened over replications and states (``[R·N]``, replication-major), so that
    doctrines score a whole batch at once. Sets ``m.partner`` (the balancing partner against ``k``).
    ``ally`` is :func:`best_ally` of the present world and ``threat_t`` its threat transposed
    (contiguous), when the caller has them already.
    """
    w = m.world
    R, n = m.R, m.n
    threat = w.threat
    lane, rows = m._lane, m._rows
    if k is None:
        k = focal_order(m)[:, :, 0]
    att = m.params.decision.attention
    # balancing partner: another state threatened by k, weighted by alignment and affinity
    aff = m.affinity
    # flat positions of the cells read below (np.take on one index is several times faster than
    # indexing with three arrays; the same values): [r, i, k_ri], [r, k_ri, i] and [i, k_ri]
    cell = (lane * n + rows) * n + k
    cell_t = (lane * n + k) * n + rows
    pair = rows * n + k
    if threat_t is None:
        threat_t = np.ascontiguousarray(threat.transpose(0, 2, 1))
    tk = threat_t[lane, k]  # tk[r, i, p] = threat[r, p, k_ri]: whole rows gathered, not single cells
    cand = tk + m._affinity_term + w.align
    mask = tk > att  # p threatened by k_i
    mask[:, m._d, m._d] = False
    mask[lane, rows, k] = False
    cand = np.where(mask, cand, -np.inf)
    partner = np.argmax(cand, axis=2)
    has_partner = np.isfinite(cand[lane, rows, partner])
    m.partner = np.where(has_partner, partner, -1)
    if ally is None:
        ally = best_ally(m)
    agg_k = np.maximum(np.take(m.agg, cell), 1e-9)
    power = np.maximum(m.own / agg_k, 1e-6)
    alp = m.params.alignment
    # weak and alone (Walt 1987): no credible ally, and far weaker than k even together with its
    # balancing partner, if it has one — bandwagoning is for states that add little to a
    # coalition and for which allies are unavailable
    coalition = (m.own + np.where(has_partner, m.own[lane, m.partner], 0.0)) / agg_k
    weak_alone = (coalition < alp.weak_ratio) & (ally < alp.credible_ally)
    level_k = np.take(w.level, cell)

    def flat(a):
        return a.ravel() if a.shape == (R, n) else np.broadcast_to(a, (R, n)).ravel()

    return Features(
        threat=flat(np.take(threat, cell)),
        threat_rise=flat(relative_rise(m, lane, rows, k, cell)),
        level=flat(level_k.astype(float)),
        power=flat(power),
        ally=flat(ally),
        partner=flat(has_partner.astype(float)),
        hostility=flat(np.take(w.hostility, cell_t)),
        belief=flat(np.take(w.belief, cell)),
        damp=flat(np.take(m.damp, pair)),
        trade=flat(np.take(w.trade, pair)),
        democracy=m._flat_static["dem"],
        affinity=flat(np.take(aff, pair)),
        resolve=m._flat_static["resolve"],
        nuclear=m._flat_static["nuclear"],
        target_nuclear=flat(w.nuclear[k].astype(float)),
        weak_alone=flat(weak_alone.astype(float)),
        at_war=flat((level_k >= 7).astype(float)),
        offer=flat(np.take(w.offer, cell_t)),
        sustained_rise=flat(relative_rise(m, lane, rows, k, cell, m.threat_ref)),
    )


def best_ally(m: CrisisModel) -> np.ndarray:
    """Each state's best credible ally: max over k of pledge_ki × reliability_ik (``[R, N]``)."""
    w = m.world
    return (w.pledge.transpose(0, 2, 1) * w.reliab).max(axis=2)


def relative_rise(m: CrisisModel, lane: np.ndarray, rows: np.ndarray, k: np.ndarray,
                  cell: np.ndarray | None = None, reference: np.ndarray | None = None) -> np.ndarray:
    """Relative change of the raw threat index since the last step (or over ``reference``), clipped to [−1, 1].

    ``reference`` is an ``[R, N, N]`` array of earlier raw threats; the cause rule passes the
    remembered threat ``m.threat_ref`` (half-life ``decision.rise_memory`` weeks).

    ``cell`` is the flat position of ``[lane, rows, k]`` in an ``[R, N, N]`` array, if known.
    """
    if cell is None:
        cell = (lane * m.n + rows) * m.n + k
    now = np.take(m.threat_raw, cell)
    before = np.take(m.threat_raw_prev if reference is None else reference, cell)
    rise = now / np.maximum(before, 1e-12) - 1.0
    rise[before <= 0] = 0.0
    return np.clip(rise, -1.0, 1.0)


def utilities(m: CrisisModel, f: Features) -> np.ndarray:
    """Every state's scores of every action toward the dyad ``f`` describes: ``[R, N, actions]``.

    The doctrine's table, the modifiers' offsets, the liberal peace on hostile choices, the valid
    actions, and the rule that escalation needs a cause: hostile moves are open only in a dyad
    with an open dispute (rung ≥ 1), the other's recent hostility toward the mover
    (``decision.cause_hostility``) or a rise in the threat it poses (``decision.cause_rise``).
    """
    x = design(f)  # the terms every lens weighs, computed once for all states of all replications
    if m._scorer is not None:
        u = m._scorer.scores(x, m.R)
    elif len(m.doctrine_groups) == 1:
        u = m.doctrines[0].utilities_from_design(x)
    else:
        u = np.empty((m.R * m.n, len(ACTIONS)))
        for doctrine, rows in zip(m.doctrines, m._group_rows, strict=True):
            u[rows] = doctrine.utilities_from_design(x[rows])
    u = u.reshape(m.R, m.n, len(ACTIONS)) + m.mod_offsets
    # liberal peace (a mechanism for every lens): joint democracy, trade and institutions
    # lower the odds of every hostile choice by the dyad's dampening factor
    u[:, :, m._hostile_cols] += np.log(np.maximum(f.damp, 1e-6)).reshape(m.R, m.n)[:, :, None]
    u[~valid_mask(f).reshape(u.shape)] = -np.inf
    dp = m.params.decision
    rise = f.threat_rise if f.sustained_rise is None else f.sustained_rise
    live = (f.hostility >= dp.cause_hostility) | (rise > dp.cause_rise) | (f.level >= 1)
    u[:, :, m._hostile_cols] = np.where(live.reshape(m.R, m.n)[:, :, None], u[:, :, m._hostile_cols], -np.inf)
    return u


def decide(m: CrisisModel) -> None:
    """Every state chooses an act toward each of its K most pressing dyads (deter one, coerce another, reassure a third), and its security policy.

    Slots 0…K−1 are the dyadic acts (hold, the hostile acts, reassure, settle): slot 0 is the
    most pressing dyad; further slots act only where attention is warranted (threat above
    ``decision.attention`` or an open dispute). Slot K is the state's **policy** of the step
    toward its most pressing dyad — hold, arm, balance or bandwagon (internal or external
    balancing, or bandwagoning: substitutes for one another, Morrow 1993) — drawn from the same
    scores over those four actions only, so that signalling to a rival does not crowd out arming
    or aligning against it (Walt 1987). At most ``decision.max_hostile`` hostile acts a step; a
    state that does not attend this step (response lag) holds everywhere. Each slot draws from
    the state's own stream (three uniforms per dyadic slot, one more for the policy).
    """
    order = focal_order(m)
    K = order.shape[2]
    dp = m.params.decision
    # each agent takes its uniforms from its own stream (drawn for all agents at once: a
    # draw is a function of the actor's key, so this is the same as each drawing its own);
    # moves are simultaneous, so the order of the calls does not matter
    m.draws = uniform(m.keys[:, None, None], "decide", m.steps_done, m.akey[None, :, None], _slots(K))
    m.agents.do("decide")
    shape = (m.R, m.n, K + 1)
    choice = np.zeros(shape, dtype=np.int64)
    partner = np.full(shape, -1, dtype=np.int64)
    cross = np.ones(shape)
    n_hostile = np.zeros((m.R, m.n), dtype=np.int64)
    ally = best_ally(m)  # the same for every slot: nothing changes before act
    threat_t = np.ascontiguousarray(m.world.threat.transpose(0, 2, 1))
    for s in range(K):
        f = features(m, order[:, :, s], ally, threat_t)
        u = utilities(m, f)
        if s == 0:
            m.feat, m.utilities = f, u
            # the logit over the four policy actions: the same pick as over all twelve with the
            # others at −inf (they add exp(−inf) = 0 to the running sums, which changes no bit)
            pick = _POLICY_PICK[_logit_pick(u[:, :, _POLICY] / dp.temperature, m.draws[:, :, 3 * K])]
            pick[~m.attending] = 0
            choice[:, :, K] = pick
            partner[:, :, K] = m.partner
            uc, cross[:, :, 0] = m.u_choice, m.cross_draw
        else:
            warranted = ((f.threat > dp.attention) | (f.level >= 1)).reshape(m.R, m.n)
            u[:, :, 1:] = np.where(warranted[:, :, None], u[:, :, 1:], -np.inf)
            uc, cross[:, :, s] = m.draws[:, :, 3 * s], m.draws[:, :, 3 * s + 1]
        u[:, :, _PRIMARY] = -np.inf
        pick = _logit_pick(u / dp.temperature, uc)
        pick[~m.attending] = 0
        hostile = IS_HOSTILE[pick]
        pick[hostile & (n_hostile >= dp.max_hostile)] = 0
        n_hostile += IS_HOSTILE[pick]
        choice[:, :, s] = pick
        partner[:, :, s] = m.partner
    focal = np.concatenate([order, order[:, :, :1]], axis=2)
    m.slot_choice, m.slot_focal, m.slot_partner, m.slot_cross = choice, focal, partner, cross
    select_slot(m, 0)


#: The policy actions (one a step, in the policy slot): internal or external balancing, bandwagoning.
_PRIMARY = np.array([A["arm"], A["balance"], A["bandwagon"]])
_POLICY = np.array([A["hold"], A["arm"], A["balance"], A["bandwagon"]])
#: a pick among the policy actions as an action (past the last: the last action, as over all twelve)
_POLICY_PICK = np.append(_POLICY, len(ACTIONS) - 1)


def _slots(k: int) -> np.ndarray:
    return np.arange(3 * k + 1, dtype=np.uint64)[None, None, :]


def _logit_pick(u: np.ndarray, uc: np.ndarray) -> np.ndarray:
    u = u - u.max(axis=2, keepdims=True)
    c = np.cumsum(np.exp(u), axis=2)
    pick = (c < (uc * c[:, :, -1])[:, :, None]).sum(axis=2)
    return np.minimum(pick, len(ACTIONS) - 1) if u.shape[2] == len(ACTIONS) else pick


def select_slot(m: CrisisModel, s: int) -> None:
    """Make slot ``s`` the current decision (``m.choice``, ``m.focal``, ``m.partner``, ``m.cross_draw``)."""
    m.choice = m.slot_choice[:, :, s]
    m.focal = m.slot_focal[:, :, s]
    m.partner = m.slot_partner[:, :, s]
    m.cross_draw = m.slot_cross[:, :, s]
