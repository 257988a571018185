"""Calibration infrastructure on tiny settings: the registry read generically, checkpoints, k-fold SMM,
Sobol indices, the same numbers on every executor, and the scripts."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest
from scipy.stats import qmc

from sim.calibration import (
    CrisisSet,
    Evaluator,
    QuadraticEmulator,
    WorldEvaluator,
    WorldTargets,
    calibrate,
    design_points,
    design_size,
    fold_assignment,
    parameter_space,
    render_markdown,
    smm_loss,
)
from sim.calibration.fit import LossEmulator
from sim.calibration.sobol import emulator_indices, sobol_of
from sim.calibration.targets import BANDS, read_mid_rates, read_war_years
from sim.errors import FlashpointError
from sim.history.training import load_training
from sim.scenario.parameters import parameter_table
from tests.conftest import ROOT

#: Two parameters of the registry with numeric ranges: the weekly chance of an unchosen incident where
#: forces meet and the softmax temperature of the choice among actions.
MOVING = ["ladder.incident_rate", "decision.temperature"]


@pytest.fixture(scope="module")
def crises():
    return CrisisSet.from_icb(load_training(), limit=8, seed=0)


def test_the_space_is_read_from_the_registry():
    space = parameter_space()
    want = [r for r in parameter_table() if "proposal" in r["source"].lower() or "fitted" in r["source"].lower()]
    assert space.paths == [r["path"] for r in want]
    assert space.bounds.tolist() == [[r["min"], r["max"]] for r in want]
    assert space.defaults.tolist() == [r["default"] for r in want]
    assert len(parameter_space(marker="").dims) == len([r for r in parameter_table() if not isinstance(r["default"], bool)])
    narrow = parameter_space(MOVING, bounds={"decision.temperature": (0.1, 2.0)})
    assert narrow.bounds.tolist()[1] == [0.1, 2.0]
    assert narrow.from_unit([0.5, 0.5]).tolist() == pytest.approx([0.5, 1.05])
    assert narrow.to_unit(narrow.from_unit([0.25, 0.75])).tolist() == pytest.approx([0.25, 0.75])
    with pytest.raises(FlashpointError, match="unknown parameter"):
        parameter_space(["ladder.nope"])
    with pytest.raises(FlashpointError, match="inside its range"):
        parameter_space(MOVING, bounds={"decision.temperature": (0.0, 99.0)})


def test_apply_sets_the_parameters(crises):
    space = parameter_space(MOVING)
    sc = crises.scenarios[crises.crisnos[0]]
    got = space.apply(sc, [0.07, 3.0])
    assert (got.parameters.ladder.incident_rate, got.parameters.decision.temperature) == (0.07, 3.0)
    assert got.model_dump(exclude={"parameters"}) == sc.model_dump(exclude={"parameters"})


def test_checkpoints_resume_and_a_damaged_one_is_recomputed(crises, tmp_path):
    space = parameter_space(MOVING)
    first = Evaluator(crises, space, runs=3, seed=4, executor="inprocess", checkpoints=tmp_path)
    a = first.shares([0.05, 1.0])
    assert first.evaluations == 1 and len(list(tmp_path.glob("*.json"))) == 1
    second = Evaluator(crises, space, runs=3, seed=4, executor="inprocess", checkpoints=tmp_path)
    b = second.shares([0.05, 1.0])
    assert second.evaluations == 0 and second.reused == 1
    assert all(np.array_equal(a[c], b[c]) for c in crises.crisnos)
    (path,) = tmp_path.glob("*.json")
    path.write_text("{not json")
    third = Evaluator(crises, space, runs=3, seed=4, executor="inprocess", checkpoints=tmp_path)
    c = third.shares([0.05, 1.0])
    assert third.evaluations == 1 and all(np.array_equal(a[k], c[k]) for k in crises.crisnos)
    # a crisis's forecast does not depend on the other crises run with it (held-out crises reuse design points)
    part = first.subset(crises.crisnos[:3]).shares([0.05, 1.0])
    assert all(np.array_equal(part[c], a[c]) for c in crises.crisnos[:3])
    other = Evaluator(crises, space, runs=4, seed=4, executor="inprocess", checkpoints=tmp_path)
    assert other.key([0.05, 1.0]) != first.key([0.05, 1.0])  # runs are part of the key


def _world(space, runs=2, seed=0, executor="inprocess", checkpoints=None, dyad_year=0):
    return WorldEvaluator(WorldTargets.build(years=1, states=6, wars=1, seed=seed, dyad_year=dyad_year), space, runs=runs,
                          dyad_runs=1, seed=seed, executor=executor, checkpoints=checkpoints)


def test_folds_never_see_their_held_out_crises(crises, tmp_path):
    """A fold's fit depends on its training crises only: changing what happened in a held-out crisis
    leaves that fold's fitted values alone (and the fold that trains on it may move)."""
    space = parameter_space(MOVING)
    ev = Evaluator(crises, space, runs=3, seed=0, executor="inprocess", checkpoints=tmp_path)
    res = calibrate(ev, folds=2, design_size=6, seed=0)
    assert [f.fold for f in res.folds] == [0, 1]
    for f in res.folds:
        assert set(f.train).isdisjoint(f.test) and sorted(f.train + f.test) == crises.crisnos
        for p, v in f.fitted.items():
            lo, hi = space.bounds[space.paths.index(p)]
            assert lo <= v <= hi
        assert set(f.test_rps) >= {"model_fitted", "model_default", "base_rate", "ordered_logit"}
    held = res.folds[0].test
    changed = crises.subset(crises.crisnos)
    for c in held:
        changed.observed[c] = (changed.observed[c] + 2) % 4
    again = calibrate(Evaluator(changed, space, runs=3, seed=0, executor="inprocess", checkpoints=tmp_path),
                      folds=2, design_size=6, seed=0)
    assert again.folds[0].fitted == res.folds[0].fitted
    assert again.folds[0].train_loss_best_design == res.folds[0].train_loss_best_design
    assert again.folds[1].train_loss_best_design != res.folds[1].train_loss_best_design
    assert ev.evaluations > 0
    # an emulator that predicts no better than required is not trusted: the fit is the best design point,
    # whose held-out forecasts are already stored (nothing is simulated)
    ev2 = Evaluator(crises, space, runs=3, seed=0, executor="inprocess", checkpoints=tmp_path)
    strict = calibrate(ev2, folds=2, design_size=6, seed=0, min_cv_r2=2.0)
    points = [d["parameters"] for d in strict.to_json()["design"]]
    assert all(f.fit_source == "best design point" and f.fitted in points for f in strict.folds)
    assert ev2.evaluations == 0
    obj = res.to_json()
    json.dumps(obj)
    assert obj["parameters"].keys() == set(MOVING)
    assert obj["design"][0]["parameters"] == space.assign(space.defaults)  # point 0: the defaults


