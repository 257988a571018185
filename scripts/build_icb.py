"""Derive the shipped ICB training tables and the scenario collection from the reference data.

    python scripts/build_icb.py [--shared ../shared/data] [--no-scenarios]

Reads ``icb_crises_v14_training.csv`` and ``icb_actors_v14_training.csv`` (International Crisis
Behavior v14, system and actor level; see docs/data.md) and writes, inside the repository:

* ``sim/data/icb/icb1_v14_training.csv`` and ``icb2_v14_training.csv`` — the same rows, only the
  columns Flashpoint reads (the reference models of ``flashpoint icb score`` are fitted on these,
  and the typical crisis durations that set scenario horizons come from them);
* ``scenarios/icb/`` — one scenario per crisis, plus index.csv / index.json
  (``flashpoint icb build`` on the shipped tables).

The package never reads ../shared at run time; this script is the only bridge.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.history.icb import ACTOR_COLUMNS, SYSTEM_COLUMNS  # noqa: E402

PAIRS = (("icb_crises_v14_training.csv", "icb1_v14_training.csv", ("icb1", *SYSTEM_COLUMNS)),
         ("icb_actors_v14_training.csv", "icb2_v14_training.csv", ("icb2", *ACTOR_COLUMNS)))


def subset(src: Path, dst: Path, keep: tuple[str, ...]) -> int:
    with src.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    cols = [c for c in keep if rows and c in rows[0]]
    dst.parent.mkdir(parents=True, exist_ok=True)
    with dst.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([r[c] for c in cols])
    return len(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--no-scenarios", action="store_true", help="only derive the tables")
    args = ap.parse_args()
    out = ROOT / "sim" / "data" / "icb"
    for src, dst, keep in PAIRS:
        n = subset(args.shared / src, out / dst, keep)
        print(f"{dst}: {n} rows")
    if not args.no_scenarios:
        from sim.history.build import build_collection
        from sim.history.training import TRAINING_ACTORS, TRAINING_SYSTEM

        rep = build_collection(TRAINING_SYSTEM, TRAINING_ACTORS, ROOT / "scenarios" / "icb", clean=True,
                               relative_to=ROOT)
        print(rep.summary_text())


if __name__ == "__main__":
    main()
