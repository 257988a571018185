"""Benchmark of ensembles (``make bench``; not part of ``make test``).

Measures, on the machine it runs on, the targets of issue 4:

1. ``cli``     — 1,000 replications of the founding scenario through the CLI, start-up included
                 (``python -m sim ensemble …`` in a subprocess, wall time);
2. ``world``   — 100 replications of a world scenario: every state of the 2022 catalog, weekly,
                 52 steps, no events;
3. ``memory``  — peak resident memory of a process running 10,000 replications (parent and, separately,
                 the largest worker), plus the aggregator's fan-chart state and per-run table sizes;
4. ``batch_run`` — the same model and runs through Mesa's ``batch_run`` (in a subprocess, because
                 ``batch_run`` sets the global start method), 1 and 2 processes, against ours;
5. ``scaling`` — 1,000 replications with local processes, 2 workers against 1 (seven alternating
                 pairs after a warm-up; the median of the pairs' ratios, and the ratio of the
                 medians);
6. ``overheads`` — per-run, per-task and pool start-up costs of the ensemble layer;
7. ``p2``      — accuracy of the streaming (binned, formerly P²) quantiles against exact ones;
8. ``speed``   — the three speed figures of issue 14 (item 17), each in a fresh process of the
                 checkout ``--root`` (default: this one), with their ratios to the figures recorded
                 for main 93cd2e4 in ``bench/results/baseline-issue14.json``: 10,000 founding runs
                 through the CLI, start-up included (``flashpoint ensemble … -n 10000``, wall); 100 runs
                 of the 195-state world (``run_ensemble``, wall); 2 workers against 1 (1,000 runs,
                 seven alternating pairs, the median of the pairs' ratios).

Usage::

    python bench/bench_ensemble.py [--quick] [--only cli,world,…] [--out FILE] [--root CHECKOUT] [--repeat K]

To record the baseline of the ``speed`` section from another checkout (e.g. a worktree of 93cd2e4)::

    python bench/bench_ensemble.py --only speed --root /tmp/base --repeat 3 --out bench/results/baseline-issue14.json

``--quick`` divides every size by 10 (a smoke test of the benchmark itself). The whole benchmark
writes ``bench/results/ensemble.json`` (kept in the repository); ``--only`` writes
``bench/results/only-SECTIONS.json`` (not kept), so a partial run does not replace the record.
Figures depend on the machine and on what else runs on it: the load average before and after is
recorded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import pickle
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOUNDING = ROOT / "scenarios" / "korea-russia-2024.yaml"
PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}

TARGETS = {
    "cli_seconds_1000": 5.0,
    "world_seconds_100": 60.0,
    "memory_mib_10000": 1024.0,
    "batch_run_ratio": 5.0,
    "scaling_2_vs_1": 1.7,
    # issue 14, item 17 (the ``speed`` section)
    "cli_seconds_10000": 5.0,
    "world_195_seconds_100": 4.0,
    "scaling_2_vs_1_item17": 1.8,
}
#: Higher is better for these figures; lower for the others.
HIGHER_IS_BETTER = ("batch_run_ratio", "scaling_2_vs_1", "scaling_2_vs_1_item17")
BASELINE = ROOT / "bench" / "results" / "baseline-issue14.json"


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    import mesa
    import numpy

    return {"date": dt.datetime.now().isoformat(timespec="seconds"), "cpu": cpu, "cores": os.cpu_count(),
            "memory_gib": mem, "python": platform.python_version(), "platform": platform.platform(),
            "mesa": mesa.__version__, "numpy": numpy.__version__, "loadavg_start": os.getloadavg()}


def cpu_now() -> float:
    """CPU seconds (user + system) used so far by this process and its waited-for children."""
    import resource

    a = resource.getrusage(resource.RUSAGE_SELF)
    b = resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def cli_command() -> list[str]:
    """How to start the CLI: ``python -m sim`` when the package has a ``__main__``."""
    sys.path.insert(0, str(ROOT))
    if importlib.util.find_spec("sim.__main__") is not None:
        return [PY, "-m", "sim"]
    if importlib.util.find_spec("sim.cli.main") is not None:
        return [PY, "-c", "import sys; from sim.cli.main import main; sys.exit(main())"]
    shim = ("import typer; from sim.cli.ensemble_cmds import register; "
            "app = typer.Typer(add_completion=False, pretty_exceptions_enable=False); register(app); app()")
    return [PY, "-c", shim]


def bench_cli(runs: int) -> dict:
    cmd = cli_command()
    with tempfile.TemporaryDirectory() as tmp:
        args = [*cmd, "ensemble", str(FOUNDING), "--runs", str(runs), "--json", "--out", tmp]
        t0, c0 = time.perf_counter(), cpu_now()
        p = subprocess.run(args, capture_output=True, text=True, env=ENV, cwd=ROOT)
        wall, cpu = time.perf_counter() - t0, cpu_now() - c0
    if p.returncode != 0:
        return {"error": p.stderr[-2000:], "command": " ".join(cmd[:3])}
    js = json.loads(p.stdout)
    return {"runs": runs, "wall_seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "runs_per_second": round(runs / wall, 1),
            "library_seconds": js["timing"]["wall_seconds"], "mean_run_seconds": js["timing"]["mean_run_seconds"],
            "executor": js["executor"], "command": " ".join(a if " " not in a else "'…'" for a in cmd[:3])}


def world_scenario():
    from sim.catalog import load_catalog
    from sim.scenario.schema import Scenario

    codes = load_catalog().codes(2022)
    return Scenario.model_validate({
        "id": "world-2022", "title": f"Every state of 2022 ({len(codes)}), one quiet year", "briefing": {"summary": "Benchmark."},
        "data_year": 2022, "calendar": {"start": "2022-01-03", "step": "week", "horizon": 52},
        "actors": [{"code": c} for c in codes]})


def bench_world(runs: int) -> dict:
    from sim.ensemble import run_ensemble

    sc = world_scenario()
    t0, c0 = time.perf_counter(), cpu_now()
    res = run_ensemble(sc, runs=runs, seed=0)
    wall, cpu = time.perf_counter() - t0, cpu_now() - c0
    return {"actors": len(sc.actors), "dyads": res.layout.d, "runs": runs, "wall_seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
            "mean_run_seconds": round(res.aggregator.run_seconds / max(1, res.completed), 3), "failed": len(res.failures),
            "dyad_levels": res.aggregator.dyad_levels, "executor": res.report.executor}


MEMORY_CHILD = r"""
import json, resource, sys, time
from sim.scenario.loader import load_scenario
from sim.ensemble import run_ensemble
sc = load_scenario(sys.argv[1])
runs = int(sys.argv[2])
t0 = time.perf_counter()
res = run_ensemble(sc, runs=runs, seed=0)
wall = time.perf_counter() - t0
before_stats_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = res.outcomes  # the statistics too (bootstrap over every run)
self_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"runs": runs, "completed": res.completed, "wall_seconds": round(wall, 1),
                  "parent_peak_mib": round(self_kib / 1024, 1), "parent_peak_before_statistics_mib": round(before_stats_kib / 1024, 1),
                  "largest_worker_peak_mib": round(child_kib / 1024, 1),
                  "fan_state_mib": round(res.aggregator.state_nbytes / 2**20, 2),
                  "per_run_table_mib": round(res.aggregator.table.nbytes / 2**20, 2),
                  "per_run_bytes": res.aggregator.table.bytes_per_run, "workers": res.report.executor.get("workers")}))
