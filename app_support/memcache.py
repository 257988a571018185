"""Caches bounded by memory, not by count: a big scenario's results cannot fill the server.

No Streamlit here. :class:`MemoryLRU` keeps results up to a byte budget and drops the least recently
used ones first; :func:`size_of` estimates an object's footprint from the arrays and frames it holds
(numpy ``nbytes``, pandas ``memory_usage``), lists of records by a sample. :func:`run_bytes` says
before a run how much one run with full histories needs, so the app can refuse with a clear message
instead of running out of memory.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import pandas as pd

from app_support.envnum import env_number

__all__ = ["MemoryLRU", "size_of", "run_bytes", "budget_bytes", "human"]

#: Default byte budget of the app's result caches (override with FLASHPOINT_APP_CACHE_MB).
DEFAULT_BUDGET_MB = 1024


def budget_bytes() -> int:
    """The byte budget of the app's result caches: ``$FLASHPOINT_APP_CACHE_MB`` MiB (default 1 GiB, at least 16 MiB).

    Read by :func:`app_support.envnum.env_number` (a value that is not a number: a warning and the default).
    """
    return int(env_number("FLASHPOINT_APP_CACHE_MB", DEFAULT_BUDGET_MB, minimum=16) * 2**20)


def human(n: float) -> str:
    """Bytes in words (``1.7 GB``)."""
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def size_of(obj: Any, _depth: int = 0, _seen: set[int] | None = None) -> int:
    """An estimate of the memory ``obj`` holds (arrays and frames exactly, the rest approximately)."""
    seen = _seen if _seen is not None else set()
    if id(obj) in seen or _depth > 6:
        return 0
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        return int(obj.nbytes)
    if isinstance(obj, pd.DataFrame | pd.Series):
        mem = obj.memory_usage(index=True, deep=False)
        return int(mem.sum() if hasattr(mem, "sum") else mem)
    if isinstance(obj, str | bytes | int | float | bool | type(None)):
        return sys.getsizeof(obj)
    if isinstance(obj, list | tuple | set | frozenset):
        items = list(obj)
        if not items:
            return sys.getsizeof(obj)
        sample = items[:: max(1, len(items) // 32)][:32]
        per = sum(size_of(x, _depth + 1, seen) for x in sample) / len(sample)
        return int(sys.getsizeof(obj) + per * len(items))
    if isinstance(obj, dict):
        return sys.getsizeof(obj) + sum(size_of(k, _depth + 1, seen) + size_of(v, _depth + 1, seen) for k, v in obj.items())
    inner = getattr(obj, "__dict__", None)
    if inner is not None:
        return sys.getsizeof(obj) + size_of(inner, _depth + 1, seen)
    slots = getattr(type(obj), "__slots__", ())
    return sys.getsizeof(obj) + sum(size_of(getattr(obj, s, None), _depth + 1, seen) for s in slots)


def run_bytes(actors: int, steps: int, events: int = 0) -> int:
    """Memory one run with full histories needs (an estimate, in bytes).

    The rung (int8) and threat (float32) of every directed pair at every step, plus about 1 KB per
    record, counting 20 records per event and two per state and step (measured on the founding
    scenario: 432 records in 447 KB).
    """
    hist = (steps + 1) * actors * actors * (1 + 4)  # int8 rungs, float32 threats
    records = 1_000 * (20 * events + 2 * actors * steps)
    return int(hist + records)


class MemoryLRU:
    """A thread-safe least-recently-used cache bounded by the bytes its values hold."""

    def __init__(self, budget: int, sizer: Callable[[Any], int] = size_of) -> None:
        self.budget = int(budget)
        self._sizer = sizer
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.used = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value of ``key`` (marked as recently used), or ``default``."""
        with self._lock:
            if key not in self._items:
                return default
            self._items.move_to_end(key)
            return self._items[key][0]

    def put(self, key: Hashable, value: Any) -> bool:
        """Keep ``value``; evicts the least recently used until it fits. A value above the budget is not kept."""
        size = max(int(self._sizer(value)), 1)
        with self._lock:
            if key in self._items:
                self.used -= self._items.pop(key)[1]
            if size > self.budget:
                return False
            while self._items and self.used + size > self.budget:
                _, (_, s) = self._items.popitem(last=False)
                self.used -= s
            self._items[key] = (value, size)
            self.used += size
            return True

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached value of ``key``, computing (and keeping, if it fits) it when absent."""
        missing = object()
        value = self.get(key, missing)
        if value is missing:
            value = compute()
            self.put(key, value)
        return value

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()
            self.used = 0
