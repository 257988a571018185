"""Derive the shipped MID tables used to score the model against history.

    python scripts/derive_mid_history.py [--data ../shared/data]

Reads the Gibler–Miller–Little MID v2.2.1 dyad-years (``gml_mid_dyad_years_1816-1989.csv``),
the Thompson–Dreyer strategic rivalries (``td_rivalries.csv``) and COW direct contiguity
(``cow_contdir.csv``) from the reference data and writes, under ``sim/data/``:

- ``mid_onsets_1816-1989.csv``: one row per non-directed dyad-year with at least one new MID
  (``gmlmidonset``): ``ccode1 < ccode2``, ``year`` and, for each MID hostility level, whether a
  dispute begun that year reached it for the dyad (the higher of the two sides' ``hostlev``:
  ``onset_threat`` ≥ 2, ``onset_display`` ≥ 3, ``onset_force`` ≥ 4, ``onset_war`` = 5). Dyad-years
  not listed had no new dispute.
- ``mid_rivalry_rates.csv``: new uses of force and new wars (a dispute begun that year reaching
  ``hostlev`` 5 for the dyad) per 1,000 rival dyad-years (Thompson–Dreyer rivalries, 1816–1989), for
  land-contiguous rivals and the others.

Cite: Gibler, Miller & Little 2016 (ISQ 60(4)); Thompson & Dreyer 2011; Stinnett et al. 2002.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEVELS = {"threat": 2, "display": 3, "force": 4, "war": 5}


def _f(x: str) -> int:
    return int(float(x)) if x not in ("", "NA") else 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    a = ap.parse_args()
    onsets: dict[tuple[int, int, int], int] = {}
    with (a.data / "gml_mid_dyad_years_1816-1989.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if _f(r["gmlmidonset"]) != 1:
                continue
            c1, c2 = sorted((_f(r["ccode1"]), _f(r["ccode2"])))
            key = (c1, c2, _f(r["year"]))
            onsets[key] = max(onsets.get(key, 0), _f(r["hostlev1"]), _f(r["hostlev2"]), 1)
    out = ROOT / "sim" / "data" / "mid_onsets_1816-1989.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["ccode1", "ccode2", "year", *(f"onset_{k}" for k in LEVELS)])
        for (c1, c2, y), h in sorted(onsets.items()):
            w.writerow([c1, c2, y, *(int(h >= v) for v in LEVELS.values())])
    print(f"wrote {out} ({len(onsets)} dyad-years with a new dispute)")

    # rivalry rates: rival dyad-years 1816-1989 and the new uses of force among them
    land: dict[tuple[int, int], list[tuple[int, int]]] = {}
    with (a.data / "cow_contdir.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if _f(r["conttype"]) == 1:
                c1, c2 = sorted((_f(r["ccode1"]), _f(r["ccode2"])))
                land.setdefault((c1, c2), []).append((int(r["stdate"][:4]), int(r["enddate"][:4])))
    years = {"contiguous": 0, "other": 0}
    force = {"contiguous": 0, "other": 0}
    war = {"contiguous": 0, "other": 0}
    seen: set[tuple[int, int, int]] = set()
    with (a.data / "td_rivalries.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            c1, c2 = sorted((_f(r["ccode1"]), _f(r["ccode2"])))
            for y in range(max(1816, _f(r["styear"])), min(1989, _f(r["endyear"])) + 1):
                if (c1, c2, y) in seen:
                    continue
                seen.add((c1, c2, y))
                k = "contiguous" if any(s <= y <= e for s, e in land.get((c1, c2), [])) else "other"
                years[k] += 1
                force[k] += onsets.get((c1, c2, y), 0) >= 4
                war[k] += onsets.get((c1, c2, y), 0) >= 5
    out2 = ROOT / "sim" / "data" / "mid_rivalry_rates.csv"
    with out2.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["rivals", "dyad_years", "force_onsets", "force_per_1000", "war_onsets", "war_per_1000"])
        for k in ("contiguous", "other"):
            w.writerow([k, years[k], force[k], round(1000 * force[k] / max(1, years[k]), 2),
                        war[k], round(1000 * war[k] / max(1, years[k]), 2)])
    print(f"wrote {out2}: " + ", ".join(f"{k} {1000 * force[k] / max(1, years[k]):.1f}/1000 ({years[k]} dyad-years)" for k in years))


if __name__ == "__main__":
    main()
