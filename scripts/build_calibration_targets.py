"""Derive the calibration's world targets from the MID and COW war data into sim/data/.

    python scripts/build_calibration_targets.py [--data ../shared/data] [--out sim/data]

Writes, from the reference files (read here only, never by the package at run time):

* ``sim/data/mid_onset_rates_1816-1989.csv``: MID onset rates per 1,000 dyad-years, 1816–1989, by
  dyad type (``contiguous``: land contiguity in the catalog; ``major``: not contiguous, at least one
  COW major power; ``other``) and hostility band (a dispute onset in the dyad-year reaching at least
  ``threat`` = GML hostlev 2, ``display`` = 3, ``force`` = 4, or ``war`` = 5). Denominators: every
  pair of states of the shipped catalog in each year (the model's own state system, contiguity and
  major powers); numerators: dyad-years of ``gml_mid_dyad_years_1816-1989.csv`` with
  ``gmlmidonset = 1`` whose two states are in the catalog that year (the highest hostility of the
  year's onsets counts).
* ``sim/data/cow_war_continuation.csv``: every COW inter-state war dyad-year before 1990
  (``cow_war_inter.csv``, non-directed), with ``continued`` = 1 when the same war between the same two
  states goes on the next calendar year.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BANDS = {"threat": 2, "display": 3, "force": 4, "war": 5}
TYPES = ("contiguous", "major", "other")
LAST_YEAR = 1989


def dyad_type(contig: bool, major: bool) -> str:
    return "contiguous" if contig else ("major" if major else "other")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "sim" / "data", help="folder of the two tables")
    args = ap.parse_args(argv)
    from sim.catalog import load_catalog

    cat = load_catalog()
    by_ccode = {cat.resolve(c): c for c in cat.known_codes()}
    years = range(1816, LAST_YEAR + 1)
    exposure = dict.fromkeys(TYPES, 0)
    types: dict[int, dict[tuple[str, str], str]] = {}
    for y in years:
        codes = cat.codes(y)
        if len(codes) < 2:
            continue
        contig = np.asarray(cat.contiguity(codes, y)) == 1
        major = np.array([r.major_power for r in cat.states(codes, y)])
        iu = np.triu_indices(len(codes), 1)
        t = {}
        for i, j in zip(*iu, strict=True):
            k = dyad_type(bool(contig[i, j]), bool(major[i] or major[j]))
            exposure[k] += 1
            t[(codes[i], codes[j])] = k
        types[y] = t
    onsets: dict[tuple[str, str, int], int] = {}
    skipped = 0
    with (args.data / "gml_mid_dyad_years_1816-1989.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if float(row["gmlmidonset"] or 0) != 1:
                continue
            y = int(float(row["year"]))
            a, b = by_ccode.get(int(float(row["ccode1"]))), by_ccode.get(int(float(row["ccode2"])))
            if a is None or b is None or y > LAST_YEAR:
                skipped += 1
                continue
            a, b = sorted((a, b))
            key = (a, b, y)
            onsets[key] = max(onsets.get(key, 0), int(float(row["hostlev"] or 0)))
    counts = {(t, band): 0 for t in TYPES for band in BANDS}
    for (a, b, y), h in onsets.items():
        k = types.get(y, {}).get((a, b))
        if k is None:
            skipped += 1
            continue
        for band, lev in BANDS.items():
            counts[(k, band)] += h >= lev
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / "mid_onset_rates_1816-1989.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["dyad_type", "band", "min_hostlev", "dyad_years", "onsets", "per_1000"])
        for t in TYPES:
            for band, lev in BANDS.items():
                w.writerow([t, band, lev, exposure[t], counts[(t, band)], f"{1000 * counts[(t, band)] / exposure[t]:.4f}"])
    print(f"wrote {out} ({sum(exposure.values())} dyad-years; {skipped} onset dyad-years outside the catalog skipped)")

    spans: dict[tuple[int, int, int], set[int]] = {}
    with (args.data / "cow_war_inter.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if float(row["cowinterongoing"] or 0) != 1:
                continue
            a, b = sorted((int(float(row["ccode1"])), int(float(row["ccode2"]))))
            spans.setdefault((int(float(row["warnum"])), a, b), set()).add(int(float(row["year"])))
    out2 = args.out / "cow_war_continuation.csv"
    n = 0
    with out2.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["warnum", "ccode1", "ccode2", "year", "continued"])
        for (war, a, b), ys in sorted(spans.items()):
            for y in sorted(ys):
                if y <= LAST_YEAR:
                    w.writerow([war, a, b, y, int(y + 1 in ys)])
                    n += 1
    print(f"wrote {out2} ({n} war dyad-years)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
