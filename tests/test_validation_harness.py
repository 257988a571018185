"""The validation harness: quiet variants, one-year horizons, onset measurement and history scoring."""

from __future__ import annotations

from pathlib import Path

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
