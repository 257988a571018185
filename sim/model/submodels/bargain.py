"""Submodel 7, ``bargain``: war onset and termination (Fearon 1995), power transition (docs/model.md §7.7)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.model import explain

_SQRT2 = math.sqrt(2.0)
_erfc = np.frompyfunc(math.erfc, 1, 1)


def erfc(x: np.ndarray) -> np.ndarray:
    """The complementary error function, elementwise (``math.erfc``; numpy has none)."""
    return np.asarray(_erfc(np.asarray(x, dtype=float)), dtype=float)

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["win_probability", "bargain", "transition_risk", "erfc", "NUCLEAR_COST_FACTOR", "nuclear_cover", "nuclear_cost_factor"]

#: Each side's cost of war between two nuclear powers, as a multiple of ``bargaining.war_cost``
#: (nuclear retaliation widens the bargaining range; Jervis 1989; Powell 2015). The nuclear risk
#: path of the ladder divides the slip from a blockade into war by the same factor (docs/model.md §7.8).
NUCLEAR_COST_FACTOR = 4.0


def win_probability(m: CrisisModel) -> np.ndarray:
    """p_ij: i's chance of winning a war with j, from aggregate capabilities (with allies); ``[R, N, N]``."""
    own_agg = m.own[:, :, None]
    return own_agg / (own_agg + m.agg)


def bargain(m: CrisisModel) -> None:
    """Bargaining and war (Fearon 1995): onset when private information hides the bargaining range.

    For dyads in the violence band (rungs 5–6) the weekly hazard of war is
    ``breakdown_rate · P(|ε| > (c_i + c_j)/2) · (1 + commitment) · (1 + transition) · damp · S``,
    ε ~ N(0, σ), S = ``serious_clash_factor`` at rung 6 (serious clashes, blockade, limited
    strikes) and 1 at rung 5: serious fighting ends in war more often than minor clashes
    (Brecher & Wilkenfeld 2000). At war, σ shrinks each week (fighting reveals information) and the war ends in a
    ceasefire with hazard ``settlement_rate · (1 − P_break) · indivisibility``. Nuclear dyads
    at war may climb to nuclear use only through the ladder's steepest threshold.
    """
    w, bp = m.world, m.params.bargaining
    levels = w.level
    pw = win_probability(m)
    # commitment problem: shift in win probability over the last year
    first = np.isnan(w.pwin_year)
    w.pwin_year[first] = pw[first]
    shift = np.abs(pw - w.pwin_year)  # pwin_year is an exponential average over about a year
    w.pwin_year += (pw - w.pwin_year) * min(1.0, m.weeks / 52.0)
    rn, i, j = np.nonzero((levels >= 5) & m.upper)
    if rn.size == 0:
        return
    lvl = levels[rn, i, j]
    both_nuc = m.both_nuclear[i, j]
    width = 2 * bp.war_cost * nuclear_cost_factor(m, rn, i, j)
    # uncertainty about the outcome is largest at parity (Reed 2003): σ·4p(1−p)
    p = pw[rn, i, j]
    sigma = np.maximum(w.sigma[rn, i, j] * 4.0 * p * (1.0 - p), 1e-6)
    p_break = erfc(width / (2 * sigma * _SQRT2))
    u = m.dyad_uniform("war", rn, i, j)
    crisis = lvl < 7
    # violence band: war onset
    commit = bp.commitment_weight * shift[rn, i, j] * ("commitment" not in m.switched_off)
    pt = transition_risk(m, rn, i, j) * ("power_transition" not in m.switched_off)
    serious = np.where(lvl == 6, bp.serious_clash_factor, 1.0) if "serious_clash_war" not in m.switched_off else 1.0
    hz = bp.breakdown_rate * p_break * (1 + commit) * (1 + pt) * m.damp[i, j] * serious
    hz = 1 - (1 - np.minimum(hz, 1.0)) ** m.weeks
    onset = crisis & (u < hz)
    # at war: learning, ceasefire, or a losing nuclear power's escalation
    atwar = ~crisis
    w.sigma[rn[atwar], i[atwar], j[atwar]] *= bp.learning_in_war ** m.weeks
    w.sigma[rn[atwar], j[atwar], i[atwar]] = w.sigma[rn[atwar], i[atwar], j[atwar]]
    hz_end = bp.settlement_rate * (1 - p_break) * m.indivisibility[i, j]
    hz_end = 1 - (1 - np.minimum(hz_end, 1.0)) ** m.weeks
    cease = atwar & (u < hz_end)
    nuclear = atwar & ~cease & both_nuc & (lvl == 8) & (u > 1 - m.params.ladder.nuclear_resistance * p_break * m.weeks)
    new = np.where(onset, 7, np.where(cease, 4, np.where(nuclear, 9, lvl))).astype(levels.dtype)
    levels[rn, i, j] = new
    levels[rn, j, i] = new
    w.sigma[rn[onset], i[onset], j[onset]] = bp.uncertainty
    w.sigma[rn[onset], j[onset], i[onset]] = bp.uncertainty
    if m.logging:
        explain.log_bargain(m, i, j, onset, cease, nuclear, p_break, commit, pt, sigma)


