"""The wheel works on its own: build it, install it into a fresh virtual environment, use it.

Issue 14: ``pip install .`` then ``flashpoint list`` failed (scenarios were looked up next to the
source tree). This builds the wheel from a clean copy of the project files, installs it (with its
dependencies, without the ``app`` extra) into a new venv that does not see this checkout, and runs
``flashpoint list``, ``validate``, ``run`` and ``ensemble -n 20`` from an unrelated directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE")
PROJECT_DIRS = ("sim", "scenarios")


def _run(cmd: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["COLUMNS"] = "250"  # rich tables unwrapped
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{cmd} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr
    return done


def test_core_does_not_import_the_app_libraries() -> None:
    code = ("import sys, sim.cli.main, sim.cli.ensemble_cmds, sim.ensemble, sim.model, sim.storage\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly'))\n"
            "print(bad)\n")
    done = _run([sys.executable, "-c", code], cwd=ROOT)
    assert done.stdout.strip() == "[]"


@pytest.mark.wheel
def test_wheel_installs_and_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, src / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "_scenarios"))

    timings = {}
    t0 = time.perf_counter()
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp_path / "dist", src], cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("flashpoint-*.whl")
    timings["build"] = time.perf_counter() - t0

    # The wheel holds the scenarios (identical to scenarios/, the one source) and the data.
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        shipped = sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("sim/_scenarios/"))
        assert shipped == sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
        for name in shipped:
            assert zf.read(f"sim/_scenarios/{name}") == (ROOT / "scenarios" / name).read_bytes()
        assert "sim/data/catalog/states.json.gz" in names
        meta = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    requires = [line for line in meta.splitlines() if line.startswith("Requires-Dist:")]
    core = [r for r in requires if "extra ==" not in r]
    assert not any("streamlit" in r or "plotly" in r for r in core)
    assert any("streamlit" in r and 'extra == "app"' in r for r in requires)

    t0 = time.perf_counter()
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    py = venv / "bin" / "python"
    _run([py, "-m", "pip", "install", "--quiet", wheel], cwd=tmp_path)
    timings["venv+install"] = time.perf_counter() - t0

    work = tmp_path / "elsewhere"
    work.mkdir()
    where = _run([py, "-c", "import sim, importlib.util as u; print(sim.__file__); "
                  "print(u.find_spec('streamlit'), u.find_spec('plotly'))"], cwd=work).stdout.split("\n")
    assert "site-packages" in where[0] and str(ROOT) not in where[0]
    assert where[1] == "None None"  # the app's libraries are an extra

    fp = venv / "bin" / "flashpoint"
    t0 = time.perf_counter()
    listed = _run([fp, "list"], cwd=work, timeout=120).stdout
    for p in (ROOT / "scenarios").glob("*.yaml"):
        assert p.name in listed
    assert "invalid" not in listed
    bundled = Path(_run([py, "-c", "from sim.resources import scenarios_dir; print(scenarios_dir())"],
                        cwd=work).stdout.strip())
    founding = bundled / "korea-russia-2024.yaml"
    assert "site-packages" in str(founding) and founding.is_file()
    assert ": ok" in _run([fp, "validate", *sorted(bundled.glob("*.yaml"))], cwd=work, timeout=120).stdout
    assert "havana-visit" in _run([fp, "run", founding, "--seed", "1"], cwd=work, timeout=120).stdout
    out = work / "ens"
    _run([fp, "ensemble", founding, "-n", "20", "--seed", "3", "--out", out], cwd=work, timeout=300)
    assert any(out.rglob("*")), "the ensemble wrote nothing"
    timings["commands"] = time.perf_counter() - t0
    print("wheel test timings (s):", {k: round(v, 1) for k, v in timings.items()})
