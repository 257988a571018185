"""What one run contributes to an ensemble: a compact, picklable digest of its outcomes.

A :class:`RunDigest` is plain numpy data (no model objects), produced by the ensemble layer in
the worker that ran the model and shipped back to the process that aggregates. Runs that were
stepped together travel as one :class:`RunBatch`: the same arrays with a leading run axis, which
pickles and folds into an aggregate in bulk (a digest per run is a view into it). Dyadic arrays hold
the upper triangle of an ``N × N`` matrix in scenario order (``i < j``, row-major, the order of
``numpy.triu_indices(N, 1)``); dyad ``k`` is named ``f"{codes[i]}–{codes[j]}"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from sim.scales import BANDS, TIMED_BANDS

__all__ = ["RunDigest", "RunBatch", "Layout", "BAND_RUNGS", "BAND_WORDS", "SERIES", "SYSTEM"]

#: Ladder bands whose first step each run records (first rung of each band), in digest order
#: (:data:`sim.scales.TIMED_BANDS`).
BAND_RUNGS: dict[str, int] = {b.key: b.rung for b in TIMED_BANDS}
#: How each reported band reads in a sentence (:data:`sim.scales.BANDS`): ``use of force (rung ≥5)`` ….
BAND_WORDS: dict[str, str] = {b.key: b.words for b in BANDS}
#: Continuous per-actor series kept for fan charts, in digest order.
SERIES: tuple[str, ...] = ("milex", "capability", "max_threat")
#: Per-step system metrics, in digest order (``max_level`` is an integer rung).
SYSTEM: tuple[str, ...] = ("max_level", "mean_threat", "dyads_violent", "dyads_war")


@dataclass(frozen=True)
class Layout:
    """Who is in an ensemble: actor codes (scenario order), the dyads, the steps and their dates."""

    codes: tuple[str, ...]
    horizon: int
    dates: tuple[str, ...]

    @cached_property
    def n(self) -> int:
        """Number of actors."""
        return len(self.codes)

    @cached_property
    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column indices of the dyads (``numpy.triu_indices(n, 1)``)."""
        return np.triu_indices(self.n, 1)

    @cached_property
    def dyads(self) -> list[str]:
        """Dyad names, ``A–B`` with A before B in scenario order."""
        i, j = self.pairs
        return [f"{self.codes[a]}–{self.codes[b]}" for a, b in zip(i.tolist(), j.tolist(), strict=True)]

    @property
    def d(self) -> int:
        """Number of dyads."""
        return self.n * (self.n - 1) // 2

    def dyad_index(self, name: str) -> int:
        """Return the index of dyad ``name`` (``USA–RUS`` and ``RUS–USA`` both work; ``-`` for ``–`` too).

        Raises:
            KeyError: if either code is not an actor of the ensemble.
        """
        parts = name.replace("-", "–").split("–")
        if len(parts) != 2:
            raise KeyError(f"a dyad is written A–B, got '{name}'")
        a, b = (p.strip().upper() for p in parts)
        pos = {c: k for k, c in enumerate(self.codes)}
        if a not in pos or b not in pos or a == b:
            raise KeyError(f"no dyad '{name}' (actors: {', '.join(self.codes)})")
        i, j = sorted((pos[a], pos[b]))
        # index in the row-major upper triangle
        return i * self.n - i * (i + 1) // 2 + (j - i - 1)

    def to_json(self) -> dict:
        """Plain data for manifests."""
        return {"codes": list(self.codes), "horizon": self.horizon, "dates": list(self.dates)}


