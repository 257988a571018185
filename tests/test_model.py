"""The crisis model: determinism, invariants, each event type's effect, explanations."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import CrisisModel, run_scenario
from sim.scenario.events import EVENT_TYPES
from tests.conftest import small_scenario


def test_same_seed_same_run_different_seed_different(founding):
    a = run_scenario(founding, seed=7)
    b = run_scenario(founding, seed=7)
    c = run_scenario(founding, seed=8)
    assert a.records == b.records
    assert np.array_equal(a.level_hist, b.level_hist)
    assert np.array_equal(a.threat_hist, b.threat_hist)
    assert a.records != c.records or not np.array_equal(a.level_hist, c.level_hist)


@pytest.mark.parametrize("variant", [None, "no-pact", "forceful-us", "china-distances", "china-backs", "liberal-lens"])
def test_invariants_hold_in_every_variant(founding, variant):
    for seed in (0, 1, 2):
        res = run_scenario(founding, seed=seed, variant=variant)
        L = res.level_hist
        assert L.min() >= 0 and L.max() <= 10
        assert np.array_equal(L, np.transpose(L, (0, 2, 1))), "rungs are symmetric"
        assert np.isfinite(res.threat_hist).all()
        assert (res.threat_hist >= 0).all() and (res.threat_hist <= 1).all()
        assert (res.series["capability"] >= 0).all()
        assert np.isfinite(res.series["milex"]).all()
        for r in res.records:
            if r.get("cause"):
                assert int(r["cause"][1:]) < int(r["id"][1:]), "a cause precedes its effect"


def test_record_modes_agree(founding):
    full = run_scenario(founding, seed=3, record="full")
    summ = run_scenario(founding, seed=3, record="summary")
    assert np.array_equal(full.peak, summ.peak)
    assert np.array_equal(full.series["milex"], summ.series["milex"])


EFFECTS = {
    "defense_pact": ({"parties": ["PRK"], "obligation": "defense", "strength": 0.9}, "pledge", (0, 3), +1),
    "naval_deployment": ({"partners": ["CUB"], "near": ["USA"], "force_size": 2}, "posture", (1, 0), +1),
    "sanctions": ({"targets": ["PRK"], "severity": 0.6}, "sanctions", (0, 3), +1),
    "sanctions_relief": ({"targets": ["PRK"], "severity": 0.5}, "hostility", (1, 3), -1),
    "arms_transfer": ({"partners": ["PRK"], "amount": 0.2}, "cap", (3,), +1),
    "troop_deployment": ({"partners": ["CUB"], "near": ["USA"]}, "posture", (1, 0), +1),
    "military_exercise": ({"partners": ["PRK"], "near": ["ROK"]}, "posture", (1, 4), +1),
    "missile_test": ({"near": ["ROK"], "nuclear": True}, "posture", (1, 4), +1),
    "statement": ({"targets": ["USA"], "kind": "threaten"}, "hostility", (1, 0), +1),
    "summit": ({"partners": ["PRK"]}, "align", (1, 3), +1),
    "mobilization": ({"near": ["ROK"]}, "posture", (1, 4), +1),
    "alert": ({"near": ["USA"], "level": 2}, "posture", (1, 0), +1),
    "ultimatum": ({"targets": ["ROK"]}, "level", (1, 4), +1),
    "blockade": ({"targets": ["CUB"]}, "level", (1, 2), +1),
    "armed_clash": ({"targets": ["ROK"]}, "level", (1, 4), +1),
    "war_declaration": ({"targets": ["ROK"]}, "level", (1, 4), +1),
    "incident": ({"targets": ["USA"], "severity": 0.8}, "hostility", (1, 0), +1),
    "settlement_offer": ({"targets": ["USA"], "generosity": 0.7}, "offer", (1, 0), +1),
    "alliance_end": ({"parties": ["PRK"]}, "pledge", (1, 3), -1),
}


def test_every_event_type_has_an_effect_test():
    assert set(EFFECTS) == set(EVENT_TYPES)


@pytest.mark.parametrize("etype", sorted(EFFECTS))
def test_event_type_effect(etype):
    fields, array, idx, sign = EFFECTS[etype]
    actor = "USA" if etype in ("defense_pact", "sanctions") else "RUS"
    ev = {"type": etype, "step": 0, "actor": actor, **fields}
    pre = {"relations": {"from_catalog": False, "tensions": [{"between": ["RUS", "PRK"], "value": 3}]}}
    if etype == "alliance_end":  # a tie to end
        pre["relations"]["alliances"] = [{"members": ["RUS", "PRK"], "type": "defense"}]
    if etype == "sanctions_relief":
        # relief lowers hostility built by earlier sanctions
        sc = small_scenario([{"type": "sanctions", "step": 0, "actor": "RUS", "targets": ["PRK"]}, {**ev, "step": 1}], **pre)
        m = CrisisModel(sc, 0)
        m.apply_events()
        m.steps_done = 1
        before = getattr(m.world, array)[0].copy()
        m.apply_events()
    else:
        sc = small_scenario([ev], **pre)
        m = CrisisModel(sc, 0)
        before = getattr(m.world, array)[0].copy()
        m.apply_events()
    after = getattr(m.world, array)[0]
    assert np.sign(after[idx] - before[idx]) == sign, f"{etype}: {array}{idx} {before[idx]} → {after[idx]}"
    # every scheduled event is logged with a CAMEO code, a Goldstein weight and a rung
    rec = [r for r in m.log.records if r["mechanism"] == "scenario"]
    assert rec and all(r["cameo"] and r["goldstein"] is not None and 0 <= r["level"] <= 10 for r in rec)


def test_havana_visit_reads_differently_per_dyad(founding):
    res = run_scenario(founding, seed=0)
    visit = [r for r in res.records if r.get("event_id") == "havana-visit"]
    to_usa = next(r for r in visit if r["target"] == "USA")
    to_cub = next(r for r in visit if r["target"] == "CUB")
    assert to_usa["cameo"] == "150" and to_usa["goldstein"] < 0 and to_usa["level"] == 4
    assert to_cub["cameo"] == "042" and to_cub["goldstein"] > 0 and to_cub["level"] == 0


def test_pact_raises_threat_of_rok_jpn_usa_through_aggregate_power(founding):
    # the mechanism: in the step of the pact, the power component of ROK's, JPN's and the USA's
    # threat from North Korea grows (North Korea's aggregate power now counts Russia's pledge)
    m = CrisisModel(founding, 0)
    step = founding.event_step(next(e for e in founding.events if e.type == "defense_pact"))
    for _ in range(step):
        m.step()
    m.apply_events()
    before = {k: v.copy() for k, v in m.components.items()}
    m.perceive_threat()
    c = m.idx
    for perceiver in ("ROK", "JPN", "USA"):
        ratio = m.components["power"][c[perceiver], c["PRK"]] / before["power"][c[perceiver], c["PRK"]]
        assert ratio > 1.05, f"{perceiver} should feel North Korea's aggregate power grow (×{ratio:.3f})"
    # the explanation: across seeds, these perceptions are logged with the pact as their cause
    # (in a given run another change the same week, e.g. a protest, may be the larger component)
    felt = {}
    for seed in range(8):
        res = run_scenario(founding, seed=seed)
        per = {g["event_id"]: g for g in res.event_effects()}["pact"]["perceptions"]
        for r in per:
            if r["component"] == "power":
                felt[(r["actor"], r["target"])] = felt.get((r["actor"], r["target"]), 0) + 1
    for perceiver in ("ROK", "JPN", "USA"):
        assert felt.get((perceiver, "PRK"), 0) >= 2, f"{perceiver}: {felt}"
    # and the no-pact variant has no such perception
    res2 = run_scenario(founding, seed=0, variant="no-pact")
    assert "pact" not in {g["event_id"] for g in res2.event_effects()}


def test_pact_comes_into_force_later(founding):
    res = run_scenario(founding, seed=0)
    rec = [r for r in res.records if r["type"] == "pact_in_force"]
    assert len(rec) == 1
    assert rec[0]["date"] >= "2024-12-02"
    rus, prk = res.codes.index("RUS"), res.codes.index("PRK")
    assert res.final_pledge[rus, prk] == pytest.approx(0.8)


def test_answers_are_traced_to_events(founding):
    res = run_scenario(founding, seed=0)
    traced = res.responses()
    assert traced, "some answers trace back to a scheduled event"
    for x in traced:
        kinds = [c["kind"] for c in x["chain"]]
        assert kinds[0] == "event" and "perception" in kinds


def test_explain_narrative_reads(founding):
    res = run_scenario(founding, seed=0)
    lines = res.narrative(explain=True)
    assert lines[0].startswith("Week 1")
    assert any("because" in ln for ln in lines)
    assert any("←" in ln for ln in lines)


def test_unknown_variant_is_a_clear_error(founding):
    with pytest.raises(KeyError, match="known: no-pact"):
        run_scenario(founding, seed=0, variant="nope")


def test_threat_rises_with_power():
    sc = small_scenario([])
    m = CrisisModel(sc, 0)
    T = m.world.threat[0]
    c = m.idx
    # Cuba fears the US (close, overwhelming) more than the US fears Cuba
    assert T[c["CUB"], c["USA"]] > T[c["USA"], c["CUB"]]


def test_threat_falls_with_distance_between_non_partners():
    sc = small_scenario([])
    m = CrisisModel(sc, 0)
    T = m.world.threat[0]
    c = m.idx
    # South Korea (contiguous rival) is more threatened by North Korea than distant, friendly Cuba is
    assert T[c["ROK"], c["PRK"]] > T[c["CUB"], c["PRK"]]


def test_sanctions_in_force_at_the_start_hold_a_floor_until_relief():
    """relations.sanctions: the dyad starts at rung 3, de-escalation never takes it below 3 while the
    sanctions last, and a sanctions_relief event that lifts them lets it fall."""
    rel = {"from_catalog": False, "sanctions": [{"by": "USA", "targets": ["CUB", "PRK"], "severity": 0.6}]}
    sc = small_scenario([], horizon=40, relations=rel)
    m = CrisisModel(sc, 0)
    w = m.world
    u, c, p, r = (w.codes.index(k) for k in ("USA", "CUB", "PRK", "ROK"))
    assert w.sanctions[0, u, c] == pytest.approx(0.6) and w.sanctions[0, u, p] == pytest.approx(0.6)
    assert w.sanctions[0, c, u] == 0 and w.level[0, u, c] == w.level[0, c, u] == 3
    assert w.level[0, u, r] == 0
    for seed in range(4):
        res = run_scenario(sc, seed=seed)
        assert res.level_hist[:, u, c].min() >= 3 and res.level_hist[:, u, p].min() >= 3
    lifted = small_scenario([{"type": "sanctions_relief", "step": 0, "actor": "USA", "targets": ["CUB"], "severity": 1.0}],
                            horizon=40, relations=rel)
    fell = [run_scenario(lifted, seed=s).level_hist[:, u, c].min() for s in range(4)]
    assert min(fell) < 3, "without the sanctions the USA–CUB dyad de-escalates below rung 3"


def test_sanctions_in_force_are_checked_against_the_actors():
    import yaml

    from sim.errors import FlashpointError
    from sim.scenario.loader import parse_scenario

    base = small_scenario([]).model_dump(mode="json", exclude_none=True)
    for bad, message in (({"by": "GBR", "targets": ["CUB"]}, "unknown actor GBR"), ({"by": "USA", "targets": ["USA"]}, "cannot sanction itself")):
        data = {**base, "relations": {"from_catalog": False, "sanctions": [bad]}}
        with pytest.raises(FlashpointError) as exc:
            parse_scenario(yaml.safe_dump(data), "t.yaml")
        assert message in str(exc.value) and "sanctions" in str(exc.value)


# ---------------------------------------------------------------- decisions as values (the game's interface)
def test_peek_decisions_leaves_the_model_unchanged_and_overrides_with_them_change_nothing(founding):
    from sim.model import ACTION_MENU, Decision

    plain = CrisisModel(founding, 5)
    played = CrisisModel(founding, 5)
    names = {row["action"] for row in ACTION_MENU}
    for _ in range(12):
        peek = played.peek_decisions()
        assert set(peek) == set(played.world.codes)
        for code, ds in peek.items():
            # up to max_dyads acts toward other states, plus one policy (arm, balance, bandwagon)
            policy = {"arm", "balance", "bandwagon"}
            assert 1 <= len(ds) <= played.params.decision.max_dyads + 1
            assert sum(d.action in policy for d in ds) <= 1
            for d in ds:
                assert isinstance(d, Decision) and d.actor == code and d.action in names and d.why.startswith(code)
            targets = [d.target for d in ds if d.target and d.action not in policy]
            assert len(targets) == len(set(targets)), "one decision per dyad"
        assert played.peek_decisions() == peek, "peeking does not change the model"
        plain.step()
        played.step(overrides=peek)
        assert np.array_equal(plain.world.level, played.world.level)
        assert np.array_equal(plain.world.threat, played.world.threat)
    assert plain.log.records == played.log.records


def test_an_override_is_what_the_state_does(founding):
    from sim.model import Decision

    m = CrisisModel(founding, 0)
    m.step(overrides={"USA": [Decision("USA", "threaten", "PRK"), Decision("USA", "reassure", "CUB")], "PRK": []})
    mine = [r for r in m.log.records if r["kind"] == "decision" and r["mechanism"] == "decide"]
    assert any(r["actor"] == "USA" and r["type"] == "threaten" and r["target"] == "PRK" for r in mine)
    assert any(r["actor"] == "USA" and r["type"] == "reassure" and r["target"] == "CUB" for r in mine)
    assert not any(r["actor"] == "USA" and r["type"] not in ("threaten", "reassure") for r in mine)
    assert not any(r["actor"] == "PRK" for r in mine)
    for bad in ({"USA": [Decision("USA", "clash", "ROK")]}, {"XXX": []}, {"USA": [Decision("USA", "fly", "PRK")]},
                {"USA": [Decision("USA", "balance", "JPN"), Decision("USA", "arm")]},
                {"USA": [Decision("USA", "threaten", c) for c in ("PRK", "RUS", "CHN")]}):
        with pytest.raises(ValueError):
            CrisisModel(founding, 0).step(overrides=bad)


# ---------------------------------------------------------------- threat knows friends from rivals
@pytest.mark.parametrize("name", ["korea-russia-2024", "july-crisis-1914", "cuban-missile-crisis-1962"])
def test_top_threat_at_the_start_is_a_rival_or_adversary_never_a_formal_ally(name):
    from sim.scenario.loader import load_scenario
    from tests.conftest import SCENARIOS

    m = CrisisModel(load_scenario(SCENARIOS / f"{name}.yaml"), 0)
    w = m.world
    for i, code in enumerate(w.codes):
        t = w.threat[0, i].copy()
        t[i] = -1.0
        k = int(np.argmax(t))
        assert w.pledge[0, i, k] == 0 and w.pledge[0, k, i] == 0, f"{code}'s top threat {w.codes[k]} is a formal ally"
        adversaries = w.rival[i] | (w.level[0, i] >= 5)
        if adversaries.any():
            assert adversaries[k], f"{code}'s top threat {w.codes[k]} is neither a rival nor an adversary"


def test_an_ally_whose_acts_are_hostile_becomes_a_threat():
    from sim.model.submodels.threat import relationship

    sc = small_scenario([], relations={"from_catalog": False, "alliances": [{"members": ["USA", "CUB"], "type": "defense", "strength": 0.8}]})
    m = CrisisModel(sc, 0)
    u, c = m.idx["USA"], m.idx["CUB"]
    calm = relationship(m)[0, c, u]
    m.world.hostility[0, u, c] = 3.0  # the USA's recent hostile acts toward Cuba
    hostile = relationship(m)[0, c, u]
    assert hostile > 1.0 and calm < 0.2 * hostile, (calm, hostile)  # an adversary counts in full, a quiet ally hardly
    assert CrisisModel(sc, 0, switched_off=frozenset({"relationship"})).world.threat[0, c, u] > m.world.threat[0, c, u]


def test_a_threat_rise_is_told_with_a_percentage_that_matches_its_numbers():
    from sim.model.explain import rise_words

    assert rise_words(0.40, 0.50, 0.6) == "rose 25% (0.40 → 0.50 on the 0–1 scale)"
    assert rise_words(0.994, 0.996, 0.94) == "rose 1% (0.99 → 1.00 on the 0–1 scale)"  # not "rose 94%"
    text = rise_words(0.9951, 0.9962, 0.94)
    assert text == "stays at 1.00 on the 0–1 scale while its raw index rose 94%"
