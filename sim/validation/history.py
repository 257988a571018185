"""Scoring per-dyad predictions against the MID record, next to a Bremer-style logit.

The observed disputes ship in ``sim/data/mid_onsets_1816-1989.csv`` (derived from GML MID v2.2.1
by ``scripts/derive_mid_history.py``; docs/data.md): one row per dyad-year with a new dispute and,
per MID hostility level, whether it reached that level. A dyad-year not listed had none.

The reference model is a logit in the manner of Bremer (1992) — land contiguity, major-power
involvement, joint democracy (both Polity2 ≥ 6), a defence pact (ATOP), the log capability ratio
(stronger over weaker CINC) and the log distance between capitals — fitted with statsmodels on
*other* years than the one scored (no leakage). Scores: the area under the ROC curve (rank
statistic, ties counted half) and the Brier score, with the base rate's Brier score (the
training years' share of dyad-years with a new dispute, a constant forecast) as the floor to beat.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["COVARIATES", "MID_LEVELS", "observed_onsets", "rivalry_rates", "dyad_covariates", "dyad_years",
           "auc", "brier", "fit_logit", "score_predictions", "score_years"]

#: Covariates of the Bremer-style logit.
COVARIATES = ["contiguous", "major", "jointdem", "alliance", "log_cap_ratio", "log_distance"]
#: MID hostility levels and the onset columns that hold them.
MID_LEVELS = ("threat", "display", "force", "war")

Progress = Callable[[int, int], None]


@cache
def observed_onsets() -> pd.DataFrame:
    """The shipped MID onsets: ``ccode1 < ccode2, year, onset_threat … onset_war`` (0/1)."""
    with (resources.files("sim") / "data" / "mid_onsets_1816-1989.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh)


def _rivalry_column(column: str) -> dict[str, float]:
    """One rate column of the shipped ``mid_rivalry_rates.csv`` by rivalry kind (empty if the file lacks it)."""
    with (resources.files("sim") / "data" / "mid_rivalry_rates.csv").open(encoding="utf-8") as fh:
        return {r["rivals"]: float(r[column]) for r in csv.DictReader(fh) if r.get(column)}


def rivalry_rates() -> dict[str, float]:
    """New uses of force per 1,000 rival dyad-years (Thompson–Dreyer rivals, 1816–1989): contiguous / other."""
    return _rivalry_column("force_per_1000")


def rivalry_war_rates() -> dict[str, float]:
    """New wars (a dispute begun that year reaching MID hostility level 5) per 1,000 rival dyad-years (Thompson–Dreyer, 1816–1989): contiguous / other.

    Empty when the shipped file predates the war columns.
    """
    return _rivalry_column("war_per_1000")


def dyad_covariates(year: int) -> pd.DataFrame:
    """The Bremer covariates of every dyad of the catalog's ``year`` (``ccode1 < ccode2``)."""
    from sim.catalog import load_catalog

    cat = load_catalog()
    codes = cat.codes(year)
    recs = cat.states(codes, year)
    n = len(codes)
    iu = np.triu_indices(n, 1)
    cc = np.array([r.ccode for r in recs])
    contig = (np.asarray(cat.contiguity(codes, year)) == 1)[iu]
    major = np.array([r.major_power for r in recs])
    pol = np.array([r.polity2 if r.polity2 is not None else -99 for r in recs], dtype=float)
    dem = pol >= 6
    cinc = np.array([max(r.cinc or 0.0, 1e-7) for r in recs])
    pact = np.zeros((n, n), dtype=bool)
    idx = {c: k for k, c in enumerate(codes)}
    for al in cat.alliances(codes, year):
        if al.defense:
            pact[idx[al.a], idx[al.b]] = pact[idx[al.b], idx[al.a]] = True
    dist = cat.capital_distance(codes, year)[iu]
    a, b = cc[iu[0]], cc[iu[1]]
    return pd.DataFrame({
        "ccode1": np.minimum(a, b), "ccode2": np.maximum(a, b), "year": year,
        "contiguous": contig.astype(int), "major": (major[iu[0]] | major[iu[1]]).astype(int),
        "jointdem": (dem[iu[0]] & dem[iu[1]]).astype(int), "alliance": pact[iu].astype(int),
        "log_cap_ratio": np.log(np.maximum(cinc[iu[0]], cinc[iu[1]]) / np.minimum(cinc[iu[0]], cinc[iu[1]])),
        "log_distance": np.log1p(dist),
    })


