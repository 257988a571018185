"""The checked entry points of the public API (``sim.load_scenario``, ``sim.run_scenario``).

They check their arguments and answer a wrong type with a :class:`~sim.errors.FlashpointError`
that says what to pass, instead of a bare ``TypeError`` or a silent conversion:

* :func:`load_scenario` takes a *path*. YAML text (a ``str`` with a line break or the look of a
  document) or ``bytes`` is refused with a pointer to :func:`parse_scenario`, which takes text;
  a path is never guessed from text, nor text from a path.
* :func:`run_scenario` takes an integer ``seed`` ≥ 0 (a Python ``int`` or a numpy integer).
  ``seed=None`` means the documented default seed, 0 (runs are always reproducible; there is no
  "fresh entropy" mode). ``True``/``False``, ``1.5``, ``"3"`` are refused rather than truncated.
"""

from __future__ import annotations

import os
from typing import Any

from sim.ensemble.seeds import DEFAULT_SEED, check_seed
from sim.errors import FlashpointError

__all__ = ["load_scenario", "parse_scenario", "run_scenario", "check_seed", "DEFAULT_SEED"]

def _looks_like_text(s: str) -> bool:
    return "\n" in s or "\r" in s or (s.lstrip().startswith(("id:", "title:", "{", "---")) and not os.path.exists(s))


def load_scenario(path: str | os.PathLike[str], **kwargs: Any):
    """Read and validate a scenario *file* (see :func:`sim.scenario.loader.load_scenario`).

    Raises:
        FlashpointError: ``path`` is YAML text, ``bytes`` or not a path at all (use
            :func:`parse_scenario` for text); the file's own problems as a located ScenarioError.
    """
    if isinstance(path, bytes | bytearray | memoryview):
        raise FlashpointError("load_scenario takes a file path; for YAML given as bytes or text use "
                              "sim.parse_scenario(data)")
    if isinstance(path, str) and _looks_like_text(path):
        raise FlashpointError("load_scenario takes a file path, and this looks like YAML text (it has a line break "
                              "or starts like a scenario); use sim.parse_scenario(text) for text")
    if not isinstance(path, str | os.PathLike):
        raise FlashpointError(f"load_scenario takes a file path (str or os.PathLike), got {type(path).__name__}")
    from sim.scenario.loader import load_scenario as _load

    return _load(path, **kwargs)


def parse_scenario(text: str | bytes, filename: str = "<text>", **kwargs: Any):
    """Validate a scenario given as YAML text or UTF-8 bytes (see :func:`sim.scenario.loader.parse_scenario`).

    Raises:
        FlashpointError: ``text`` is a path object or not text at all.
    """
    if isinstance(text, os.PathLike) or not isinstance(text, str | bytes | bytearray | memoryview):
        raise FlashpointError(f"parse_scenario takes YAML text (str or bytes), got {type(text).__name__}; "
                              "for a file use sim.load_scenario(path)")
    from sim.scenario.loader import parse_scenario as _parse

    return _parse(text, filename, **kwargs)


def run_scenario(scenario: Any, seed: int | None = DEFAULT_SEED, **kwargs: Any):
    """Run ``scenario`` once with ``seed`` (see :func:`sim.model.run_scenario`; ``None``: seed 0).

    Raises:
        FlashpointError: ``scenario`` is not a validated Scenario (a path or text: load it first)
            or ``seed`` is not a non-negative integer.
    """
    from sim.scenario.schema import Scenario

    if not isinstance(scenario, Scenario):
        hint = " (load it first: sim.load_scenario(path) or sim.parse_scenario(text))" \
            if isinstance(scenario, str | bytes | os.PathLike) else ""
        raise FlashpointError(f"run_scenario takes a validated Scenario, got {type(scenario).__name__}{hint}")
    seed = check_seed(seed)
    from sim.model import run_scenario as _run

    return _run(scenario, seed, **kwargs)