"""


def bench_memory(runs: int) -> dict:
    """Peak memory at ``runs`` and at 1 % of it: the difference is what the runs cost."""
    res: dict = {"by_runs": {}}
    for n in sorted({max(10, runs // 100), runs}):
        p = subprocess.run([PY, "-c", MEMORY_CHILD, str(FOUNDING), str(n)], capture_output=True, text=True, env=ENV, cwd=ROOT)
        if p.returncode != 0:
            return {"error": p.stderr[-2000:]}
        res["by_runs"][str(n)] = json.loads(p.stdout.strip().splitlines()[-1])
    return res


BATCH_CHILD = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
import mesa
from mesa.batchrunner import batch_run
from sim.model import CrisisModel
from sim.scenario.loader import load_scenario
from sim.ensemble import child_seeds

class BatchCrisis(CrisisModel):
    # CrisisModel as batch_run builds it: parameters as keyword arguments, the seed as `seed`
    def __init__(self, scenario=None, seed=0):
        super().__init__(scenario, int(seed), record="summary")
        self.datacollector = mesa.DataCollector(model_reporters={
            "max_level": lambda m: float(m.system["max_level"][m.steps_done, 0]),
            "dyads_war": lambda m: float(m.system["dyads_war"][m.steps_done, 0])})
        self.datacollector.collect(self)

    def step(self):
        super().step()
        if self.steps_done >= self.spec.calendar.horizon:
            self.datacollector.collect(self)
            self.running = False

def main():
    sc = load_scenario(sys.argv[1])
    runs, procs = int(sys.argv[2]), int(sys.argv[3])
    seeds = child_seeds(0, runs)
    t0 = time.perf_counter()
    rows = batch_run(BatchCrisis, parameters={"scenario": [sc]}, number_processes=procs, rng=seeds,
                     data_collection_period=-1, max_steps=sc.calendar.horizon, display_progress=False)
    wall = time.perf_counter() - t0
    print(json.dumps({"runs": runs, "processes": procs, "rows": len(rows), "wall_seconds": round(wall, 2)}))

if __name__ == "__main__":
    main()
"""


