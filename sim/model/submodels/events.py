"""Submodel 1, ``apply_events``: scheduled scenario events change the world; pacts come into force (docs/model.md §7.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.handlers import apply_scheduled

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["apply_events", "disputes"]


def apply_events(m: CrisisModel) -> None:
    """Apply the scenario events due this step; expire deployments; bring pacts into force."""
    w = m.world
    t = m.steps_done
    for k in sorted(k for k in m.expiring if k <= t):
        for lanes, i, j, weight in m.expiring.pop(k):
            np.subtract.at(w.posture, (lanes, i, j), weight)
    np.maximum(w.posture, 0.0, out=w.posture)  # every step, in every replication alike
    disputes(m)
    for kind, item, eid in m._due.pop(t, ()):
        if kind == "event":
            apply_scheduled(m, item, eid)
        elif item[0] == "pact_in_force":
            _, idx, strength, cause = item
            names = " and ".join(w.codes[k] for k in idx)
            rid = ""
            if m.logging:
                rid = m.log.add(t, "event", "alignment", f"The {names} pact enters into force: the pledge binds at full strength ({strength:.1f}).",
                                   cause=cause, type="pact_in_force", actor=w.codes[idx[0]], target=",".join(w.codes[k] for k in idx[1:]),
                                   cameo="057", goldstein=8.0, level=0)
            for a in idx:
                for b in idx:
                    if a != b:
                        w.pledge[:, a, b] = np.maximum(w.pledge[:, a, b], strength)
                m.touch_power(a, rid)


def disputes(m: CrisisModel) -> None:
    """New issues arise between states, the more often the more tense and the less liberal-peaceful the dyad.

    In a dyad at rung 0 a dispute opens with the yearly hazard ``ν·τ_ij·D_ij·Ω_ij``, where ``τ_ij``
    is the higher of the two directed threats (so neighbours, rivals and states near parity quarrel
    more), ``D_ij`` the liberal-peace dampening (democracies and trade partners less), ``Ω_ij`` the
    opportunity (1 for land neighbours, ``decision.opportunity_major`` for other dyads with a major
    power, ``decision.opportunity_other`` for the rest; Most & Starr 1989, Bremer 1992) and ``ν`` =
    ``decision.dispute_rate``. A dispute opens the dyad at rung 2 (demands backed by threats: a
    MID's first hostility level) and each side's hostility toward the other rises by 0.5: an open
    dispute is a cause (§7.5), so hostile moves become open to both; whether it escalates is up
    to their doctrines, the ladder and bargaining, and without pressure it steps down again (§7.8).
    """
    if "disputes" in m.switched_off:
        return
    w = m.world
    rn, i, j = np.nonzero((w.level == 0) & m.upper[None])
    if rn.size == 0:
        return
    tension = np.maximum(w.threat[rn, i, j], w.threat[rn, j, i])
    rate = np.minimum(1.0, m.params.decision.dispute_rate * tension * m.damp[i, j] * m.opportunity[i, j])
    p = 1.0 - (1.0 - rate) ** (m.weeks / 52.0)
    hit = m.dyad_uniform("dispute", rn, i, j) < p
    rn, i, j = rn[hit], i[hit], j[hit]
    w.level[rn, i, j] = 2
    w.level[rn, j, i] = 2
    w.hostility[rn, i, j] += 0.5
    w.hostility[rn, j, i] += 0.5
    if m.logging:
        for ii, jj in zip(i.tolist(), j.tolist(), strict=True):
            m.log.add(m.steps_done, "event", "disputes", f"A new issue arises between {w.codes[ii]} and {w.codes[jj]} "
                      "(disputes arise the more often the more tense the dyad).", type="dispute", actor=w.codes[ii],
                      target=w.codes[jj], cameo="", goldstein=-5.0, level=2)
