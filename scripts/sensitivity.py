"""Sobol indices (SALib) of the calibration targets over the model's parameters.

    python scripts/sensitivity.py [--param PATH ...] [--all] [--base-samples 64] [--runs 10]
                                  [--crises N] [--executor process|inprocess|dask] [--workers W]
                                  [--scheduler tcp://HOST:PORT] [--checkpoints out/sensitivity/checkpoints]
                                  [--out docs/validation-data/sobol.json] [--seed 0]

Runs N × (d + 2) parameter vectors (Saltelli's scheme) on the training crises through the same
checkpointed evaluator as scripts/calibrate.py, and writes first-order and total indices with
confidence half-widths per output (docs/history.md). Resumable: run it again to reuse checkpoints.
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
    add_common_arguments(ap, runs=10, checkpoints=ROOT / "out" / "sensitivity" / "checkpoints")
    ap.add_argument("--all", action="store_true", help="every parameter of the registry")
    ap.add_argument("--base-samples", type=int, default=64, help="SALib's N, a power of two")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "validation-data" / "sobol.json")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    from rich.console import Console

    from sim.calibration import CrisisSet, parameter_space, sobol_indices
    from sim.errors import FlashpointError
    from sim.history.training import load_training

    t0 = time.perf_counter()
    try:
        crises = CrisisSet.from_icb(load_training(), limit=args.crises, seed=args.seed)
        space = parameter_space(args.param, marker="" if args.all else "proposal")
        total = args.base_samples * (len(space.dims) + 2)
        with evaluation_session(crises, space, args, "parameter vectors", total) as (ev, advance):
            out = sobol_indices(ev, args.base_samples, seed=args.seed, on_evaluation=lambda d, t: advance(d))
    except FlashpointError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: the checkpoints kept so far resume the analysis\n")
        return 130
    out["seconds"] = round(time.perf_counter() - t0, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    con = Console(highlight=False)
    for r in sorted(out["rows"], key=lambda r: -r["ST"])[:15]:
        con.print(f"{r['output']:<34} {r['parameter']:<34} S1 {r['S1']:+.3f} ±{r['S1_conf']:.3f}  "
                  f"ST {r['ST']:+.3f} ±{r['ST_conf']:.3f}", markup=False)
    con.print(f"{out['evaluations']} vectors × {out['crises']} crises × {args.runs} runs in {out['seconds']} s; "
              f"wrote {args.out}", markup=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
