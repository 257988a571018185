"""Where the shipped files are: bundled scenarios and reference data, found through importlib.resources.

In an installed wheel the top-level ``scenarios/`` folder of the repository is shipped inside the
package as ``sim/_scenarios/`` (copied by the build step in ``setup.py``; the repository keeps one
copy, ``scenarios/``, the source of truth). In a source checkout or an editable install there is no
``sim/_scenarios/`` and the repository's own ``scenarios/`` is used. Reference data
(``sim/data/``) is ordinary package data in both cases.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["bundled_scenarios", "data_dir", "scenarios_dir"]

#: Name of the packaged copy of ``scenarios/`` inside ``sim`` (written only into built wheels).
PACKAGED_SCENARIOS = "_scenarios"


def _package_root() -> Path:
    return Path(str(resources.files("sim")))


def scenarios_dir() -> Path:
    """The folder of the bundled scenarios (the wheel's packaged copy, else the checkout's ``scenarios/``)."""
    packaged = _package_root() / PACKAGED_SCENARIOS
    if packaged.is_dir():
        return packaged
    return _package_root().parent / "scenarios"


def bundled_scenarios() -> list[Path]:
    """The bundled scenario files (``*.yaml``), sorted by name."""
    return sorted(scenarios_dir().glob("*.yaml"))


def data_dir() -> Path:
    """The package's reference data folder (``sim/data``: the actor catalog, base rates)."""
    return _package_root() / "data"