def test_design_is_space_filling_seeded_and_budgeted():
    space = parameter_space(marker="")
    x = design_points(space, 20, seed=3)
    assert x.shape == (20, len(space.dims))
    assert np.array_equal(x[0], space.defaults) and np.array_equal(x, design_points(space, 20, seed=3))
    assert ((x >= space.bounds[:, 0]) & (x <= space.bounds[:, 1])).all()
    u = np.array([space.to_unit(r) for r in x[1:]])
    # space-filling: every parameter's values spread over its range (no two design points alike)
    assert (u.min(axis=0) < 0.25).all() and (u.max(axis=0) > 0.75).all()
    assert design_size(60.0, 55.0) == 40 and design_size(120.0, 55.0, fixed_seconds=300) == 25
    assert design_size(600.0, 10.0) == 8
    with pytest.raises(FlashpointError):
        design_points(space, 1)


def test_emulator_recovers_a_planted_quadratic_minimum():
    rng = np.random.default_rng(0)
    # two parameters, enough points for the cross term: an exact quadratic is recovered exactly
    u = rng.random((20, 2))
    f = (u[:, 0] - 0.3) ** 2 + 2 * (u[:, 1] - 0.7) ** 2 + 0.8 * (u[:, 0] - 0.3) * (u[:, 1] - 0.7)
    em = QuadraticEmulator().fit(u, f)
    assert em._pairs and em.cv_r2 > 0.999
    uhat, fhat = em.minimise(np.array([[0.5, 0.5]]))
    assert uhat == pytest.approx([0.3, 0.7], abs=1e-3) and fhat == pytest.approx(0.0, abs=1e-6)
    # six parameters, 24 noisy points (an additive surface): the minimum is found near the planted one
    centre = np.array([0.2, 0.8, 0.5, 0.35, 0.65, 0.5])
    u = qmc.Sobol(6, seed=1).random(32)[:24]
    g = (((u - centre) ** 2) * np.array([3, 2, 1, 2, 3, 0.5])).sum(axis=1) + rng.normal(0, 0.005, len(u))
    em = QuadraticEmulator().fit(u, g)
    uhat, _ = em.minimise(np.full((1, 6), 0.5))
    assert not em._pairs and em.cv_r2 > 0.9
    assert np.abs(uhat - centre).max() < 0.08
    with pytest.raises(FlashpointError):
        QuadraticEmulator().fit(u[:2], g[:2])
    # the loss emulated target by target on a log scale: discrepancies that are exponentials of quadratics
    u = rng.random((30, 2))
    parts = {"icb": np.exp(3 * (u[:, 0] - 0.3) ** 2), "mid": 5 * np.exp(4 * (u[:, 1] - 0.6) ** 2)}
    em = LossEmulator({"icb": 1.0, "mid": 2.0}).fit(u, parts)
    assert em.cv_r2 > 0.999 and em.observed == pytest.approx(parts["icb"] + 2 * parts["mid"])
    uhat, fhat = em.minimise(np.array([[0.9, 0.1]]))
    assert uhat == pytest.approx([0.3, 0.6], abs=1e-3) and fhat == pytest.approx(11.0, abs=1e-4)


def test_sobol_of_ishigami_matches_the_analytic_indices():
    a, b = 7.0, 0.1

    def ishigami(unit):
        x = -np.pi + 2 * np.pi * unit
        return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])

    si = sobol_of(ishigami, ["x1", "x2", "x3"], 4096, seed=1)
    # analytic (Ishigami & Homma 1990; Saltelli et al. 2008): S1 = .314 .442 0; ST = .558 .442 .244
    assert si["S1"] == pytest.approx([0.3139, 0.4424, 0.0], abs=0.03)
    assert si["ST"] == pytest.approx([0.5576, 0.4424, 0.2437], abs=0.03)


