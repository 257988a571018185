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

from sim.calibration.session import add_common_arguments, evaluation_session  # noqa: E402


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(ap, runs=20, checkpoints=ROOT / "out" / "calibration" / "checkpoints")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--max-evaluations", type=int, default=60, help="most evaluations per fold")
    ap.add_argument("--system", type=Path, default=None, help="ICB1-layout file (default: the shipped training crises)")
    ap.add_argument("--actors", type=Path, default=None, help="ICB2-layout file (with --system)")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "calibration" / "calibration.json")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    from rich.console import Console

    from sim.calibration import CrisisSet, calibrate, parameter_space
    from sim.errors import FlashpointError
    from sim.history.icb import read_icb
    from sim.history.training import load_training

    t0 = time.perf_counter()
    try:
        data = read_icb(args.system, args.actors) if args.system else load_training()
        crises = CrisisSet.from_icb(data, limit=args.crises, seed=args.seed)
        space = parameter_space(args.param)
        with evaluation_session(crises, space, args, "evaluations", args.folds * args.max_evaluations) as (ev, advance):
            res = calibrate(ev, folds=args.folds, max_evaluations=args.max_evaluations, seed=args.seed,
                            on_evaluation=lambda f, k, loss: advance(f * args.max_evaluations + k,
                                                                     f"fold {f + 1}/{args.folds}, loss {loss:.4f}"))
    except FlashpointError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: the checkpoints kept so far resume the calibration\n")
        return 130
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
