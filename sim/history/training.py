"""The shipped ICB training crises (a subset of ICB v14) and what is derived from them.

``sim/data/icb/`` holds the training rows in the ICB layout, reduced to the columns Flashpoint reads
(built by ``scripts/build_icb.py``). They serve as the training crises of the reference models in
``flashpoint icb score`` when the scored file is not split into folds, and as the source of the
typical crisis durations that set scenario horizons (so a scenario's horizon never depends on how
that crisis ended).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sim.history.icb import IcbData, read_icb
from sim.history.mapping import typical_durations

__all__ = ["TRAINING_ACTORS", "TRAINING_DIR", "TRAINING_SYSTEM", "load_training", "training_durations"]

#: Folder of the shipped ICB tables, inside the package.
TRAINING_DIR: Path = Path(__file__).resolve().parent.parent / "data" / "icb"
#: System-level training rows (ICB1 layout).
TRAINING_SYSTEM: Path = TRAINING_DIR / "icb1_v14_training.csv"
#: Actor-level training rows (ICB2 layout).
TRAINING_ACTORS: Path = TRAINING_DIR / "icb2_v14_training.csv"


@lru_cache(maxsize=1)
def load_training() -> IcbData:
    """The shipped training crises (read once per process)."""
    return read_icb(TRAINING_SYSTEM, TRAINING_ACTORS)


@lru_cache(maxsize=1)
def training_durations() -> dict[int | None, int]:
    """Median trigger-to-termination days of the training crises by trigger type (``None``: all)."""
    return typical_durations(load_training().crises)
