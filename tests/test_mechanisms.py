"""One pattern test per named mechanism that no other test isolates (issue 10, item 7).

Each is set in a small world where the mechanism matters according to its literature.
Each test compares two worlds that differ in one thing (built by :mod:`sim.validation.mechanisms`),
run over the same seeds (common random numbers, so the comparison is paired), and asserts the
theory's prediction with a 95% interval that excludes the null. Switching the mechanism off
(``FLASHPOINT_SWITCH_OFF=<name>``, see ``scripts/switch_off.py``) makes the two worlds behave alike
and the test fail. The run counts are large enough that the result holds for any master seed
(master seeds 0–4 and 2024 checked when the tests were written).
"""

from __future__ import annotations

import pytest

from sim.validation.mechanisms import (
    batch,
    brinkmanship_gap,
    dispute_gap,
    dyad_world,
    offer_ratio,
    parity_ratio,
    rivals_world,
    shift_gap,
    spiral_gap,
    transition_gap,
)

pytestmark = pytest.mark.slow

#: The master seed of every test here (the seeds of the runs derive from it).
MASTER = 2024

__all__ = ["MASTER", "dyad_world"]


def test_beliefs_spiral_when_defence_cannot_be_told_from_offence():
    """The security dilemma spiral (Jervis 1976, ch. 3; Jervis 1978; Glaser 1997).

    Two neighbours with no dispute arm for their security. When offence and defence cannot be told
    apart (``spiral.distinguishability`` = 0), each one's arming reads as evidence that the other
    is greedy, beliefs about intent rise, threat with them, and the pair spirals into a crisis;
    when defensive preparations are distinguishable (= 1) they reveal nothing and the pair stays
    calm. Prediction: the dyad's mean rung over the second half-year is higher with
    distinguishability 0, by at least half a rung (paired 95% interval, 400 runs). With beliefs
    fixed at their priors (``beliefs`` switched off) distinguishability has nothing to act on. The
    spiral is a climb over months, no single week of which is a large rise: it opens hostile moves
    only because the cause rule measures a rise against the remembered threat (§7.4,
    ``decision.rise_memory``); with a memory of one step the gap is 0.004 rung [−0.019, 0.027]
    against 0.82 [0.66, 0.97] (measured at the fourth pass's fit, 7 December 2026).
    """
    lo, mean, hi = spiral_gap(runs=400, master=MASTER)
    assert lo > 0.5, (lo, mean, hi)


def test_commitment_a_sudden_shift_in_power_raises_the_hazard_of_war():
    """The commitment problem (Fearon 1995, pp. 401–409; Powell 2006).

    A state whose power is about to fall cannot trust its rival's promises not to exploit its
    later strength, so a large, rapid shift in the balance of power makes war likelier than the
    same balance reached long ago. Two worlds with the same violent crisis (AAA's clashes with BBB
    from week 4): in one, BBB's capability quadruples by arms transfers in week 4, as the crisis
    starts; in the other the same transfers came in week 0, before the balance was ever observed
    (no shift during the crisis). Prediction: war is likelier after the sudden shift (paired 95%
    interval of the difference in P(war) above 0, 2,000 runs). Without the commitment problem the
    two worlds are the same crisis at the same balance.
    """
    lo, mean, hi = shift_gap(runs=2000, master=MASTER)
    assert lo > 0, (lo, mean, hi)


def test_power_transition_a_dissatisfied_challenger_at_parity_fights_more():
    """Power transition (Organski & Kugler 1980, ch. 1; Lemke 2002, ch. 2).

    War between the leading state and a challenger is likeliest when the challenger has drawn
    level (parity) *and* is dissatisfied with the leader's order; a satisfied challenger at parity
    overtakes peacefully (the Anglo-American transition). Same violent crisis (the leader AAA's
    clashes with BBB every second week), BBB at 95% of AAA's capability: a challenger whose UN
    ideal point is 2 away from the leader's (fully dissatisfied) goes to war more often than one
    that shares it (paired 95% interval of the difference above 0, 2,000 runs).
    """
    lo, mean, hi = transition_gap(runs=2000, master=MASTER)
    assert lo > 0, (lo, mean, hi)


