"""Reading the catalog's derived CSV tables (gzipped or plain) shipped in ``sim/data/catalog/``."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

__all__ = ["read_csv_gz"]


def read_csv_gz(path: Path) -> list[list[str]]:
    """The data rows of a CSV file (gunzipped when its name ends in ``.gz``), header left out."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    return rows[1:]
