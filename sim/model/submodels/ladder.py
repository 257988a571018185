"""Submodel 8, ``resolve_ladder``: the escalation ladder (Kahn 1965): moves take their rung, settlements and de-escalation step down (docs/model.md §7.8)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.submodels.bargain import NUCLEAR_COST_FACTOR
from sim.scenario.events import ACTION_SPECS

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["resolve_ladder", "settle", "intensify", "incidents", "nuclear_risk"]


def resolve_ladder(m: CrisisModel) -> None:
    """The escalation ladder: chosen moves take their rung, settlements and de-escalation step down.

    Upward pressure was already threshold-tested when chosen. Dyads under no new pressure step
    one rung down with the weekly de-escalation rate (never below a floor of 3 while sanctions
    are in force, nor out of a war, which ends only by bargaining). Mutual settlement offers drop
    a dyad ``settlement_drop`` rungs. Minor clashes may intensify into serious ones (:func:`intensify`),
    incidents nobody chose happen where forces meet (:func:`incidents`), and nuclear dyads in a blockade or at war may slip further up (:func:`nuclear_risk`).
    """
    w, lp = m.world, m.params.ladder
    levels = w.level
    up = (m.pressure > levels) & m.upper
    if up.any():
        rn, i, j = np.nonzero(up)
        old, new = levels[rn, i, j], m.pressure[rn, i, j]
        levels[rn, i, j] = levels[rn, j, i] = new
        reset = ((old < 5) & (new >= 5)) | ((old < 7) & (new >= 7))
        u_ = m.params.bargaining.uncertainty
        w.sigma[rn[reset], i[reset], j[reset]] = u_
        w.sigma[rn[reset], j[reset], i[reset]] = u_
    # settlements: mutual offers
    mutual = (w.offer > 0) & (w.offer.transpose(0, 2, 1) > 0)
    if mutual.any() and "settlement" not in m.switched_off:
        settle(m, mutual)
    w.offer *= 0.8 ** m.weeks
    w.offer[w.offer < 0.05] = 0.0
    # de-escalation of quiet dyads
    quiet = (levels > 0) & (levels < 7) & ~(m.pressure > 0)
    rn, i, j = np.nonzero((quiet | m.down) & m.upper)
    if rn.size:
        rate = 1 - (1 - lp.deescalation_rate) ** m.weeks
        lv = levels[rn, i, j]
        floor = np.where((w.sanctions[rn, i, j] > 0) | (w.sanctions[rn, j, i] > 0), 3, 0)
        boost = np.where(m.down[rn, i, j], 2.0, 1.0)
        u = m.dyad_uniform("deescalate", rn, i, j)
        step_down = (lv > floor) & (lv < 7) & (u < np.minimum(1.0, rate * boost))
        rn, i, j = rn[step_down], i[step_down], j[step_down]
        levels[rn, i, j] -= 1
        levels[rn, j, i] -= 1
    intensify(m)
    incidents(m)
    nuclear_risk(m)
    m.pressure[:] = 0
    m.down[:] = False


def settle(m: CrisisModel, mutual: np.ndarray) -> None:
    """Mutual settlement offers: the dyad drops ``settlement_drop`` rungs, and a patron's deal carries its client.

    An open offer from either side to the other's ally (pledge ≥ 0.3, dyad at rung ≥ 3) is
    accepted with the deal (Snyder 1984 on restraining allies).
    """
    w, lp = m.world, m.params.ladder
    levels = w.level
    t = m.steps_done
    rn, i, j = np.nonzero(mutual & m.upper)
    old = levels[rn, i, j].copy()
    floor = np.where((w.sanctions[rn, i, j] > 0) | (w.sanctions[rn, j, i] > 0), 3, 0)  # sanctions in force hold rung 3
    new = np.maximum(floor, old - lp.settlement_drop).astype(levels.dtype)
    levels[rn, i, j] = levels[rn, j, i] = new
    w.hostility[rn, i, j] *= 0.5
    w.hostility[rn, j, i] *= 0.5
    if m.logging:
        rd = ACTION_SPECS["settle"]
        for ii, jj, o, nw in zip(i.tolist(), j.tolist(), old.tolist(), new.tolist(), strict=True):
            cause = m.offer_cause.get((ii, jj)) or m.offer_cause.get((jj, ii), "")
            m.log.add(t, "outcome", "resolve_ladder", f"{w.codes[ii]} and {w.codes[jj]} accept a face-saving settlement: rung {o} → {nw}.",
                         cause=cause, type="settlement", actor=w.codes[ii], target=w.codes[jj], cameo=rd.cameo,
                         goldstein=rd.goldstein, level=nw)
    # clients: for patron a settling with b, each c pledged by a with an open offer from b
    la, a, b = np.concatenate([rn, rn]), np.concatenate([i, j]), np.concatenate([j, i])
    d = m._d[None, :]
    clients = ((w.pledge[la[:, None], a[:, None], d] >= 0.3) & (w.offer[la[:, None], b[:, None], d] > 0)
               & (levels[la[:, None], b[:, None], d] >= 3))
    clients[np.arange(len(a)), a] = False
    clients[np.arange(len(a)), b] = False
    q, c = np.nonzero(clients)
    if q.size:
        lc, bc = la[q], b[q]
        cells, first = np.unique((lc.astype(np.int64) * m.n + np.minimum(bc, c)) * m.n + np.maximum(bc, c), return_index=True)
        lc, bc, c, ac = lc[first], bc[first], c[first], a[q][first]
        old = levels[lc, bc, c].copy()
        floor = np.where((w.sanctions[lc, bc, c] > 0) | (w.sanctions[lc, c, bc] > 0), 3, 0)
        new = np.maximum(floor, old - lp.settlement_drop).astype(levels.dtype)
        levels[lc, bc, c] = levels[lc, c, bc] = new
        w.offer[lc, bc, c] = w.offer[lc, c, bc] = 0.0
        if m.logging:
            for aa, bb, cc, o, nw in zip(ac.tolist(), bc.tolist(), c.tolist(), old.tolist(), new.tolist(), strict=True):
                m.log.add(t, "outcome", "resolve_ladder",
                             f"{w.codes[cc]} accepts {w.codes[bb]}'s offer as part of its patron {w.codes[aa]}'s settlement: rung {o} → {nw}.",
                             cause=m.offer_cause.get((bb, cc), ""), type="settlement", actor=w.codes[cc],
                             target=w.codes[bb], cameo="037", goldstein=5.0, level=nw)
    w.offer[mutual] = 0.0


def intensify(m: CrisisModel) -> None:
    """Fighting intensifies (Richardson 1960; Leng 1993): minor clashes become serious ones.

    Each week a dyad at rung 5 (minor clashes, harassment) climbs to rung 6 (serious clashes) with
    the chance ``intensification × min(1, min(H_ij, H_ji) / provocation)``: the reciprocity of the
    fighting is the hostility of the *less* hostile side toward the other (decayed Goldstein
    units/10, the same scale as the cause of a move into violence, §7.5). Force answered with force
    escalates — Richardson's action–reaction; Leng (1993): the crises that escalate are those in
    which coercion is met with coercion — and a target that answers without force (Hensel & Diehl
    1994) keeps the fighting from feeding on itself. Moving within the violence
    band needs no threshold test (Kahn 1965: crossing into a band is the hard step). The rate is
    fitted to the serious clashes of the ICB record (docs/history.md).
    """
    w, lp = m.world, m.params.ladder
    if "intensification" in m.switched_off or lp.intensification <= 0:
        return
    rn, i, j = np.nonzero((w.level == 5) & m.upper)
    if rn.size == 0:
        return
    mutual = np.minimum(w.hostility[rn, i, j], w.hostility[rn, j, i])
    rate = np.minimum(1.0, lp.intensification * np.minimum(1.0, mutual / lp.provocation))
    hit = m.dyad_uniform("intensify", rn, i, j) < 1 - (1 - rate) ** m.weeks
    _slip_up(m, rn[hit], i[hit], j[hit], "intensification", "190", -10.0,
             lambda a, b, new: f"Force answered with force: the fighting between {a} and {b} intensifies "
                               f"into serious clashes (rung {new}).")


def incidents(m: CrisisModel) -> None:
    """Incidents nobody chose, where forces meet (Posen 1991; Sagan 1993): one rung up, at most to rung 6.

    Two kinds of contact, each with its own weekly hazard. *Crisis contact*: one side's forces
    deployed near the other's (the offensive posture O_ij + O_ji of deployments, exercises and shows
    of force, in units of a 10-ship or 10-brigade force) or force already being used (rungs 5–6:
    clashes, blockades), at ``incident_rate`` per unit. *Peacetime contact*: a shared land border
    along which both sides' forces are on alert, at ``border_incident_rate`` times D_ij (a border
    between liberal-peace partners is less militarised: D_ij the dampening). The weekly hazard is
    ``incident_rate × (O_ij + O_ji + [rung 5–6]) + border_incident_rate × [land border]·D_ij``; only
    dyads at rung ≥ 4 (forces on alert) can have an incident. The two rates are fitted apart because
    the crises of the ICB record and the peacetime dispute rates of neighbours (MID) ask different
    things of them (docs/history.md). An incident never starts a war: war comes from bargaining.
    """
    w, lp = m.world, m.params.ladder
    if "incidents" in m.switched_off or (lp.incident_rate <= 0 and lp.border_incident_rate <= 0):
        return
    levels = w.level
    crisis = w.posture + w.posture.transpose(0, 2, 1) + ((levels >= 5) & (levels < 7))
    rn, i, j = np.nonzero((levels >= 4) & (levels < 6) & ((crisis > 0) | (m.border > 0)) & m.upper)
    if rn.size == 0:
        return
    rate = np.minimum(1.0, lp.incident_rate * crisis[rn, i, j] + lp.border_incident_rate * m.border[i, j])
    pa = 1 - (1 - rate) ** m.weeks
    hit = m.dyad_uniform("accident", rn, i, j) < pa
    _slip_up(m, rn[hit], i[hit], j[hit], "incident", "180", -9.0,
             lambda a, b, new: f"Where {a}'s and {b}'s forces meet, an incident neither side chose "
                               f"(a collision, a misread order) pushes the dyad to rung {new}.")


def _slip_up(m: CrisisModel, rn, i, j, kind: str, cameo: str, goldstein: float, say) -> None:
    """Move dyads (rn, i, j) one rung up that neither side chose, with a little hostility both ways, and log why.

    The log (single-replication models only) names the rise as the cause of the dyad's new rung;
    ``say(actor, target, new_rung)`` gives its text.
    """
    w, levels = m.world, m.world.level
    levels[rn, i, j] += 1
    levels[rn, j, i] += 1
    w.hostility[rn, i, j] += 0.5
    w.hostility[rn, j, i] += 0.5
    if m.logging:
        for ii, jj in zip(i.tolist(), j.tolist(), strict=True):
            new = int(levels[0, ii, jj])
            rid = m.log.add(m.steps_done, "outcome", "resolve_ladder", say(w.codes[ii], w.codes[jj], new),
                            cause=m.level_cause.get((ii, jj), ""), type=kind, actor=w.codes[ii],
                            target=w.codes[jj], cameo=cameo, goldstein=goldstein, level=new)
            m.level_cause[(ii, jj)] = rid


def nuclear_risk(m: CrisisModel) -> None:
    """The threat that leaves something to chance (Schelling 1960, 1966; Powell 2015): nuclear dyads at rung ≥ 6 may slip up.

    Two nuclear powers in a blockade or limited strikes (rung 6) or at war (7–9) run a risk neither
    fully controls: each week the dyad slips one rung up with a chance that depends on where it
    stands (``s`` = ``ladder.nuclear_slip``):

    * rung 6 → 7 (a blockade into war): ``s / κ``, κ = :data:`NUCLEAR_COST_FACTOR` (the same ×4
      that widens their bargaining range, §7.7). What each side stands to lose makes both manage
      the brink with care (Powell 2015; Schelling 1966, ch. 3) — the deterrent half of the
      stability–instability paradox (Snyder 1965): a blockade between them ends in war less often
      than between non-nuclear states, though never with certainty not;
    * rung 7 → 8 (a war into nuclear threats): ``s`` — once they fight, conventional operations
      press on the other's nuclear forces and control is hardest to keep (Posen 1991);
    * rung 8 → 9 → 10 (across the nuclear threshold): ``s · ladder.nuclear_resistance``.

    The longer the confrontation lasts at a high rung, the likelier the slip: a settlement that
    takes the dyad down ends the risk.
    """
    w, lp = m.world, m.params.ladder
    if "nuclear_risk" in m.switched_off or lp.nuclear_slip <= 0:
        return
    levels = w.level
    rn, i, j = np.nonzero((levels >= 6) & (levels < 10) & m.both_nuclear[None] & m.upper)
    if rn.size == 0:
        return
    lv = levels[rn, i, j]
    rate = lp.nuclear_slip * np.select([lv == 6, lv >= 8], [1.0 / NUCLEAR_COST_FACTOR, lp.nuclear_resistance], 1.0)
    hit = m.dyad_uniform("nuclear_risk", rn, i, j) < 1 - (1 - rate) ** m.weeks
    rn, i, j = rn[hit], i[hit], j[hit]
    _slip_up(m, rn, i, j, "nuclear_slip", "195", -10.0,
             lambda a, b, new: f"{a} and {b}, both nuclear powers, lose control of the confrontation "
                               f"(a threat that leaves something to chance): the dyad slips to rung {new}.")
    reset = levels[rn, i, j] == 7  # a new war: private information about its outcome is fresh
    u_ = m.params.bargaining.uncertainty
    w.sigma[rn[reset], i[reset], j[reset]] = u_
    w.sigma[rn[reset], j[reset], i[reset]] = u_
