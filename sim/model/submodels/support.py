"""Submodel 6, ``alliance_politics``: allies of a state in crisis support or abandon it (Snyder 1984; Christensen & Snyder 1990) (docs/model.md §7.6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model import explain
from sim.model.streams import uniform

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["alliance_politics"]


def alliance_politics(m: CrisisModel) -> None:
    """Allies of a state in crisis decide to support it or stand aside (abandonment vs entrapment).

    For ally i of k in a crisis with z (rung ≥ crisis_level), support probability is a logistic
    function of i's dependence on k (abandonment fear, D), the expected cost of joining (entrapment,
    E), the firmness of the pledge, and the offence–defence perception (+: chain-ganging,
    −: buck-passing). Supporting at war means joining it. Reliability beliefs update after.
    An ally decides once for each rung its partner's crisis reaches; all allies decide at once,
    from the rungs at the start of this submodel.
    """
    w, ap = m.world, m.params.alliance_politics
    if "support" in m.switched_off:
        return
    levels = w.level
    n = m.n
    cl, ca, cb = np.nonzero((levels >= ap.crisis_level) & m.upper)
    if cl.size == 0:
        return
    # both directions of each crisis dyad: ally i of k, against z
    lk = np.concatenate([cl, cl])
    k = np.concatenate([ca, cb])
    z = np.concatenate([cb, ca])
    lvl = levels[lk, k, z]
    order = np.argsort(lk * n * n + np.concatenate([ca * n + cb, ca * n + cb]) + 0.5 * np.repeat([0, 1], len(cl)), kind="stable")
    lk, k, z, lvl = lk[order], k[order], z[order], lvl[order]
    cand = w.pledge[lk[:, None], m._d[None, :], k[:, None]] > 0.05  # [M, N]: i pledged to k
    cand &= levels[lk[:, None], m._d[None, :], z[:, None]] < lvl[:, None]
    cand &= w.pledge[lk[:, None], m._d[None, :], z[:, None]] <= 0.3
    cand[np.arange(len(k)), k] = False
    cand[np.arange(len(k)), z] = False
    row, i = np.nonzero(cand)
    if row.size == 0:
        return
    rn, k, z, lvl = lk[row], k[row], z[row], lvl[row]
    # each (ally, partner, opponent) decides once per rung reached
    key = ((rn.astype(np.int64) * n + i) * n + k) * n + z
    pos = np.searchsorted(m._decided_keys, key)
    found = pos < len(m._decided_keys)
    found[found] = m._decided_keys[pos[found]] == key[found]
    prev = np.full(len(key), -1, dtype=np.int16)
    prev[found] = m._decided_level[pos[found]]
    go = prev < lvl
    if not go.any():
        return
    rn, i, k, z, lvl, key, pos, found = rn[go], i[go], k[go], z[go], lvl[go], key[go], pos[go], found[go]
    m._decided_level[pos[found]] = lvl[found]
    if (~found).any():
        keys = np.concatenate([m._decided_keys, key[~found]])
        dl = np.concatenate([m._decided_level, lvl[~found].astype(np.int16)])
        srt = np.argsort(keys, kind="stable")
        m._decided_keys, m._decided_level = keys[srt], dl[srt]
    own = m.own
    # dependence: the share of i's security that k's pledge provides, 0–1
    backing = w.pledge[rn, k, i] * w.cap[rn, k]
    dependence = backing / (backing + own[rn, i])
    # entrapment: the expected cost of fighting z; joining a war against a nuclear power
    # carries the risk of nuclear escalation (Jervis 1989)
    cost = (lvl / 10.0) * np.minimum(3.0, m.agg[rn, i, z] / np.maximum(own[rn, i], 1e-9))
    cost = cost + 3.0 * (w.nuclear[z] & (lvl >= 7))
    offense_defense = w.offense_defense[i]
    pwin_kz = own[rn, k] / (own[rn, k] + m.agg[rn, k, z])
    need = 0.5 - pwin_kz  # > 0 when the ally would lose alone
    x = (-1.5 + w.pledge[rn, i, k] * (1.5 + 2.5 * offense_defense)
         + ap.abandonment_weight * (1.5 * dependence + 3.0 * need)
         - ap.entrapment_weight * cost + 1.0 * (w.threat[rn, i, z] - 0.3)
         + (m.prox[i, z] - 0.5)  # distant quarrels matter less
         + np.log(m.risk[i]))  # risk-acceptant states enter wars more readily
    prob = 1.0 / (1.0 + np.exp(-2.0 * x))
    u = uniform(m.keys[rn], "support", m.steps_done, m.akey[i], m.akey[k], m.akey[z])
    sup = u < prob
    # at war, support means joining it. Short of war it is a show of force (rung 4) from a
    # major power or a neighbour of the opponent, words (rung 1) from others.
    join = np.where(lvl >= 7, lvl, np.where(m.reach_major[i, z], 4, 1)).astype(np.int16)
    if m.logging:
        explain.log_support(m, i, k, z, lvl, prob, sup, join, offense_defense)
    # reliability learning: each decision moves k's belief in i toward 1 (support) or 0 (abandon)
    rl = ap.reliability_learning
    flat = (rn.astype(np.int64) * n + k) * n + i
    cells, inv = np.unique(flat, return_inverse=True)
    n_sup = np.bincount(inv, weights=sup, minlength=len(cells))
    n_ab = np.bincount(inv, weights=~sup, minlength=len(cells))
    r = w.reliab.flat[cells]
    # support moves 1 − r toward 0 by (1 − rl), abandonment moves r toward 0 by (1 − rl)
    w.reliab.flat[cells] = (1.0 - (1.0 - r) * (1.0 - rl) ** n_sup) * (1.0 - rl) ** n_ab
    if sup.any():
        rn, i, z, join = rn[sup], i[sup], z[sup], join[sup]
        raise_ = join > levels[rn, i, z]
        np.maximum.at(levels, (rn, i, z), join)
        np.maximum.at(levels, (rn, z, i), join)
        u_ = m.params.bargaining.uncertainty
        w.sigma[rn[raise_], i[raise_], z[raise_]] = u_
        w.sigma[rn[raise_], z[raise_], i[raise_]] = u_
        np.add.at(w.hostility, (rn, i, z), 0.5)
