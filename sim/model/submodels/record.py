"""Submodel 10, ``record``: this step's metrics (docs/model.md §7.10)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["record"]


def record(m: CrisisModel) -> None:
    """Store this step's metrics (and full matrices when recording in full)."""
    w = m.world
    t = m.steps_done
    levels = w.level
    np.maximum(m.peak, levels, out=m.peak)
    for b, fc in m.first_cross.items():
        fc[(levels >= b) & (fc < 0)] = t
    s = m.series
    s["milex"][t] = 1.0 + w.spending
    s["capability"][t] = w.cap
    s["max_threat"][t] = w.threat.max(axis=2)
    s["max_level"][t] = levels.max(axis=2)
    iu, ju = m._iu
    lv = levels[:, iu, ju]
    sy = m.system
    sy["max_level"][t] = lv.max(axis=1) if lv.shape[1] else 0
    sy["mean_threat"][t] = w.threat.sum(axis=(1, 2)) / max(1, m.n * (m.n - 1))
    sy["dyads_violent"][t] = (lv >= 5).sum(axis=1)
    sy["dyads_war"][t] = (lv >= 7).sum(axis=1)
    if m.level_hist is not None:
        m.level_hist[t] = levels[0]
        m.threat_hist[t] = w.threat[0]
    if m.dyad_level is not None:
        m.dyad_level[t] = lv
        m.dyad_tension[t] = np.maximum(w.threat[:, iu, ju], w.threat[:, ju, iu])
