"""Sobol sensitivity indices of the calibration targets over every parameter, on emulators (SALib).

Emulator-based sensitivity analysis (Oakley & O'Hagan 2004; Saltelli et al. 2008, ch. 5): a direct
Saltelli scheme needs N × (d + 2) simulations — some 3,000 for fifty parameters — which this
machine cannot afford. Instead a space-filling design over **every** numeric parameter of the
registry is simulated once (checkpointed, through the same evaluators as the calibration), a
:class:`~sim.calibration.emulator.QuadraticEmulator` of each output is fitted to it, and SALib's
Saltelli sampler and Sobol analysis (``SALib.sample.sobol``, ``SALib.analyze.sobol``) run on the
emulator, where evaluations are free. Each output reports its emulator's leave-one-out R²: the
share of the output's variance across the design that the emulator predicts out of sample. The
indices describe the emulator; they describe the model as far as that R² goes. With fewer design
points than twice the coefficients of a full quadratic, the emulator is additive, so it cannot show
interactions (ST ≈ S1 by construction): variance it misses is in ``1 − cv_r2``.

Outputs: the ICB target's moments (the mean simulated chance of at least minor clashes and of
full-scale war in each trigger group), each target's standardised discrepancy (``icb_loss``,
``mid_loss``, ``war_loss``, ``dyads_loss``), the simulated war-continuation share, the log
use-of-force ratio of each dangerous-dyad category and the calibration loss.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from sim.calibration.design import design_points
from sim.calibration.emulator import QuadraticEmulator
from sim.calibration.fit import DEFAULT_WEIGHTS
from sim.calibration.moments import TRIGGER_GROUPS, Evaluator, moments, smm_loss
from sim.calibration.targets import WorldEvaluator
from sim.errors import FlashpointError

__all__ = ["emulated_sobol", "emulator_indices", "outputs_of", "sobol_of"]


def outputs_of(shares: dict[int, np.ndarray], evaluator: Evaluator, world: WorldEvaluator | None = None,
               counts: dict[str, Any] | None = None) -> dict[str, float]:
    """The sensitivity outputs of one design point (see the module docstring)."""
    crises = evaluator.crises
    nos = crises.crisnos
    m = moments(shares, crises, nos)
    out = {}
    for g, name in enumerate(TRIGGER_GROUPS):
        if not np.isnan(m[g]).any():
            out[f"p_violence[{name}]"] = float(m[g, 1:].sum())
            out[f"p_war[{name}]"] = float(m[g, 3])
    out["icb_loss"] = smm_loss(shares, crises, nos)
    loss = DEFAULT_WEIGHTS["icb"] * out["icb_loss"]
    if world is not None and counts is not None:
        for t, d in world.targets.discrepancies(counts).items():
            out[f"{t}_loss"] = d
            loss += DEFAULT_WEIGHTS.get(t, 1.0) * d
        if counts.get("war"):
            k, n = counts["war"]
            out["war_continuation"] = k / max(n, 1)
        for cat, r in world.targets.dyad_ratios(counts).items():
            out[f"log_force_ratio[{cat}]"] = float(np.log(r["model"]))
    out["loss"] = loss
    return out


def emulated_sobol(evaluator: Evaluator, world: WorldEvaluator | None = None, *, design_size: int = 64,
                   base_samples: int = 1024, seed: int = 0,
                   on_point: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """First-order and total Sobol indices of each output over the evaluator's parameters, on emulators.

    Args:
        evaluator: Runs parameter vectors on the crises (checkpointed); its space is what is varied.
        world: The world targets' evaluator (same space), or ``None``.
        design_size: Simulated design points (the defaults included).
        base_samples: SALib's ``N`` on the emulator (a power of two).
        seed: Seed of the design, the Saltelli sample and SALib's bootstrap.
        on_point: ``(done, total)`` after each design point.

    Returns:
        ``flashpoint.sobol/2``: ``parameters``, ``design_size``, ``base_samples``, ``runs``, ``crises``,
        ``emulators`` (per output: ``cv_r2``, ``r2``, ``penalty``, ``interactions``), ``rows`` of
        ``output, parameter, S1, S1_conf, ST, ST_conf``.
    """
    if base_samples < 2 or base_samples & (base_samples - 1):
        raise FlashpointError(f"base samples must be a power of two (2, 4, 8 …), got {base_samples}")
    space = evaluator.space
    x = design_points(space, design_size, seed)
    u = np.array([space.to_unit(r) for r in x])
    rows_out = []
    for i, row in enumerate(x):
        counts = world.counts(row) if world is not None else None
        rows_out.append(outputs_of(evaluator.shares(row), evaluator, world, counts))
        if on_point is not None:
            on_point(i + 1, len(x))
    emulators, table = emulator_indices(u, {name: [r.get(name, np.nan) for r in rows_out] for name in rows_out[0]},
                                        space.paths, base_samples, seed)
    return {"schema": "flashpoint.sobol/2", "method": "emulator (quadratic response surface) + SALib Saltelli/Sobol",
            "parameters": space.paths, "design_size": int(len(x)), "base_samples": base_samples, "runs": evaluator.runs,
            "crises": len(evaluator.crises.crisnos), "world_runs": world.runs if world else None,
            "model_fingerprint": evaluator.fingerprint, "emulators": emulators, "rows": table}


def sobol_of(fn: Callable[[np.ndarray], np.ndarray], names: list[str], base_samples: int, seed: int = 0
             ) -> dict[str, np.ndarray]:
    """SALib's first-order and total indices of ``fn`` (vectorised over rows of the unit cube)."""
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    if base_samples < 2 or base_samples & (base_samples - 1):
        raise FlashpointError(f"base samples must be a power of two (2, 4, 8 …), got {base_samples}")
    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    xs = sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    si = analyze.analyze(problem, np.asarray(fn(xs), dtype=float), calc_second_order=False, seed=seed)
    return {k: np.asarray(si[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")}


def emulator_indices(u: np.ndarray, outputs: dict[str, Any], names: list[str], base_samples: int, seed: int = 0
                     ) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Fit an emulator of each output on design ``u`` (unit cube) and compute its Sobol indices.

    Returns:
        ``(emulators, rows)``: per output its emulator's ``cv_r2``, ``r2``, ``penalty``, ``interactions``,
        ``constant``; rows ``{"output", "parameter", "S1", "S1_conf", "ST", "ST_conf"}``.
    """
    d = len(names)
    emulators, table = {}, []
    for name, values in outputs.items():
        y = np.asarray(values, dtype=float)
        if not np.isfinite(y).all():
            continue
        if np.ptp(y) <= 1e-9 * max(1.0, float(np.abs(y).max())):  # constant up to rounding
            emulators[name] = {"cv_r2": None, "r2": None, "penalty": None, "interactions": False, "constant": True}
            si = {k: np.zeros(d) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            em = QuadraticEmulator().fit(u, y)
            emulators[name] = {"cv_r2": float(em.cv_r2), "r2": float(em.r2), "penalty": float(em.penalty),
                               "interactions": bool(em._pairs), "constant": False}
            si = sobol_of(em.predict, names, base_samples, seed)
        for k, p in enumerate(names):
            table.append({"output": name, "parameter": p, **{s: float(si[s][k]) for s in ("S1", "S1_conf", "ST", "ST_conf")}})
    return emulators, table
