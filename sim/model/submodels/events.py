"""Submodel 1, ``apply_events``: scheduled scenario events change the world; pacts come into force (docs/model.md §7.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.handlers import apply_scheduled

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["apply_events", "disputes", "DISPUTE_RATES"]


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


#: Yearly rate at which a new issue arises in a dyad, by type: MID onsets per dyad-year,
#: 1946–2010 (sim/data/base_rates_MID_1946-2010.csv: land-contiguous 68.3, involving a major
#: power 12.44, other 0.65 per 1,000 dyad-years).
DISPUTE_RATES = {"contiguous": 0.0683, "major power": 0.01244, "other": 0.00065}


def disputes(m: CrisisModel) -> None:
    """New issues arise between states at the MID onset rate of their dyad type (a documented, data-based rate).

    A dispute opens the dyad at rung 1 (demands, protest) if it was at 0: an open dispute is a
    cause (§7.5), so hostile moves become open to both; whether it escalates is up to their
    doctrines, the ladder and bargaining, and without pressure it steps down again (§7.8).
    """
    if "disputes" in m.switched_off:
        return
    w = m.world
    p = 1.0 - (1.0 - m.dispute_rate) ** (m.weeks / 52.0)  # [N, N], per step
    rn, i, j = np.nonzero((w.level == 0) & m.upper[None])
    if rn.size == 0:
        return
    hit = m.dyad_uniform("dispute", rn, i, j) < p[i, j]
    rn, i, j = rn[hit], i[hit], j[hit]
    w.level[rn, i, j] = 1
    w.level[rn, j, i] = 1
    if m.logging:
        for ii, jj in zip(i.tolist(), j.tolist(), strict=True):
            m.log.add(m.steps_done, "event", "disputes", f"A new issue arises between {w.codes[ii]} and {w.codes[jj]} "
                      "(disputes start at the MID base rate of their dyad type).", type="dispute", actor=w.codes[ii],
                      target=w.codes[jj], cameo="", goldstein=-1.0, level=1)
