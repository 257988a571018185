"""Simulated method of moments, k-fold by crisis, with SciPy's Nelder–Mead.

For each fold, the parameters are fitted on the other folds' crises (the SMM loss of
:func:`sim.calibration.moments.smm_loss`) and validated on the held-out crises: the held-out loss
and the ranked probability score of the held-out crises' forecasts, with the fitted values and with
the registered defaults. Nelder–Mead needs no gradient, so it suits an objective computed from
simulations; with the same seeds for every point (common random numbers) the objective is a
deterministic function of the parameters, and a rerun of the same calibration replays the same
points from the checkpoints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.calibration.moments import TRIGGER_GROUPS, CrisisSet, Evaluator, observed_moments, smm_loss
from sim.errors import FlashpointError
from sim.history.scores import rps

__all__ = ["CalibrationResult", "FoldResult", "calibrate", "fold_assignment"]


@dataclass
class FoldResult:
    """One fold: the fitted values and how they do on the training and held-out crises."""

    fold: int
    train: list[int]
    test: list[int]
    fitted: dict[str, float]
    train_loss_default: float
    train_loss_fitted: float
    test_loss_default: float
    test_loss_fitted: float
    test_rps_default: float
    test_rps_fitted: float
    evaluations: int
    message: str


@dataclass
class CalibrationResult:
    """Every fold, the spread of the fitted values across folds, and how the work went."""

    folds: list[FoldResult]
    space_paths: list[str]
    defaults: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, dict[str, float]]:
        """Per parameter: default, mean fitted value, and the range over folds."""
        out = {}
        for p in self.space_paths:
            vals = np.array([f.fitted[p] for f in self.folds], dtype=float)
            out[p] = {"default": self.defaults[p], "mean": float(vals.mean()), "min": float(vals.min()),
                      "max": float(vals.max())}
        return out

    def to_json(self) -> dict[str, Any]:
        """The result as one JSON-able object (``flashpoint.calibration/1``)."""
        return {"schema": "flashpoint.calibration/1", **self.meta, "parameters": self.summary(),
                "targets": {"kind": "ICB violence distribution by trigger group", "groups": list(TRIGGER_GROUPS)},
                "folds": [f.__dict__ for f in self.folds]}


def fold_assignment(crisnos: list[int], k: int, seed: int) -> dict[int, int]:
    """A seeded random split of crises into ``k`` folds of nearly equal size."""
    if k < 2 or k > len(crisnos):
        raise FlashpointError(f"{len(crisnos)} crises cannot be split into {k} folds (need 2 ≤ k ≤ crises)")
    order = np.random.default_rng(np.random.SeedSequence([seed, 0xCA1])).permutation(len(crisnos))
    return {crisnos[i]: pos % k for pos, i in enumerate(order)}


def _rps(shares: dict[int, np.ndarray], crises: CrisisSet, nos: list[int]) -> float:
    p = np.array([shares[c] for c in nos])
    y = np.array([crises.observed[c] for c in nos])
    return float(rps(p, y).mean())


def calibrate(evaluator: Evaluator, folds: int = 5, *, max_evaluations: int = 60, seed: int = 0,
              on_evaluation: Callable[[int, int, float], None] | None = None) -> CalibrationResult:
    """Fit the evaluator's parameters by SMM on each fold's training crises; validate on the held-out ones.

    Args:
        evaluator: Runs a parameter vector on every crisis (checkpointed).
        folds: Number of folds (≥ 2).
        max_evaluations: Most objective evaluations per fold (Nelder–Mead ``maxfev``).
        seed: Seed of the fold assignment.
        on_evaluation: Called as ``(fold, evaluation in the fold, loss)`` after each evaluation.
    """
    from scipy.optimize import minimize

    crises, space = evaluator.crises, evaluator.space
    nos = crises.crisnos
    assign = fold_assignment(nos, folds, seed)
    x0 = space.to_unit(space.defaults)
    default_shares = evaluator.shares(space.defaults)
    results = []
    for f in range(folds):
        train = [c for c in nos if assign[c] != f]
        test = [c for c in nos if assign[c] == f]
        count = [0]

        def objective(u: np.ndarray, train: list[int] = train, count: list[int] = count, f: int = f) -> float:
            loss = smm_loss(evaluator.shares(space.from_unit(u)), crises, train)
            count[0] += 1
            if on_evaluation is not None:
                on_evaluation(f, count[0], loss)
            return loss

        res = minimize(objective, x0, method="Nelder-Mead", bounds=[(0.0, 1.0)] * len(x0),
                       options={"maxfev": int(max_evaluations), "xatol": 1e-3, "fatol": 1e-7, "initial_simplex": _simplex(x0)})
        xhat = space.from_unit(res.x)
        fitted = evaluator.shares(xhat)
        results.append(FoldResult(
            fold=f, train=train, test=test, fitted=space.assign(xhat),
            train_loss_default=smm_loss(default_shares, crises, train), train_loss_fitted=smm_loss(fitted, crises, train),
            test_loss_default=smm_loss(default_shares, crises, test), test_loss_fitted=smm_loss(fitted, crises, test),
            test_rps_default=_rps(default_shares, crises, test), test_rps_fitted=_rps(fitted, crises, test),
            evaluations=int(res.nfev), message=str(res.message)))
    meta = {"crises": len(nos), "folds": folds, "runs": evaluator.runs, "seed": evaluator.seed,
            "model_fingerprint": evaluator.fingerprint, "simulations": evaluator.evaluations,
            "checkpoints_reused": evaluator.reused, "max_evaluations": max_evaluations,
            "observed_moments": observed_moments(crises, nos).round(6).tolist()}
    return CalibrationResult(folds=results, space_paths=space.paths, defaults=space.assign(space.defaults), meta=meta)


def _simplex(x0: np.ndarray, step: float = 0.25) -> np.ndarray:
    """A starting simplex around ``x0`` inside the unit cube (a quarter of each range)."""
    pts = [x0.copy()]
    for i in range(len(x0)):
        p = x0.copy()
        p[i] = p[i] + step if p[i] + step <= 1.0 else p[i] - step
        pts.append(p)
    return np.array(pts)