def test_emulator_sobol_of_an_additive_quadratic():
    # f = 4(u1 − ½)² + (u2 − ½)² + 0·u3: Var of (u − ½)² is 1/180, so S1 = 16/17, 1/17, 0
    u = np.random.default_rng(2).random((30, 3))
    y = 4 * (u[:, 0] - 0.5) ** 2 + (u[:, 1] - 0.5) ** 2
    ems, rows = emulator_indices(u, {"f": y, "flat": np.ones(30)}, ["a", "b", "c"], 1024, seed=0)
    assert ems["f"]["cv_r2"] > 0.999 and ems["flat"]["constant"]
    st = {r["parameter"]: r["ST"] for r in rows if r["output"] == "f"}
    assert st["a"] == pytest.approx(16 / 17, abs=0.03) and st["b"] == pytest.approx(1 / 17, abs=0.02)
    assert abs(st["c"]) < 0.01


def test_mid_and_war_targets_follow_history():
    rates = read_mid_rates()
    for t in ("contiguous", "major", "other"):
        counts = [rates[(t, band)][1] for band, _ in BANDS]
        assert counts == sorted(counts, reverse=True)  # a war is also a use of force, a display …
    per = {t: rates[(t, "force")][1] / rates[(t, "force")][0] for t in ("contiguous", "major", "other")}
    assert per["contiguous"] > per["major"] > per["other"]  # Bremer's dangerous dyads
    wars = read_war_years()
    assert all(y < 1990 for _, _, _, y, _ in wars) and 0.3 < np.mean([r[4] for r in wars]) < 0.9
    space = parameter_space(MOVING)
    w = _world(space)
    assert w.targets.names[-1] == "war_continuation" and len(w.targets.names) == 13
    counts = w.counts(space.defaults)
    sim, _ = w.targets.moments(counts)
    assert sim.shape == w.targets.observed.shape and np.isfinite(sim).all()
    disc = w.targets.discrepancies(counts)
    assert set(disc) == {"mid", "war"} and all(v >= 0 for v in disc.values())


def test_dangerous_dyad_target_compares_log_force_ratios():
    """The five Bremer contrasts: the real ratios come from the shipped MID base rates (contiguity raises
    the use of force ×50, joint democracy lowers it); the model's from the force counts in and out."""
    from sim.calibration.targets import DANGEROUS
    from sim.validation.dyads import REAL_RATES

    space = parameter_space(MOVING)
    t = WorldTargets.build(years=0, wars=0, dyad_year=1816)
    assert t.names == [f"dyads[{c}]" for c in DANGEROUS] and t.kinds == {"mid", "war", "dyads"}
    real = dict(zip(DANGEROUS, np.exp(t.observed), strict=True))
    assert real["land-contiguous"] == pytest.approx(REAL_RATES["land-contiguous=1"]["force_per_1000"]
                                                    / REAL_RATES["land-contiguous=0"]["force_per_1000"])
    assert real["land-contiguous"] > 10 and real["PR: both democracies"] < 1
    # a planted count: 10 uses of force in 100 dyad-years inside, 1 in 1,000 outside → (10.5/100)/(1.5/1000) = 70
    planted = {"mid": [], "war": [0, 0], "dyads": [[10, 100, 1, 1000]] * len(DANGEROUS)}
    sim, var = t.moments(planted)
    assert np.exp(sim) == pytest.approx([70.0] * 5) and var == pytest.approx([1 / 10.5 + 1 / 1.5] * 5)
    ratios = t.dyad_ratios(planted)
    assert list(ratios) == list(DANGEROUS) and ratios["land-contiguous"]["real"] == pytest.approx(real["land-contiguous"])
    assert t.discrepancies(planted)["dyads"] > 0
    # simulated: dyad-years are the category's dyads × runs, and every run's force is counted
    w = WorldEvaluator(t, space, runs=1, dyad_runs=2, executor="inprocess")
    counts = w.counts(space.defaults)
    masks = [(int(a.sum()), int(b.sum())) for a, b in t.dyad_masks]
    assert [(c[1], c[3]) for c in counts["dyads"]] == [(2 * a, 2 * b) for a, b in masks]
    assert all(0 <= c[0] <= c[1] and 0 <= c[2] <= c[3] for c in counts["dyads"])
    other = WorldEvaluator(t, space, runs=1, dyad_runs=3, executor="inprocess")
    assert other.key(space.defaults) != w.key(space.defaults)  # the dyad world's runs are part of the key


