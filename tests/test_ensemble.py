"""Ensembles: seeds, determinism across executors, failures, interrupts, storage, sweeps, CLI."""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sim.analysis import compare_results
from sim.ensemble import child_seeds, compare, latin_hypercube, run_ensemble, run_many, run_sweep
from sim.ensemble.sweep import with_parameters
from sim.ensemble.worker import run_one
from sim.errors import FlashpointError
from sim.scenario.schema import Scenario
from sim.storage import load_ensemble, scenario_hash

ROOT = Path(__file__).resolve().parent.parent
FOUNDING = ROOT / "scenarios" / "korea-russia-2024.yaml"


def _short(horizon: int = 8) -> Scenario:
    data = yaml.safe_load(FOUNDING.read_text(encoding="utf-8"))
    data["calendar"]["horizon"] = horizon
    return Scenario.model_validate(data)


@pytest.fixture(scope="module")
def sc() -> Scenario:
    return _short()


def _same(a, b) -> None:
    assert a.seeds == b.seeds
    pd.testing.assert_frame_equal(a.per_run, b.per_run)
    pd.testing.assert_frame_equal(a.per_run_actors, b.per_run_actors)
    pd.testing.assert_frame_equal(a.per_run_system, b.per_run_system)
    pd.testing.assert_frame_equal(a.per_run_support, b.per_run_support)
    np.testing.assert_array_equal(a.table["support"], b.table["support"])
    pd.testing.assert_frame_equal(a.outcomes, b.outcomes)
    pd.testing.assert_frame_equal(a.aggregator.fan_table(), b.aggregator.fan_table())


# ------------------------------------------------------------------ seeds
def test_child_seeds_are_the_documented_spawn_and_prefix_stable():
    ss = np.random.SeedSequence(7).spawn(5)
    assert child_seeds(7, 5) == [int(c.generate_state(1)[0]) for c in ss]
    assert child_seeds(7, 100)[:5] == child_seeds(7, 5)
    assert len(set(child_seeds(0, 1000))) == 1000
    with pytest.raises(ValueError):
        child_seeds(-1, 3)


@pytest.mark.parametrize("seed", [0, 1, 12345, 2**32 - 1, 2**32, 2**63 + 11, 2**130 + 3, 10**40])
def test_child_seeds_equal_numpys_seedsequence_across_spawn_chunks(seed, monkeypatch):
    """Spawning in chunks gives exactly numpy's SeedSequence(seed).spawn(k).generate_state(1)."""
    import sim.ensemble.seeds as S

    monkeypatch.setattr(S, "_CHUNK", 64)  # several chunks for 700 seeds
    ref = [int(c.generate_state(1)[0]) for c in np.random.SeedSequence(seed).spawn(700)]
    assert child_seeds(seed, 700) == ref
    assert child_seeds(seed, 0) == []


def test_seeds_module_copies_no_numpy_internals():
    src = (Path(__file__).resolve().parent.parent / "sim" / "ensemble" / "seeds.py").read_text()
    assert "0x43B0D7E5" not in src.upper() and ".spawn(" in src


# ------------------------------------------------------------------ determinism
def test_same_seed_gives_identical_ensemble(sc):
    a = run_ensemble(sc, runs=6, seed=3, executor="inprocess")
    b = run_ensemble(sc, runs=6, seed=3, executor="inprocess")
    _same(a, b)
    c = run_ensemble(sc, runs=6, seed=4, executor="inprocess")
    assert c.seeds != a.seeds


def test_one_worker_equals_two_workers_equals_threads(sc):
    ref = run_ensemble(sc, runs=10, seed=1, executor="inprocess")
    one = run_ensemble(sc, runs=10, seed=1, executor="process", workers=1)
    two = run_ensemble(sc, runs=10, seed=1, executor="process", workers=2, batch_size=3)
    with cf.ThreadPoolExecutor(2) as pool:
        thr = run_ensemble(sc, runs=10, seed=1, executor=pool)
    for other in (one, two, thr):
        _same(ref, other)
    assert two.report.executor["workers"] == 2


