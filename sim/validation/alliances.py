"""How often the model's defence allies fight in a partner's fight, set against the MID record.

A *case* is a state ``i`` pledged to defend ``k`` at the start (pledge ≥ 0.5) whose partner
``k`` comes to use force (rung ≥ 5) during a run, while ``i`` is not yet using force against
anyone; ``i`` *fights on k's side* when it sends troops or joins (support degree ≥ 3, §7.6). Cases
are split by how far ``k``'s fight went: a use of force short of war (its highest rung 5–6, and no
force at the start) or a war (rung ≥ 7). The real shares are those of
``sim/data/mid_join_rates.csv`` (GML MID v2.2.1 × ATOP v5.1, ``scripts/mid_join_rates.py``):
a defence ally fights on its partner's side in 0.27% of the partner's uses of force short of war
and in 9.3% of its wars. ``scripts/fit_entry.py`` fits ``alliance_politics.entry_short_of_war``
and ``entry_at_war`` to them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.model import CrisisModel
from sim.resources import bundled_scenarios, data_dir
from sim.scales import SUPPORT_LEVELS

__all__ = ["JOIN_CLASSES", "join_cases", "observed_join_rates", "fit_worlds"]

#: The classes of cases: the partner's fight a use of force short of war, a war, and a war in which
#: the ally's pledge is called on (the partner attacked: the casus foederis).
JOIN_CLASSES = ("force", "war", "casus")


def join_cases(m: CrisisModel) -> dict[str, list[int]]:
    """``{class: [fought, cases]}`` for each of :data:`JOIN_CLASSES`, from a batch model run with ``record="dyads"``."""
    if m.dyad_level is None:
        raise ValueError("join_cases needs a model run with record='dyads'")
    lv = m.dyad_level  # [H+1, R, D]
    iu, ju = m._iu
    peak = lv.max(axis=0)  # [R, D]
    start = lv[0]
    k_peak = np.zeros((m.R, m.n), dtype=np.int16)
    k_start = np.zeros((m.R, m.n), dtype=np.int16)
    for side in (iu, ju):
        np.maximum.at(k_peak.T, side, peak.T)
        np.maximum.at(k_start.T, side, start.T)
    pledged = m.initial_pledge >= 0.5  # [R, i, k]
    pledged[:, m._d, m._d] = False
    free = (k_start < 5)[:, :, None]  # the ally i uses no force at the start
    fought = m.support_max >= SUPPORT_LEVELS.index("troops")  # [R, i, k]: troops or joining
    classes = {"force": (k_peak >= 5) & (k_peak < 7) & (k_start < 5), "war": k_peak >= 7}
    out = {}
    for name, partner in classes.items():
        case = pledged & free & partner[:, None, :]
        out[name] = [int((case & fought).sum()), int(case.sum())]
    # the casus foederis: the pledged partner attacked and at war (Leeds, Long & Mitchell 2000)
    case = pledged & free & m.casus_war
    out["casus"] = [int((case & fought).sum()), int(case.sum())]
    return out


def observed_join_rates(path: Path | None = None) -> dict[str, dict[str, float]]:
    """The real shares (all dyads): ``{"force": {"share", "lo95", "hi95", "allies", "fought"}, "war": {...}}``."""
    df = pd.read_csv(path or data_dir() / "mid_join_rates.csv", comment="#")
    df = df[df.group == "all"]
    names = {"use of force short of war": "force", "war": "war"}
    return {names[r.partner_dispute]: {"share": float(r.share), "lo95": float(r.lo95), "hi95": float(r.hi95),
                                       "allies": int(r.allies), "fought": int(r.fought)} for r in df.itertuples()}


def fit_worlds() -> list[tuple[str, Any]]:
    """The worlds the entry offsets are fitted in: each bundled scenario as written and its one-year quiet variant."""
    from sim.scenario.loader import load_scenario
    from sim.scenario.quiet import one_year, quiet_scenario

    out = []
    for path in bundled_scenarios():
        sc = load_scenario(path)
        out.append((path.stem, sc))
        out.append((f"{path.stem} (quiet)", one_year(quiet_scenario(sc))))
    return out