def test_quiet_target_holds_each_dyad_to_its_band_and_peace_pairs_to_two_percent_war():
    """Issue 10's acceptance as a calibration target: a dyad inside its ×2 band of the MID rate of its type
    adds nothing (the loss is its floor), one far above it or a pair at peace that reaches war in over 2%
    of the runs adds to it; the references are those of docs/validation.md (quiet_references)."""
    from sim.calibration.fit import DEFAULT_WEIGHTS
    from sim.calibration.session import parse_weights
    from sim.calibration.targets import QUIET_FLOOR, QUIET_SCENARIOS

    t = WorldTargets.build(years=0, wars=0, dyad_year=0, quiet=True)
    assert t.targets == ["quiet"] and "quiet" in t.kinds and len(t.quiet_worlds) == len(QUIET_SCENARIOS)
    refs = t.quiet_references()
    assert refs and all(r["start"] < 5 and 0 < r["p_ref"] < 1 for r in refs)
    n = 100_000
    inside = [[round(r["p_ref"] * n), 0, n] for r in refs]
    assert t.quiet_discrepancy(inside) == pytest.approx(QUIET_FLOOR, abs=1e-9)
    assert t.discrepancies({"mid": [], "war": [0, 0], "quiet": inside}) == {"quiet": pytest.approx(QUIET_FLOOR, abs=1e-9)}
    peace = next(k for k, r in enumerate(refs) if r["peace_start"] and r["p_ref"] < 0.2)
    loud = [list(x) for x in inside]
    loud[peace][0] = min(n, round(refs[peace]["p_ref"] * 5 * n))  # ×5 the reference: outside the band
    assert t.quiet_discrepancy(loud) > QUIET_FLOOR + 1
    war = [list(x) for x in inside]
    war[peace][1] = round(0.05 * n)  # 5% of the runs at war from peace
    assert t.quiet_discrepancy(war) > QUIET_FLOOR + 1
    war[peace][1] = round(0.01 * n)  # 1%: within the limit
    assert t.quiet_discrepancy(war) == pytest.approx(QUIET_FLOOR, abs=1e-9)
    with pytest.raises(FlashpointError, match="quiet counts"):
        t.quiet_discrepancy(inside[:-1])
    assert parse_weights(["quiet=2"]) == {"quiet": 2.0} and "quiet" in DEFAULT_WEIGHTS
    # simulated: one row per dyad below force at the start, with the runs asked for
    w = WorldEvaluator(t, parameter_space(MOVING), runs=1, quiet_runs=3, executor="inprocess")
    counts = w.counts(parameter_space(MOVING).defaults)
    assert len(counts["quiet"]) == len(refs) and all(0 <= kw <= kf <= runs == 3 for kf, kw, runs in counts["quiet"])


def test_apply_calibration_sets_defaults_intervals_and_sources(tmp_path):
    import ast

    src = ROOT / "sim" / "scenario" / "parameters.py"
    params = tmp_path / "parameters.py"
    params.write_text(src.read_text("utf-8"), encoding="utf-8")
    cal = {"parameters": {"ladder.incident_rate": {"fitted": 0.0123456, "fold_min": 0.0101, "fold_max": 0.0149},
                          "threat.hostility_retention": {"fitted": 0.7, "fold_min": 0.8, "fold_max": 0.6}}}
    (tmp_path / "cal.json").write_text(json.dumps(cal))
    app = _script("apply_calibration")
    args = ["--calibration", str(tmp_path / "cal.json"), "--params", str(params), "--date", "2026-12-06"]
    assert app.main([*args, "--check"]) == 1  # it would change the file
    assert app.main(args) == 0 and app.main([*args, "--check"]) == 0  # applied; applying again changes nothing
    calls = {}
    for node in ast.walk(ast.parse(params.read_text("utf-8"))):
        if isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Call) and getattr(node.value.func, "id", "") == "P":
            calls[node.target.id] = node.value
    inc = calls["incident_rate"]
    assert ast.literal_eval(inc.args[0]) == 0.0123
    assert ast.literal_eval(inc.keywords[0].value) == (0.0101, 0.0149)
    assert ast.literal_eval(inc.args[4]) == "fitted (calibration, k-fold, 2026-12-06); Posen 1991; Sagan 1993"
    ret = calls["hostility_retention"]
    assert ast.literal_eval(ret.keywords[0].value) == (0.6, 0.8)
    assert "proposal" not in ast.literal_eval(ret.args[4])
    assert calls["power_exponent"].keywords == []  # a sourced parameter is left alone
    (tmp_path / "bad.json").write_text(json.dumps({"parameters": {"nope.x": {"fitted": 1, "fold_min": 0, "fold_max": 2}}}))
    assert app.main(["--calibration", str(tmp_path / "bad.json"), "--params", str(params)]) == 1
    # history matching: the fitted interval is the plausible range, not the folds' (often one point)
    hm = {"parameters": {"ladder.incident_rate": {"fitted": 0.02, "fold_min": 0.02, "fold_max": 0.02,
                                                  "plausible_min": 0.011, "plausible_max": 0.031}}}
    (tmp_path / "hm.json").write_text(json.dumps(hm))
    assert app.main(["--calibration", str(tmp_path / "hm.json"), "--params", str(params), "--date", "2026-12-07"]) == 0
    inc = next(n.value for n in ast.walk(ast.parse(params.read_text("utf-8")))
               if isinstance(n, ast.AnnAssign) and getattr(n.target, "id", "") == "incident_rate")
    assert ast.literal_eval(inc.args[0]) == 0.02 and ast.literal_eval(inc.keywords[0].value) == (0.011, 0.031)


def test_stamp_records_the_model_a_calibration_is_applied_to(tmp_path):
    """``--stamp`` records today's fingerprint under ``applied_to`` and leaves the result itself alone."""
    from sim.calibration.space import model_fingerprint

    cal = {"model_fingerprint": "0" * 16, "parameters": {"ladder.incident_rate": {"fitted": 0.05}}}
    f = tmp_path / "cal.json"
    f.write_text(json.dumps(cal))
    app = _script("apply_calibration")
    assert app.main(["--calibration", str(f), "--stamp", "--skip", "bargaining.uncertainty"]) == 0
    out = json.loads(f.read_text("utf-8"))
    assert out["applied_to"]["model_fingerprint"] == model_fingerprint() != out["model_fingerprint"]
    assert out["applied_to"]["skipped"] == ["bargaining.uncertainty"]
    assert out["parameters"] == cal["parameters"]
    (tmp_path / "bad.json").write_text("{}")
    assert app.main(["--calibration", str(tmp_path / "bad.json"), "--stamp"]) == 1


