"""Design-based calibration: simulated method of moments on an emulator, k-fold by crisis.

1. A space-filling design (:func:`sim.calibration.design.design_points`, point 0 the defaults) is
   simulated **once**: every design point on every calibration crisis (per-crisis violence shares)
   and on the world targets (MID onsets, war continuation), all checkpointed.
2. For each fold, the training loss of every design point is computed from the stored per-crisis
   shares of the *training* crises only (no re-simulation) plus the world targets' discrepancies:
   ``loss = w_icb · D_icb(train) + w_mid · D_mid + w_war · D_war``, each ``D`` the mean standardised
   squared discrepancy of its moments (diagonal weighting by sampling variance; see
   :func:`sim.calibration.moments.smm_loss` and :mod:`sim.calibration.targets`). With ``normalise``
   each ``D`` is first divided by its value at the defaults (:func:`normalised_parts`).
3. An emulator of the loss over the unit cube — one quadratic surface
   (:class:`sim.calibration.emulator.QuadraticEmulator`) of each target's log discrepancy, summed
   back with the weights (:class:`LossEmulator`) — is fitted to the design and minimised within the bounds (SciPy L-BFGS-B, started from
   the best design point, the centre and the defaults). If the emulator's leave-one-out R² is below
   ``MIN_CV_R2`` (0.5: it does not explain half the loss's variance out of sample), its minimum is
   not trusted and the fit is the best design point instead (``fit_source``). With ``dyad_band``
   (history matching) the fit is instead the best *plausible* design point: the simulated point with
   the lowest training loss among those whose dangerous-dyad ratios all lie within the band.
4. The held-out crises are scored at the fitted point by **re-simulating that point on the held-out
   crises only** (a design point's held-out shares are already stored; with ``test_runs`` the fit and
   the defaults are both re-run on them with that many runs) (one extra evaluation of a fifth of the crises per fold), beside the defaults
   (design point 0, already simulated), the base-rate null and the ordered logit fitted on the
   training crises. Training scores are in-sample: the model at its best *design* point (the one
   with the lowest training loss), the references fitted on those crises.

The world targets are not split by fold (they are not crises): every fold sees them whole.
A final fit on all crises gives the recommended values; their spread over the folds is the
interval reported with them. The world targets are simulated once more at that fit (``final_world``:
the discrepancies, moments and dangerous-dyad ratios the new defaults give), and the held-out RPS of
every crisis (each scored by the fold that held it out) are pooled with paired bootstrap intervals of
the differences between the model and the references (``held_out``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.calibration.design import design_points
from sim.calibration.emulator import QuadraticEmulator, minimise_in_unit_cube
from sim.calibration.moments import TRIGGER_GROUPS, CrisisSet, Evaluator, observed_moments, smm_loss
from sim.calibration.targets import WorldEvaluator
from sim.errors import FlashpointError
from sim.history.scores import rps

__all__ = ["COMPARISONS", "DEFAULT_WEIGHTS", "fair_rps", "MIN_CV_R2", "LossEmulator", "CalibrationResult", "FoldResult", "calibrate",
           "fold_assignment", "held_out_summary", "normalised_parts"]

#: Weight of each target's mean standardised discrepancy in the loss (each target counts once).
DEFAULT_WEIGHTS: dict[str, float] = {"icb": 1.0, "mid": 1.0, "war": 1.0, "dyads": 1.0, "quiet": 1.0}
#: Least leave-one-out R² of the loss emulator for its minimum to be used (else the best design point).
MIN_CV_R2 = 0.5


@dataclass
class FoldResult:
    """One fold: the fitted values and how they do on the training and held-out crises."""

    fold: int
    train: list[int]
    test: list[int]
    fitted: dict[str, float]
    emulator_cv_r2: float
    emulator_penalty: float
    fit_source: str
    train_loss_emulated: float
    train_loss_best_design: float
    train_loss_default: float
    test_icb_default: float
    test_icb_fitted: float
    train_rps: dict[str, float]
    test_rps: dict[str, float]
    test_rps_by_crisis: dict[str, list[float]] = field(default_factory=dict)


@dataclass
class CalibrationResult:
    """Every fold, the all-crisis fit, the design and how the work went."""

    folds: list[FoldResult]
    space_paths: list[str]
    defaults: dict[str, float]
    final: dict[str, float]
    final_cv_r2: float
    design: list[dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, dict[str, float]]:
        """Per parameter: default, fitted on all crises, the range over the folds' fits.

        With history matching also the range over the plausible design points (``plausible_min``,
        ``plausible_max``): the values the dangerous-dyad band does not rule out, within the searched box.
        """
        plausible = [d["parameters"] for d in self.design if d.get("plausible")]
        out = {}
        for p in self.space_paths:
            vals = np.array([f.fitted[p] for f in self.folds], dtype=float)
            out[p] = {"default": self.defaults[p], "fitted": self.final[p], "fold_mean": float(vals.mean()),
                      "fold_min": float(vals.min()), "fold_max": float(vals.max())}
            if plausible:
                pv = np.array([d[p] for d in plausible], dtype=float)
                out[p] |= {"plausible_min": float(pv.min()), "plausible_max": float(pv.max())}
        return out

    def to_json(self) -> dict[str, Any]:
        """The result as one JSON-able object (``flashpoint.calibration/2``)."""
        return {"schema": "flashpoint.calibration/2", **self.meta, "parameters": self.summary(),
                "final_emulator_cv_r2": self.final_cv_r2, "design": self.design,
                "folds": [asdict(f) for f in self.folds]}


def fold_assignment(crisnos: list[int], k: int, seed: int) -> dict[int, int]:
    """A seeded random split of crises into ``k`` folds of nearly equal size."""
    if k < 2 or k > len(crisnos):
        raise FlashpointError(f"{len(crisnos)} crises cannot be split into {k} folds (need 2 ≤ k ≤ crises)")
    order = np.random.default_rng(np.random.SeedSequence([seed, 0xCA1])).permutation(len(crisnos))
    return {crisnos[i]: pos % k for pos, i in enumerate(order)}


def _rps_each(shares: dict[int, np.ndarray], crises: CrisisSet, nos: list[int]) -> np.ndarray:
    p = np.array([shares[c] for c in nos])
    y = np.array([crises.observed[c] for c in nos])
    return rps(p, y)


def fair_rps(p: np.ndarray, y: np.ndarray, members: int) -> np.ndarray:
    """The *fair* ranked probability score of ensemble forecasts (Ferro 2014): per case.

    ``p`` are shares of ``members`` runs. The plain RPS of a share of a few runs is inflated by its
    sampling variance (by about F(1 − F)/m per threshold); the fair score removes that term,
    ``Σ_j [(F̂_j − o_j)² − F̂_j(1 − F̂_j)/(m − 1)] / (K − 1)``, and so estimates the score the
    model's own probabilities would get with infinitely many runs — the fair comparison with a
    reference that forecasts probabilities directly.
    """
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=int)
    k = p.shape[1]
    f = np.cumsum(p, axis=1)[:, :-1]
    o = (y[:, None] <= np.arange(k - 1)[None, :]).astype(float)
    return ((f - o) ** 2 - (f * (1 - f) / (members - 1) if members > 1 else 0.0)).sum(axis=1) / (k - 1)


def _rps(shares: dict[int, np.ndarray], crises: CrisisSet, nos: list[int]) -> float:
    return float(_rps_each(shares, crises, nos).mean())


def _fair(shares: dict[int, np.ndarray], crises: CrisisSet, nos: list[int], runs: int) -> np.ndarray:
    return fair_rps(np.array([shares[c] for c in nos]), np.array([crises.observed[c] for c in nos]), runs)


def _references(crises: CrisisSet, train: list[int], test: list[int]) -> dict[str, tuple[float, np.ndarray]]:
    """Training RPS (mean) and held-out RPS (per crisis) of the base rate and the ordered logit fitted on ``train``."""
    from sim.history.reference import CRISIS_FEATURES, BaseRate, OrderedLogit

    cols = list(CRISIS_FEATURES)
    if not all(c in crises.features for c in [*train, *test]):
        return {}
    xtr = pd.DataFrame([crises.features[c] for c in train], columns=cols)
    xte = pd.DataFrame([crises.features[c] for c in test], columns=cols)
    ytr = np.array([crises.observed[c] for c in train])
    yte = np.array([crises.observed[c] for c in test])
    out = {}
    for name, model in (("base_rate", BaseRate(4)), ("ordered_logit", OrderedLogit(4))):
        m = model.fit(xtr, ytr)
        out[name] = (float(rps(m.predict(xtr), ytr).mean()), rps(m.predict(xte), yte))
    return out


#: The held-out comparisons reported with a paired bootstrap interval: (label, first, second).
COMPARISONS: tuple[tuple[str, str, str], ...] = (
    ("model fitted − base rate", "model_fitted", "base_rate"),
    ("model fitted − ordered logit", "model_fitted", "ordered_logit"),
    ("model fitted − model defaults", "model_fitted", "model_default"),
    ("model fitted, fair RPS − base rate", "model_fitted_fair", "base_rate"),
    ("model fitted, fair RPS − ordered logit", "model_fitted_fair", "ordered_logit"),
    ("model defaults, fair RPS − base rate", "model_default_fair", "base_rate"),
    ("ordered logit − base rate", "ordered_logit", "base_rate"),
)


def held_out_summary(folds: list[FoldResult], seed: int = 0, resamples: int = 2000) -> dict[str, Any]:
    """Pooled held-out RPS (every crisis scored by the fold that held it out) and paired bootstrap intervals.

    Returns:
        ``{"crises": n, "rps": {model: mean}, "differences": {label: {"mean", "lo", "hi", "n"}}}``
        (a negative difference: the first scores better, i.e. lower).
    """
    from sim.history.scores import bootstrap_difference

    keys = sorted({k for f in folds for k in f.test_rps_by_crisis})
    pooled = {k: np.concatenate([np.asarray(f.test_rps_by_crisis.get(k, []), dtype=float) for f in folds]) for k in keys}
    n = max((len(v) for v in pooled.values()), default=0)
    pooled = {k: v for k, v in pooled.items() if len(v) == n and n}
    diffs = {label: bootstrap_difference(pooled[a], pooled[b], np.random.SeedSequence([seed, 0xB007]), resamples)
             for label, a, b in COMPARISONS if a in pooled and b in pooled}
    return {"crises": n, "rps": {k: float(v.mean()) for k, v in pooled.items()}, "differences": diffs}


def normalised_parts(parts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each target's discrepancy at every design point divided by its value at point 0 (the defaults).

    The targets' standardised discrepancies differ in scale by orders of magnitude (the MID target's
    twelve moments rest on thousands of onsets, so a model that misses them has a discrepancy in the
    hundreds; the ICB moments rest on some hundred crises per group). Summed raw, the largest swamps
    the rest and the fit trades everything else for it. Divided by the defaults' value, every target
    is 1 at the defaults and a weight prices a relative change: halving the ICB discrepancy is worth
    as much as halving the MID one, and doubling any costs as much.
    """
    return {t: np.asarray(v, dtype=float) / max(float(v[0]), 1e-9) for t, v in parts.items()}