def test_spawn_start_method_gives_the_same_results(sc):
    ref = run_ensemble(sc, runs=4, seed=2, executor="inprocess")
    sp = run_ensemble(sc, runs=4, seed=2, executor="process", workers=2, start_method="spawn")
    _same(ref, sp)
    assert sp.report.executor["start_method"] == "spawn"


def test_local_dask_cluster_equals_one_worker(sc):
    distributed = pytest.importorskip("distributed")
    ref = run_ensemble(sc, runs=8, seed=5, executor="inprocess")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cl, \
            distributed.Client(cl) as client:
        threads = run_ensemble(sc, runs=8, seed=5, executor=client)
    _same(ref, threads)
    procs = run_ensemble(sc, runs=8, seed=5, executor="dask", workers=2)  # a local cluster of processes
    _same(ref, procs)
    assert procs.report.executor["executor"] == "dask"


def test_ensemble_matches_single_runs(sc):
    res = run_ensemble(sc, runs=3, seed=9, executor="inprocess", keep_runs=True)
    for k, s in enumerate(res.seeds):
        dg = run_one(sc, s)
        np.testing.assert_array_equal(res.runs_kept[k].peak, dg.peak)
        np.testing.assert_array_equal(res.runs_kept[k].levels, dg.levels)


# ------------------------------------------------------------------ failures and interrupts
BAD_SEED_INDEX = 2


def flaky_run(scenario, seed, dyad_levels):
    if seed == child_seeds(0, 6)[BAD_SEED_INDEX]:
        raise RuntimeError("boom")
    return run_one(scenario, seed, dyad_levels)


@pytest.mark.parametrize("executor", ["inprocess", "process"])
def test_runs_reach_the_sink_in_order_in_blocks_with_failures_in_place(sc, executor):
    """Runs of a batch go to the batch sink together; a failed run goes to the run sink between them.
    A job without a batch sink gets every run, in the same order, through its run sink."""
    from sim.ensemble.engine import Job, execute
    from sim.ensemble.executors import open_executor

    seeds = child_seeds(0, 6)
    calls = []
    job = Job(scenario=sc, seeds=seeds, sink=lambda i, s, dg, err: calls.append(("run", [i], [s], err)),
              batch_sink=lambda idx, b: calls.append(("batch", list(idx), b.seeds.tolist(), None)))
    handle = open_executor(executor, workers=2)
    try:
        report = execute([job], handle, batch_size=4, run_fn=flaky_run)
    finally:
        handle.close()
    assert [i for c in calls for i in c[1]] == list(range(6))
    assert [s for c in calls for s in c[2]] == seeds
    assert [(c[0], c[1]) for c in calls] == [("batch", [0, 1]), ("run", [2]), ("batch", [3]), ("batch", [4, 5])]
    assert "boom" in calls[1][3]
    assert report.ok == 5 and len(report.failures) == 1 and report.failures[0]["seed"] == seeds[2]
    runs = []
    plain = Job(scenario=sc, seeds=seeds, sink=lambda i, s, dg, err: runs.append((i, s, None if dg is None else dg.seed)))
    handle = open_executor(executor, workers=2)
    try:
        execute([plain], handle, batch_size=4, run_fn=flaky_run)
    finally:
        handle.close()
    assert runs == [(k, s, None if k == 2 else s) for k, s in enumerate(seeds)]


def dying_run(scenario, seed, dyad_levels):
    if seed == child_seeds(0, 6)[BAD_SEED_INDEX]:
        os._exit(3)  # the worker process dies
    return run_one(scenario, seed, dyad_levels)


@pytest.mark.parametrize("executor", ["inprocess", "process", "threads"])
def test_a_failing_run_is_reported_with_its_seed(sc, executor):
    bad = child_seeds(0, 6)[BAD_SEED_INDEX]
    if executor == "threads":
        with cf.ThreadPoolExecutor(2) as pool:
            res = run_ensemble(sc, runs=6, seed=0, executor=pool, run_fn=flaky_run)
    else:
        res = run_ensemble(sc, runs=6, seed=0, executor=executor, workers=2, run_fn=flaky_run)
    assert res.failures == [{"seed": bad, "index": BAD_SEED_INDEX, "error": res.failures[0]["error"]}]
    assert "RuntimeError: boom" in res.failures[0]["error"]
    assert res.completed == 5 and not res.partial
    assert res.outcomes["n"].max() == 5
    assert bad not in set(res.per_run["seed"])