def test_shipped_target_tables_are_what_the_build_writes(tmp_path):
    data = ROOT.parent / "shared" / "data"
    if not (data / "gml_mid_dyad_years_1816-1989.csv").exists():
        pytest.skip("the reference data is not beside the repository")
    assert _script("build_calibration_targets").main(["--data", str(data), "--out", str(tmp_path)]) == 0
    for name in ("mid_onset_rates_1816-1989.csv", "cow_war_continuation.csv"):
        assert (tmp_path / name).read_bytes() == (ROOT / "sim" / "data" / name).read_bytes()


def test_same_calibration_on_every_executor(crises):
    space = parameter_space(MOVING)
    small = crises.subset(crises.crisnos[:4])

    def run(executor, workers=None):
        ev = Evaluator(small, space, runs=2, seed=1, executor=executor, workers=workers)
        return calibrate(ev, folds=2, design_size=5, world=_world(space, executor=executor, dyad_year=1816), seed=1).to_json()

    one = run("inprocess")
    two = run("process", 2)
    assert one == two
    pytest.importorskip("distributed")
    assert run("dask", 1) == one


def test_fair_rps_removes_the_noise_of_a_few_runs():
    """Shares of m runs drawn from probabilities p: their plain RPS is worse on average than p's own
    score, their fair RPS (Ferro 2014) is the same on average."""
    from sim.calibration.fit import fair_rps
    from sim.history.scores import rps

    rng = np.random.default_rng(5)
    p = np.array([0.1, 0.4, 0.3, 0.2])
    y = rng.choice(4, size=20000, p=p)
    shares = rng.multinomial(4, p, size=len(y)) / 4.0
    truth = rps(np.tile(p, (len(y), 1)), y).mean()
    assert rps(shares, y).mean() > truth + 0.02
    assert fair_rps(shares, y, 4).mean() == pytest.approx(truth, abs=0.005)
    assert fair_rps(shares, y, 1) == pytest.approx(rps(shares, y))  # one run: nothing to correct with


def test_bounds_option_narrows_the_space():
    from sim.calibration.session import parse_bounds

    b = parse_bounds(["decision.dispute_rate=0:0.5"])
    assert b == {"decision.dispute_rate": (0.0, 0.5)}
    assert parameter_space(["decision.dispute_rate"], bounds=b).bounds.tolist() == [[0.0, 0.5]]
    with pytest.raises(FlashpointError, match="PATH=LO:HI"):
        parse_bounds(["decision.dispute_rate=0.5"])


def test_fold_assignment_and_loss():
    a = fold_assignment(list(range(10)), 3, seed=1)
    assert sorted(np.bincount(list(a.values()))) == [3, 3, 4] and a == fold_assignment(list(range(10)), 3, seed=1)
    with pytest.raises(FlashpointError):
        fold_assignment([1, 2], 3, seed=0)


def test_perfect_moments_have_zero_loss(crises):
    eye = np.eye(4)
    truth = {c: eye[crises.observed[c]] for c in crises.crisnos}
    assert smm_loss(truth, crises, crises.crisnos) == 0.0
    wrong = {c: eye[(crises.observed[c] + 2) % 4] for c in crises.crisnos}
    assert smm_loss(wrong, crises, crises.crisnos) > 0.0


