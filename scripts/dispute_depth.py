"""How far the model's disputes go: MID onset rates by dyad type and hostility band, with the model's brakes released.

    python scripts/dispute_depth.py [--years 6] [--states 24] [--runs 20] [--seed 0]
                                    [--set PATH=VALUE ...] [--switch-off NAME ...]

Runs the small worlds of the calibration's MID target (``sim.calibration.targets.WorldTargets``:
seeded years 1816–1989, major powers and anchor states with their neighbours, one year, nothing
scripted) and prints, per dyad type (contiguous, major power, other), the simulated onsets per
1,000 dyad-years at each MID hostility band (threat, display, use of force, war) beside the record
(GML MID v2.2.1, ``sim/data/mid_onset_rates_1816-1989.csv``), and the share of disputes (threat
band) that reach force. ``--set`` changes parameters (e.g. ``ladder.violence_resistance=1``),
``--switch-off`` removes submodels (as ``FLASHPOINT_SWITCH_OFF``): the diagnostic of docs/history.md
("Where the model's disputes stop") is this script with the crossing into violence released.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=6)
    ap.add_argument("--states", type=int, default=24)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set", action="append", default=[], metavar="PATH=VALUE")
    ap.add_argument("--switch-off", action="append", default=[], metavar="NAME")
    a = ap.parse_args(argv)
    if a.switch_off:  # read by the model in every worker (docs/model.md §7.11)
        os.environ["FLASHPOINT_SWITCH_OFF"] = ",".join(a.switch_off)
    from rich.console import Console
    from rich.table import Table

    from sim.calibration import parameter_space
    from sim.calibration.session import parse_settings
    from sim.calibration.targets import (
        BANDS,
        DYAD_TYPES,
        WorldEvaluator,
        WorldTargets,
        read_mid_rates,
    )
    from sim.errors import FlashpointError

    try:
        values = parse_settings(a.set)
        space = parameter_space(list(values) or ["ladder.violence_resistance"])
        x = list(values.values()) or list(space.defaults)
        targets = WorldTargets.build(years=a.years, states=a.states, wars=0, dyad_year=0, seed=a.seed)
        counts = WorldEvaluator(targets, space, runs=a.runs, seed=a.seed, executor="process").counts(x)
    except FlashpointError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    real = read_mid_rates()
    con = Console(highlight=False)
    table = Table(title=f"onsets per 1,000 dyad-years, model (MID 1816–1989); {a.years} years × {a.runs} runs",
                  title_justify="left")
    table.add_column("dyad type")
    for band, _ in BANDS:
        table.add_column(band, justify="right")
    table.add_column("force / threat", justify="right")
    for t, name in enumerate(DYAD_TYPES):
        n, *k = counts["mid"][t]
        cells = []
        for b, (band, _) in enumerate(BANDS):
            rn, rk = real[(name, band)]
            cells.append(f"{1000 * k[b] / max(n, 1):.2f} ({1000 * rk / rn:.2f})")
        rt, rf = real[(name, "threat")][1], real[(name, "force")][1]
        cells.append(f"{k[2] / k[0] if k[0] else float('nan'):.2f} ({rf / rt:.2f})")
        table.add_row(name, *cells)
    con.print(table, markup=False)
    settings = ", ".join(f"{p}={v:g}" for p, v in zip(space.paths, x, strict=True))
    con.print(f"parameters: {settings}; switched off: {', '.join(a.switch_off) or 'none'}", markup=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
