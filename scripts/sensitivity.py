"""Sobol indices (SALib) of the calibration targets over every parameter of the registry, on emulators.

    python scripts/sensitivity.py [--design 64] [--base-samples 1024] [--runs 10] [--param PATH ...]
                                  [--crises N] [--world-years 3] [--world-states 24] [--wars 6]
                                  [--executor local|process|dask] [--workers W] [--scheduler tcp://HOST:PORT]
                                  [--checkpoints out/sensitivity/checkpoints]
                                  [--out docs/validation-data/sobol.json] [--markdown docs/validation-data/sobol.md]

A space-filling design over every numeric parameter (or the --param ones) is simulated once
(checkpointed: run it again to resume), a quadratic emulator of each output is fitted to it and
SALib's Saltelli scheme runs on the emulator (docs/history.md). Each output's emulator reports its
cross-validated R².
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.calibration.session import add_common_arguments, evaluation_session, parse_bounds  # noqa: E402


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(ap, runs=10, checkpoints=ROOT / "out" / "sensitivity" / "checkpoints")
    ap.add_argument("--design", type=int, default=64, help="simulated design points (the defaults included)")
    ap.add_argument("--base-samples", type=int, default=1024, help="SALib's N on the emulator, a power of two")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "validation-data" / "sobol.json")
    ap.add_argument("--markdown", type=Path, default=None, help="also write the markdown table here")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    from rich.console import Console

    from sim.calibration import CrisisSet, emulated_sobol, parameter_space
    from sim.calibration.report import sobol_markdown
    from sim.errors import FlashpointError
    from sim.history.training import load_training

    t0 = time.perf_counter()
    try:
        crises = CrisisSet.from_icb(load_training(), limit=args.crises, seed=args.seed)
        space = parameter_space(args.param, marker="", bounds=parse_bounds(args.bound))
        with evaluation_session(crises, space, args, "design points", args.design) as (ev, world, advance):
            out = emulated_sobol(ev, world, design_size=args.design, base_samples=args.base_samples, seed=args.seed,
                                 on_point=lambda d, t: advance(d))
            out.update(simulations=ev.evaluations + (world.evaluations if world else 0),
                       checkpoints_reused=ev.reused + (world.reused if world else 0))
    except FlashpointError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: the checkpoints kept so far resume the analysis\n")
        return 130
    out.update(seconds=round(time.perf_counter() - t0, 1), executor=args.executor)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        if args.markdown:
            args.markdown.write_text(sobol_markdown(out), encoding="utf-8")
    except OSError as exc:
        sys.stderr.write(f"cannot write the results ({exc.strerror})\n")
        return 1
    con = Console(highlight=False)
    for name, e in out["emulators"].items():
        r2 = "constant" if e["constant"] else f"cv R² {e['cv_r2']:.2f}"
        top = sorted((r for r in out["rows"] if r["output"] == name), key=lambda r: -r["ST"])[:3]
        con.print(f"{name:<34} {r2:<12} " + ", ".join(f"{r['parameter']} ST {r['ST']:.2f}" for r in top), markup=False)
    con.print(f"{out['design_size']} design points × {out['crises']} crises × {args.runs} runs in {out['seconds']} s; "
              f"wrote {args.out}", markup=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
