"""Quiet worlds: each bundled scenario with its scheduled events removed, run for one year.

For every dyad that starts below the use-of-force band (rung < 5) it measures the yearly chance
of a new use of force (the dyad reaches rung 5 or higher) and of war (rung 7 or higher), notes
whether either side is already at war elsewhere at the start (force then may come from joining
that war: alliance support, not a new dispute), and compares the first with the MID rate of force per
dyad-year for its dyad type (sim/data/base_rates_MID_1946-2010.csv: land-contiguous, involving a
major power, other). Writes ``docs/validation-data/quiet_worlds.json`` and prints a table.

Usage: ``python scripts/quiet_worlds.py [--runs 400] [--seed 0]``
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from sim.model import CrisisModel
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("korea-russia-2024", "july-crisis-1914", "cuban-missile-crisis-1962")


def mid_rates() -> dict[str, float]:
    """Uses of force per dyad-year by dyad type (MID 1946–2010)."""
    df = pd.read_csv(ROOT / "sim/data/base_rates_MID_1946-2010.csv", index_col=0)
    per = df["force_per_1000"] / 1000.0
    return {"contiguous": float(per["land-contiguous=1"]), "major power": float(per["involves major power=1"]),
            "other": float(per["politically relevant (contig or major)=0"])}


def quiet(name: str, runs: int, seed: int) -> list[dict]:
    """Per-dyad yearly rates in the quiet variant of scenario ``name``."""
    sc = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    steps = int(round(365 / sc.calendar.step_days))
    sc = sc.model_copy(update={"events": [], "calendar": sc.calendar.model_copy(update={"horizon": steps})})
    seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(runs)]
    m = CrisisModel(sc, seeds=seeds, record="dyads")
    start_level = m.world.level.copy()
    m.run()
    w = m.world
    rates = mid_rates()
    lv = m.dyad_level  # [H+1, R, D]
    iu, ju = m._iu
    rows = []
    for d, (i, j) in enumerate(zip(iu.tolist(), ju.tolist(), strict=True)):
        start = int(lv[0, 0, d])
        if start >= 5:
            continue
        kind = "contiguous" if w.contig[i, j] else ("major power" if (w.major[i] or w.major[j]) else "other")
        peak = lv[:, :, d].max(axis=0)
        at_war = bool((start_level[0, i] >= 7).any() or (start_level[0, j] >= 7).any())
        rows.append({"scenario": name, "dyad": f"{w.codes[i]}–{w.codes[j]}", "type": kind, "rival": bool(w.rival[i, j]),
                     "side_at_war": at_war,
                     "start": start, "force": float((peak >= 5).mean()), "war": float((peak >= 7).mean()),
                     "mid_force": rates[kind]})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=400)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    rows = [r for name in SCENARIOS for r in quiet(name, a.runs, a.seed)]
    out = ROOT / "docs" / "validation-data" / "quiet_worlds.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"runs": a.runs, "seed": a.seed, "dyads": rows}, indent=1) + "\n")
    df = pd.DataFrame(rows)
    df["ratio"] = df["force"] / df["mid_force"]
    with pd.option_context("display.max_rows", 500, "display.width", 200):
        print(df.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"\ndyads with force > 2× MID rate: {(df['ratio'] > 2).sum()} of {len(df)}; max war share {df['war'].max():.3f}")


if __name__ == "__main__":
    main()
