"""Faults during ensembles: dead workers, lost Dask workers — reported, retried, never a hang."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from sim.ensemble import child_seeds, run_ensemble
from sim.ensemble.worker import KILL_SEEDS_ENV, run_one
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
FOUNDING = ROOT / "scenarios" / "korea-russia-2024.yaml"


@pytest.fixture(scope="module")
def short_yaml(tmp_path_factory):
    data = yaml.safe_load(FOUNDING.read_text(encoding="utf-8"))
    data["calendar"]["horizon"] = 6
    p = tmp_path_factory.mktemp("faults") / "short.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def slow_run(scenario, seed, dyad_levels):
    time.sleep(0.05)
    return run_one(scenario, seed, dyad_levels)


def test_a_seed_that_kills_its_worker_is_found_by_bisection_and_the_exit_status_says_so(short_yaml):
    """A test-only hook makes one seed SIGKILL its worker: the CLI names that seed and exits 3."""
    runs, bad_index = 1200, 777
    bad = child_seeds(0, runs)[bad_index]
    env = {**os.environ, KILL_SEEDS_ENV: str(bad)}
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "sim", "ensemble", str(short_yaml), "-n", str(runs), "-w", "2", "--json"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert time.monotonic() - t0 < 300
    assert r.returncode == 3, r.stderr
    js = json.loads(r.stdout)
    assert js["completed"] == runs - 1 and js["failed"] == 1
    assert js["failures"][0]["seed"] == bad and js["failures"][0]["index"] == bad_index
    assert "worker process died" in js["failures"][0]["error"]
    assert js["executor"]["workers_lost"] >= 1
    assert str(bad) in r.stderr and "incomplete" in r.stderr


def test_a_worker_killed_from_outside_loses_no_run():
    """SIGKILL of a pool worker mid-ensemble (the OOM killer, an operator): its runs run again."""
    data = yaml.safe_load(FOUNDING.read_text(encoding="utf-8"))
    data["calendar"]["horizon"] = 4
    sc = Scenario.model_validate(data)
    killed: list[int] = []
    # only this ensemble's workers: other tests in this process may have left children running
    before = {p.pid for p in multiprocessing.active_children()}

    def progress(done, total):
        if done >= 4 and not killed:
            kids = [p for p in multiprocessing.active_children() if p.pid not in before]
            if kids:
                killed.append(kids[0].pid)
                os.kill(kids[0].pid, signal.SIGKILL)

    res = run_ensemble(sc, runs=60, seed=3, executor="process", workers=2, batch_size=3, run_fn=slow_run,
                       progress=progress)
    assert killed
    assert res.completed == 60 and not res.failures and not res.partial
    assert res.report.executor["workers_lost"] >= 1
    ref = run_ensemble(sc, runs=60, seed=3, executor="inprocess")
    assert res.per_run.equals(ref.per_run)


def test_a_pool_with_a_dead_worker_is_seen_broken_through_the_public_api():
    from sim.ensemble.executors import new_process_pool, pool_is_broken

    pool = new_process_pool(1, "spawn")
    try:
        assert pool.submit(os.getpid).result(timeout=120) != os.getpid()
        assert not pool_is_broken(pool)
        fut = pool.submit(os.kill, pool.submit(os.getpid).result(timeout=60), signal.SIGKILL)
        with pytest.raises(Exception):  # noqa: B017 — BrokenProcessPool
            fut.result(timeout=60)
        assert pool_is_broken(pool)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    assert pool_is_broken(pool)  # shut down: no more tasks either


def test_no_private_attributes_of_the_standard_library_pools_are_read():
    for rel in ("sim/ensemble/executors.py", "sim/ensemble/engine.py", "app_support/state.py"):
        src = (ROOT / rel).read_text(encoding="utf-8")
        for private in ("_max_workers", "_processes", "\"_broken\"", "._broken"):
            assert private not in src, (rel, private)


RSS_SCRIPT = """
import sys
from sim.catalog import load_catalog
from sim.scenario.generate import world_scenario
import sim.ensemble.worker as W
from sim.ensemble.seeds import child_seeds
if sys.argv[1] == "off":
    W._collect_garbage = lambda task: None
