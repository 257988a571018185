"""Pattern tests for two mechanisms behind absurd outcomes (issue 10, "a credible model").

* **Opportunity** (Most & Starr 1989; Bremer 1992): a state can open fire only where its forces
  meet the other's — along a land border or where forces are deployed near each other. Distant
  rivals that do not touch trade threats, sanctions and shows of force, rarely shots.
* **Alliance formation is rare** (ATOP v5.1, Leeds et al. 2002): a dyad with a consultation,
  neutrality or non-aggression pledge upgrades to a defence pledge in 1.4% of years. Balancing
  raises alignment; it is not signed into a treaty at the first act that crosses a threshold.

Seeds are fixed; thresholds leave room for the sampling error of the run counts used.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.ensemble.seeds import child_seeds
from sim.model import CrisisModel, run_scenario
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario
from tests.conftest import SCENARIOS

pytestmark = pytest.mark.slow

#: MID uses of force among Thompson–Dreyer rivals that are not contiguous, 1816–1989 (per dyad-year;
#: sim/data/mid_rivalry_rates.csv): 65.54 per 1,000.
RIVAL_OTHER_FORCE = 0.06554


def _quiet_year(name: str, runs: int, master: int, switched_off: frozenset[str] = frozenset()):
    """The scenario's quiet year (events removed) as one batch: (model, start levels, dyad peak rungs [R, D])."""
    sc = load_scenario(SCENARIOS / f"{name}.yaml")
    steps = int(round(365 / sc.calendar.step_days))
    sc = sc.model_copy(update={"events": [], "calendar": sc.calendar.model_copy(update={"horizon": steps})})
    m = CrisisModel(sc, seeds=child_seeds(master, runs), record="dyads", switched_off=switched_off)
    start = m.world.level[0].copy()
    m.run()
    return m, start, m.dyad_level.max(axis=0)


def test_distant_rivals_without_contact_rarely_open_fire(monkeypatch):
    """Rivals with no land border and no forces deployed near each other rarely *choose* to open fire.

    North Korea and Japan (a strategic rivalry, sanctions in force, the Sea of Japan between them)
    had no armed clash in decades; the MID rate of new uses of force among non-contiguous rivals is
    6.6% a year. Without the opportunity rule the model gave 26% [22–32%] a year. Incidents nobody
    chose are switched off, as in the next test: the claim is about chosen moves. A show of force
    puts forces near the rival, and the incidents it brings take North Korea–US to a use of force
    in 12% of quiet years (38% with a trial calibration's incident rate of 0.05; its own MID record
    1948–1989: 13 in 42 years, 31% [19–46%]); with incidents off the two dyads stay at 2–5%.
    """
    import os

    off = os.environ.get("FLASHPOINT_SWITCH_OFF", "")
    monkeypatch.setenv("FLASHPOINT_SWITCH_OFF", ",".join(x for x in (off, "incidents") if x))
    runs = 200
    m, start, peak = _quiet_year("korea-russia-2024", runs, 7)
    w = m.world
    iu, ju = m._iu
    checked = 0
    for d, (i, j) in enumerate(zip(iu.tolist(), ju.tolist(), strict=True)):
        if not w.rival[i, j] or w.contig[i, j] or start[i, j] >= 5 or (start[i] >= 7).any() or (start[j] >= 7).any():
            continue
        p = float((peak[:, d] >= 5).mean())
        se = np.sqrt(max(p, 1e-3) * (1 - p) / runs)
        assert p <= 2 * RIVAL_OTHER_FORCE + 2 * se, (w.codes[i], w.codes[j], p)
        checked += 1
    assert checked >= 2  # PRK–JPN, PRK–USA at least


def test_contact_is_what_opens_fire_between_distant_rivals(monkeypatch):
    """Paired seeds: the same distant dispute with and without forces deployed near each other.

    With a naval force near the rival (contact), chosen uses of force are far more frequent than
    without; without it they are rare (opportunity, Most & Starr 1989). Incidents (unchosen, tested
    elsewhere) are switched off so that only chosen moves can reach the use of force.
    """
    import os

    off = os.environ.get("FLASHPOINT_SWITCH_OFF", "")
    monkeypatch.setenv("FLASHPOINT_SWITCH_OFF", ",".join(x for x in (off, "incidents") if x))

    def world(deploy: bool) -> Scenario:
        # a 10-ship force (contact 1) near North Korea for the whole half year, or none
        ev = [{"type": "naval_deployment", "step": 0, "actor": "JPN", "near": ["PRK"], "force_size": 10.0,
               "duration_weeks": 26}] if deploy else []
        return Scenario.model_validate({
            "id": "opportunity", "title": "t", "briefing": {"summary": "s"}, "data_year": 2022,
            "calendar": {"start": "2024-01-01", "horizon": 26},
            "actors": [{"code": "PRK"}, {"code": "JPN"}],
            "relations": {"from_catalog": False, "rivalries": [["PRK", "JPN"]],
                          "tensions": [{"between": ["PRK", "JPN"], "value": 4}]},
            "events": ev,
        })
    runs = 120  # without the rule: 17 and 17 runs with force; with it: 2 without contact, 17 with
    force = {deploy: sum(int(run_scenario(world(deploy), seed=s, record="summary").peak[0, 1] >= 5)
                         for s in child_seeds(2024, runs)) for deploy in (True, False)}
    assert force[False] <= 0.05 * runs, force
    assert force[True] > 2 * max(force[False], 1), force


