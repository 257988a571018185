"""Which outcomes each model parameter moves: every numeric parameter at its minimum and its maximum.

For each numeric parameter of the registry (:func:`sim.scenario.parameters.parameter_table`) and
each bundled scenario (``scenarios/*.yaml``) it runs the scenario twice over the same seeds
(common random numbers), once with the parameter at its minimum and once at its maximum, and
compares the outcomes run by run:

* per dyad: mean peak rung, P(violence: rung ≥ 5), P(war: rung ≥ 7), P(nuclear use: rung ≥ 9);
* per directed pair: P(support of at least arms), the degree the model's states choose;
* per state: military spending at the end, mean of its highest perceived threat.

An outcome *moves* when the paired 95% interval of (max − min) excludes 0 and, to keep chance
findings out among the many outcomes compared, the paired z-score exceeds ``--z`` (default 3.3,
about p < 0.001). A parameter that moves nothing in any scenario does not earn its place.
Writes ``docs/validation-data/parameter_effects.json`` and ``.md`` (a short table).

Usage: ``python scripts/parameter_effects.py [--runs 60] [--seed 0] [--workers 1] [--only group.name ...]``
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.ensemble.seeds import child_seeds  # noqa: E402
from sim.model import CrisisModel  # noqa: E402
from sim.scenario.loader import load_scenario  # noqa: E402
from sim.scenario.parameters import Parameters, parameter_table  # noqa: E402
from sim.scenario.schema import Scenario  # noqa: E402
from sim.validation.mechanisms import MECHANISM_WORLDS  # noqa: E402

__all__ = ["numeric_parameters", "with_parameter", "outcomes", "effects", "sweep", "markdown", "scenario_of", "main"]

OUT = ROOT / "docs" / "validation-data"
#: Runs per end in the small mechanism worlds (at least; ``--runs`` if larger).
WORLD_RUNS = 400


def numeric_parameters() -> list[dict[str, Any]]:
    """The registry's numeric parameters (rows of :func:`parameter_table` with a min and a max)."""
    return [r for r in parameter_table()
            if isinstance(r["default"], int | float) and not isinstance(r["default"], bool)
            and r["min"] is not None and r["max"] is not None and r["min"] < r["max"]]


def with_parameter(sc: Scenario, path: str, value: float) -> Scenario:
    """``sc`` with parameter ``path`` ("group.name") set to ``value`` (validated by the registry)."""
    group, name = path.split(".")
    data = sc.parameters.model_dump()
    data[group][name] = value
    return sc.model_copy(update={"parameters": Parameters.model_validate(data)})


def outcomes(sc: Scenario, runs: int, seed: int) -> dict[str, np.ndarray]:
    """Per-run outcomes of ``runs`` replications (seeds from ``seed``): name → array of ``runs`` values."""
    m = CrisisModel(sc, seeds=child_seeds(seed, runs), record="summary").run()
    codes = list(m.world.codes)
    n = len(codes)
    out: dict[str, np.ndarray] = {}
    for a in range(n):
        for b in range(a + 1, n):
            dy = f"{codes[a]}–{codes[b]}"
            peak = m.peak[:, a, b].astype(float)
            out[f"{dy} mean peak rung"] = peak
            out[f"{dy} P(violence, rung ≥ 5)"] = (peak >= 5).astype(float)
            out[f"{dy} P(war, rung ≥ 7)"] = (peak >= 7).astype(float)
            out[f"{dy} P(nuclear use, rung ≥ 9)"] = (peak >= 9).astype(float)
    for a in range(n):
        for b in range(n):
            if a != b:
                out[f"{codes[a]} → {codes[b]} P(support ≥ arms)"] = (m.support_max[:, a, b] >= 2).astype(float)
    for a in range(n):
        out[f"{codes[a]} final military spending"] = m.series["milex"][-1, :, a].astype(float)
        out[f"{codes[a]} mean highest threat"] = m.series["max_threat"][1:, :, a].mean(axis=0).astype(float)
    return out


def effects(sc: Scenario, path: str, lo: float, hi: float, runs: int, seed: int, z: float = 3.3) -> dict[str, Any]:
    """Compare ``sc`` with parameter ``path`` at ``hi`` and at ``lo`` over the same seeds.

    Returns ``{"identical": bool, "moved": [{"outcome", "at_min", "at_max", "diff", "lo", "hi", "z"}…]}``;
    ``identical`` is true when every outcome of every run is the same at both ends (the parameter
    cannot have mattered in this scenario).
    """
    a, b = outcomes(with_parameter(sc, path, lo), runs, seed), outcomes(with_parameter(sc, path, hi), runs, seed)
    identical = all(np.array_equal(a[k], b[k]) for k in a)
    moved = []
    for k in a:
        d = b[k] - a[k]
        if not d.any():
            continue
        se = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else 0.0
        mean = float(d.mean())
        zz = abs(mean) / se if se > 0 else (np.inf if mean else 0.0)
        if zz > z:
            moved.append({"outcome": k, "at_min": float(a[k].mean()), "at_max": float(b[k].mean()), "diff": mean,
                          "lo": mean - 1.96 * se, "hi": mean + 1.96 * se, "z": float(min(zz, 1e9))})
    moved.sort(key=lambda r: -r["z"])
    return {"identical": identical, "moved": moved}


def scenario_of(name: str) -> Scenario:
    """A bundled scenario ("scenarios/x.yaml") or a mechanism world ("world:spiral", :data:`MECHANISM_WORLDS`)."""
    if name.startswith("world:"):
        return MECHANISM_WORLDS[name.removeprefix("world:")]()
    return load_scenario(ROOT / name)