def dyad_years(years: Sequence[int]) -> pd.DataFrame:
    """Covariates and observed onsets (0/1 per level) of every dyad-year of ``years``."""
    obs = observed_onsets()
    frames = []
    for y in years:
        cov = dyad_covariates(int(y))
        o = obs[obs["year"] == int(y)]
        m = cov.merge(o, on=["ccode1", "ccode2", "year"], how="left")
        for lv in MID_LEVELS:
            m[f"onset_{lv}"] = m[f"onset_{lv}"].fillna(0).astype(int)
        frames.append(m)
    return pd.concat(frames, ignore_index=True)


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve (Mann–Whitney rank statistic, ties half); NaN without both classes."""
    from scipy.stats import rankdata

    y = np.asarray(y).astype(bool)
    p = np.asarray(p, dtype=float)
    n1, n0 = int(y.sum()), int((~y).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    r = rankdata(p)
    return float((r[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def brier(y: np.ndarray, p: np.ndarray) -> float:
    """Mean squared difference between the forecast probabilities and the 0/1 outcomes."""
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    return float(np.mean((p - y) ** 2))


def fit_logit(train: pd.DataFrame, level: str = "force", covariates: Sequence[str] = COVARIATES) -> Any:
    """Fit the Bremer-style logit of a new dispute at ``level`` on ``train`` (statsmodels ``Logit``).

    Returns the statsmodels results object (``.params``, ``.predict(frame)``).
    """
    import statsmodels.formula.api as smf

    formula = f"onset_{level} ~ " + " + ".join(covariates)
    return smf.logit(formula, data=train).fit(disp=False, maxiter=200)


def score_predictions(pred: pd.DataFrame, test: pd.DataFrame, train: pd.DataFrame,
                      levels: Sequence[str] = ("threat", "force")) -> list[dict[str, Any]]:
    """Score a year's predictions (``ccode1, ccode2, p_<level>``) and the logit against the record.

    ``test`` holds the scored year's dyad-years (:func:`dyad_years`), ``train`` the other years the
    logit is fitted on. Dyads missing from ``pred`` are dropped from every score.
    """
    m = test.merge(pred[["ccode1", "ccode2", *(f"p_{lv}" for lv in levels)]], on=["ccode1", "ccode2"], how="inner")
    rows = []
    for lv in levels:
        y = m[f"onset_{lv}"].to_numpy()
        fit = fit_logit(train, lv)
        p_logit = np.asarray(fit.predict(m))
        base = float(train[f"onset_{lv}"].mean())
        p_model = m[f"p_{lv}"].to_numpy()
        rows.append({"level": lv, "dyads": len(m), "events": int(y.sum()),
                     "model_auc": auc(y, p_model), "model_brier": brier(y, p_model),
                     "logit_auc": auc(y, p_logit), "logit_brier": brier(y, p_logit),
                     "base_brier": brier(y, np.full(len(y), base)), "model_mean": float(p_model.mean()),
                     "observed_rate": float(y.mean())})
    return rows


def score_years(years: Sequence[int], runs: int, train_years: Sequence[int], seed: int = 0, *,
                executor: Any = "process", workers: int | None = None, progress: Progress | None = None,
                levels: Sequence[str] = ("threat", "force")) -> list[dict[str, Any]]:
    """Predict each of ``years`` with the model and score it against the logit fitted on ``train_years``.

    Raises:
        ValueError: if a scored year is also a training year (leakage).
    """
    from sim.validation.world import world_predictions

    overlap = set(map(int, years)) & set(map(int, train_years))
    if overlap:
        raise ValueError(f"scored years are also training years: {sorted(overlap)}")
    train = dyad_years(train_years)
    out = []
    for y in years:
        pred = world_predictions(int(y), runs, seed, executor=executor, workers=workers, progress=progress)
        for row in score_predictions(pred.table, dyad_years([int(y)]), train, levels):
            out.append({"year": int(y), "runs": pred.runs, "seconds": pred.seconds, **row})
    return out
