"""Why did it change: cause chains behind a comparison's headline differences (sim.ensemble.explain)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from sim.cli.main import app
from sim.ensemble.comparison import compare
from sim.ensemble.explain import explain_comparison, headline_changes, outcome_chain
from sim.scenario.loader import load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[1]
FOUNDING = ROOT / "scenarios" / "korea-russia-2024.yaml"


def _rec(rid, kind, mech, typ, actor, target, level=None, cause="", **kw):
    return {"id": rid, "kind": kind, "mechanism": mech, "type": typ, "actor": actor, "target": target,
            "level": level, "cause": cause, **kw}


def test_outcome_chain_follows_causes_from_the_first_record_at_the_rung_to_its_root():
    names = {"ROK": "South Korea", "UKR": "Ukraine", "RUS": "Russia"}
    recs = [
        _rec("r1", "event", "scenario", "arms_transfer", "ROK", "RUS", 2, event_id="added-1"),
        _rec("r2", "perception", "perceive_threat", "perception", "RUS", "ROK", cause="r1"),
        _rec("r3", "decision", "decide", "threaten", "RUS", "ROK", 2, cause="r2"),
        _rec("r4", "perception", "perceive_threat", "perception", "RUS", "ROK", cause="r3"),
        _rec("r5", "decision", "decide", "clash", "RUS", "ROK", 5, cause="r4"),
        _rec("r6", "decision", "decide", "clash", "ROK", "RUS", 5, cause="r5"),
    ]
    chain = outcome_chain(recs, "ROK–RUS", 5, names, frozenset({"added-1"}))
    assert chain == ("arms transfer by South Korea (added by the what-if) → Russia feels more threatened by South Korea "
                     "→ Russia: armed clash against South Korea")
    assert outcome_chain(recs, "ROK–RUS", 7, names) is None  # never reached war
    assert outcome_chain(recs, "ROK–UKR", 5, names) is None  # another pair


def test_headline_changes_keep_each_variants_largest_change():
    rows = [{"variant": v, "outcome": "p_violence", "kind": "probability", "dyad": d, "actor": "", "diff": x,
             "diff_lo": x - 0.05, "diff_hi": x + 0.05, "changed": c, "baseline": 0.2, "variant_value": 0.2 + x}
            for v, d, x, c in [("a", "RUS–UKR", 0.30, True), ("a", "USA–CHN", 0.20, True), ("a", "PRK–ROK", 0.15, True),
                               ("b", "RUS–UKR", 0.01, False)]]
    # a rung difference is ranked by its own interval: +3 rungs ± 10 is weaker than +0.15 ± 0.05
    rows.append({"variant": "a", "outcome": "peak_level", "kind": "mean", "dyad": "RUS–UKR", "actor": "", "diff": 3.0,
                 "diff_lo": -7.0, "diff_hi": 13.0, "changed": True, "baseline": 1, "variant_value": 4})
    rows.append({"variant": "a", "outcome": "milex_change", "kind": "mean", "dyad": "", "actor": "USA", "diff": 9.0,
                 "diff_lo": 8.9, "diff_hi": 9.1, "changed": True, "baseline": 1, "variant_value": 10})
    h = headline_changes(pd.DataFrame(rows), top=3)
    assert list(zip(h["variant"], h["dyad"], strict=True)) == [("a", "RUS–UKR"), ("a", "USA–CHN"), ("b", "RUS–UKR")]


def _with_added_clash(tmp_path: Path) -> Path:
    data = yaml.safe_load(FOUNDING.read_text("utf-8"))
    data["variants"].append({"name": "rok-strikes", "title": "South Korea strikes North Korea", "add_events": [
        {"id": "strike", "type": "armed_clash", "actor": "ROK", "targets": ["PRK"], "date": "2024-06-24"}]})
    path = tmp_path / "strike.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def test_the_explanation_names_the_added_event_as_the_chain_that_became_frequent(tmp_path):
    sc = load_scenario(str(_with_added_clash(tmp_path)))
    cmp = compare(sc, variants=["rok-strikes"], runs=40, seed=3, executor="inprocess")
    exps = explain_comparison(cmp, sample=12, top=4)
    # among the headline changes (China's answer to the strike may rank first) is the strike's own dyad
    top = next(e for e in exps if (e.variant, e.outcome, e.dyad) == ("rok-strikes", "p_violence", "PRK–ROK"))
    assert top.sample == 12 and top.variant_runs >= 10  # the clash is scheduled: (almost) every variant run has it
    assert top.variant_runs - top.baseline_runs == top.gained - top.lost
    best = top.more(1)[0]
    assert best.chain.startswith("armed clash by South Korea (added by the what-if)")
    assert best.variant >= 10 and best.baseline == 0
    text = top.text()
    assert "North Korea–South Korea use of force" in text and f"(0 → {best.variant} runs)" in text
    # the counts are those of the runs themselves: the same seeds give the same explanation
    again = explain_comparison(cmp, sample=12, top=4)
    assert [e.to_json() for e in again] == [e.to_json() for e in exps]


def _rises_without_a_record(result) -> list[tuple[int, str, int, int]]:
    """Each rung rise of a dyad (step t−1 → t) with no record of step t−1 naming the pair at the new rung or above."""
    hist, codes = result.level_hist, result.codes
    by_step: dict[int, list[dict]] = {}
    for r in result.records:
        by_step.setdefault(r["step"], []).append(r)
    out = []
    for t in range(1, hist.shape[0]):
        for i, j in zip(*(hist[t] > hist[t - 1]).nonzero(), strict=True):
            if i > j:
                continue
            pair, new = {codes[i], codes[j]}, int(hist[t][i, j])
            named = [r for r in by_step.get(t - 1, []) if (r.get("level") or 0) >= new
                     and pair <= {r.get("actor"), *str(r.get("target") or "").split(",")}]
            if not named:
                out.append((t, f"{codes[i]}–{codes[j]}", int(hist[t - 1][i, j]), new))
    return out


@pytest.mark.parametrize("variant", [None, "rok-strikes"])
def test_every_rung_rise_has_a_recorded_cause(tmp_path, variant):
    """No mechanism moves a dyad up the ladder without a record: support raised the supporter's own
    dyad with the partner's opponent silently (China–South Korea after a South Korean strike)."""
    from sim.model import run_scenario

    sc = load_scenario(str(_with_added_clash(tmp_path)))
    rises, silent = 0, []
    for seed in range(10):
        r = run_scenario(sc, seed, variant=variant, record="full")
        rises += int((r.level_hist[1:] > r.level_hist[:-1]).sum()) // 2
        silent += [(seed, *x) for x in _rises_without_a_record(r)]
    assert rises > 50 and silent == []


