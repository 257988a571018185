"""Lazy package exports (PEP 562): a public name is imported from its submodule on first use.

Used by :mod:`sim.ensemble` and :mod:`sim.analysis`, so that a command can fork its worker
processes before this process imports pandas and the statistics (see ``sim.cli.ensemble_cmds``).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any


def lazy_exports(package: str, home: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return the ``__getattr__`` and ``__dir__`` of ``package``, whose name ``n`` lives in ``package.home[n]``."""

    def __getattr__(name: str) -> Any:
        if name in home:
            value = getattr(importlib.import_module(f"{package}.{home[name]}"), name)
            setattr(sys.modules[package], name, value)  # found by plain lookup from now on
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *home})

    return __getattr__, __dir__
