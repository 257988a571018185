"""Content-addressed JSON checkpoints: one file per evaluation, named by a hash of what it depends on.

A checkpoint is written atomically (a temporary file, then a rename), so an interrupted job never
leaves half a file; a damaged or foreign file reads as missing and is recomputed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sim.errors import FlashpointError

__all__ = ["load_checkpoint", "prepare_folder", "save_checkpoint"]


def prepare_folder(folder: Path | str | None) -> Path | None:
    """Create the checkpoint folder (``None``: keep nothing on disk)."""
    if folder is None:
        return None
    path = Path(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FlashpointError(f"{path}: cannot create the checkpoint folder ({exc.strerror})") from None
    return path


def load_checkpoint(folder: Path | None, key: str) -> dict[str, Any] | None:
    """The checkpoint ``key`` in ``folder``, or ``None`` (absent, unreadable or not a JSON object)."""
    if folder is None:
        return None
    path = folder / f"{key}.json"
    try:
        doc = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def save_checkpoint(folder: Path | None, key: str, doc: dict[str, Any]) -> None:
    """Write checkpoint ``key`` atomically."""
    if folder is None:
        return
    path = folder / f"{key}.json"
    tmp = path.with_suffix(".tmp")
    try:
        tmp.write_text(json.dumps(doc), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise FlashpointError(f"{path}: cannot write the checkpoint ({exc.strerror})") from None
