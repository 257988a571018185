"""Benchmark a fixed slice of the calibration on each executor and worker count; check the results agree.

    python bench/bench_calibration.py [--crises 40] [--runs 5] [--points 2] [--out bench/results/calibration.json]

The slice: ``--points`` design points of the default calibration space, each simulated on a seeded
sample of ``--crises`` ICB training crises (``--runs`` each) and on the MID and war worlds (the
costly dangerous-dyad world is left out: its one ensemble per point does not split across workers
as finely). It runs on the process executor and on a Dask ``LocalCluster`` with 1 and 2 workers,
without checkpoints, and records the wall time of each, the load average before and after, and
whether every executor gave exactly the same per-crisis shares and world counts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run_slice(executor: str, workers: int, crises, space, targets, points, runs: int) -> tuple[float, list]:
    """Wall seconds and results of the slice on one executor (the executor's start-up included)."""
    from sim.calibration import Evaluator, WorldEvaluator
    from sim.ensemble.executors import open_executor

    t0 = time.perf_counter()
    handle = open_executor(executor, workers, None)
    try:
        ev = Evaluator(crises, space, runs=runs, seed=0, executor=handle)
        world = WorldEvaluator(targets, space, runs=runs, seed=0, executor=handle)
        out = []
        for x in points:
            shares = ev.shares(x)
            out.append({"shares": {str(c): v.tolist() for c, v in shares.items()}, "world": world.counts(x)})
    finally:
        handle.close()
    return time.perf_counter() - t0, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--crises", type=int, default=40)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--points", type=int, default=2)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "calibration.json")
    args = ap.parse_args(argv)
    from sim.calibration import CrisisSet, WorldTargets, design_points, parameter_space
    from sim.history.training import load_training

    crises = CrisisSet.from_icb(load_training(), limit=args.crises, seed=0)
    space = parameter_space()
    targets = WorldTargets.build(seed=0)
    points = design_points(space, max(2, args.points), seed=0)[: args.points]
    rows, reference = [], None
    for executor, workers in (("process", 1), ("process", 2), ("dask", 1), ("dask", 2)):
        load0 = os.getloadavg()[0]
        seconds, out = run_slice(executor, workers, crises, space, targets, points, args.runs)
        same = reference is None or out == reference
        reference = reference or out
        rows.append({"executor": executor, "workers": workers, "seconds": round(seconds, 1), "load_before": round(load0, 1),
                     "load_after": round(os.getloadavg()[0], 1), "identical_to_first": same})
        print(json.dumps(rows[-1]), flush=True)
    by = {(r["executor"], r["workers"]): r["seconds"] for r in rows}
    doc = {"slice": {"design_points": args.points, "crises": args.crises, "runs": args.runs, "parameters": len(space.dims),
                     "world_targets": "MID worlds (3 years, ≤ 24 states) and 6 war worlds"},
           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cores": os.cpu_count(), "rows": rows,
           "speedup_2_over_1": {e: round(by[(e, 1)] / by[(e, 2)], 2) for e in ("process", "dask")},
           "identical_everywhere": all(r["identical_to_first"] for r in rows)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: doc[k] for k in ("speedup_2_over_1", "identical_everywhere")}))
    return 0 if doc["identical_everywhere"] else 1


if __name__ == "__main__":
    sys.exit(main())