def bench_batch_run(runs: int) -> dict:
    from sim.ensemble import run_ensemble
    from sim.scenario.loader import load_scenario

    sc = load_scenario(str(FOUNDING))
    out: dict = {"runs": runs}
    with tempfile.TemporaryDirectory() as tmp:
        child = Path(tmp) / "batch_child.py"
        child.write_text(BATCH_CHILD)
        for procs in (1, 2):
            c0 = cpu_now()
            p = subprocess.run([PY, str(child), str(FOUNDING), str(runs), str(procs)], capture_output=True, text=True, env=ENV, cwd=ROOT)
            cpu = cpu_now() - c0
            if p.returncode != 0:
                out[f"batch_run_{procs}"] = {"error": p.stderr[-2000:]}
                continue
            out[f"batch_run_{procs}"] = {**json.loads(p.stdout.strip().splitlines()[-1]), "cpu_seconds_incl_start": round(cpu, 2)}
    for name, kw in (("ours_inprocess", {"executor": "inprocess"}), ("ours_process_2", {"executor": "process", "workers": 2})):
        t0, c0 = time.perf_counter(), cpu_now()
        res = run_ensemble(sc, runs=runs, seed=0, **kw)
        out[name] = {"wall_seconds": round(time.perf_counter() - t0, 2), "cpu_seconds": round(cpu_now() - c0, 2),
                     "completed": res.completed}
    for procs, ours in ((1, "ours_inprocess"), (2, "ours_process_2")):
        b = out.get(f"batch_run_{procs}", {})
        if "wall_seconds" in b:
            out[f"ratio_{procs}_process"] = round(b["wall_seconds"] / out[ours]["wall_seconds"], 2)
    return out


def bench_scaling(runs: int, pairs: int = 7) -> dict:
    from sim.ensemble import run_ensemble
    from sim.scenario.loader import load_scenario

    sc = load_scenario(str(FOUNDING))
    out: dict = {"runs": runs, "repetitions": pairs}
    run_ensemble(sc, runs=20, seed=1, executor="process", workers=1)  # warm-up: this process's imports and caches
    times: dict[int, list[float]] = {1: [], 2: []}
    cpus: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(pairs):  # alternate, so that a change of load hits both alike
        for w in (1, 2):
            t0, c0 = time.perf_counter(), cpu_now()
            run_ensemble(sc, runs=runs, seed=0, executor="process", workers=w)
            times[w].append(round(time.perf_counter() - t0, 3))
            cpus[w].append(round(cpu_now() - c0, 2))
    for w in (1, 2):
        out[f"workers_{w}_seconds"] = statistics.median(times[w])
        out[f"workers_{w}_all_seconds"] = times[w]
        out[f"workers_{w}_cpu_seconds"] = statistics.median(cpus[w])
    # Each pair is measured back to back, so its ratio is free of the drift of this machine's speed
    # from one minute to the next; the headline is the median of the pairs' ratios.
    ratios = [a / b for a, b in zip(times[1], times[2], strict=True)]
    out["pair_ratios"] = sorted(round(x, 2) for x in ratios)
    out["speedup"] = round(statistics.median(ratios), 2)
    out["speedup_ratio_of_medians"] = round(out["workers_1_seconds"] / out["workers_2_seconds"], 2)
    return out


