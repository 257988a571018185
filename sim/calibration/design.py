"""Space-filling designs over a parameter space, and a design size set by a time budget.

Design-based calibration simulates each design point **once** (on every calibration crisis and the
world targets) and reuses the stored moments for every fold and for the emulator, instead of paying
for a fresh simulation at every step of an optimiser. The design is a scrambled Sobol' sequence of
SciPy (``scipy.stats.qmc.Sobol``, seeded): low discrepancy at any size, so a design cut short by a
budget is still space-filling. Point 0 is always the registered defaults (the reference every fold
is compared with).
"""

from __future__ import annotations

import math

import numpy as np

from sim.calibration.space import ParameterSpace
from sim.errors import FlashpointError

__all__ = ["design_points", "design_size"]


def design_points(space: ParameterSpace, n: int, seed: int = 0, *, include_defaults: bool = True) -> np.ndarray:
    """``n`` points in natural units (rows), space-filling over the ranges; row 0 the defaults if asked.

    Raises:
        FlashpointError: ``n`` too small.
    """
    from scipy.stats import qmc

    if n < 2:
        raise FlashpointError(f"a design needs at least 2 points, got {n}")
    m = n - 1 if include_defaults else n
    sampler = qmc.Sobol(d=len(space.dims), scramble=True, seed=np.random.default_rng(np.random.SeedSequence([seed, 0xD35])))
    # draw the next power of two (Sobol' balance) and keep the first m: still low discrepancy
    u = sampler.random(2 ** max(1, math.ceil(math.log2(max(m, 2)))))[:m]
    pts = np.array([space.from_unit(r) for r in u])
    if include_defaults:
        pts = np.vstack([space.defaults[None, :], pts])
    return pts


def design_size(seconds_per_point: float, budget_minutes: float, *, fixed_seconds: float = 0.0,
                least: int = 8, most: int = 40) -> int:
    """How many design points fit in a budget: ``(budget − fixed) / seconds per point``, within [least, most].

    Args:
        seconds_per_point: Measured (or estimated) cost of simulating one design point.
        budget_minutes: Wall-clock budget of the whole pass.
        fixed_seconds: Work that does not scale with the design (the held-out re-simulations …).
        least: Fewest points (an emulator needs some).
        most: Most points (beyond this the emulator gains little).
    """
    if seconds_per_point <= 0:
        raise FlashpointError("the cost of a design point must be positive")
    n = int((budget_minutes * 60.0 - fixed_seconds) // seconds_per_point)
    return int(min(most, max(least, n)))
