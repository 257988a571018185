"""Calibration infrastructure on tiny settings: the registry read generically, checkpoints, k-fold SMM,
Sobol indices, the same numbers on every executor, and the scripts."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest

from sim.calibration import (
    CrisisSet,
    Evaluator,
    calibrate,
    fold_assignment,
    parameter_space,
    smm_loss,
    sobol_indices,
)
from sim.errors import FlashpointError
from sim.history.training import load_training
from sim.scenario.parameters import parameter_table
from tests.conftest import ROOT

#: Two parameters that move the violence level of the training crises (measured: 0 → 0.1 accidents and
#: temperature 0.01 → 10 raise the share of full-scale war on a 12-crisis sample from 0.60 to 0.79).
MOVING = ["ladder.accident_rate", "decision.temperature"]


@pytest.fixture(scope="module")
def crises():
    return CrisisSet.from_icb(load_training(), limit=8, seed=0)


def test_the_space_is_read_from_the_registry():
    space = parameter_space()
    want = [r for r in parameter_table() if "proposal" in r["source"].lower()]
    assert space.paths == [r["path"] for r in want]
    assert space.bounds.tolist() == [[r["min"], r["max"]] for r in want]
    assert space.defaults.tolist() == [r["default"] for r in want]
    assert len(parameter_space(marker="").dims) == len([r for r in parameter_table() if not isinstance(r["default"], bool)])
    narrow = parameter_space(MOVING, bounds={"decision.temperature": (0.1, 2.0)})
    assert narrow.bounds.tolist()[1] == [0.1, 2.0]
    assert narrow.from_unit([0.5, 0.5]).tolist() == pytest.approx([0.05, 1.05])
    assert narrow.to_unit(narrow.from_unit([0.25, 0.75])).tolist() == pytest.approx([0.25, 0.75])
    with pytest.raises(FlashpointError, match="unknown parameter"):
        parameter_space(["ladder.nope"])
    with pytest.raises(FlashpointError, match="inside its range"):
        parameter_space(MOVING, bounds={"decision.temperature": (0.0, 99.0)})


def test_apply_sets_the_parameters(crises):
    space = parameter_space(MOVING)
    sc = crises.scenarios[crises.crisnos[0]]
    got = space.apply(sc, [0.07, 3.0])
    assert (got.parameters.ladder.accident_rate, got.parameters.decision.temperature) == (0.07, 3.0)
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
    other = Evaluator(crises, space, runs=4, seed=4, executor="inprocess", checkpoints=tmp_path)
    assert other.key([0.05, 1.0]) != first.key([0.05, 1.0])  # runs are part of the key


def test_same_moments_on_every_executor(crises):
    space = parameter_space(MOVING)
    x = [0.08, 2.0]
    one = Evaluator(crises, space, runs=4, seed=1, executor="inprocess").shares(x)
    two = Evaluator(crises, space, runs=4, seed=1, executor="process", workers=2).shares(x)
    assert all(np.array_equal(one[c], two[c]) for c in crises.crisnos)
    pytest.importorskip("distributed")
    three = Evaluator(crises, space, runs=4, seed=1, executor="dask", workers=1).shares(x)
    assert all(np.array_equal(one[c], three[c]) for c in crises.crisnos)


def test_k_fold_smm_never_fits_worse_than_the_defaults_and_holds_folds_apart(crises, tmp_path):
    space = parameter_space(MOVING)
    ev = Evaluator(crises, space, runs=3, seed=0, executor="inprocess", checkpoints=tmp_path)
    seen = []
    res = calibrate(ev, folds=2, max_evaluations=5, seed=0, on_evaluation=lambda f, k, loss: seen.append((f, k, loss)))
    assert [f.fold for f in res.folds] == [0, 1]
    for f in res.folds:
        assert set(f.train).isdisjoint(f.test) and sorted(f.train + f.test) == crises.crisnos
        # Nelder–Mead starts from the defaults and the objective is deterministic (common seeds)
        assert f.train_loss_fitted <= f.train_loss_default + 1e-12
        assert f.evaluations <= 5 + len(MOVING) + 1
        for p, v in f.fitted.items():
            lo, hi = space.bounds[space.paths.index(p)]
            assert lo <= v <= hi
    assert seen and {f for f, _, _ in seen} == {0, 1}
    obj = res.to_json()
    json.dumps(obj)
    assert obj["parameters"].keys() == set(MOVING)
    again = calibrate(Evaluator(crises, space, runs=3, seed=0, executor="inprocess", checkpoints=tmp_path),
                      folds=2, max_evaluations=5, seed=0)
    assert again.meta["simulations"] == 0  # resumed entirely from the checkpoints
    assert [f.fitted for f in again.folds] == [f.fitted for f in res.folds]


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


def test_sobol_indices_on_tiny_settings(crises):
    space = parameter_space(MOVING)
    ev = Evaluator(crises, space, runs=2, seed=0, executor="inprocess")
    out = sobol_indices(ev, base_samples=2, seed=0)
    assert out["evaluations"] == 2 * (len(MOVING) + 2)
    outputs = {r["output"] for r in out["rows"]}
    assert "smm_loss" in outputs and any(o.startswith("p_war[") for o in outputs)
    assert {r["parameter"] for r in out["rows"]} == set(MOVING)
    assert all(np.isfinite(r["ST"]) for r in out["rows"])
    with pytest.raises(FlashpointError, match="power of two"):
        sobol_indices(ev, base_samples=3)


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_scripts_run_on_tiny_settings(tmp_path):
    cal = _script("calibrate")
    args = ["--crises", "6", "--runs", "2", "--folds", "2", "--max-evaluations", "3", "--executor", "inprocess",
            "--checkpoints", str(tmp_path / "ck"), "--out", str(tmp_path / "cal.json")]
    assert cal.main([*args, "--param", MOVING[0], "--param", MOVING[1]]) == 0
    doc = json.loads((tmp_path / "cal.json").read_text())
    assert doc["schema"] == "flashpoint.calibration/1" and len(doc["folds"]) == 2
    sens = _script("sensitivity")
    assert sens.main(["--crises", "6", "--runs", "2", "--base-samples", "2", "--executor", "inprocess",
                      "--param", MOVING[0], "--param", MOVING[1], "--checkpoints", str(tmp_path / "ck2"),
                      "--out", str(tmp_path / "sobol.json")]) == 0
    assert json.loads((tmp_path / "sobol.json").read_text())["schema"] == "flashpoint.sobol/1"
    assert cal.main(["--param", "nope.nope", "--out", str(tmp_path / "x.json")]) == 1