def test_report_renders_names_as_data():
    cal = {"design_size": 3, "crises": 4, "runs": 2, "fold_count": 2, "targets": ["icb"], "weights": {"icb": 1.0},
           "parameters": {"a.b|<x>": {"default": 1.0, "fitted": 2.0, "fold_min": 1.5, "fold_max": 2.5}},
           "final_emulator_cv_r2": 0.5,
           "folds": [{"fold": 0, "test": [1, 2], "emulator_cv_r2": 0.4,
                      "test_rps": {"model_fitted": 0.1, "model_default": 0.2, "base_rate": 0.3, "ordered_logit": 0.15},
                      "train_rps": {"model_best_design": 0.1, "base_rate": 0.3, "ordered_logit": 0.1}}]}
    text = render_markdown(cal, None)
    assert "2 folds" in text and "[{" not in text
    assert "a.b\\|<x>" in text and "model fitted 0.1000" in text and "ordered logit 0.1500" in text
    assert "plausible range" not in text  # no history matching: no such column
    cal["parameters"]["a.b|<x>"] |= {"plausible_min": 1.25, "plausible_max": 2.75}
    text = render_markdown({**cal, "plausible_points": 3, "dyad_band": 2.0}, None)
    assert "plausible range |" in text and "| 1.5 – 2.5 | 1.25 – 2.75 |" in text and "3 plausible design points" in text
    assert "re-selected" not in text
    run = {"simulations": 106, "checkpoints_reused": 1, "seconds": 1457.9, "cores": 2}
    text = render_markdown({**cal, "design_run": run}, None)
    assert "re-selected from the checkpoints of the design's own run: 106 simulations, 1 read from checkpoints, in 1458 s on 2 cores" in text


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_scripts_run_on_tiny_settings(tmp_path):
    cal = _script("calibrate")
    tiny = ["--crises", "6", "--runs", "2", "--world-years", "1", "--world-states", "5", "--wars", "1",
            "--dyad-year", "1816", "--dyad-runs", "1", "--executor", "local", "--param", MOVING[0], "--param", MOVING[1]]
    args = [*tiny, "--folds", "2", "--checkpoints", str(tmp_path / "ck"), "--out", str(tmp_path / "cal.json")]
    assert cal.main([*args, "--design", "5"]) == 0
    doc = json.loads((tmp_path / "cal.json").read_text())
    assert doc["schema"] == "flashpoint.calibration/2" and len(doc["folds"]) == 2 and doc["design_size"] == 5
    assert doc["targets"] == ["icb", "mid", "war", "dyads"]
    assert set(doc["final_world"]["dyad_ratios"]) == set(doc["design"][0]["dyad_ratios"]) and len(doc["design"][0]["dyad_ratios"]) == 5
    held = doc["held_out"]
    assert held["crises"] == 6 and {"model fitted − base rate", "model fitted − ordered logit"} <= set(held["differences"])
    d = held["differences"]["model fitted − base rate"]
    assert d["lo"] <= d["mean"] <= d["hi"]
    assert cal.main([*args, "--design", "5"]) == 0  # resumed from the checkpoints
    assert json.loads((tmp_path / "cal.json").read_text())["simulations"] == 0
    # the quiet worlds as a fifth target
    assert cal.main([*args, "--design", "5", "--quiet-runs", "2", "--out", str(tmp_path / "quiet.json")]) == 0
    q = json.loads((tmp_path / "quiet.json").read_text())
    assert q["targets"] == ["icb", "mid", "war", "dyads", "quiet"] and all("quiet_loss" in d for d in q["design"])
    assert cal.main([*args, "--design", "5"]) == 0
    assert json.loads((tmp_path / "cal.json").read_text())["simulations"] == 0
    # a budget sizes the design from the measured cost of the first point (at least 8 points)
    assert cal.main([*args, "--budget-minutes", "0.01"]) == 0
    assert json.loads((tmp_path / "cal.json").read_text())["design_size"] == 8
    sens = _script("sensitivity")
    assert sens.main([*tiny, "--design", "6", "--base-samples", "64", "--checkpoints", str(tmp_path / "ck2"),
                      "--out", str(tmp_path / "sobol.json"), "--markdown", str(tmp_path / "sobol.md")]) == 0
    sob = json.loads((tmp_path / "sobol.json").read_text())
    assert sob["schema"] == "flashpoint.sobol/2" and sob["parameters"] == MOVING
    assert "cv R²" in (tmp_path / "sobol.md").read_text()
    assert cal.main(["--param", "nope.nope", "--out", str(tmp_path / "x.json")]) == 1
    assert cal.main([*args, "--design", "5", "--weight", "war=lots"]) == 1
    assert cal.main([*args, "--design", "5", "--bound", "decision.temperature=0.1:oops"]) == 1
    assert cal.main([*args, "--design", "5", "--bound", "decision.temperature=0:99"]) == 1  # outside the registered range


def test_dispute_depth_script_prints_the_bands_beside_the_record(capsys):
    """scripts/dispute_depth.py on a tiny world: every dyad type and band, the record beside the model; a
    value outside a parameter's range is a one-line error, not a traceback."""
    dd = _script("dispute_depth")
    assert dd.main(["--years", "1", "--states", "5", "--runs", "1", "--set", "ladder.violence_resistance=1"]) == 0
    out = capsys.readouterr().out
    assert all(t in out for t in ("contiguous", "major", "other", "threat", "display", "force", "war"))
    assert "(46.54)" in out  # the record: contiguous uses of force per 1,000 dyad-years, 1816–1989
    assert dd.main(["--years", "1", "--states", "5", "--runs", "1", "--set", "ladder.violence_resistance=7"]) == 1
    assert "outside its range" in capsys.readouterr().err
    assert dd.main(["--set", "ladder.violence_resistance"]) == 1 and "PATH=VALUE" in capsys.readouterr().err
    assert dd.main(["--set", "nope.nope=1"]) == 1 and "nope.nope" in capsys.readouterr().err


def test_emulator_keeps_cross_products_only_when_they_predict_better():
    """Between twice and once as many points as the full quadratic's coefficients, the surface with the
    smaller leave-one-out error wins: the cross products when the response has an interaction, the
    additive surface when it has none."""
    rng = np.random.default_rng(3)
    u = qmc.Sobol(4, seed=2).random(32)[:24]  # full quadratic in 4 parameters: 15 coefficients (24 < 30)
    c = u - 0.5
    additive = (c ** 2).sum(axis=1) + rng.normal(0, 0.02, len(u))
    interacting = additive + 3.0 * c[:, 0] * c[:, 1]
    got = QuadraticEmulator().fit(u, interacting)
    assert got._pairs and got.cv_r2 > 0.9
    assert got.cv_r2 > QuadraticEmulator(interactions=False).fit(u, interacting).cv_r2 + 0.2
    plain = QuadraticEmulator().fit(u, additive)
    assert not plain._pairs  # the cross products would only fit the noise
    # too few points for the full surface: additive only
    assert not QuadraticEmulator().fit(u[:14], interacting[:14])._pairs


