"""Operator limits: worker count, cost and memory estimates, --out checked first and written atomically."""

from __future__ import annotations

import json
import os
import shutil

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

import sim.ensemble.budget as budget
from sim.cli.main import app
from sim.ensemble.budget import check, estimate, plan_workers
from sim.ensemble.executors import default_workers
from sim.errors import LimitError
from tests.conftest import FOUNDING

runner = CliRunner()


def invoke(*args):
    res = runner.invoke(app, [str(a) for a in args])
    out = res.stdout + (res.stderr or "")
    assert "Traceback" not in out and "internal error" not in out, out
    return res, out


@pytest.fixture(scope="module")
def short_file(tmp_path_factory):
    data = yaml.safe_load(FOUNDING.read_text(encoding="utf-8"))
    data["calendar"]["horizon"] = 6
    p = tmp_path_factory.mktemp("lim") / "short.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


# ------------------------------------------------------------------ workers
def test_workers_are_capped_at_the_cores_and_the_runs():
    cores = default_workers()
    n, note = plan_workers(1000, 10_000)
    assert n == cores and "capped" in note and "1000" in note
    assert plan_workers(cores + 5, 1)[0] == 1
    assert plan_workers(None, 10_000) == (cores, None)
    assert plan_workers(1, 10) == (1, None)


def test_cli_workers_1000_runs_on_the_cores_with_a_message(short_file):
    res, out = invoke("ensemble", short_file, "-n", 4, "-w", 1000, "--json")
    assert res.exit_code == 0, out
    assert "capped" in res.stderr
    assert json.loads(res.stdout)["executor"]["workers"] <= default_workers()


# ------------------------------------------------------------------ cost and memory
def test_a_million_kept_runs_are_estimated_at_gigabytes_and_refused_without_force():
    est = estimate(8, 52, 1_000_000, keep_runs=True)
    assert est.memory_bytes > 10 * 2**30  # the issue measured ~15 GB
    assert estimate(8, 52, 1_000_000).memory_bytes < est.memory_bytes / 10
    with pytest.raises(LimitError, match="--force"):
        check(est, memory=16 * 2**30)
    assert "note" in check(est, memory=16 * 2**30, force=True)
    assert check(estimate(8, 52, 100), memory=16 * 2**30) is None


def test_a_huge_single_run_is_estimated_and_refused():
    est = estimate(250, 2000, 1, single=True)  # the 415 KB scenario: 232 s, 1.3 GB measured
    assert 100 < est.cpu_seconds < 2000 and 0.6 * 2**30 < est.memory_bytes < 3 * 2**30
    with pytest.raises(LimitError, match="refused"):
        check(est, memory=2 * 2**30)


def test_cli_ensemble_refuses_beyond_the_memory_limit_before_any_work(short_file, monkeypatch):
    monkeypatch.setattr(budget, "available_memory", lambda: 2 * 2**30)
    res, out = invoke("ensemble", short_file, "-n", 1_000_000, "--keep-runs", "-e", "inprocess")
    assert res.exit_code == 1 and "refused" in res.stderr and "--force" in res.stderr


def test_cli_run_refuses_a_costly_run_and_force_overrides(monkeypatch, tmp_path):
    monkeypatch.setattr(budget, "SINGLE_CELL_SECONDS", 10.0)  # every run now looks like days of work
    res, out = invoke("run", FOUNDING)
    assert res.exit_code == 1 and "refused" in res.stderr
    res, out = invoke("run", FOUNDING, "--force", "--json")
    assert res.exit_code == 0 and "note:" in res.stderr


# ------------------------------------------------------------------ --out
def test_run_out_under_a_file_fails_before_the_run(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    res, out = invoke("run", FOUNDING, "--out", f / "sub")
    assert res.exit_code == 1 and "not a directory" in res.stderr
    assert "What the scheduled events did" not in res.stdout  # checked before the work


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only directories")
def test_run_out_to_a_read_only_directory_fails_before_the_run(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        res, out = invoke("run", FOUNDING, "--out", ro / "sub")
        assert res.exit_code == 1 and "not writable" in res.stderr
    finally:
        ro.chmod(0o755)


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc, which no one may write to")
def test_run_out_where_nothing_can_be_written_fails_before_the_run():
    res, out = invoke("run", FOUNDING, "--out", "/proc/flashpoint-out/sub")
    assert res.exit_code == 1 and "not writable" in res.stderr
    assert "What the scheduled events did" not in res.stdout


def test_a_full_disk_is_found_before_the_work(short_file, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10**9, 10**9 - 10**6, 10**6))
    res, out = invoke("ensemble", short_file, "-n", 3, "-e", "inprocess", "--out", tmp_path / "o")
    assert res.exit_code == 1 and "free disk space" in res.stderr
    assert not (tmp_path / "o").exists()


def _failing_writer(monkeypatch, method: str, after: int) -> None:
    real = getattr(pd.DataFrame, method)
    calls = {"n": 0}

    def write(self, *a, **k):
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(28, "No space left on device")
        return real(self, *a, **k)

    monkeypatch.setattr(pd.DataFrame, method, write)


def test_a_failed_write_leaves_nothing_half_written_run(tmp_path, monkeypatch):
    _failing_writer(monkeypatch, "to_csv", after=1)
    res, out = invoke("run", FOUNDING, "--out", tmp_path / "o", "--format", "csv", "--json")
    assert res.exit_code == 1 and "No space left" in res.stderr
    assert not (tmp_path / "o").exists()
    assert list(tmp_path.iterdir()) == []  # no temporary directory left behind


def test_a_failed_write_leaves_nothing_half_written_ensemble(short_file, tmp_path, monkeypatch):
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "old.txt").write_text("keep me")
    _failing_writer(monkeypatch, "to_csv", after=2)
    res, out = invoke("ensemble", short_file, "-n", 3, "-e", "inprocess", "--out", tmp_path / "o", "--format", "csv")
    assert res.exit_code == 1 and "No space left" in res.stderr and "nothing was written" in res.stderr
    assert "runs in" in res.stdout  # the results were still shown
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]
    monkeypatch.undo()
    res, out = invoke("ensemble", short_file, "-n", 3, "-e", "inprocess", "--out", tmp_path / "o", "--format", "csv")
    assert res.exit_code == 0 and (tmp_path / "o" / "manifest.json").exists()
    res, out = invoke("ensemble", short_file, "-n", 3, "-e", "inprocess", "--out", tmp_path / "new", "--format", "csv")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o777 & ~umask  # not the temporary directory's 0700
