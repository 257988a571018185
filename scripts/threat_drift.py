"""How far perceived threat drifts in a year in which nothing happens: per dyad type, the model's raw threat at the year's end over its first week.

    python scripts/threat_drift.py [--years 6] [--states 24] [--runs 10] [--seed 0] [--set PATH=VALUE ...]
                                   [--switch-off NAME ...]

Runs the small worlds of the calibration's MID target (``sim.calibration.targets.WorldTargets``: seeded
years 1816–1989, major powers and anchor states with their neighbours, one year, nothing scripted)
with the dispute hazard switched off (so no dispute moves the threat), and prints, per dyad type
(contiguous, non-contiguous with a major power, other) and world, the median over dyads and runs of
the raw threat index ``T_ij`` in the last week over the first. In a world where nothing happens a
credible model keeps it near 1; ``--switch-off beliefs`` (or ``arms``…) shows which submodel drives a
drift (docs/history.md, "Two measurements after the pass"); ``--set spiral.ambiguous_rate=0`` shows it
without restraint read as evidence (docs/model.md §7.3). Every number comes from the runs: the
script reads no result file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def drift(years: int = 6, states: int = 24, runs: int = 10, seed: int = 0,
          switched_off: frozenset[str] = frozenset(),
          values: dict[str, float] | None = None) -> list[dict[str, float | int]]:
    """One row per MID world: its year and the median end-over-start raw threat of each dyad type.

    ``values`` sets model parameters (dotted path → value) in every world, as the calibration does
    (:func:`sim.validation.mechanisms.quiet_threat_drift`).
    """
    from sim.validation.mechanisms import quiet_threat_drift

    return quiet_threat_drift(years, states, runs, seed, switched_off, values)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=6)
    ap.add_argument("--states", type=int, default=24)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set", action="append", default=[], metavar="PATH=VALUE")
    ap.add_argument("--switch-off", action="append", default=[], metavar="NAME")
    a = ap.parse_args(argv)
    from rich.console import Console
    from rich.table import Table

    from sim.calibration.session import parse_settings
    from sim.calibration.targets import DYAD_TYPES
    from sim.errors import FlashpointError
    from sim.model.switches import switched_off

    if min(a.years, a.states, a.runs) < 1:
        sys.stderr.write("--years, --states and --runs must be at least 1\n")
        return 1
    try:
        off = switched_off(frozenset(a.switch_off))  # the model's own check of the names (and FLASHPOINT_SWITCH_OFF)
        values = parse_settings(a.set)
        rows = drift(a.years, a.states, a.runs, a.seed, off, values)
    except (FlashpointError, ValueError) as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    table = Table(title=f"raw threat, last week / first week (median over dyads × {a.runs} runs); dispute hazard off"
                        + (f", {', '.join(sorted(off))} off" if off else "")
                        + "".join(f", {k}={v:g}" for k, v in values.items()), title_justify="left")
    table.add_column("world (year)")
    for name in DYAD_TYPES:
        table.add_column(name, justify="right")
    for r in rows:
        table.add_row(str(r["year"]), *(f"{r[name]:.3f}" for name in DYAD_TYPES))
    Console(highlight=False).print(table, markup=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
