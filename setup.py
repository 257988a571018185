"""Build hook (all metadata is in pyproject.toml): ship the repository's ``scenarios/`` in the wheel.

The top-level ``scenarios/`` folder is the one copy of the bundled scenarios. Building a wheel
copies it into the built package as ``sim/_scenarios/`` so that an installed ``flashpoint list``
finds it through importlib.resources (see ``sim/resources.py``); nothing is copied in the source
tree, and an editable install reads ``scenarios/`` in place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithScenarios(build_py):
    """``build_py`` that also copies ``scenarios/*.yaml`` into the built ``sim/_scenarios/``."""

    def run(self) -> None:
        """Build the package as usual, then add the scenarios."""
        super().run()
        if getattr(self, "editable_mode", False):
            return  # editable installs read scenarios/ in place
        source = ROOT / "scenarios"
        files = sorted(source.glob("*.yaml"))
        if not files:
            raise RuntimeError(f"no scenarios to bundle in {source}")
        target = Path(self.build_lib) / "sim" / "_scenarios"
        target.mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.copy2(f, target / f.name)


setup(cmdclass={"build_py": BuildWithScenarios})
