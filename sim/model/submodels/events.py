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


_ONSET_LEVELS: np.ndarray | None = None


def onset_levels() -> np.ndarray:
    """Of the new MIDs of each dyad type (contiguous, major power, other; 1816–1989), the shares reaching display and force.

    ``[3, 2]``: column 0 the share with a display of force or more (MID hostility level ≥ 3), column 1
    with a use of force or more (≥ 4), from the shipped ``sim/data/mid_onset_rates_1816-1989.csv``
    (GML MID v2.2.1 dyad-years; ``scripts/build_calibration_targets.py``).
    """
    global _ONSET_LEVELS
    if _ONSET_LEVELS is None:
        import csv
        from importlib import resources

        with (resources.files("sim") / "data" / "mid_onset_rates_1816-1989.csv").open(encoding="utf-8") as fh:
            n = {(r["dyad_type"], r["band"]): float(r["onsets"]) for r in csv.DictReader(fh)}
        _ONSET_LEVELS = np.array([[n[t, "display"] / n[t, "threat"], n[t, "force"] / n[t, "threat"]]
                                  for t in ("contiguous", "major", "other")])
    return _ONSET_LEVELS


def disputes(m: CrisisModel) -> None:
    """New militarized disputes arise between states, the more often the more tense and the less liberal-peaceful the dyad.

    In a dyad at rung 0 a dispute opens with the yearly hazard ``ν·τ_ij·D_ij·Ω_ij·(1 + ψ·q_ij)``,
    where ``τ_ij`` is the higher of the two directed threats (so neighbours and rivals quarrel more),
    ``D_ij`` the liberal-peace dampening of disputes (democracies and trade partners less; its own
    democracy weight ``liberal_peace.dispute_democracy_weight``), ``Ω_ij`` the
    opportunity (1 for land neighbours, ``decision.opportunity_major`` for other dyads with a major
    power, ``decision.opportunity_other`` for the rest; Most & Starr 1989, Bremer 1992), ``q_ij`` the
    weaker side's own capability over the stronger's and ``ψ`` = ``decision.dispute_parity`` (states
    near parity quarrel more: Bremer 1992; Organski & Kugler 1980; switch ``parity``) and ``ν`` =
    ``decision.dispute_rate``.

    **How far a new dispute goes at once** is the record's: of the new MIDs of the dyad's type
    (land-contiguous, else with a major power, else other; GML MID 1816–1989, :func:`onset_levels`)
    79–86% reach a use of force and a further 11–19% a display of force; the dispute opens at rung 5
    (a use of force), rung 4 (a show of force) or rung 2 (threats) with those shares — a MID is a
    militarized incident, most often a seizure, a border violation or a clash (Jones, Bremer & Singer
    1996). Each side's hostility toward the other rises by 0.5: an open dispute is a cause (§7.5), so
    hostile moves become open to both; whether it goes further (war comes only from bargaining, §7.7)
    is up to their doctrines, the ladder and bargaining, and without pressure it steps down again
    (§7.8). Switch ``dispute_level``: every dispute opens at rung 2.
    """
    if "disputes" in m.switched_off:
        return
    w = m.world
    rn, i, j = np.nonzero((w.level == 0) & m.upper[None])
    if rn.size == 0:
        return
    dp = m.params.decision
    tension = np.maximum(w.threat[rn, i, j], w.threat[rn, j, i])
    rate = dp.dispute_rate * tension * m.dispute_damp[i, j] * m.opportunity[i, j]
    if "parity" not in m.switched_off:
        # parity (Bremer 1992): 1 + ψ·q, q the weaker side's own capability over the stronger's
        ci, cj = w.cap[rn, i], w.cap[rn, j]
        rate = rate * (1.0 + dp.dispute_parity * (np.minimum(ci, cj) / np.maximum(np.maximum(ci, cj), 1e-12)))
    rate = np.minimum(1.0, rate)
    p = 1.0 - (1.0 - rate) ** (m.weeks / 52.0)
    hit = m.dyad_uniform("dispute", rn, i, j) < p
    rn, i, j = rn[hit], i[hit], j[hit]
    if rn.size == 0:
        return
    kind = np.where(w.contig[i, j], 0, np.where(w.major[i] | w.major[j], 1, 2))
    share = onset_levels()  # [type, (display or more, force)]
    u = m.dyad_uniform("dispute_level", rn, i, j)
    rung = np.where(u < share[kind, 1], 5, np.where(u < share[kind, 0], 4, 2)).astype(w.level.dtype)
    if "dispute_level" in m.switched_off:
        rung[:] = 2
    w.level[rn, i, j] = rung
    w.level[rn, j, i] = rung
    force = rung >= 5
    w.sigma[rn[force], i[force], j[force]] = m.params.bargaining.uncertainty
    w.sigma[rn[force], j[force], i[force]] = m.params.bargaining.uncertainty
    w.hostility[rn, i, j] += 0.5
    w.hostility[rn, j, i] += 0.5
    if m.logging:
        # the opening act's CAMEO root code and Goldstein weight: threaten, demonstrate force, use force
        what = {2: ("threats", "130", -4.4), 4: ("a show of force", "150", -7.2), 5: ("a use of force", "190", -10.0)}
        for ii, jj, rr in zip(i.tolist(), j.tolist(), rung.tolist(), strict=True):
            m.log.add(m.steps_done, "event", "disputes", f"A militarized dispute breaks out between {w.codes[ii]} and "
                      f"{w.codes[jj]}, at once with {what[rr][0]} (disputes arise the more often the more tense the dyad; "
                      "most begin with force, as in the MID record).", type="dispute", actor=w.codes[ii],
                      target=w.codes[jj], cameo=what[rr][1], goldstein=what[rr][2], level=rr)
