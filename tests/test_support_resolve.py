"""An ally not called on holds one disposition to fight for a partner's fight: not a weekly lottery (docs/model.md §7.6).

The random part of a discrete choice stands for the chooser's unobserved motives (McFadden 1974);
asked the same question again, the same state has the same motives (Heckman 1981: unobserved
heterogeneity is not fresh noise; Train 2009, ch. 6). Redrawn at every weekly decision, a small
chance of entering a partner's fight uninvited becomes a near-certain entry over a long fight, and
fights spread along every alliance tie whatever the pledge says. In the model a supporter whose
pledge is not called on (the partner started the fight, the fight is short of war, or the tie is no
pledge of at least 0.5) decides once per phase of the partner's fight whether it would fight; its
words and arms are still chosen week by week. Switch ``support_resolve`` off for the weekly draw.
"""

from __future__ import annotations

import os

import pytest

from sim.analysis.stats import newcombe, phi, wilson
from sim.ensemble.seeds import child_seeds
from sim.model import CrisisModel
from sim.validation.mechanisms import dyad_world

pytestmark = pytest.mark.slow

SEED = int(os.environ.get("FLASHPOINT_TEST_SEED", "0"))
TRIAD_RUNS = 600
HELD, LOTTERY = frozenset(), frozenset({"support_resolve"})


def _clash_triad():
    """AAA and a stronger BBB in a year-long clash (rung 5); CCC, a great power next to AAA, pledged to defend it.

    The entry offset short of war is set to 0, so that only the draw keeps CCC out of the clash.
    """
    extra = ({"code": "CCC", "catalog": False, "overrides": {"cinc": 0.10, "lat": 0, "lon": -3, "major_power": True}},)
    rel = {"alliances": [{"members": ["AAA", "CCC"], "type": "defense"}],
           "tensions": [{"between": ["AAA", "BBB"], "value": 5}]}
    return dyad_world(horizon=52, b={"cinc": 0.05}, extra=extra, relations=rel,
                      parameters={"alliance_politics": {"entry_short_of_war": 0.0}}, ident="triad")


def test_an_uncalled_ally_decides_once_whether_to_fight_in_a_partners_clash():
    """Heckman (1981); Leeds (2003): the ally of a partner in a clash (no casus foederis) does not re-roll its entry every week.

    A year-long clash of its partner, the entry offset removed, on the same seeds: with the
    disposition held the ally sends troops or joins in fewer runs than with a fresh draw each week
    (paired Newcombe interval below zero); the held share is the chance of a single decision,
    small (Wilson upper bound below 15%). Measured (600 runs; seeds 0, 1, 2; the 412–422 runs whose
    clash stayed short of war in both worlds): held 0.5%, 0.2%, 0.2% against 16.0%, 16.6%, 16.7%
    with the weekly draw; differences −15.6 [−19.3, −12.3], −16.4 [−20.2, −13.0], −16.5 [−20.4, −13.1]
    points.
    """
    sc = _clash_triad()
    seeds = child_seeds(77 + 1000 * SEED, TRIAD_RUNS)
    runs = {}
    for name, off in (("held", HELD), ("lottery", LOTTERY)):
        m = CrisisModel(sc, seeds=seeds, record="summary", switched_off=off).run()
        runs[name] = (m.support_max[:, 2, 0] >= 3, m.peak[:, 0, 1] >= 7)
    # a clash can become a war (§7.7–7.8), which calls the pledge: compare the runs in which the
    # partner's fight stayed short of war in both worlds
    short = ~runs["held"][1] & ~runs["lottery"][1]
    n = int(short.sum())
    assert n > TRIAD_RUNS // 2, ("most clashes stay short of war", n)
    held, lottery = runs["held"][0][short], runs["lottery"][0][short]
    d, lo, hi = newcombe(int(held.sum()), n, int(lottery.sum()), n, corr=phi(held, lottery))
    assert hi < 0, ("fought: held − weekly draw", d, lo, hi, held.mean(), lottery.mean())
    p, _, hi_held = wilson(int(held.sum()), n)
    assert hi_held < 0.15, ("held", p, hi_held)
