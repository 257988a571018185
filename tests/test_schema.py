"""The scenario language: valid and invalid scenarios, property-based over generated ones."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sim.errors import ScenarioError
from sim.model import run_scenario
from sim.scenario.loader import parse_scenario
from sim.scenario.schema import Scenario

POOL = ["USA", "RUS", "CHN", "PRK", "ROK", "JPN", "CUB", "UKR", "IND", "PAK", "IRN", "ISR"]


def base(codes, horizon, events):
    return {
        "id": "gen",
        "title": "generated",
        "briefing": {"summary": "generated"},
        "data_year": 2022,
        "calendar": {"start": "2024-01-01", "step": "week", "horizon": horizon},
        "actors": [{"code": c} for c in codes],
        "events": events,
    }


@st.composite
def scenarios(draw):
    codes = draw(st.lists(st.sampled_from(POOL), min_size=2, max_size=6, unique=True))
    horizon = draw(st.integers(2, 12))
    events = []
    for _ in range(draw(st.integers(0, 6))):
        a, b = draw(st.permutations(codes))[:2]
        step = draw(st.integers(0, horizon - 1))
        kind = draw(st.sampled_from(["naval_deployment", "sanctions", "statement", "defense_pact", "missile_test",
                                     "armed_clash", "summit", "settlement_offer", "mobilization"]))
        ev = {"type": kind, "step": step, "actor": a}
        ev.update({
            "naval_deployment": {"near": [b], "force_size": draw(st.floats(0.1, 10))},
            "sanctions": {"targets": [b], "severity": draw(st.floats(0, 1))},
            "statement": {"targets": [b], "kind": draw(st.sampled_from(["condemn", "threaten", "support", "reassure"]))},
            "defense_pact": {"parties": [b], "strength": draw(st.floats(0, 1))},
            "missile_test": {"near": [b], "nuclear": draw(st.booleans())},
            "armed_clash": {"targets": [b]},
            "summit": {"partners": [b]},
            "settlement_offer": {"targets": [b]},
            "mobilization": {"near": [b]},
        }[kind])
        events.append(ev)
    return base(codes, horizon, events)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(0, 2**31 - 1))
def test_generated_scenarios_validate_and_run(data, seed):
    sc = Scenario.model_validate(data)
    assert sc.semantic_issues() == []
    res = run_scenario(sc, seed=seed, record="full")
    assert res.level_hist.min() >= 0 and res.level_hist.max() <= 10
    assert np.isfinite(res.threat_hist).all()


@settings(max_examples=25, deadline=None)
@given(scenarios(), st.sampled_from(["actor", "step", "extra", "type", "strength"]))
def test_broken_generated_scenarios_are_rejected(data, how):
    if not data["events"]:
        data["events"] = [{"type": "statement", "step": 0, "actor": data["actors"][0]["code"],
                           "targets": [data["actors"][1]["code"]], "kind": "condemn"}]
    ev = data["events"][0]
    if how == "actor":
        ev["actor"] = "ZZZ"
    elif how == "step":
        ev["step"] = data["calendar"]["horizon"] + 3
    elif how == "extra":
        ev["colour"] = "red"
    elif how == "type":
        ev["type"] = "invasion_by_aliens"
    else:
        data["actors"][0]["overrides"] = {"cinc": 2.0}
    try:
        sc = Scenario.model_validate(data)
    except ValidationError:
        return
    assert sc.semantic_issues(), f"{how} should be reported"


def test_date_and_step_are_exclusive():
    d = base(["USA", "RUS"], 4, [{"type": "statement", "actor": "USA", "targets": ["RUS"], "kind": "condemn"}])
    with pytest.raises(ValidationError, match="exactly one of 'date' or 'step'"):
        Scenario.model_validate(d)
    d["events"][0].update(step=1, date="2024-01-02")
    with pytest.raises(ValidationError, match="exactly one"):
        Scenario.model_validate(d)


def test_located_semantic_errors():
    text = """id: t
title: t
briefing: {summary: s}
data_year: 2022
calendar: {start: 2024-01-01, step: week, horizon: 4}
actors:
  - code: USA
  - code: RUS
events:
  - type: statement
    date: 2025-03-01
    actor: USA
    targets: [RUZ]
    kind: condemn
"""
    with pytest.raises(ScenarioError) as ei:
        parse_scenario(text, "t.yaml")
    msg = str(ei.value)
    assert "t.yaml:11:" in msg and "outside the horizon" in msg
    assert "t.yaml:13:" in msg and "unknown actor RUZ" in msg


def test_unknown_catalog_actor_is_located():
    text = "id: t\ntitle: t\nbriefing: {summary: s}\ndata_year: 2022\ncalendar: {start: 2024-01-01, horizon: 4}\nactors:\n  - code: USA\n  - code: GDR\n"
    with pytest.raises(ScenarioError) as ei:
        parse_scenario(text, "t.yaml")
    assert "t.yaml:8:" in str(ei.value) and "GDR" in str(ei.value)


def test_variants_apply_and_revalidate(founding):
    v = founding.with_variant("no-pact")
    ids = {v.event_id(k) for k in range(len(v.events))}
    assert "pact" not in ids and v.variant == "no-pact"
    f = founding.with_variant("forceful-us")
    helena = next(e for e in f.events if e.id == "helena-guantanamo")
    assert helena.force_size == 4.0
    assert next(a for a in f.actors if a.code == "USA").modifiers == ("hawkish",)
    assert founding.with_variant("liberal-lens").lens == "liberal"


def test_json_schema_has_discriminated_events():
    schema = Scenario.model_json_schema()
    ev = schema["properties"]["events"]["items"]
    assert ev["discriminator"]["propertyName"] == "type"
    assert len(ev["discriminator"]["mapping"]) == 19  # 18 + alliance_end
