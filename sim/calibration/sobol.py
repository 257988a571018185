"""Sobol sensitivity indices of the calibration targets over the parameters (SALib).

Saltelli's scheme as SALib implements it (``SALib.sample.sobol`` and ``SALib.analyze.sobol``):
``N × (d + 2)`` parameter vectors, each run on every crisis through the checkpointed
:class:`~sim.calibration.moments.Evaluator`; first-order (S1) and total (ST) indices with their
bootstrap confidence half-widths, for each output:

* ``p_violence[<group>]``: the mean simulated chance of at least minor clashes over the crises of a
  trigger group;
* ``p_war[<group>]``: the same for full-scale war;
* ``smm_loss``: the calibration objective over all crises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from sim.calibration.moments import TRIGGER_GROUPS, Evaluator, moments, smm_loss
from sim.errors import FlashpointError

__all__ = ["outputs_of", "sobol_indices"]


def outputs_of(shares: dict[int, np.ndarray], evaluator: Evaluator) -> dict[str, float]:
    """The sensitivity outputs of one evaluation (see the module docstring)."""
    crises = evaluator.crises
    nos = crises.crisnos
    m = moments(shares, crises, nos)
    out = {}
    for g, name in enumerate(TRIGGER_GROUPS):
        if not np.isnan(m[g]).any():
            out[f"p_violence[{name}]"] = float(m[g, 1:].sum())
            out[f"p_war[{name}]"] = float(m[g, 3])
    out["smm_loss"] = smm_loss(shares, crises, nos)
    return out


def sobol_indices(evaluator: Evaluator, base_samples: int = 64, *, seed: int = 0,
                  on_evaluation: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """First-order and total Sobol indices of each output over the evaluator's parameters.

    Args:
        evaluator: Runs parameter vectors on the crises (checkpointed).
        base_samples: SALib's ``N`` (a power of two); ``N × (d + 2)`` evaluations.
        seed: Seed of the Sobol sequence's scrambling and of SALib's bootstrap.
        on_evaluation: ``(done, total)`` after each evaluation.

    Returns:
        ``{"schema", "parameters", "base_samples", "evaluations", "runs", "crises", "rows"}`` with rows
        ``{"output", "parameter", "S1", "S1_conf", "ST", "ST_conf"}``.
    """
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    if base_samples < 2 or base_samples & (base_samples - 1):
        raise FlashpointError(f"base samples must be a power of two (2, 4, 8 …), got {base_samples}")
    space = evaluator.space
    problem = {"num_vars": len(space.dims), "names": space.paths, "bounds": space.bounds.tolist()}
    x = sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    rows_out: list[dict[str, float]] = []
    for i, row in enumerate(x):
        rows_out.append(outputs_of(evaluator.shares(space.from_unit(space.to_unit(row))), evaluator))
        if on_evaluation is not None:
            on_evaluation(i + 1, len(x))
    table = []
    for name in rows_out[0]:
        y = np.array([r[name] for r in rows_out], dtype=float)
        if np.ptp(y) == 0:
            si = {"S1": np.zeros(len(space.dims)), "S1_conf": np.zeros(len(space.dims)),
                  "ST": np.zeros(len(space.dims)), "ST_conf": np.zeros(len(space.dims))}
        else:
            si = analyze.analyze(problem, y, calc_second_order=False, seed=seed)
        for k, p in enumerate(space.paths):
            table.append({"output": name, "parameter": p, **{s: float(si[s][k]) for s in ("S1", "S1_conf", "ST", "ST_conf")}})
    return {"schema": "flashpoint.sobol/1", "parameters": space.paths, "base_samples": base_samples,
            "evaluations": len(x), "runs": evaluator.runs, "crises": len(evaluator.crises.crisnos),
            "model_fingerprint": evaluator.fingerprint, "rows": table}
