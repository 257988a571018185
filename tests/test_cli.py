"""The command line through its runner: exit codes, located errors, no tracebacks, outputs."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sim.cli.main import app
from tests.conftest import FOUNDING, SCENARIOS

runner = CliRunner()


def invoke(*args):
    res = runner.invoke(app, [str(a) for a in args])
    text = res.stdout + (res.stderr or "")
    assert "Traceback" not in text
    return res, text


def test_validate_bundled_scenarios():
    files = sorted(SCENARIOS.glob("*.yaml"))
    assert files
    res, text = invoke("validate", *files)
    assert res.exit_code == 0, text
    assert text.count(": ok") == len(files)


def test_validate_broken_file_exit_1_with_location(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(FOUNDING.read_text().replace("force_size: 1.5", "forse_size: 1.5"))
    res, text = invoke("validate", bad)
    assert res.exit_code == 1
    assert f"{bad}:" in text and "forse_size" in text and "did you mean 'force_size'" in text


def test_validate_unknown_actor_and_missing_file(tmp_path):
    bad = tmp_path / "actor.yaml"
    bad.write_text(FOUNDING.read_text().replace("near: [USA]\n    force_size: 1.5", "near: [USX]\n    force_size: 1.5"))
    res, text = invoke("validate", bad, tmp_path / "nope.yaml")
    assert res.exit_code == 1
    assert "unknown actor USX" in text
    assert "nope.yaml" in text


def test_usage_error_is_exit_2():
    res, _ = invoke("run")
    assert res.exit_code == 2
    res, _ = invoke("frobnicate")
    assert res.exit_code == 2


def test_run_prints_story():
    res, text = invoke("run", FOUNDING, "--seed", "0")
    assert res.exit_code == 0, text
    assert "havana-visit" in text and "a show of force" in text
    assert "Where it starts — at war: RUS–UKR (rung 7)" in text and "sanctions in force: USA on RUS" in text
    assert "threat from PRK rose" in text
    assert "escalation ladder" in text


def test_run_explain_and_unknown_variant():
    res, text = invoke("run", FOUNDING, "--explain")
    assert res.exit_code == 0 and "←" in text
    res, text = invoke("run", FOUNDING, "--variant", "nope")
    assert res.exit_code == 1 and "no variant 'nope'" in text


def test_run_json_is_machine_readable_and_deterministic():
    r1, t1 = invoke("run", FOUNDING, "--json", "--seed", "4")
    r2, t2 = invoke("run", FOUNDING, "--json", "--seed", "4")
    assert r1.exit_code == 0
    d1, d2 = json.loads(r1.stdout), json.loads(r2.stdout)
    d1["meta"].pop("seconds"), d2["meta"].pop("seconds")
    assert d1 == d2
    assert d1["scenario"] == "korea-russia-2024" and d1["seed"] == 4
    assert {"peak_levels", "event_effects", "threat_changes"} <= set(d1)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_run_out_writes_tidy_tables(tmp_path, fmt):
    import pandas as pd

    res, text = invoke("run", FOUNDING, "--out", tmp_path, "--format", fmt, "--variant", "no-pact")
    assert res.exit_code == 0, text
    read = {"csv": pd.read_csv, "parquet": pd.read_parquet, "json": pd.read_json}[fmt]
    ts = read(tmp_path / f"timeseries.{fmt}")
    ev = read(tmp_path / f"events.{fmt}")
    assert list(ts.columns) == ["step", "date", "actor", "dyad", "metric", "value"]
    assert {"step", "date", "actor", "target", "type", "cameo", "goldstein", "level", "cause", "why"} <= set(ev.columns)
    assert (tmp_path / "summary.json").exists()


def test_describe_schema_list():
    res, text = invoke("describe", FOUNDING)
    assert res.exit_code == 0 and "Timeline" in text and "havana" in text
    assert "USA on CUB 0.8" in text  # sanctions in force, from relations.sanctions
    res, text = invoke("schema")
    assert res.exit_code == 0
    schema = json.loads(res.stdout)
    assert "events" in schema["properties"]
    res, text = invoke("list")
    assert res.exit_code == 0 and "korea-russia-2024.yaml" in text


def test_python_dash_m_sim_works():
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "sim", "validate", str(FOUNDING)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
