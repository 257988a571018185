"""Calibrate the model's proposal parameters to the ICB violence distribution, k-fold by crisis.

    python scripts/calibrate.py [--param PATH ...] [--runs 20] [--folds 5] [--max-evaluations 60]
                                [--crises N] [--executor process|inprocess|dask] [--workers W]
                                [--scheduler tcp://HOST:PORT] [--checkpoints out/calibration/checkpoints]
                                [--out out/calibration/calibration.json] [--seed 0]

Simulated method of moments (sim.calibration; docs/history.md): for each fold, SciPy's Nelder–Mead
fits the parameters on the other folds' crises and the held-out crises validate them. Every
evaluation is checkpointed (one JSON per parameter vector): run the same command again to resume.
The numbers are the same on every executor and worker count.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--param", action="append", help="a parameter path to fit (repeatable; default: every proposal)")
    ap.add_argument("--runs", type=int, default=20, help="replications per crisis and evaluation")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--max-evaluations", type=int, default=60, help="most evaluations per fold")
    ap.add_argument("--crises", type=int, default=None, help="a seeded sample of this many training crises")
    ap.add_argument("--system", type=Path, default=None, help="ICB1-layout file (default: the shipped training crises)")
    ap.add_argument("--actors", type=Path, default=None, help="ICB2-layout file (with --system)")
    ap.add_argument("--executor", default="process", choices=["process", "inprocess", "dask"])
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--scheduler", default=None, help="Dask scheduler address (implies --executor dask)")
    ap.add_argument("--checkpoints", type=Path, default=ROOT / "out" / "calibration" / "checkpoints")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "calibration" / "calibration.json")
    ap.add_argument("--seed", type=int, default=0)
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from sim.calibration import CrisisSet, Evaluator, calibrate, parameter_space
    from sim.ensemble.executors import open_executor
    from sim.errors import FlashpointError
    from sim.history.icb import read_icb
    from sim.history.training import load_training

    err = Console(stderr=True, highlight=False)
    try:
        data = read_icb(args.system, args.actors) if args.system else load_training()
        crises = CrisisSet.from_icb(data, limit=args.crises, seed=args.seed)
        space = parameter_space(args.param)
        handle = open_executor(args.executor, args.workers, args.scheduler)
    except FlashpointError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    t0 = time.perf_counter()
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=False) as bar:
            evals = bar.add_task("evaluations", total=args.folds * args.max_evaluations)
            runs = bar.add_task("runs of this evaluation", total=1)
            ev = Evaluator(crises, space, runs=args.runs, seed=args.seed, executor=handle, checkpoints=args.checkpoints,
                           progress=lambda d, t: bar.update(runs, completed=d, total=t))

            def step(fold: int, k: int, loss: float) -> None:
                bar.update(evals, completed=fold * args.max_evaluations + k,
                           description=f"fold {fold + 1}/{args.folds}, loss {loss:.4f}")

            res = calibrate(ev, folds=args.folds, max_evaluations=args.max_evaluations, seed=args.seed,
                            on_evaluation=step)
    except FlashpointError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: the checkpoints kept so far resume the calibration\n")
        return 130
    finally:
        handle.close()
    obj = res.to_json()
    obj["seconds"] = round(time.perf_counter() - t0, 1)
    obj["executor"] = args.executor
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(obj, indent=1) + "\n", encoding="utf-8")
    con = Console(highlight=False)
    for p, s in res.summary().items():
        con.print(f"{p}: default {s['default']:g}, fitted {s['mean']:.4g} (folds {s['min']:.4g}–{s['max']:.4g})", markup=False)
    for f in res.folds:
        con.print(f"fold {f.fold}: held-out loss {f.test_loss_default:.4f} → {f.test_loss_fitted:.4f}, "
                  f"held-out RPS {f.test_rps_default:.4f} → {f.test_rps_fitted:.4f}", markup=False)
    con.print(f"{ev.evaluations} simulated evaluations, {ev.reused} reused; {obj['seconds']} s; wrote {args.out}", markup=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
