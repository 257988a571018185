"""Fitting the model to history: simulated method of moments, k-fold, and Sobol sensitivity.

Key parts: the parameters varied, read from the registry (:mod:`sim.calibration.space`), the
targets and the checkpointed simulated moments (:mod:`sim.calibration.moments`), the k-fold SMM fit
with SciPy (:mod:`sim.calibration.fit`) and Sobol indices with SALib (:mod:`sim.calibration.sobol`).
Front ends: ``scripts/calibrate.py`` and ``scripts/sensitivity.py``. See docs/history.md.
"""

from __future__ import annotations

from sim.calibration.fit import CalibrationResult, FoldResult, calibrate, fold_assignment
from sim.calibration.moments import TRIGGER_GROUPS, CrisisSet, Evaluator, smm_loss
from sim.calibration.sobol import sobol_indices
from sim.calibration.space import Dimension, ParameterSpace, model_fingerprint, parameter_space

__all__ = [
    "TRIGGER_GROUPS",
    "CalibrationResult",
    "CrisisSet",
    "Dimension",
    "Evaluator",
    "FoldResult",
    "ParameterSpace",
    "calibrate",
    "fold_assignment",
    "model_fingerprint",
    "parameter_space",
    "smm_loss",
    "sobol_indices",
]
