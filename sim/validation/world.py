"""Per-dyad predictions for a year: every dyad's yearly chance of a new dispute at each MID level.

:func:`world_predictions` builds the world of a catalog year (every COW state, its alliances,
contiguity, rivalries; nothing scripted — :func:`sim.scenario.generate.world_scenario`), runs it
for one year over seeded replications on the ensemble executors and returns one row per dyad:
``ccode1, ccode2, abb, p_threat, p_display, p_force, p_war`` — the share of runs with a new
dispute at that hostility level (:mod:`sim.validation.onsets`), scaled to exactly one year. These
are the predictions ``flashpoint world`` writes and that :mod:`sim.validation.history` scores
against the year's real disputes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.validation.onsets import LEVELS, measure_onsets

__all__ = ["WorldPredictions", "world_predictions", "check_year", "COLUMNS"]

#: Columns of the per-dyad table.
COLUMNS = ["ccode1", "ccode2", "abb", *(f"p_{lv}" for lv in LEVELS)]

Progress = Callable[[int, int], None]


@dataclass
class WorldPredictions:
    """The predictions of one year (see :func:`world_predictions`)."""

    year: int
    runs: int
    seed: int
    rungs: dict[str, int]
    table: pd.DataFrame
    seconds: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return the ``--json`` object (schema ``flashpoint.world/1``, docs/cli.md)."""
        return {"schema": "flashpoint.world/1", "year": self.year, "runs": self.runs, "seed": self.seed,
                "rungs": self.rungs, "dyad_count": len(self.table), "seconds": round(self.seconds, 3),
                "dyads": self.table.to_dict(orient="records"), **self.meta}


def check_year(year: int) -> int:
    """``year`` if the catalog covers it, else a :class:`~sim.errors.FlashpointError` saying which years it does."""
    from sim.catalog import load_catalog
    from sim.errors import FlashpointError

    cat = load_catalog()
    if not cat.first_year <= int(year) <= cat.last_year:
        raise FlashpointError(f"--year {year}: outside the catalog, which covers {cat.first_year}–{cat.last_year} "
                              "(COW National Material Capabilities)")
    if len(cat.codes(int(year))) < 2:
        raise FlashpointError(f"--year {year}: fewer than two states in the catalog that year")
    return int(year)


def world_predictions(year: int, runs: int = 100, seed: int = 0, *, executor: Any = "process",
                      workers: int | None = None, progress: Progress | None = None,
                      codes: list[str] | None = None) -> WorldPredictions:
    """Predict every dyad's yearly probability of a new dispute at each MID hostility level in ``year``.

    Args:
        year: A catalog year (1816–2022).
        runs: Seeded one-year replications.
        seed: Master seed (replication k uses child seed k).
        executor: Ensemble executor (``"process"``, ``"inprocess"``, ``"dask"`` or an executor).
        workers: Worker processes.
        progress: ``progress(done, total)``.
        codes: Only these states (default: every state of the year).

    Raises:
        FlashpointError: a year outside the catalog, bad runs.
    """
    import time

    from sim.catalog import load_catalog
    from sim.scenario.generate import world_scenario

    year = check_year(year)
    cat = load_catalog()
    sc = world_scenario(year, horizon=52, codes=codes)
    t0 = time.perf_counter()
    (o,) = measure_onsets([sc], runs, seed, labels=[f"world-{year}"], executor=executor, workers=workers,
                          progress=progress)
    seconds = time.perf_counter() - t0
    ccode = np.array([cat.state(c, year).ccode for c in sc.codes])
    iu = np.triu_indices(len(sc.codes), 1)
    a, b = ccode[iu[0]], ccode[iu[1]]
    swap = a > b
    df = pd.DataFrame({"ccode1": np.where(swap, b, a), "ccode2": np.where(swap, a, b),
                       "abb": [f"{sc.codes[i]}–{sc.codes[j]}" if not s else f"{sc.codes[j]}–{sc.codes[i]}"
                               for i, j, s in zip(iu[0].tolist(), iu[1].tolist(), swap.tolist(), strict=True)]})
    for lv in LEVELS:
        df[f"p_{lv}"] = o.yearly(lv).astype(float)
    df = df.sort_values(["ccode1", "ccode2"]).reset_index(drop=True)
    return WorldPredictions(year=year, runs=o.runs, seed=int(seed), rungs=dict(o.rungs), table=df, seconds=seconds,
                            meta={"failed": len(o.failures), "states": len(sc.codes),
                                  "definition": "share of seeded one-year runs in which the dyad's rung newly reaches "
                                                "the first rung of the level from below, scaled to 365.25 days"})