def _new_pacts(res) -> int:
    return sum(1 for x in res.records if x["kind"] == "outcome" and x["type"] == "defense_pact" and x["mechanism"] == "alignment")


def test_alliances_form_at_the_rate_atop_records():
    """Half a year of the founding crisis forms well under one new defence pledge per run.

    Eight states, 28 dyads; at ATOP's 1.4% a year for an aligned dyad, even if every dyad were
    aligned and balancing all the time half a year would form 0.2 pledges a run. Before the rule
    a run formed 3.7 (Cuba–Russia in every run, Japan–South Korea, Ukraine–USA …), none of which
    happened in June–December 2024. Paired seeds with ``pact_rate = 1`` (sign at the first
    crossing) show that the rate, not a lack of balancing, is what keeps pledges rare.
    """
    sc = load_scenario(SCENARIOS / "korea-russia-2024.yaml")
    fast = sc.model_copy(update={"parameters": sc.parameters.model_copy(update={
        "alignment": sc.parameters.alignment.model_copy(update={"pact_rate": 1.0})})})
    ss = child_seeds(11, 40)
    slow_n = np.array([_new_pacts(run_scenario(sc, seed=s)) for s in ss])
    fast_n = np.array([_new_pacts(run_scenario(fast, seed=s)) for s in ss])
    assert slow_n.mean() <= 0.3, slow_n
    assert fast_n.mean() > 1.0 and (fast_n >= slow_n).all(), (fast_n, slow_n)


# ---------------------------------------------------------------- quiet years of real states
def test_restraint_is_evidence_threat_does_not_climb_in_a_year_where_nothing_happens():
    """Trust grows from restraint (Kydd 2005, ch. 2; docs/model.md §7.3), so tension does not climb on its own.

    A Bayesian observer reads the weeks in which a state it fears made no hostile or ambiguous move
    as evidence that it is a security seeker. In the calibration's six MID worlds (real states of
    seeded years 1816–1989, nothing scripted, dispute onsets off so that nothing happens) the median
    raw threat of neighbours and of major-power dyads ends the year within 10% of where it began, in
    every world, and climbs on average less than half as much as without restraint as evidence
    (``spiral.ambiguous_rate`` = 0: arming only ever reads as greed; 10–45% a year before this rule,
    docs/history.md), never more. Medians over ~1,000 dyad-years per world and type.
    """
    from sim.validation.mechanisms import quiet_threat_drift

    with_rule = quiet_threat_drift(runs=10, seed=3)
    without = quiet_threat_drift(runs=10, seed=3, values={"spiral.ambiguous_rate": 0.0})
    pairs = [(a[t], b[t]) for a, b in zip(with_rule, without, strict=True) for t in ("contiguous", "major") if a[t] == a[t]]
    assert len(pairs) >= 10, pairs
    assert all(a <= 1.10 for a, _ in pairs), pairs
    assert all(a <= b + 1e-9 for a, b in pairs), pairs
    climb_with = np.mean([a - 1.0 for a, _ in pairs])
    climb_without = np.mean([b - 1.0 for _, b in pairs])
    assert climb_without > 0.05 and climb_with < 0.5 * climb_without, (climb_with, climb_without, pairs)


def test_opportunity_disputes_arise_where_states_can_reach_each_other():
    """Conflict needs opportunity as well as willingness (Most & Starr 1989; Bremer 1992; Lemke & Reed 2001).

    Disputes happen between neighbours and where a major power's reach is involved; two distant
    minor states have little to quarrel over (MID 1816–1989: 1.1 threats per 1,000 dyad-years
    against 59 for land neighbours). In the six MID worlds the yearly rate of new disputes (rung ≥ 2)
    in dyads with neither a land border nor a major power is lower with the opportunity rule than
    with it switched off (95% interval of the rate ratio below 1; 20 runs, about 17,000 such
    dyad-years), and so is its ratio to the neighbours' rate. The fitted opportunities are modest
    (0.74 and 0.85 of a neighbour's hazard at the fourth pass fit of 7 December: 0.86 [0.79, 0.95] of the rate
    without the rule); the record's ratio is not reached (docs/history.md).
    """
    from sim.validation.mechanisms import mid_world_onsets, rate_ratio

    on = mid_world_onsets(runs=20, seed=3)
    off = mid_world_onsets(runs=20, seed=3, switched_off=frozenset({"opportunity"}))
    other, contiguous = 2, 0
    lo, r, hi = rate_ratio(on[other, 1], on[other, 0], off[other, 1], off[other, 0])
    assert hi < 1.0, (lo, r, hi)
    assert on[other, 1] / on[contiguous, 1] < off[other, 1] / off[contiguous, 1], (on, off)