# The world of world_scenario(), spelled out: the child runs in the checkout under test, which may lack this file.
WORLD_CHILD = r"""
import json, sys, time
from sim.catalog import load_catalog
from sim.ensemble import run_ensemble
from sim.scenario.schema import Scenario
codes = load_catalog().codes(2022)
sc = Scenario.model_validate({
    "id": "world-2022", "title": "every state of 2022, one quiet year", "briefing": {"summary": "Benchmark."},
    "data_year": 2022, "calendar": {"start": "2022-01-03", "step": "week", "horizon": 52},
    "actors": [{"code": c} for c in codes]})
t0 = time.perf_counter()
res = run_ensemble(sc, runs=int(sys.argv[1]), seed=0)
print(json.dumps({"actors": len(codes), "runs": int(sys.argv[1]), "completed": res.completed,
                  "wall_seconds": round(time.perf_counter() - t0, 2)}))
"""

SCALING_CHILD = r"""
import json, statistics, sys, time
from sim.ensemble import run_ensemble
from sim.scenario.loader import load_scenario
sc = load_scenario(sys.argv[1])
runs, pairs = int(sys.argv[2]), int(sys.argv[3])
run_ensemble(sc, runs=20, seed=1, executor="process", workers=1)  # warm-up
times = {1: [], 2: []}
for _ in range(pairs):
    for w in (1, 2):
        t0 = time.perf_counter()
        run_ensemble(sc, runs=runs, seed=0, executor="process", workers=w)
        times[w].append(time.perf_counter() - t0)
ratios = [a / b for a, b in zip(times[1], times[2])]
print(json.dumps({"runs": runs, "pairs": pairs, "workers_1_seconds": round(statistics.median(times[1]), 3),
                  "workers_2_seconds": round(statistics.median(times[2]), 3), "pair_ratios": sorted(round(x, 2) for x in ratios),
                  "speedup": round(statistics.median(ratios), 2)}))
"""


