"""Calibrate the model's proposal parameters to several targets at once, k-fold by crisis.

    python scripts/calibrate.py [--budget-minutes 55 | --design N] [--folds 5] [--runs 20] [--test-runs R]
                                [--normalise] [--dyad-band X] [--param PATH ...]
                                [--crises N] [--world-years 3] [--world-states 24] [--wars 6] [--world-runs R]
                                [--weight TARGET=W ...] [--bound PATH=LO:HI ...] [--dyad-year 2010] [--dyad-runs 4]
                                [--quiet-runs 0]
                                [--executor local|process|dask] [--workers W] [--scheduler tcp://HOST:PORT]
                                [--checkpoints out/calibration/checkpoints]
                                [--out docs/validation-data/calibration.json] [--seed 0]

Design-based simulated method of moments (sim.calibration; docs/history.md): a space-filling design
of the parameters is simulated once (ICB crises and world targets, checkpointed), then for each fold
a quadratic emulator of the training loss is fitted and minimised, and the fitted point is
re-simulated on the held-out crises. ``--budget-minutes`` sizes the design from the measured cost of
the first design point. Run the same command again to resume from the checkpoints. The numbers are
the same on every executor and worker count.
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

from sim.calibration.session import (  # noqa: E402
    add_common_arguments,
    evaluation_session,
    parse_bounds,
    parse_weights,
)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(ap, runs=20, checkpoints=ROOT / "out" / "calibration" / "checkpoints")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--test-runs", type=int, default=None,
                    help="runs per held-out crisis when scoring a fold (default: --runs); the defaults are re-run alike")
    ap.add_argument("--normalise", action="store_true",
                    help="divide each target's discrepancy by its value at the defaults (no target swamps the others)")
    ap.add_argument("--dyad-band", type=float, default=None, metavar="X",
                    help="history matching: fit only among design points whose dangerous-dyad ratios are all within "
                         "×X of the real ones (needs --dyad-year); the fit is the best such simulated point")
    ap.add_argument("--design", type=int, default=None, help="design points, the defaults included (overrides the budget)")
    ap.add_argument("--budget-minutes", type=float, default=55.0, help="wall-clock budget that sizes the design")
    ap.add_argument("--system", type=Path, default=None, help="ICB1-layout file (default: the shipped training crises)")
    ap.add_argument("--actors", type=Path, default=None, help="ICB2-layout file (with --system)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "validation-data" / "calibration.json")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    from rich.console import Console

    from sim.calibration import CrisisSet, calibrate, design_points, design_size, parameter_space
    from sim.errors import FlashpointError
    from sim.history.icb import read_icb
    from sim.history.training import load_training

    t0 = time.perf_counter()
    load0 = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    try:
        data = read_icb(args.system, args.actors) if args.system else load_training()
        crises = CrisisSet.from_icb(data, limit=args.crises, seed=args.seed)
        space = parameter_space(args.param, bounds=parse_bounds(args.bound))
        weights = parse_weights(args.weight)
        n = args.design
        with evaluation_session(crises, space, args, "design points", n or 1) as (ev, world, advance):
            if n is None:
                # the defaults (design point 0) measure what one point costs; the held-out re-simulations
                # of all folds together cost about one more point
                t1 = time.perf_counter()
                x0 = design_points(space, 2, args.seed)[0]
                ev.shares(x0)
                if world is not None:
                    world.counts(x0)
                cost = args.checkpoints / "cost.json"
                if ev.evaluations:
                    per_point = max(time.perf_counter() - t1, 1e-3)
                    cost.write_text(json.dumps({"seconds_per_point": per_point}), encoding="utf-8")
                else:  # resumed: the first point came from a checkpoint; its cost was noted when it was simulated
                    per_point = _last_cost(cost)
                # the held-out scoring re-runs a fifth of the crises per fold, the fit and (with --test-runs) the
                # defaults, each with test_runs / runs times the design's runs: bounded by this many points
                held = 2.0 * args.test_runs / args.runs if args.test_runs and args.test_runs != args.runs else 1.0
                n = design_size(per_point, args.budget_minutes, fixed_seconds=per_point * held + (time.perf_counter() - t0))
                advance(1, total=n + args.folds, description=f"design points ({per_point:.0f} s each: {n} fit in "
                                                             f"{args.budget_minutes:g} min)")
            else:
                advance(0, total=n + args.folds)

            def stage(what: str, done: int, total: int) -> None:
                advance(done if what == "design point" else n + done, description=f"{what} {done}/{total}")

            res = calibrate(ev, folds=args.folds, design_size=n, world=world, weights=weights, seed=args.seed,
                            test_runs=args.test_runs, normalise=args.normalise, dyad_band=args.dyad_band,
                            on_stage=stage)
            sims = ev.evaluations + (world.evaluations if world else 0)
            reused = ev.reused + (world.reused if world else 0)
    except FlashpointError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: the checkpoints kept so far resume the calibration\n")
        return 130
    obj = res.to_json()
    obj.update(seconds=round(time.perf_counter() - t0, 1), executor=args.executor, workers=args.workers, simulations=sims,
               checkpoints_reused=reused, budget_minutes=args.budget_minutes if args.design is None else None,
               started=started, date=started[:10], cores=os.cpu_count(),
               load_average={"start": [round(v, 1) for v in load0], "end": [round(v, 1) for v in os.getloadavg()]})
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(obj, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        sys.stderr.write(f"{args.out}: cannot write ({exc.strerror})\n")
        return 1
    con = Console(highlight=False)
    for p, s in res.summary().items():
        con.print(f"{p}: default {s['default']:g}, fitted {s['fitted']:.4g} (folds {s['fold_min']:.4g}–{s['fold_max']:.4g})",
                  markup=False)
    for f in res.folds:
        t = f.test_rps
        con.print(f"fold {f.fold}: emulator cv R² {f.emulator_cv_r2:.2f}; held-out RPS model {t['model_fitted']:.4f} "
                  f"(defaults {t['model_default']:.4f}), base rate {t.get('base_rate', float('nan')):.4f}, "
                  f"ordered logit {t.get('ordered_logit', float('nan')):.4f}", markup=False)
    held = obj.get("held_out") or {}
    for label, d in (held.get("differences") or {}).items():
        con.print(f"held-out RPS {label}: {d['mean']:+.4f} [{d['lo']:+.4f}, {d['hi']:+.4f}] (n {d['n']})", markup=False)
    for cat, r in ((obj.get("final_world") or {}).get("dyad_ratios") or {}).items():
        con.print(f"dangerous dyads at the fit, {cat}: model {r['model']:.3g}, real {r['real']:.3g}", markup=False)
    con.print(f"{sims} simulations, {reused} reused; {obj['seconds']} s; wrote {args.out}", markup=False)
    return 0


def _last_cost(path: Path) -> float:
    """Seconds per design point noted by an earlier run, else a conservative guess (two minutes)."""
    try:
        return max(1e-3, float(json.loads(path.read_text("utf-8"))["seconds_per_point"]))
    except (OSError, ValueError, KeyError, TypeError):
        return 120.0


if __name__ == "__main__":
    sys.exit(main())
