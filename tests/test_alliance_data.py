"""Current alliance data, typed rivalries and missing values (issue 10, items 5 and 9).

The currency rule (sim.catalog.currency, docs/data.md) weights each ATOP tie by how recent it is and
whether it is visibly kept up; dormant and ended ties must not carry a pledge into a war.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from sim.catalog import load_catalog
from sim.catalog.currency import DORMANT_BELOW, GRACE_YEARS, HALF_LIFE_YEARS, currency, tie_history
from sim.cli.main import app
from sim.model.world import OBLIGATION_STRENGTH, RIVALRY_BITS, build_world
from sim.scenario.loader import load_scenario, parse_scenario
from tests.conftest import FOUNDING, SCENARIOS, small_scenario

KOREA = ["RUS", "PRK", "USA", "ROK", "JPN", "CHN", "UKR", "CUB"]


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def _tie(cat, a, b, year):
    return next(al for al in cat.alliances([a, b], year))


# --- the currency rule ------------------------------------------------------------------------
def test_old_cuba_north_korea_entry_is_dormant(cat):
    al = _tie(cat, "CUB", "PRK", 2022)
    assert al.defense and al.since == 1986
    assert al.dormant and al.weight < 0.25
    assert "dormant" in al.note and "km apart" in al.note


@pytest.mark.parametrize("a,b", [("USA", "JPN"), ("USA", "ROK"), ("CHN", "PRK")])
def test_active_defence_pacts_keep_full_weight(cat, a, b):
    al = _tie(cat, a, b, 2022)
    assert al.defense and al.weight == 1.0 and not al.dormant


def test_a_tie_ended_after_atop_counts_zero_from_its_end(cat):
    before = _tie(cat, "RUS", "UKR", 2018)
    after = _tie(cat, "RUS", "UKR", 2022)
    assert before.weight > 0 and before.ended is None
    assert after.weight == 0 and after.ended == 2019 and after.dormant


def test_recency_grace_then_half_life():
    kw = {"ideal_gap": 0.0, "major": False, "contiguous": False, "capital_km": 20000.0}  # no maintenance
    assert currency(year=2000, since=1990, renewed=2000 - GRACE_YEARS, **kw).weight == 1.0
    w1 = currency(year=2000, since=1950, renewed=2000 - GRACE_YEARS - int(HALF_LIFE_YEARS), **kw).weight
    assert w1 == pytest.approx(0.5)
    assert currency(year=2000, since=1900, renewed=1900, **kw).weight < 0.01


def test_maintenance_needs_both_votes_and_reach():
    old = {"year": 2020, "since": 1950, "renewed": 1950}
    kept = currency(**old, ideal_gap=0.5, major=True, contiguous=False, capital_km=10000.0)
    apart = currency(**old, ideal_gap=4.0, major=True, contiguous=False, capital_km=10000.0)
    far = currency(**old, ideal_gap=0.5, major=False, contiguous=False, capital_km=10000.0)
    near = currency(**old, ideal_gap=0.5, major=False, contiguous=True, capital_km=10000.0)
    assert kept.weight == 1.0 and near.weight == 1.0
    assert apart.weight < DORMANT_BELOW and far.weight < DORMANT_BELOW
    no_votes = currency(**old, ideal_gap=None, major=True, contiguous=False, capital_km=None)
    assert no_votes.weight == 1.0 and "no UN votes" in no_votes.note


def test_tie_history_since_and_renewed():
    masks = {1950: 1, 1951: 1, 1952: 17, 1953: 17, 1954: 17}
    assert tie_history(masks, 1954) == (1950, 1952)
    assert tie_history({1990: 8, 1992: 8}, 1992) == (1992, 1992)  # a gap breaks the tie


def test_the_1914_alliances_are_current(cat):
    ties = {frozenset((a.a, a.b)): a for a in cat.alliances(["GMY", "AUH", "RUS", "FRN", "ITA"], 1914)}
    assert ties[frozenset(("RUS", "FRN"))].weight == 1.0
    assert ties[frozenset(("GMY", "AUH"))].weight == 1.0


# --- the world built from it ----------------------------------------------------------------------
def test_world_pledges_follow_currency():
    w = build_world(load_scenario(FOUNDING))
    i = w.index
    assert w.pledge[i("PRK"), i("CUB")] == 0 and w.pledge[i("CUB"), i("PRK")] == 0  # dormant: no pledge
    assert 0 < w.align[i("PRK"), i("CUB")] < 0.25 * OBLIGATION_STRENGTH["defense"]
    assert w.pledge[i("USA"), i("JPN")] == OBLIGATION_STRENGTH["defense"]
    assert w.reliab[i("PRK"), i("CUB")] < w.reliab[i("USA"), i("JPN")]
    status = {frozenset((t.a, t.b)): t.status for t in w.ties}
    assert status[frozenset(("PRK", "CUB"))] == "dormant"
    assert status[frozenset(("USA", "JPN"))] == "in force"


def test_states_at_war_start_unaligned_and_without_pledge():
    w = build_world(load_scenario(FOUNDING))
    r, u = w.index("RUS"), w.index("UKR")
    assert w.align[r, u] == 0 and w.pledge[r, u] == 0
    assert next(t for t in w.ties if {t.a, t.b} == {"RUS", "UKR"}).status == "void (at war)"


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_rivals_are_not_aligned_by_catalog_ties(path):
    sc = load_scenario(path)
    w = build_world(sc)
    declared = {frozenset(al.members) for al in sc.relations.alliances}
    for i in range(w.n):
        for j in range(w.n):
            if w.rival[i, j] and frozenset((w.codes[i], w.codes[j])) not in declared:
                assert w.align[i, j] == 0, (w.codes[i], w.codes[j])


def test_a_scenario_ends_a_catalog_tie():
    text = FOUNDING.read_text()
    ended = text.replace("relations:\n", "relations:\n  alliances:\n    - {members: [CHN, PRK], type: none}\n", 1)
    base, sc = build_world(load_scenario(FOUNDING)), build_world(parse_scenario(ended, "ended.yaml"))
    c, p = base.index("CHN"), base.index("PRK")
    assert base.pledge[c, p] > 0 and sc.pledge[c, p] == 0 and sc.align[c, p] == 0
    tie = next(t for t in sc.ties if {t.a, t.b} == {"CHN", "PRK"})
    assert tie.status == "ended by the scenario" and "ATOP" in tie.note


def _with_sanctions_on_japan(severity: float) -> str:
    line = f"    - {{by: USA, targets: [JPN], severity: {severity}}}\n"
    return FOUNDING.read_text().replace("  sanctions:\n", "  sanctions:\n" + line, 1)


def test_sanctions_between_partners_weaken_their_catalog_tie():
    base = build_world(load_scenario(FOUNDING))
    mild = build_world(parse_scenario(_with_sanctions_on_japan(0.2), "mild.yaml"))
    hard = build_world(parse_scenario(_with_sanctions_on_japan(0.8), "hard.yaml"))
    u, j = base.index("USA"), base.index("JPN")
    t0, t1, t2 = (next(t for t in w.ties if {t.a, t.b} == {"USA", "JPN"}) for w in (base, mild, hard))
    assert t0.weight == 1.0 and t0.status == "in force"
    # the tie keeps (1 − severity) of its currency weight; below 0.5 it is dormant and carries no pledge
    assert t1.weight == pytest.approx(0.8) and t1.status == "in force" and "sanctions" in t1.note
    assert mild.pledge[u, j] == pytest.approx(OBLIGATION_STRENGTH["defense"] * 0.8)
    assert mild.pledge[u, j] < base.pledge[u, j]
    assert t2.weight == pytest.approx(0.2) and t2.dormant and t2.status == "dormant (sanctions)"
    assert hard.pledge[u, j] == 0 and hard.pledge[j, u] == 0
    assert 0 < hard.align[u, j] < mild.align[u, j] < base.align[u, j]


def test_the_1962_embargo_leaves_the_rio_treaty_tie_with_cuba_without_a_pledge():
    path = SCENARIOS / "cuban-missile-crisis-1962.yaml"
    line = "    - {members: [USA, CUB], type: none}"
    text = path.read_text()
    assert line in text  # the scenario ends the tie itself (the OAS exclusion of January 1962) ...
    sc = parse_scenario("\n".join(x for x in text.splitlines() if not x.startswith(line)), "no-end.yaml")
    w = build_world(sc)  # ... and without that line the embargo alone leaves it dormant
    tie = next(t for t in w.ties if {t.a, t.b} == {"USA", "CUB"})
    assert tie.source.startswith("ATOP") and tie.kind == "defense"
    assert tie.status == "dormant (sanctions)" and tie.weight < DORMANT_BELOW
    assert w.pledge[w.index("USA"), w.index("CUB")] == 0
    ended = next(t for t in build_world(load_scenario(path)).ties if {t.a, t.b} == {"USA", "CUB"})
    assert ended.status == "ended by the scenario"


def test_strength_with_type_none_is_a_located_error():
    from sim.errors import FlashpointError

    text = FOUNDING.read_text().replace(
        "relations:\n", "relations:\n  alliances:\n    - {members: [CHN, PRK], type: none, strength: 0.5}\n", 1)
    with pytest.raises(FlashpointError) as exc:
        parse_scenario(text, "bad.yaml")
    msg = str(exc.value)
    assert "bad.yaml:" in msg and "strength" in msg and "none" in msg


# --- typed rivalries ------------------------------------------------------------------------------
def test_rivalry_types_merge_tss_and_thompson_dreyer(cat):
    recs = {frozenset((r.a, r.b)): r for r in cat.rivalry_records(KOREA, 2022)}
    kor = recs[frozenset(("PRK", "ROK"))]
    assert {"positional", "ideological"} <= set(kor.types) and "td" in kor.sources
    assert kor.main_type == "positional"
    # Thompson & Dreyer end in 2010: Russia–Ukraine (from 2014) is TSS's only
    assert recs[frozenset(("RUS", "UKR"))].sources == ("tss",)
    for a, b, _name, types in cat.rivalries(KOREA, 2022):
        assert set(types) <= set(RIVALRY_BITS)
        assert types == recs[frozenset((a, b))].types


def test_world_rival_type_bits():
    w = build_world(load_scenario(FOUNDING))
    i = w.index
    assert w.rival_type.dtype == np.int8
    assert w.rival_type[i("PRK"), i("ROK")] & RIVALRY_BITS["ideological"]
    assert w.rival_type[i("RUS"), i("UKR")] & RIVALRY_BITS["spatial"]
    assert (w.rival_type == w.rival_type.T).all()
    assert not (w.rival_type[~w.rival]).any()


# --- missing values -------------------------------------------------------------------------------
def test_north_korea_spending_is_missing_and_imputed(cat):
    rec = cat.state("PRK", 2022)
    assert rec.milex is None and rec.sipri_milex_usd_m is None
    value, how = rec.imputed_value("milex")
    assert value > 0 and "COW figure of" in how
    w = build_world(load_scenario(FOUNDING))
    prk = w.actors[w.index("PRK")]
    assert prk.milex == value and prk.missing("milex").startswith("imputed")
    assert prk.display("milex", "{:.2f}", 1e-6).startswith("n/a (imputed: ")
    usa = w.actors[w.index("USA")]
    assert usa.missing("milex") == "" and usa.display("milex", "{:.2f}", 1e-6) == f"{usa.milex * 1e-6:.2f}"


def test_ideal_point_imputed_from_the_nearest_year_and_pre_un_shown_missing(cat):
    chn = cat.state("CHN", 1962)
    assert chn.ideal_point is None
    value, how = chn.imputed_value("ideal_point")
    assert "1971" in how and value == cat.state("CHN", 1971).ideal_point
    w = build_world(small_scenario())
    assert not any(a.missing("ideal_point") for a in w.actors)
    old = build_world(load_scenario(SCENARIOS / "july-crisis-1914.yaml"))
    assert all(a.display("ideal_point", "{:+.2f}").startswith("n/a (no data") for a in old.actors)


def test_a_missing_ideal_point_is_neutral_not_identical():
    """No UN votes (before 1946, Kosovo): the value stays missing and gives affinity 0.5, not identity."""
    from sim.model import CrisisModel
    from sim.model.world import NEUTRAL_AFFINITY, affinity_matrix

    sc = load_scenario(SCENARIOS / "july-crisis-1914.yaml")
    w = build_world(sc)
    assert np.isnan(w.ideal).all()  # held as missing, not as the number 0
    assert all(a.missing("ideal_point").startswith("missing") for a in w.actors)
    m = CrisisModel(sc, 0)
    off = ~np.eye(w.n, dtype=bool)
    assert (m.affinity[off] == NEUTRAL_AFFINITY).all() and (np.diag(m.affinity) == 1).all()
    # non-rivals start from the general prior itself (1.5 − 0.5 = 1), neither halved nor raised
    prior = sc.parameters.spiral.prior_greedy
    assert np.allclose(w.belief[off & ~w.rival], prior)
    # a state without votes next to states with votes: neutral toward each, the others unchanged
    kos = small_scenario(actors=[{"code": c} for c in ("USA", "SRB", "KOS")])
    wk = build_world(kos)
    scale = kos.parameters.power_transition.dissatisfaction_scale
    aff = affinity_matrix(wk.ideal, scale)
    u, s_, k = wk.index("USA"), wk.index("SRB"), wk.index("KOS")
    assert np.isnan(wk.ideal[k]) and not np.isnan(wk.ideal[u])
    assert aff[k, u] == aff[u, k] == aff[k, s_] == NEUTRAL_AFFINITY
    assert aff[u, s_] == pytest.approx(np.clip(1 - abs(wk.ideal[u] - wk.ideal[s_]) / scale, 0, 1))


def test_a_missing_ideal_point_gives_no_power_transition_dissatisfaction():
    from sim.model import CrisisModel
    from sim.model.submodels.bargain import transition_risk

    sc = load_scenario(SCENARIOS / "july-crisis-1914.yaml")
    m = CrisisModel(sc, 0)
    n = m.world.n
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    rn = np.zeros(n * n, dtype=int)
    risk = transition_risk(m, rn, i.ravel(), j.ravel())
    assert np.isfinite(risk).all() and (risk == 0).all()


def test_no_missing_value_is_held_as_zero():
    from sim.validation.face import missing_as_zero

    zero, missing, examples = missing_as_zero([load_scenario(p) for p in sorted(SCENARIOS.glob("*.yaml"))])
    assert missing > 0 and zero == 0, examples


# --- describe -------------------------------------------------------------------------------------
def test_describe_marks_dormant_ties_and_missing_values():
    runner = CliRunner()
    res = runner.invoke(app, ["describe", str(FOUNDING), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    ties = {frozenset(t["pair"]): t for t in d["ties"]}
    assert ties[frozenset(("PRK", "CUB"))]["dormant"] and ties[frozenset(("PRK", "CUB"))]["status"] == "dormant"
    assert not ties[frozenset(("USA", "JPN"))]["dormant"]
    prk = next(a for a in d["actors"] if a["code"] == "PRK")
    assert prk["missing"]["milex"].startswith("imputed")
    old = json.loads(runner.invoke(app, ["describe", str(SCENARIOS / "july-crisis-1914.yaml"), "--json"]).stdout)
    assert all(a["ideal_point"] is None and a["missing"]["ideal_point"].startswith("missing") for a in old["actors"])
    assert {"PRK", "ROK"} == set(next(r for r in d["rivalries"] if set(r["pair"]) == {"PRK", "ROK"})["pair"])
    from rich.console import Console

    import sim.cli.main as cli_main

    wide = Console(highlight=False, soft_wrap=False, width=160)  # the module's console fixed its width at import
    saved, cli_main.out = cli_main.out, wide
    try:
        with wide.capture() as cap:
            res = runner.invoke(app, ["describe", str(FOUNDING)])
    finally:
        cli_main.out = saved
    assert res.exit_code == 0
    out = cap.get()
    assert "dormant" in out and "PRK–CUB" in out and "n/a (imputed" in out


# --- steps told in the scenario's own unit ------------------------------------------------------
def test_a_daily_scenario_is_told_in_days():
    from rich.console import Console

    from sim.cli.report import print_run
    from sim.model import run_scenario

    sc = load_scenario(SCENARIOS / "cuban-missile-crisis-1962.yaml")
    assert sc.calendar.step == "day"
    res = run_scenario(sc, seed=0)
    lines = res.narrative()
    heads = [x for x in lines if not x.startswith("  - ")]
    assert heads and all(h.startswith("Day ") for h in heads)
    assert not any("Week" in x for x in res.story())
    con = Console(record=True, width=200)
    print_run(con, res)
    told = con.export_text()
    assert "week " not in told.lower().replace("weeks", "") and "day " in told.lower()
    s = res.summary()
    assert s["step_unit"] == "day" and all(r["when"].startswith("Day ") for r in s["responses"])


def test_calendar_label_in_its_unit():
    sc = small_scenario()
    assert sc.calendar.label(0) == "Week 1"
    daily = sc.model_copy(update={"calendar": sc.calendar.model_copy(update={"step": "day"})})
    assert daily.calendar.label(26) == "Day 27"


def test_ensemble_labels_name_the_unit():
    from sim.analysis.outcomes import describe, step_unit

    assert step_unit(("1962-10-14", "1962-10-15")) == "day"
    assert step_unit(("2024-06-10", "2024-06-17")) == "week"
    assert describe("first_war_step", "USA–RUS", unit="day").startswith("median days from the start")


def test_an_alliance_end_event_removes_the_pledge_during_the_run():
    from sim.model.model import CrisisModel

    end = {"type": "alliance_end", "step": 2, "actor": "USA", "parties": ["ROK"],
           "description": "Washington ends its treaty with Seoul"}
    rel = {"alliances": [{"members": ["USA", "ROK"], "type": "defense", "strength": 0.9}]}
    m = CrisisModel(small_scenario([end], horizon=6, relations=rel), 0)
    u, r = m.idx["USA"], m.idx["ROK"]
    assert m.world.pledge[0, u, r] == pytest.approx(0.9)
    for _ in range(3):  # steps 0, 1, 2: the event happens in step 2
        m.step()
    assert m.world.pledge[0, u, r] == 0 and m.world.pledge[0, r, u] == 0 and m.world.align[0, u, r] == 0
    while m.steps_done < 6:
        m.step()
    assert m.world.pledge[0, u, r] == 0  # nothing restores the pledge by itself
    rec = next(x for x in m.log.records if x["type"] == "alliance_end")
    assert rec["step"] == 2 and rec["cameo"] == "160" and "ends" in rec["why"]
    weak = {**end, "strength": 0.4}
    m = CrisisModel(small_scenario([weak], horizon=6, relations=rel), 0)
    m.run()
    assert 0 < m.world.pledge[0, u, r] <= 0.4


def test_alliance_end_with_itself_is_a_located_error():
    from sim.errors import FlashpointError

    text = FOUNDING.read_text().replace(
        "events:\n", "events:\n  - {type: alliance_end, date: 2024-06-20, actor: CHN, parties: [CHN]}\n", 1)
    with pytest.raises(FlashpointError, match=r"\.yaml:\d+:\d+: .*cannot act on itself"):
        parse_scenario(text, "self.yaml")


def test_describe_tells_a_daily_timeline_in_days():
    res = CliRunner().invoke(app, ["describe", str(SCENARIOS / "cuban-missile-crisis-1962.yaml"), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["calendar"]["step"] == "day"
    assert d["events"] and all(e["step_label"] == f"Day {e['step'] + 1}" for e in d["events"])