class LossEmulator:
    """The loss emulated target by target: a quadratic surface of each target's log discrepancy.

    Each target's discrepancy is positive and spans orders of magnitude across a design (a MID rate
    off by ×10 or ×100), so its logarithm is the smoother surface; the loss is then
    ``Σ_t w_t · exp(surface_t)``. Its leave-one-out R² combines the targets' leave-one-out predictions.
    """

    def __init__(self, weights: dict[str, float]) -> None:
        self.weights = weights
        self.parts: dict[str, QuadraticEmulator] = {}
        self.cv_r2 = float("nan")
        self.penalty = float("nan")
        self.observed = np.zeros(0)

    def fit(self, u: np.ndarray, parts: dict[str, np.ndarray]) -> LossEmulator:
        """Fit one surface per target (``parts``: target → discrepancy at each design point)."""
        self.observed = sum(self.weights.get(t, 1.0) * np.asarray(v, dtype=float) for t, v in parts.items())
        loo = np.zeros(len(u))
        for t, v in parts.items():
            if self.weights.get(t, 1.0) == 0:
                continue
            em = QuadraticEmulator().fit(u, np.log(np.maximum(np.asarray(v, dtype=float), 1e-9)))
            self.parts[t] = em
            loo += self.weights.get(t, 1.0) * np.exp(em.loo)
        ss = float(((self.observed - self.observed.mean()) ** 2).sum())
        self.cv_r2 = 1.0 - float(((self.observed - loo) ** 2).sum()) / ss if ss > 0 else float("nan")
        self.penalty = max((em.penalty for em in self.parts.values()), default=0.0)
        return self

    def predict(self, u: np.ndarray) -> np.ndarray:
        """Emulated loss at points ``u`` of the unit cube."""
        u = np.atleast_2d(u)
        return sum((self.weights.get(t, 1.0) * np.exp(em.predict(u)) for t, em in self.parts.items()),
                   np.zeros(len(u)))

    def minimise(self, starts: np.ndarray) -> tuple[np.ndarray, float]:
        """The emulated loss's minimum in the unit cube (SciPy L-BFGS-B from each start; the best wins)."""
        return minimise_in_unit_cube(self.predict, starts)


