"""Submodel 5, ``act``: the chosen actions take effect at once (simultaneous moves) (docs/model.md §7.5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.doctrines import ACTIONS, HOSTILE
from sim.doctrines.base import A
from sim.model import explain
from sim.model.streams import uniform
from sim.scenario.events import ACTION_SPECS

_OFFENSIVE = ("threaten", "show_force", "clash", "nuclear_signal")
# per action: the rung it signals, its Goldstein weight, whether it is hostile / offensive, its magnitude
RUNG = np.array([ACTION_SPECS[a].ladder if a != "hold" else 0 for a in ACTIONS], dtype=np.int16)
GOLDSTEIN = np.array([ACTION_SPECS[a].goldstein if a != "hold" else 0.0 for a in ACTIONS])
IS_HOSTILE = np.array([a in HOSTILE for a in ACTIONS])
IS_OFFENSIVE = np.array([a in _OFFENSIVE for a in ACTIONS])
MAGNITUDE = np.array([0.5 if a == "protest" else 1.0 for a in ACTIONS])
assert (GOLDSTEIN[IS_HOSTILE] < 0).all(), "every hostile action reads as hostile (Goldstein < 0)"

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["act", "act_slot", "cross", "RUNG", "GOLDSTEIN", "IS_HOSTILE"]


def act(m: CrisisModel) -> None:
    """Apply the chosen actions (simultaneous moves) in every replication, slot by slot, and log them with their causes.

    Effects are computed from the state before anyone acts and added together, so the order of
    the states does not matter (two states balancing with each other both move their alignment).
    Each state's decisions toward its several dyads (``decide``'s slots) are applied in slot order.
    """
    from sim.model.submodels.decide import select_slot

    for s in range(m.slot_choice.shape[2]):
        select_slot(m, s)
        if s == 0 or m.slot_choice[:, :, s].any():
            act_slot(m)
    select_slot(m, 0)


def act_slot(m: CrisisModel) -> None:
    """Apply one slot of every state's decisions (``m.choice`` toward ``m.focal``)."""
    w, al = m.world, m.params.alignment
    ch, focal = m.choice, m.focal
    rids = explain.log_decisions(m) if m.logging else None
    align_inc: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    # ---- hostile moves: hostility, belief evidence, ladder pressure (threshold-tested)
    hostile = IS_HOSTILE[ch]
    if hostile.any():
        rn, i = np.nonzero(hostile)
        k = focal[rn, i]
        a = ch[rn, i]
        rung = cross(m, rn, i, k, w.level[rn, i, k], RUNG[a])
        mag = MAGNITUDE[a]
        w.hostility[rn, i, k] += (-GOLDSTEIN[a] / 10.0) * mag
        off = IS_OFFENSIVE[a]
        m.acts_off[rn[off], i[off], k[off]] += mag[off]
        m.acts_def[rn[~off], i[~off], k[~off]] += mag[~off]
        pos = rung > 0
        if m.logging:
            pressure = m.pressure[0].copy()
            for ii, kk, rr in zip(i[pos].tolist(), k[pos].tolist(), rung[pos].tolist(), strict=True):
                if rr > pressure[ii, kk]:
                    pressure[ii, kk] = pressure[kk, ii] = rr
                    m.level_cause[(min(ii, kk), max(ii, kk))] = rids[ii]
            for ii, kk in zip(i.tolist(), k.tolist(), strict=True):
                m.touch(kk, ii, rids[ii])
        np.maximum.at(m.pressure, (rn[pos], i[pos], k[pos]), rung[pos])
        np.maximum.at(m.pressure, (rn[pos], k[pos], i[pos]), rung[pos])
        sanc = a == A["sanction"]
        w.sanctions[rn[sanc], i[sanc], k[sanc]] = np.maximum(w.sanctions[rn[sanc], i[sanc], k[sanc]], 0.5)
        sf = a == A["show_force"]
        if sf.any():
            m.add_posture(i[sf], k[sf], 0.15, 2.0, lanes=rn[sf])
    # ---- arming: spending up; states worried by the armer read it as (ambiguous) evidence
    arm = ch == A["arm"]
    if arm.any():
        w.spending += m.params.arms.arm_boost * arm
        worried = w.threat.transpose(0, 2, 1) > m.params.decision.attention  # worried[r, i, j]: j fears i
        m.acts_def += 0.5 * (arm[:, :, None] & worried)
        if m.logging:
            for ii in np.nonzero(arm[0])[0].tolist():
                for j in np.nonzero(worried[0, ii])[0].tolist():
                    m.touch(j, ii, rids[ii])
    # ---- balancing: align with a partner also threatened by the focal state; firm into a pledge
    bal = ch == A["balance"]
    if bal.any():
        rn, i = np.nonzero(bal)
        p, k = m.partner[rn, i], focal[rn, i]
        step = al.alignment_step * min(1.0, m.weeks)
        align_inc.append((rn, i, p, step * (1.0 - w.align[rn, i, p])))  # diminishing returns
        align_inc.append((rn, p, i, step / 2 * (1.0 - w.align[rn, p, i])))
        m.acts_def[rn, i, k] += 0.5
        if m.logging:
            for ii, kk in zip(i.tolist(), k.tolist(), strict=True):
                m.touch(kk, ii, rids[ii])
    # ---- bandwagoning and reassurance: hostility down, alignment up, costly signals, de-escalation
    for name, factor, inc in (("bandwagon", 0.5, al.alignment_step),
                              ("reassure", 1.0 - min(0.9, GOLDSTEIN[A["reassure"]] / 20.0), GOLDSTEIN[A["reassure"]] / 200.0)):
        sel = ch == A[name]
        if not sel.any():
            continue
        rn, i = np.nonzero(sel)
        k = focal[rn, i]
        w.hostility[rn, i, k] *= factor
        align_inc.append((rn, i, k, np.full(len(rn), inc)))
        if name == "bandwagon" or GOLDSTEIN[A["reassure"]] >= 5:
            m.acts_reassure[rn, i, k] += 1.0
        m.down[rn, i, k] = True
        m.down[rn, k, i] = True
        if m.logging and name == "reassure":
            for ii, kk in zip(i.tolist(), k.tolist(), strict=True):
                m.touch(kk, ii, rids[ii])
    if align_inc:
        for rn, i, j, inc in align_inc:
            np.add.at(w.align, (rn, i, j), inc)
        np.minimum(w.align, 1.0, out=w.align)
    if bal.any():
        rn, i = np.nonzero(bal)
        p, k = m.partner[rn, i], focal[rn, i]
        # a firm alignment is signed into a defence pledge only at the rate alliances actually form:
        # treaties take negotiation and domestic ratification, and an aligned dyad rarely upgrades
        # (ATOP: 1.4% of aligned dyad-years; Leeds et al. 2002) — not at the first balancing act
        # that crosses the threshold
        sign = 1.0 - (1.0 - min(1.0, al.pact_rate)) ** (m.weeks / 52.0)
        draw = uniform(m.keys[rn], "pact", m.steps_done, m.akey[np.minimum(i, p)], m.akey[np.maximum(i, p)])
        form = (w.align[rn, i, p] >= al.pact_threshold) & (w.pledge[rn, i, p] < 0.5) & (draw < sign)
        if form.any():
            rn, i, p, k = rn[form], i[form], p[form], k[form]
            w.pledge[rn, i, p] = w.pledge[rn, p, i] = 0.6
            w.reliab[rn, i, p] = np.maximum(w.reliab[rn, i, p], 0.6)
            w.reliab[rn, p, i] = np.maximum(w.reliab[rn, p, i], 0.6)
            if m.logging:
                for ii, pp, kk in zip(i.tolist(), p.tolist(), k.tolist(), strict=True):
                    r2 = m.log.add(m.steps_done, "outcome", "alignment",
                                      f"{w.codes[ii]} and {w.codes[pp]} firm their alignment into a defence commitment against {w.codes[kk]} (Walt: balancing).",
                                      cause=rids[ii], type="defense_pact", actor=w.codes[ii], target=w.codes[pp], cameo="057", goldstein=8.0, level=0)
                    m.touch_power(ii, r2)
                    m.touch_power(pp, r2)
    # ---- settlement offers
    st = ch == A["settle"]
    if st.any():
        rn, i = np.nonzero(st)
        k = focal[rn, i]
        w.offer[rn, i, k] = np.maximum(w.offer[rn, i, k], 0.5)
        if m.logging:
            for ii, kk in zip(i.tolist(), k.tolist(), strict=True):
                m.offer_cause[(ii, kk)] = rids[ii]