sc = world_scenario(2010, horizon=6, codes=load_catalog().codes(2010)[:60])
size = W.lanes_for(len(sc.actors))
seeds = child_seeds(0, size * 5)
out = []
for k in range(5):
    W.run_batch(W.Task(job=0, scenario=sc, items=list(enumerate(seeds[k * size:(k + 1) * size]))))
    out.append(W._rss() / 2**20)
print(" ".join(f"{x:.0f}" for x in out))
"""


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="resident size read from /proc")
def test_worker_memory_stays_flat_over_tasks_of_a_large_world():
    """60 states, full-lane tasks of 111 runs: the finished models are freed after each task."""

    def rss(mode: str) -> list[float]:
        r = subprocess.run([sys.executable, "-c", RSS_SCRIPT, mode], capture_output=True, text=True, timeout=300,
                           cwd=ROOT, check=True)
        return [float(x) for x in r.stdout.split()]

    on, off = rss("on"), rss("off")
    assert max(on[1:]) - on[1] < 40, on          # flat after the first task (measured: +3 MB)
    assert off[-1] - off[1] > 3 * max(1.0, max(on[1:]) - on[1]), (on, off)  # what it was: +65 MB per task


# ------------------------------------------------------------------ Dask
def _short_scenario() -> Scenario:
    data = yaml.safe_load(FOUNDING.read_text(encoding="utf-8"))
    data["calendar"]["horizon"] = 4
    return Scenario.model_validate(data)


def test_dask_with_no_worker_left_gives_up_with_a_clear_message(short_yaml):
    distributed = pytest.importorskip("distributed")
    from sim.ensemble.executors import open_executor

    with distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp", host="127.0.0.1",
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        handle = open_executor(client)
        handle.stall_timeout = 2.0
        t0 = time.monotonic()
        res = run_ensemble(_short_scenario(), runs=4, seed=0, executor=handle)
        assert time.monotonic() - t0 < 60
        assert res.partial and res.completed == 0 and res.report.not_run == 4
        assert "no Dask worker is left" in res.report.executor["error"]
        # the command line: exit 3 and the reason on standard error, not a wait forever
        env = {**os.environ, "FLASHPOINT_DASK_WAIT": "2"}
        r = subprocess.run([sys.executable, "-m", "sim", "ensemble", str(short_yaml), "-n", "3", "--scheduler",
                            cluster.scheduler_address, "--json"], capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 3, r.stderr
        assert "no Dask worker is left" in r.stderr and "3 not run" in r.stderr


def test_a_lost_dask_worker_is_reported_and_no_run_is_lost():
    distributed = pytest.importorskip("distributed")

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        pids = list(client.run(os.getpid).values())
        killed: list[int] = []

        def progress(done, total):
            if done >= 2 and not killed:
                killed.append(pids[0])
                os.kill(pids[0], signal.SIGKILL)

        res = run_ensemble(_short_scenario(), runs=40, seed=1, executor=client, batch_size=2, run_fn=slow_run,
                           progress=progress)
    assert killed
    assert res.completed == 40 and not res.partial
    assert res.report.executor["workers_lost"] >= 1
    assert res.to_json()["executor"]["workers_lost"] >= 1


@pytest.mark.parametrize(("raw", "want"), [("inf", 60.0), ("nan", 60.0), ("-5", 1.0), ("ten", 60.0), ("30", 30.0)])
def test_the_dask_wait_is_a_finite_number_of_seconds(monkeypatch, raw, want):
    from sim.ensemble.executors import STALL_ENV, _stall_timeout

    monkeypatch.setenv(STALL_ENV, raw)
    assert _stall_timeout() == want
