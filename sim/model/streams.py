"""Counter-based random numbers: every draw is a pure function of (run seed, purpose, who, step).

The model steps many replications together (arrays of shape ``[runs, N, N]``), so it cannot keep
one sequential generator per actor and per dyad for every run: drawing from thousands of
``numpy.random.Generator`` objects one at a time would cost more than the model. Instead each draw
is computed, in bulk, as a hash of its coordinates — the *counter-based* design of Salmon et al.
(2011, "Parallel random numbers: as easy as 1, 2, 3"):

    u = H(run key, purpose, step, key of actor or dyad, slot) / 2**64

* The **run key** is ``SeedSequence(seed).generate_state(1, uint64)`` — all randomness derives
  from the run's seed through :class:`numpy.random.SeedSequence`.
* The **purpose** separates the uses (a state's decision, a dyad's de-escalation, accidents, war
  onset and termination, an ally's support decision).
* **Actors are keyed by their code** (a stable CRC-32), not by their row, and a dyad by its two
  codes in a fixed order. A what-if variant that adds an actor or an event therefore leaves every
  other actor's and dyad's draws untouched: common random numbers survive variants.
* A draw does not depend on which other runs are stepped with it, nor on how many draws were made
  before it: the same seed gives the same run alone, in a batch of 500, in any worker.

``H`` folds each coordinate into a 64-bit state with the SplitMix64 finaliser (Steele, Lea & Flood
2014), a bijective mixer with full avalanche; the top 53 bits make a float in [0, 1). The tests in
``tests/test_streams.py`` check uniformity, independence between neighbouring counters and between
runs, and that the draws are fixed (a regression value).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np

__all__ = ["PURPOSE", "stream_key", "run_keys", "uniform", "prefix", "uniform_after", "mix64"]

#: The purposes a draw can serve; each has its own stream.
PURPOSE: dict[str, int] = {
    "decide": 1,  # a state's three uniforms each step: choice, threshold test, attention
    "war": 2,  # war onset (violence band) or termination / nuclear use (at war), per dyad
    "deescalate": 3,  # a quiet dyad stepping down a rung
    "accident": 4,  # an unchosen incident at rung >= 4
    "support": 5,  # ally i's decision to stand by k against z
    "dispute": 6,  # a new issue arising in a dyad (dispute onset at the MID base rate)
    "nuclear_risk": 7,  # a nuclear dyad at rung >= 6 slipping a rung up by chance
    "pact": 8,  # a firm alignment being signed into a defence pledge (ATOP's yearly rate)
    "intensify": 9,  # minor clashes (rung 5) intensifying into serious ones (rung 6)
    "dispute_level": 10,  # how far a new dispute goes at once (threat, display or use of force; MID record)
}

_U = np.uint64
_GOLDEN = _U(0x9E3779B97F4A7C15)
_M1 = _U(0xBF58476D1CE4E5B9)
_M2 = _U(0x94D049BB133111EB)
_S30, _S27, _S31 = _U(30), _U(27), _U(31)
_S11 = _U(11)
_TO_UNIT = 1.0 / float(1 << 53)


def stream_key(code: str) -> int:
    """A stable 32-bit key of an actor code (the same on every machine and Python run)."""
    return zlib.crc32(code.encode("utf-8"))


def run_keys(seeds: Iterable[int]) -> np.ndarray:
    """The 64-bit key of each run, derived from its seed through ``SeedSequence``."""
    return np.array([np.random.SeedSequence(int(s)).generate_state(1, dtype=np.uint64)[0] for s in seeds], dtype=np.uint64)


def mix64(z: np.ndarray) -> np.ndarray:
    """The SplitMix64 finaliser, elementwise on a uint64 array (wrapping arithmetic)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


def _fold(h: np.ndarray, word) -> np.ndarray:
    return mix64(h ^ (np.asarray(word, dtype=np.uint64) + _GOLDEN))


def uniform(keys: np.ndarray, purpose: str, step: int, *words) -> np.ndarray:
    """Uniform draws in [0, 1) at the given coordinates, broadcast over the arrays given.

    Args:
        keys: Run keys (uint64), shaped to broadcast against ``words`` (e.g. ``[R, 1]``).
        purpose: A name in :data:`PURPOSE`.
        step: The model step (the counter).
        *words: Further coordinates (actor keys, dyad keys, slot numbers), integer arrays or scalars.

    Returns:
        float64 array of the broadcast shape.
    """
    return uniform_after(prefix(keys, purpose, step), *words)


def prefix(keys: np.ndarray, purpose: str, step: int) -> np.ndarray:
    """The hash state of :func:`uniform` after the run key, the purpose and the step (elementwise over ``keys``).

    ``uniform_after(prefix(keys, p, t)[lanes], *words)`` is ``uniform(keys[lanes], p, t, *words)``
    bit for bit: the hash is elementwise, so it can be taken once per run and gathered, rather than
    once per draw.
    """
    with np.errstate(over="ignore"):
        return _fold(np.asarray(keys, dtype=np.uint64), (PURPOSE[purpose] << 32) | int(step))


def uniform_after(h: np.ndarray, *words) -> np.ndarray:
    """Uniform draws from a :func:`prefix` hash state and the further coordinates ``words``."""
    with np.errstate(over="ignore"):
        for w in words:
            h = _fold(h, w)
        return (h >> _S11).astype(np.float64) * _TO_UNIT
