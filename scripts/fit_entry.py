"""Fit ``alliance_politics.entry_short_of_war`` and ``entry_at_war`` to the MID record of allies fighting.

The model's share of defence allies that fight on a partner's side (troops or joining,
:func:`sim.validation.alliances.join_cases`) is measured in each bundled scenario as written and
in its one-year quiet variant, pooled, on the same seeds for every trial value (common random
numbers). Each offset is solved by Brent's method (SciPy) so that the model's share equals the
real one:

- ``entry_short_of_war``: of the defence allies of a partner in a use of force short of war, the
  share that fight on its side — 0.27% in the MID record (``sim/data/mid_join_rates.csv``: GML MID
  v2.2.1 × ATOP v5.1; ``scripts/mid_join_rates.py``);
- ``entry_at_war``: of the allies whose pledge is called on — the partner attacked and at war, the
  casus foederis of a defence pledge — the share that fight: 74.5% (Leeds, Long & Mitchell 2000,
  who read each treaty's own conditions, 1816–1944). The unconditional share of allies that
  fight in a partner's war (9.3% in GML × ATOP, where many pledges are not called on: the partner
  started the war, or the treaty covers another region or opponent) is reported as a check.

The two are solved in turn, twice, since fewer entries into clashes also mean fewer wars. The
*fitted interval* of ``entry_short_of_war`` is the range of offsets whose share lies within the
real share's Wilson 95% interval (the published 74.5% comes without one).
Writes ``docs/validation-data/entry_fit.json``; ``--apply`` also writes the fitted defaults and
intervals into ``sim/scenario/parameters.py``. Run:

    python scripts/fit_entry.py [--runs 300] [--seed 0] [--apply]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from scipy.optimize import brentq

from sim.calibration.space import model_fingerprint
from sim.ensemble.seeds import child_seeds
from sim.model import CrisisModel
from sim.validation.alliances import JOIN_CLASSES, fit_worlds, join_cases, observed_join_rates

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "validation-data" / "entry_fit.json"
PARAMS = ROOT / "sim" / "scenario" / "parameters.py"
NAMES = {"force": "entry_short_of_war", "war": "entry_at_war"}
#: the class of cases each offset is fitted on (sim.validation.alliances.join_cases)
CASES = {"force": "force", "war": "casus"}
#: Leeds, Long & Mitchell (2000): alliance commitments honoured when their conditions arise, 1816–1944
HONOURED = 0.745
LOW, HIGH = -15.0, 3.0


def with_offsets(sc, offsets: dict[str, float]):
    p = sc.parameters
    ap = p.alliance_politics.model_copy(update={NAMES[k]: float(v) for k, v in offsets.items()})
    return sc.model_copy(update={"parameters": p.model_copy(update={"alliance_politics": ap})})


def measure(worlds, offsets: dict[str, float], seeds: list[int]) -> dict[str, list[int]]:
    tot = {k: [0, 0] for k in JOIN_CLASSES}
    for _, sc in worlds:
        m = CrisisModel(with_offsets(sc, offsets), seeds=seeds, record="dyads")
        m.run()
        for k, (f, n) in join_cases(m).items():
            tot[k][0] += f
            tot[k][1] += n
    return tot


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--apply", action="store_true", help="write the fitted defaults into sim/scenario/parameters.py")
    args = ap.parse_args()
    t0 = time.perf_counter()
    worlds = fit_worlds()
    seeds = child_seeds(args.seed, args.runs)
    real = observed_join_rates()
    offsets = {"force": 0.0, "war": 0.0}
    evaluations = 0

    def share(kind: str, x: float, target: float) -> float:
        nonlocal evaluations
        evaluations += 1
        f, n = measure(worlds, {**offsets, kind: x}, seeds)[CASES[kind]]
        print(f"  {NAMES[kind]} = {x:+.3f}: {f} of {n} allies fought ({f / max(n, 1):.4f}; target {target:.4f})", file=sys.stderr)
        return (f / n if n else 0.0) - target

    def solve(kind: str, target: float) -> float:
        lo, hi = share(kind, LOW, target), share(kind, HIGH, target)
        if lo > 0:
            return LOW
        if hi < 0:
            return HIGH
        return float(brentq(lambda x: share(kind, x, target), LOW, HIGH, xtol=0.05))

    targets = {"force": real["force"]["share"], "war": HONOURED}
    for _ in range(2):
        for kind in ("force", "war"):
            offsets[kind] = round(solve(kind, targets[kind]), 2)
    # the shares fall as the offset falls: the low end of the real interval gives the low offset
    intervals = {"force": (round(solve("force", real["force"]["lo95"]), 2), round(solve("force", real["force"]["hi95"]), 2)),
                 "war": None}
    final = measure(worlds, offsets, seeds)
    doc = {"runs": args.runs, "seed": args.seed, "model_fingerprint": model_fingerprint(),
           "worlds": [name for name, _ in worlds], "evaluations": evaluations,
           "seconds": round(time.perf_counter() - t0, 1),
           "fitted": {NAMES[k]: {"value": offsets[k], "interval": list(intervals[k]) if intervals[k] else None,
                                 "cases": CASES[k], "target": targets[k],
                                 "model_fought": final[CASES[k]][0], "model_cases": final[CASES[k]][1],
                                 "model_share": final[CASES[k]][0] / max(final[CASES[k]][1], 1)} for k in NAMES},
           "check": {"war_any_call": {"model_fought": final["war"][0], "model_cases": final["war"][1],
                                      "model_share": final["war"][0] / max(final["war"][1], 1), "real": real["war"]}},
           "real": real}
    for k, name in NAMES.items():
        d = doc["fitted"][name]
        span = f" (interval {d['interval'][0]:+.2f} … {d['interval'][1]:+.2f})" if d["interval"] else ""
        print(f"{name} = {d['value']:+.2f}{span}: model {d['model_fought']} of {d['model_cases']} "
              f"({d['model_share']:.2%}) vs target {targets[k]:.2%}")
    c = doc["check"]["war_any_call"]
    print(f"check: allies fighting in a partner's war, called on or not: model {c['model_fought']} of {c['model_cases']} "
          f"({c['model_share']:.2%}) vs MID record {real['war']['share']:.2%} [{real['war']['lo95']:.2%}–{real['war']['hi95']:.2%}]")
    print(f"{evaluations} evaluations, {doc['seconds']} s")
    if args.apply:
        PARAMS.write_text(applied(PARAMS.read_text(), offsets, intervals))
        doc["model_fingerprint"] = model_fingerprint()  # the model with these defaults
        print(f"applied to {PARAMS.relative_to(ROOT)}")
    OUT.write_text(json.dumps(doc, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


def applied(text: str, offsets: dict[str, float], intervals: dict[str, tuple[float, float] | None]) -> str:
    """``parameters.py``'s text with the two offsets' defaults (and fitted intervals, where known) replaced."""
    for k, name in NAMES.items():
        span = f", fitted=({intervals[k][0]}, {intervals[k][1]})" if intervals[k] else ""
        pat = re.compile(rf"(    {name}: float = P\()([-+0-9.]+)(, .*?)(, fitted=\([^)]*\))?\)\n")
        text, count = pat.subn(lambda mt, v=offsets[k], span=span: f"{mt.group(1)}{v}{mt.group(3)}{span})\n", text)
        if count != 1:
            raise SystemExit(f"could not find {name} in {PARAMS}")
    return text

if __name__ == "__main__":
    main()
