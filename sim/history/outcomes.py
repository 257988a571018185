"""The model's runs read as ICB outcomes: violence levels and major-response classes.

Pure numpy over per-run peak rungs (from an ensemble's run table). The mapping, documented in
docs/history.md:

* **Violence level of the crisis** (ICB1 ``viol``) from the highest rung any dyad of the scenario
  reached by the horizon: rung ≤ 4 (no force used) → 1 no violence; 5 (harassment, limited violence) → 2 minor
  clashes; 6 (limited strike) → 3 serious clashes; ≥ 7 (war, and the nuclear rungs above it) →
  4 full-scale war.
* **Major-response class of a crisis actor** (ICB2 ``majres`` grouped in three) from the highest
  rung of any dyad the actor is in: ≤ 3 (statements, threats, sanctions) → non-military (``majres``
  1–5); 4 (show of force, mobilisation, alert) → non-violent military (6–7); ≥ 5 → violent (8–9).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "RESPONSE_CLASSES",
    "VIOLENCE_CLASSES",
    "actor_peaks",
    "class_shares",
    "response_class",
    "response_class_of_majres",
    "violence_class",
]

#: The four ICB violence levels, in order (index 0 = ICB code 1).
VIOLENCE_CLASSES: tuple[str, ...] = ("none", "minor", "serious", "war")
#: The three major-response classes, in order of force.
RESPONSE_CLASSES: tuple[str, ...] = ("non-military", "non-violent military", "violent")


def violence_class(peak: np.ndarray) -> np.ndarray:
    """The 0-based violence class (0 none … 3 war) of each run's highest rung."""
    p = np.asarray(peak)
    return np.select([p <= 4, p == 5, p == 6], [0, 1, 2], default=3).astype(np.int8)


def response_class(peak: np.ndarray) -> np.ndarray:
    """The 0-based response class (0 non-military, 1 non-violent military, 2 violent) of actor peaks."""
    p = np.asarray(peak)
    return np.select([p <= 3, p == 4], [0, 1], default=2).astype(np.int8)


def response_class_of_majres(majres: int | None) -> int | None:
    """ICB2 ``majres`` (1–9) as a 0-based response class, or ``None`` when blank or unknown."""
    if majres is None or not 1 <= majres <= 9:
        return None
    return 0 if majres <= 5 else 1 if majres <= 7 else 2


def actor_peaks(dyad_peaks: np.ndarray, n: int) -> np.ndarray:
    """Per run and actor, the highest rung of the dyads the actor is in.

    Args:
        dyad_peaks: ``runs × D`` peak rungs of the dyads, in the upper-triangle order of
            ``numpy.triu_indices(n, 1)``.
        n: Number of actors.
    """
    peaks = np.asarray(dyad_peaks)
    out = np.zeros((peaks.shape[0], n), dtype=peaks.dtype)
    i, j = np.triu_indices(n, 1)
    for k in range(len(i)):
        np.maximum(out[:, i[k]], peaks[:, k], out=out[:, i[k]])
        np.maximum(out[:, j[k]], peaks[:, k], out=out[:, j[k]])
    return out


def class_shares(classes: np.ndarray, k: int) -> np.ndarray:
    """The share of runs in each of ``k`` classes (along the first axis; a vector per column)."""
    c = np.asarray(classes)
    if c.shape[0] == 0:
        raise ValueError("no runs to count")
    counts = np.stack([(c == q).sum(axis=0) for q in range(k)], axis=-1)
    return counts / c.shape[0]