def bench_speed(runs: int, root: Path = ROOT, repeat: int = 1, parts: str = "cli,world,scaling", pairs: int = 7,
                world_runs: int | None = None) -> dict:
    """Issue 14, item 17: 10,000 founding runs by the CLI, 100 runs of the world, 2 workers against 1.

    Everything runs in fresh processes of the checkout ``root``, so that a baseline can be measured
    from another checkout with the same code of the benchmark. ``runs`` is 10,000 (1,000 with
    ``--quick``); the world takes ``runs // 100`` runs and the scaling ``runs // 10``. Each figure
    is the median of ``repeat`` measurements (the scaling's is the median of its ``pairs`` pairs'
    ratios). ``parts`` picks the figures; ``world_runs`` overrides the world's runs.
    """
    env = {**os.environ, "PYTHONPATH": str(root)}
    founding = root / "scenarios" / "korea-russia-2024.yaml"
    out: dict = {"root": str(root), "repeat": repeat}

    def child(args: list[str]) -> dict:
        p = subprocess.run([PY, *args], capture_output=True, text=True, env=env, cwd=root)
        if p.returncode != 0:
            raise RuntimeError(p.stderr[-2000:])
        try:
            return json.loads(p.stdout)  # the CLI's JSON (indented)
        except json.JSONDecodeError:
            return json.loads(p.stdout.strip().splitlines()[-1])  # a child's one line

    todo = parts.split(",")
    try:
        walls, cpus = [], []
        for _ in range(repeat if "cli" in todo else 0):
            with tempfile.TemporaryDirectory() as tmp:
                t0, c0 = time.perf_counter(), cpu_now()
                js = child(["-m", "sim", "ensemble", str(founding), "--runs", str(runs), "--json", "--out", tmp])
                walls.append(time.perf_counter() - t0)
                cpus.append(cpu_now() - c0)
        if walls:
            out["cli"] = {"runs": runs, "wall_seconds": round(statistics.median(walls), 2), "all_wall_seconds": [round(x, 2) for x in walls],
                          "cpu_seconds": round(statistics.median(cpus), 2), "library_seconds": js["timing"]["wall_seconds"]}
        if "world" in todo:
            worlds, wcpu = [], []
            for _ in range(repeat):
                c0 = cpu_now()
                worlds.append(child(["-c", WORLD_CHILD, str(world_runs or max(1, runs // 100))]))
                wcpu.append(cpu_now() - c0)
            out["world"] = {**worlds[-1], "wall_seconds": statistics.median(w["wall_seconds"] for w in worlds),
                            "all_wall_seconds": [w["wall_seconds"] for w in worlds], "cpu_seconds": round(statistics.median(wcpu), 2)}
        if "scaling" in todo:
            out["scaling"] = child(["-c", SCALING_CHILD, str(founding), str(max(10, runs // 10)), str(pairs)])
    except RuntimeError as exc:
        out["error"] = str(exc)
    return out


def _noop(x=None):
    return None


def bench_overheads(runs: int) -> dict:
    """Per-run, per-task and start-up costs of the ensemble layer (founding scenario)."""
    import warnings

    from sim.analysis import EnsembleAggregator
    from sim.ensemble.ensemble import layout_of
    from sim.ensemble.executors import open_executor
    from sim.ensemble.worker import digest_run, run_lanes, run_one
    from sim.model import run_scenario
    from sim.scenario.loader import load_scenario

    sc = load_scenario(str(FOUNDING))
    for s in range(3):
        run_one(sc, s)
    seeds = list(range(100, 100 + runs))
    t = time.perf_counter()
    ds = [run_one(sc, s, True) for s in seeds]
    lean = (time.perf_counter() - t) / runs
    by_batch = {}
    for size in (1, 16, 64, 256, 1024):
        reps = max(1, 256 // size)
        t = time.perf_counter()
        for k in range(reps):
            run_lanes(sc, list(range(k * size, (k + 1) * size)), True)
        by_batch[str(size)] = round((time.perf_counter() - t) / (reps * size) * 1e3, 2)
    t = time.perf_counter()
    rs = [run_scenario(sc, s, record="summary") for s in seeds]
    summ = (time.perf_counter() - t) / runs
    t = time.perf_counter()
    for r in rs:
        digest_run(r, False)
    dig = (time.perf_counter() - t) / runs
    agg = EnsembleAggregator(layout_of(sc))  # default: exact quantiles for the first 2,048 runs
    t = time.perf_counter()
    for k in range(500):
        agg.add(k, k, ds[k % runs])
    exact = (time.perf_counter() - t) / 500
    agg = EnsembleAggregator(layout_of(sc), buffer_runs=64)  # binned from the 65th run
    for k in range(64):
        agg.add(k, k, ds[k % runs])
    t = time.perf_counter()
    for k in range(64, 564):
        agg.add(k, k, ds[k % runs])
    p2 = (time.perf_counter() - t) / 500
    # a task's results: one RunBatch of 250 runs, shipped and folded in bulk (against 250 digests)
    batch = run_lanes(sc, list(range(250)), True)
    agg = EnsembleAggregator(layout_of(sc))
    t = time.perf_counter()
    for k in range(2):
        agg.add_batch(list(range(k * 250, (k + 1) * 250)), batch)
    bulk = (time.perf_counter() - t) / 500

    def ship(obj) -> tuple[float, float, int]:
        t0 = time.perf_counter()
        blob = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        t1 = time.perf_counter()
        pickle.loads(blob)
        return (t1 - t0) * 1e3, (time.perf_counter() - t1) * 1e3, len(blob)

    as_batch = min(ship(batch) for _ in range(3))
    as_digests = min(ship([batch.digest(r) for r in range(250)]) for _ in range(3))
    out = {"run_ms_alone_with_levels": round(lean * 1e3, 2), "run_ms_summary_alone": round(summ * 1e3, 2),
           "run_ms_by_batch_size": by_batch,
           "digest_ms": round(dig * 1e3, 3), "aggregate_ms_exact": round(exact * 1e3, 3), "aggregate_ms_binned": round(p2 * 1e3, 3),
           "aggregate_ms_exact_in_bulk": round(bulk * 1e3, 4),
           "task_result_250_runs": {
               "batch": {"pickle_ms": round(as_batch[0], 2), "unpickle_ms": round(as_batch[1], 2), "mb": round(as_batch[2] / 1e6, 2)},
               "digests": {"pickle_ms": round(as_digests[0], 2), "unpickle_ms": round(as_digests[1], 2),
                           "mb": round(as_digests[2] / 1e6, 2)}}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for m in ("fork", "spawn"):
            t = time.perf_counter()
            h = open_executor("process", 2, start_method=m)
            list(h.executor.map(_noop, range(2)))
            out[f"pool_ready_s_{m}"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            fs = [h.executor.submit(_noop) for _ in range(2000)]
            for f in fs:
                f.result()
            out[f"task_ms_{m}"] = round((time.perf_counter() - t) / 2 * 1e3 / 1000, 3)
            h.close()
        try:
            h = open_executor("dask", 2)
            list(h.executor.map(_noop, range(4)))
            t = time.perf_counter()
            fs = [h.executor.submit(_noop, i) for i in range(1000)]
            for f in fs:
                f.result()
            out["task_ms_dask_local"] = round((time.perf_counter() - t) * 1e3 / 1000, 3)
            h.close()
        except Exception as exc:  # noqa: BLE001 — Dask is optional
            out["task_ms_dask_local"] = f"unavailable: {exc}"
    return out


def bench_p2(runs: int) -> dict:
    """Accuracy of the binned streaming quantiles against exact ones on a skewed distribution (P²'s worst case)."""
    import numpy as np

    from sim.analysis.quantiles import StreamingQuantiles

    rng = np.random.default_rng(1)
    cells = 1431
    data = rng.gamma(2.0, 1.0, size=(runs, cells))
    sq = StreamingQuantiles((cells,), buffer_runs=64)
    for row in data:
        sq.add(row)
    est = sq.quantiles()
    exact = np.quantile(data, sq.probs, axis=0)
    rel = np.abs(est - exact) / exact
    return {"runs": runs, "cells": cells, "distribution": "gamma(shape 2)", "estimator": f"{sq.bins} fixed bins",
            "median_relative_error": {f"q{round(p * 100):02d}": round(float(np.median(r)), 4) for p, r in zip(sq.probs, rel, strict=True)},
            "worst_relative_error": {f"q{round(p * 100):02d}": round(float(r.max()), 4) for p, r in zip(sq.probs, rel, strict=True)}}


def verdicts(r: dict) -> dict:
    v = {}
    if "wall_seconds" in r.get("cli", {}):
        v["cli_seconds_1000"] = r["cli"]["wall_seconds"]
    if "wall_seconds" in r.get("world", {}):
        v["world_seconds_100"] = r["world"]["wall_seconds"]
    mem = r.get("memory", {}).get("by_runs")
    if mem:
        top = mem[max(mem, key=int)]
        v["memory_mib_10000"] = max(top["parent_peak_mib"], top["largest_worker_peak_mib"])
    if "ratio_2_process" in r.get("batch_run", {}):
        v["batch_run_ratio"] = r["batch_run"]["ratio_2_process"]
    if "speedup" in r.get("scaling", {}):
        v["scaling_2_vs_1"] = r["scaling"]["speedup"]
    v.update(speed_figures(r.get("speed", {})))
    base_speed = json.loads(BASELINE.read_text()).get("speed", {}) if BASELINE.exists() else {}
    base = speed_figures(base_speed)
    for part in ("cli", "world", "scaling"):
        if base_speed.get(part, {}).get("runs") != r.get("speed", {}).get(part, {}).get("runs"):
            for k in [k for k in base if k.startswith(part)]:
                base.pop(k)  # a ratio only between measurements of the same number of runs
    out = {}
    for k, val in v.items():
        t = TARGETS.get(k)  # CPU seconds, and a world of other than 100 runs, have no target
        met = None if t is None else (val >= t if k in HIGHER_IS_BETTER else val <= t)
        out[k] = {"measured": val, "target": t, "met": met}
        if k in base and base[k]:
            # the improvement over main 93cd2e4: > 1 is better, whichever way the figure points
            out[k]["baseline_93cd2e4"] = base[k]
            out[k]["ratio_to_baseline"] = round(val / base[k] if k in HIGHER_IS_BETTER else base[k] / val, 2)
    return out


def speed_figures(s: dict) -> dict:
    """The three figures of item 17 from a ``speed`` section (empty if it did not run)."""
    f = {}
    if "wall_seconds" in s.get("cli", {}):
        f[f"cli_seconds_{s['cli']['runs']}"] = s["cli"]["wall_seconds"]
        f[f"cli_cpu_seconds_{s['cli']['runs']}"] = s["cli"]["cpu_seconds"]
    if "wall_seconds" in s.get("world", {}):
        f[f"world_195_seconds_{s['world']['runs']}"] = s["world"]["wall_seconds"]
        if "cpu_seconds" in s["world"]:
            f[f"world_195_cpu_seconds_{s['world']['runs']}"] = s["world"]["cpu_seconds"]
    if "speedup" in s.get("scaling", {}):
        f["scaling_2_vs_1_item17"] = s["scaling"]["speedup"]
    return f


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="divide every size by 10")
    ap.add_argument("--only", default="cli,world,memory,batch_run,scaling,overheads,p2,speed")
    ap.add_argument("--root", default=str(ROOT), help="checkout whose code the speed section measures (default: this one)")
    ap.add_argument("--repeat", type=int, default=1, help="measurements per figure in the speed section (median)")
    ap.add_argument("--speed-parts", default="cli,world,scaling", help="figures of the speed section to measure")
    ap.add_argument("--pairs", type=int, default=7, help="1-worker/2-worker pairs in the speed section's scaling")
    ap.add_argument("--world-runs", type=int, default=None, help="runs of the world in the speed section (default 100)")
    ap.add_argument("--out", default=None,
                    help="where to write the JSON (default: bench/results/ensemble.json for the whole benchmark, "
                         "bench/results/only-SECTIONS.json with --only)")
    a = ap.parse_args()
    if a.out is None:
        name = "ensemble" if a.only == ap.get_default("only") else "only-" + a.only.replace(",", "-")
        a.out = str(ROOT / "bench" / "results" / f"{name}.json")
    f = 10 if a.quick else 1
    sys.path.insert(0, str(ROOT))
    res: dict = {"machine": machine(), "quick": a.quick}
    plan = {"cli": (bench_cli, 1000 // f), "world": (bench_world, 100 // f), "memory": (bench_memory, 10000 // f),
            "batch_run": (bench_batch_run, 200 // f), "scaling": (bench_scaling, 1000 // f),
            "overheads": (bench_overheads, 40 // f), "p2": (bench_p2, 3000 // f), "speed": (bench_speed, 10000 // f)}
    for name in a.only.split(","):
        fn, n = plan[name]
        t0 = time.perf_counter()
        print(f"[bench] {name} ({n} runs) …", file=sys.stderr, flush=True)
        res[name] = (fn(n, Path(a.root).resolve(), a.repeat, a.speed_parts, a.pairs, a.world_runs) if name == "speed"
                     else fn(n))
        res[name]["bench_seconds"] = round(time.perf_counter() - t0, 1)
        print(f"[bench] {name}: {json.dumps(res[name])}", file=sys.stderr, flush=True)
    res["machine"]["loadavg_end"] = os.getloadavg()
    res["targets"] = verdicts(res)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(res, indent=2) + "\n")
    print(json.dumps(res, indent=2))
    summary(res["targets"])


def summary(targets: dict) -> None:
    """The figures against their targets, and against main 93cd2e4 where recorded, as a table on stderr."""
    print(f"{'figure':26s} {'measured':>9s} {'target':>8s} {'met':>4s} {'93cd2e4':>8s} {'better by':>9s}", file=sys.stderr)
    for k, t in targets.items():
        base = t.get("baseline_93cd2e4", "")
        ratio = f"{t['ratio_to_baseline']}×" if "ratio_to_baseline" in t else ""
        met = "" if t["met"] is None else ("yes" if t["met"] else "no")
        target = "" if t["target"] is None else t["target"]
        print(f"{k:26s} {t['measured']:>9} {target:>8} {met:>4s} {base:>8} {ratio:>9s}", file=sys.stderr)


if __name__ == "__main__":
    main()
