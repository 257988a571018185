"""Scoring real crises: outcome classes, proper scores, reference models, the evaluation and its CLI."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from sim.cli.main import app
from sim.errors import FlashpointError
from sim.history.evaluate import MODELS, evaluate
from sim.history.outcomes import (
    actor_peaks,
    class_shares,
    response_class,
    response_class_of_majres,
    violence_class,
)
from sim.history.reference import BaseRate, OrderedLogit
from sim.history.scores import bootstrap_difference, brier, calibration_table, rps
from sim.history.training import TRAINING_SYSTEM
from tests.test_history import actor, crisis, write_icb

runner = CliRunner()

# eight crises the project has never seen (numbers 900+), with varied triggers and outcomes
UNSEEN = (
    [crisis(900, "A", 9, 651, 1969, 3, 2, viol=4, gravcr=5, iwcmb=1, powdissy=3),
     crisis(901, "B", 2, 2, 1962, 10, 16, viol=1, gravcr=4, iwcmb=1, powdissy=0),
     crisis(902, "C", 7, 750, 1986, 5, 10, viol=1, gravcr=3, iwcmb=1, powdissy=2),
     crisis(903, "D", 9, 770, 1965, 8, 5, viol=4, gravcr=3, iwcmb=1, powdissy=4),
     crisis(904, "E", 1, 365, 1958, 11, 27, viol=1, gravcr=2, iwcmb=1, powdissy=1),
     crisis(905, "F", 9, 652, 1970, 9, 15, viol=3, gravcr=3, iwcmb=1, powdissy=2),
     crisis(906, "G", 3, 200, 1951, 5, 1, viol=1, gravcr=0, iwcmb=1, powdissy=5),
     crisis(907, "H", 8, 645, 1980, 9, 22, viol=2, gravcr=3, iwcmb=1, powdissy=1)],
    [actor(900, 666, "ISR", 9, 651, 1969, 3, 2, majres=8, gravty=3), actor(900, 651, "EGY", 9, 666, 1969, 3, 4, majres=8),
     actor(901, 365, "RUS", 2, 2, 1962, 10, 16, majres=3), actor(901, 2, "USA", 2, 365, 1962, 10, 16, majres=6),
     actor(902, 770, "PAK", 7, 750, 1986, 5, 10, majres=6), actor(902, 750, "IND", 7, 770, 1986, 5, 11, majres=3),
     actor(903, 770, "PAK", 9, 750, 1965, 8, 5, majres=9), actor(903, 750, "IND", 9, 770, 1965, 8, 5, majres=8),
     actor(904, 2, "USA", 1, 365, 1958, 11, 27, majres=3), actor(904, 200, "UKG", 1, 365, 1958, 11, 27, majres=2),
     actor(905, 663, "JOR", 9, 652, 1970, 9, 15, majres=8), actor(905, 652, "SYR", 9, 663, 1970, 9, 16, majres=6),
     actor(906, 630, "IRN", 3, 200, 1951, 5, 1, majres=3), actor(906, 200, "UKG", 3, 630, 1951, 5, 2, majres=4),
     actor(907, 645, "IRQ", 8, 630, 1980, 9, 22, majres=8), actor(907, 630, "IRN", 8, 645, 1980, 9, 22, majres=8)],
)


def test_model_runs_read_as_icb_classes():
    assert violence_class(np.array([0, 4, 5, 6, 7, 9])).tolist() == [0, 0, 1, 2, 3, 3]
    assert response_class(np.array([0, 3, 4, 5, 8])).tolist() == [0, 0, 1, 2, 2]
    assert [response_class_of_majres(m) for m in (None, 1, 5, 6, 7, 8, 9, 0)] == [None, 0, 0, 1, 1, 2, 2, None]
    # three actors, dyads (0,1) (0,2) (1,2): actor 2 sees the larger of its two dyads
    peaks = np.array([[5, 2, 7], [1, 0, 0]])
    assert actor_peaks(peaks, 3).tolist() == [[5, 7, 7], [1, 1, 0]]
    assert class_shares(np.array([0, 0, 1, 3]), 4).tolist() == [0.5, 0.25, 0.0, 0.25]


def test_scores_are_proper_and_ordinal():
    y = np.array([0, 3])
    perfect = np.eye(4)[y]
    assert rps(perfect, y).tolist() == [0.0, 0.0] and brier(perfect, y).tolist() == [0.0, 0.0]
    worst = np.eye(4)[[3, 0]]
    assert rps(worst, y).tolist() == [1.0, 1.0] and brier(worst, y).tolist() == [2.0, 2.0]
    # RPS is ordinal: missing by one class costs less than missing by three; Brier cannot tell
    near, far = np.array([[0, 1, 0, 0.0]]), np.array([[0, 0, 0, 1.0]])
    assert rps(near, np.array([0]))[0] < rps(far, np.array([0]))[0]
    assert brier(near, np.array([0]))[0] == brier(far, np.array([0]))[0]
    # the expected score is lowest when the forecast is the true distribution (propriety), on a grid
    truth = np.array([0.5, 0.2, 0.2, 0.1])

    def expected(p):
        return sum(truth[k] * rps(p[None, :], np.array([k]))[0] for k in range(4))

    rng = np.random.default_rng(0)
    for q in rng.dirichlet(np.ones(4), size=200):
        assert expected(truth) <= expected(q) + 1e-12
    with pytest.raises(ValueError):
        rps(perfect, np.array([0, 4]))


def test_calibration_and_paired_bootstrap():
    p = np.array([[0.9, 0.1, 0, 0], [0.1, 0.9, 0, 0], [0.1, 0.9, 0, 0], [0.9, 0.1, 0, 0]])
    y = np.array([0, 1, 1, 1])
    rows = calibration_table(p, y, ["≥1", "≥2", "≥3"])
    first = [r for r in rows if r["event"] == "≥1"]
    assert sum(r["n"] for r in first) == 4
    hi = next(r for r in first if r["lo"] >= 0.8)
    assert hi["n"] == 2 and hi["observed"] == 1.0 and hi["mean_forecast"] == pytest.approx(0.9)
    a, b = np.full(50, 0.1), np.full(50, 0.3)
    d = bootstrap_difference(a, b, 1)
    assert d["mean"] == pytest.approx(-0.2) and d["lo"] == pytest.approx(-0.2) and d["hi"] == pytest.approx(-0.2)
    noisy = bootstrap_difference(np.random.default_rng(2).normal(0, 1, 200), np.zeros(200), 3)
    assert noisy["lo"] < noisy["mean"] < noisy["hi"]
    assert bootstrap_difference(a, b, 4) == bootstrap_difference(a, b, 4)  # seeded


def test_reference_models():
    import pandas as pd

    rng = np.random.default_rng(5)
    x = pd.DataFrame({"f": rng.normal(size=400), "const": 1.0})
    latent = 2.0 * x["f"] + rng.logistic(size=400)
    y = np.digitize(latent, [-1.5, 0.0, 1.5])
    base = BaseRate(4).fit(x, y)
    assert base.predict(x[:3]).tolist() == [list(np.bincount(y, minlength=4) / 400)] * 3
    logit = OrderedLogit(4).fit(x, y)
    assert logit.fallback is None and logit.columns == ["f"]  # the constant column is dropped
    p = logit.predict(pd.DataFrame({"f": [-3.0, 3.0], "const": [1.0, 1.0]}))
    assert np.allclose(p.sum(axis=1), 1.0)
    assert p[0, 0] > 0.8 and p[1, 3] > 0.8  # the feature orders the classes
    assert rps(logit.predict(x), y).mean() < rps(base.predict(x), y).mean()
    single = OrderedLogit(4).fit(x[:5], np.zeros(5, dtype=int))
    assert single.fallback and single.predict(x[:2]).tolist() == [[1.0, 0, 0, 0]] * 2


@pytest.fixture(scope="module")
def unseen(tmp_path_factory):
    return write_icb(tmp_path_factory.mktemp("unseen"), *UNSEEN, name="unseen")


def test_unseen_crises_are_scored_against_references_fitted_on_the_shipped_crises(unseen):
    ev = evaluate(*unseen, runs=6, seed=2, executor="inprocess", resamples=200)
    assert [c.crisno for c in ev.cases] == list(range(900, 908))
    assert ev.meta["folds"] is None and "shipped training crises" in ev.meta["reference_training"]
    # the base rate is the training crises' share of each violence level
    with TRAINING_SYSTEM.open() as f:
        viol = [int(float(r["viol"])) for r in csv.DictReader(f) if r["viol"]]
    want = np.bincount(np.array(viol) - 1, minlength=4) / len(viol)
    for c in ev.cases:
        assert np.allclose(c.forecasts["base_rate"], want)
        for m in MODELS:
            assert c.forecasts[m].shape == (4,) and c.forecasts[m].sum() == pytest.approx(1.0)
    # a crisis that opens with a war-level attack on both sides is forecast to be violent by the model
    war = next(c for c in ev.cases if c.crisno == 903)
    assert war.forecasts["model"][0] == 0.0  # the violent trigger alone reaches rung 5
    obj = ev.to_json()
    json.dumps(obj)
    assert set(obj["scores"]) >= {"model", "base_rate", "ordered_logit", "differences", "responses"}
    for d in obj["scores"]["differences"].values():
        assert d["rps"]["lo"] <= d["rps"]["mean"] <= d["rps"]["hi"]


def test_k_fold_fits_the_references_on_the_other_folds_only(unseen):
    ev = evaluate(*unseen, runs=4, seed=1, folds=4, executor="inprocess", resamples=100)
    assert sorted(c.fold for c in ev.cases) == [0, 0, 1, 1, 2, 2, 3, 3]
    for c in ev.cases:
        others = np.array([o.observed for o in ev.cases if o.fold != c.fold])
        assert np.allclose(c.forecasts["base_rate"], np.bincount(others, minlength=4) / others.size)
    again = evaluate(*unseen, runs=4, seed=1, folds=4, executor="inprocess", resamples=100)
    assert again.to_json()["crises"] == ev.to_json()["crises"]  # seeded: folds, runs and fits repeat


def test_same_forecasts_on_every_executor(unseen):
    one = evaluate(*unseen, runs=5, seed=3, folds=2, executor="inprocess", resamples=50)
    two = evaluate(*unseen, runs=5, seed=3, folds=2, executor="process", workers=2, resamples=50)
    assert one.to_json()["crises"] == two.to_json()["crises"]


def test_cli_score_prints_one_json_object_and_writes_files(unseen, tmp_path):
    res = runner.invoke(app, ["icb", "score", *map(str, unseen), "--runs", "3", "--executor", "inprocess",
                              "--folds", "2", "--json", "--out", str(tmp_path / "s")])
    assert res.exit_code == 0, res.output
    obj = json.loads(res.stdout)
    assert isinstance(obj["crises"][0]["crisno"], int) and len(obj["crises"][0]["violence"]) == 4
    assert set(obj["crises"][0]["responses"]) and obj["folds"] == 2
    assert {p.name for p in (tmp_path / "s").iterdir()} == {"scores.json", "predictions.csv", "responses.csv", "calibration.csv"}
    res = runner.invoke(app, ["icb", "score", *map(str, unseen), "--folds", "1"])
    assert res.exit_code == 2


def test_bad_arguments_are_user_errors(unseen):
    with pytest.raises(FlashpointError):
        evaluate(*unseen, runs=0)
    with pytest.raises(FlashpointError, match="folds"):
        evaluate(*unseen, runs=2, folds=20, executor="inprocess")
