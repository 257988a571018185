"""Calibration targets and simulated moments, with resumable checkpoints.

The target is the **ICB violence distribution by crisis type**: for each trigger group (non-violent
triggers, ICB types 1–6; non-violent military, 7; violent, 8–9), the share of the crises at each of
the four violence levels. The simulated moment is the same share averaged over the crises' run
forecasts (:func:`sim.history.evaluate.simulate`). Every parameter vector is run on every crisis of
the :class:`CrisisSet` once, with the same seeds (common random numbers): folds then take subsets,
and an optimiser that comes back to a point pays nothing.

:class:`Evaluator` keeps one JSON file per evaluation in its checkpoint folder, keyed by a hash of
the parameter values, the crises, runs, seed and the model's source fingerprint; a calibration
interrupted and started again resumes from them. The runs go to any ensemble executor (local
processes or Dask) and give the same numbers on each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim.calibration.checkpoint import load_checkpoint, prepare_folder, save_checkpoint
from sim.calibration.space import ParameterSpace, key_of, model_fingerprint
from sim.errors import FlashpointError
from sim.history.icb import IcbData
from sim.history.outcomes import VIOLENCE_CLASSES
from sim.scenario.schema import Scenario

__all__ = ["TRIGGER_GROUPS", "CrisisSet", "Evaluator", "moments", "smm_loss"]

#: Crisis types of the targets: ICB trigger types in each group.
TRIGGER_GROUPS: dict[str, tuple[int, ...]] = {"non-violent": (1, 2, 3, 4, 5, 6), "non-violent military": (7,),
                                              "violent": (8, 9)}


def _group_of(trigger_type: int | None) -> int | None:
    for g, types in enumerate(TRIGGER_GROUPS.values()):
        if trigger_type in types:
            return g
    return None


@dataclass
class CrisisSet:
    """Crises to calibrate on: scenarios, observed violence class (0–3), trigger group, features.

    The features are the reference models' (:func:`sim.history.reference.crisis_features`).
    """

    scenarios: dict[int, Scenario]
    observed: dict[int, int]
    group: dict[int, int]
    features: dict[int, dict[str, float]] = field(default_factory=dict)

    @property
    def crisnos(self) -> list[int]:
        """Crisis numbers, ascending."""
        return sorted(self.scenarios)

    @classmethod
    def from_icb(cls, data: IcbData, limit: int | None = None, seed: int = 0) -> CrisisSet:
        """The mappable crises of ``data`` with an observed violence level and a trigger type.

        Args:
            data: ICB rows.
            limit: Keep a seeded random sample of this many crises (``None``: all).
            seed: Seed of the sample.
        """
        from sim.catalog import load_catalog
        from sim.history.build import map_icb
        from sim.history.reference import crisis_features

        cat = load_catalog()
        by_ccode = {cat.resolve(c): c for c in cat.known_codes()}
        res = map_icb(data, catalog=cat)
        out = cls({}, {}, {})
        for m in res.mapped:
            c = data.crisis(m.crisno)
            g = _group_of(c.trigger_type)
            if c.violence in (1, 2, 3, 4) and g is not None:
                out.scenarios[c.crisno], out.observed[c.crisno], out.group[c.crisno] = res.scenarios[c.crisno], c.violence - 1, g
                out.features[c.crisno] = crisis_features(c, data.actors_of(c.crisno), cat, by_ccode)
        if limit is not None and limit < len(out.scenarios):
            keep = np.random.default_rng(np.random.SeedSequence([seed, 0x5A3])).choice(out.crisnos, size=limit, replace=False)
            out = out.subset(sorted(int(k) for k in keep))
        if not out.scenarios:
            raise FlashpointError("no crisis to calibrate on (none is mappable with a violence level and a trigger type)")
        return out

    def subset(self, crisnos: Sequence[int]) -> CrisisSet:
        """The crises numbered ``crisnos``."""
        return CrisisSet({c: self.scenarios[c] for c in crisnos}, {c: self.observed[c] for c in crisnos},
                         {c: self.group[c] for c in crisnos}, {c: self.features[c] for c in crisnos if c in self.features})


def moments(shares: dict[int, np.ndarray], crises: CrisisSet, crisnos: Sequence[int]) -> np.ndarray:
    """Per trigger group, the mean of ``shares`` (4 classes) over ``crisnos``: ``groups × 4`` (NaN: empty group)."""
    out = np.full((len(TRIGGER_GROUPS), len(VIOLENCE_CLASSES)), np.nan)
    for g in range(len(TRIGGER_GROUPS)):
        rows = [shares[c] for c in crisnos if crises.group[c] == g]
        if rows:
            out[g] = np.mean(rows, axis=0)
    return out


def observed_moments(crises: CrisisSet, crisnos: Sequence[int]) -> np.ndarray:
    """Per trigger group, the observed share of each violence level over ``crisnos``."""
    eye = np.eye(len(VIOLENCE_CLASSES))
    return moments({c: eye[crises.observed[c]] for c in crisnos}, crises, crisnos)


def smm_loss(shares: dict[int, np.ndarray], crises: CrisisSet, crisnos: Sequence[int]) -> float:
    """The ICB target's standardised discrepancy over ``crisnos``.

    The mean, over trigger groups with crises and violence levels, of (simulated − observed share)²
    divided by the observed share's sampling variance p̃(1 − p̃)/n_g, where p̃ = (k + ½)/(n_g + 1)
    keeps an empty level's variance above zero (diagonal SMM weighting).
    """
    sim, obs = moments(shares, crises, crisnos), observed_moments(crises, crisnos)
    n = np.array([sum(1 for c in crisnos if crises.group[c] == g) for g in range(len(TRIGGER_GROUPS))], dtype=float)
    rows = n > 0
    if not rows.any():
        raise FlashpointError("no crisis to compute the ICB moments on")
    k = obs[rows] * n[rows, None]
    pt = (k + 0.5) / (n[rows, None] + 1.0)
    var = pt * (1.0 - pt) / n[rows, None]
    return float(((sim[rows] - obs[rows]) ** 2 / var).mean())


@dataclass
class Evaluator:
    """Runs a parameter vector on every crisis of a set (once: checkpointed) and returns per-crisis shares.

    Attributes:
        crises: The crises.
        space: The parameters varied.
        runs: Replications per crisis and evaluation.
        seed: Master seed (the same for every evaluation: common random numbers).
        executor: An ensemble executor name, or an open :class:`~sim.ensemble.executors.ExecutorHandle`
            (reused across evaluations).
        workers: Worker processes.
        scheduler: Dask scheduler address.
        checkpoints: Folder for one JSON per evaluation (``None``: keep in memory only).
        progress: ``progress(done, total)`` over the runs of one evaluation.
    """

    crises: CrisisSet
    space: ParameterSpace
    runs: int = 20
    seed: int = 0
    executor: Any = "process"
    workers: int | None = None
    scheduler: str | None = None
    checkpoints: Path | None = None
    progress: Callable[[int, int], None] | None = None
    evaluations: int = 0
    reused: int = 0
    _memory: dict[str, dict[int, np.ndarray]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.fingerprint = model_fingerprint()
        self.checkpoints = prepare_folder(self.checkpoints)

    def subset(self, crisnos: Sequence[int], runs: int | None = None) -> Evaluator:
        """An evaluator of the same settings (executor, seeds, checkpoints) on some of the crises (``runs``: other runs)."""
        return Evaluator(self.crises.subset(crisnos), self.space, runs=runs or self.runs, seed=self.seed, executor=self.executor,
                         workers=self.workers, scheduler=self.scheduler, checkpoints=self.checkpoints,
                         progress=self.progress)

    def key(self, x: Sequence[float]) -> str:
        """The checkpoint key of natural values ``x``."""
        return key_of({"parameters": self.space.assign(x), "crises": self.crises.crisnos, "runs": self.runs,
                       "seed": self.seed, "model": self.fingerprint})

    def shares(self, x: Sequence[float]) -> dict[int, np.ndarray]:
        """Per crisis, the share of runs at each violence level under parameter values ``x``."""
        from sim.history.evaluate import simulate

        k = self.key(x)
        if k in self._memory:
            self.reused += 1
            return self._memory[k]
        doc = load_checkpoint(self.checkpoints, k)
        if doc is not None:
            try:
                got = {int(c): np.asarray(v, dtype=float) for c, v in doc["shares"].items()}
            except (ValueError, KeyError, TypeError, AttributeError):
                got = None  # a damaged checkpoint is recomputed
            if got is not None and set(got) == set(self.crises.crisnos):
                self._memory[k] = got
                self.reused += 1
                return got
        nos = self.crises.crisnos
        scs = [self.space.apply(self.crises.scenarios[c], x) for c in nos]
        sims = simulate(scs, self.runs, self.seed, executor=self.executor, workers=self.workers,
                        scheduler=self.scheduler, progress=self.progress)
        got = {}
        for c, s in zip(nos, sims, strict=True):
            if s["violence"] is None:
                raise FlashpointError(f"no run of crisis {c} finished under {self.space.assign(x)}")
            got[c] = np.asarray(s["violence"], dtype=float)
        self.evaluations += 1
        self._memory[k] = got
        save_checkpoint(self.checkpoints, k, {"parameters": self.space.assign(x), "runs": self.runs, "seed": self.seed,
                                              "model": self.fingerprint,
                                              "shares": {str(c): [float(v) for v in got[c]] for c in nos}})
        return got