def test_a_run_that_kills_its_worker_is_identified_and_the_rest_finish(sc):
    bad = child_seeds(0, 6)[BAD_SEED_INDEX]
    res = run_ensemble(sc, runs=6, seed=0, executor="process", workers=2, batch_size=2, run_fn=dying_run)
    assert [f["seed"] for f in res.failures] == [bad]
    assert "worker process died" in res.failures[0]["error"]
    assert res.completed == 5
    ref = run_ensemble(sc, runs=6, seed=0, executor="inprocess", run_fn=flaky_run)
    pd.testing.assert_frame_equal(res.per_run, ref.per_run)


@pytest.mark.parametrize("executor", ["inprocess", "process"])
def test_ctrl_c_keeps_finished_runs_and_marks_partial(sc, executor):
    def progress(done, total):
        if done >= 3:
            raise KeyboardInterrupt

    res = run_ensemble(sc, runs=30, seed=0, executor=executor, workers=2, batch_size=1, progress=progress)
    assert res.partial and res.report.interrupted
    assert 3 <= res.completed < 30
    ref = run_ensemble(sc, runs=30, seed=0, executor="inprocess", batch_size=1)
    got = res.per_run_system.set_index("index")
    want = ref.per_run_system.set_index("index").loc[got.index]
    pd.testing.assert_frame_equal(got, want)
    assert res.manifest()["partial"] is True


# ------------------------------------------------------------------ comparisons
def test_paired_interval_is_narrower_than_unpaired(sc):
    cmp = compare(sc, ["china-backs", "forceful-us"], runs=40, seed=0, executor="process", workers=2)
    t = cmp.table
    corr = t[t["correlation"] > 0.3]
    assert len(corr) > 0
    paired = corr["diff_hi"] - corr["diff_lo"]
    unpaired = corr["unpaired_hi"] - corr["unpaired_lo"]
    assert (paired < unpaired).all()
    summ = cmp.correlation_summary()
    assert summ["forceful-us"]["median_correlation"] > 0.3
    assert cmp.baseline.seeds == cmp.variants[0].seeds == cmp.variants[1].seeds


def test_comparison_text_and_json(sc):
    cmp = compare(sc, ["china-backs"], runs=30, seed=0, executor="inprocess")
    text = cmp.summary_text()
    assert "China backs the pact" in text and "paired" in text.lower()
    for v in cmp.verdicts:
        assert v.startswith("Under “China backs the pact”") and ("rose from" in v or "fell from" in v) and "95% CI" in v
    js = json.loads(json.dumps(cmp.to_json()))
    assert js["schema"] == "flashpoint.comparison/1" and js["runs"] == 30 and len(js["seeds"]) == 30
    assert {"diff", "diff_lo", "diff_hi", "unpaired_lo", "correlation"} <= set(js["comparisons"][0])


def test_unknown_variant_is_a_flashpoint_error(sc):
    with pytest.raises(FlashpointError, match="no variant"):
        run_ensemble(sc, runs=2, variant="nope", executor="inprocess")
    with pytest.raises(FlashpointError, match="no variant"):
        compare(sc, ["nope"], runs=2, executor="inprocess")
    with pytest.raises(FlashpointError, match="unknown executor"):
        run_ensemble(sc, runs=2, executor="gpu")


# ------------------------------------------------------------------ storage
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_to_dir_writes_tables_and_manifest_and_reloads(sc, tmp_path, fmt):
    res = run_ensemble(sc, runs=5, seed=0, executor="inprocess", keep_runs=True)
    files = res.to_dir(str(tmp_path), format=fmt)
    names = {Path(f).name for f in files}
    assert {f"outcomes.{fmt}", f"per_run.{fmt}", f"fans.{fmt}", f"runs_levels.{fmt}", "manifest.json"} <= names
    m = json.loads((tmp_path / "manifest.json").read_text())
    assert m["scenario_hash"] == scenario_hash(sc) and m["scenario_hash"].startswith("sha256:")
    assert m["seeds"] == res.seeds and m["variant"] == "baseline" and m["partial"] is False
    assert m["versions"]["mesa"] and m["executor"]["executor"] == "inprocess" and m["timing"]["wall_seconds"] > 0
    back = load_ensemble(tmp_path)
    pd.testing.assert_frame_equal(back.outcomes.reset_index(drop=True), res.outcomes.reset_index(drop=True),
                                  check_dtype=False)