@dataclass
class RunDigest:
    """The outcomes of one run that an ensemble keeps (see the module docstring for the layout).

    Attributes:
        seed: The run's seed.
        codes: Actor codes in scenario order.
        peak: Highest rung per dyad over the run, int8 ``(D,)``.
        final: Rung per dyad at the horizon, int8 ``(D,)``.
        first: First step at which each timed band was reached, int16 ``(3, D)`` (:data:`BAND_RUNGS`:
            use of force, war, nuclear use; ``-1``: never).
        alliance_new: A defence pledge of at least 0.5 formed during the run, bool ``(D,)``.
        alliance_lost: A defence pledge of at least 0.5 lapsed during the run, bool ``(D,)``.
        milex_change: Relative change of military spending from the first to the last step,
            float32 ``(N,)`` (0.1 = +10 %).
        series: Per-step per-actor continuous series (:data:`SERIES`), float32 ``(3, H+1, N)``.
        actor_level: Per-step highest rung of any dyad of each actor, int8 ``(H+1, N)``.
        system: Per-step system metrics (:data:`SYSTEM`), float32 ``(4, H+1)``.
        levels: Per-step rung of each dyad, int8 ``(H+1, D)``, or ``None`` when not recorded.
        tension: Per-step tension of each dyad — the higher of the two directed threats
            ``max(threat[i, j], threat[j, i])``, 0–1 — float32 ``(H+1, D)``, or ``None`` when not
            recorded (recorded with ``levels``).
        support: Highest degree of support each state gave each partner during the run, int8
            ``(N, N)`` (row: supporter, column: partner; 0 none, 1 statement, 2 arms, 3 troops,
            4 joined the partner's fight — :data:`SUPPORT_LEVELS`), or ``None`` when the run
            function did not record it.
        seconds: Wall time of the run in the worker.
    """

    seed: int
    codes: tuple[str, ...]
    peak: np.ndarray
    final: np.ndarray
    first: np.ndarray
    alliance_new: np.ndarray
    alliance_lost: np.ndarray
    milex_change: np.ndarray
    series: np.ndarray
    actor_level: np.ndarray
    system: np.ndarray
    levels: np.ndarray | None = None
    tension: np.ndarray | None = None
    support: np.ndarray | None = None
    seconds: float = 0.0

    @property
    def horizon(self) -> int:
        """Number of steps simulated."""
        return int(self.system.shape[1]) - 1


#: The per-run arrays of a digest, in :class:`RunBatch` order (``levels``/``tension``/``support`` may be absent).
DIGEST_ARRAYS: tuple[str, ...] = ("peak", "final", "first", "alliance_new", "alliance_lost", "milex_change", "series",
                                  "actor_level", "system", "levels", "tension", "support")


@dataclass
class RunBatch:
    """Digests of several runs of one scenario, stacked.

    Every array of :class:`RunDigest` with a leading run axis (``peak`` is ``(R, D)``, ``series``
    ``(R, 3, H+1, N)`` …), plus ``seeds`` and ``seconds`` of shape ``(R,)``.

    A batch pickles as a dozen arrays however many runs it holds, which is what makes shipping the
    results of a task from a worker cheap (measured for 250 founding runs: 0.5 ms to pickle and
    0.5 ms to unpickle as a batch, 24 ms and 16 ms as a list of digests).
    """

    seeds: np.ndarray
    codes: tuple[str, ...]
    peak: np.ndarray
    final: np.ndarray
    first: np.ndarray
    alliance_new: np.ndarray
    alliance_lost: np.ndarray
    milex_change: np.ndarray
    series: np.ndarray
    actor_level: np.ndarray
    system: np.ndarray
    levels: np.ndarray | None = None
    tension: np.ndarray | None = None
    support: np.ndarray | None = None
    seconds: np.ndarray | None = None

    def __len__(self) -> int:
        return int(len(self.seeds))

    def digest(self, r: int) -> RunDigest:
        """Run ``r`` of the batch as a :class:`RunDigest` (its arrays are views into the batch)."""
        arrays = {k: (None if getattr(self, k) is None else getattr(self, k)[r]) for k in DIGEST_ARRAYS}
        secs = 0.0 if self.seconds is None else float(self.seconds[r])
        return RunDigest(seed=int(self.seeds[r]), codes=self.codes, seconds=secs, **arrays)

    def rows(self, a: int, b: int) -> RunBatch:
        """Runs ``a … b-1`` of the batch (views)."""
        arrays = {k: (None if getattr(self, k) is None else getattr(self, k)[a:b]) for k in DIGEST_ARRAYS}
        secs = None if self.seconds is None else self.seconds[a:b]
        return RunBatch(seeds=self.seeds[a:b], codes=self.codes, seconds=secs, **arrays)

    @classmethod
    def stack(cls, digests: list[RunDigest]) -> RunBatch:
        """Stack digests of runs of one scenario (all with or all without dyad trajectories)."""
        if not digests:
            raise ValueError("no digest to stack")
        codes = tuple(digests[0].codes)
        for dg in digests:
            if tuple(dg.codes) != codes:
                raise ValueError(f"runs with different actors cannot be stacked: {dg.codes} and {codes}")
        arrays = {}
        for k in DIGEST_ARRAYS:
            vals = [getattr(dg, k) for dg in digests]
            if any(v is None for v in vals):
                arrays[k] = None
            else:
                arrays[k] = np.stack(vals)
        return cls(seeds=np.array([dg.seed for dg in digests], dtype=np.int64), codes=codes,
                   seconds=np.array([dg.seconds for dg in digests], dtype=float), **arrays)