def cross(m: CrisisModel, rn: np.ndarray, i: np.ndarray, k: np.ndarray, level: np.ndarray, rung: np.ndarray) -> np.ndarray:
    """Threshold test for chosen moves from ``level`` up to ``rung`` (Kahn's thresholds).

    Crossing into violence (rung 5) goes through with the chance ``violence_resistance`` (scaled
    by the state's risk attitude) times the liberal peace's √damp times the **cause**: min(1,
    H'_ki / ``provocation``), the target's own recent hostility toward the mover beyond the floor
    its sanctions in force keep (escalation needs a cause: a state does not open fire on a rival
    that has done nothing lately but keep its sanctions), times
    the **opportunity**: min(1, contact), the contact of the two sides' forces (a land border,
    forces deployed near each other; Most & Starr 1989, Bremer 1992). No
    chosen move crosses rung 7 (war comes from bargaining) or rung 9 (nuclear use, from the
    nuclear-risk path). A move that fails stops at rung 4.
    """
    lp, w = m.params.ladder, m.world
    first = np.where((level < 5) & (5 <= rung), 5, 0).astype(np.int16)
    # the provocation is k's hostility toward i beyond the floor that k's sanctions in force keep
    # (§7.2): sanctions are economic pressure, not the kind of act that a state answers with fire
    provoked = np.maximum(0.0, w.hostility[rn, k, i] - 0.5 * w.sanctions[rn, k, i])
    cause = np.minimum(1.0, provoked / lp.provocation)
    prob = np.minimum(1.0, lp.violence_resistance * m.risk[i]) * m.sqrt_damp[i, k] * cause
    if "opportunity" not in m.switched_off:
        # opportunity (Most & Starr 1989; Bremer 1992): force is used where forces meet — along a
        # land border or where either side has forces deployed near the other (the contact of
        # ``incidents``); a state cannot open fire on a distant rival it does not touch
        contact = w.posture[rn, i, k] + w.posture[rn, k, i] + m.border[i, k]
        prob = prob * np.minimum(1.0, contact)
    through = (first == 0) | (m.cross_draw[rn, i] < prob)
    return np.where(through, rung, first - 1).astype(np.int16)
