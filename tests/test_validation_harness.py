"""The validation harness: quiet variants, one-year horizons, onset measurement and history scoring."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim import load_scenario
from sim.scenario.quiet import one_year, quiet_scenario, steps_per_year

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


# ---------------------------------------------------------------- quiet variants
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_quiet_keeps_the_start_and_drops_the_events(path):
    sc = load_scenario(path)
    q = quiet_scenario(sc)
    assert sc.events, "a bundled scenario has scheduled events"
    assert q.events == ()
    assert q.variants == ()
    assert q.codes == sc.codes
    assert q.actors == sc.actors
    assert q.relations == sc.relations          # alliances, wars and sanctions in force kept
    assert q.parameters == sc.parameters
    assert q.data_year == sc.data_year
    assert q.calendar == sc.calendar
    assert q.id == f"{sc.id}-quiet"
    assert q.semantic_issues() == []


def test_quiet_of_a_variant_keeps_the_variant_start():
    sc = load_scenario(ROOT / "scenarios" / "july-crisis-1914.yaml")
    name = sc.variant_names()[0]
    v = sc.with_variant(name)
    q = quiet_scenario(v)
    assert q.actors == v.actors and q.parameters == v.parameters and q.events == ()


@pytest.mark.parametrize("step,steps", [("week", 52), ("day", 365)])
def test_one_year_in_the_scenario_unit(step, steps):
    sc = load_scenario(ROOT / "scenarios" / "cuban-missile-crisis-1962.yaml")
    data = sc.model_dump(mode="python")
    data["calendar"] = dict(data["calendar"], step=step, horizon=10)
    data["events"], data["variants"] = (), ()
    from sim.scenario.schema import Scenario

    s2 = Scenario.model_validate(data)
    assert steps_per_year(s2) == steps
    y = one_year(s2)
    assert y.calendar.horizon == steps
    assert y.calendar.horizon * y.calendar.step_days <= 365.25 < (y.calendar.horizon + 1) * y.calendar.step_days


def test_one_year_keeps_events_of_a_short_scenario():
    sc = load_scenario(ROOT / "scenarios" / "cuban-missile-crisis-1962.yaml")
    y = one_year(sc)
    assert y.events == sc.events and y.calendar.horizon == 365


# ---------------------------------------------------------------- onsets
def test_onsets_count_new_crossings_as_single_runs_do():
    """The batch count equals a per-run count of 'rung newly reached from below' on run_scenario's history."""
    import numpy as np

    from sim import run_scenario
    from sim.ensemble import child_seeds
    from sim.validation.onsets import measure_onsets

    sc = quiet_scenario(load_scenario(ROOT / "scenarios" / "korea-russia-2024.yaml"))
    runs = 5
    (o,) = measure_onsets([sc], runs, seed=11, keep=["RUS–USA"], executor="inprocess")
    iu = np.triu_indices(len(sc.codes), 1)
    expect = {lv: np.zeros(len(iu[0]), dtype=int) for lv in o.rungs}
    for s in child_seeds(11, runs):
        lh = run_scenario(sc, seed=s).level_hist[:, iu[0], iu[1]]
        for lv, rung in o.rungs.items():
            above = lh >= rung
            expect[lv] += (above[1:] & ~above[:-1]).any(axis=0)
    for lv in o.rungs:
        assert np.array_equal(o.count[lv], expect[lv]), lv
    assert o.runs == runs and len(o.per_run("force", "USA–RUS")) == runs


def test_onsets_a_dyad_starting_at_war_has_no_new_war_unless_it_reenters():
    from sim.analysis.digest import RunBatch
    from sim.validation.onsets import Onsets

    o = Onsets(label="x", codes=("A", "B"), dyads=["A–B"], rungs={"threat": 2, "display": 4, "force": 5, "war": 7})
    levels = np.array([[[7], [7], [7]], [[7], [5], [7]], [[0], [4], [2]]], dtype=np.int8)  # (R=3, H+1=3, D=1)
    z = np.zeros((3, 1))
    b = RunBatch(seeds=np.arange(3), codes=("A", "B"), peak=levels.max(axis=1), final=levels[:, -1], first=z,
                 alliance_new=z, alliance_lost=z, milex_change=z, series=z, actor_level=z, system=z, levels=levels)
    o.add_batch([0, 1, 2], b)
    assert o.count["war"].tolist() == [1]       # only the run that left the war band and came back
    assert o.count["display"].tolist() == [1]   # run 3 reaches 4 from 0
    assert o.count["threat"].tolist() == [1]
    assert o.start.tolist() == [7]


def test_top_threats_flag_formal_allies():
    from sim.validation.credibility import top_threats

    sc = load_scenario(ROOT / "scenarios" / "korea-russia-2024.yaml")
    rows = {r["state"]: r for r in top_threats(sc)}
    assert set(rows) == set(sc.codes)
    for r in rows.values():
        assert r["top"] != r["state"]
        assert (r["verdict"] == "ALLY") == r["ally"]


def test_reference_rates_follow_dyad_type():
    from sim.validation.credibility import reference_force_rate

    c = reference_force_rate({"contiguous": True, "major": False, "rival": False})[1]
    m = reference_force_rate({"contiguous": False, "major": True, "rival": False})[1]
    o = reference_force_rate({"contiguous": False, "major": False, "rival": False})[1]
    assert c > m > o > 0
    assert reference_force_rate({"contiguous": False, "major": False, "rival": True}, {"contiguous": 80.0, "other": 30.0})[1] == 30.0