def test_settlement_offers_end_wars_sooner():
    """Wars end by negotiation (Fearon 1995; Slantchev 2003; George & Smoke 1974 on face-saving deals).

    A war ends when the sides agree on terms; an offer on the table that the other side can take
    up (its own offer to settle meeting the standing one) shortens the war. Same war (AAA declares
    war on BBB in week 1): in one world BBB offers a settlement every four weeks. Prediction: the
    war lasts less than 90% as long with the offers (paired 95% interval of the ratio of mean weeks
    at war below 0.9, 1,000 runs). If offers are never accepted, they hardly shorten a war.
    """
    lo, ratio, hi = offer_ratio(runs=1000, master=MASTER)
    assert hi < 0.9, (lo, ratio, hi)


def test_nuclear_risk_the_longer_at_the_brink_the_likelier_war():
    """The threat that leaves something to chance (Schelling 1960, ch. 8; Schelling 1966, ch. 3; Powell 2015).

    Two nuclear powers rarely choose war (its costs are prohibitive), but a confrontation at the
    brink — a blockade — runs a risk that neither side fully controls, and the risk accumulates
    with the time spent there. Same pair of nuclear powers: a blockade renewed every third week for
    half a year leads to war more often than a single blockade that is left to lapse (paired 95%
    interval of the difference in P(war) above 0, 1,000 runs). Without the nuclear risk path, war
    between them comes only from bargaining, which their ×4 war costs practically close.
    """
    lo, mean, hi = brinkmanship_gap(runs=1000, master=MASTER)
    assert lo > 0, (lo, mean, hi)


def test_disputes_rivals_quarrel_more():
    """New disputes arise from tension (Bremer 1992; Thompson 2001; Colaresi, Rasler & Thompson 2007).

    Strategic rivals see each other as threats and quarrel over issues far more often than other
    pairs. Two neighbours for a quiet year, with arming read as defensive (distinguishability 1, so
    the spiral of §7.3 is out of the picture): as rivals, a new dispute (rung ≥ 2) opens more often
    than for the same pair without the rivalry (paired 95% interval of the difference above 0,
    600 runs). Without dispute onsets nothing opens a quarrel in a quiet world.
    """
    lo, mean, hi = dispute_gap(runs=600, master=MASTER)
    assert lo > 0, (lo, mean, hi)


def test_most_new_disputes_are_militarized_at_once():
    """Jones, Bremer & Singer (1996); Gibler, Miller & Little (2016): most militarized disputes involve a use of force.

    Of the new MIDs of 1816–1989, 79% (land neighbours) to 86% (distant minor powers) reached a use of
    force (``sim/data/mid_onset_rates_1816-1989.csv``). The same pair of rivals for a quiet year, 2,000
    runs: of the runs in which a dispute opened (rung ≥ 2), the dyad reaches a use of force (rung ≥ 5)
    in more than half (Wilson 95% lower bound above 50%). The share is the record's, drawn when the
    dispute opens (``dispute_level``, docs/model.md §7.1); with it switched off a dispute opens with
    threats and only the states' own choices and incidents can take it to force.
    """
    from sim.analysis.stats import wilson

    peak = batch(rivals_world(True), 2000, MASTER).peak[:, 0, 1]
    opened = int((peak >= 2).sum())
    p, lo, hi = wilson(int((peak >= 5).sum()), opened)
    assert opened >= 30 and lo > 0.5, ("use of force among runs with a dispute", p, lo, hi, opened)


def test_parity_states_near_parity_quarrel_more():
    """Bremer (1992); Organski & Kugler (1980): dyads near parity have more militarized disputes.

    Among politically relevant dyads 1946–2010 those with a capability ratio of at most 3 had 64.1 new
    MIDs per 1,000 dyad-years against 17.1 for the rest (×3.76; ``sim/data/base_rates_MID_1946-2010.csv``).
    The same rival neighbours for a quiet year, 8,000 paired runs (disputes are rare at the fitted
    rate): a new dispute (rung ≥ 2) is more likely when both have CINC 0.02 than when one has 0.002
    (paired ratio, 95% interval above 1; 1.6–1.9, lower bounds 1.39–1.57 over master seeds 2024, 7
    and 1). With ``parity`` off the dispute hazard follows the higher directed threat alone, which is
    highest for the weak side of an unequal pair, and the ordering reverses (0.52 [0.38, 0.67]).
    """
    lo, ratio, hi = parity_ratio(runs=8000, master=MASTER)
    assert lo > 1.0, (lo, ratio, hi)