def test_stored_results_compare_without_running_the_model(sc, tmp_path):
    base, var = run_many(sc, [None, "china-backs"], runs=12, seed=0, executor="inprocess")
    base.to_dir(str(tmp_path / "b"))
    var.to_dir(str(tmp_path / "v"))
    live = compare_results(base, [var])
    stored = compare_results(load_ensemble(tmp_path / "b"), [load_ensemble(tmp_path / "v")])
    pd.testing.assert_frame_equal(live.table, stored.table)


# ------------------------------------------------------------------ sweeps
def test_latin_hypercube_uses_each_stratum_once():
    d = latin_hypercube(10, 3, seed=1)
    assert d.shape == (10, 3)
    for j in range(3):
        assert sorted(np.floor(d[:, j] * 10).astype(int)) == list(range(10))
    np.testing.assert_array_equal(d, latin_hypercube(10, 3, seed=1))


def test_sensitivity_spearman_is_scipys_with_ties():
    from scipy.stats import spearmanr

    from sim.ensemble.sweep import sensitivity_table

    rng = np.random.default_rng(3)
    x = rng.integers(0, 4, 30).astype(float)  # ties
    y = x + rng.normal(0, 1, 30)
    z = rng.random(30)
    pts = pd.DataFrame({"a": x, "b": z, "out": np.round(y)})
    t = sensitivity_table(pts, ["a", "b"], ["out"]).set_index("parameter")
    assert t.loc["a", "spearman"] == pytest.approx(spearmanr(x, np.round(y)).statistic, abs=1e-12)
    assert t.loc["b", "spearman"] == pytest.approx(spearmanr(z, np.round(y)).statistic, abs=1e-12)
    assert abs(t.loc["a", "spearman"]) > 0.5


def test_sweep_reports_sensitivity(sc):
    sw = run_sweep(sc, samples=6, runs=2, seed=0, executor="inprocess")
    assert len(sw.points) == 6 and set(sw.parameters) <= set(sw.points.columns)
    for u in sc.uncertainties:
        col = sw.points[u.parameter]
        assert col.between(u.low, u.high).all()
    assert {"outcome", "parameter", "spearman", "srrc", "r2"} <= set(sw.sensitivity.columns)
    assert "Latin-hypercube" in sw.summary_text()
    json.dumps(sw.to_json())


def test_sweep_rejects_out_of_range_values(sc):
    with pytest.raises(FlashpointError, match="valid range"):
        with_parameters(sc, {"threat.power_exponent": 99.0})


# ------------------------------------------------------------------ CLI
@pytest.fixture(scope="module")
def cli():
    import typer
    from typer.testing import CliRunner

    from sim.cli.ensemble_cmds import register

    app = typer.Typer()
    register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def short_file(tmp_path_factory):
    data = yaml.safe_load(FOUNDING.read_text(encoding="utf-8"))
    data["calendar"]["horizon"] = 6
    p = tmp_path_factory.mktemp("sc") / "short.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def test_cli_ensemble_json_and_out(cli, short_file, tmp_path):
    r = cli("ensemble", short_file, "--runs", 4, "--executor", "inprocess", "--json", "--out", tmp_path / "o")
    assert r.exit_code == 0, r.output
    js = json.loads(r.stdout)
    assert js["schema"] == "flashpoint.ensemble/1" and js["completed"] == 4 and len(js["seeds"]) == 4
    assert (tmp_path / "o" / "manifest.json").exists()


def test_cli_compare_prints_words_and_numbers(cli, short_file):
    r = cli("compare", short_file, "--variant", "china-backs", "--runs", 6, "--executor", "inprocess")
    assert r.exit_code == 0, r.output
    assert "China backs the pact" in r.stdout and "paired" in r.stdout


