"""Score the model's predictions of real crises out of sample (``flashpoint icb score``).

:func:`evaluate` maps every crisis of two ICB-layout files to a scenario, runs an ensemble of each
(one executor for all, the ensemble layer's seeds: the same results on every executor and worker
count), reads the runs as ICB outcomes (:mod:`sim.history.outcomes`) and scores them against what
happened, beside two reference models (:mod:`sim.history.reference`) fitted on *other* crises:

* with ``folds=K`` (K ≥ 2), k-fold by crisis inside the scored file: the reference models of fold
  f are fitted on the other folds;
* with ``folds=0``, the reference models are fitted on the shipped training crises, minus any
  crisis of the scored file;
* by default (``None``), k-fold with 5 folds when the scored file shares crises with the shipped
  training set, the shipped training crises otherwise (crises the project has never seen).

The simulation model has **no fitted parameters** yet (its parameters are proposals from the
literature), so its forecasts are out of sample whatever the folds; the fold only matters for the
reference models.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.catalog import Catalog, load_catalog
from sim.errors import FlashpointError
from sim.history.build import MapResult, map_icb
from sim.history.icb import IcbActor, IcbCrisis, IcbData, read_icb
from sim.history.mapping import cow_code
from sim.history.outcomes import (
    RESPONSE_CLASSES,
    VIOLENCE_CLASSES,
    actor_peaks,
    class_shares,
    response_class,
    response_class_of_majres,
    violence_class,
)
from sim.history.reference import (
    ACTOR_FEATURES,
    CRISIS_FEATURES,
    BaseRate,
    OrderedLogit,
    actor_features,
    crisis_features,
)
from sim.history.scores import bootstrap_difference, brier, calibration_table, rps

__all__ = ["MODELS", "Evaluation", "evaluate", "simulate"]

#: The forecasters scored, in report order.
MODELS: tuple[str, ...] = ("model", "base_rate", "ordered_logit")
#: Default folds when the scored file overlaps the shipped training crises.
DEFAULT_FOLDS = 5
_VIOLENCE_EVENTS = ["at least minor clashes", "at least serious clashes", "full-scale war"]
_RESPONSE_EVENTS = ["at least a non-violent military response", "a violent response"]
NOTE = ("The simulation model has no fitted parameters yet (its parameters are proposals from the literature): "
        "its forecasts are out of sample for every crisis. The reference models are fitted on other crises only.")

Progress = Callable[[int, int], None]


@dataclass
class Case:
    """One scored crisis: what happened, its features, and each forecaster's probabilities."""

    crisno: int
    name: str
    scenario_id: str
    observed: int
    features: dict[str, float]
    fold: int = -1
    forecasts: dict[str, np.ndarray] = field(default_factory=dict)
    actors: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Evaluation:
    """Per-crisis forecasts and their scores (see :func:`evaluate`)."""

    cases: list[Case]
    unscored: list[dict[str, Any]]
    scores: dict[str, Any]
    meta: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` object of ``flashpoint icb score`` (schema ``flashpoint.icb-score/1``)."""
        crises = []
        for c in self.cases:
            crises.append({
                "crisno": c.crisno, "name": c.name, "id": c.scenario_id, "fold": c.fold,
                "observed": VIOLENCE_CLASSES[c.observed],
                "violence": _r(c.forecasts["model"]),
                "base_rate": _r(c.forecasts["base_rate"]), "ordered_logit": _r(c.forecasts["ordered_logit"]),
                "responses": {a["code"]: {"observed": None if a["observed"] is None else RESPONSE_CLASSES[a["observed"]],
                                          **{m: _r(a["forecasts"][m]) for m in MODELS}} for a in c.actors},
            })
        return {"schema": "flashpoint.icb-score/1", **self.meta, "violence_classes": list(VIOLENCE_CLASSES),
                "response_classes": list(RESPONSE_CLASSES), "crises": crises, "scores": self.scores,
                "unscored": self.unscored}

    def predictions_frame(self) -> pd.DataFrame:
        """One row per crisis: crisno, name, id, fold, observed, then p_<class>_<forecaster>."""
        rows = []
        for c in self.cases:
            r: dict[str, Any] = {"crisno": c.crisno, "name": c.name, "id": c.scenario_id, "fold": c.fold,
                                 "observed": VIOLENCE_CLASSES[c.observed]}
            for m in MODELS:
                for k, cls in enumerate(VIOLENCE_CLASSES):
                    r[f"p_{cls}_{m}"] = float(c.forecasts[m][k])
            rows.append(r)
        return pd.DataFrame(rows)

    def responses_frame(self) -> pd.DataFrame:
        """One row per crisis actor: crisno, actor, observed, then p_<class>_<forecaster>."""
        rows = []
        for c in self.cases:
            for a in c.actors:
                r: dict[str, Any] = {"crisno": c.crisno, "actor": a["code"],
                                     "observed": "" if a["observed"] is None else RESPONSE_CLASSES[a["observed"]]}
                for m in MODELS:
                    for k, cls in enumerate(RESPONSE_CLASSES):
                        r[f"p_{cls.replace(' ', '_').replace('-', '_')}_{m}"] = float(a["forecasts"][m][k])
                rows.append(r)
        return pd.DataFrame(rows)

    def to_dir(self, path: str | os.PathLike[str]) -> list[str]:
        """Write scores.json, predictions.csv, responses.csv and calibration.csv; returns the files."""
        out = Path(path)
        try:
            out.mkdir(parents=True, exist_ok=True)
            files = [out / "scores.json", out / "predictions.csv", out / "responses.csv", out / "calibration.csv"]
            files[0].write_text(json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            self.predictions_frame().to_csv(files[1], index=False)
            self.responses_frame().to_csv(files[2], index=False)
            cal = [{"outcome": "violence", "forecaster": m, **row}
                   for m in MODELS for row in self.scores["violence"][m]["calibration"]]
            cal += [{"outcome": "response", "forecaster": m, **row}
                    for m in MODELS for row in self.scores["responses"][m]["calibration"]]
            pd.DataFrame(cal).to_csv(files[3], index=False)
        except OSError as exc:
            raise FlashpointError(f"{out}: cannot write ({exc.strerror})") from None
        return [str(f) for f in files]

    def summary_text(self) -> str:
        """The scores in a few lines for people."""
        m = self.meta
        lines = [f"{len(self.cases)} crises scored ({m['runs']} runs each, seed {m['seed']}); "
                 f"reference models: {m['reference_training']}"]
        for what, title in (("violence", "ICB violence level (4 classes)"), ("responses", "major response (3 classes)")):
            s = self.scores[what]
            lines.append(f"{title}, n = {s['n']}:")
            for name in MODELS:
                lines.append(f"  {name:<14} RPS {s[name]['rps']:.4f}   Brier {s[name]['brier']:.4f}")
            for key, d in s["differences"].items():
                r = d["rps"]
                lines.append(f"  RPS {key}: {r['mean']:+.4f} [{r['lo']:+.4f}, {r['hi']:+.4f}] (negative: the first is better)")
        if self.unscored:
            lines.append(f"{len(self.unscored)} crises not scored (see 'unscored').")
        lines.append(NOTE)
        return "\n".join(lines)


def _r(p: np.ndarray) -> list[float]:
    return [round(float(x), 6) for x in p]


def simulate(scenarios: list[Any], runs: int, seed: int = 0, *, executor: Any = "process", workers: int | None = None,
             scheduler: str | None = None, progress: Progress | None = None) -> list[dict[str, Any]]:
    """Run an ensemble of each scenario and read the runs as ICB outcomes.

    Returns:
        Per scenario, ``{"violence": shares of the 4 classes, "actors": {code: shares of the 3 response
        classes}, "completed": runs that finished}``; ``violence`` is ``None`` if no run finished.
    """
    from sim.ensemble import run_many

    if not scenarios:
        return []
    results = run_many(scenarios[0], [], runs, seed, executor=executor, workers=workers, scheduler=scheduler,
                       progress=progress, dyad_levels=False, scenarios=scenarios, labels=[s.id for s in scenarios])
    out = []
    for res in results:
        t = res.table
        if t.size == 0:
            out.append({"violence": None, "actors": {}, "completed": 0})
            continue
        codes = list(res.layout.codes)
        ap = response_class(actor_peaks(t["peak"], len(codes)))
        shares = class_shares(ap, len(RESPONSE_CLASSES))
        out.append({"violence": class_shares(violence_class(t["system_peak"]), len(VIOLENCE_CLASSES)),
                    "actors": {c: shares[k] for k, c in enumerate(codes)}, "completed": int(t.size)})
    return out


def _actor_rows(crisis: IcbCrisis, actors: tuple[IcbActor, ...], year: int, catalog: Catalog,
                by_ccode: dict[int, str]) -> list[tuple[str | None, IcbActor]]:
    return [(cow_code(a.ccode, year, catalog, by_ccode), a) for a in actors]


def _training_frames(data: IcbData, exclude: set[int], catalog: Catalog, by_ccode: dict[int, str]
                     ) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame, np.ndarray]:
    """Features and classes of the training crises and crisis actors (``exclude``: crisis numbers left out)."""
    cx, cy, ax, ay = [], [], [], []
    for c in data.crises:
        if c.crisno in exclude or c.violence not in (1, 2, 3, 4):
            continue
        acts = data.actors_of(c.crisno)
        cx.append(crisis_features(c, acts, catalog, by_ccode))
        cy.append(c.violence - 1)
        for a in acts:
            cls = response_class_of_majres(a.major_response)
            if cls is not None:
                ax.append(actor_features(c, a, catalog, by_ccode))
                ay.append(cls)
    return (pd.DataFrame(cx, columns=list(CRISIS_FEATURES)), np.array(cy, dtype=int),
            pd.DataFrame(ax, columns=list(ACTOR_FEATURES)), np.array(ay, dtype=int))


def _score_block(cases: list[tuple[int, dict[str, np.ndarray]]], k: int, labels: list[str], seed: int,
                 resamples: int, purpose: int) -> dict[str, Any]:
    """Scores of each forecaster over ``cases`` = [(observed, {forecaster: probs})]."""
    y = np.array([o for o, _ in cases], dtype=int)
    out: dict[str, Any] = {"n": int(y.size)}
    per: dict[str, dict[str, np.ndarray]] = {}
    for m in MODELS:
        p = np.array([f[m] for _, f in cases], dtype=float).reshape(-1, k)
        per[m] = {"rps": rps(p, y), "brier": brier(p, y)} if y.size else {"rps": np.array([]), "brier": np.array([])}
        out[m] = {"rps": float(per[m]["rps"].mean()) if y.size else math.nan,
                  "brier": float(per[m]["brier"].mean()) if y.size else math.nan,
                  "calibration": calibration_table(p, y, labels) if y.size else []}
    diffs = {}
    for j, (a, b) in enumerate((("model", "base_rate"), ("model", "ordered_logit"), ("ordered_logit", "base_rate"))):
        diffs[f"{a}-{b}"] = {s: bootstrap_difference(per[a][s], per[b][s], np.random.SeedSequence([seed, 0x5C0, purpose, j, q]),
                                                     resamples) for q, s in enumerate(("rps", "brier"))}
    out["differences"] = diffs
    out["observed_shares"] = _r(np.bincount(y, minlength=k) / max(y.size, 1))
    return out


def evaluate(system_csv: str | os.PathLike[str], actors_csv: str | os.PathLike[str], *, runs: int = 100, seed: int = 0,
             folds: int | None = None, executor: Any = "process", workers: int | None = None,
             scheduler: str | None = None, progress: Progress | None = None, resamples: int = 2000,
             catalog: Catalog | None = None) -> Evaluation:
    """Run and score every crisis of two ICB-layout files (see the module docstring).

    Args:
        system_csv: ICB1-layout file.
        actors_csv: ICB2-layout file.
        runs: Replications per crisis.
        seed: Master seed of the ensembles, the fold assignment and the bootstrap.
        folds: ``K`` ≥ 2 for k-fold by crisis, 0 for the shipped training crises, ``None`` to choose.
        executor: As :func:`sim.ensemble.run_ensemble`.
        workers: Worker processes.
        scheduler: Dask scheduler address.
        progress: ``progress(done, total)`` over all runs.
        resamples: Bootstrap resamples for the intervals of score differences.
        catalog: The actor catalog (default: the shipped one).

    Raises:
        IcbDataError: a malformed file (located).
        FlashpointError: bad arguments, or too few crises to score.
    """
    if runs < 1:
        raise FlashpointError(f"runs must be at least 1, got {runs}")
    if folds is not None and (folds == 1 or folds < 0):
        raise FlashpointError(f"folds must be 0 (train on the shipped crises) or at least 2, got {folds}")
    t0 = time.perf_counter()
    cat = catalog or load_catalog()
    by_ccode = {cat.resolve(c): c for c in cat.known_codes()}
    data = read_icb(system_csv, actors_csv)
    mres: MapResult = map_icb(data, catalog=cat)
    unscored = [{"crisno": u.crisno, "name": u.name, "reason": u.reason} for u in mres.unmapped]
    cases: list[Case] = []
    for m in mres.mapped:
        c = data.crisis(m.crisno)
        if c.violence not in (1, 2, 3, 4):
            unscored.append({"crisno": c.crisno, "name": c.name, "reason": "no observed violence level (viol is blank or not 1–4)"})
            continue
        cases.append(Case(c.crisno, c.name, m.scenario_id, c.violence - 1,
                          crisis_features(c, data.actors_of(c.crisno), cat, by_ccode)))
    if not cases:
        raise FlashpointError(f"no crisis of {data.system_file} can be scored ({len(unscored)} unscored)")

    # the simulation model
    sims = simulate([mres.scenarios[c.crisno] for c in cases], runs, seed, executor=executor, workers=workers,
                    scheduler=scheduler, progress=progress)
    kept = []
    for case, sim in zip(cases, sims, strict=True):
        if sim["violence"] is None:
            unscored.append({"crisno": case.crisno, "name": case.name, "reason": "no run of its scenario finished"})
            continue
        case.forecasts["model"] = sim["violence"]
        crisis = data.crisis(case.crisno)
        year = mres.scenarios[case.crisno].data_year
        for code, a in _actor_rows(crisis, data.actors_of(case.crisno), year, cat, by_ccode):
            shares = sim["actors"].get(code) if code else None
            if shares is None:
                continue
            case.actors.append({"code": code, "observed": response_class_of_majres(a.major_response),
                                "features": actor_features(crisis, a, cat, by_ccode), "forecasts": {"model": shares}})
        kept.append(case)
    cases = kept

    # the reference models
    from sim.history.training import load_training

    training = load_training()
    scored = {c.crisno for c in cases}
    overlap = scored & {c.crisno for c in training.crises}
    k = folds if folds is not None else (DEFAULT_FOLDS if overlap else 0)
    fallbacks: list[str] = []
    if k >= 2:
        if len(cases) < k:
            raise FlashpointError(f"{len(cases)} crises cannot be split into {k} folds")
        order = np.random.default_rng(np.random.SeedSequence([seed, 0xF01D])).permutation(len(cases))
        for pos, idx in enumerate(order):
            cases[idx].fold = pos % k
        groups = [([c for c in cases if c.fold != f], [c for c in cases if c.fold == f]) for f in range(k)]
        described = f"{k}-fold by crisis within the scored file (fitted on the other folds)"
    else:
        groups = [(None, cases)]
        described = (f"fitted on the {len(training.crises) - len(overlap)} shipped training crises"
                     + (f" (leaving out the {len(overlap)} also scored here)" if overlap else ""))
    for train, test in groups:
        if train is None:
            cx, cy, ax, ay = _training_frames(training, scored, cat, by_ccode)
        else:
            cx = pd.DataFrame([c.features for c in train], columns=list(CRISIS_FEATURES))
            cy = np.array([c.observed for c in train], dtype=int)
            arows = [a for c in train for a in c.actors if a["observed"] is not None]
            ax = pd.DataFrame([a["features"] for a in arows], columns=list(ACTOR_FEATURES))
            ay = np.array([a["observed"] for a in arows], dtype=int)
        for kk, x, y, feats, getter in ((len(VIOLENCE_CLASSES), cx, cy, CRISIS_FEATURES, "crisis"),
                                        (len(RESPONSE_CLASSES), ax, ay, ACTOR_FEATURES, "actor")):
            base, logit = BaseRate(kk).fit(x, y), OrderedLogit(kk).fit(x, y)
            if logit.fallback:
                fallbacks.append(f"{getter} ordered logit: {logit.fallback}")
            if getter == "crisis":
                tx = pd.DataFrame([c.features for c in test], columns=list(feats))
                for c, pb, pl in zip(test, base.predict(tx), logit.predict(tx), strict=True):
                    c.forecasts["base_rate"], c.forecasts["ordered_logit"] = pb, pl
            else:
                acts = [a for c in test for a in c.actors]
                if acts:
                    tx = pd.DataFrame([a["features"] for a in acts], columns=list(feats))
                    for a, pb, pl in zip(acts, base.predict(tx), logit.predict(tx), strict=True):
                        a["forecasts"]["base_rate"], a["forecasts"]["ordered_logit"] = pb, pl

    viol = _score_block([(c.observed, c.forecasts) for c in cases], len(VIOLENCE_CLASSES), _VIOLENCE_EVENTS, seed,
                        resamples, 1)
    resp = _score_block([(a["observed"], a["forecasts"]) for c in cases for a in c.actors if a["observed"] is not None],
                        len(RESPONSE_CLASSES), _RESPONSE_EVENTS, seed, resamples, 2)
    scores = {**{m: {"rps": viol[m]["rps"], "brier": viol[m]["brier"]} for m in MODELS},
              "differences": viol["differences"], "violence": viol, "responses": resp}
    meta = {"system_file": data.system_file, "actors_file": data.actors_file, "runs": int(runs), "seed": int(seed),
            "folds": k if k >= 2 else None, "reference_training": described, "model_fitted": False, "note": NOTE,
            "logit_fallbacks": sorted(set(fallbacks)), "seconds": round(time.perf_counter() - t0, 3),
            "total_crises": len(data.crises)}
    return Evaluation(cases=cases, unscored=unscored, scores=scores, meta=meta)
