"""The parameters a calibration varies, read from the model's parameter registry.

:func:`parameter_space` reads :func:`sim.scenario.parameters.parameter_table` generically: by default
every parameter whose cited source says "proposal" (no published number stands behind it), or the
paths asked for, each with its registered range (a default set by an earlier calibration is
marked "fitted" and refitted with the rest). Nothing here names a parameter, so the space
follows the registry as the model changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import FlashpointError
from sim.scenario.parameters import parameter_table
from sim.scenario.schema import Scenario

__all__ = ["CALIBRATED", "Dimension", "ParameterSpace", "model_fingerprint", "parameter_space"]


@dataclass(frozen=True)
class Dimension:
    """One calibrated parameter: its path (``group.name``), range, default and whether it is whole."""

    path: str
    low: float
    high: float
    default: float
    integer: bool = False


@dataclass(frozen=True)
class ParameterSpace:
    """An ordered set of parameters with their ranges; maps the unit cube onto them."""

    dims: tuple[Dimension, ...]

    @property
    def paths(self) -> list[str]:
        """The parameter paths, in order."""
        return [d.path for d in self.dims]

    @property
    def bounds(self) -> np.ndarray:
        """``d × 2`` array of (low, high)."""
        return np.array([[d.low, d.high] for d in self.dims], dtype=float)

    @property
    def defaults(self) -> np.ndarray:
        """The registered defaults."""
        return np.array([d.default for d in self.dims], dtype=float)

    def from_unit(self, u: Sequence[float]) -> np.ndarray:
        """Natural values of a point of the unit cube (clipped to it; whole parameters rounded)."""
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        b = self.bounds
        x = b[:, 0] + u * (b[:, 1] - b[:, 0])
        return np.array([round(v) if d.integer else v for v, d in zip(x, self.dims, strict=True)], dtype=float)

    def to_unit(self, x: Sequence[float]) -> np.ndarray:
        """The unit-cube point of natural values."""
        b = self.bounds
        span = np.where(b[:, 1] > b[:, 0], b[:, 1] - b[:, 0], 1.0)
        return np.clip((np.asarray(x, dtype=float) - b[:, 0]) / span, 0.0, 1.0)

    def assign(self, x: Sequence[float]) -> dict[str, float]:
        """``{path: value}`` for natural values ``x`` (values rounded to 12 significant digits)."""
        return {d.path: (int(round(v)) if d.integer else float(f"{v:.12g}")) for v, d in zip(x, self.dims, strict=True)}

    def apply(self, scenario: Scenario, x: Sequence[float]) -> Scenario:
        """``scenario`` with these parameter values (validated)."""
        from pydantic import ValidationError

        data = scenario.model_dump(mode="python")
        for path, v in self.assign(x).items():
            group, name = path.split(".")
            data["parameters"][group][name] = v
        try:
            return Scenario.model_validate(data)
        except ValidationError as exc:
            raise FlashpointError(f"scenario {scenario.id}: the parameter values {self.assign(x)} are not valid together: "
                                  f"{exc.errors()[0].get('msg', exc)}") from None


#: Words of a registry source that mark a parameter the calibration fits: no published number stands
#: behind it ("proposal"), or an earlier calibration set it ("fitted …", refitted on a new model).
CALIBRATED: tuple[str, ...] = ("proposal", "fitted")


def parameter_space(paths: Sequence[str] | None = None, *, marker: str | Sequence[str] = CALIBRATED,
                    bounds: dict[str, tuple[float, float]] | None = None) -> ParameterSpace:
    """The parameters to vary: ``paths`` if given, else every one whose source mentions a ``marker``.

    Args:
        paths: Parameter paths (``group.name``); ``None``: select by ``marker``.
        marker: Word(s) looked for in the registry's ``source`` (case-insensitive); ``""`` selects all.
        bounds: Narrower ranges for some paths (must lie inside the registered range).

    Raises:
        FlashpointError: an unknown path, a parameter without a numeric range, bad bounds, or none selected.
    """
    rows = {r["path"]: r for r in parameter_table()}
    if paths is None:  # selected by source: only parameters with a numeric range (a switch cannot be varied)
        words = [marker] if isinstance(marker, str) else list(marker)
        chosen = [p for p, r in rows.items() if any(w.lower() in str(r["source"]).lower() for w in words)
                  and r["min"] is not None and r["max"] is not None and not isinstance(r["default"], bool)]
    else:
        unknown = [p for p in paths if p not in rows]
        if unknown:
            raise FlashpointError(f"unknown parameter(s) {', '.join(unknown)} (see docs/model.md for the list)")
        chosen = list(dict.fromkeys(paths))
    if not chosen:
        raise FlashpointError(f"no parameter's source mentions {marker!r}")
    dims = []
    for p in chosen:
        r = rows[p]
        if r["min"] is None or r["max"] is None or isinstance(r["default"], bool):
            raise FlashpointError(f"parameter {p} has no numeric range to calibrate over")
        lo, hi = float(r["min"]), float(r["max"])
        if bounds and p in bounds:
            blo, bhi = map(float, bounds[p])
            if not lo <= blo < bhi <= hi:
                raise FlashpointError(f"bounds {blo}–{bhi} for {p} must lie inside its range {lo}–{hi}")
            lo, hi = blo, bhi
        dims.append(Dimension(p, lo, hi, float(r["default"]), isinstance(r["default"], int)))
    return ParameterSpace(tuple(dims))


def model_fingerprint() -> str:
    """A hash of the model's source (model, doctrines, parameters, events): checkpoints of another model are not reused."""
    root = Path(__file__).resolve().parent.parent
    files = sorted([*(root / "model").rglob("*.py"), *(root / "doctrines").rglob("*.py"),
                    root / "scenario" / "parameters.py", root / "scenario" / "events.py"])
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(root).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def key_of(obj: Any) -> str:
    """A short stable hash of a JSON-able object."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:24]
