"""`flashpoint world`: per-dyad predictions for a catalog year (small runs)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.cli.main import app

runner = CliRunner()
COLS = ["ccode1", "ccode2", "abb", "p_threat", "p_display", "p_force", "p_war"]


def test_world_writes_every_dyad(tmp_path):
    r = runner.invoke(app, ["world", "--year", "1816", "--runs", "4", "--out", str(tmp_path), "--executor", "inprocess"])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(tmp_path / "world-1816.csv")
    assert list(df.columns) == COLS
    from sim.catalog import load_catalog

    n = len(load_catalog().codes(1816))
    assert len(df) == n * (n - 1) // 2
    assert (df["ccode1"] < df["ccode2"]).all()
    assert not df.duplicated(["ccode1", "ccode2"]).any()
    p = df[[c for c in COLS if c.startswith("p_")]]
    assert ((p >= 0) & (p <= 1)).all().all()
    man = json.loads((tmp_path / "manifest.json").read_text())
    assert man["year"] == 1816 and man["runs"] == 4 and man["kind"] == "world"


def test_world_json_is_deterministic_and_levels_nest(tmp_path):
    args = ["world", "--year", "1816", "--runs", "6", "--seed", "3", "--json", "--executor", "inprocess"]
    a = runner.invoke(app, args)
    # the process-pool run as a user starts it: a fresh interpreter (this test process may hold
    # other tests' pools and fork server)
    b = subprocess.run([sys.executable, "-m", "sim", *args[:-2], "--executor", "process", "--workers", "2"],
                       capture_output=True, text=True, timeout=300)
    assert a.exit_code == 0 and b.returncode == 0, a.output + b.stdout + b.stderr
    ja, jb = json.loads(a.stdout), json.loads(b.stdout)
    assert ja["schema"] == "flashpoint.world/1" and ja["dyad_count"] == len(ja["dyads"])
    assert ja["dyads"] == jb["dyads"]  # same seeds, any executor
    assert ja["rungs"]["threat"] < ja["rungs"]["display"] < ja["rungs"]["force"] < ja["rungs"]["war"]


@pytest.mark.parametrize("year", ["1700", "2100"])
def test_world_year_outside_the_catalog_is_a_located_error(year, tmp_path):
    r = runner.invoke(app, ["world", "--year", year, "--runs", "2", "--out", str(tmp_path)])
    assert r.exit_code == 1
    assert f"--year {year}" in r.output and "1816" in r.output
    assert "Traceback" not in r.output


def test_world_needs_an_output(tmp_path):
    r = runner.invoke(app, ["world", "--year", "1816", "--runs", "2"])
    assert r.exit_code == 2


def test_world_parquet(tmp_path):
    r = runner.invoke(app, ["world", "--year", "1816", "--runs", "2", "--out", str(tmp_path), "--format", "parquet",
                            "--executor", "inprocess"])
    assert r.exit_code == 0, r.output
    df = pd.read_parquet(tmp_path / "world-1816.parquet")
    assert list(df.columns) == COLS


def test_world_predictions_library_with_a_subset():
    from sim.validation.world import world_predictions

    pred = world_predictions(1816, runs=3, seed=0, executor="inprocess", codes=["UKG", "FRN", "RUS"])
    assert len(pred.table) == 3 and pred.runs == 3
    assert set(pred.table["abb"]) == {"UKG–FRN", "UKG–RUS", "FRN–RUS"}