def test_cli_sweep_runs(cli, short_file):
    r = cli("sweep", short_file, "--samples", 4, "--runs", 1, "--executor", "inprocess", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["schema"] == "flashpoint.sweep/1"


def test_cli_exit_codes_and_no_tracebacks(cli, short_file, tmp_path):
    missing = cli("ensemble", tmp_path / "nope.yaml", "--runs", 2)
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    bad_variant = cli("ensemble", short_file, "--runs", 2, "--variant", "nope", "--executor", "inprocess")
    assert bad_variant.exit_code == 1 and "no variant" in bad_variant.output
    usage = cli("ensemble", short_file, "--runs", 0)
    assert usage.exit_code == 2
    both = cli("compare", short_file, "--variant", "no-pact", "--all-variants")
    assert both.exit_code == 2
    bad_exec = cli("ensemble", short_file, "--executor", "gpu")
    assert bad_exec.exit_code == 2
    for r in (missing, bad_variant, usage, both, bad_exec):
        assert "Traceback" not in r.output


def test_lean_runner_matches_the_full_recording(sc):
    from sim.ensemble.worker import digest_run
    from sim.model import run_scenario

    for seed in child_seeds(11, 3):
        lean = run_one(sc, seed, dyad_levels=True)
        full = digest_run(run_scenario(sc, seed, record="full"), dyad_levels=True)
        for name in ("peak", "final", "first", "alliance_new", "alliance_lost", "milex_change", "series",
                     "actor_level", "system", "levels", "tension", "support"):
            np.testing.assert_array_equal(getattr(lean, name), getattr(full, name), err_msg=name)


def test_tension_fan_per_dyad_is_the_higher_directed_threat(sc):
    from sim.model import run_scenario

    one = run_ensemble(sc, runs=1, seed=5, executor="inprocess")
    full = run_scenario(sc, one.seeds[0], record="full")
    i, j = full.codes.index("USA"), full.codes.index("RUS")
    want = np.maximum(full.threat_hist[:, i, j], full.threat_hist[:, j, i]).astype(np.float32).astype(float)
    fan = one.fan(metric="tension", dyad="USA–RUS")
    assert list(fan.columns) == list(one.fan(metric="level", dyad="USA–RUS").columns)
    for q in ("q05", "q25", "q50", "q75", "q95"):  # one run: every quantile is that run (exact path)
        np.testing.assert_array_equal(fan[q].to_numpy(), want, err_msg=q)
    pd.testing.assert_frame_equal(fan, one.fan(metric="tension", dyad="RUS-USA"))

    a = run_ensemble(sc, runs=10, seed=2, executor="process", workers=1)
    b = run_ensemble(sc, runs=10, seed=2, executor="process", workers=2, batch_size=3)
    fa = a.fan(metric="tension", dyad="USA–RUS")
    pd.testing.assert_frame_equal(fa, b.fan(metric="tension", dyad="USA–RUS"))
    q = fa[["q05", "q25", "q50", "q75", "q95"]].to_numpy()
    assert ((q >= 0) & (q <= 1)).all() and (np.diff(q, axis=1) >= 0).all()
    assert (fa["n"] == 10).all() and fa["q95"].max() > 0
    ft = a.aggregator.fan_table()
    assert set(ft.loc[ft["metric"] == "tension", "dyad"]) == set(a.layout.dyads)
    with pytest.raises(ValueError, match="needs a dyad"):
        a.fan(metric="tension")


def test_opening_a_pool_imports_nothing_heavy_and_public_names_resolve():
    """A command forks its workers before it imports pandas or the model (they import those
    meanwhile), so the pool and the worker module must stay light; the lazy package exports
    still give the public functions, even after a submodule of the same name is imported."""
    import subprocess
    import sys

    code = ("import sys; from sim.ensemble.executors import open_executor; import sim.ensemble.worker; "
            "print(sorted(m for m in ('pandas', 'mesa', 'sim.model', 'pyarrow') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "[]"
    import sim.ensemble.comparison  # noqa: F401 — a submodule, imported first
    from sim.analysis import Comparison
    from sim.ensemble import compare, open_executor, run_ensemble

    assert callable(compare) and compare.__module__ == "sim.ensemble.comparison"
    assert Comparison.__name__ == "Comparison" and callable(run_ensemble) and callable(open_executor)