def test_normalised_targets_do_not_swamp_each_other():
    """Raw, a target whose discrepancies are a thousand times larger decides the fit alone; divided by
    the defaults' value (design point 0), each target prices relative change and the fit is a
    compromise that does not depend on the targets' scales."""
    from sim.calibration.fit import normalised_parts

    u = np.vstack([[0.5, 0.5], np.random.default_rng(1).random((29, 2))])
    parts = {"icb": np.exp(4 * (u[:, 0] - 0.2) ** 2 + 4 * (u[:, 1] - 0.5) ** 2),
             "mid": np.exp(4 * (u[:, 0] - 0.8) ** 2 + 4 * (u[:, 1] - 0.5) ** 2)}
    norm = normalised_parts(parts)
    assert norm["icb"][0] == pytest.approx(1.0) and norm["mid"][0] == pytest.approx(1.0)
    w = {"icb": 1.0, "mid": 1.0}
    starts = np.array([[0.5, 0.5], [0.1, 0.9]])
    fair, _ = LossEmulator(w).fit(u, norm).minimise(starts)
    assert fair == pytest.approx([0.5, 0.5], abs=0.02)  # two equal targets: the midpoint
    swamped, _ = LossEmulator(w).fit(u, {**parts, "mid": 1000 * parts["mid"]}).minimise(starts)
    assert swamped[0] > 0.75  # raw: the large target wins
    rescaled, _ = LossEmulator(w).fit(u, normalised_parts({**parts, "mid": 1000 * parts["mid"]})).minimise(starts)
    assert rescaled == pytest.approx(fair, abs=1e-6)


def test_held_out_crises_are_scored_with_more_runs(crises, tmp_path):
    """``test_runs``: the fitted point and the defaults are both re-simulated on each fold's held-out
    crises with that many runs (shares in steps of 1/test_runs), the design keeps its own runs."""
    space = parameter_space(MOVING)
    ev = Evaluator(crises, space, runs=2, seed=0, executor="inprocess", checkpoints=tmp_path)
    res = calibrate(ev, folds=2, design_size=4, seed=0, test_runs=5, normalise=True)
    obj = res.to_json()
    assert obj["test_runs"] == 5 and obj["runs"] == 2 and obj["normalise"] is True
    held = Evaluator(crises, space, runs=5, seed=0, executor="inprocess", checkpoints=tmp_path)
    for f in res.folds:
        fitted = held.subset(f.test).shares(space.from_unit(space.to_unit([f.fitted[p] for p in space.paths])))
        default = held.subset(f.test).shares(space.defaults)
        from sim.calibration.fit import fair_rps
        y = np.array([crises.observed[c] for c in f.test])
        assert f.test_rps_by_crisis["model_default_fair"] == pytest.approx(
            fair_rps(np.array([default[c] for c in f.test]), y, 5).tolist())
        assert f.test_rps_by_crisis["model_fitted_fair"] == pytest.approx(
            fair_rps(np.array([fitted[c] for c in f.test]), y, 5).tolist())
    assert held.evaluations == 0  # every held-out re-simulation was checkpointed by the calibration


def test_history_matching_keeps_only_plausible_points():
    """``plausible_points``: a design point is plausible only if every dangerous-dyad ratio is within the band (log scale, both ways)."""
    from sim.calibration.fit import plausible_points

    def pt(*pairs):
        return {f"c{k}": {"model": m, "real": r} for k, (m, r) in enumerate(pairs)}

    ratios = [pt((100, 49), (6, 6)), pt((98, 49), (3.1, 6)), pt((24, 49), (6, 6)), pt((0, 49), (6, 6))]
    assert plausible_points(ratios, 2.0).tolist() == [False, True, False, False]  # ×2.04 out, ×0.49 out, 0 out
    assert plausible_points(ratios, 3.0).tolist() == [True, True, True, False]
    assert plausible_points(ratios, None).all()
    with pytest.raises(FlashpointError, match="at least 1"):
        plausible_points(ratios, 0.5)
    with pytest.raises(FlashpointError, match="--dyad-year"):
        plausible_points([{}, {}], 2.0)
    with pytest.raises(FlashpointError, match="no design point"):
        plausible_points([pt((1000, 49))], 2.0)


def test_the_dyad_band_fits_the_best_plausible_simulated_point(tmp_path, capsys):
    """With ``--dyad-band`` the fit of every fold is a simulated design point whose dangerous-dyad ratios all lie in the band."""
    cal = _script("calibrate")
    out = tmp_path / "hm.json"
    args = ["--crises", "6", "--runs", "2", "--world-years", "1", "--world-states", "5", "--wars", "0",
            "--dyad-year", "1816", "--dyad-runs", "1", "--executor", "local", "--param", MOVING[0], "--param", MOVING[1],
            "--folds", "2", "--design", "6", "--checkpoints", str(tmp_path / "ck"), "--out", str(out)]
    band = 1e6  # every point with a ratio at all is plausible at this band: the rule, not the tiny world, is tested
    assert cal.main([*args, "--dyad-band", str(band)]) == 0
    doc = json.loads(out.read_text())
    plausible = [d for d in doc["design"] if d["plausible"]]
    assert doc["dyad_band"] == band and doc["plausible_points"] == len(plausible) > 0
    for f in doc["folds"]:
        assert f["fit_source"] == "best plausible design point"
        assert f["fitted"] in [d["parameters"] for d in plausible]
    assert doc["final_fit_source"] == "best plausible design point"
    for path, summary in doc["parameters"].items():  # the fitted interval: the range of the plausible points
        values = [d["parameters"][path] for d in plausible]
        assert (summary["plausible_min"], summary["plausible_max"]) == (min(values), max(values))
        assert summary["plausible_min"] <= summary["fitted"] <= summary["plausible_max"]
    # a band that cannot be used is a one-line error before anything is simulated (no checkpoint written)
    fresh = [a if a != str(tmp_path / "ck") else str(tmp_path / "ck-bad") for a in args]
    no_dyads = [*fresh[:fresh.index("--dyad-year")], *fresh[fresh.index("--dyad-runs") + 2:], "--dyad-year", "0"]
    for bad, why in ((fresh, "0.5"), (fresh, "nan"), (no_dyads, "2")):
        assert cal.main([*bad, "--dyad-band", why, "--out", str(tmp_path / "x.json")]) == 1
    err = capsys.readouterr().err
    assert "at least 1 (×0.5 given)" in err and "at least 1 (×nan given)" in err and "--dyad-year" in err
    assert not list((tmp_path / "ck-bad").glob("**/*.json")) and not (tmp_path / "x.json").exists()


