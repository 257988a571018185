"""Provenance of stored results: the scenario's hash and the software that produced them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import sys
from importlib import metadata
from typing import Any

__all__ = ["canonical_json", "scenario_hash", "environment", "MANIFEST_SCHEMA"]

#: Version tag of manifest.json.
MANIFEST_SCHEMA = "flashpoint.manifest/1"

_PACKAGES = ("flashpoint", "mesa", "numpy", "pandas", "pyarrow", "pydantic", "distributed")


def canonical_json(scenario: Any) -> str:
    """Return the scenario as canonical JSON: keys sorted, no whitespace, UTF-8 text."""
    data = scenario.model_dump(mode="json") if hasattr(scenario, "model_dump") else scenario
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def scenario_hash(scenario: Any) -> str:
    """``sha256:<hex>`` of :func:`canonical_json` — equal hashes mean equal scenarios."""
    return "sha256:" + hashlib.sha256(canonical_json(scenario).encode("utf-8")).hexdigest()


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        mod = sys.modules.get(name)
        return getattr(mod, "__version__", None) if mod else None


def environment() -> dict[str, Any]:
    """Package versions, Python, platform, CPU count and the time, for the manifest."""
    versions = {name: _version(name) for name in _PACKAGES}
    if versions["flashpoint"] is None:
        versions["flashpoint"] = "0.1.0+source"
    return {
        "versions": versions,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