def plausible_points(ratios: list[dict[str, dict[str, float]]], band: float | None) -> np.ndarray:
    """Which design points are plausible: every dangerous-dyad ratio within ×``band`` of the real one (all, if ``band`` is None).

    Raises:
        FlashpointError: a band without dangerous-dyad ratios, a band below 1, or no plausible point.
    """
    if band is None:
        return np.ones(len(ratios), dtype=bool)
    if not (math.isfinite(band) and band >= 1):
        raise FlashpointError(f"the dangerous-dyad band must be a number of at least 1 (×{band:g} given)")
    if not ratios or not ratios[0]:
        raise FlashpointError("a dangerous-dyad band needs the dangerous-dyad target (--dyad-year)")
    lim = math.log(band)
    ok = np.array([all(v["model"] > 0 and abs(math.log(v["model"] / v["real"])) <= lim for v in r.values())
                   for r in ratios])
    if not ok.any():
        raise FlashpointError(f"no design point has every dangerous-dyad ratio within ×{band:g} of the real one: "
                              "widen the band or the search")
    return ok


def calibrate(evaluator: Evaluator, folds: int = 5, *, design_size: int = 24, world: WorldEvaluator | None = None,
              weights: dict[str, float] | None = None, seed: int = 0, min_cv_r2: float = MIN_CV_R2,
              test_runs: int | None = None, normalise: bool = False, dyad_band: float | None = None,
              on_stage: Callable[[str, int, int], None] | None = None) -> CalibrationResult:
    """Design-based SMM calibration, k-fold by crisis (see the module docstring).

    Args:
        evaluator: Runs a parameter vector on every crisis (checkpointed).
        folds: Number of folds (≥ 2).
        design_size: Design points, the defaults included.
        world: The world targets' evaluator (``None``: the ICB target only).
        weights: Weight of each target (default :data:`DEFAULT_WEIGHTS`).
        seed: Seed of the design and of the fold assignment.
        min_cv_r2: Below this leave-one-out R², the emulator is not trusted and the fit is the best design point.
        test_runs: Runs per held-out crisis when scoring a fold (``None``: the design's runs). More runs than
            the design's make the held-out forecasts nearly free of sampling noise; the defaults are then
            re-simulated on the held-out crises with the same runs, so both are scored alike.
        normalise: Divide each target's discrepancy by its value at the defaults (design point 0; for the
            ICB target on the fold's training crises), so a weight is the worth of a *relative*
            improvement and no target swamps the others by its scale (see :func:`normalised_parts`).
        dyad_band: History matching on the dangerous dyads (Vernon, Goldstein & Bower 2010; Andrianakis
            et al. 2015): only the design points whose simulated dangerous-dyad ratios all lie within
            ×``dyad_band`` of the real ones are *plausible*, and the fit is the plausible point with the
            lowest training loss — simulated, not extrapolated (an emulator's minimum can leave the
            plausible region: the fits of docs/history.md that landed on the search's corners did).
            ``None``: every point is plausible and the emulator's minimum is used as above.
        on_stage: ``(what, done, total)`` as the design points and the folds complete.

    Raises:
        FlashpointError: ``dyad_band`` without the dangerous-dyad target, or no design point is plausible.
    """
    if dyad_band is not None:  # checked before anything is simulated: a bad band is not found after an hour's design
        if not (math.isfinite(dyad_band) and dyad_band >= 1):
            raise FlashpointError(f"the dangerous-dyad band must be a number of at least 1 (×{dyad_band:g} given)")
        if world is None or world.targets.dyad_world is None:
            raise FlashpointError("a dangerous-dyad band needs the dangerous-dyad target (--dyad-year)")
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    crises, space = evaluator.crises, evaluator.space
    nos = crises.crisnos
    assign = fold_assignment(nos, folds, seed)
    x = design_points(space, design_size, seed)
    u = np.array([space.to_unit(r) for r in x])
    shares, disc, ratios = [], [], []
    for i, row in enumerate(x):
        shares.append(evaluator.shares(row))
        counts = world.counts(row) if world is not None else None
        disc.append(world.targets.discrepancies(counts) if world is not None else {})
        ratios.append(world.targets.dyad_ratios(counts) if world is not None else {})
        if on_stage:
            on_stage("design point", i + 1, len(x))

    plausible = plausible_points(ratios, dyad_band)

    def fit_on(train: list[int]) -> tuple[LossEmulator, np.ndarray, np.ndarray, str]:
        parts = {"icb": np.array([smm_loss(sh, crises, train) for sh in shares])}
        for t in disc[0]:
            parts[t] = np.array([d[t] for d in disc])
        if normalise:
            parts = normalised_parts(parts)
        em = LossEmulator(w).fit(u, parts)
        loss = em.observed
        if dyad_band is not None:  # history matching: the best simulated point of the plausible region
            best = int(np.flatnonzero(plausible)[np.argmin(loss[plausible])])
            return em, u[best], loss, "best plausible design point"
        best = int(np.argmin(loss))
        if not em.cv_r2 >= min_cv_r2:  # the surface predicts the loss no better than this: keep what was simulated
            return em, u[best], loss, "best design point"
        uhat, _ = em.minimise(np.array([u[best], np.full(u.shape[1], 0.5), u[0]]))
        return em, uhat, loss, "emulator"

    results = []
    for f in range(folds):
        train = [c for c in nos if assign[c] != f]
        test = [c for c in nos if assign[c] == f]
        em, uhat, loss, source = fit_on(train)
        xhat = space.from_unit(uhat)
        best = int(np.argmin(np.where(plausible, loss, np.inf)))
        runs_t = test_runs or evaluator.runs
        held_default = shares[0]
        if source == "emulator" or runs_t != evaluator.runs:
            sub = evaluator.subset(test, runs=runs_t)
            held = sub.shares(xhat)  # the fitted point re-simulated on the held-out crises only
            if runs_t != evaluator.runs:  # the defaults scored with as many runs as the fit
                held_default = sub.shares(space.defaults)
            evaluator.evaluations += sub.evaluations
            evaluator.reused += sub.reused
        else:  # a design point: its held-out shares are stored (each crisis's runs depend on its own seeds only)
            held = shares[best]
        refs = _references(crises, train, test)
        results.append(FoldResult(
            fold=f, train=train, test=test, fitted=space.assign(xhat), emulator_cv_r2=float(em.cv_r2),
            emulator_penalty=float(em.penalty), fit_source=source, train_loss_emulated=float(em.predict(uhat)[0]),
            train_loss_best_design=float(loss[best]), train_loss_default=float(loss[0]),
            test_icb_default=smm_loss(held_default, crises, test), test_icb_fitted=smm_loss(held, crises, test),
            train_rps={"model_best_design": _rps(shares[best], crises, train), "model_default": _rps(shares[0], crises, train),
                       **{k: v[0] for k, v in refs.items()}},
            test_rps={"model_fitted": _rps(held, crises, test), "model_default": _rps(held_default, crises, test),
                      **{k: float(v[1].mean()) for k, v in refs.items()}},
            test_rps_by_crisis={"model_fitted": _rps_each(held, crises, test).tolist(),
                                "model_default": _rps_each(held_default, crises, test).tolist(),
                                "model_fitted_fair": _fair(held, crises, test, runs_t).tolist(),
                                "model_default_fair": _fair(held_default, crises, test, runs_t).tolist(),
                                **{k: v[1].tolist() for k, v in refs.items()}}))
        if on_stage:
            on_stage("fold", f + 1, folds)
    em, uhat, loss, final_source = fit_on(nos)
    final_world = {}
    if world is not None:  # the world targets at the final fit (one more simulation): what the new defaults do
        counts = world.counts(space.from_unit(uhat))
        sim_m, _ = world.targets.moments(counts)
        final_world = {"discrepancies": world.targets.discrepancies(counts), "dyad_ratios": world.targets.dyad_ratios(counts),
                       "moments": dict(zip(world.targets.names, sim_m.round(6).tolist(), strict=True))}
    design = [{"point": i, "parameters": space.assign(row), "icb_loss": smm_loss(shares[i], crises, nos),
               **{f"{t}_loss": d for t, d in disc[i].items()}, "loss": float(loss[i]),
               **({"dyad_ratios": ratios[i]} if ratios[i] else {}),
               **({"plausible": bool(plausible[i])} if dyad_band is not None else {})} for i, row in enumerate(x)]
    meta = {"crises": len(nos), "fold_count": folds, "design_size": int(len(x)), "runs": evaluator.runs, "seed": evaluator.seed,
            "weights": w, "normalise": normalise, "dyad_band": dyad_band,
            "plausible_points": int(plausible.sum()) if dyad_band is not None else None, "test_runs": test_runs or evaluator.runs, "min_cv_r2": min_cv_r2, "final_fit_source": final_source, "targets": ["icb", *(world.targets.targets if world else [])],
            "world_moments": world.targets.names if world else [], "world_observed": world.targets.observed.round(6).tolist() if world else [],
            "world_runs": world.runs if world else None,
            "dyad_runs": world.dyad_runs if world and world.targets.dyad_world is not None else None, "model_fingerprint": evaluator.fingerprint,
            "trigger_groups": list(TRIGGER_GROUPS), "observed_icb_moments": observed_moments(crises, nos).round(6).tolist(),
            "held_out": held_out_summary(results, seed), "final_world": final_world}
    return CalibrationResult(folds=results, space_paths=space.paths, defaults=space.assign(space.defaults),
                             final=space.assign(space.from_unit(uhat)), final_cv_r2=float(em.cv_r2), design=design, meta=meta)