def test_threat_drift_script_reports_each_dyad_type_and_what_a_setting_does(capsys):
    """scripts/threat_drift.py: every dyad type of every world; with restraint not read as evidence
    (``--set spiral.ambiguous_rate=0``) threat drifts up more in a quiet year, never less; a bad
    ``--set`` or an unknown mechanism is a one-line error (the model's own checks)."""
    td = _script("threat_drift")
    on = td.drift(years=2, states=10, runs=3, seed=0)
    no_restraint = td.drift(years=2, states=10, runs=3, seed=0, values={"spiral.ambiguous_rate": 0.0})
    assert [r["year"] for r in on] == [r["year"] for r in no_restraint] and len(on) == 2
    pairs = [(a[name], b[name]) for a, b in zip(on, no_restraint, strict=True) for name in ("contiguous", "major")
             if a[name] == a[name]]  # worlds with dyads of that type
    assert pairs and all(a <= b + 1e-9 for a, b in pairs), pairs  # never more drift with restraint as evidence
    assert np.mean([b for _, b in pairs]) > np.mean([a for a, _ in pairs]) + 0.05, pairs
    assert td.main(["--years", "1", "--states", "5", "--runs", "1", "--set", "spiral.ambiguous_rate=0"]) == 0
    out = capsys.readouterr().out
    assert all(t in out for t in ("contiguous", "major", "other", "last week / first week", "ambiguous_rate=0"))
    assert td.main(["--switch-off", "nope"]) == 1 and "unknown mechanism(s) to switch off: nope" in capsys.readouterr().err
    assert td.main(["--runs", "0"]) == 1 and "at least 1" in capsys.readouterr().err
    assert td.main(["--set", "spiral.ambiguous_rate"]) == 1 and "expected PATH=VALUE" in capsys.readouterr().err
    assert td.main(["--set", "spiral.ambiguous_rate=7"]) == 1 and "outside its range" in capsys.readouterr().err
    assert td.main(["--set", "no.such=1"]) == 1 and "unknown parameter" in capsys.readouterr().err


def test_parse_settings_reads_numbers_in_range_and_names_what_is_wrong():
    """The scripts' shared ``--set PATH=VALUE`` reader: a number inside the registered range is kept (a
    later item for the same path wins); not a number, no ``=``, ``nan``, out of range or an unknown
    path is an error naming the item."""
    from sim.calibration.session import parse_settings
    from sim.errors import FlashpointError

    assert parse_settings([]) == {}
    got = parse_settings(["ladder.violence_resistance=0.2", "ladder.violence_resistance=0.3"])
    assert got == {"ladder.violence_resistance": 0.3}
    for bad, said in (("ladder.violence_resistance", "PATH=VALUE"), ("ladder.violence_resistance=x", "PATH=VALUE"),
                      ("ladder.violence_resistance=nan", "PATH=VALUE"), ("ladder.violence_resistance=7", "outside its range"),
                      ("no.such=1", "no.such")):
        with pytest.raises(FlashpointError, match=said):
            parse_settings([bad], option="--x")


def test_band_counts_counts_a_dyad_year_in_every_band_its_peak_reaches():
    """The MID target's counting: per dyad type, the dyad-years and those whose peak reaches each band's
    rung (threat 2, display 4, force 5, war 7) — a year at war counts in all four."""
    from sim.calibration.targets import BANDS, DYAD_TYPES, band_counts

    peak = np.array([[0, 2, 5], [7, 4, 1]])  # 2 runs × 3 dyads
    types = np.array([0, 0, 1])
    got = band_counts(peak, types)
    assert got.shape == (len(DYAD_TYPES), 1 + len(BANDS))
    assert got[0].tolist() == [4, 3, 2, 1, 1]  # rungs 0, 7, 2, 4
    assert got[1].tolist() == [2, 1, 1, 1, 0]  # rungs 5, 1
    assert got[2].tolist() == [0, 0, 0, 0, 0]


def test_the_quiet_target_counts_a_pairs_own_war_not_war_by_fighting_for_a_partner():
    """As validation.md §6 reads it: a pair at peace whose war comes because one side fought for a partner
    at war with the other is alliance support, not counted against the 2% bound; its force still counts."""
    from sim.calibration.targets import quiet_rows

    # three states, dyads A–B, A–C, B–C; two runs: A–B at war in both; C fought for A (troops) in run 0 only
    peak = np.array([[7, 0, 7], [7, 0, 7]])
    support = np.zeros((2, 3, 3), dtype=np.int8)
    support[0, 2, 0] = 3
    refs = [{"start": 5}, {"start": 0}, {"start": 0}]  # A–B starts at force: no row
    rows = quiet_rows(peak, support, refs, 3)
    assert rows == [[0, 0, 2], [2, 1, 2]]  # B–C: force in both runs, its own war only in run 1
    assert quiet_rows(peak, None, refs, 3) == [[0, 0, 2], [2, 2, 2]]
