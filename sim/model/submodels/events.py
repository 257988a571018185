"""Submodel 1, ``apply_events``: scheduled scenario events change the world; pacts come into force (docs/model.md §7.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.handlers import apply_scheduled

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["apply_events"]


def apply_events(m: CrisisModel) -> None:
    """Apply the scenario events due this step; expire deployments; bring pacts into force."""
    w = m.world
    t = m.steps_done
    for k in sorted(k for k in m.expiring if k <= t):
        for lanes, i, j, weight in m.expiring.pop(k):
            np.subtract.at(w.posture, (lanes, i, j), weight)
    np.maximum(w.posture, 0.0, out=w.posture)  # every step, in every replication alike
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