def nuclear_cover(m: CrisisModel, rn: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """How far ``j`` faces ``i`` with nuclear retaliation behind it: 1 if ``j`` is nuclear, else its umbrella.

    A non-nuclear state is covered by the strongest defence pledge (in force, strength 0–0.8) that a
    nuclear state other than ``i`` holds toward it this step: extended nuclear deterrence is as
    credible as the commitment behind it (Schelling 1966; Huth 1988; Fuhrmann & Sechser 2014).
    Without the ``extended_deterrence`` mechanism only a state's own arsenal counts.
    """
    own = m.world.nuclear[j].astype(float)
    if "extended_deterrence" in m.switched_off or not m.world.nuclear.any():
        return own
    nuc = np.nonzero(m.world.nuclear)[0]
    pledges = m.world.pledge[rn[:, None], nuc[None, :], j[:, None]]  # [n, K]: each nuclear state's pledge to j
    pledges = np.where(nuc[None, :] == i[:, None], 0.0, pledges)  # the opponent's own pledge is no umbrella against it
    return np.maximum(own, pledges.max(axis=1))


def nuclear_cost_factor(m: CrisisModel, rn: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The multiple of ``war_cost`` each side of the dyads ``(rn, i, j)`` expects from a war.

    ``1 + (F − 1)·cover_ij·cover_ji`` with F = :data:`NUCLEAR_COST_FACTOR` and each side's
    :func:`nuclear_cover` against the other: F between two nuclear powers (mutual deterrence,
    Jervis 1989), 1 when either side has neither an arsenal nor a nuclear ally's pledge (a
    nuclear power facing an unprotected state), and in between for a state under a nuclear ally's
    umbrella (North Korea facing South Korea with the United States' pledge behind it).
    """
    c = nuclear_cover(m, rn, j, i) * nuclear_cover(m, rn, i, j)
    return 1.0 + (NUCLEAR_COST_FACTOR - 1.0) * c


def transition_risk(m: CrisisModel, rn: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Power transition (Organski & Kugler 1980): extra war hazard for a dissatisfied challenger near parity.

    For the selected dyads ``(rn, i, j)`` (replication, states): ``weight × dissatisfaction`` of
    the challenger when one side is the leading state (the strongest at the start) and the
    other's capability is within the parity window of the leader's; 0 for other dyads.
    """
    w, pp = m.world, m.params.power_transition
    leader = m.leader
    ratio = w.cap / np.maximum(w.cap[:, leader:leader + 1], 1e-12)
    window = (ratio >= pp.parity_low) & (ratio <= pp.parity_high)
    window[:, leader] = False
    # no ideal point (no UN votes) on either side: no measured dissatisfaction, no transition hazard
    dissat = np.nan_to_num(np.clip(np.abs(w.ideal - w.ideal[leader]) / pp.dissatisfaction_scale, 0, 1), nan=0.0)
    risk = pp.weight * window * dissat  # [R, N]: each state as a challenger of the leader
    return np.where(j == leader, risk[rn, i], np.where(i == leader, risk[rn, j], 0.0))
