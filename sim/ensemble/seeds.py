"""The seed hierarchy of an ensemble: one master seed, one child seed per replication.

Replication ``k`` of an ensemble with master seed ``S`` runs with
``int(numpy.random.SeedSequence(S).spawn(runs)[k].generate_state(1)[0])``. The child seeds depend
only on ``S`` and ``k`` (``spawn`` is prefix-stable: the first 100 seeds of a 1,000-run ensemble
are the seeds of the 100-run ensemble), so a run can be replayed alone with ``flashpoint run
--seed``, and a baseline and its variants share seeds (common random numbers).
"""

from __future__ import annotations

import numpy as np

__all__ = ["child_seeds", "MAX_RUNS"]

#: The largest ensemble accepted (a documented limit; see docs/cli.md).
MAX_RUNS = 1_000_000


def child_seeds(seed: int, runs: int) -> list[int]:
    """Return the run seeds of replications ``0 … runs-1`` of an ensemble with master ``seed``.

    Args:
        seed: The ensemble's master seed (a non-negative integer).
        runs: Number of replications.

    Returns:
        ``runs`` integers in ``[0, 2**32)``, one per replication, in replication order.

    Raises:
        ValueError: if ``seed`` is negative or ``runs`` is negative or above :data:`MAX_RUNS`.
    """
    if int(seed) < 0:
        raise ValueError(f"the seed must be a non-negative integer, got {seed}")
    if not 0 <= int(runs) <= MAX_RUNS:
        raise ValueError(f"runs must be between 0 and {MAX_RUNS:,}, got {runs}")
    children = np.random.SeedSequence(int(seed)).spawn(int(runs))
    return [int(c.generate_state(1)[0]) for c in children]
