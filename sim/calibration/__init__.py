"""Fitting the model to history: design-based simulated method of moments, k-fold, and Sobol sensitivity.

Key parts: the parameters varied, read from the registry (:mod:`sim.calibration.space`), space-filling
designs sized by a budget (:mod:`sim.calibration.design`), the ICB target and its checkpointed
per-crisis moments (:mod:`sim.calibration.moments`), the world targets — MID onsets and war
continuation (:mod:`sim.calibration.targets`), the quadratic emulator
(:mod:`sim.calibration.emulator`), the k-fold fit (:mod:`sim.calibration.fit`), emulator-based
Sobol indices with SALib (:mod:`sim.calibration.sobol`) and the markdown renderer of their results
(:mod:`sim.calibration.report`). Front ends: ``scripts/calibrate.py`` and ``scripts/sensitivity.py``.
See docs/history.md.
"""

from __future__ import annotations

from sim.calibration.design import design_points, design_size
from sim.calibration.emulator import QuadraticEmulator
from sim.calibration.fit import (
    DEFAULT_WEIGHTS,
    CalibrationResult,
    FoldResult,
    calibrate,
    fold_assignment,
)
from sim.calibration.moments import TRIGGER_GROUPS, CrisisSet, Evaluator, smm_loss
from sim.calibration.report import render_markdown
from sim.calibration.sobol import emulated_sobol
from sim.calibration.space import Dimension, ParameterSpace, model_fingerprint, parameter_space
from sim.calibration.targets import WorldEvaluator, WorldTargets

__all__ = [
    "DEFAULT_WEIGHTS",
    "TRIGGER_GROUPS",
    "CalibrationResult",
    "CrisisSet",
    "Dimension",
    "Evaluator",
    "FoldResult",
    "ParameterSpace",
    "QuadraticEmulator",
    "WorldEvaluator",
    "WorldTargets",
    "calibrate",
    "design_points",
    "design_size",
    "emulated_sobol",
    "fold_assignment",
    "model_fingerprint",
    "parameter_space",
    "render_markdown",
    "smm_loss",
]