def test_a_supporters_entry_into_a_fight_is_traced_to_what_started_the_fight(tmp_path):
    """China's troops for North Korea, after South Korea's strike, take China–South Korea to a use of force;
    the chain names the strike and China's support instead of "a mechanism without a recorded cause"."""
    sc = load_scenario(str(_with_added_clash(tmp_path)))
    cmp = compare(sc, variants=["rok-strikes"], runs=40, seed=3, executor="inprocess")
    exps = explain_comparison(cmp, sample=12, top=16)
    chains = [c.chain for e in exps for c in e.chains]
    assert not any("without a recorded cause" in c for c in chains), chains
    support = [c for c in chains if "for an ally" in c or "ally's fight" in c]
    assert support, chains


def test_a_war_under_way_at_the_start_is_said_to_be_so():
    text = FOUNDING.read_text("utf-8")
    sc = parse_scenario(text, "k.yaml")
    cmp = compare(sc, variants=["no-pact"], runs=20, seed=0, executor="inprocess")
    t = cmp.table.copy()
    row = (t["outcome"] == "p_violence") & (t["dyad"].isin(["RUS–UKR", "UKR–RUS"])) & (t["variant"] == "no-pact")
    t.loc[row, "diff"], t.loc[row, "changed"] = 0.5, True  # force the war dyad to the top
    cmp.table = t
    ex = explain_comparison(cmp, sample=3, top=1)[0]
    assert ex.at_start and "when the run starts" in ex.text()


def test_cli_compare_explain_prints_chains_with_counts_and_json(tmp_path):
    path = _with_added_clash(tmp_path)
    runner = CliRunner()
    res = runner.invoke(app, ["compare", str(path), "-v", "rok-strikes", "-n", "30", "--executor", "inprocess",
                              "--explain", "--explain-runs", "8"])
    assert res.exit_code == 0, res.output
    assert "Why did it change?" in res.output and "armed clash by South Korea (added by the what-if)" in res.output
    assert "(0 → " in res.output
    res = runner.invoke(app, ["compare", str(path), "-v", "rok-strikes", "-n", "30", "--executor", "inprocess",
                              "--explain", "--explain-runs", "8", "--json"])
    assert res.exit_code == 0, res.output
    obj = json.loads(res.stdout)
    ex = next(e for e in obj["explanations"] if e["dyad"] == "PRK–ROK" and e["outcome"] == "p_violence")
    assert ex["sample"] == 8 and ex["chains"][0]["variant"] >= 6


@pytest.mark.parametrize("sample", [0, 10_000])
def test_the_sample_is_bounded_by_the_runs(sample, tmp_path):
    sc = load_scenario(str(_with_added_clash(tmp_path)))
    cmp = compare(sc, variants=["rok-strikes"], runs=5, seed=1, executor="inprocess")
    exps = explain_comparison(cmp, sample=sample, top=1)
    assert exps and 1 <= exps[0].sample <= 5