def _one(args: tuple[str, str, float, float, int, int, float]) -> tuple[str, str, dict[str, Any]]:
    file, path, lo, hi, runs, seed, z = args
    if file.startswith("world:"):  # two or three states: cheap, and their effects can be rare (nuclear use)
        runs = max(runs, WORLD_RUNS)
    return path, file, effects(scenario_of(file), path, lo, hi, runs, seed, z)


def sweep(files: list[str], params: list[dict[str, Any]], runs: int, seed: int, z: float, workers: int = 1,
          progress=None) -> dict[str, dict[str, Any]]:
    """Every (parameter, scenario) comparison: path → {"min", "max", "scenarios": {file: effects}}."""
    result: dict[str, dict[str, Any]] = {p["path"]: {"min": p["min"], "max": p["max"], "default": p["default"],
                                                     "scenarios": {}} for p in params}
    tasks = [(f, p["path"], p["min"], p["max"], runs, seed, z) for p in params for f in files]
    pool = cf.ProcessPoolExecutor(workers) if workers > 1 else None
    try:
        it = pool.map(_one, tasks) if pool else map(_one, tasks)
        for path, file, eff in it:
            result[path]["scenarios"][file] = eff
            if progress:
                progress()
    finally:
        if pool:
            pool.shutdown()
    return result


def _short(name: str) -> str:
    """'scenarios/july-crisis-1914.yaml' → 'july-crisis-1914'; 'world:spiral' stays."""
    return name if name.startswith("world:") else Path(name).stem


def markdown(result: dict[str, dict[str, Any]], runs: int, seed: int, z: float) -> str:
    """A short table: per parameter, how many outcomes move in each scenario and the strongest effect."""
    lines = [f"Each numeric parameter at its minimum and its maximum, {runs} paired runs per end (master seed {seed}); "
             f"an outcome moves when |paired z| > {z}. `world:…` are the small mechanism worlds of "
             f"`sim/validation/mechanisms.py` (at least {WORLD_RUNS} runs per end).", "",
             "| parameter | min → max | outcomes moved, per scenario | effect with the highest paired z (max − min, 95% interval) |",
             "|---|---|---|---|"]
    for path, r in result.items():
        moved = [(f, m) for f, e in r["scenarios"].items() for m in e["moved"]]
        counts = ", ".join(f"{_short(f)} {len(e['moved'])}" for f, e in r["scenarios"].items() if e["moved"]) or "0"
        if moved:
            f, m = max(moved, key=lambda x: x[1]["z"])
            best = f"{_short(f)}: {m['outcome']} {m['diff']:+.3g} [{m['lo']:+.3g}, {m['hi']:+.3g}]"
        else:
            same = all(e["identical"] for e in r["scenarios"].values())
            best = "none" + (" (runs identical at both ends)" if same else "")
        lines.append(f"| `{path}` | {r['min']} → {r['max']} | {counts} | {best} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console
    from rich.progress import Progress

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=60, help="paired runs per end of each parameter (default 60)")
    ap.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    ap.add_argument("--z", type=float, default=3.3, help="paired z-score above which an outcome counts as moved")
    ap.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("--only", nargs="+", action="extend", default=None,
                    help="parameters (group.name) to run, repeatable (--only a b --only c); default: all")
    ap.add_argument("--worlds", action="store_true",
                    help="also run the small mechanism worlds of sim.validation.mechanisms (world:spiral, …)")
    ap.add_argument("--worlds-only", action="store_true", help="run the mechanism worlds only (no bundled scenario)")
    ap.add_argument("--out", type=Path, default=OUT, help="output directory (default docs/validation-data)")
    ap.add_argument("--merge", action="store_true",
                    help="merge into the existing parameter_effects.json (same runs, seed and z) instead of replacing it")
    a = ap.parse_args(argv)
    params = numeric_parameters()
    if a.only:
        unknown = sorted(set(a.only) - {p["path"] for p in params})
        if unknown:
            Console(stderr=True).print(f"unknown parameter(s): {', '.join(unknown)}", markup=False)
            return 2
        params = [p for p in params if p["path"] in a.only]
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "scenarios").glob("*.yaml"))
    if a.worlds_only:
        files = []
    if a.worlds or a.worlds_only:
        files += [f"world:{w}" for w in MECHANISM_WORLDS]
    with Progress(console=Console(stderr=True)) as bar:
        task = bar.add_task("parameters × scenarios", total=len(params) * len(files))
        result = sweep(files, params, a.runs, a.seed, a.z, a.workers, progress=lambda: bar.advance(task))
    a.out.mkdir(parents=True, exist_ok=True)
    path = a.out / "parameter_effects.json"
    if a.merge and path.exists():
        old = json.loads(path.read_text(encoding="utf-8"))
        if (old.get("runs"), old.get("seed"), old.get("z")) != (a.runs, a.seed, a.z):
            Console(stderr=True).print("--merge needs the same --runs, --seed and --z as the existing file", markup=False)
            return 2
        for p, r in result.items():
            old["parameters"].setdefault(p, {**r, "scenarios": {}})["scenarios"].update(r["scenarios"])
        files = sorted(set(old.get("scenarios", [])) | set(files))
        result = old["parameters"]
    path.write_text(json.dumps({"runs": a.runs, "seed": a.seed, "z": a.z, "scenarios": files,
                                "parameters": result}, indent=1, ensure_ascii=False) + "\n")
    md = markdown(result, a.runs, a.seed, a.z)
    (a.out / "parameter_effects.md").write_text(md)
    idle = [p for p, r in result.items() if not any(e["moved"] for e in r["scenarios"].values())]
    sys.stdout.write(md)
    if idle:
        sys.stdout.write(f"parameters that move nothing: {', '.join(idle)}\n")
    return 1 if idle else 0


if __name__ == "__main__":
    raise SystemExit(main())
